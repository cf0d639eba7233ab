/* Plugin loading: the host accepts a valid plugin and refuses, with a
 * message naming the file and both ABI versions, every malformed one. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "host/loader.h"

static const char *build_dir(void)
{
    const char *b = getenv("WE_BUILD");
    return b ? b : "build";
}

static void fixture_path(char *buf, size_t n, const char *name)
{
    snprintf(buf, n, "%s/tests/fixtures/%s.so", build_dir(), name);
}

/* Loads a fixture that must be refused; returns the message. */
static void expect_refused(const char *name, const char *const *needles)
{
    char path[512];
    fixture_path(path, sizeof path, name);
    we_plugin p;
    we_error err = {{0}};
    assert_int_equal(we_plugin_load(&p, path, &err), -1);
    assert_non_null(strstr(err.msg, path));
    for (size_t k = 0; needles[k] != NULL; k++) {
        if (strstr(err.msg, needles[k]) == NULL)
            fail_msg("message '%s' lacks '%s'", err.msg, needles[k]);
    }
    assert_null(p.handle);
}

static void test_good_plugin_loads(void **state)
{
    (void)state;
    char path[512];
    fixture_path(path, sizeof path, "fx_good");
    we_plugin p;
    we_error err = {{0}};
    assert_int_equal(we_plugin_load(&p, path, &err), 0);
    assert_string_equal(p.desc.id, "fx_good");
    assert_int_equal(p.desc.abi_major, WE_ABI_MAJOR);
    assert_non_null(p.desc.evaluate);
    assert_int_equal(p.desc.n_indicators, 1);
    we_plugin_unload(&p);
    assert_null(p.handle);
}

static void test_wrong_major_refused(void **state)
{
    (void)state;
    char host[32], plugin[32];
    snprintf(host, sizeof host, "host ABI %d.%d", WE_ABI_MAJOR, WE_ABI_MINOR);
    snprintf(plugin, sizeof plugin, "plugin ABI %d.0", WE_ABI_MAJOR + 1);
    const char *needles[] = {host, plugin, "major", NULL};
    expect_refused("fx_wrong_major", needles);
}

static void test_newer_minor_refused(void **state)
{
    (void)state;
    char host[32], plugin[32];
    snprintf(host, sizeof host, "host ABI %d.%d", WE_ABI_MAJOR, WE_ABI_MINOR);
    snprintf(plugin, sizeof plugin, "plugin ABI %d.%d", WE_ABI_MAJOR,
             WE_ABI_MINOR + 1);
    const char *needles[] = {host, plugin, "newer", NULL};
    expect_refused("fx_newer_minor", needles);
}

static void test_small_struct_refused(void **state)
{
    (void)state;
    const char *needles[] = {"struct_size 16", "host ABI", NULL};
    expect_refused("fx_small_struct", needles);
}

static void test_null_required_field_refused(void **state)
{
    (void)state;
    const char *needles[] = {"'evaluate' is NULL", "host ABI", NULL};
    expect_refused("fx_null_evaluate", needles);
}

static void test_missing_entry_refused(void **state)
{
    (void)state;
    const char *needles[] = {"missing entry symbol", WE_PLUGIN_ENTRY_SYMBOL,
                             NULL};
    expect_refused("fx_no_entry", needles);
}

static void test_missing_file_refused(void **state)
{
    (void)state;
    we_plugin p;
    we_error err = {{0}};
    assert_int_equal(we_plugin_load(&p, "/nonexistent/x.so", &err), -1);
    assert_non_null(strstr(err.msg, "/nonexistent/x.so"));
}

static void test_find_refuses_traversal(void **state)
{
    (void)state;
    char *dirs[] = {(char *)"build/plugins"};
    we_error err = {{0}};
    assert_null(we_plugin_find("../etc/evil", dirs, 1, &err));
    assert_non_null(strstr(err.msg, "not valid"));
    assert_null(we_plugin_find("", dirs, 1, &err));
    assert_false(we_plugin_id_valid("a/b"));
    assert_false(we_plugin_id_valid("Upper"));
    assert_true(we_plugin_id_valid("gezonde_wijk"));
}

static void test_find_locates_plugin(void **state)
{
    (void)state;
    char dir[512];
    snprintf(dir, sizeof dir, "%s/tests/fixtures", build_dir());
    char *dirs[] = {(char *)"/nonexistent", dir};
    we_error err = {{0}};
    char *path = we_plugin_find("fx_good", dirs, 2, &err);
    assert_non_null(path);
    assert_non_null(strstr(path, "fixtures/fx_good.so"));
    free(path);
    assert_null(we_plugin_find("absent_plugin", dirs, 2, &err));
    assert_non_null(strstr(err.msg, "absent_plugin.so"));
    assert_non_null(strstr(err.msg, "/nonexistent"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_plugin_loads),
        cmocka_unit_test(test_wrong_major_refused),
        cmocka_unit_test(test_newer_minor_refused),
        cmocka_unit_test(test_small_struct_refused),
        cmocka_unit_test(test_null_required_field_refused),
        cmocka_unit_test(test_missing_entry_refused),
        cmocka_unit_test(test_missing_file_refused),
        cmocka_unit_test(test_find_refuses_traversal),
        cmocka_unit_test(test_find_locates_plugin),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
