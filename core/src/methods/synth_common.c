/* Helpers shared by the synthetic control and SDID: the layout of a
 * block design and the notes that list dropped areas. */
#include "methods/synth_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int check_panel(const we_design *d, we_error *err)
{
    if (d->n_areas == 0 || d->n_periods == 0)
        return we_fail(err, WE_EINVAL, "the panel is empty");
    if (d->n_followup == 0)
        return we_fail(err, WE_EINVAL, "no follow-up period is set");
    for (size_t f = 0; f < d->n_followup; f++)
        if (d->followup[f] >= d->n_periods)
            return we_fail(err, WE_EINVAL,
                           "follow-up period index %zu is outside "
                           "the %zu periods",
                           d->followup[f], d->n_periods);
    return WE_OK;
}

/* Collects the treated areas and checks that they share one start. */
static int collect_treated(const we_design *d, size_t *treated, size_t *n,
                           size_t *g, we_error *err)
{
    *n = 0;
    for (size_t i = 0; i < d->n_areas; i++) {
        long s = d->treated_from[i];
        if (!d->in_sample[i] || s < 0)
            continue;
        if ((size_t)s >= d->n_periods)
            return we_fail(err, WE_EINVAL,
                           "area %zu starts treatment at period "
                           "index %ld, outside the %zu periods",
                           i, s, d->n_periods);
        if (*n > 0 && (size_t)s != *g)
            return we_fail(err, WE_EINVAL,
                           "areas %zu and %zu start treatment at "
                           "period indices %zu and %ld; synthetic control "
                           "and SDID need one common start: evaluate each "
                           "wave separately",
                           treated[0], i, *g, s);
        *g = (size_t)s;
        treated[(*n)++] = i;
    }
    if (*n == 0)
        return we_fail(err, WE_ENODATA, "no treated area in the sample");
    if (*g == 0)
        return we_fail(err, WE_ENODATA,
                       "treatment starts in the first period: there "
                       "is no pre-treatment period to fit");
    return WE_OK;
}

int we_synth_layout(const we_design *d, size_t *treated, size_t *n_treated,
                    size_t *g, size_t *post, size_t *n_post, we_error *err)
{
    int rc = check_panel(d, err);
    if (rc == WE_OK)
        rc = collect_treated(d, treated, n_treated, g, err);
    if (rc != WE_OK)
        return rc;
    *n_post = 0;
    for (size_t f = 0; f < d->n_followup; f++)
        if (d->followup[f] >= *g)
            post[(*n_post)++] = d->followup[f];
    if (*n_post == 0)
        return we_fail(err, WE_ENODATA,
                       "no follow-up period at or after the "
                       "treatment start (period index %zu)",
                       *g);
    return WE_OK;
}

/* ---- notes ------------------------------------------------------------ */

void we_synth_note(char *note, size_t cap, const char *fmt, ...)
{
    size_t len = strlen(note);
    if (len + 1 >= cap)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(note + len, cap - len, fmt, ap);
    va_end(ap);
    if (n >= 0 && (size_t)n >= cap - len && cap >= 4)
        memcpy(note + cap - 4, "...", 4);
}

void we_synth_note_areas(char *note, size_t cap, const char *what,
                         const unsigned char *flag, size_t n)
{
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
        count += flag[i] != 0;
    if (count == 0)
        return;
    we_synth_note(note, cap, "%s%s (%zu area%s, by index):",
                  note[0] ? " " : "", what, count, count == 1 ? "" : "s");
    for (size_t i = 0, k = 0; i < n; i++)
        if (flag[i])
            we_synth_note(note, cap, "%s %zu", k++ ? "," : "", i);
    we_synth_note(note, cap, ".");
}
