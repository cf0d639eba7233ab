/* Early warning: the composite, its slope against the national trend,
 * the Mann-Kendall test and the false discovery rate (early_warning.h). */
#include "methods/early_warning.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "methods/inference.h"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double we_theil_sen(const double *x, const double *y, size_t n)
{
    if (n < 2)
        return NAN;
    double *d = malloc(n * (n - 1) / 2 * sizeof *d);
    if (d == NULL)
        return NAN;
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            if (x[j] != x[i])
                d[m++] = (y[j] - y[i]) / (x[j] - x[i]);
    double med = NAN;
    if (m > 0) {
        qsort(d, m, sizeof *d, cmp_double);
        med = m % 2 ? d[m / 2] : (d[m / 2 - 1] + d[m / 2]) / 2.0;
    }
    free(d);
    return med;
}

/* sum over tie groups of t (t - 1) (2t + 5), for the variance of S. */
static double tie_term(const double *y, size_t n)
{
    double sum = 0;
    for (size_t i = 0; i < n; i++) {
        size_t t = 0, first = 1;
        for (size_t j = 0; j < n && first; j++) {
            if (y[j] != y[i])
                continue;
            if (j < i)
                first = 0; /* the group was counted at its first member */
            t++;
        }
        if (first && t > 1)
            sum += (double)t * (double)(t - 1) * (double)(2 * t + 5);
    }
    return sum;
}

void we_mann_kendall_test(const double *y, size_t n, we_mann_kendall *out)
{
    *out = (we_mann_kendall){NAN, NAN, NAN, NAN};
    if (n < 3)
        return;
    double s = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            s += (y[j] > y[i]) - (y[j] < y[i]);
    double nd = (double)n;
    double var = (nd * (nd - 1) * (2 * nd + 5) - tie_term(y, n)) / 18.0;
    double z = 0;
    if (var > 0 && s > 0)
        z = (s - 1) / sqrt(var);
    else if (var > 0 && s < 0)
        z = (s + 1) / sqrt(var);
    out->s = s;
    out->var_s = var;
    out->z = z;
    out->p_decline = var > 0 ? gsl_cdf_ugaussian_P(z) : NAN;
}

static double median_of(double *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

void we_empirical_null(const double *b, size_t n, double *z, double *p,
                       double *center, double *scale)
{
    double *v = malloc((n ? n : 1) * sizeof *v);
    size_t m = 0;
    for (size_t i = 0; v != NULL && i < n; i++)
        if (isfinite(b[i]))
            v[m++] = b[i];
    double med = NAN, mad = NAN;
    if (v != NULL && m >= 3) {
        med = median_of(v, m);
        for (size_t i = 0; i < m; i++)
            v[i] = fabs(v[i] - med);
        /* 1.4826: the MAD of a normal sample estimates 0.6745 sigma, as
         * R's mad() scales it. */
        mad = 1.4826 * median_of(v, m);
    }
    free(v);
    *center = med;
    *scale = mad;
    for (size_t i = 0; i < n; i++) {
        int ok = isfinite(b[i]) && mad > 0;
        z[i] = ok ? (b[i] - med) / mad : NAN;
        p[i] = ok ? gsl_cdf_ugaussian_P(z[i]) : NAN;
    }
}

/* ---- the composite ------------------------------------------------------ */

static void indicator_moments(const we_ew_spec *sp, size_t k, double *mean,
                              double *sd)
{
    const double *v = sp->values[k];
    size_t n = sp->n_areas * sp->n_periods, m = 0;
    double sum = 0, ss = 0;
    for (size_t i = 0; v != NULL && i < n; i++)
        if (isfinite(v[i])) {
            sum += v[i];
            m++;
        }
    *mean = m > 0 ? sum / (double)m : NAN;
    for (size_t i = 0; v != NULL && i < n; i++)
        if (isfinite(v[i]))
            ss += (v[i] - *mean) * (v[i] - *mean);
    *sd = m > 1 ? sqrt(ss / (double)(m - 1)) : NAN;
}

/* Indicator k at cell i, standardised and signed so that higher is
 * better; NaN when missing or the indicator does not vary. */
static double signed_z(const we_ew_spec *sp, const we_ew_result *r,
                       size_t k, size_t i)
{
    const double *v = sp->values[k];
    if (v == NULL || !isfinite(v[i]) || !(r->sd[k] > 0))
        return NAN;
    return sp->sign[k] * (v[i] - r->mean[k]) / r->sd[k];
}

/* The weighted mean of the available signed z-scores; NaN when less than
 * half of the total weight is observed, so that a cell does not rest on
 * one indicator of several. */
static double composite_cell(const we_ew_spec *sp, const we_ew_result *r,
                             size_t i)
{
    double sum = 0, w = 0, total = 0;
    for (size_t k = 0; k < sp->n_ind; k++) {
        total += sp->weight[k];
        double z = signed_z(sp, r, k, i);
        if (isfinite(z)) {
            sum += sp->weight[k] * z;
            w += sp->weight[k];
        }
    }
    return w > 0 && 2.0 * w >= total ? sum / w : NAN;
}

/* x minus its per-period mean over the areas where it is finite. */
static void relative(double *x, size_t n_areas, size_t n_periods,
                     double *national)
{
    for (size_t t = 0; t < n_periods; t++) {
        double sum = 0;
        size_t m = 0;
        for (size_t a = 0; a < n_areas; a++)
            if (isfinite(x[a * n_periods + t])) {
                sum += x[a * n_periods + t];
                m++;
            }
        double mean = m > 0 ? sum / (double)m : NAN;
        if (national != NULL)
            national[t] = mean;
        for (size_t a = 0; a < n_areas; a++)
            x[a * n_periods + t] -= mean;
    }
}

/* The finite values of row a of x within the window, with their x. */
static size_t window_points(const we_ew_spec *sp, const we_ew_result *r,
                            const double *x, size_t a, double *px,
                            double *py)
{
    size_t m = 0;
    for (size_t t = r->first; t < sp->n_periods; t++) {
        double v = x[a * sp->n_periods + t];
        if (isfinite(v)) {
            px[m] = sp->periods[t];
            py[m++] = v;
        }
    }
    return m;
}

/* ---- per area ----------------------------------------------------------- */

static void test_area(const we_ew_spec *sp, we_ew_result *r, size_t a,
                      double *px, double *py)
{
    size_t m = window_points(sp, r, r->rel, a, px, py);
    r->n_obs[a] = m;
    r->slope[a] = we_theil_sen(px, py, m);
    we_mann_kendall mk = {NAN, NAN, NAN, NAN};
    if (m >= WE_EW_MIN_OBS)
        we_mann_kendall_test(py, m, &mk);
    r->s[a] = mk.s;
    r->var_s[a] = mk.var_s;
    r->z[a] = mk.z;
    r->p[a] = mk.p_decline;
    if (m < WE_EW_MIN_OBS)
        r->slope[a] = NAN; /* too short to test, so not in the null */
}

/* The empirical null replaces the Mann-Kendall z and p. */
static void test_all(const we_ew_spec *sp, we_ew_result *r)
{
    r->null_center = r->null_scale = NAN;
    if (sp->test == WE_EW_EMPIRICAL_NULL)
        we_empirical_null(r->slope, sp->n_areas, r->z, r->p,
                          &r->null_center, &r->null_scale);
    r->n_tested = 0;
    for (size_t a = 0; a < sp->n_areas; a++)
        r->n_tested += isfinite(r->p[a]);
    we_p_adjust_bh(r->p, sp->n_areas, r->q);
}

/* contrib[a][k]: the share of indicator k's weight times the slope of its
 * signed, relative z-score; together they approximate the composite's
 * slope (exactly so for a straight line with every indicator observed). */
static int contributions(const we_ew_spec *sp, we_ew_result *r, double *px,
                         double *py)
{
    size_t cells = sp->n_areas * sp->n_periods;
    double *zk = malloc((cells ? cells : 1) * sizeof *zk), total = 0;
    if (zk == NULL)
        return -1;
    for (size_t k = 0; k < sp->n_ind; k++)
        total += sp->weight[k];
    for (size_t k = 0; k < sp->n_ind; k++) {
        for (size_t i = 0; i < cells; i++)
            zk[i] = signed_z(sp, r, k, i);
        relative(zk, sp->n_areas, sp->n_periods, NULL);
        for (size_t a = 0; a < sp->n_areas; a++) {
            size_t m = window_points(sp, r, zk, a, px, py);
            r->contrib[a * sp->n_ind + k] =
                sp->weight[k] / total * we_theil_sen(px, py, m);
        }
    }
    free(zk);
    return 0;
}

typedef struct ranked_area {
    double slope;
    size_t area;
} ranked_area;

/* Steepest slope first; the area's index breaks ties. */
static int by_slope(const void *x, const void *y)
{
    const ranked_area *a = x, *b = y;
    if (a->slope != b->slope)
        return a->slope < b->slope ? -1 : 1;
    return (a->area > b->area) - (a->area < b->area);
}

static int watch_list(we_ew_result *r)
{
    ranked_area *w = malloc((r->n_areas ? r->n_areas : 1) * sizeof *w);
    if (w == NULL)
        return -1;
    r->n_watch = 0;
    for (size_t a = 0; a < r->n_areas; a++)
        if (r->q[a] <= r->alpha && r->slope[a] < 0)
            w[r->n_watch++] = (ranked_area){r->slope[a], a};
    qsort(w, r->n_watch, sizeof *w, by_slope);
    for (size_t i = 0; i < r->n_watch; i++)
        r->watch[i] = w[i].area;
    free(w);
    return 0;
}

static int alloc_result(we_ew_result *r, const we_ew_spec *sp)
{
    size_t A = sp->n_areas ? sp->n_areas : 1, K = sp->n_ind ? sp->n_ind : 1;
    size_t T = sp->n_periods ? sp->n_periods : 1;
    r->mean = calloc(K, sizeof *r->mean);
    r->sd = calloc(K, sizeof *r->sd);
    r->national = calloc(T, sizeof *r->national);
    r->rel = calloc(A * T, sizeof *r->rel);
    double **per_area[] = {&r->slope, &r->s, &r->var_s, &r->z, &r->p, &r->q};
    int bad = !r->mean || !r->sd || !r->national || !r->rel;
    for (size_t i = 0; i < sizeof per_area / sizeof per_area[0]; i++)
        bad |= (*per_area[i] = calloc(A, sizeof(double))) == NULL;
    r->n_obs = calloc(A, sizeof *r->n_obs);
    r->watch = calloc(A, sizeof *r->watch);
    r->contrib = calloc(A * K, sizeof *r->contrib);
    return bad || !r->n_obs || !r->watch || !r->contrib ? -1 : 0;
}

int we_ew_run(const we_ew_spec *sp, we_ew_result *r)
{
    memset(r, 0, sizeof *r);
    *r = (we_ew_result){.n_ind = sp->n_ind, .n_areas = sp->n_areas,
                        .n_periods = sp->n_periods, .alpha = sp->alpha,
                        .test = sp->test,
                        .window = sp->window < sp->n_periods
                                      ? sp->window : sp->n_periods};
    r->first = sp->n_periods - r->window;
    double *px = malloc((r->window ? r->window : 1) * sizeof *px);
    double *py = malloc((r->window ? r->window : 1) * sizeof *py);
    if (px == NULL || py == NULL || alloc_result(r, sp) != 0)
        goto oom;
    for (size_t k = 0; k < sp->n_ind; k++)
        indicator_moments(sp, k, &r->mean[k], &r->sd[k]);
    for (size_t i = 0; i < sp->n_areas * sp->n_periods; i++)
        r->rel[i] = composite_cell(sp, r, i);
    relative(r->rel, sp->n_areas, sp->n_periods, r->national);
    for (size_t a = 0; a < sp->n_areas; a++)
        test_area(sp, r, a, px, py);
    test_all(sp, r);
    if (contributions(sp, r, px, py) != 0 || watch_list(r) != 0)
        goto oom;
    free(px);
    free(py);
    return 0;
oom:
    free(px);
    free(py);
    we_ew_free(r);
    return -1;
}

void we_ew_free(we_ew_result *r)
{
    if (r == NULL)
        return;
    free(r->mean);
    free(r->sd);
    free(r->national);
    free(r->rel);
    free(r->slope);
    free(r->s);
    free(r->var_s);
    free(r->z);
    free(r->p);
    free(r->q);
    free(r->n_obs);
    free(r->contrib);
    free(r->watch);
    memset(r, 0, sizeof *r);
}

size_t we_ew_drivers(const we_ew_result *r, size_t area, size_t *out,
                     size_t max)
{
    const double *c = &r->contrib[area * r->n_ind];
    size_t n = 0;
    /* Selection by repeated minimum: n_ind is a handful. */
    while (n < max) {
        long best = -1;
        for (size_t k = 0; k < r->n_ind; k++) {
            int taken = 0;
            for (size_t j = 0; j < n; j++)
                taken |= out[j] == k;
            if (!taken && c[k] < 0 && (best < 0 || c[k] < c[best]))
                best = (long)k;
        }
        if (best < 0)
            break;
        out[n++] = (size_t)best;
    }
    return n;
}
