/* Plugin loading: the host accepts a valid plugin and refuses, with a
 * message naming the file and both ABI versions, every malformed one. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <dlfcn.h>

#include "host/host.h"
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

/* A descriptor shorter than the minor it declares would make the host
 * read the missing fields from whatever follows it. */
static void test_short_for_minor_refused(void **state)
{
    (void)state;
    char want[96];
    snprintf(want, sizeof want, "smaller than the %zu bytes of ABI %d.%d",
             we_descriptor_size_for_minor(WE_ABI_MINOR), WE_ABI_MAJOR,
             WE_ABI_MINOR);
    const char *needles[] = {want, "WE_DESCRIPTOR_HEADER", NULL};
    expect_refused("fx_short_for_minor", needles);
}

/* A plugin built against the frozen ABI 1.0 header (tests/fixtures/abi/):
 * loaded, with the fields of 1.1 zero although its memory goes on right
 * after the 1.0 struct with a pointer where 1.1 has `maintainer`. */
static void test_older_minor_loads(void **state)
{
    (void)state;
    char path[512];
    fixture_path(path, sizeof path, "fx_abi_1_0");
    we_plugin p;
    we_error err = {{0}};
    if (we_plugin_load(&p, path, &err) != 0)
        fail_msg("%s", err.msg);
    assert_int_equal(p.desc.abi_major, 1);
    assert_int_equal(p.desc.abi_minor, 0);
    assert_int_equal(p.desc.struct_size, we_descriptor_size_for_minor(0));
    assert_true(p.desc.struct_size < sizeof(we_plugin_descriptor));
    assert_string_equal(p.desc.id, "fx_abi_1_0");
    assert_null(p.desc.maintainer);
    /* What lies beyond the plugin's struct_size: the host left it. */
    void *sym = dlsym(p.handle, WE_PLUGIN_ENTRY_SYMBOL);
    assert_non_null(sym);
    we_plugin_entry_fn entry;
    memcpy(&entry, &sym, sizeof entry);
    const unsigned char *raw = (const unsigned char *)entry();
    const char *after;
    memcpy(&after, raw + p.desc.struct_size, sizeof after);
    assert_string_equal(after, "not a 1.0 field");
    we_plugin_unload(&p);
}

/* A plugin built against the frozen ABI 1.2 header: loaded, with
 * summary_nl (1.3) NULL although a pointer lies right after its struct. */
static void test_minor_1_2_loads(void **state)
{
    (void)state;
    char path[512];
    fixture_path(path, sizeof path, "fx_abi_1_2");
    we_plugin p;
    we_error err = {{0}};
    if (we_plugin_load(&p, path, &err) != 0)
        fail_msg("%s", err.msg);
    assert_int_equal(p.desc.abi_minor, 2);
    assert_int_equal(p.desc.struct_size, we_descriptor_size_for_minor(2));
    assert_true(p.desc.struct_size < sizeof(we_plugin_descriptor));
    assert_string_equal(p.desc.maintainer, "wijkeval tests");
    assert_null(p.desc.summary_nl);
    void *sym = dlsym(p.handle, WE_PLUGIN_ENTRY_SYMBOL);
    assert_non_null(sym);
    we_plugin_entry_fn entry;
    memcpy(&entry, &sym, sizeof entry);
    const unsigned char *raw = (const unsigned char *)entry();
    const char *after;
    memcpy(&after, raw + p.desc.struct_size, sizeof after);
    assert_string_equal(after, "not a 1.2 field");
    we_plugin_unload(&p);
}

/* The host tables of 1.0 and 1.1 hosts, as a plugin that declares an
 * older minor may get them: WE_HOST_HAS tells the members they lack. */
static void test_host_has(void **state)
{
    (void)state;
    we_host h = *we_host_table();
    assert_int_equal(h.abi_minor, WE_ABI_MINOR);
    assert_int_equal(h.struct_size, sizeof h);
    assert_int_equal(we_host_size_for_minor(WE_ABI_MINOR), sizeof h);
    assert_true(WE_HOST_HAS(&h, comparison_values));
    assert_true(WE_HOST_HAS(&h, gap_reference));
    h.struct_size = (uint32_t)we_host_size_for_minor(1);
    assert_false(WE_HOST_HAS(&h, gap_reference));
    assert_true(WE_HOST_HAS(&h, comparison_values));
    h.struct_size = (uint32_t)we_host_size_for_minor(0);
    assert_false(WE_HOST_HAS(&h, comparison_values));
    assert_false(WE_HOST_HAS(&h, gap_reference));
    assert_true(WE_HOST_HAS(&h, randomization_p));
    assert_true(WE_HOST_HAS(&h, log));
    h.struct_size = sizeof h;
    h.comparison_values = NULL;
    assert_false(WE_HOST_HAS(&h, comparison_values));
    h.gap_reference = NULL;
    assert_false(WE_HOST_HAS(&h, gap_reference));
    /* The descriptor did not grow in 1.2. */
    assert_int_equal(we_descriptor_size_for_minor(2),
                     we_descriptor_size_for_minor(1));
    /* 1.3: the Dutch summary and four host functions. */
    assert_true(we_descriptor_size_for_minor(3) >
                we_descriptor_size_for_minor(2));
    h = *we_host_table();
    assert_true(WE_HOST_HAS(&h, indicator_info));
    assert_true(WE_HOST_HAS(&h, emit_area_metric));
    h.struct_size = (uint32_t)we_host_size_for_minor(2);
    assert_true(WE_HOST_HAS(&h, gap_reference));
    assert_false(WE_HOST_HAS(&h, indicator_info));
    assert_false(WE_HOST_HAS(&h, headline));
    assert_false(WE_HOST_HAS(&h, emit_metric_text));
    assert_false(WE_HOST_HAS(&h, emit_area_metric));
    assert_int_equal(we_host_size_for_minor(WE_ABI_MINOR + 1), 0);
    assert_int_equal(we_descriptor_size_for_minor(WE_ABI_MINOR + 1), 0);
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

/* A copy of fx_good in a fresh directory: dir and path are filled. */
static void copy_fixture(char *dir, char *path, size_t n)
{
    char src[512];
    fixture_path(src, sizeof src, "fx_good");
    assert_non_null(mkdtemp(dir));
    snprintf(path, n, "%s/fx_good.so", dir);
    FILE *in = fopen(src, "rb"), *out = fopen(path, "wb");
    assert_non_null(in);
    assert_non_null(out);
    char buf[8192];
    size_t got;
    while ((got = fread(buf, 1, sizeof buf, in)) > 0)
        assert_int_equal(fwrite(buf, 1, got, out), got);
    fclose(in);
    assert_int_equal(fclose(out), 0);
}

static void expect_mode_refused(const char *path, mode_t mode,
                                const char *part)
{
    assert_int_equal(chmod(path, mode), 0);
    we_plugin p;
    we_error err = {{0}};
    assert_int_equal(we_plugin_load(&p, path, &err), -1);
    assert_null(p.handle);
    if (strncmp(err.msg, path, strlen(path)) != 0 ||
        strstr(err.msg, part) == NULL)
        fail_msg("message '%s' lacks '%s: ... %s'", err.msg, path, part);
}

/* Anyone who can change a plugin file can run code as this user: such a
 * file is refused before dlopen. */
static void test_unsafe_file_refused(void **state)
{
    (void)state;
    char dir[] = "/tmp/wijkeval-loader-XXXXXX", path[512];
    copy_fixture(dir, path, sizeof path);
    expect_mode_refused(path, 0664, "refusing to load a plugin that is "
                                    "group-writable (mode 0664): others "
                                    "could replace its code; run chmod "
                                    "go-w on it");
    expect_mode_refused(path, 0646, "world-writable (mode 0646)");
    expect_mode_refused(path, 0622, "world-writable (mode 0622)");
    assert_int_equal(chmod(path, 0644), 0);
    we_plugin p;
    we_error err = {{0}};
    assert_int_equal(we_plugin_load(&p, path, &err), 0);
    we_plugin_unload(&p);
    /* Another owner than this user or root: only root can arrange it. */
    if (geteuid() == 0) {
        assert_int_equal(chown(path, 65534, 65534), 0);
        assert_int_equal(we_plugin_load(&p, path, &err), -1);
        if (strstr(err.msg, "refusing to load a plugin owned by") == NULL ||
            strstr(err.msg, "(uid 65534)") == NULL)
            fail_msg("message '%s'", err.msg);
    }
    assert_int_equal(we_plugin_check_file(dir, &err), -1);
    assert_non_null(strstr(err.msg, "not a regular file"));
    remove(path);
    rmdir(dir);
}

/* A setting without a description: the message names the plugin, the
 * setting and what to do (check-plugin shows it). */
static void test_setting_without_description(void **state)
{
    (void)state;
    char path[512];
    fixture_path(path, sizeof path, "fx_good");
    we_plugin p;
    we_error err = {{0}};
    assert_int_equal(we_plugin_load(&p, path, &err), 0);
    we_plugin_descriptor d = p.desc;
    we_setting_spec settings[] = {
        {"window", WE_SETTING_INT, "Years in the moving window."},
        {"min_share", WE_SETTING_DOUBLE, NULL},
    };
    d.settings = settings;
    d.n_settings = 2;
    assert_int_equal(we_plugin_check_author(&d, &err), -1);
    const char *want = "plugin 'fx_good': setting 'min_share' has no "
                       "description; set its we_setting_spec.description "
                       "to a sentence that says what the setting changes";
    if (strstr(err.msg, want) == NULL)
        fail_msg("message '%s' lacks '%s'", err.msg, want);
    settings[1].description = "";
    assert_int_equal(we_plugin_check_author(&d, &err), -1);
    assert_non_null(strstr(err.msg, "setting 'min_share' has no description"));
    settings[1].description = "Smallest share of treated areas.";
    assert_int_equal(we_plugin_check_author(&d, &err), 0);
    we_plugin_unload(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_plugin_loads),
        cmocka_unit_test(test_wrong_major_refused),
        cmocka_unit_test(test_newer_minor_refused),
        cmocka_unit_test(test_small_struct_refused),
        cmocka_unit_test(test_short_for_minor_refused),
        cmocka_unit_test(test_older_minor_loads),
        cmocka_unit_test(test_minor_1_2_loads),
        cmocka_unit_test(test_host_has),
        cmocka_unit_test(test_null_required_field_refused),
        cmocka_unit_test(test_missing_entry_refused),
        cmocka_unit_test(test_missing_file_refused),
        cmocka_unit_test(test_find_refuses_traversal),
        cmocka_unit_test(test_find_locates_plugin),
        cmocka_unit_test(test_unsafe_file_refused),
        cmocka_unit_test(test_setting_without_description),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
