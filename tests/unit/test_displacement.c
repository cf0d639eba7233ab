/* Displacement: the adjacency file (made symmetric, duplicates once, bad
 * rows refused with file:line:column), neighbours from centroids within a
 * distance band, and the ring (untreated neighbours of treated areas,
 * from the earliest start among them) that leaves the comparison group. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "data/adjacency.h"
#include "analysis/design.h"

/* Five areas A..E; no indicator is needed for the neighbours. */
typedef struct fixture {
    we_panel p;
    char dir[64];
} fixture;

static const char *const CODES[] = {"WK000101", "WK000102", "WK000103",
                                    "WK000104", "WK000105"};

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    const int periods[] = {2007, 2008};
    we_error err = {{0}};
    if (fx == NULL ||
        we_panel_new_empty(&fx->p, CODES, 5, periods, 2, &err) != 0)
        return -1;
    snprintf(fx->dir, sizeof fx->dir, "/tmp/we_test_disp_XXXXXX");
    if (mkdtemp(fx->dir) == NULL)
        return -1;
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    char path[128];
    snprintf(path, sizeof path, "%s/f.csv", fx->dir);
    unlink(path);
    rmdir(fx->dir);
    we_panel_free(&fx->p);
    free(fx);
    return 0;
}

static const char *write_file(const fixture *fx, const char *text)
{
    static char path[128];
    snprintf(path, sizeof path, "%s/f.csv", fx->dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

/* The neighbours of area i as a string of indices, e.g. "13". */
static void nbrs(const we_adjacency *a, size_t i, char *buf)
{
    size_t n = 0;
    for (size_t k = a->start[i]; k < a->start[i + 1]; k++)
        buf[n++] = (char)('0' + a->nbr[k]);
    buf[n] = '\0';
}

static void test_adjacency_symmetric(void **state)
{
    fixture *fx = *state;
    /* 0-1 given twice (once reversed), 1-3, 4 alone. */
    const char *path = write_file(fx, "area,neighbour\n"
                                      "WK000101,WK000102\n"
                                      "WK000104,WK000102\n"
                                      "WK000102,WK000101\n");
    we_adjacency a;
    we_error err = {{0}};
    assert_int_equal(we_adjacency_read(&a, path, &fx->p, &err), 0);
    char b[8];
    nbrs(&a, 0, b);
    assert_string_equal(b, "1");
    nbrs(&a, 1, b);
    assert_string_equal(b, "03");
    nbrs(&a, 2, b);
    assert_string_equal(b, "");
    nbrs(&a, 3, b);
    assert_string_equal(b, "1");
    nbrs(&a, 4, b);
    assert_string_equal(b, "");
    we_adjacency_free(&a);
}

static void expect_refused(fixture *fx, const char *text, const char *needle)
{
    const char *path = write_file(fx, text);
    we_adjacency a;
    we_error err = {{0}};
    assert_int_equal(we_adjacency_read(&a, path, &fx->p, &err), -1);
    if (strstr(err.msg, needle) == NULL)
        fail_msg("message '%s' lacks '%s'", err.msg, needle);
    if (strncmp(err.msg, path, strlen(path)) != 0)
        fail_msg("message '%s' does not start with the file", err.msg);
}

static void test_adjacency_refused(void **state)
{
    fixture *fx = *state;
    expect_refused(fx, "area,neighbour\nWK000101,WK000199\n",
                   "f.csv:2:10: unknown area 'WK000199'");
    expect_refused(fx, "area,neighbour\nWK000101,WK000102\nWK000103,WK000103\n",
                   "f.csv:3:10: area 'WK000103' is paired with itself");
    expect_refused(fx, "area,nb\nWK000101,WK000102\n",
                   "f.csv:1:6: the header must be area,neighbour");
    expect_refused(fx, "area,neighbour\nWK000101,WK000102,WK000103\n",
                   "f.csv:2: 3 fields, expected 2");
    expect_refused(fx, "", "the file is empty");
}

static void test_centroids_band(void **state)
{
    fixture *fx = *state;
    /* On a line 1000 m apart, E 1500 m off D at a right angle:
     * band 1000 joins consecutive areas A-B-C-D; D-E is 1500 m. */
    const char *path = write_file(fx, "area,x,y\n"
                                      "WK000101,0,0\n"
                                      "WK000102,1000,0\n"
                                      "WK000103,2000,0\n"
                                      "WK000104,3000,0\n"
                                      "WK000105,3000,1500\n");
    we_adjacency a;
    we_error err = {{0}};
    char b[8];
    assert_int_equal(we_adjacency_from_centroids(&a, path, 1000, &fx->p,
                                                 &err), 0);
    nbrs(&a, 1, b);
    assert_string_equal(b, "02");
    nbrs(&a, 3, b);
    assert_string_equal(b, "2");
    nbrs(&a, 4, b);
    assert_string_equal(b, "");
    we_adjacency_free(&a);
    /* 1500 m reaches E from D (exactly on the band), and A-C (2000) not;
     * C-E is sqrt(1000^2 + 1500^2) = 1803 m: out. */
    assert_int_equal(we_adjacency_from_centroids(&a, path, 1500, &fx->p,
                                                 &err), 0);
    nbrs(&a, 3, b);
    assert_string_equal(b, "24");
    nbrs(&a, 0, b);
    assert_string_equal(b, "1");
    nbrs(&a, 4, b);
    assert_string_equal(b, "3");
    we_adjacency_free(&a);
}

static void test_centroids_refused(void **state)
{
    fixture *fx = *state;
    we_adjacency a;
    we_error err = {{0}};
    const char *path = write_file(fx, "area,x,y\nWK000101,0,0\n");
    assert_int_equal(we_adjacency_from_centroids(&a, path, 10, &fx->p, &err),
                     -1);
    assert_non_null(strstr(err.msg, "area 'WK000102' of the areas file has "
                                    "no centroid"));
    path = write_file(fx, "area,x,y\nWK000101,0,zero\n");
    assert_int_equal(we_adjacency_from_centroids(&a, path, 10, &fx->p, &err),
                     -1);
    assert_non_null(strstr(err.msg, "f.csv:2:12: 'zero' is not a coordinate"));
    path = write_file(fx, "area,x,y\nWK000101,0,0\nWK000101,1,1\n");
    assert_int_equal(we_adjacency_from_centroids(&a, path, 10, &fx->p, &err),
                     -1);
    assert_non_null(strstr(err.msg, "f.csv:3:1: area 'WK000101' is given "
                                    "twice (first on line 2)"));
}

static void test_ring(void **state)
{
    fixture *fx = *state;
    /* A path A-B-C-D-E; B treated from period 1, D from period 0: A is in
     * the ring from 1, C from 0 (the earlier of B and D), E from 0. */
    const char *path = write_file(fx, "area,neighbour\n"
                                      "WK000101,WK000102\n"
                                      "WK000102,WK000103\n"
                                      "WK000103,WK000104\n"
                                      "WK000104,WK000105\n");
    we_adjacency a;
    we_error err = {{0}};
    assert_int_equal(we_adjacency_read(&a, path, &fx->p, &err), 0);
    const long treated[] = {-1, 1, -1, 0, -1};
    long ring[5];
    assert_int_equal(we_ring_build(&a, treated, ring), 3);
    assert_int_equal(ring[0], 1);
    assert_int_equal(ring[1], -1);
    assert_int_equal(ring[2], 0);
    assert_int_equal(ring[3], -1);
    assert_int_equal(ring[4], 0);
    /* Nothing treated: no ring. */
    const long none[] = {-1, -1, -1, -1, -1};
    assert_int_equal(we_ring_build(&a, none, ring), 0);
    we_adjacency_free(&a);
}

/* The run's design: the ring leaves the comparison group, the areas
 * further away stay. */
static void test_design_excludes_ring(void **state)
{
    fixture *fx = *state;
    const char *path = write_file(fx, "area,neighbour\n"
                                      "WK000101,WK000102\n"
                                      "WK000104,WK000105\n");
    char *treated_area = strdup("WK000101");
    we_treated_cfg tc = {.area = treated_area, .from = 2008, .line = 1};
    we_config c;
    memset(&c, 0, sizeof c);
    we_config_set_defaults(&c);
    c.path = (char *)"test.cfg";
    c.baseline = 2007;
    int followup[] = {2008};
    c.followup = followup;
    c.n_followup = 1;
    c.treated = &tc;
    c.n_treated = 1;
    c.adjacency_path = (char *)path;
    we_run_design rd;
    we_error err = {{0}};
    if (we_run_design_build(&rd, &c, &fx->p, &err) != 0)
        fail_msg("%s", err.msg);
    assert_int_equal(rd.n_ring, 1);
    assert_int_equal(rd.ring_from[1], 1); /* 2008 is period index 1 */
    assert_int_equal(rd.comparison[1], 0);
    assert_int_equal(rd.in_sample[1], 0);
    assert_int_equal(rd.comparison[2], 1);
    assert_int_equal(rd.comparison[3], 1);
    assert_int_equal(rd.comparison[4], 1);
    assert_int_equal(rd.n_comparison, 3);
    we_run_design_free(&rd);
    /* Without neighbours: every untreated area is compared. */
    c.adjacency_path = NULL;
    assert_int_equal(we_run_design_build(&rd, &c, &fx->p, &err), 0);
    assert_null(rd.ring_from);
    assert_int_equal(rd.n_comparison, 4);
    we_run_design_free(&rd);
    free(treated_area);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_adjacency_symmetric, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_adjacency_refused, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_centroids_band, setup, teardown),
        cmocka_unit_test_setup_teardown(test_centroids_refused, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_ring, setup, teardown),
        cmocka_unit_test_setup_teardown(test_design_excludes_ring, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
