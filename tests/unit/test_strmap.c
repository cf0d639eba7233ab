/* The string -> index map: insert, duplicates, growth, absent keys. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "util/strmap.h"

static void test_put_get(void **state)
{
    (void)state;
    we_strmap *m = we_strmap_new(0);
    assert_non_null(m);
    assert_int_equal(we_strmap_get(m, "GM0363"), -1);
    assert_int_equal(we_strmap_put(m, "GM0363", 0), 0);
    assert_int_equal(we_strmap_put(m, "GM0599", 1), 1);
    /* A duplicate keeps, and returns, the first value. */
    assert_int_equal(we_strmap_put(m, "GM0363", 2), 0);
    assert_int_equal(we_strmap_get(m, "GM0363"), 0);
    assert_int_equal(we_strmap_get(m, "GM0599"), 1);
    assert_int_equal(we_strmap_get(m, "GM036"), -1);
    assert_int_equal(we_strmap_get(m, ""), -1);
    assert_int_equal(we_strmap_put(m, "", 7), 7);
    assert_int_equal(we_strmap_get(m, ""), 7);
    assert_int_equal(we_strmap_size(m), 3);
    we_strmap_free(m);
    we_strmap_free(NULL);
}

/* The map copies keys: changing the caller's buffer changes nothing. */
static void test_keys_are_copied(void **state)
{
    (void)state;
    we_strmap *m = we_strmap_new(4);
    char buf[16];
    strcpy(buf, "woz");
    assert_int_equal(we_strmap_put(m, buf, 5), 5);
    strcpy(buf, "vsv");
    assert_int_equal(we_strmap_get(m, "woz"), 5);
    assert_int_equal(we_strmap_get(m, "vsv"), -1);
    we_strmap_free(m);
}

/* National scale: every buurt code, inserted from a small start so the
 * table grows many times. */
static void test_many_keys(void **state)
{
    (void)state;
    enum { N = 20000 };
    we_strmap *m = we_strmap_new(1);
    char key[16];
    for (size_t i = 0; i < N; i++) {
        snprintf(key, sizeof key, "BU%08zu", i * 37);
        assert_int_equal(we_strmap_put(m, key, i), (long)i);
    }
    assert_int_equal(we_strmap_size(m), N);
    for (size_t i = 0; i < N; i++) {
        snprintf(key, sizeof key, "BU%08zu", i * 37);
        assert_int_equal(we_strmap_get(m, key), (long)i);
        snprintf(key, sizeof key, "BU%08zu", i * 37 + 1);
        assert_int_equal(we_strmap_get(m, key), -1);
    }
    we_strmap_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_put_get),
        cmocka_unit_test(test_keys_are_copied),
        cmocka_unit_test(test_many_keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
