/* SHA-256 against the FIPS 180-2 vectors and against sha256sum. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/sha256.h"

static void hex_of(const void *data, size_t n, char out[65])
{
    we_sha256_buf_hex(data, n, out);
}

static void test_vectors(void **state)
{
    (void)state;
    char hex[65];
    hex_of("abc", 3, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223"
                             "b00361a396177a9cb410ff61f20015ad");
    hex_of("", 0, hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb924"
                             "27ae41e4649b934ca495991b7852b855");
    const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    hex_of(m, strlen(m), hex);
    assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039"
                             "a33ce45964ff2167f6ecedd419db06c1");
}

/* One million 'a', fed in uneven pieces so every path through the block
 * buffer runs. */
static void test_million_a(void **state)
{
    (void)state;
    static char a[1000000];
    memset(a, 'a', sizeof a);
    const size_t pieces[] = { 1, 63, 64, 65, 127, 1000, 7, 4096 };
    we_sha256 c;
    we_sha256_init(&c);
    size_t done = 0;
    for (size_t i = 0; done < sizeof a; i++) {
        size_t n = pieces[i % 8];
        if (n > sizeof a - done)
            n = sizeof a - done;
        we_sha256_update(&c, a + done, n);
        done += n;
    }
    unsigned char d[32];
    char hex[65];
    we_sha256_final(&c, d);
    we_sha256_hex(d, hex);
    assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67"
                             "f1809a48a497200e046d39ccc7112cd0");
    hex_of(a, sizeof a, hex);
    assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67"
                             "f1809a48a497200e046d39ccc7112cd0");
}

/* Lengths around the 55/56/64-byte padding boundaries, checked against
 * sha256sum. */
static void test_file_against_sha256sum(void **state)
{
    (void)state;
    const size_t lengths[] = { 0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 200000 };
    for (size_t i = 0; i < sizeof lengths / sizeof *lengths; i++) {
        char path[] = "/tmp/wijkeval_sha_XXXXXX";
        int fd = mkstemp(path);
        assert_true(fd >= 0);
        unsigned char *buf = malloc(lengths[i] + 1);
        assert_non_null(buf);
        for (size_t j = 0; j < lengths[i]; j++)
            buf[j] = (unsigned char)(j * 131 + i);
        assert_int_equal(write(fd, buf, lengths[i]), (ssize_t)lengths[i]);
        close(fd);
        free(buf);

        char cmd[128], want[128] = { 0 }, got[65];
        snprintf(cmd, sizeof cmd, "sha256sum %s", path);
        FILE *f = popen(cmd, "r");
        assert_non_null(f);
        assert_non_null(fgets(want, sizeof want, f));
        assert_int_equal(pclose(f), 0);
        want[64] = '\0';
        we_error err;
        assert_int_equal(we_sha256_file_hex(path, got, &err), 0);
        assert_string_equal(got, want);
        unlink(path);
    }
}

static void test_file_errors(void **state)
{
    (void)state;
    char hex[65];
    we_error err;
    assert_int_equal(we_sha256_file_hex("/nonexistent/x", hex, &err), -1);
    assert_non_null(strstr(err.msg, "/nonexistent/x: cannot open"));
    assert_int_equal(we_sha256_file_hex("/tmp", hex, &err), -1);
    assert_non_null(strstr(err.msg, "/tmp: read error"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vectors),
        cmocka_unit_test(test_million_a),
        cmocka_unit_test(test_file_against_sha256sum),
        cmocka_unit_test(test_file_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
