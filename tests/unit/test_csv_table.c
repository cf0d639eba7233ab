/* The header-keyed CSV table (data/csv_table.h): columns found by name,
 * required and optional ones, unknown and doubled columns, rows of the
 * header's width, trimmed fields, and messages that name file, line and
 * column and say what to do. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "data/csv_table.h"

#define EXPECTED "the columns area,from[,wave]"

static const char *const COLS[] = {"area", "from", "wave"};

/* The message holds `part`. */
static void assert_says(const char *msg, const char *part)
{
    if (strstr(msg, part) != NULL)
        return;
    print_error("expected \"%s\" in: %s\n", part, msg);
    fail();
}

typedef struct tmp {
    char path[64];
    we_csv_table t;
    we_error err;
} tmp;

/* Writes text to a fresh temporary file and opens it as a table; returns
 * what we_csv_table_open returned. */
static int open_text(tmp *x, const char *text)
{
    strcpy(x->path, "/tmp/wijkeval_csvt_XXXXXX");
    int fd = mkstemp(x->path);
    assert_true(fd >= 0);
    size_t n = strlen(text);
    assert_int_equal(write(fd, text, n), (ssize_t)n);
    close(fd);
    x->err.msg[0] = '\0';
    return we_csv_table_open(&x->t, x->path, EXPECTED, &x->err);
}

static void done(tmp *x)
{
    we_csv_table_close(&x->t);
    unlink(x->path);
}

/* "path:suffix" must start the message. */
static void assert_at(const tmp *x, const char *suffix)
{
    char want[128];
    snprintf(want, sizeof want, "%s%s", x->path, suffix);
    if (strncmp(x->err.msg, want, strlen(want)) != 0) {
        print_error("expected \"%s\" to start: %s\n", want, x->err.msg);
        fail();
    }
}

static void test_columns_and_rows(void **state)
{
    (void)state;
    tmp x;
    assert_int_equal(open_text(&x, " wave ,area, from\n"
                                   "w1, WK036301 ,2008\n"
                                   "\n"
                                   "w2,WK036302,2009\n"), 0);
    assert_int_equal(x.t.width, 3);
    assert_int_equal(x.t.header_line, 1);
    long c[3];
    assert_int_equal(we_csv_table_columns(&x.t, COLS, 3, 2, c, &x.err), 0);
    assert_int_equal(c[0], 1);
    assert_int_equal(c[1], 2);
    assert_int_equal(c[2], 0);
    assert_int_equal(we_csv_table_only(&x.t, COLS, 3, &x.err), 0);
    char buf[16];
    assert_string_equal(we_csv_table_header(&x.t, 0, buf, sizeof buf),
                        "wave");
    assert_int_equal(we_csv_table_next(&x.t, &x.err), 1);
    assert_string_equal(we_csv_table_field(&x.t, c[0]), "WK036301");
    assert_int_equal(we_csv_table_col(&x.t, c[0]), 4);
    assert_int_equal(we_csv_table_line(&x.t), 2);
    double v = 0;
    assert_int_equal(we_csv_table_number(&x.t, we_csv_table_field(&x.t,
                                                                  c[1]),
                                         &v), 0);
    assert_true(v == 2008.0);
    assert_int_equal(we_csv_table_next(&x.t, &x.err), 1); /* blank skipped */
    assert_int_equal(we_csv_table_line(&x.t), 4);
    assert_string_equal(we_csv_table_field(&x.t, c[2]), "w2");
    assert_int_equal(we_csv_table_next(&x.t, &x.err), 0);
    size_t len = 0;
    assert_non_null(we_csv_table_bytes(&x.t, &len));
    assert_true(len > 0);
    done(&x);
}

static void test_optional_absent(void **state)
{
    (void)state;
    tmp x;
    assert_int_equal(open_text(&x, "area;from\nWK036301;2008\n"), 0);
    long c[3];
    assert_int_equal(we_csv_table_columns(&x.t, COLS, 3, 2, c, &x.err), 0);
    assert_int_equal(c[2], -1);
    long one = 0;
    assert_int_equal(we_csv_table_column(&x.t, "wave", 0, &one, &x.err), 0);
    assert_int_equal(one, -1);
    done(&x);
}

static void test_missing_column(void **state)
{
    (void)state;
    tmp x;
    assert_int_equal(open_text(&x, "area,start\nWK036301,2008\n"), 0);
    long c[3];
    assert_int_equal(we_csv_table_columns(&x.t, COLS, 3, 2, c, &x.err), -1);
    assert_at(&x, ":1: missing column 'from'");
    assert_says(x.err.msg, "the header must name " EXPECTED);
    assert_says(x.err.msg, "(found: area,start)");
    done(&x);
}

static void test_unknown_column(void **state)
{
    (void)state;
    tmp x;
    assert_int_equal(open_text(&x, "area,from, start \n"), 0);
    assert_int_equal(we_csv_table_only(&x.t, COLS, 3, &x.err), -1);
    assert_at(&x, ":1:11: unknown column 'start'");
    assert_says(x.err.msg, "the header must name " EXPECTED);
    done(&x);
}

static void test_column_twice(void **state)
{
    (void)state;
    tmp x;
    assert_int_equal(open_text(&x, "area,from,area\n"), 0);
    long c[3];
    assert_int_equal(we_csv_table_columns(&x.t, COLS, 3, 2, c, &x.err), -1);
    assert_at(&x, ":1:11: column 'area' appears twice (also at column 1)");
    assert_says(x.err.msg, "rename or remove one");
    done(&x);
}

static void test_row_width(void **state)
{
    (void)state;
    tmp x;
    assert_int_equal(open_text(&x, "area,from\nWK1,2008,x\n"), 0);
    assert_int_equal(we_csv_table_next(&x.t, &x.err), -1);
    assert_at(&x, ":2:10: expected 2 fields (as in the header), found 3");
    assert_says(x.err.msg, "quote fields that contain ','");
    done(&x);
    assert_int_equal(open_text(&x, "area,from\nWK1,2008\nWK2\n"), 0);
    assert_int_equal(we_csv_table_next(&x.t, &x.err), 1);
    assert_int_equal(we_csv_table_next(&x.t, &x.err), -1);
    assert_at(&x, ":3: expected 2 fields (as in the header), found 1");
    assert_says(x.err.msg, "add the missing fields");
    done(&x);
}

static void test_empty_and_missing_file(void **state)
{
    (void)state;
    tmp x;
    assert_int_equal(open_text(&x, ""), -1);
    assert_at(&x, ": the file is empty; it needs a header line with "
                  EXPECTED);
    done(&x);
    we_csv_table t;
    we_error err = {{0}};
    assert_int_equal(we_csv_table_open(&t, "/nonexistent/x.csv", EXPECTED,
                                       &err), -1);
    assert_null(t.r);
    assert_says(err.msg, "/nonexistent/x.csv");
    we_csv_table_close(&t); /* harmless after a failed open */
}

static void test_oom_message(void **state)
{
    (void)state;
    tmp x;
    assert_int_equal(open_text(&x, "area,from\nWK1,2008\n"), 0);
    assert_int_equal(we_csv_table_next(&x.t, &x.err), 1);
    assert_int_equal(we_csv_table_oom(&x.t, &x.err), WE_ENOMEM);
    assert_at(&x, ":2: out of memory");
    done(&x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_columns_and_rows),
        cmocka_unit_test(test_optional_absent),
        cmocka_unit_test(test_missing_column),
        cmocka_unit_test(test_unknown_column),
        cmocka_unit_test(test_column_twice),
        cmocka_unit_test(test_row_width),
        cmocka_unit_test(test_empty_and_missing_file),
        cmocka_unit_test(test_oom_message),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
