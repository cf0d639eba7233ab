/* The share of simulated panels that earn each evidence label
 * (tests/validate/evidence_sim.h): before/after, the 2x2 DiD and TWFE
 * under the null with a favourable secular trend, under the null with a
 * differential pre-trend, and with a true effect. `make validate` appends
 * its section to docs/validation.md after validate.c has written the rest.
 *
 *   evidence [--reps N] [--boot-reps B] [--synth-reps M] [--seed S]
 *            [--append FILE]
 *
 * M panels per scenario for the SC and SDID headlines (evidence_synth.h;
 * 0 leaves them out).
 *
 * Single-threaded and deterministic. */
#include <errno.h>
#include <gsl/gsl_errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evidence_sim.h"
#include "evidence_synth.h"

static const char *const METHOD[EV_N_METHODS] = {
    "before/after (pre_post)", "2x2 DiD (did_2x2, no pre-check)",
    "TWFE with its event study"};

static int parse_u64(const char *opt, const char *s, unsigned long long *v)
{
    char *end;
    errno = 0;
    *v = strtoull(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || s[0] == '-') {
        fprintf(stderr, "evidence: %s: '%s' is not a non-negative integer\n",
                opt, s);
        return -1;
    }
    return 0;
}

static void share(FILE *f, size_t k, size_t n)
{
    if (n == 0)
        fputs(" n/a |", f);
    else
        fprintf(f, " %.3f |", (double)k / (double)n);
}

static double ratio(double a, size_t n)
{
    return n > 0 ? a / (double)n : NAN;
}

static void section(FILE *f, const ev_tally *t, size_t nt,
                    unsigned long long reps, unsigned long long boot,
                    unsigned long long seed)
{
    fprintf(f,
            "\n## Evidence labels on null panels\n\n"
            "Written by `tests/validate/evidence.c` (%llu panels per "
            "scenario, %llu wild bootstrap draws, seed %llu). Each panel goes "
            "through the evidence "
            "rules of docs/evidence.md as the host applies them: "
            "before/after, the 2x2 DiD (which has no pre-period check) "
            "and TWFE (wild cluster bootstrap p, Rademacher, as the "
            "host's default) with its event-study leads (bootstrap p), "
            "its MDE and the "
            "pre-test's power against the linear trend that reaches the "
            "MDE at the last period (level 3 needs power >= 0.5); "
            "every row first gets the host's descriptive flag "
            "(`we_result_flag_descriptive`: CR1 with fewer than 6 "
            "treated clusters), and a flagged row earns no label. The "
            "effect's p-value is not adjusted (one indicator). Design: "
            "18 municipalities of 6 wijken; in 5 of them 2 wijken are "
            "treated, from 2008 or 2009 (two waves); 2003-2012; higher "
            "is better; municipality-year shocks sd 0.3, wijk noise sd "
            "0.5. A label \"claims an effect\" when it is eerste, goede "
            "or sterke aanwijzingen; the target for null panels is "
            "under 0.05.\n",
            reps, boot, seed);
    for (size_t s = 0; s < nt; s++) {
        const ev_scenario *sc = &EV_SCENARIOS[s];
        fprintf(f,
                "\n### %s\n\n| design | significant, good direction "
                "| descriptive | eerste | goede | level 3 | any label "
                "| mean estimate |\n"
                "|---|---:|---:|---:|---:|---:|---:|---:|\n",
                sc->title);
        for (int m = 0; m < EV_N_METHODS; m++) {
            size_t n = t[s].reps - t[s].failed[m];
            fprintf(f, "| %s |", METHOD[m]);
            share(f, t[s].significant[m], n);
            share(f, t[s].descriptive[m], n);
            share(f, t[s].label[m][1], n);
            share(f, t[s].label[m][2], n);
            share(f, t[s].level3[m], n);
            share(f, t[s].label[m][1] + t[s].label[m][2] + t[s].label[m][3],
                  n);
            fprintf(f, " %+.3f |\n", ratio(t[s].est_sum[m], n));
        }
        if (t[s].power_n > 0)
            fprintf(f,
                    "\nMean power of the TWFE pre-test against the "
                    "MDE-sized linear trend: %.3f; mean MDE of TWFE: "
                    "%.3f.\n",
                    t[s].power_sum / (double)t[s].power_n,
                    ratio(t[s].mde_sum, t[s].mde_n));
    }
    if (nt < 3)
        return;
    size_t n0 = t[0].reps - t[0].failed[EV_DID];
    fprintf(f,
            "\nUnder the null with a favourable trend, before/after is "
            "significant in the good direction in %.3f of the panels and "
            "earns no label (the rule, not chance). The 2x2 DiD is "
            "significant in %.3f, but with 5 treated municipalities its "
            "CR1 test is descriptive (it over-rejects with fewer than 6 "
            "treated clusters), so it earns no label either; TWFE with "
            "the wild bootstrap gives a label to %.3f (target under "
            "0.05). A differential pre-trend (the treated wijken "
            "already improving faster) is the case the pre-period "
            "check exists for: a rejected check removes the label, but "
            "a check with little power lets part of such panels "
            "through as eerste aanwijzingen (level 2); level 3 "
            "(goede aanwijzingen) needs the check's power. See \"Under "
            "a differential pre-trend\" below.\n",
            ratio((double)t[0].significant[EV_PRE_POST],
                  t[0].reps - t[0].failed[EV_PRE_POST]),
            ratio((double)t[0].significant[EV_DID], n0),
            ev_label_share(&t[0], EV_TWFE));
}

static void synth_section(FILE *f, const es_tally *t, size_t nt,
                          unsigned long long reps)
{
    static const char *const NAME[ES_N_METHODS] = {
        "synthetic control (sc)", "synthetic DiD (sdid)"};
    fprintf(f,
            "\n### SC and SDID headlines with their own pre-period "
            "check\n\n"
            "Written by `tests/validate/evidence_synth.h` (%llu panels "
            "per scenario; a 12-panel version runs in `make test`, "
            "tests/unit/test_evidence_sim.c). The same panels, with the "
            "second wave's wijken out of the sample (the synthetic "
            "designs need one start): 6 treated wijken in 3 "
            "municipalities against 98 never-treated ones. Each panel "
            "is assessed as the host assesses an sc or sdid headline: "
            "the placebo p of the estimate (sc: the treated average's "
            "post/pre RMSPE ratio among %d placebo groups of donors; "
            "sdid: %d placebo assignments; both drawn in the treated "
            "group's municipality shape), "
            "the MDE by simulation from the design's estimator (%d "
            "panels), the design's own pre-period check (in-time "
            "placebo, %d placebo assignments in the treated group's "
            "cluster shape, docs/methods.md) and its power against the "
            "MDE-sized linear trend (%d panels; level 3 needs >= 0.5). "
            "\"Check rejected\" is the share of panels whose in-time "
            "placebo rejected at 0.05.\n",
            reps, ES_SDID_REPS, ES_SDID_REPS, ES_MDE_SIMS, ES_SDID_REPS,
            ES_POWER_SIMS);
    for (size_t s = 0; s < nt; s++) {
        fprintf(f,
                "\n%s:\n\n| design | significant, good direction "
                "| eerste | goede | level 3 | any label | check "
                "rejected | mean check power | mean estimate | mean MDE "
                "|\n"
                "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n",
                EV_SCENARIOS[s].title);
        for (int m = 0; m < ES_N_METHODS; m++) {
            size_t n = t[s].reps - t[s].failed[m];
            fprintf(f, "| %s |", NAME[m]);
            share(f, t[s].significant[m], n);
            share(f, t[s].label[m][1], n);
            share(f, t[s].label[m][2], n);
            share(f, t[s].level3[m], n);
            share(f, t[s].label[m][1] + t[s].label[m][2] + t[s].label[m][3],
                  n);
            share(f, t[s].check_rejected[m], n);
            if (t[s].power_n[m] > 0)
                fprintf(f, " %.3f |",
                        t[s].power_sum[m] / (double)t[s].power_n[m]);
            else
                fputs(" n/a |", f);
            fprintf(f, " %+.3f | %.3f |\n", ratio(t[s].est_sum[m], n),
                    ratio(t[s].mde_sum[m], t[s].mde_n[m]));
        }
    }
}

/* Share of claimed-effect labels that level 3 (goede or sterke) gives:
 * what the labels would be if eerste aanwijzingen also needed a powerful
 * pre-period check. */
static double ev_level3_label(const size_t *label, size_t n)
{
    return ratio((double)(label[2] + label[3]), n);
}

/* The three scenarios side by side for every headline design: the label
 * rates with the rules as they are, and what requiring the check's
 * power for eerste aanwijzingen too would give on the same panels. */
static void trend_section(FILE *f, const ev_tally *t, const es_tally *st,
                          unsigned long long synth)
{
    fputs("\n### Under a differential pre-trend: every headline design\n\n"
          "The tables above side by side: (i) the null with parallel "
          "trends (the favourable common trend), (ii) the null with a "
          "differential pre-trend (+0.05 a year for the treated wijken, "
          "before and after the start), (iii) a true effect of 0.5. "
          "\"Any label\" is the rules as they are; \"if eerste needed "
          "power\" counts only the labels from level 3 (the design's own "
          "check not rejected with power >= 0.5), what the rules would "
          "give if eerste aanwijzingen also needed a powerful check. "
          "\"Bias / MDE\" is the mean estimate under (ii) over the mean "
          "MDE: how large, in MDEs, the effect is that the pre-trend "
          "alone produces.\n\n"
          "| design | any label (i) | (ii) | (iii) | if eerste needed "
          "power (i) | (ii) | (iii) | bias / MDE under (ii) | check "
          "rejected under (ii) | mean check power under (ii) |\n"
          "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n",
          f);
    double any[3], l3[3], bias = NAN, rej = NAN, pw = NAN;
    for (size_t s = 0; s < 3; s++) {
        size_t n = t[s].reps - t[s].failed[EV_TWFE];
        any[s] = ev_label_share(&t[s], EV_TWFE);
        l3[s] = ev_level3_label(t[s].label[EV_TWFE], n);
    }
    {
        size_t n = t[1].reps - t[1].failed[EV_TWFE];
        bias =
            ratio(t[1].est_sum[EV_TWFE], n) / ratio(t[1].mde_sum, t[1].mde_n);
        pw = ratio(t[1].power_sum, t[1].power_n);
        fprintf(f, "| %s |", METHOD[EV_TWFE]);
        for (int k = 0; k < 3; k++)
            fprintf(f, " %.3f |", any[k]);
        for (int k = 0; k < 3; k++)
            fprintf(f, " %.3f |", l3[k]);
        fprintf(f, " %.2f | %.3f | %.3f |\n", bias,
                ratio((double)t[1].check_rejected, n), pw);
    }
    static const char *const NAME[ES_N_METHODS] = {"synthetic control (sc)",
                                                   "synthetic DiD (sdid)"};
    for (int m = 0; synth > 0 && m < ES_N_METHODS; m++) {
        size_t n1 = st[1].reps - st[1].failed[m];
        fprintf(f, "| %s |", NAME[m]);
        for (size_t s = 0; s < 3; s++)
            fprintf(f, " %.3f |", es_label_share(&st[s], m));
        for (size_t s = 0; s < 3; s++)
            fprintf(
                f, " %.3f |",
                ev_level3_label(st[s].label[m], st[s].reps - st[s].failed[m]));
        bias = ratio(st[1].est_sum[m], n1) /
               ratio(st[1].mde_sum[m], st[1].mde_n[m]);
        rej = ratio((double)st[1].check_rejected[m], n1);
        pw = ratio(st[1].power_sum[m], st[1].power_n[m]);
        fprintf(f, " %.2f | %.3f | %.3f |\n", bias, rej, pw);
    }
    fprintf(f, "| %s |", METHOD[EV_DID]);
    for (size_t s = 0; s < 3; s++)
        fprintf(f, " %.3f |", ev_label_share(&t[s], EV_DID));
    fputs(" 0.000 | 0.000 | 0.000 | — | no check | — |\n", f);
    fputs("\nReading (docs/evidence.md, \"Eerste aanwijzingen and a "
          "pre-trend the check cannot see\"): under (ii) the identifying "
          "assumption of every comparison design fails, and the "
          "pre-trend's bias is a fraction of the MDE that a check with "
          "this power mostly misses (Roth 2022), so part of these "
          "panels reach eerste aanwijzingen whatever the design. "
          "Requiring the check's power for eerste aanwijzingen too "
          "(the second group of columns) would bring (ii) down only by "
          "taking (iii), the power to find a true effect, down with it",
          f);
    size_t synth_l3 = 0;
    for (int m = 0; synth > 0 && m < ES_N_METHODS; m++)
        synth_l3 += st[2].label[m][2] + st[2].label[m][3];
    if (synth > 0 && synth_l3 == 0)
        fputs(": for sc and sdid to no label at all under (iii), their "
              "check being too weak in this design",
              f);
    fputs(". The rules keep eerste "
          "aanwijzingen for a comparison design whose own check ran and "
          "did not reject, and the report shows that check's power and "
          "the sensitivity to trend violations beside the label.\n",
          f);
}

int main(int argc, char **argv)
{
    unsigned long long reps = 2000, seed = 20081107, boot = 199,
                       synth = 100;
    const char *append = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--reps") == 0 && i + 1 < argc) {
            if (parse_u64("--reps", argv[++i], &reps) != 0 || reps == 0)
                return 2;
        } else if (strcmp(argv[i], "--boot-reps") == 0 && i + 1 < argc) {
            if (parse_u64("--boot-reps", argv[++i], &boot) != 0)
                return 2;
        } else if (strcmp(argv[i], "--synth-reps") == 0 && i + 1 < argc) {
            if (parse_u64("--synth-reps", argv[++i], &synth) != 0)
                return 2;
        } else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) {
            if (parse_u64("--seed", argv[++i], &seed) != 0)
                return 2;
        } else if (strcmp(argv[i], "--append") == 0 && i + 1 < argc) {
            append = argv[++i];
        } else {
            fprintf(stderr, "evidence: unknown option '%s'; usage: evidence "
                            "[--reps N] [--boot-reps B] [--synth-reps M] [--seed S] "
                            "[--append FILE]\n",
                    argv[i]);
            return 2;
        }
    }
    gsl_set_error_handler_off();
    ev_tally t[EV_N_SCENARIOS];
    for (size_t s = 0; s < EV_N_SCENARIOS; s++)
        if (ev_run(&EV_SCENARIOS[s], (size_t)reps, (size_t)boot, seed + 1000003ULL * s,
                   &t[s]) != 0) {
            fprintf(stderr, "evidence: out of memory\n");
            return 1;
        }
    es_tally st[EV_N_SCENARIOS];
    for (size_t s = 0; synth > 0 && s < EV_N_SCENARIOS; s++)
        if (es_run(&EV_SCENARIOS[s], (size_t)synth, seed + 7919ULL * s,
                   &st[s]) != 0) {
            fprintf(stderr, "evidence: out of memory\n");
            return 1;
        }
    FILE *f = append ? fopen(append, "a") : stdout;
    if (f == NULL) {
        fprintf(stderr, "evidence: cannot write %s: %s; give a writable "
                        "path to --append\n", append, strerror(errno));
        return 1;
    }
    section(f, t, EV_N_SCENARIOS, reps, boot, seed);
    if (synth > 0)
        synth_section(f, st, EV_N_SCENARIOS, synth);
    trend_section(f, t, st, synth);
    if (append != NULL && fclose(f) != 0) {
        fprintf(stderr, "evidence: cannot write %s\n", append);
        return 1;
    }
    return 0;
}
