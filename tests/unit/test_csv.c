/* The CSV reader: delimiters, BOM, line endings, RFC 4180 quoting, line
 * and column bookkeeping, malformed input and numeric cells. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "data/csv.h"

#define assert_contains(hay, needle)                                        \
    do {                                                                    \
        if (strstr((hay), (needle)) == NULL) {                              \
            print_error("expected \"%s\" in: %s\n", (needle), (hay));       \
            fail();                                                         \
        }                                                                   \
    } while (0)

typedef struct tmpcsv {
    char path[64];
    we_csv *r;
    we_error err;
} tmpcsv;

/* Writes n bytes to a fresh temporary file and opens it. */
static void open_bytes(tmpcsv *t, const char *bytes, size_t n)
{
    strcpy(t->path, "/tmp/wijkeval_csv_XXXXXX");
    int fd = mkstemp(t->path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, bytes, n), (ssize_t)n);
    close(fd);
    t->err.msg[0] = '\0';
    if (we_csv_open(&t->r, t->path, &t->err) != 0) {
        print_error("open failed: %s\n", t->err.msg);
        fail();
    }
}

static void open_text(tmpcsv *t, const char *text)
{
    open_bytes(t, text, strlen(text));
}

static void done(tmpcsv *t)
{
    we_csv_close(t->r);
    unlink(t->path);
}

static void next_ok(tmpcsv *t, we_csv_row *row)
{
    int rc = we_csv_next(t->r, row, &t->err);
    if (rc != 1) {
        print_error("expected a row, got %d: %s\n", rc, t->err.msg);
        fail();
    }
}

static void assert_fields(const we_csv_row *row, size_t n,
                          const char *const *want)
{
    assert_int_equal(row->n_fields, n);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(row->fields[i], want[i]);
}

#define FIELDS(row, ...)                                                    \
    assert_fields((row),                                                    \
                  sizeof((const char *const[]){ __VA_ARGS__ }) /            \
                      sizeof(const char *),                                 \
                  (const char *const[]){ __VA_ARGS__ })

static void test_comma_basic(void **state)
{
    (void)state;
    tmpcsv t;
    we_csv_row row;
    open_text(&t, "a,bb,ccc\n1,,3\n");
    assert_int_equal(we_csv_delimiter(t.r), ',');
    assert_string_equal(we_csv_path(t.r), t.path);
    next_ok(&t, &row);
    FIELDS(&row, "a", "bb", "ccc");
    assert_int_equal(row.line, 1);
    assert_int_equal(row.columns[0], 1);
    assert_int_equal(row.columns[1], 3);
    assert_int_equal(row.columns[2], 6);
    assert_int_equal(we_csv_column(&row, "bb"), 1);
    assert_int_equal(we_csv_column(&row, "b"), -1);
    next_ok(&t, &row);
    FIELDS(&row, "1", "", "3");
    assert_int_equal(row.line, 2);
    assert_int_equal(we_csv_next(t.r, &row, &t.err), 0);
    assert_int_equal(we_csv_next(t.r, &row, &t.err), 0);
    done(&t);
}

static void test_semicolon_bom_crlf(void **state)
{
    (void)state;
    tmpcsv t;
    we_csv_row row;
    static const char text[] = "\xef\xbb\xbf" "area;val,x;n\r\n"
                               "GM0363;1,5;a\r\n\r\nGM0599;2;b\r\n";
    open_text(&t, text);
    assert_int_equal(we_csv_delimiter(t.r), ';');
    next_ok(&t, &row);
    FIELDS(&row, "area", "val,x", "n");
    assert_int_equal(row.columns[0], 1); /* the BOM is not a column */
    assert_int_equal(we_csv_column(&row, "area"), 0);
    next_ok(&t, &row);
    FIELDS(&row, "GM0363", "1,5", "a");
    assert_int_equal(row.columns[1], 8);
    next_ok(&t, &row);
    FIELDS(&row, "GM0599", "2", "b");
    assert_int_equal(row.line, 4); /* the blank line still counts */
    assert_int_equal(we_csv_next(t.r, &row, &t.err), 0);
    size_t n;
    const char *bytes = we_csv_bytes(t.r, &n);
    assert_int_equal(n, sizeof text - 1);
    assert_memory_equal(bytes, "\xef\xbb\xbf" "area", 7);
    done(&t);
}

/* The header decides; ',' wins a tie, and quoted text does not count. */
static void test_delimiter_detection(void **state)
{
    (void)state;
    tmpcsv t;
    open_text(&t, "\"a;b;c\",d\n1,2\n");
    assert_int_equal(we_csv_delimiter(t.r), ',');
    done(&t);
    open_text(&t, "a;b,c\n");
    assert_int_equal(we_csv_delimiter(t.r), ',');
    done(&t);
    open_text(&t, "a;b;c,d\n");
    assert_int_equal(we_csv_delimiter(t.r), ';');
    done(&t);
}

static void test_quotes(void **state)
{
    (void)state;
    tmpcsv t;
    we_csv_row row;
    open_text(&t, "name,note,n\n"
                  "\"Noord, Oost\",\"say \"\"hi\"\"\",1\n"
                  "\"\",\"two\nlines\r\nhere\",2\n"
                  "last,x,\"3\"");
    next_ok(&t, &row);
    next_ok(&t, &row);
    FIELDS(&row, "Noord, Oost", "say \"hi\"", "1");
    assert_int_equal(row.columns[1], 15);
    assert_int_equal(row.columns[2], 28);
    next_ok(&t, &row);
    FIELDS(&row, "", "two\nlines\r\nhere", "2");
    assert_int_equal(row.line, 3);
    assert_int_equal(row.columns[1], 4);
    assert_int_equal(row.columns[2], 7); /* column on line 5, after here" */
    next_ok(&t, &row);
    FIELDS(&row, "last", "x", "3"); /* no final newline */
    assert_int_equal(row.line, 6);
    assert_int_equal(we_csv_next(t.r, &row, &t.err), 0);
    done(&t);
}

static void test_lone_cr_and_trailing_delimiter(void **state)
{
    (void)state;
    tmpcsv t;
    we_csv_row row;
    open_text(&t, "a,b\r1,\r2,3");
    next_ok(&t, &row);
    next_ok(&t, &row);
    FIELDS(&row, "1", "");
    assert_int_equal(row.line, 2);
    next_ok(&t, &row);
    FIELDS(&row, "2", "3");
    assert_int_equal(row.line, 3);
    done(&t);
}

/* Reading many rows reuses the row buffers and keeps earlier rows'
 * content out of later ones. */
static void test_many_rows(void **state)
{
    (void)state;
    size_t n = 20000;
    char *text = malloc(n * 40 + 64);
    assert_non_null(text);
    size_t len = (size_t)sprintf(text, "k,v\n");
    for (size_t i = 0; i < n; i++)
        len += (size_t)sprintf(text + len, "\"key %zu\",%zu%s\n", i, i * 7,
                               i % 100 == 0 ? ",extra,fields,here" : "");
    tmpcsv t;
    we_csv_row row;
    open_bytes(&t, text, len);
    free(text);
    next_ok(&t, &row);
    for (size_t i = 0; i < n; i++) {
        char key[32], val[32];
        next_ok(&t, &row);
        snprintf(key, sizeof key, "key %zu", i);
        snprintf(val, sizeof val, "%zu", i * 7);
        assert_int_equal(row.n_fields, i % 100 == 0 ? 5 : 2);
        assert_string_equal(row.fields[0], key);
        assert_string_equal(row.fields[1], val);
        assert_int_equal(row.line, i + 2);
    }
    assert_int_equal(we_csv_next(t.r, &row, &t.err), 0);
    done(&t);
}

static void expect_next_error(const char *text, size_t len,
                              const char *where, const char *what)
{
    tmpcsv t;
    we_csv_row row;
    open_bytes(&t, text, len);
    int rc;
    while ((rc = we_csv_next(t.r, &row, &t.err)) == 1)
        ;
    assert_int_equal(rc, -1);
    char want[128];
    snprintf(want, sizeof want, "%s:%s: ", t.path, where);
    assert_contains(t.err.msg, want);
    assert_contains(t.err.msg, what);
    done(&t);
}

#define EXPECT_ERROR(lit, where, what)                                      \
    expect_next_error((lit), sizeof(lit) - 1, (where), (what))

static void test_malformed(void **state)
{
    (void)state;
    /* The error points at the quote that opened the field. */
    EXPECT_ERROR("a,b\n1,\"open\n2,3\n4,5\n", "2:3", "never closed");
    EXPECT_ERROR("a,b\n1,ab\"c\n", "2:5", "inside an unquoted field");
    EXPECT_ERROR("a,b\n1,\"ab\"c\n", "2:7", "after the closing quote");
    EXPECT_ERROR("a,b\n1,\"x\ny\"z\n", "3:3", "after the closing quote");
    EXPECT_ERROR("a,b\n1, \"x\"\n", "2:4", "inside an unquoted field");
    EXPECT_ERROR("a,b\n1,a\0b\n", "2:4", "NUL byte");
    EXPECT_ERROR("a,b\n1,\"a\0b\"\n", "2:5", "NUL byte");
}

static void test_open_errors(void **state)
{
    (void)state;
    we_csv *r = (we_csv *)1;
    we_error err;
    assert_int_equal(we_csv_open(&r, "/nonexistent/dir/x.csv", &err), -1);
    assert_null(r);
    assert_contains(err.msg, "/nonexistent/dir/x.csv: cannot open");

    char path[] = "/tmp/wijkeval_csv_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "\xff\xfe" "a\0,\0", 6), 6);
    close(fd);
    assert_int_equal(we_csv_open(&r, path, &err), -1);
    assert_contains(err.msg, path);
    assert_contains(err.msg, "UTF-16");
    unlink(path);

    /* Only regular files: a directory, a device and a FIFO are refused
     * by name before a byte is read (a FIFO without a writer would block
     * the run, /dev/zero would never end). */
    assert_int_equal(we_csv_open(&r, "/tmp", &err), -1);
    assert_contains(err.msg, "/tmp: is a directory, not a regular file");
    assert_int_equal(we_csv_open(&r, "/dev/zero", &err), -1);
    assert_contains(err.msg, "/dev/zero: is a character device");
    char fifo[] = "/tmp/wijkeval_fifo_XXXXXX";
    fd = mkstemp(fifo);
    assert_true(fd >= 0);
    close(fd);
    unlink(fifo);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    assert_int_equal(we_csv_open(&r, fifo, &err), -1);
    assert_contains(err.msg, "is a FIFO (named pipe), not a regular file");
    unlink(fifo);
}

/* Opening fails with "path:line:col: ..." holding `what`. */
static void expect_open_error(const char *bytes, size_t n, const char *where,
                              const char *what)
{
    char path[] = "/tmp/wijkeval_csv_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, bytes, n), (ssize_t)n);
    close(fd);
    we_csv *r = NULL;
    we_error err;
    assert_int_equal(we_csv_open(&r, path, &err), -1);
    char want[128];
    snprintf(want, sizeof want, "%s:%s: ", path, where);
    assert_contains(err.msg, want);
    assert_contains(err.msg, what);
    unlink(path);
}

static void test_invalid_utf8(void **state)
{
    (void)state;
    const char lone[] = "a,b\nWK01,caf\xe9\n"; /* Latin-1 e acute */
    expect_open_error(lone, sizeof lone - 1, "2:9", "invalid UTF-8 (byte 0xe9");
    const char overlong[] = "a,b\n1,2\n\xc0\xaf,3\n";
    expect_open_error(overlong, sizeof overlong - 1, "3:1", "invalid UTF-8");
    const char surrogate[] = "a\xed\xa0\x80,b\n";
    expect_open_error(surrogate, sizeof surrogate - 1, "1:2",
                      "invalid UTF-8");
    const char cut[] = "a,b\n1,\xe2\x82";
    expect_open_error(cut, sizeof cut - 1, "2:3", "invalid UTF-8");
    /* Valid multi-byte text is read as it is. */
    tmpcsv t;
    we_csv_row row;
    open_text(&t, "a,b\nBU01,\xe2\x82\xac \xc3\xa9\xf0\x9f\x98\x80\n");
    next_ok(&t, &row);
    next_ok(&t, &row);
    assert_string_equal(row.fields[1], "\xe2\x82\xac \xc3\xa9\xf0\x9f\x98\x80");
    done(&t);
}

/* A row longer than WE_MAX_LINE (1 MiB) is refused with its line; one
 * just under it is read. */
static void test_long_line(void **state)
{
    (void)state;
    size_t big = (size_t)2 << 20;
    char *text = malloc(big + 64);
    assert_non_null(text);
    strcpy(text, "a,b\n1,");
    size_t n = strlen(text);
    memset(text + n, 'x', big);
    n += big;
    memcpy(text + n, "\n2,3\n", 5);
    n += 5;
    tmpcsv t;
    we_csv_row row;
    open_bytes(&t, text, n);
    next_ok(&t, &row);
    assert_int_equal(we_csv_next(t.r, &row, &t.err), -1);
    assert_contains(t.err.msg, ":2: the line is longer than 1048576 bytes");
    done(&t);
    /* Just under the limit: fine. */
    n = strlen("a,b\n1,");
    memset(text + n, 'y', ((size_t)1 << 20) - 3);
    n += ((size_t)1 << 20) - 3;
    memcpy(text + n, "\n", 1);
    open_bytes(&t, text, n + 1);
    next_ok(&t, &row);
    next_ok(&t, &row);
    assert_int_equal(strlen(row.fields[1]), ((size_t)1 << 20) - 3);
    done(&t);
    free(text);
}

static void test_empty_file(void **state)
{
    (void)state;
    tmpcsv t;
    we_csv_row row;
    open_text(&t, "");
    assert_int_equal(we_csv_delimiter(t.r), ',');
    assert_int_equal(we_csv_next(t.r, &row, &t.err), 0);
    done(&t);
    open_text(&t, "\xef\xbb\xbf\r\n\n");
    assert_int_equal(we_csv_next(t.r, &row, &t.err), 0);
    done(&t);
}

static void assert_number(const we_csv *r, const char *s, double want)
{
    double v = -12345;
    int rc = we_csv_number(r, s, &v);
    if (rc != 0 || v != want) {
        print_error("'%s': rc %d, value %.17g, want %.17g\n", s, rc, v, want);
        fail();
    }
}

static void assert_missing(const we_csv *r, const char *s)
{
    double v = 0;
    assert_int_equal(we_csv_number(r, s, &v), 1);
    assert_true(isnan(v));
}

static void assert_not_number(const we_csv *r, const char *s)
{
    double v = 0;
    if (we_csv_number(r, s, &v) != -1) {
        print_error("'%s' was accepted as %.17g\n", s, v);
        fail();
    }
}

static void test_numbers_comma_file(void **state)
{
    (void)state;
    tmpcsv t;
    open_text(&t, "a,b\n");
    const we_csv *r = t.r;
    assert_number(r, "12.5", 12.5);
    assert_number(r, "  12.5 ", 12.5);
    assert_number(r, "\t-3e2", -300);
    assert_number(r, "+4", 4);
    assert_number(r, ".5", 0.5);
    assert_number(r, "5.", 5);
    assert_number(r, "1E-3", 0.001);
    assert_number(r, "0.1", 0.1);
    assert_number(r, "-0", -0.0);
    assert_number(r, "1e-400", 0); /* underflow rounds to zero */
    const char *missing[] = { "", "   ", ".", "x", "X", "-", "?", " x ",
                              " . " };
    for (size_t i = 0; i < sizeof missing / sizeof *missing; i++)
        assert_missing(r, missing[i]);
    const char *bad[] = { "12abc", "abc", "inf", "-inf", "nan", "NaN",
                          "infinity", "0x1p3", "0x10", "1e", "e5", "--1",
                          "1 2", "1e999", "1,5", "1.2.3", "+", "-.", "..",
                          "1e+", "xx", "1_000", "12%" };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_not_number(r, bad[i]);
    done(&t);
}

static void test_numbers_semicolon_file(void **state)
{
    (void)state;
    tmpcsv t;
    open_text(&t, "a;b\n");
    const we_csv *r = t.r;
    assert_number(r, "1,5", 1.5);
    assert_number(r, "-0,25", -0.25);
    assert_number(r, " 2,45e5 ", 245000);
    assert_number(r, "1.5", 1.5);
    assert_number(r, ",5", 0.5);
    assert_number(r, "3", 3);
    /* A long mantissa takes the heap path. */
    char longnum[300];
    memset(longnum, '0', sizeof longnum);
    longnum[0] = '7';
    longnum[1] = ',';
    longnum[sizeof longnum - 2] = '1';
    longnum[sizeof longnum - 1] = '\0';
    assert_number(r, longnum, 7.0);
    assert_missing(r, "x");
    assert_not_number(r, "1,2,3");
    assert_not_number(r, "1.234,5");
    assert_not_number(r, "1,5x");
    assert_not_number(r, "nan");
    done(&t);
}

static void assert_ambiguous(const we_csv *r, const char *s)
{
    double v = 0;
    int rc = we_csv_number(r, s, &v);
    if (rc != WE_CSV_AMBIGUOUS) {
        print_error("'%s': rc %d (value %.17g), want WE_CSV_AMBIGUOUS\n", s,
                    rc, v);
        fail();
    }
}

/* With ';' (decimal commas) a '.' and exactly three digits may be a Dutch
 * thousands separator: 180.204 is neither 180204 nor 180.204 until the
 * file says so. What cannot be a thousands group stays a number. */
static void test_numbers_ambiguous(void **state)
{
    (void)state;
    tmpcsv t;
    open_text(&t, "a;b\n");
    const char *amb[] = { "180.204", "1.234", "271.429", "-1.000", "+12.500",
                          " 999.999 " };
    for (size_t i = 0; i < sizeof amb / sizeof *amb; i++)
        assert_ambiguous(t.r, amb[i]);
    assert_number(t.r, "0.125", 0.125);    /* a group has no leading 0 */
    assert_number(t.r, "1234.567", 1234.567); /* 4 digits before it */
    assert_number(t.r, "1.2345", 1.2345);  /* 4 digits after it */
    assert_number(t.r, "1.23", 1.23);
    assert_number(t.r, "1.234e2", 123.4);  /* an exponent: no grouping */
    assert_number(t.r, "180,204", 180.204);
    assert_number(t.r, "180204", 180204);
    done(&t);
    /* A source that writes no thousands separators (CBS) opts out. */
    open_text(&t, "a;b\n");
    we_csv_dot_decimals(t.r);
    assert_number(t.r, "180.204", 180.204);
    done(&t);
    /* With ',' a '.' is the decimal point: nothing is ambiguous. */
    open_text(&t, "a,b\n");
    assert_number(t.r, "180.204", 180.204);
    done(&t);
    assert_number(NULL, "271.429", 271.429);

    we_error err;
    assert_int_equal(we_csv_ambiguous("f.csv", 3, 21, "180.204", &err), -1);
    assert_contains(err.msg, "f.csv:3:21: '180.204' could be 180204 (a "
                             "thousands separator) or 180.204 (a decimal "
                             "point)");
    assert_contains(err.msg, "(180,204)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_comma_basic),
        cmocka_unit_test(test_semicolon_bom_crlf),
        cmocka_unit_test(test_delimiter_detection),
        cmocka_unit_test(test_quotes),
        cmocka_unit_test(test_lone_cr_and_trailing_delimiter),
        cmocka_unit_test(test_many_rows),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_open_errors),
        cmocka_unit_test(test_empty_file),
        cmocka_unit_test(test_numbers_comma_file),
        cmocka_unit_test(test_numbers_semicolon_file),
        cmocka_unit_test(test_numbers_ambiguous),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_long_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
