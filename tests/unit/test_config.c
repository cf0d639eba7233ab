/* Tests of the run-configuration loader. Run from the repository root:
 * fixtures are read from tests/fixtures/configs/. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/config.h"
#include "util/sha256.h"

#define FIX "tests/fixtures/configs/"

static void load_ok(we_config *c, const char *path)
{
    we_error err = {{0}};
    int rc = we_config_load(c, path, &err);
    if (rc != 0)
        fail_msg("loading %s failed: %s", path, err.msg);
}

static void assert_contains(const char *msg, const char *part)
{
    if (strstr(msg, part) == NULL)
        fail_msg("message \"%s\"\n  lacks \"%s\"", msg, part);
}

static void assert_starts(const char *msg, const char *prefix)
{
    if (strncmp(msg, prefix, strlen(prefix)) != 0)
        fail_msg("message \"%s\"\n  does not start with \"%s\"", msg,
                 prefix);
}

/* ---- a full config --------------------------------------------------- */

static void test_full_example(void **state)
{
    (void)state;
    we_config c;
    load_ok(&c, FIX "full.cfg");
    assert_string_equal(c.path, FIX "full.cfg");
    assert_string_equal(c.dir, "tests/fixtures/configs");
    assert_string_equal(c.name, "demo");
    assert_string_equal(c.title,
        "Wijkenaanpak: seven experiments (simulated demo data)");
    /* Relative to the config file, normalised (util/path.h). */
    assert_string_equal(c.areas_path, "tests/fixtures/data/demo/areas.csv");
    assert_string_equal(c.indicators_path,
                        "tests/fixtures/data/demo/indicators.csv");
    assert_string_equal(c.catalog_path, "/srv/wijkeval/catalog.csv");
    assert_int_equal(c.baseline, 2007);
    assert_int_equal(c.n_followup, 5);
    for (size_t i = 0; i < 5; i++)
        assert_int_equal(c.followup[i], 2008 + (int)i);
    assert_string_equal(c.treatment_path, FIX "treatment.csv");
    assert_int_equal(c.comparison, WE_COMPARISON_UNTREATED);
    assert_int_equal(c.gap_reference, WE_GAP_NATIONAL);
    assert_int_equal(c.gap_weighted, 0);
    assert_true(c.alpha == 0.1);
    assert_true(c.seed == 20081107u);
    assert_int_equal(c.cluster, WE_CLUSTER_AREA);
    assert_string_equal(c.output_dir, "tests/fixtures/out");
    assert_int_equal(c.formats, WE_FORMAT_JSON | WE_FORMAT_MD);
    assert_int_equal(c.n_plugin_dirs, 2);
    assert_string_equal(c.plugin_dirs[0], "tests/fixtures/build/plugins");
    assert_string_equal(c.plugin_dirs[1], "/opt/wijkeval/plugins");
    we_config_free(&c);
}

static void test_full_treated(void **state)
{
    (void)state;
    we_config c;
    load_ok(&c, FIX "full.cfg");
    static const struct {
        const char *area, *wave, *source;
        int from, line;
    } want[] = {
        {"WK036301", "aandachtswijken", FIX "treatment.csv", 2008, 2},
        {"WK036302", "aandachtswijken", FIX "treatment.csv", 2008, 3},
        {"WK059901", "preventie", FIX "full.cfg", 2009, 14},
        {"WK059902", "preventie", FIX "full.cfg", 2009, 15},
    };
    assert_int_equal(c.n_treated, 4);
    for (size_t i = 0; i < 4; i++) {
        assert_string_equal(c.treated[i].area, want[i].area);
        assert_string_equal(c.treated[i].wave, want[i].wave);
        assert_string_equal(c.treated[i].source, want[i].source);
        assert_int_equal(c.treated[i].from, want[i].from);
        assert_int_equal(c.treated[i].line, want[i].line);
    }
    we_config_free(&c);
}

static void test_full_experiments(void **state)
{
    (void)state;
    we_config c;
    load_ok(&c, FIX "full.cfg");
    assert_int_equal(c.n_experiments, 2);
    const we_experiment_cfg *e0 = &c.experiments[0], *e1 = &c.experiments[1];
    assert_string_equal(e0->plugin, "bewonersparticipatie");
    assert_int_equal(e0->n_targets, 0);
    assert_null(e0->targets);
    assert_null(e0->settings);
    assert_int_equal(e0->line, 23);
    assert_string_equal(e1->plugin, "samenhang");
    assert_int_equal(e1->line, 24);
    assert_int_equal(e1->n_targets, 2);
    assert_string_equal(e1->targets[0].name, "sociale_cohesie_score");
    assert_int_equal(e1->targets[0].role, WE_ROLE_PRIMARY);
    assert_string_equal(e1->targets[1].name, "eenzaamheid_pct");
    assert_int_equal(e1->targets[1].role, WE_ROLE_SECONDARY);
    assert_non_null(e1->settings);
    const char *items = NULL;
    assert_int_equal(config_setting_lookup_string(e1->settings, "items",
                                                  &items), CONFIG_TRUE);
    assert_string_equal(items, "sociale_cohesie_score,actief_voor_buurt_pct");
    we_config_free(&c);
}

/* The fingerprint is of the file's bytes, not of its name or its values. */
static void test_full_sha256(void **state)
{
    (void)state;
    we_config c;
    load_ok(&c, FIX "full.cfg");
    FILE *f = fopen(FIX "full.cfg", "rb");
    assert_non_null(f);
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    assert_true(n > 0 && n < sizeof buf);
    char want[65];
    we_sha256_buf_hex(buf, n, want);
    assert_string_equal(c.config_sha256, want);
    we_config_free(&c);
}

static void test_defaults(void **state)
{
    (void)state;
    we_config c;
    load_ok(&c, FIX "minimal.cfg");
    assert_string_equal(c.title, "minimal");
    assert_int_equal(c.comparison, WE_COMPARISON_UNTREATED);
    assert_int_equal(c.n_comparison_areas, 0);
    assert_int_equal(c.gap_reference, WE_GAP_MUNICIPALITY);
    assert_int_equal(c.gap_weighted, 1);
    assert_true(c.alpha == 0.05);
    assert_true(c.seed == 1);
    assert_int_equal(c.cluster, WE_CLUSTER_MUNICIPALITY);
    assert_string_equal(c.output_dir, FIX "out");
    assert_int_equal(c.formats, WE_FORMAT_JSON | WE_FORMAT_CSV |
                                    WE_FORMAT_MD | WE_FORMAT_HTML);
    assert_int_equal(c.n_plugin_dirs, 0);
    assert_null(c.treatment_path);
    assert_int_equal(c.n_treated, 1);
    assert_string_equal(c.treated[0].wave, "");
    assert_int_equal(c.treated[0].from, 2008);
    assert_int_equal(c.treated[0].line, 6);
    assert_string_equal(c.treated[0].source, FIX "minimal.cfg");
    assert_int_equal(c.experiments[0].n_targets, 0);
    assert_null(c.experiments[0].settings);
    assert_int_equal(c.inference.method, WE_INFER_AUTO);
    assert_int_equal(c.inference.boot_reps, 9999);
    assert_int_equal(c.inference.boot_weights, 0);
    assert_int_equal(c.inference.perm_reps, 999);
    assert_int_equal(c.inference.perm_strata, 1);
    assert_int_equal(c.inference.event_min, -4);
    assert_int_equal(c.inference.event_max, 3);
    assert_int_equal(c.inference.event_boot_reps, 999);
    assert_int_equal(c.inference.adjust, WE_ADJUST_HOLM);
    assert_true(c.inference.power == 0.8);
    assert_int_equal(c.inference.mde_sims, 200);
    assert_int_equal(c.baseline_line, 4);
    assert_int_equal(c.followup_line, 5);
    we_config_free(&c);
}

static void test_inference_settings(void **state)
{
    (void)state;
    we_config c;
    load_ok(&c, FIX "inference_full.cfg");
    assert_true(c.alpha == 0.1);
    assert_true(c.seed == 7);
    assert_int_equal(c.cluster, WE_CLUSTER_AREA);
    assert_int_equal(c.inference.method, WE_INFER_WILD);
    assert_int_equal(c.inference.boot_reps, 1999);
    assert_int_equal(c.inference.boot_weights, 1);
    assert_int_equal(c.inference.perm_reps, 0);
    assert_int_equal(c.inference.perm_strata, 0);
    assert_int_equal(c.inference.event_min, -3);
    assert_int_equal(c.inference.event_max, 2);
    assert_int_equal(c.inference.event_boot_reps, 99);
    assert_int_equal(c.inference.adjust, WE_ADJUST_BH);
    assert_true(c.inference.power == 0.9);
    assert_int_equal(c.inference.mde_sims, 50);
    we_config_free(&c);
}

static void test_designs_and_language(void **state)
{
    (void)state;
    we_config c;
    load_ok(&c, FIX "design.cfg");
    assert_string_equal(c.language, "nl");
    const we_experiment_cfg *a = &c.experiments[0], *b = &c.experiments[1];
    assert_int_equal(a->design, WE_DESIGN_CHOICE_SDID);
    assert_true(a->matching.enabled);
    assert_true(a->matching.propensity);
    assert_int_equal(a->matching.k, 2);
    assert_false(a->matching.replace);
    assert_true(a->matching.same_municipality);
    assert_int_equal(a->matching.n_covariates, 2);
    assert_string_equal(a->matching.covariates[1], "corporatiewoningen_pct");
    assert_int_equal(b->design, WE_DESIGN_CHOICE_CS);
    assert_false(b->matching.enabled);
    we_config_free(&c);
    load_ok(&c, FIX "minimal.cfg");
    assert_string_equal(c.language, "en");
    assert_int_equal(c.experiments[0].design, WE_DESIGN_CHOICE_AUTO);
    assert_int_equal(c.experiments[0].matching.k, 3);
    assert_true(c.experiments[0].matching.replace);
    we_config_free(&c);
}

static void test_isolation(void **state)
{
    (void)state;
    we_config c;
    load_ok(&c, FIX "minimal.cfg");
    assert_true(c.isolation.enabled);
    assert_true(c.isolation.time_limit == 300);
    assert_int_equal(c.isolation.memory_limit_mb, 4096);
    assert_true(c.experiments[0].time_limit == 300);
    assert_int_equal(c.experiments[0].memory_limit_mb, 4096);
    we_config_free(&c);
    load_ok(&c, FIX "isolation.cfg");
    assert_false(c.isolation.enabled);
    assert_true(c.isolation.time_limit == 2.5);
    assert_int_equal(c.isolation.memory_limit_mb, 256);
    /* An experiment inherits the group's limits unless it sets its own;
     * 0 turns a limit off. */
    assert_true(c.experiments[0].time_limit == 2.5);
    assert_int_equal(c.experiments[0].memory_limit_mb, 256);
    assert_true(c.experiments[1].time_limit == 0);
    assert_int_equal(c.experiments[1].memory_limit_mb, 1024);
    assert_true(c.experiments[2].time_limit == 600);
    assert_int_equal(c.experiments[2].memory_limit_mb, 0);
    we_config_free(&c);
}

static void test_list_comparison_and_int64_seed(void **state)
{
    (void)state;
    we_config c;
    load_ok(&c, FIX "list.cfg");
    assert_string_equal(c.name, "list-run.2");
    assert_int_equal(c.n_followup, 2);
    assert_int_equal(c.followup[1], 2010);
    assert_true(c.seed == UINT64_C(9007199254740993));
    assert_true(c.alpha == 0.5);
    assert_int_equal(c.comparison, WE_COMPARISON_LIST);
    assert_int_equal(c.n_comparison_areas, 2);
    assert_string_equal(c.comparison_areas[0], "WK036399");
    assert_string_equal(c.comparison_areas[1], "WK036398");
    assert_int_equal(c.n_treated, 2);
    assert_string_equal(c.treated[1].area, "WK036302");
    assert_int_equal(c.treated[1].from, 2009);
    assert_string_equal(c.treated[1].wave, "");
    assert_int_equal(c.treated[1].line, 3);
    /* An empty settings group is kept and passes any declaration. */
    we_error err = {{0}};
    assert_non_null(c.experiments[0].settings);
    assert_int_equal(we_config_check_settings(&c, c.experiments[0].settings,
                                              NULL, 0, "gezonde_wijk",
                                              &err), 0);
    we_config_free(&c);
}

/* A config in the working directory: paths stay as written. */
static void test_config_in_cwd(void **state)
{
    (void)state;
    char old[4096];
    assert_non_null(getcwd(old, sizeof old));
    assert_int_equal(chdir(FIX), 0);
    we_config c;
    we_error err = {{0}};
    int rc = we_config_load(&c, "minimal.cfg", &err);
    assert_int_equal(chdir(old), 0);
    if (rc != 0)
        fail_msg("%s", err.msg);
    assert_string_equal(c.dir, ".");
    assert_string_equal(c.areas_path, "a.csv");
    assert_string_equal(c.output_dir, "out");
    we_config_free(&c);
}

/* A config outside the tree, written here, with a known digest. */
static const char TMP_CFG[] =
    "name = \"tmp\";\n"
    "data = { areas = \"/d/a.csv\"; indicators = \"/d/i.csv\";\n"
    "         catalog = \"/d/c.csv\"; };\n"
    "baseline = 2007; followup = [2008];\n"
    "treatment = { waves = ( { label = \"w\"; from = 2008;\n"
    "                          areas = [\"WK036301\"]; } ); };\n"
    "output = { dir = \"reports\"; };\n"
    "experiments = ( { plugin = \"samenhang\"; } );\n";
/* sha256sum of TMP_CFG */
static const char TMP_SHA[] =
    "9433752ccd33d1e936e880445d508a9184d33efbc609b318abbfe1d1b90bdd9a";

static void test_tmp_dir_and_digest(void **state)
{
    (void)state;
    const char *base = getenv("TMPDIR");
    char dir[4096], path[4200], want_out[4200];
    snprintf(dir, sizeof dir, "%s/we_config_XXXXXX",
             base != NULL && base[0] != '\0' ? base : "/tmp");
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/run.cfg", dir);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(TMP_CFG, 1, sizeof TMP_CFG - 1, f),
                     sizeof TMP_CFG - 1);
    assert_int_equal(fclose(f), 0);
    we_config c;
    we_error err = {{0}};
    int rc = we_config_load(&c, path, &err);
    remove(path);
    rmdir(dir);
    if (rc != 0)
        fail_msg("%s", err.msg);
    assert_string_equal(c.dir, dir);
    assert_string_equal(c.areas_path, "/d/a.csv");
    snprintf(want_out, sizeof want_out, "%s/reports", dir);
    assert_string_equal(c.output_dir, want_out);
    assert_string_equal(c.config_sha256, TMP_SHA);
    we_config_free(&c);
}

/* ---- what libconfig would get wrong, refused from the text ------------ */

/* Loads TMP_CFG with `extra` appended from a fresh directory; returns the
 * rc, the message in err. dir receives the directory (removed by the
 * caller with cleanup_dir). */
static int load_with_extra(const char *extra, char *dir, size_t cap,
                           we_error *err)
{
    snprintf(dir, cap, "/tmp/we_config_XXXXXX");
    assert_non_null(mkdtemp(dir));
    char path[600];
    snprintf(path, sizeof path, "%s/run.cfg", dir);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(TMP_CFG, f);
    fputs(extra, f);
    assert_int_equal(fclose(f), 0);
    we_config c;
    int rc = we_config_load(&c, path, err);
    if (rc == 0)
        we_config_free(&c);
    unlink(path);
    return rc;
}

/* libconfig 1.5 reads 4294967395 (2^32 + 99) without the L suffix as 99;
 * the loader refuses it with the value as written. */
static void test_int_beyond_32_bits(void **state)
{
    (void)state;
    char dir[64];
    we_error err = {{0}};
    assert_int_equal(load_with_extra("inference = { bootstrap = {\n"
                                     "  reps = 4294967395; }; };\n",
                                     dir, sizeof dir, &err), -1);
    rmdir(dir);
    assert_contains(err.msg, "run.cfg:10: the integer 4294967395 needs "
                             "more than 32 bits");
    assert_contains(err.msg, "write 4294967395L");
    assert_int_equal(load_with_extra("inference = { seed = -99999999999; };\n",
                                     dir, sizeof dir, &err), -1);
    rmdir(dir);
    assert_contains(err.msg, "run.cfg:9: the integer -99999999999");
    assert_int_equal(load_with_extra("inference = { seed = 0x100000001; };\n",
                                     dir, sizeof dir, &err), -1);
    rmdir(dir);
    assert_contains(err.msg, "the integer 0x100000001 needs");
    /* With L, in a string or a comment, and as a float: fine. */
    assert_int_equal(load_with_extra("inference = { seed = 4294967395L; };\n"
                                     "# reps = 4294967395;\n"
                                     "/* 99999999999 */ title = "
                                     "\"run 99999999999\";\n"
                                     "isolation = { time_limit = "
                                     "1.5e3; };\n",
                                     dir, sizeof dir, &err), 0);
    rmdir(dir);
}

/* A config from text, kept loaded: 0 or -1 with err set. */
static int load_text(const char *text, we_config *c, we_error *err)
{
    char dir[64], path[600];
    snprintf(dir, sizeof dir, "/tmp/we_config_XXXXXX");
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/run.cfg", dir);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
    int rc = we_config_load(c, path, err);
    unlink(path);
    rmdir(dir);
    return rc;
}

#define SMALL_BASE                                                            \
    "name = \"tmp\";\n"                                                       \
    "data = { areas = \"/d/a.csv\"; indicators = \"/d/i.csv\";\n"             \
    "         catalog = \"/d/c.csv\"; };\n"                                   \
    "baseline = 2007; followup = [2008];\n"                                   \
    "treatment = { waves = ( { label = \"w\"; from = 2008;\n"                 \
    "                          areas = [\"WK036301\"]; } ); };\n"

/* The verdict settings: report.min_evidence_level (default 2),
 * report.smallest_effect per indicator, smallest_effect per experiment
 * (docs/config.md). */
static void test_verdict_settings(void **state)
{
    (void)state;
    we_config c;
    we_error err = {{0}};
    if (load_text(SMALL_BASE
                  "experiments = ( { plugin = \"samenhang\"; },\n"
                  "  { plugin = \"bureaucratie\"; smallest_effect = 2; } );\n"
                  "report = { min_evidence_level = 3;\n"
                  "  smallest_effect = { doorlooptijd_dagen = 1.5;\n"
                  "                      cohesie = 0.25; }; };\n",
                  &c, &err) != 0)
        fail_msg("%s", err.msg);
    assert_int_equal(c.min_evidence_level, 3);
    assert_int_equal(c.n_smallest, 2);
    assert_string_equal(c.smallest[0].indicator, "doorlooptijd_dagen");
    assert_true(c.smallest[0].value == 1.5);
    assert_int_equal(c.smallest[0].line, 10);
    assert_string_equal(c.smallest[1].indicator, "cohesie");
    assert_true(c.smallest[1].value == 0.25);
    assert_true(c.experiments[0].smallest_effect == 0); /* not set */
    assert_true(c.experiments[1].smallest_effect == 2);
    we_config_free(&c);
    /* Defaults. */
    assert_int_equal(load_text(SMALL_BASE "experiments = ( { plugin = "
                                          "\"samenhang\"; } );\n",
                               &c, &err),
                     0);
    assert_int_equal(c.min_evidence_level, 2);
    assert_int_equal(c.n_smallest, 0);
    we_config_free(&c);
    /* Errors name the line and what to do. */
    static const struct {
        const char *extra, *want;
    } bad[] = {
        {"report = { min_evidence_level = 6; };\n",
         "run.cfg:8: 'report.min_evidence_level' = 6 is out of range"},
        {"report = { smallest_effect = { x = 0; }; };\n",
         "run.cfg:8: 'report.smallest_effect.x' = 0: a smallest effect of "
         "interest must be a positive number"},
        {"report = { smallest_effect = { x = \"2\"; }; };\n",
         "run.cfg:8: 'report.smallest_effect.x' must be a number"},
        {"report = { smallest_effect = [1.0]; };\n",
         "run.cfg:8: 'report.smallest_effect' must be"},
        {"report = { smallest = 1.0; };\n", "unknown key 'smallest'"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char text[1024];
        snprintf(text, sizeof text, "%s%s%s", SMALL_BASE,
                 "experiments = ( { plugin = \"samenhang\"; } );\n",
                 bad[i].extra);
        assert_int_equal(load_text(text, &c, &err), -1);
        assert_contains(err.msg, bad[i].want);
    }
    assert_int_equal(load_text(SMALL_BASE
                               "experiments = ( { plugin = "
                               "\"samenhang\"; smallest_effect = -1; } );\n",
                               &c, &err),
                     -1);
    assert_contains(err.msg, "run.cfg:7: 'experiments[1].smallest_effect' "
                             "= -1 is out of range");
}

/* @include is refused before libconfig runs, so the included file is
 * never opened: here a FIFO, which would block an open() for ever. */
static void test_include_never_opened(void **state)
{
    (void)state;
    char dir[64], fifo[128], path[128];
    snprintf(dir, sizeof dir, "/tmp/we_config_XXXXXX");
    assert_non_null(mkdtemp(dir));
    snprintf(fifo, sizeof fifo, "%s/part.cfg", dir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    snprintf(path, sizeof path, "%s/run.cfg", dir);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(TMP_CFG, f);
    fprintf(f, "  @include \"%s\"\n", fifo);
    assert_int_equal(fclose(f), 0);
    we_config c;
    we_error err = {{0}};
    assert_int_equal(we_config_load(&c, path, &err), -1);
    assert_contains(err.msg, "run.cfg:9: @include");
    assert_contains(err.msg, "is not supported (the file is not opened)");
    unlink(path);
    unlink(fifo);
    rmdir(dir);
}

/* A directory, a device or a FIFO as the config: refused by name. */
static void test_config_not_a_file(void **state)
{
    (void)state;
    we_config c;
    we_error err = {{0}};
    assert_int_equal(we_config_load(&c, "tests/fixtures/configs", &err), -1);
    assert_contains(err.msg, "tests/fixtures/configs: is a directory, not a "
                             "regular file");
    assert_contains(err.msg, "the config file itself");
    assert_int_equal(we_config_load(&c, "/dev/zero", &err), -1);
    assert_contains(err.msg, "/dev/zero: is a character device");
}

/* ---- errors ---------------------------------------------------------- */

typedef struct error_case {
    const char *fixture;
    const char *prefix; /* "file:line: " (or "file: " when no line) */
    const char *parts[4];
} error_case;

static const error_case ERRORS[] = {
    {"err_unknown_top.cfg", FIX "err_unknown_top.cfg:7: ",
     {"unknown key 'experimnets' at the top level",
      "known keys are: name, title, title_nl, data, baseline, followup, treatment, "
      "comparison, gap, inference, output, plugin_dirs, experiments"}},
    {"err_unknown_nested.cfg", FIX "err_unknown_nested.cfg:9: ",
     {"unknown key 'foo' in group 'inference'; known keys are: alpha, "
      "seed, cluster"}},
    {"err_unknown_experiment.cfg", FIX "err_unknown_experiment.cfg:10: ",
     {"unknown key 'setting' in group 'experiments[2]'",
      "known keys are: plugin, indicators, settings"}},
    {"err_unknown_wave.cfg", FIX "err_unknown_wave.cfg:8: ",
     {"unknown key 'start' in group 'treatment.waves[2]'",
      "known keys are: label, from, areas"}},
    {"err_include.cfg", FIX "err_include.cfg:8: ",
     {"@include \"err_include_part.cfg\" is not supported",
      "config_sha256"}},
    {"err_wrong_type.cfg", FIX "err_wrong_type.cfg:4: ",
     {"'baseline' must be an integer, not a string"}},
    {"err_wrong_type_group.cfg", FIX "err_wrong_type_group.cfg:7: ",
     {"'gap' must be a group", "not a string"}},
    {"err_bad_enum.cfg", FIX "err_bad_enum.cfg:8: ",
     {"bad value \"neighbours\" for 'comparison.type'",
      "allowed values are: \"untreated\", \"same_municipality\", "
      "\"list\""}},
    {"err_format.cfg", FIX "err_format.cfg:8: ",
     {"bad value \"pdf\" for 'output.formats[2]'",
      "\"json\", \"csv\", \"md\", \"html\""}},
    {"err_missing_key.cfg", FIX "err_missing_key.cfg:3: ",
     {"missing required key 'catalog' in group 'data'"}},
    {"err_missing_top.cfg", FIX "err_missing_top.cfg: ",
     {"missing required key 'experiments' at the top level"}},
    {"err_empty_experiments.cfg", FIX "err_empty_experiments.cfg:7: ",
     {"'experiments' is empty", "at least one experiment"}},
    {"err_dup_area_file.cfg", FIX "treatment_dup.csv:5: ",
     {"area 'WK036302' is treated twice",
      "also at " FIX "treatment_dup.csv:3"}},
    {"err_dup_area_wave.cfg", FIX "err_dup_area_wave.cfg:10: ",
     {"area 'WK036302' is treated twice",
      "also at " FIX "treatment.csv:3"}},
    {"err_dup_plugin.cfg", FIX "err_dup_plugin.cfg:10: ",
     {"plugin 'samenhang' is listed twice", "first at line 8"}},
    {"err_plugin_path.cfg", FIX "err_plugin_path.cfg:8: ",
     {"plugin id \"../evil/x\" is not valid", "not paths", "a-z, 0-9"}},
    {"err_parse.cfg", FIX "err_parse.cfg:3: ", {"syntax error"}},
    {"err_treatment_row.cfg", FIX "treatment_badrow.csv:3:10: ",
     {"'from' value \"2008.5\" is not an integer period"}},
    {"err_treatment_header.cfg", FIX "treatment_badheader.csv:1:6: ",
     {"unknown column 'start'", "area,from,wave"}},
    {"err_treatment_missing.cfg", FIX "err_treatment_missing.cfg:7: ",
     {"cannot read treatment.file", FIX "no_such_treatment.csv",
      "No such file"}},
    {"err_no_treated.cfg", FIX "err_no_treated.cfg:6: ",
     {"no treated areas"}},
    {"err_alpha.cfg", FIX "err_alpha.cfg:7: ",
     {"'inference.alpha' = 0.6 is out of range", "(0, 0.5]"}},
    {"err_seed.cfg", FIX "err_seed.cfg:7: ",
     {"'inference.seed' = -3 is negative"}},
    {"err_followup_order.cfg", FIX "err_followup_order.cfg:7: ",
     {"'followup[3]' = 2009 does not come after 'followup[2]' = 2010"}},
    {"err_baseline_after.cfg", FIX "err_baseline_after.cfg:5: ",
     {"follow-up period 2008 is not after the baseline 2008"}},
    {"err_name.cfg", FIX "err_name.cfg:2: ",
     {"run name \"demo run\" is not valid"}},
    {"err_name_dotdot.cfg", FIX "err_name_dotdot.cfg:2: ",
     {"run name \"..\" is not valid"}},
    {"err_two_primary.cfg", FIX "err_two_primary.cfg:9: ",
     {"plugin 'samenhang' has 2 primary indicators"}},
    {"err_comparison_treated.cfg", FIX "err_comparison_treated.cfg:9: ",
     {"comparison area 'WK036301' is also treated",
      "at " FIX "err_comparison_treated.cfg:6"}},
    {"err_comparison_areas.cfg", FIX "err_comparison_areas.cfg:8: ",
     {"'comparison.areas' is only used with type = \"list\""}},
    {"err_treatment_fields.cfg", FIX "treatment_fields.csv:4: ",
     {"expected 3 fields (as in the header), found 2",
      "add the missing fields"}},
    {"err_wave_area_type.cfg", FIX "err_wave_area_type.cfg:7: ",
     {"'treatment.waves[1].areas[1]' must be a string, not an integer"}},
    {"err_role.cfg", FIX "err_role.cfg:9: ",
     {"bad value \"main\" for 'experiments[1].indicators[1].role'",
      "\"primary\", \"secondary\""}},
    {"err_settings_type.cfg", FIX "err_settings_type.cfg:8: ",
     {"'experiments[1].settings' must be a group { ... }, not an integer"}},
    {"err_comparison_dup.cfg", FIX "err_comparison_dup.cfg:9: ",
     {"comparison area 'WK036399' is listed twice"}},
    {"err_infer_method.cfg", FIX "err_infer_method.cfg:7: ",
     {"bad value \"bayes\"", "\"auto\", \"cr1\", \"wild\""}},
    {"err_boot_reps.cfg", FIX "err_boot_reps.cfg:7: ",
     {"'inference.bootstrap.reps' = 10 is out of range", "99 and"}},
    {"err_boot_key.cfg", FIX "err_boot_key.cfg:7: ",
     {"unknown key 'draws'", "reps, weights"}},
    {"err_event_min.cfg", FIX "err_event_min.cfg:7: ",
     {"'inference.event_study.min' = -1 is out of range", "lead"}},
    {"err_power.cfg", FIX "err_power.cfg:7: ",
     {"'inference.power' = 1.5 is out of range"}},
    {"err_design.cfg", FIX "err_design.cfg:7: ",
     {"bad value \"rdd\"", "\"twfe\", \"cs\", \"sc\", \"sdid\""}},
    {"err_matching_unused.cfg", FIX "err_matching_unused.cfg:7: ",
     {"'matching' is only used with comparison = \"matched\""}},
    {"err_language.cfg", FIX "err_language.cfg:7: ",
     {"bad value \"fr\"", "\"en\", \"nl\""}},
    {"err_isolation_key.cfg", FIX "err_isolation_key.cfg:7: ",
     {"unknown key 'enable' in group 'isolation'",
      "known keys are: enabled, time_limit, memory_limit_mb"}},
    {"err_isolation_enabled.cfg", FIX "err_isolation_enabled.cfg:7: ",
     {"'isolation.enabled' must be a boolean (true or false), not an "
      "integer"}},
    {"err_time_limit.cfg", FIX "err_time_limit.cfg:7: ",
     {"'isolation.time_limit' = -1 is out of range",
      "seconds up to 604800, or 0 for no limit"}},
    {"err_time_limit_type.cfg", FIX "err_time_limit_type.cfg:7: ",
     {"'isolation.time_limit' must be a number of seconds, not a string"}},
    {"err_memory_limit.cfg", FIX "err_memory_limit.cfg:8: ",
     {"'experiments[2].memory_limit_mb' = 10 is out of range",
      "megabytes from 64 to 16777216, or 0 for no limit"}},
    {"no_such_config.cfg", FIX "no_such_config.cfg: ",
     {"cannot read the config file", "No such file"}},
};

static void test_error_case(void **state)
{
    const error_case *ec = *state;
    char path[512];
    snprintf(path, sizeof path, FIX "%s", ec->fixture);
    we_config c;
    we_error err = {{0}};
    assert_int_equal(we_config_load(&c, path, &err), -1);
    assert_starts(err.msg, ec->prefix);
    for (size_t i = 0; i < 4 && ec->parts[i] != NULL; i++)
        assert_contains(err.msg, ec->parts[i]);
    /* A failed load leaves nothing to free, and freeing is harmless. */
    assert_null(c.name);
    assert_int_equal(c.n_treated, 0);
    we_config_free(&c);
}

static void test_free_zeroed_and_twice(void **state)
{
    (void)state;
    we_config c;
    memset(&c, 0, sizeof c);
    we_config_free(&c);
    we_config_free(NULL);
    load_ok(&c, FIX "minimal.cfg");
    we_config_free(&c);
    assert_null(c.path);
    we_config_free(&c);
}

/* ---- plugin settings ------------------------------------------------- */

static void load_settings(we_config *c, const config_setting_t **s)
{
    load_ok(c, FIX "settings.cfg");
    *s = c->experiments[0].settings;
    assert_non_null(*s);
}

static void test_settings_good(void **state)
{
    (void)state;
    static const we_setting_spec spec[] = {
        {"n_items", WE_SETTING_INT, "items"},
        {"big", WE_SETTING_INT, "an int64 value"},
        {"threshold", WE_SETTING_DOUBLE, "an int where a double is due"},
        {"share", WE_SETTING_DOUBLE, "a float"},
        {"strict", WE_SETTING_BOOL, "a bool"},
        {"label", WE_SETTING_STRING, "a string"},
        {"unused", WE_SETTING_STRING, "declared, not given"},
    };
    we_config c;
    const config_setting_t *s;
    we_error err = {{0}};
    load_settings(&c, &s);
    if (we_config_check_settings(&c, s, spec, 7, "slagkracht", &err) != 0)
        fail_msg("%s", err.msg);
    assert_int_equal(we_config_check_settings(&c, NULL, spec, 7,
                                              "slagkracht", &err), 0);
    we_config_free(&c);
}

static void test_settings_unknown_key(void **state)
{
    (void)state;
    static const we_setting_spec spec[] = {
        {"n_items", WE_SETTING_INT, ""},
        {"threshold", WE_SETTING_DOUBLE, ""},
        {"share", WE_SETTING_DOUBLE, ""},
        {"strict", WE_SETTING_BOOL, ""},
        {"label", WE_SETTING_STRING, ""},
    };
    we_config c;
    const config_setting_t *s;
    we_error err = {{0}};
    load_settings(&c, &s);
    assert_int_equal(we_config_check_settings(&c, s, spec, 5, "slagkracht",
                                              &err), -1);
    assert_starts(err.msg, FIX "settings.cfg:11: ");
    assert_contains(err.msg, "plugin 'slagkracht' has no setting 'big'");
    assert_contains(err.msg,
                    "its settings are: n_items, threshold, share, strict, "
                    "label");
    assert_int_equal(we_config_check_settings(&c, s, NULL, 0, "slagkracht",
                                              &err), -1);
    assert_starts(err.msg, FIX "settings.cfg:10: ");
    assert_contains(err.msg, "declares no settings");
    we_config_free(&c);
}

static void expect_type_error(const we_config *c, const config_setting_t *s,
                              const char *key, we_setting_type type,
                              const char *prefix, const char *part)
{
    we_setting_spec spec[] = {
        {"n_items", WE_SETTING_INT, ""},  {"big", WE_SETTING_INT, ""},
        {"threshold", WE_SETTING_DOUBLE, ""},
        {"share", WE_SETTING_DOUBLE, ""}, {"strict", WE_SETTING_BOOL, ""},
        {"label", WE_SETTING_STRING, ""},
    };
    for (size_t i = 0; i < 6; i++) {
        if (strcmp(spec[i].name, key) == 0)
            spec[i].type = type;
    }
    we_error err = {{0}};
    assert_int_equal(we_config_check_settings(c, s, spec, 6, "slagkracht",
                                              &err), -1);
    assert_starts(err.msg, prefix);
    assert_contains(err.msg, part);
}

static void test_settings_wrong_type(void **state)
{
    (void)state;
    we_config c;
    const config_setting_t *s;
    load_settings(&c, &s);
    expect_type_error(&c, s, "label", WE_SETTING_INT,
                      FIX "settings.cfg:15: ",
                      "setting 'label' of plugin 'slagkracht' must be an "
                      "integer, not a string");
    expect_type_error(&c, s, "share", WE_SETTING_INT,
                      FIX "settings.cfg:13: ",
                      "'share' of plugin 'slagkracht' must be an integer, "
                      "not a floating-point number");
    expect_type_error(&c, s, "strict", WE_SETTING_STRING,
                      FIX "settings.cfg:14: ",
                      "must be a string, not a boolean");
    expect_type_error(&c, s, "n_items", WE_SETTING_BOOL,
                      FIX "settings.cfg:10: ",
                      "must be a boolean (true or false), not an integer");
    we_config_free(&c);
}

int main(void)
{
    static const struct CMUnitTest fixed[] = {
        cmocka_unit_test(test_full_example),
        cmocka_unit_test(test_full_treated),
        cmocka_unit_test(test_full_experiments),
        cmocka_unit_test(test_full_sha256),
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_inference_settings),
        cmocka_unit_test(test_designs_and_language),
        cmocka_unit_test(test_verdict_settings),
        cmocka_unit_test(test_isolation),
        cmocka_unit_test(test_list_comparison_and_int64_seed),
        cmocka_unit_test(test_int_beyond_32_bits),
        cmocka_unit_test(test_include_never_opened),
        cmocka_unit_test(test_config_not_a_file),
        cmocka_unit_test(test_config_in_cwd),
        cmocka_unit_test(test_tmp_dir_and_digest),
        cmocka_unit_test(test_free_zeroed_and_twice),
        cmocka_unit_test(test_settings_good),
        cmocka_unit_test(test_settings_unknown_key),
        cmocka_unit_test(test_settings_wrong_type),
    };
    enum { N_FIXED = sizeof fixed / sizeof fixed[0],
           N_ERRORS = sizeof ERRORS / sizeof ERRORS[0] };
    /* One named test per error fixture, so a failure names the file. */
    static struct CMUnitTest tests[N_FIXED + N_ERRORS];
    memcpy(tests, fixed, sizeof fixed);
    for (size_t i = 0; i < N_ERRORS; i++)
        tests[N_FIXED + i] = (struct CMUnitTest){
            ERRORS[i].fixture, test_error_case, NULL, NULL,
            (void *)&ERRORS[i]};
    return _cmocka_run_group_tests("config", tests, N_FIXED + N_ERRORS,
                                   NULL, NULL);
}
