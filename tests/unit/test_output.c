/* The report directory as a run holds it (report/report_owner.h) and the
 * path checks under it (util/out_dir.h): canonical paths of directories
 * that do not exist yet, system directories, the owner and the manifest. */
#define _XOPEN_SOURCE 700
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

#include "report/report_owner.h"
#include "util/out_dir.h"

static void test_canonical(void **state)
{
    (void)state;
    char *p = we_path_canonical("/usr/../etc/");
    assert_string_equal(p, "/etc");
    free(p);
    p = we_path_canonical("/no-such-dir/a/../b/./c//");
    assert_string_equal(p, "/no-such-dir/b/c");
    free(p);
    p = we_path_canonical("/no-such-dir/../../..");
    assert_string_equal(p, "/");
    free(p);
}

static void test_system_dirs(void **state)
{
    (void)state;
    assert_string_equal(we_path_system_dir("/"), "/");
    assert_string_equal(we_path_system_dir("/demo"), "/");
    assert_string_equal(we_path_system_dir("/etc/demo"), "/etc");
    assert_string_equal(we_path_system_dir("/usr/local/x"), "/usr");
    assert_string_equal(we_path_system_dir("/lib64"), "/lib64");
    assert_string_equal(we_path_system_dir("/var/lib/x"), "/var");
    assert_string_equal(we_path_system_dir("/tmp"), "/tmp");
    assert_string_equal(we_path_system_dir("/home"), "/home");
    assert_null(we_path_system_dir("/tmp/out/demo"));
    assert_null(we_path_system_dir("/var/tmp/out"));
    assert_null(we_path_system_dir("/home/ann/out"));
    assert_null(we_path_system_dir("/etcetera/out"));
}

typedef struct fixture {
    char dir[256];
    char cfg_path[300];
    we_config cfg;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (f == NULL)
        return -1;
    const char *base = getenv("TMPDIR");
    snprintf(f->dir, sizeof f->dir, "%s/we-output-XXXXXX",
             base != NULL ? base : "/tmp");
    if (mkdtemp(f->dir) == NULL)
        return -1;
    snprintf(f->cfg_path, sizeof f->cfg_path, "%s/run.cfg", f->dir);
    FILE *c = fopen(f->cfg_path, "w");
    if (c == NULL)
        return -1;
    fclose(c);
    f->cfg.path = f->cfg_path;
    strcpy(f->cfg.config_sha256, "00");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    int rc = system(cmd);
    free(f);
    return rc == 0 ? 0 : -1;
}

static int write_text(const void *user, FILE *f, we_error *err)
{
    (void)err;
    return fputs(user, f) == EOF ? -1 : 0;
}

static char *path_in(const fixture *f, const char *rel)
{
    static char buf[512];
    snprintf(buf, sizeof buf, "%s/%s", f->dir, rel);
    return buf;
}

/* Stages name with text in dir and commits it if o admits it. */
static int put(we_output *o, const char *name, const char *text,
               we_error *err)
{
    we_staged_file s = {0};
    if (we_file_stage(&s, o->canon, name, write_text, text, err) != 0)
        return -1;
    int rc = we_output_admit(o, &s, 1, err) != 0 ||
                     we_files_commit(&s, 1, o->canon, err) != 0
                 ? -1
                 : 0;
    we_files_discard(&s, 1);
    return rc;
}

static void test_manifest(void **state)
{
    fixture *f = *state;
    we_error err = {{0}};
    we_output o;
    char *out = strdup(path_in(f, "out/r"));
    assert_int_equal(we_output_claim(&o, out, &f->cfg, 0, 0, 0, &err), 0);
    assert_int_equal(put(&o, "report.json", "{}\n", &err), 0);
    /* The user's file, not in the manifest: refused, kept. */
    FILE *u = fopen(path_in(f, "out/r/results.csv"), "w");
    fputs("mine\n", u);
    fclose(u);
    assert_int_equal(put(&o, "results.csv", "theirs\n", &err), -1);
    assert_non_null(strstr(err.msg, "results.csv: exists and wijkeval did "
                                    "not write it"));
    /* A file of the manifest is replaced. */
    assert_int_equal(put(&o, "report.json", "{\"a\": 1}\n", &err), 0);
    we_output_release(&o);
    char buf[16] = {0};
    u = fopen(path_in(f, "out/r/results.csv"), "r");
    assert_non_null(fgets(buf, sizeof buf, u));
    fclose(u);
    assert_string_equal(buf, "mine\n");
    /* Claiming again refuses the user's results.csv before the run. */
    assert_int_equal(
        we_output_claim(&o, out, &f->cfg, 1, 0, WE_FORMAT_CSV, &err), -1);
    assert_non_null(strstr(err.msg, "results.csv"));
    assert_int_equal(
        we_output_claim(&o, out, &f->cfg, 0, 0, WE_FORMAT_JSON, &err), 0);
    we_output_release(&o);
    free(out);
}

static void test_owner(void **state)
{
    fixture *f = *state;
    we_error err = {{0}};
    we_output o;
    char *out = strdup(path_in(f, "out"));
    assert_int_equal(we_output_claim(&o, out, &f->cfg, 0, 0, 0, &err), 0);
    assert_int_equal(put(&o, "report.json", "{}\n", &err), 0);
    we_output_release(&o);
    /* Another file of the same name and content is another config. */
    we_config other = f->cfg;
    assert_int_equal(mkdir(path_in(f, "sub"), 0755), 0);
    FILE *c = fopen(path_in(f, "sub/run.cfg"), "w");
    fclose(c);
    other.path = strdup(path_in(f, "sub/run.cfg"));
    assert_int_equal(we_output_claim(&o, out, &other, 0, 0, 0, &err), -1);
    assert_non_null(strstr(err.msg, "holds a report of another config"));
    assert_non_null(strstr(err.msg, "--force"));
    assert_int_equal(we_output_claim(&o, out, &other, 1, 0, 0, &err), 0);
    we_output_release(&o);
    free((char *)other.path);
    free(out);
}

/* A run that writes nothing leaves no trace of itself. */
static void test_nothing_left(void **state)
{
    fixture *f = *state;
    we_error err = {{0}};
    we_output o;
    char *out = strdup(path_in(f, "new/deeper/r"));
    assert_int_equal(we_output_claim(&o, out, &f->cfg, 0, 0, 0, &err), 0);
    struct stat st;
    assert_int_equal(stat(path_in(f, "new/deeper/r/.wijkeval.lock"), &st), 0);
    we_output_release(&o);
    assert_int_not_equal(stat(path_in(f, "new"), &st), 0);
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_canonical),
        cmocka_unit_test(test_system_dirs),
        cmocka_unit_test_setup_teardown(test_manifest, setup, teardown),
        cmocka_unit_test_setup_teardown(test_owner, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nothing_left, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
