/* Paths in messages: lexically normalised, relative below the working
 * directory, absolute (from getcwd) above it, never "x/.." left. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/config_kit.h"
#include "util/path.h"

static void check(const char *in, const char *want)
{
    char *got = we_path_normalize(in);
    assert_non_null(got);
    if (strcmp(got, want) != 0)
        fail_msg("'%s' normalised to '%s', expected '%s'", in, got, want);
    free(got);
}

static void test_below_cwd_stays_relative(void **state)
{
    (void)state;
    check("configs/../data/demo/costs.csv", "data/demo/costs.csv");
    check("./configs/./demo.cfg", "configs/demo.cfg");
    check("data//demo///x.csv", "data/demo/x.csv");
    check("a/b/../../c", "c");
    check("a/b/..", "a");
    check("a/..", ".");
    check(".", ".");
    check("out/demo/", "out/demo");
    check("", "");
}

static void test_absolute(void **state)
{
    (void)state;
    check("/work/x/configs/../data/costs.csv", "/work/x/data/costs.csv");
    check("/..", "/");
    check("/../a/./b//", "/a/b");
    check("//a", "/a");
    check("/", "/");
}

/* Climbing above the working directory: absolute, from getcwd(). */
static void test_above_cwd_absolute(void **state)
{
    (void)state;
    char *cwd = getcwd(NULL, 0);
    assert_non_null(cwd);
    char want[4096];
    const char *slash = strrchr(cwd, '/');
    size_t parent = slash == cwd ? 1 : (size_t)(slash - cwd);
    snprintf(want, sizeof want, "%.*s%sdata/x.csv", (int)parent, cwd,
             parent == 1 ? "" : "/");
    check("../data/x.csv", want);
    check("a/../../data/./x.csv", want);
    check("../../../../../../../../../../../../../../../../../../../../a",
          "/a");
    free(cwd);
}

/* The config's paths go through it: relative to the config file, then
 * normalised, so "../data/x.csv" in configs/demo.cfg is data/x.csv. */
static void test_config_resolve(void **state)
{
    (void)state;
    char *r = cfg_resolve("configs", "../data/demo/costs.csv");
    assert_non_null(r);
    assert_string_equal(r, "data/demo/costs.csv");
    free(r);
    r = cfg_resolve(".", "./data//x.csv");
    assert_non_null(r);
    assert_string_equal(r, "data/x.csv");
    free(r);
    r = cfg_resolve("configs/sub/", "../../out");
    assert_non_null(r);
    assert_string_equal(r, "out");
    free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_below_cwd_stays_relative),
        cmocka_unit_test(test_absolute),
        cmocka_unit_test(test_above_cwd_absolute),
        cmocka_unit_test(test_config_resolve),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
