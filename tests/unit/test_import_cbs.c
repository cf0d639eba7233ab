/* The CBS importer: the raw StatLine form (';', quotes, padded codes,
 * decimal commas, '.' for secret values, BOM, CRLF), the mapping and its
 * errors, code changes between years, and the output as the panel loader
 * reads it. Each test writes its files into a fresh directory. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "data/panel.h"
#include "import/cbs.h"

#define assert_contains(hay, needle)                                        \
    do {                                                                    \
        if (strstr((hay), (needle)) == NULL) {                              \
            print_error("expected \"%s\" in: %s\n", (needle), (hay));       \
            fail();                                                         \
        }                                                                   \
    } while (0)

static const char catalog[] =
    "indicator,label_nl,label_en,unit,direction,theme,source\n"
    "inwoners,Inwoners,Population,count,higher_is_better,wonen,KWB\n"
    "woz,WOZ,WOZ,eur,higher_is_better,wonen,KWB\n"
    "corp_pct,Corporatie,Corporation,pct,lower_is_better,wonen,KWB\n"
    "oud_pct,65+,65+,pct,lower_is_better,welzijn,KWB\n";

/* A raw StatLine download: BOM, CRLF, ';', every field quoted, codes and
 * names padded, decimal commas, '.' (also padded) for secret values, a
 * name holding ';' and '"', and a country row to skip. */
static const char raw[] =
    "\xef\xbb\xbf"
    "\"ID\";\"WijkenEnBuurten\";\"Naam\";\"AantalInwoners_5\";"
    "\"GemiddeldeWoningwaarde_35\";\"InBezitWoningcorporatie_42\";"
    "\"k_65JaarOfOuder_12\"\r\n"
    "\"0\";\"NL00      \";\"Nederland   \";\"17282163\";\"230\";\"29\";"
    "\"3300000\"\r\n"
    "\"1\";\"GM0363    \";\"Amsterdam   \";\"862965\";\"408,2\";\"42,5\";"
    "\"107980\"\r\n"
    "\"2\";\"WK036301  \";\"Noord; \"\"Oost\"\"\";\"2800\";\"   .   \";"
    "\".\";\"400\"\r\n"
    "\"3\";\"BU03630101\";\"Kop   \";\"0\";\"512,25\";\"\";\"0\"\r\n";

typedef struct env {
    char dir[64];
    char path[32][128]; /* a ring: tests only use their last few */
    size_t n;
    we_error err;
} env;

static int setup(void **state)
{
    env *e = calloc(1, sizeof *e);
    assert_non_null(e);
    strcpy(e->dir, "/tmp/wijkeval_import_XXXXXX");
    assert_non_null(mkdtemp(e->dir));
    *state = e;
    return 0;
}

static int teardown(void **state)
{
    env *e = *state;
    DIR *d = opendir(e->dir);
    struct dirent *ent;
    while (d != NULL && (ent = readdir(d)) != NULL) {
        char p[400];
        if (strcmp(ent->d_name, ".") == 0 || strcmp(ent->d_name, "..") == 0)
            continue;
        snprintf(p, sizeof p, "%s/%s", e->dir, ent->d_name);
        unlink(p);
    }
    if (d != NULL)
        closedir(d);
    rmdir(e->dir);
    free(e);
    return 0;
}

/* The path of `name` in the test directory (kept until teardown). */
static const char *at(env *e, const char *name)
{
    char buf[sizeof e->path[0]];
    snprintf(buf, sizeof buf, "%s/%s", e->dir, name);
    char *p = e->path[e->n++ % 32];
    memcpy(p, buf, sizeof buf);
    return p;
}

static const char *put(env *e, const char *name, const char *text)
{
    const char *p = at(e, name);
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return p;
}

static we_cbs_options options(env *e, const char *input, const char *map)
{
    we_cbs_options o = { .input = put(e, "in.csv", input),
                         .mapping = put(e, "map.csv", map),
                         .catalog = put(e, "catalog.csv", catalog),
                         .period = 2019 };
    return o;
}

static void read_ok(env *e, we_cbs_data *d, const we_cbs_options *o)
{
    if (we_cbs_read(d, o, &e->err) != 0) {
        print_error("read failed: %s\n", e->err.msg);
        fail();
    }
}

static void read_fails(env *e, const we_cbs_options *o, const char *a,
                       const char *b)
{
    we_cbs_data d;
    assert_int_equal(we_cbs_read(&d, o, &e->err), -1);
    assert_int_equal(d.n_rows, 0);
    assert_null(d.rows);
    assert_contains(e->err.msg, a);
    if (b != NULL)
        assert_contains(e->err.msg, b);
}

static const char raw_map[] =
    "cbs_column,indicator,scale\n"
    "AantalInwoners,inwoners,\n"
    "GemiddeldeWoningwaarde,woz,1000\n"
    "InBezitWoningcorporatie_42,corp_pct,\n";

static void test_raw_download(void **state)
{
    env *e = *state;
    we_cbs_options o = options(e, raw, raw_map);
    o.name_column = "Naam";
    we_cbs_data d;
    read_ok(e, &d, &o);
    assert_int_equal(d.n_ind, 3);
    assert_int_equal(d.n_rows, 3);
    assert_int_equal(d.n_skipped, 1);
    assert_string_equal(d.skipped_code, "NL00");
    assert_int_equal(d.skipped_line, 2);
    assert_string_equal(d.rows[0].code, "GM0363");
    assert_string_equal(d.rows[0].name, "Amsterdam");
    assert_int_equal(d.rows[0].period, 2019);
    assert_int_equal(d.rows[0].line, 3);
    assert_true(d.rows[0].v[0] == 862965);
    assert_true(d.rows[0].v[1] == 408200); /* 408,2 x 1000 */
    assert_true(d.rows[0].v[2] == 42.5);
    assert_string_equal(d.rows[1].code, "WK036301");
    assert_string_equal(d.rows[1].name, "Noord; \"Oost\"");
    assert_true(d.rows[1].v[0] == 2800);
    assert_true(isnan(d.rows[1].v[1])); /* "   .   " */
    assert_true(isnan(d.rows[1].v[2])); /* "." */
    assert_string_equal(d.rows[2].code, "BU03630101");
    assert_true(d.rows[2].v[1] == 512250);
    assert_true(isnan(d.rows[2].v[2])); /* empty */
    assert_int_equal(we_cbs_missing(&d), 3);
    assert_int_equal(d.sum[0], 1); /* unit count */
    assert_int_equal(d.sum[1], 0);
    we_cbs_free(&d);
}

/* A ',' file has no decimal comma: "408,2" there is a quoted text. */
static void test_comma_file(void **state)
{
    env *e = *state;
    we_cbs_options o = options(e,
                               "code,AantalInwoners,GemiddeldeWoningwaarde\n"
                               "GM0363,862965,408.2\n"
                               "GM0599,651446,\"408,2\"\n",
                               "cbs_column,indicator\n"
                               "AantalInwoners,inwoners\n"
                               "GemiddeldeWoningwaarde,woz\n");
    read_fails(e, &o, "in.csv:3:15: '408,2' in column "
                      "'GemiddeldeWoningwaarde' (mapped on ",
               "map.csv:3) is not a number");
}

static void test_code_column(void **state)
{
    env *e = *state;
    static const char two[] = "a;Codering_3;WijkenEnBuurten;n\n"
                              "x;GM0363;WK036301;1\n";
    we_cbs_options o = options(e, two, "cbs_column,indicator\nn,inwoners\n");
    we_cbs_data d;
    read_ok(e, &d, &o); /* the first column with a code */
    assert_string_equal(d.rows[0].code, "GM0363");
    we_cbs_free(&d);
    o.code_column = "WijkenEnBuurten";
    read_ok(e, &d, &o);
    assert_string_equal(d.rows[0].code, "WK036301");
    we_cbs_free(&d);
    o.code_column = "Codering";
    read_ok(e, &d, &o); /* Codering matches Codering_3 */
    assert_string_equal(d.rows[0].code, "GM0363");
    we_cbs_free(&d);
    o.code_column = "Wijken";
    read_fails(e, &o, "--code-column: column 'Wijken' is not in",
               "close names: WijkenEnBuurten");
    o = options(e, "a;n\nx;1\n", "cbs_column,indicator\nn,inwoners\n");
    read_fails(e, &o, "in.csv:2: no column holds a CBS region code",
               "--code-column");
}

static void test_bad_rows(void **state)
{
    env *e = *state;
    static const char map[] = "cbs_column,indicator\nn,inwoners\n";
    we_cbs_options o = options(e, "code;n\nGM0363;1\nWK03630;2\n", map);
    read_fails(e, &o, "in.csv:3:1: region code 'WK03630' is not a CBS code",
               NULL);
    o = options(e, "code;n\n\"GM0363  \";1\nWK036301;2\nGM0363;3\n", map);
    read_fails(e, &o, "in.csv:4:1: region 'GM0363' appears twice for "
                      "period 2019 (first on line 2)", NULL);
    o = options(e, "code;n\nGM0363;1;2\n", map);
    read_fails(e, &o, "in.csv:2:10: expected 2 fields", NULL);
    o = options(e, "code;n\nGM0363;1\n;2\n", map);
    read_fails(e, &o, "in.csv:3:1: empty region code", NULL);
    o = options(e, "code;n\nNL00;1\n", map);
    read_fails(e, &o, "no gemeente, wijk or buurt rows", NULL);
    o = options(e, "code;n\nGM0363;12abc\n", map);
    read_fails(e, &o, "in.csv:2:8: '12abc' in column 'n'", NULL);
    o = options(e, "", map);
    read_fails(e, &o, "in.csv: the file is empty", NULL);
}

static void test_period_column(void **state)
{
    env *e = *state;
    static const char map[] = "cbs_column,indicator\nn,inwoners\n";
    we_cbs_options o = options(e, "Perioden;code;n\n2019JJ00;GM0363;1\n"
                                  "2018;GM0363;2\n", map);
    o.period = 0;
    o.period_column = "Perioden";
    we_cbs_data d;
    read_ok(e, &d, &o);
    assert_int_equal(d.n_rows, 2);
    assert_int_equal(d.rows[0].period, 2019);
    assert_int_equal(d.rows[1].period, 2018);
    we_cbs_free(&d);
    o = options(e, "Perioden;code;n\n2019KW01;GM0363;1\n", map);
    o.period = 0;
    o.period_column = "Perioden";
    read_fails(e, &o, "in.csv:2:1: period '2019KW01' in column 'Perioden' "
                      "is not a year", NULL);
    o.period = 2019; /* both */
    read_fails(e, &o, "either --period YEAR or --period-column NAME", NULL);
}

static void test_mapping_errors(void **state)
{
    env *e = *state;
    we_cbs_options o = options(e, raw, "cbs_column,indicator\n"
                                        "AantalInwoners,inwoners\n"
                                        "AantalInwonrs,woz\n");
    read_fails(e, &o, "map.csv:3:1: column 'AantalInwonrs' is not in ",
               "close names: AantalInwoners_5; fix the name");
    o = options(e, raw, "cbs_column,indicator\nAantalInwoners,inwonres\n");
    read_fails(e, &o, "map.csv:2:16: indicator 'inwonres' is not in the "
                      "catalogue ",
               "close names: inwoners");
    o = options(e, raw, "column,indicator\nAantalInwoners,inwoners\n");
    read_fails(e, &o, "map.csv:1: missing column 'cbs_column'",
               "cbs_column,indicator[,scale,denominator,aggregate]");
    o = options(e, raw, "cbs_column,indicator\nAantalInwoners,inwoners\n"
                        "k_65JaarOfOuder,inwoners\n");
    read_fails(e, &o, "map.csv:3:17: indicator 'inwoners' is mapped twice "
                      "(first on line 2)", NULL);
    o = options(e, raw, "cbs_column,indicator,scale\n"
                        "AantalInwoners,inwoners,0\n");
    read_fails(e, &o, "map.csv:2:25: scale '0' is not a non-zero number",
               NULL);
    o = options(e, raw, "cbs_column,indicator,aggregate\n"
                        "AantalInwoners,inwoners,median\n");
    read_fails(e, &o, "map.csv:2:25: aggregate 'median' is not known", NULL);
    o = options(e, raw, "cbs_column,indicator,denominator\n"
                        "k_65JaarOfOuder,oud_pct,Inwoners\n");
    read_fails(e, &o, "map.csv:2:25: column 'Inwoners' is not in ",
               "close names: AantalInwoners_5");
    o = options(e, raw, "cbs_column,indicator\n");
    read_fails(e, &o, "map.csv: no rows after the header", NULL);
    o = options(e, raw, "cbs_column,indicator\n,inwoners\n");
    read_fails(e, &o, "map.csv:2:1: empty CBS column name", NULL);
    o = options(e, "code;X_1;X_2\nGM0363;1;2\n",
                "cbs_column,indicator\nX,inwoners\n");
    read_fails(e, &o, "map.csv:2:1: column 'X' matches two columns of ",
               "'X_1' (column 6) and 'X_2' (column 10)");
}

static void test_scale_denominator(void **state)
{
    env *e = *state;
    we_cbs_options o = options(
        e, raw,
        "cbs_column,indicator,scale,denominator,aggregate\n"
        "k_65JaarOfOuder,oud_pct,100,AantalInwoners,\n"
        "AantalInwoners,corp_pct,,,sum\n");
    we_cbs_data d;
    read_ok(e, &d, &o);
    assert_true(fabs(d.rows[0].v[0] - 100.0 * 107980 / 862965) < 1e-12);
    assert_true(d.rows[1].v[0] == 100.0 * 400 / 2800);
    assert_true(isnan(d.rows[2].v[0])); /* 0 / 0 inhabitants */
    assert_int_equal(d.sum[0], 0);
    assert_int_equal(d.sum[1], 1); /* aggregate given */
    we_cbs_free(&d);
}

static void test_levels(void **state)
{
    env *e = *state;
    we_cbs_options o = options(e, raw, raw_map);
    o.levels = WE_CBS_WIJK | WE_CBS_BUURT;
    we_cbs_data d;
    read_ok(e, &d, &o);
    assert_int_equal(d.n_rows, 2);
    assert_int_equal(d.n_other_level, 1);
    assert_string_equal(d.rows[0].code, "WK036301");
    assert_string_equal(d.rows[0].name, "WK036301"); /* no --name-column */
    we_cbs_free(&d);
}

/* ---- code changes ------------------------------------------------------- */

/* Three wijken in 2017: WK000103 and WK000104 merge into WK000105 in
 * 2018; WK000101 splits over WK000106 (3/4) and WK000107 (1/4) in 2019. */
static const char panel2017[] =
    "code;inw;woz;corp\n"
    "WK000101;6000;180;50\n"
    "WK000102;5000;250;20\n"
    "WK000103;1200;150;70\n"
    "WK000104;800;200;40\n";
static const char changes[] =
    "old_code,new_code,year,weight,new_name\n"
    "WK000103,WK000105,2018,1200,Haven\n"
    "WK000104,WK000105,2018,800,Haven\n"
    "WK000101,WK000106,2019,4500,\n"
    "WK000101,WK000107,2019,1500,Oost\n";
static const char panel_map[] =
    "cbs_column,indicator\ninw,inwoners\nwoz,woz\ncorp,corp_pct\n";

static const we_cbs_row *find(const we_cbs_data *d, const char *code)
{
    for (size_t i = 0; i < d->n_rows; i++)
        if (strcmp(d->rows[i].code, code) == 0)
            return &d->rows[i];
    print_error("no row %s\n", code);
    fail();
    return NULL;
}

static void recode_ok(env *e, we_cbs_data *d, const char *text)
{
    if (we_cbs_recode(d, put(e, "recode.csv", text), &e->err) != 0) {
        print_error("recode failed: %s\n", e->err.msg);
        fail();
    }
}

static void test_recode_merge_split(void **state)
{
    env *e = *state;
    we_cbs_options o = options(e, panel2017, panel_map);
    o.period = 2017;
    we_cbs_data d;
    read_ok(e, &d, &o);
    recode_ok(e, &d, changes);
    assert_int_equal(d.n_rows, 4);
    assert_int_equal(d.n_recoded, 3);
    /* Order: each new area at the place of its first part. */
    assert_string_equal(d.rows[0].code, "WK000106");
    assert_string_equal(d.rows[1].code, "WK000107");
    assert_string_equal(d.rows[2].code, "WK000102");
    assert_string_equal(d.rows[3].code, "WK000105");
    const we_cbs_row *r = find(&d, "WK000105");
    assert_string_equal(r->name, "Haven");
    assert_int_equal(r->line, 0);
    assert_true(r->v[0] == 2000); /* counts add up */
    assert_true(r->v[1] == (150.0 * 1200 + 200.0 * 800) / 2000); /* 170 */
    assert_true(r->v[2] == (70.0 * 1200 + 40.0 * 800) / 2000);   /* 58 */
    r = find(&d, "WK000106");
    assert_string_equal(r->name, "WK000106");
    assert_true(r->v[0] == 4500); /* 6000 x 3/4 */
    assert_true(r->v[1] == 180);  /* a level is assigned */
    assert_true(r->v[2] == 50);
    r = find(&d, "WK000107");
    assert_string_equal(r->name, "Oost");
    assert_true(r->v[0] == 1500);
    assert_true(r->v[1] == 180);
    r = find(&d, "WK000102");
    assert_true(r->v[0] == 5000 && r->v[1] == 250);
    we_cbs_free(&d);
}

/* A period at or after a change's year keeps its codes; a missing part
 * makes the merged value missing. */
static void test_recode_years(void **state)
{
    env *e = *state;
    we_cbs_options o = options(e,
                               "code;inw;woz;corp\n"
                               "WK000101;6100;190;49,5\n"
                               "WK000105;2050;175;.\n",
                               panel_map);
    o.period = 2018;
    we_cbs_data d;
    read_ok(e, &d, &o);
    recode_ok(e, &d, changes);
    assert_int_equal(d.n_recoded, 1);
    assert_int_equal(d.n_rows, 3);
    const we_cbs_row *r = find(&d, "WK000105"); /* 2018: kept */
    assert_true(r->v[0] == 2050 && isnan(r->v[2]));
    assert_true(find(&d, "WK000107")->v[0] == 1525);
    we_cbs_free(&d);
    o = options(e, "code;inw;woz;corp\nWK000103;1200;150;.\n"
                   "WK000104;800;200;40\n", panel_map);
    o.period = 2017;
    read_ok(e, &d, &o);
    recode_ok(e, &d, changes);
    r = find(&d, "WK000105");
    assert_true(r->v[0] == 2000 && r->v[1] == 170);
    assert_true(isnan(r->v[2]));
    we_cbs_free(&d);
}

/* Changes in two years chain: 2017 data go through 2018, then 2019. */
static void test_recode_chain(void **state)
{
    env *e = *state;
    we_cbs_options o = options(e, panel2017, panel_map);
    o.period = 2017;
    we_cbs_data d;
    read_ok(e, &d, &o);
    recode_ok(e, &d,
              "old_code,new_code,year,weight\n"
              "WK000105,WK000102,2019,2000\n"
              "WK000102,WK000102,2019,5000\n"
              "WK000103,WK000105,2018,1200\n"
              "WK000104,WK000105,2018,800\n");
    assert_int_equal(d.n_rows, 2);
    const we_cbs_row *r = find(&d, "WK000102");
    assert_true(r->v[0] == 7000);
    assert_true(fabs(r->v[1] - (250.0 * 5000 + 170.0 * 2000) / 7000) <
                1e-12);
    we_cbs_free(&d);
}

static void recode_fails(env *e, const char *data, const char *text,
                         const char *a, const char *b)
{
    we_cbs_options o = options(e, data, panel_map);
    o.period = 2017;
    we_cbs_data d;
    read_ok(e, &d, &o);
    assert_int_equal(we_cbs_recode(&d, put(e, "recode.csv", text), &e->err),
                     -1);
    assert_contains(e->err.msg, a);
    if (b != NULL)
        assert_contains(e->err.msg, b);
    we_cbs_free(&d);
}

static void test_recode_errors(void **state)
{
    env *e = *state;
    static const char head[] = "old_code,new_code,year,weight\n";
    char t[512];
    snprintf(t, sizeof t, "%sWK000104,WK000102,2018,800\n", head);
    recode_fails(e, panel2017, t, "recode.csv:2: WK000102, the new code of "
                                  "WK000104, is already an area",
                 "add the row WK000102,WK000102,2018,");
    recode_fails(e, "code;inw;woz;corp\nWK000103;1200;150;70\n", changes,
                 "recode.csv:3: WK000104 is not in the data of 2017, but "
                 "WK000103 (line 2), which also becomes WK000105, is",
                 NULL);
    snprintf(t, sizeof t, "%sWK000104,GM0001,2018,800\n", head);
    recode_fails(e, panel2017, t, "recode.csv:2:10: WK000104 is a wijk and "
                                  "GM0001 a gemeente", NULL);
    snprintf(t, sizeof t, "%sWK000104,WK000105,2018,0\n", head);
    recode_fails(e, panel2017, t, "recode.csv:2:24: weight '0' is not a "
                                  "number > 0", NULL);
    snprintf(t, sizeof t, "%sWK00104,WK000105,2018,1\n", head);
    recode_fails(e, panel2017, t, "recode.csv:2:1: old_code 'WK00104' is "
                                  "not a CBS code", NULL);
    snprintf(t, sizeof t, "%sWK000104,WK000105,18,1\n", head);
    recode_fails(e, panel2017, t, "recode.csv:2:19: year '18' is not a year",
                 NULL);
    snprintf(t, sizeof t, "%sWK000104,WK000105,2018,1\n"
                          "WK000104,WK000105,2018,2\n", head);
    recode_fails(e, panel2017, t, "recode.csv:3: WK000104 -> WK000105 in "
                                  "2018 is given twice (first on line 2)",
                 NULL);
    recode_fails(e, panel2017, "old_code,new_code,weight\n",
                 "recode.csv:1: missing column 'year'", NULL);
}

/* ---- output ------------------------------------------------------------- */

static double cell(const we_panel *p, const char *ind, const char *area,
                   int period)
{
    long k = we_panel_indicator(p, ind), a = we_panel_area(p, area);
    long t = we_panel_period(p, period);
    assert_true(k >= 0 && a >= 0 && t >= 0);
    assert_non_null(p->values[k]);
    return p->values[k][(size_t)a * p->n_periods + (size_t)t];
}

static size_t files_in(const char *dir)
{
    size_t n = 0;
    DIR *d = opendir(dir);
    struct dirent *ent;
    while (d != NULL && (ent = readdir(d)) != NULL)
        n += ent->d_name[0] != '.';
    if (d != NULL)
        closedir(d);
    return n;
}

static size_t hidden_in(const char *dir)
{
    size_t n = 0;
    DIR *d = opendir(dir);
    struct dirent *ent;
    while (d != NULL && (ent = readdir(d)) != NULL)
        n += ent->d_name[0] == '.' && strcmp(ent->d_name, ".") != 0 &&
             strcmp(ent->d_name, "..") != 0;
    if (d != NULL)
        closedir(d);
    return n;
}

static void test_write_loads(void **state)
{
    env *e = *state;
    we_cbs_options o = options(e, raw, raw_map);
    o.name_column = "Naam";
    o.population_column = "AantalInwoners";
    we_cbs_data d;
    read_ok(e, &d, &o);
    we_cbs_output out = { .path = at(e, "long.csv"),
                          .areas_path = at(e, "areas.csv"),
                          .catalog = o.catalog };
    if (we_cbs_write(&d, &out, &e->err) != 0) {
        print_error("write failed: %s\n", e->err.msg);
        fail();
    }
    assert_int_equal(hidden_in(e->dir), 0); /* no temporary left */
    we_panel p;
    assert_int_equal(we_panel_load(&p, out.areas_path, out.path, o.catalog,
                                   &e->err), 0);
    assert_int_equal(p.n_areas, 3);
    assert_int_equal(p.n_rows, 9);
    assert_string_equal(p.areas[1].name, "Noord; \"Oost\"");
    assert_string_equal(p.areas[1].municipality, "GM0363");
    assert_string_equal(p.areas[1].level, "wijk");
    assert_true(p.areas[0].population == 862965);
    assert_true(cell(&p, "woz", "GM0363", 2019) == 408200);
    assert_true(cell(&p, "corp_pct", "GM0363", 2019) == 42.5);
    assert_true(isnan(cell(&p, "woz", "WK036301", 2019)));
    long k = we_panel_indicator(&p, "corp_pct");
    assert_int_equal(p.n_marked_missing[k], 2); /* written as empty */
    assert_null(p.values[we_panel_indicator(&p, "oud_pct")]);
    we_panel_free(&p);

    /* An existing file: refused, replaced with force, or appended to. */
    assert_int_equal(we_cbs_write(&d, &out, &e->err), -1);
    assert_contains(e->err.msg, "long.csv: the file exists; pass --force");
    out.force = 1;
    assert_int_equal(we_cbs_write(&d, &out, &e->err), 0);
    out.force = 0;
    out.append = 1;
    assert_int_equal(we_cbs_write(&d, &out, &e->err), -1);
    assert_contains(e->err.msg, "long.csv:2: area GM0363, period 2019, "
                                "indicator inwoners is already there");
    for (size_t i = 0; i < d.n_rows; i++)
        d.rows[i].period = 2020;
    assert_int_equal(we_cbs_write(&d, &out, &e->err), 0);
    assert_int_equal(we_panel_load(&p, out.areas_path, out.path, o.catalog,
                                   &e->err), 0);
    assert_int_equal(p.n_periods, 2);
    assert_int_equal(p.n_areas, 3);
    assert_int_equal(p.n_rows, 18);
    assert_true(cell(&p, "woz", "BU03630101", 2020) == 512250);
    we_panel_free(&p);
    assert_int_equal(files_in(e->dir), 5);
    assert_int_equal(hidden_in(e->dir), 0);
    we_cbs_free(&d);
}

/* The output goes through the panel loader before it is renamed: a file
 * that would not load is not written, and the old one stays. */
static void test_write_checked(void **state)
{
    env *e = *state;
    we_cbs_options o = options(e, raw, raw_map);
    we_cbs_data d;
    read_ok(e, &d, &o);
    static const char old[] = "area,period,indicator,value\n"
                              "GM0363,2018,unknown,1\n";
    we_cbs_output out = { .path = put(e, "long.csv", old),
                          .catalog = o.catalog, .append = 1 };
    assert_int_equal(we_cbs_write(&d, &out, &e->err), -1);
    assert_contains(e->err.msg, "long.csv:2:13: indicator 'unknown' is not "
                                "in the catalogue");
    out.areas_path = put(e, "areas.csv", "area,name,municipality\n"
                                         "GM0599,Rotterdam,GM0599\n");
    static const char old2[] = "area,period,indicator,value\n"
                               "GM0518,2018,woz,1\n";
    out.path = put(e, "long2.csv", old2);
    assert_int_equal(we_cbs_write(&d, &out, &e->err), -1);
    assert_contains(e->err.msg, "long2.csv:2: area 'GM0518' is not in the "
                                "areas file");
    FILE *f = fopen(out.path, "r");
    char buf[128] = "";
    assert_non_null(f);
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    assert_string_equal(buf, old2);
    assert_int_equal(hidden_in(e->dir), 0);
    out.path = at(e, "no/such/dir.csv");
    out.areas_path = NULL;
    out.append = 0;
    assert_int_equal(we_cbs_write(&d, &out, &e->err), -1);
    assert_contains(e->err.msg, "cannot create");
    we_cbs_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_raw_download, setup, teardown),
        cmocka_unit_test_setup_teardown(test_comma_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_code_column, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_period_column, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mapping_errors, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_scale_denominator, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_levels, setup, teardown),
        cmocka_unit_test_setup_teardown(test_recode_merge_split, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_recode_years, setup, teardown),
        cmocka_unit_test_setup_teardown(test_recode_chain, setup, teardown),
        cmocka_unit_test_setup_teardown(test_recode_errors, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_write_loads, setup, teardown),
        cmocka_unit_test_setup_teardown(test_write_checked, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
