/* Neighbours from an adjacency file or from centroids (adjacency.h). */
#include "data/adjacency.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "data/csv.h"

typedef struct edge {
    size_t a, b;
} edge;

typedef struct edges {
    edge *e;
    size_t n, cap;
} edges;

static int edges_add(edges *E, size_t a, size_t b)
{
    if (E->n + 2 > E->cap) {
        size_t cap = E->cap ? 2 * E->cap : 256;
        edge *e = realloc(E->e, cap * sizeof *e);
        if (e == NULL)
            return -1;
        E->e = e;
        E->cap = cap;
    }
    E->e[E->n++] = (edge){a, b};
    E->e[E->n++] = (edge){b, a};
    return 0;
}

static int by_edge(const void *x, const void *y)
{
    const edge *p = x, *q = y;
    if (p->a != q->a)
        return p->a < q->a ? -1 : 1;
    return (p->b > q->b) - (p->b < q->b);
}

/* Sorted, without duplicates, as start/nbr arrays. */
static int edges_finish(edges *E, size_t A, we_adjacency *adj, we_error *err)
{
    if (E->n > 0)
        qsort(E->e, E->n, sizeof *E->e, by_edge);
    adj->n_areas = A;
    adj->start = calloc(A + 1, sizeof *adj->start);
    adj->nbr = malloc((E->n ? E->n : 1) * sizeof *adj->nbr);
    if (adj->start == NULL || adj->nbr == NULL) {
        we_adjacency_free(adj);
        return we_fail(err, WE_ENOMEM, "out of memory building the adjacency");
    }
    size_t n = 0;
    for (size_t k = 0; k < E->n; k++) {
        if (k > 0 && by_edge(&E->e[k - 1], &E->e[k]) == 0)
            continue;
        adj->nbr[n++] = E->e[k].b;
        adj->start[E->e[k].a + 1]++;
    }
    for (size_t i = 0; i < A; i++)
        adj->start[i + 1] += adj->start[i];
    return 0;
}

/* The header names exactly the given columns, in this order. */
static int check_header(we_csv *r, const char *path, const char *const *cols,
                        size_t n, const char *shape, we_error *err)
{
    we_csv_row row;
    int rc = we_csv_next(r, &row, err);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return we_fail(err, WE_EINVAL,
                       "%s: the file is empty; give the header "
                       "line %s and the rows below it",
                       path, shape);
    for (size_t i = 0; i < n; i++)
        if (row.n_fields != n || we_csv_column(&row, cols[i]) != (long)i)
            return we_fail(err, WE_EINVAL, "%s:%zu:%zu: the header must be %s",
                           path, row.line,
                           row.columns[i < row.n_fields ? i : 0], shape);
    return 0;
}

static int area_at(const we_csv_row *row, size_t c, const char *path,
                   const we_panel *p, size_t *out, we_error *err)
{
    long a = we_panel_area(p, row->fields[c]);
    if (a < 0)
        return we_fail(err, WE_EINVAL,
                       "%s:%zu:%zu: unknown area '%.100s'; use a "
                       "code of the areas file, or remove the row",
                       path, row->line, row->columns[c], row->fields[c]);
    *out = (size_t)a;
    return 0;
}

static int width_ok(const we_csv_row *row, size_t n, const char *path,
                    we_error *err)
{
    if (row->n_fields == n)
        return 0;
    return we_fail(err, WE_EINVAL,
                   "%s:%zu: %zu fields, expected %zu as in the "
                   "header",
                   path, row->line, row->n_fields, n);
}

static int read_pairs(we_csv *r, const char *path, const we_panel *p,
                      edges *E, we_error *err)
{
    static const char *const cols[] = {"area", "neighbour"};
    if (check_header(r, path, cols, 2, "area,neighbour", err) != 0)
        return -1;
    we_csv_row row;
    int rc;
    while ((rc = we_csv_next(r, &row, err)) == 1) {
        size_t a, b;
        if (width_ok(&row, 2, path, err) != 0 ||
            area_at(&row, 0, path, p, &a, err) != 0 ||
            area_at(&row, 1, path, p, &b, err) != 0)
            return -1;
        if (a == b)
            return we_fail(err, WE_EINVAL,
                           "%s:%zu:%zu: area '%.100s' is paired "
                           "with itself; list only neighbours",
                           path, row.line, row.columns[1], row.fields[1]);
        if (edges_add(E, a, b) != 0)
            return we_fail(err, WE_ENOMEM, "%s: out of memory", path);
    }
    return rc;
}

int we_adjacency_read(we_adjacency *adj, const char *path,
                      const we_panel *p, we_error *err)
{
    memset(adj, 0, sizeof *adj);
    we_csv *r = NULL;
    edges E = {0};
    int rc = we_csv_open(&r, path, err);
    if (rc == 0)
        rc = read_pairs(r, path, p, &E, err);
    if (rc == 0)
        rc = edges_finish(&E, p->n_areas, adj, err);
    we_csv_close(r);
    free(E.e);
    return rc;
}

static int coordinate(we_csv *r, const we_csv_row *row, size_t c,
                      const char *path, double *out, we_error *err)
{
    int rc = we_csv_number(r, row->fields[c], out);
    if (rc == 0 && isfinite(*out))
        return 0;
    if (rc == WE_CSV_AMBIGUOUS)
        return we_csv_ambiguous(path, row->line, row->columns[c],
                                row->fields[c], err);
    return we_fail(err, WE_EINVAL,
                   "%s:%zu:%zu: '%.100s' is not a coordinate; give "
                   "the centroid in metres, e.g. 121000",
                   path, row->line, row->columns[c], row->fields[c]);
}

static int read_centroids(we_csv *r, const char *path, const we_panel *p,
                          double *xy, size_t *line, we_error *err)
{
    static const char *const cols[] = {"area", "x", "y"};
    if (check_header(r, path, cols, 3, "area,x,y", err) != 0)
        return -1;
    we_csv_row row;
    int rc;
    while ((rc = we_csv_next(r, &row, err)) == 1) {
        size_t a;
        if (width_ok(&row, 3, path, err) != 0 ||
            area_at(&row, 0, path, p, &a, err) != 0)
            return -1;
        if (line[a] != 0)
            return we_fail(err, WE_EINVAL,
                           "%s:%zu:%zu: area '%.100s' is given "
                           "twice (first on line %zu); give one centroid "
                           "per area",
                           path, row.line, row.columns[0], row.fields[0],
                           line[a]);
        line[a] = row.line;
        if (coordinate(r, &row, 1, path, &xy[2 * a], err) != 0 ||
            coordinate(r, &row, 2, path, &xy[2 * a + 1], err) != 0)
            return -1;
    }
    for (size_t a = 0; rc == 0 && a < p->n_areas; a++)
        if (line[a] == 0)
            return we_fail(err, WE_EINVAL,
                           "%s: area '%s' of the areas file has no "
                           "centroid; add a row %s,x,y",
                           path, p->areas[a].code, p->areas[a].code);
    return rc;
}

static const double *sort_xy; /* qsort has no context argument */

static int by_x(const void *a, const void *b)
{
    double x = sort_xy[2 * *(const size_t *)a];
    double y = sort_xy[2 * *(const size_t *)b];
    return (x > y) - (x < y);
}

/* A sweep over the areas sorted by x: only pairs within band_m in x are
 * measured, so a country's buurten take n log n, not n^2. */
static int band_pairs(const double *xy, size_t A, double band_m, edges *E)
{
    size_t *order = malloc((A ? A : 1) * sizeof *order);
    if (order == NULL)
        return -1;
    for (size_t i = 0; i < A; i++)
        order[i] = i;
    sort_xy = xy;
    qsort(order, A, sizeof *order, by_x);
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < A; i++)
        for (size_t j = i + 1; rc == 0 && j < A; j++) {
            size_t a = order[i], b = order[j];
            double dx = xy[2 * b] - xy[2 * a], dy = xy[2 * b + 1] -
                                                    xy[2 * a + 1];
            if (dx > band_m)
                break;
            if (dx * dx + dy * dy <= band_m * band_m)
                rc = edges_add(E, a, b);
        }
    free(order);
    return rc;
}

int we_adjacency_from_centroids(we_adjacency *adj, const char *path,
                                double band_m, const we_panel *p,
                                we_error *err)
{
    memset(adj, 0, sizeof *adj);
    size_t A = p->n_areas;
    double *xy = malloc((A ? 2 * A : 1) * sizeof *xy);
    size_t *line = calloc(A ? A : 1, sizeof *line);
    we_csv *r = NULL;
    edges E = {0};
    int rc = xy == NULL || line == NULL
                 ? we_fail(err, WE_ENOMEM, "%s: out of memory", path)
                 : we_csv_open(&r, path, err);
    if (rc == 0)
        rc = read_centroids(r, path, p, xy, line, err);
    if (rc == 0 && band_pairs(xy, A, band_m, &E) != 0)
        rc = we_fail(err, WE_ENOMEM, "%s: out of memory", path);
    if (rc == 0)
        rc = edges_finish(&E, A, adj, err);
    we_csv_close(r);
    free(E.e);
    free(xy);
    free(line);
    return rc;
}

void we_adjacency_free(we_adjacency *adj)
{
    free(adj->start);
    free(adj->nbr);
    memset(adj, 0, sizeof *adj);
}

size_t we_ring_build(const we_adjacency *adj, const long *treated_from,
                     long *ring_from)
{
    size_t n = 0;
    for (size_t i = 0; i < adj->n_areas; i++) {
        ring_from[i] = -1;
        if (treated_from[i] >= 0)
            continue;
        for (size_t k = adj->start[i]; k < adj->start[i + 1]; k++) {
            long f = treated_from[adj->nbr[k]];
            if (f >= 0 && (ring_from[i] < 0 || f < ring_from[i]))
                ring_from[i] = f;
        }
        n += ring_from[i] >= 0;
    }
    return n;
}
