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

static void section(FILE *f, const ev_tally *t, size_t nt,
                    unsigned long long reps, unsigned long long boot,
                    unsigned long long seed)
{
    fprintf(f, "\n## Evidence labels on null panels\n\n"
               "Written by `tests/validate/evidence.c` (%llu panels per "
               "scenario, %llu wild bootstrap draws, seed %llu). Each panel goes through the evidence "
               "rules of docs/evidence.md as the host applies them: "
               "before/after, the 2x2 DiD (which has no pre-period check) "
               "and TWFE (wild cluster bootstrap p, Rademacher, as the "
               "host's default) with its event-study leads (bootstrap p), "
               "its MDE and the "
               "pre-test's power against the linear trend that reaches the "
               "MDE at the last period (level 3 needs power >= 0.5). The "
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
        fprintf(f, "\n### %s\n\n| design | significant, good direction "
                   "| eerste | goede | level 3 | any label |\n"
                   "|---|---:|---:|---:|---:|---:|\n", sc->title);
        for (int m = 0; m < EV_N_METHODS; m++) {
            size_t n = t[s].reps - t[s].failed[m];
            fprintf(f, "| %s |", METHOD[m]);
            share(f, t[s].significant[m], n);
            share(f, t[s].label[m][1], n);
            share(f, t[s].label[m][2], n);
            share(f, t[s].level3[m], n);
            share(f, t[s].label[m][1] + t[s].label[m][2] + t[s].label[m][3],
                  n);
            fputc('\n', f);
        }
        if (t[s].power_n > 0)
            fprintf(f, "\nMean power of the TWFE pre-test against the "
                       "MDE-sized linear trend: %.3f.\n",
                    t[s].power_sum / (double)t[s].power_n);
    }
    fputs("\nUnder the null with a favourable trend, before/after is "
          "significant in most panels and earns no label (the rule, not "
          "chance); the comparison designs stay under the 0.05 target. A "
          "differential pre-trend (the treated wijken already improving "
          "faster) is the case the pre-period check exists for: a rejected "
          "check removes the label, but a check with little power lets "
          "part of such panels through as eerste aanwijzingen (level 2); "
          "level 3 (goede aanwijzingen) needs the check's power.\n", f);
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
            "the placebo p of the estimate (sc: the post/pre RMSPE ratio "
            "among the donors refitted; sdid: %d placebo assignments), "
            "the MDE by simulation from the design's estimator (%d "
            "panels), the design's own pre-period check (in-time "
            "placebo, %d placebo assignments in the treated group's "
            "cluster shape, docs/methods.md) and its power against the "
            "MDE-sized linear trend (%d panels; level 3 needs >= 0.5). "
            "\"Check rejected\" is the share of panels whose in-time "
            "placebo rejected at 0.05.\n",
            reps, ES_SDID_REPS, ES_MDE_SIMS, ES_SDID_REPS, ES_POWER_SIMS);
    for (size_t s = 0; s < nt; s++) {
        fprintf(f, "\n%s:\n\n| design | significant, good direction "
                   "| eerste | goede | level 3 | any label | check "
                   "rejected | mean check power |\n"
                   "|---|---:|---:|---:|---:|---:|---:|---:|\n",
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
                fprintf(f, " %.3f |\n",
                        t[s].power_sum[m] / (double)t[s].power_n[m]);
            else
                fputs(" n/a |\n", f);
        }
    }
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
    if (append != NULL && fclose(f) != 0) {
        fprintf(stderr, "evidence: cannot write %s\n", append);
        return 1;
    }
    return 0;
}
