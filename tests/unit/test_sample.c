/* The TWFE sample and the cluster numbering (core/src/methods/sample.h):
 * which cells enter, the reference period and the period columns, the
 * group counts, both cluster orders, a negative cluster id refused, and
 * the within-area demeaning of the rows, and the count of treated
 * clusters against its reference. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "methods/sample.h"
#include "util/reference.h"

/* 4 areas x 5 periods; latest follow-up 3, so period 4 is outside. Area 2
 * is not in the sample; area 3 has a missing value; period 0 has no cell
 * in a sample area (area 2 has one, but it does not count). */
#define A 4
#define T 5
static const double Y[A * T] = {
    NAN, 1.0, 2.0, 3.0, 9.0,  /* area 0: treated from 2 */
    NAN, 1.5, 2.5, 3.5, 9.0,  /* area 1: comparison */
    0.0, 1.0, 1.0, 1.0, 9.0,  /* area 2: out of the sample */
    NAN, 2.0, NAN, 4.0, 9.0,  /* area 3: comparison, one gap */
};
static const long TREATED_FROM[A] = {2, -1, 2, -1};
static const unsigned char IN_SAMPLE[A] = {1, 1, 0, 1};
static const size_t FOLLOWUP[2] = {2, 3};

static we_design design(const int *cluster)
{
    we_design d = {.n_areas = A, .n_periods = T,
                   .treated_from = TREATED_FROM, .in_sample = IN_SAMPLE,
                   .cluster = cluster, .baseline = 1, .followup = FOLLOWUP,
                   .n_followup = 2, .alpha = 0.05};
    return d;
}

static void test_cells(void **state)
{
    (void)state;
    static const int cluster[A] = {0, 1, 2, 3};
    we_design d = design(cluster);
    we_sample s;
    we_error err = {0};
    assert_int_equal(we_sample_build(Y, &d, &s, &err), WE_OK);
    assert_int_equal(s.T_max, 4);
    assert_int_equal(s.area_n[0], 3);
    assert_int_equal(s.area_n[1], 3);
    assert_int_equal(s.area_n[2], 0); /* not in the sample */
    assert_int_equal(s.area_n[3], 2); /* the gap drops a cell */
    assert_int_equal(s.N, 8);
    assert_int_equal(s.used[2], 0);
    assert_int_equal(s.n_treated, 1);
    assert_int_equal(s.n_control, 2);
    assert_int_equal(s.period_col[0], WE_SAMPLE_ABSENT);
    assert_int_equal(s.period_col[1], WE_SAMPLE_REFERENCE);
    assert_int_equal(s.period_col[2], 0);
    assert_int_equal(s.period_col[3], 1);
    assert_int_equal(s.n_pc, 2);
    assert_true(we_sample_cell(&s, Y, &d, 3, 3));
    assert_false(we_sample_cell(&s, Y, &d, 3, 2));
    assert_false(we_sample_cell(&s, Y, &d, 2, 1));
    we_sample_free(&s);
}

static void test_cluster_orders(void **state)
{
    (void)state;
    static const int cluster[A] = {7, 3, 1, 7};
    static const unsigned char used[A] = {1, 1, 0, 1};
    we_design d = design(cluster);
    int cl[A];
    size_t G = 99;
    we_error err = {0};
    assert_int_equal(we_sample_clusters(&d, used, WE_CLUSTERS_FIRST_SEEN, cl,
                                        &G, &err), WE_OK);
    assert_int_equal(G, 2);
    assert_int_equal(cl[0], 0);
    assert_int_equal(cl[1], 1);
    assert_int_equal(cl[2], -1);
    assert_int_equal(cl[3], 0);
    assert_int_equal(we_sample_clusters(&d, used, WE_CLUSTERS_BY_ID, cl, &G,
                                        &err), WE_OK);
    assert_int_equal(G, 2);
    assert_int_equal(cl[0], 1);
    assert_int_equal(cl[1], 0);
    assert_int_equal(cl[2], -1);
    assert_int_equal(cl[3], 1);
}

static void test_negative_cluster(void **state)
{
    (void)state;
    static const int cluster[A] = {0, -1, -5, 2};
    static const unsigned char used[A] = {1, 1, 0, 1};
    static const unsigned char skip[A] = {1, 0, 0, 1};
    we_design d = design(cluster);
    int cl[A];
    size_t G = 0;
    we_error err = {0};
    assert_int_equal(we_sample_clusters(&d, used, WE_CLUSTERS_FIRST_SEEN, cl,
                                        &G, &err), WE_EINVAL);
    assert_non_null(strstr(err.msg, "negative cluster id"));
    /* An area that is not used may carry any id. */
    assert_int_equal(we_sample_clusters(&d, skip, WE_CLUSTERS_BY_ID, cl, &G,
                                        &err), WE_OK);
    assert_int_equal(G, 2);
}

/* Column 0: treated; column 1 + c: period dummy c. */
static void cols(const void *ctx, size_t i, size_t t, long *c1, long *c2)
{
    const we_sample *s = ctx;
    *c1 = TREATED_FROM[i] >= 0 && (long)t >= TREATED_FROM[i] ? 0 : -1;
    *c2 = s->period_col[t] >= 0 ? 1 + s->period_col[t] : -1;
}

static void test_demeaned_rows(void **state)
{
    (void)state;
    static const int cluster[A] = {0, 1, 2, 3};
    we_design d = design(cluster);
    we_sample s;
    we_ols o;
    we_error err = {0};
    double row[3], mean[3];
    assert_int_equal(we_sample_build(Y, &d, &s, &err), WE_OK);
    assert_int_equal(we_ols_init(&o, s.N, 3, &err), WE_OK);
    we_sample_add_area(&o, Y, &d, &s, 0, 5, cols, &s, row, mean);
    assert_int_equal(o.n, 3);
    /* Area 0, periods 1..3: y 1, 2, 3 (mean 2); D 0, 1, 1. */
    static const double X[9] = {-2.0 / 3, -1.0 / 3, -1.0 / 3,
                                1.0 / 3,  2.0 / 3,  -1.0 / 3,
                                1.0 / 3,  -1.0 / 3, 2.0 / 3};
    static const double yd[3] = {-1, 0, 1};
    for (size_t r = 0; r < 3; r++) {
        assert_true(fabs(o.y[r] - yd[r]) < 1e-15);
        assert_int_equal(o.cluster[r], 5);
        for (size_t c = 0; c < 3; c++)
            assert_true(fabs(o.X[r * 3 + c] - X[r * 3 + c]) < 1e-15);
    }
    double ybar = we_sample_area_means(Y, &d, &s, 3, 3, cols, &s, mean);
    assert_true(fabs(ybar - 3.0) < 1e-15);
    assert_true(fabs(mean[0]) < 1e-15 && fabs(mean[1]) < 1e-15);
    assert_true(fabs(mean[2] - 0.5) < 1e-15);
    we_ols_free(&o);
    we_sample_free(&s);
}

/* The count of clusters with an in-sample treated area (one pass over
 * marks per cluster id) equals the reference's (each treated area
 * against the earlier ones), on random designs: clusters sparse and
 * dense, areas out of the sample, none treated. */
static void test_treated_clusters(void **state)
{
    (void)state;
    enum { N = 300 };
    long from[N];
    unsigned char in[N];
    int cl[N];
    uint64_t x = 88172645463325252u;
    for (int rep = 0; rep < 200; rep++) {
        int span = 1 + rep % 50 * (rep % 3 == 0 ? 40 : 1);
        for (size_t i = 0; i < N; i++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            cl[i] = (int)(x % (uint64_t)span);
            from[i] = rep % 10 == 0 ? -1 : (long)(x >> 20 & 7) - 3;
            if (from[i] < -1)
                from[i] = -1;
            in[i] = (x >> 40 & 3) != 0;
        }
        we_design d = {.n_areas = N,
                       .n_periods = 5,
                       .treated_from = from,
                       .in_sample = in,
                       .cluster = cl};
        size_t fast = we_design_treated_clusters(&d);
        we_use_reference_paths(1);
        size_t ref = we_design_treated_clusters(&d);
        we_use_reference_paths(0);
        assert_int_equal(fast, ref);
        if (rep % 10 == 0)
            assert_int_equal(fast, 0);
    }
    /* The fixed design: area 0 treated and in the sample, area 2 treated
     * but out of it. */
    int cluster[A] = {5, 5, 5, 7};
    we_design d = design(cluster);
    assert_int_equal(we_design_treated_clusters(&d), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cells),
        cmocka_unit_test(test_cluster_orders),
        cmocka_unit_test(test_negative_cluster),
        cmocka_unit_test(test_demeaned_rows),
        cmocka_unit_test(test_treated_clusters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
