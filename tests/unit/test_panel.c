/* Panel loading: the two good fixture flavours, the in-memory layout, the
 * data hash, and one fixture per kind of input error. Run from the repo
 * root. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data/panel.h"

#define FIX "tests/fixtures/data/"
#define GOOD FIX "good_comma/"
#define SEMI FIX "good_semicolon/"
#define BAD FIX "bad/"

#define assert_contains(hay, needle)                                        \
    do {                                                                    \
        if (strstr((hay), (needle)) == NULL) {                              \
            print_error("expected \"%s\" in: %s\n", (needle), (hay));       \
            fail();                                                         \
        }                                                                   \
    } while (0)

static void assert_zeroed(const we_panel *p)
{
    static const we_panel zero;
    assert_memory_equal(p, &zero, sizeof zero);
}

static double cell(const we_panel *p, const char *ind, const char *area,
                   int period)
{
    long k = we_panel_indicator(p, ind);
    long a = we_panel_area(p, area);
    long t = we_panel_period(p, period);
    assert_true(k >= 0 && a >= 0 && t >= 0);
    assert_non_null(p->values[k]);
    return p->values[k][(size_t)a * p->n_periods + (size_t)t];
}

static void load_ok(we_panel *p, const char *dir)
{
    char a[256], i[256], c[256];
    we_error err = { { 0 } };
    snprintf(a, sizeof a, "%sareas.csv", dir);
    snprintf(i, sizeof i, "%sindicators.csv", dir);
    snprintf(c, sizeof c, "%scatalog.csv", dir);
    if (we_panel_load(p, a, i, c, &err) != 0) {
        print_error("load failed: %s\n", err.msg);
        fail();
    }
}

static void test_good_comma_layout(void **state)
{
    (void)state;
    we_panel p;
    load_ok(&p, GOOD);
    assert_int_equal(p.n_areas, 5);
    assert_int_equal(p.n_indicators, 4);
    assert_int_equal(p.n_rows, 12);
    assert_int_equal(p.n_periods, 3);
    assert_int_equal(p.periods[0], 2007);
    assert_int_equal(p.periods[1], 2008);
    assert_int_equal(p.periods[2], 2009);

    assert_true(cell(&p, "woz_gemiddeld", "GM0363", 2007) == 240000.0);
    assert_true(cell(&p, "woz_gemiddeld", "GM0363", 2008) == 245000.0);
    assert_true(isnan(cell(&p, "woz_gemiddeld", "GM0363", 2009)));
    assert_true(cell(&p, "woz_gemiddeld", "WK036301", 2007) == 199999.25);
    assert_true(isnan(cell(&p, "woz_gemiddeld", "WK036301", 2008)));
    assert_true(cell(&p, "woz_gemiddeld", "WK036301", 2009) == 251000.5);
    assert_true(isnan(cell(&p, "woz_gemiddeld", "GM0599", 2007)));
    assert_true(cell(&p, "misdrijven_per_1000", "WK036302", 2007) == -0.5);
    assert_true(cell(&p, "misdrijven_per_1000", "BU03630101", 2008) ==
                81.125);
    assert_true(cell(&p, "vsv_pct", "GM0599", 2007) == 3.5);
    assert_true(cell(&p, "vsv_pct", "GM0599", 2008) == 4.0);
    assert_true(cell(&p, "vsv_pct", "BU03630101", 2009) == 1e-3);

    /* The layout itself: row-major by area. */
    long k = we_panel_indicator(&p, "woz_gemiddeld");
    assert_true(p.values[k][1 * 3 + 2] == 251000.5);
    /* A catalogue indicator without data rows has no matrix. */
    assert_null(p.values[we_panel_indicator(&p, "opkomst_pct")]);

    assert_int_equal(p.n_marked_missing[0], 1);
    assert_int_equal(p.n_marked_missing[1], 2);
    assert_int_equal(p.n_marked_missing[2], 0);
    assert_int_equal(p.n_marked_missing[3], 0);
    we_panel_free(&p);
    assert_zeroed(&p);
}

static void test_good_comma_records(void **state)
{
    (void)state;
    we_panel p;
    load_ok(&p, GOOD);
    assert_string_equal(p.areas[2].code, "WK036302");
    assert_string_equal(p.areas[2].name, "Noord, Oost");
    assert_string_equal(p.areas[3].name, "Kop \"Zeedijk\"");
    assert_string_equal(p.areas[3].municipality, "GM0363");
    assert_string_equal(p.areas[3].level, "buurt");
    assert_true(p.areas[0].population == 862965.0);
    assert_true(p.areas[4].population == 651446.5);
    assert_true(isnan(p.areas[2].population));

    assert_string_equal(p.catalog[0].indicator, "woz_gemiddeld");
    assert_string_equal(p.catalog[0].source, "CBS KWB: WOZ, g_woz");
    assert_int_equal(p.catalog[0].direction, WE_HIGHER_IS_BETTER);
    assert_int_equal(p.catalog[1].direction, WE_LOWER_IS_BETTER);
    assert_string_equal(p.catalog[2].theme, "leren_opgroeien");
    assert_string_equal(p.catalog[3].label_en, "Turnout");
    assert_string_equal(p.catalog[3].unit, "pct");
    we_panel_free(&p);
}

static void test_lookups(void **state)
{
    (void)state;
    we_panel p;
    load_ok(&p, GOOD);
    assert_int_equal(we_panel_area(&p, "GM0599"), 4);
    assert_int_equal(we_panel_area(&p, "GM0000"), -1);
    assert_int_equal(we_panel_indicator(&p, "vsv_pct"), 2);
    assert_int_equal(we_panel_indicator(&p, "nope"), -1);
    assert_int_equal(we_panel_period(&p, 2008), 1);
    assert_int_equal(we_panel_period(&p, 2010), -1);
    assert_int_equal(we_panel_period(&p, 2006), -1);
    we_panel_free(&p);
    /* Lookups on an empty panel answer -1 rather than crash. */
    assert_int_equal(we_panel_area(&p, "GM0599"), -1);
    assert_int_equal(we_panel_indicator(&p, "vsv_pct"), -1);
    assert_int_equal(we_panel_period(&p, 2008), -1);
}

static void assert_same_value(double x, double y)
{
    if (isnan(x))
        assert_true(isnan(y));
    else
        assert_true(x == y);
}

/* ';' + decimal comma + BOM + CRLF + other column orders must give the
 * same panel as the plain comma files. */
static void test_semicolon_flavour_identical(void **state)
{
    (void)state;
    we_panel a, b;
    load_ok(&a, GOOD);
    load_ok(&b, SEMI);
    assert_int_equal(a.n_areas, b.n_areas);
    assert_int_equal(a.n_periods, b.n_periods);
    assert_int_equal(a.n_indicators, b.n_indicators);
    assert_int_equal(a.n_rows, b.n_rows);
    assert_memory_equal(a.periods, b.periods, a.n_periods * sizeof(int));
    for (size_t i = 0; i < a.n_areas; i++) {
        assert_string_equal(a.areas[i].code, b.areas[i].code);
        assert_string_equal(a.areas[i].name, b.areas[i].name);
        assert_string_equal(a.areas[i].municipality, b.areas[i].municipality);
        assert_string_equal(a.areas[i].level, b.areas[i].level);
        assert_same_value(a.areas[i].population, b.areas[i].population);
    }
    for (size_t k = 0; k < a.n_indicators; k++) {
        assert_string_equal(a.catalog[k].indicator, b.catalog[k].indicator);
        assert_string_equal(a.catalog[k].theme, b.catalog[k].theme);
        assert_string_equal(a.catalog[k].source, b.catalog[k].source);
        assert_int_equal(a.catalog[k].direction, b.catalog[k].direction);
        assert_int_equal(a.n_marked_missing[k], b.n_marked_missing[k]);
        assert_true((a.values[k] == NULL) == (b.values[k] == NULL));
        for (size_t c = 0; a.values[k] && c < a.n_areas * a.n_periods; c++)
            assert_same_value(a.values[k][c], b.values[k][c]);
    }
    assert_string_not_equal(a.data_sha256, b.data_sha256);
    we_panel_free(&a);
    we_panel_free(&b);
}

/* Without areas and catalogue files both are derived from the data file
 * (wijkeval estimate): the same values, the municipality from the code. */
static void assert_derived_like(const char *dir)
{
    char path[256];
    snprintf(path, sizeof path, "%sindicators.csv", dir);
    we_panel full, d;
    we_error err = { { 0 } };
    load_ok(&full, dir);
    if (we_panel_load_derived(&d, NULL, path, NULL, &err) != 0) {
        print_error("derived load failed: %s\n", err.msg);
        fail();
    }
    assert_int_equal(d.n_rows, full.n_rows);
    assert_int_equal(d.n_periods, full.n_periods);
    assert_memory_equal(d.periods, full.periods, d.n_periods * sizeof(int));
    for (size_t i = 0; i < d.n_areas; i++) {
        long a = we_panel_area(&full, d.areas[i].code);
        assert_true(a >= 0);
        assert_string_equal(d.areas[i].name, d.areas[i].code);
        assert_string_equal(d.areas[i].municipality,
                            full.areas[a].municipality);
    }
    for (size_t k = 0; k < d.n_indicators; k++) {
        assert_int_equal(d.catalog[k].direction, WE_HIGHER_IS_BETTER);
        assert_string_equal(d.catalog[k].theme, "welzijn");
        long fk = we_panel_indicator(&full, d.catalog[k].indicator);
        assert_true(fk >= 0 && d.values[k] != NULL);
        assert_int_equal(d.n_marked_missing[k], full.n_marked_missing[fk]);
        for (size_t i = 0; i < d.n_areas; i++)
            for (size_t t = 0; t < d.n_periods; t++)
                assert_same_value(
                    d.values[k][i * d.n_periods + t],
                    cell(&full, d.catalog[k].indicator, d.areas[i].code,
                         d.periods[t]));
    }
    we_panel_free(&d);
    we_panel_free(&full);
}

static void write_text(char *path, const char *text)
{
    strcpy(path, "/tmp/we-test-panel-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_derived_lists(void **state)
{
    (void)state;
    assert_derived_like(GOOD);  /* quoted: the CSV reader's scan */
    assert_derived_like(SEMI);
    /* Without quotes: the streaming scan, with BOM, ';', CRLF, spaces
     * and a blank line; areas in order of first appearance. */
    char path[64];
    write_text(path, "\xef\xbb\xbfvalue;area ;indicator;period\r\n"
                     "1,5;WK036301;woz_gemiddeld;2009\r\n\r\n"
                     "2; BU05990101 ;woz_gemiddeld;2008\r\n"
                     "3;WK036301;opkomst_pct;2008\r\n");
    we_panel p;
    we_error err = { { 0 } };
    int rc = we_panel_load_derived(&p, NULL, path, NULL, &err);
    if (rc != 0)
        print_error("%s\n", err.msg);
    assert_int_equal(rc, 0);
    assert_int_equal(p.n_areas, 2);
    assert_string_equal(p.areas[0].code, "WK036301");
    assert_string_equal(p.areas[0].municipality, "GM0363");
    assert_string_equal(p.areas[1].code, "BU05990101");
    assert_string_equal(p.areas[1].municipality, "GM0599");
    assert_int_equal(p.n_indicators, 2);
    assert_string_equal(p.catalog[1].indicator, "opkomst_pct");
    assert_true(cell(&p, "woz_gemiddeld", "WK036301", 2009) == 1.5);
    assert_true(cell(&p, "woz_gemiddeld", "BU05990101", 2008) == 2);
    we_panel_free(&p);
    /* A code without a municipality: file, line and column. */
    remove(path);
    write_text(path, "area,period,indicator,value\n"
                     "WK036301,2009,woz_gemiddeld,1\n"
                     "GM0363,2009,woz_gemiddeld,1\n"
                     "Noord,2009,woz_gemiddeld,1\n");
    assert_int_equal(we_panel_load_derived(&p, NULL, path, NULL, &err), -1);
    char where[160];
    snprintf(where, sizeof where, "%s:4:1: area 'Noord' is not a CBS code",
             path);
    assert_contains(err.msg, where);
    assert_zeroed(&p);
    remove(path);
}

static void test_optional_area_columns(void **state)
{
    (void)state;
    we_panel p;
    we_error err = { { 0 } };
    assert_int_equal(we_panel_load(&p, FIX "areas_minimal.csv",
                                   GOOD "indicators.csv",
                                   GOOD "catalog.csv", &err),
                     0);
    assert_string_equal(p.areas[0].level, "");
    assert_true(isnan(p.areas[0].population));
    assert_true(cell(&p, "woz_gemiddeld", "WK036301", 2009) == 251000.5);
    we_panel_free(&p);
}

/* The hash covers the three files, concatenated as areas, catalog,
 * indicators; sha256sum computes the expected value independently. */
static void test_data_sha256(void **state)
{
    (void)state;
    we_panel p;
    load_ok(&p, GOOD);
    FILE *f = popen("cat " GOOD "areas.csv " GOOD "catalog.csv "
                    GOOD "indicators.csv | sha256sum", "r");
    assert_non_null(f);
    char line[128] = { 0 };
    assert_non_null(fgets(line, sizeof line, f));
    assert_int_equal(pclose(f), 0);
    line[64] = '\0';
    assert_string_equal(p.data_sha256, line);
    we_panel_free(&p);
}

/* ---- errors ------------------------------------------------------------- */

/* Loads with the good files except for the one replaced, expects failure,
 * an empty panel, and a message holding every string of `want`. */
static void expect_error(const char *areas, const char *catalog,
                         const char *indicators, const char *const *want)
{
    we_panel p;
    we_error err = { { 0 } };
    memset(&p, 0xab, sizeof p);
    int rc = we_panel_load(&p, areas ? areas : GOOD "areas.csv",
                           indicators ? indicators : GOOD "indicators.csv",
                           catalog ? catalog : GOOD "catalog.csv", &err);
    assert_int_equal(rc, -1);
    assert_zeroed(&p);
    for (; *want != NULL; want++)
        assert_contains(err.msg, *want);
}

#define AREAS_ERR(file, ...)                                                \
    expect_error(BAD file, NULL, NULL,                                      \
                 (const char *const[]){ BAD file ":", __VA_ARGS__, NULL })
#define CATALOG_ERR(file, ...)                                              \
    expect_error(NULL, BAD file, NULL,                                      \
                 (const char *const[]){ BAD file ":", __VA_ARGS__, NULL })
#define DATA_ERR(file, ...)                                                 \
    expect_error(NULL, NULL, BAD file,                                      \
                 (const char *const[]){ BAD file ":", __VA_ARGS__, NULL })

static void test_areas_errors(void **state)
{
    (void)state;
    AREAS_ERR("areas_bad_code.csv", "areas_bad_code.csv:3:1:", "'W036301'",
              "not a CBS code", "GM + 4 digits", "WK + 6 digits",
              "BU + 8 digits");
    AREAS_ERR("areas_duplicate.csv", "areas_duplicate.csv:4:1:",
              "area 'GM0363' appears twice", "first on line 2");
    AREAS_ERR("areas_missing_column.csv", "areas_missing_column.csv:1:",
              "missing column 'name'", "area,name,municipality",
              "found: area,naam,municipality");
    AREAS_ERR("areas_bad_population.csv", "areas_bad_population.csv:2:25:",
              "population 'veel' is not a number");
    AREAS_ERR("areas_bad_municipality.csv",
              "areas_bad_municipality.csv:2:18:", "municipality 'Amsterdam'",
              "GM0363");
    AREAS_ERR("areas_empty.csv", "the file is empty", "area,name");
}

static void test_catalog_errors(void **state)
{
    (void)state;
    CATALOG_ERR("catalog_bad_direction.csv", "catalog_bad_direction.csv:2:27:",
                "direction 'up'", "higher_is_better or lower_is_better");
    CATALOG_ERR("catalog_bad_theme.csv", "catalog_bad_theme.csv:2:44:",
                "theme 'housing'", "wonen", "leren_opgroeien", "welzijn");
    CATALOG_ERR("catalog_bad_id.csv", "catalog_bad_id.csv:2:1:",
                "'WOZ Gemiddeld'", "a-z, 0-9 and '_'");
    CATALOG_ERR("catalog_duplicate.csv", "catalog_duplicate.csv:4:1:",
                "indicator 'woz_gemiddeld' appears twice", "first on line 2");
    CATALOG_ERR("catalog_missing_column.csv",
                "catalog_missing_column.csv:1:", "missing column 'direction'");
}

static void test_indicator_errors(void **state)
{
    (void)state;
    DATA_ERR("indicators_unknown_area.csv",
             "indicators_unknown_area.csv:3:1:", "unknown area 'GM9999'",
             "add it to the areas file " GOOD "areas.csv");
    DATA_ERR("indicators_unknown_indicator.csv",
             "indicators_unknown_indicator.csv:3:13:",
             "unknown indicator 'woz_mediaan'",
             "add it to the catalogue " GOOD "catalog.csv");
    DATA_ERR("indicators_bad_value.csv", "indicators_bad_value.csv:3:27:",
             "value '12abc' is not a number", "missing marker");
    DATA_ERR("indicators_bad_period.csv", "indicators_bad_period.csv:3:8:",
             "period '2007.5' is not an integer year");
    DATA_ERR("indicators_ragged_long.csv", "indicators_ragged_long.csv:3:29:",
             "expected 4 fields", "found 5");
    DATA_ERR("indicators_ragged_short.csv", "indicators_ragged_short.csv:3:",
             "expected 4 fields", "found 3");
    DATA_ERR("indicators_duplicate.csv", "indicators_duplicate.csv:5:1:",
             "duplicate row for area 'GM0363', period 2007, indicator "
             "'woz_gemiddeld'",
             "first on line 2");
    DATA_ERR("indicators_unterminated.csv",
             "indicators_unterminated.csv:3:13:", "never closed");
    DATA_ERR("indicators_stray_quote.csv", "indicators_stray_quote.csv:3:17:",
             "'\"' inside an unquoted field");
    DATA_ERR("indicators_missing_column.csv",
             "indicators_missing_column.csv:1:", "missing column 'period'",
             "area,period,indicator,value");
    DATA_ERR("indicators_no_rows.csv", "no data rows");
}

static void test_missing_file(void **state)
{
    (void)state;
    expect_error(NULL, NULL, FIX "does_not_exist.csv",
                 (const char *const[]){ FIX "does_not_exist.csv",
                                        "cannot open", NULL });
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_comma_layout),
        cmocka_unit_test(test_good_comma_records),
        cmocka_unit_test(test_lookups),
        cmocka_unit_test(test_semicolon_flavour_identical),
        cmocka_unit_test(test_derived_lists),
        cmocka_unit_test(test_optional_area_columns),
        cmocka_unit_test(test_data_sha256),
        cmocka_unit_test(test_areas_errors),
        cmocka_unit_test(test_catalog_errors),
        cmocka_unit_test(test_indicator_errors),
        cmocka_unit_test(test_missing_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
