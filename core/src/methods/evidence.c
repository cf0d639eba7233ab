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

/* Appends to one language's reasons; a full buffer truncates the text,
 * never overflows it. */
static void append(char *buf, size_t size, const char *fmt, va_list ap)
{
    size_t used = strlen(buf);
    if (used + 1 >= size)
        return;
    vsnprintf(buf + used, size - used, fmt, ap);
}

/* A decimal point between two digits becomes a comma (Dutch numbers),
 * from `from` on. */
static void dutch_decimals(char *s, size_t from)
{
    for (size_t i = from > 0 ? from : 1; s[i] != '\0'; i++)
        if (s[i] == '.' && s[i - 1] >= '0' && s[i - 1] <= '9' &&
            s[i + 1] >= '0' && s[i + 1] <= '9')
            s[i] = ',';
}

/* Appends the English and the Dutch sentence, with the same arguments
 * (numbers in the Dutch one get a decimal comma). */
static void say(we_evidence *out, const char *en, const char *nl, ...)
{
    va_list ap, aq;
    va_start(ap, nl);
    va_copy(aq, ap);
    append(out->reasons, sizeof out->reasons, en, ap);
    size_t from = strlen(out->reasons_nl);
    append(out->reasons_nl, sizeof out->reasons_nl, nl, aq);
    dutch_decimals(out->reasons_nl, from);
    va_end(aq);
    va_end(ap);
}

/* Appends one string to each language's reasons, as it is (no format). */
static void say_each(we_evidence *out, const char *en, const char *nl)
{
    size_t used = strlen(out->reasons);
    if (used + 1 < sizeof out->reasons)
        snprintf(out->reasons + used, sizeof out->reasons - used, "%s", en);
    used = strlen(out->reasons_nl);
    if (used + 1 < sizeof out->reasons_nl)
        snprintf(out->reasons_nl + used, sizeof out->reasons_nl - used, "%s",
                 nl);
}

/* "after adjustment", naming the families when the p-value is a
 * headline's (adjusted within the experiment and across the headlines). */
static void say_adjusted(we_evidence *out, const we_evidence_input *in)
{
    if (in->across_headlines)
        say_each(out,
                 "after adjustment within the experiment and across the "
                 "report's headlines",
                 "na correctie binnen het experiment en over de "
                 "kernresultaten van het rapport");
    else
        say_each(out, "after adjustment", "na correctie");
}

/* The pre-period check in words, in both languages. */
static void say_what(we_evidence *out, const we_evidence_input *in)
{
    const char *en = in->pretest ? in->pretest : "pre-trends";
    const char *nl = in->pretest_nl ? in->pretest_nl
                     : in->pretest  ? "de eigen toets van de opzet"
                                    : "trends v\xc3\xb3\xc3\xb3r de start";
    say_each(out, en, nl);
}

/* The design in words, English or Dutch. */
static const char *design_words(we_design_kind k, int dutch)
{
    switch (k) {
    case WE_DESIGN_PRE_POST:
        return dutch ? "voor/na voor de aangepakte wijken, zonder "
                       "vergelijkingsgroep"
                     : "before/after for the treated wijken, no comparison "
                       "group";
    case WE_DESIGN_GAP:
        return dutch ? "achterstand tot het referentiegemiddelde (inlopen), "
                       "zonder vergelijkingsgroep"
                     : "gap to the reference average (catching up), no "
                       "comparison group";
    case WE_DESIGN_DID:
        return dutch ? "verschil-in-verschillen met vergelijkingswijken"
                     : "DiD with comparison wijken";
    case WE_DESIGN_SYNTHETIC:
        return dutch ? "synthetische controle uit vergelijkingswijken"
                     : "synthetic control from comparison wijken";
    case WE_DESIGN_QUASI_RANDOM:
        return dutch ? "quasi-willekeurige variatie (instrument of "
                       "discontinu\xc3\xafteit)"
                     : "quasi-random variation (instrument or discontinuity)";
    case WE_DESIGN_RANDOMISED:
        return dutch ? "gerandomiseerde toewijzing" : "randomised assignment";
    }
    return NULL;
}

static const char *design_text(we_design_kind k)
{
    return design_words(k, 0);
}

/* "Level n: design" in both languages. */
static void say_level(we_evidence *out, int level, we_design_kind k)
{
    say(out, "Level %d: %s", "Niveau %d: %s", level, design_words(k, 0));
    /* the Dutch design words replace the English ones just written */
    size_t used = strlen(out->reasons_nl);
    size_t en = strlen(design_words(k, 0));
    if (used >= en) {
        out->reasons_nl[used - en] = '\0';
        size_t left = sizeof out->reasons_nl - strlen(out->reasons_nl);
        strncat(out->reasons_nl, design_words(k, 1), left - 1);
    }
}

/* Level 2 or 3 for a comparison design: 3 only when the design's own
 * pre-period check ran, did not reject, and had the power to see a trend
 * as large as the MDE. *rejected is set when the check rejected. */
static int comparison_level(const we_evidence_input *in, we_evidence *out,
                            int *rejected)
{
    char p[32];
    int level = 2;
    if (isnan(in->pretrend_p)) {
        say_level(out, 2, in->design);
        say(out, "; no pre-period check (",
            "; geen toets v\xc3\xb3\xc3\xb3r de start (");
        say_what(out, in);
        say(out, " not tested).", " niet getoetst).");
        return 2;
    }
    format_p(in->pretrend_p, in->alpha, p, sizeof p);
    if (in->pretrend_p < in->alpha) {
        *rejected = 1;
        say_level(out, 2, in->design);
        say(out, "; pre-period check rejected (",
            "; toets v\xc3\xb3\xc3\xb3r de start verworpen (");
        say_what(out, in);
        say(out,
            ", p %s; alpha %g), so the groups were not comparable "
            "before treatment.",
            ", p %s; alfa %g), dus de groepen waren v\xc3\xb3\xc3\xb3r de "
            "aanpak niet vergelijkbaar.",
            p, in->alpha);
        return 2;
    }
    if (!in->pretest_borrowed && !isnan(in->pretest_power) &&
        in->pretest_power >= in->pretest_power_min)
        level = 3;
    say_level(out, level, in->design);
    say(out, "; pre-period check not rejected (",
        "; toets v\xc3\xb3\xc3\xb3r de start niet verworpen (");
    say_what(out, in);
    if (in->pretest_borrowed)
        say(out, ", p %s), but level 3 needs the design's own check.",
            ", p %s), maar niveau 3 vraagt de eigen toets van de opzet.", p);
    else if (in->pretest_min_p > in->alpha)
        say(out, ", p %s), but it cannot reject: its smallest attainable p "
                 "is %.3g, above alpha %g (too few donors), so its power is "
                 "0 and not rejecting says nothing.",
            ", p %s), maar die kan niet verwerpen: de kleinst haalbare p is "
            "%.3g, boven alfa %g (te weinig donoren), dus het onderscheidend "
            "vermogen is 0 en niet verwerpen zegt niets.",
            p, in->pretest_min_p, in->alpha);
    else if (isnan(in->pretest_power))
        say(out, ", p %s) but its power is unknown.",
            ", p %s), maar het onderscheidend vermogen is onbekend.", p);
    else if (level == 2)
        say(out,
            ", p %s) but its power against a trend as large as the MDE "
            "is %.2f, below %.2f, so not rejecting says little.",
            ", p %s), maar het onderscheidend vermogen tegen een trend zo "
            "groot als het MDE is %.2f, onder %.2f, dus niet verwerpen zegt "
            "weinig.",
            p, in->pretest_power, in->pretest_power_min);
    else
        say(out, ", p %s; power %.2f against a trend as large as the MDE).",
            ", p %s; onderscheidend vermogen %.2f tegen een trend zo groot "
            "als het MDE).",
            p, in->pretest_power);
    return level;
}

static int sms_level(const we_evidence_input *in, we_evidence *out,
                     int *rejected)
{
    switch (in->design) {
    case WE_DESIGN_PRE_POST:
    case WE_DESIGN_GAP:
        say_level(out, 1, in->design);
        say(out, ".", ".");
        return 1;
    case WE_DESIGN_DID:
    case WE_DESIGN_SYNTHETIC:
        return comparison_level(in, out, rejected);
    case WE_DESIGN_QUASI_RANDOM:
        say_level(out, 4, in->design);
        say(out, ".", ".");
        return 4;
    case WE_DESIGN_RANDOMISED:
        say_level(out, 5, in->design);
        say(out, ".", ".");
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
        say(out, " No aanwijzingen: the effect has no p-value.",
            " Geen aanwijzingen: het effect heeft geen p-waarde.");
        return 1;
    }
    format_p(in->p_adjusted, in->alpha, p, sizeof p);
    if (!(in->p_adjusted < in->alpha)) {
        say(out, " No aanwijzingen: not significant ",
            " Geen aanwijzingen: niet significant ");
        say_adjusted(out, in);
        say(out, " (p %s; alpha %g).", " (p %s; alfa %g).", p, in->alpha);
        return 1;
    }
    if (!in->good_direction) {
        say(out, " No aanwijzingen: significant ",
            " Geen aanwijzingen: significant ");
        say_adjusted(out, in);
        say(out, " (p %s) but in the bad direction.",
            " (p %s), maar in de verkeerde richting.", p);
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
                 "earns no label on its own (p %s).",
            " Geen aanwijzingen: een voor-na-verschil of een achterstand is "
            "beschrijvend; een algemene trend alleen geeft het al, dus het "
            "verdient op zichzelf geen label (p %s).", p);
        return WE_ERKENNING_NONE;
    }
    if (rejected) {
        say(out, " No aanwijzingen: significant (p %s) but the pre-period "
                 "check rejected, so the difference may be the trend that "
                 "was already there.",
            " Geen aanwijzingen: significant (p %s), maar de toets "
            "v\xc3\xb3\xc3\xb3r de start verwierp, dus het verschil kan de "
            "trend zijn die er al was.", p);
        return WE_ERKENNING_NONE;
    }
    if (level == 2) {
        say(out, " Eerste aanwijzingen: good-direction effect, significant ",
            " Eerste aanwijzingen: effect in de goede richting, significant ");
        say_adjusted(out, in);
        say(out,
            " (p %s; alpha %g), from a comparison design without a "
            "powerful pre-period check.",
            " (p %s; alfa %g), uit een opzet met vergelijkingsgroep zonder "
            "krachtige toets v\xc3\xb3\xc3\xb3r de start.",
            p, in->alpha);
        return WE_ERKENNING_EERSTE;
    }
    if (in->n_studies >= 2 && in->n_followup >= 2) {
        say(out, " Sterke aanwijzingen: good-direction effect, significant ",
            " Sterke aanwijzingen: effect in de goede richting, significant ");
        say_adjusted(out, in);
        say(out,
            " (p %s; alpha %g), in %zu controlled studies with %zu "
            "follow-up periods.",
            " (p %s; alfa %g), in %zu gecontroleerde studies met %zu "
            "vervolgmetingen.",
            p, in->alpha, in->n_studies, in->n_followup);
        return WE_ERKENNING_STERKE;
    }
    say(out, " Goede aanwijzingen: good-direction effect, significant ",
        " Goede aanwijzingen: effect in de goede richting, significant ");
    say_adjusted(out, in);
    say(out,
        " (p %s; alpha %g), from a controlled design; sterke "
        "aanwijzingen need at least 2 controlled studies with at least "
        "2 follow-up periods (this is %zu ",
        " (p %s; alfa %g), uit een gecontroleerde opzet; sterke "
        "aanwijzingen vragen minstens 2 gecontroleerde studies met "
        "minstens 2 vervolgmetingen (dit is %zu ",
        p, in->alpha, in->n_studies);
    say(out, in->n_studies == 1 ? "study" : "studies",
        in->n_studies == 1 ? "studie" : "studies");
    say(out, " with %zu ", " met %zu ", in->n_followup);
    say(out, in->n_followup == 1 ? "follow-up period)." : "follow-up periods).",
        in->n_followup == 1 ? "vervolgmeting)." : "vervolgmetingen).");
    return WE_ERKENNING_GOEDE;
}

void we_evidence_assess(const we_evidence_input *in, we_evidence *out)
{
    out->sms_level = 0;
    out->erkenning = WE_ERKENNING_NONE;
    out->reasons[0] = '\0';
    out->reasons_nl[0] = '\0';
    if (design_text(in->design) == NULL) {
        say(out, "Invalid input: unknown design kind %d; use one of "
                 "we_design_kind.",
            "Ongeldige invoer: onbekende opzet %d; gebruik een van "
            "we_design_kind.", (int)in->design);
        return;
    }
    if (!(in->alpha > 0.0 && in->alpha < 1.0)) {
        say(out, "Invalid input: alpha must lie in (0, 1), got %g.",
            "Ongeldige invoer: alfa moet tussen 0 en 1 liggen, niet %g.",
            in->alpha);
        return;
    }
    if (in->descriptive) {
        int own = in->descriptive_reason && in->descriptive_reason[0];
        int own_nl = in->descriptive_reason_nl && in->descriptive_reason_nl[0];
        say(out, "Descriptive only: ", "Alleen beschrijvend: ");
        say_each(out,
                 own ? in->descriptive_reason
                     : "its inference is not valid for its design",
                 own_nl ? in->descriptive_reason_nl
                        : "de inferentie is niet geldig voor deze opzet");
        say(out, "; no evidence level.", "; geen bewijsniveau.");
        return;
    }
    int rejected = 0;
    out->sms_level = sms_level(in, out, &rejected);
    out->erkenning = erkenning(in, out->sms_level, rejected, out);
}
