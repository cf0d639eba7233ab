/* Evidence levels: the Maryland Scientific Methods Scale and the
 * Erkenningscommissie Interventies labels. The rules are the contract in
 * docs/evidence.md; keep the two in step. */
#include "methods/inference.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *we_erkenning_name(we_erkenning e)
{
    switch (e) {
    case WE_ERKENNING_NONE:
        return "geen aanwijzingen";
    case WE_ERKENNING_EERSTE:
        return "eerste aanwijzingen";
    case WE_ERKENNING_GOEDE:
        return "goede aanwijzingen";
    case WE_ERKENNING_STERKE:
        return "sterke aanwijzingen";
    }
    return "onbekend";
}

/* "= 0.41" or "< 0.001": the relation and the shortest form (at least
 * two significant digits) that stays on the same side of alpha as p, so
 * that the text never reads "0.05 < 0.05". Below 0.001 (a bootstrap or
 * permutation p of 0 among them) only the bound is meaningful. */
static void format_p(double p, double alpha, char *buf, size_t size)
{
    if (p < 0.001 && alpha > 0.001) {
        snprintf(buf, size, "< 0.001");
        return;
    }
    for (int digits = 2; digits <= 17; digits++) {
        snprintf(buf, size, "= %.*g", digits, p);
        if ((strtod(buf + 2, NULL) < alpha) == (p < alpha))
            return;
    }
}

/* Appends to the reasons; a full buffer truncates the text, never
 * overflows it. */
static void say(we_evidence *out, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void say(we_evidence *out, const char *fmt, ...)
{
    size_t used = strlen(out->reasons);
    if (used + 1 >= sizeof out->reasons)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out->reasons + used, sizeof out->reasons - used, fmt, ap);
    va_end(ap);
}

static const char *design_text(we_design_kind k)
{
    switch (k) {
    case WE_DESIGN_PRE_POST:
        return "before/after for the treated wijken, no comparison group";
    case WE_DESIGN_GAP:
        return "gap to the reference average (catching up), no comparison "
               "group";
    case WE_DESIGN_DID:
        return "DiD with comparison wijken";
    case WE_DESIGN_SYNTHETIC:
        return "synthetic control from comparison wijken";
    case WE_DESIGN_QUASI_RANDOM:
        return "quasi-random variation (instrument or discontinuity)";
    case WE_DESIGN_RANDOMISED:
        return "randomised assignment";
    }
    return NULL;
}

/* Level 2 or 3 for a comparison design: 3 only when the design's own
 * pre-period check ran, did not reject, and had the power to see a trend
 * as large as the MDE. *rejected is set when the check rejected. */
static int comparison_level(const we_evidence_input *in, we_evidence *out,
                            int *rejected)
{
    char p[32];
    const char *what = in->pretest ? in->pretest : "pre-trends";
    if (isnan(in->pretrend_p)) {
        say(out, "Level 2: %s; no pre-period check (%s not tested).",
            design_text(in->design), what);
        return 2;
    }
    format_p(in->pretrend_p, in->alpha, p, sizeof p);
    if (in->pretrend_p < in->alpha) {
        *rejected = 1;
        say(out, "Level 2: %s; pre-period check rejected (%s, p %s; alpha "
                 "%g), so the groups were not comparable before treatment.",
            design_text(in->design), what, p, in->alpha);
        return 2;
    }
    if (in->pretest_borrowed) {
        say(out, "Level 2: %s; pre-period check not rejected (%s, p %s), "
                 "but level 3 needs the design's own check.",
            design_text(in->design), what, p);
        return 2;
    }
    if (isnan(in->pretest_power)) {
        say(out, "Level 2: %s; pre-period check not rejected (%s, p %s) "
                 "but its power is unknown.", design_text(in->design), what,
            p);
        return 2;
    }
    if (!(in->pretest_power >= in->pretest_power_min)) {
        say(out, "Level 2: %s; pre-period check not rejected (%s, p %s) "
                 "but its power against a trend as large as the MDE is "
                 "%.2f, below %.2f, so not rejecting says little.",
            design_text(in->design), what, p, in->pretest_power,
            in->pretest_power_min);
        return 2;
    }
    say(out, "Level 3: %s; pre-period check not rejected (%s, p %s; power "
             "%.2f against a trend as large as the MDE).",
        design_text(in->design), what, p, in->pretest_power);
    return 3;
}

static int sms_level(const we_evidence_input *in, we_evidence *out,
                     int *rejected)
{
    switch (in->design) {
    case WE_DESIGN_PRE_POST:
    case WE_DESIGN_GAP:
        say(out, "Level 1: %s.", design_text(in->design));
        return 1;
    case WE_DESIGN_DID:
    case WE_DESIGN_SYNTHETIC:
        return comparison_level(in, out, rejected);
    case WE_DESIGN_QUASI_RANDOM:
        say(out, "Level 4: %s.", design_text(in->design));
        return 4;
    case WE_DESIGN_RANDOMISED:
        say(out, "Level 5: %s.", design_text(in->design));
        return 5;
    }
    return 0;
}

/* Rules 1-3 of docs/evidence.md: no label without a significant effect in
 * the good direction. Returns 1 when one of them applied. */
static int no_effect(const we_evidence_input *in, we_evidence *out)
{
    char p[32];
    if (isnan(in->p_adjusted)) {
        say(out, " No aanwijzingen: the effect has no p-value.");
        return 1;
    }
    format_p(in->p_adjusted, in->alpha, p, sizeof p);
    if (!(in->p_adjusted < in->alpha)) {
        say(out, " No aanwijzingen: not significant after adjustment "
                 "(p %s; alpha %g).", p, in->alpha);
        return 1;
    }
    if (!in->good_direction) {
        say(out, " No aanwijzingen: significant after adjustment (p %s) "
                 "but in the bad direction.", p);
        return 1;
    }
    return 0;
}

static we_erkenning erkenning(const we_evidence_input *in, int level,
                              int rejected, we_evidence *out)
{
    if (no_effect(in, out))
        return WE_ERKENNING_NONE;
    char p[32];
    format_p(in->p_adjusted, in->alpha, p, sizeof p);
    if (level == 1) {
        say(out, " No aanwijzingen: a before/after change or a gap is "
                 "descriptive; a secular trend alone produces it, so it "
                 "earns no label on its own (p %s).", p);
        return WE_ERKENNING_NONE;
    }
    if (rejected) {
        say(out, " No aanwijzingen: significant (p %s) but the pre-period "
                 "check rejected, so the difference may be the trend that "
                 "was already there.", p);
        return WE_ERKENNING_NONE;
    }
    if (level == 2) {
        say(out, " Eerste aanwijzingen: good-direction effect, significant "
                 "after adjustment (p %s; alpha %g), from a comparison "
                 "design without a powerful pre-period check.", p,
            in->alpha);
        return WE_ERKENNING_EERSTE;
    }
    if (in->n_studies >= 2 && in->n_followup >= 2) {
        say(out, " Sterke aanwijzingen: good-direction effect, significant "
                 "after adjustment (p %s; alpha %g), in %zu controlled studies "
                 "with %zu follow-up periods.", p, in->alpha, in->n_studies,
            in->n_followup);
        return WE_ERKENNING_STERKE;
    }
    say(out, " Goede aanwijzingen: good-direction effect, significant after "
             "adjustment (p %s; alpha %g), from a controlled design; sterke "
             "aanwijzingen need at least 2 controlled studies with at least "
             "2 follow-up periods (this is %zu %s with %zu follow-up "
             "period%s).", p, in->alpha, in->n_studies,
        in->n_studies == 1 ? "study" : "studies", in->n_followup,
        in->n_followup == 1 ? "" : "s");
    return WE_ERKENNING_GOEDE;
}

void we_evidence_assess(const we_evidence_input *in, we_evidence *out)
{
    out->sms_level = 0;
    out->erkenning = WE_ERKENNING_NONE;
    out->reasons[0] = '\0';
    if (design_text(in->design) == NULL) {
        say(out, "Invalid input: unknown design kind %d; use one of "
                 "we_design_kind.", (int)in->design);
        return;
    }
    if (!(in->alpha > 0.0 && in->alpha < 1.0)) {
        say(out, "Invalid input: alpha must lie in (0, 1), got %g.",
            in->alpha);
        return;
    }
    if (in->descriptive) {
        say(out, "Descriptive only: %s; no evidence level.",
            in->descriptive_reason && in->descriptive_reason[0]
                ? in->descriptive_reason
                : "its inference is not valid for its design");
        return;
    }
    int rejected = 0;
    out->sms_level = sms_level(in, out, &rejected);
    out->erkenning = erkenning(in, out->sms_level, rejected, out);
}
