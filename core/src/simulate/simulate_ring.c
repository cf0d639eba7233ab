/* The displacement (waterbed) part of the demo: a simulated adjacency and
 * one indicator in which the treated wijken improve while their untreated
 * neighbours worsen. The indicator comes last in the catalogue, so every
 * random draw of the other indicators stays where it was. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "simulate/simulate_internal.h"

/* Burglars move to the next street: 0.5 sd fewer burglaries in the
 * treated wijken, 0.6 sd more in the untreated wijken next to them. */
static const we_sim_displacement DISPLACEMENT = {"woninginbraken_per_1000",
                                                 0.5, 0.6};

const we_sim_displacement *we_sim_displacement_spec(void)
{
    return &DISPLACEMENT;
}

int we_sim_link_displacement(we_sim *s, const char *catalog_path,
                             we_error *err)
{
    const we_sim_indicator *found = we_sim_find_indicator(s,
                                                          DISPLACEMENT.indicator);
    if (found == NULL)
        return we_fail(err, WE_EINVAL,
                       "%s: indicator '%s' (the displacement) is "
                       "missing; the demo design needs it in the "
                       "catalogue",
                       catalog_path, DISPLACEMENT.indicator);
    we_sim_indicator *ind = &s->ind[found - s->ind];
    ind->effect = ind->good * round(DISPLACEMENT.treated_sd * ind->sd * 100) /
                  100;
    ind->ring_effect = -ind->good *
                       round(DISPLACEMENT.ring_sd * ind->sd * 100) / 100;
    return 0;
}

/* Simulated, not geography: wijken of one municipality with consecutive
 * wijk numbers are neighbours. */
int we_sim_adjacent(const we_sim *s, size_t a, size_t b)
{
    size_t lo = a < b ? a : b, hi = a < b ? b : a;
    return hi == lo + 1 && s->area[lo].muni == s->area[hi].muni;
}

void we_sim_build_ring(we_sim *s)
{
    for (size_t a = 0; a < s->n_area; a++) {
        we_sim_area *x = &s->area[a];
        x->ring_from = 0;
        if (x->from != 0)
            continue;
        for (size_t b = a > 0 ? a - 1 : 0; b <= a + 1 && b < s->n_area; b++) {
            int from = s->area[b].from;
            if (b != a && from != 0 && we_sim_adjacent(s, a, b) &&
                (x->ring_from == 0 || from < x->ring_from))
                x->ring_from = from;
        }
    }
}

void we_sim_print_adjacency(FILE *f, const we_sim *s)
{
    fputs("area,neighbour\n", f);
    for (size_t a = 0; a + 1 < s->n_area; a++)
        if (we_sim_adjacent(s, a, a + 1))
            fprintf(f, "%s,%s\n", s->area[a].code, s->area[a + 1].code);
}

static size_t count_ring(const we_sim *s)
{
    size_t n = 0;
    for (size_t a = 0; a < s->n_area; a++)
        n += s->area[a].ring_from != 0;
    return n;
}

void we_sim_print_displacement_truth(FILE *f, const we_sim *s)
{
    const we_sim_indicator *ind = we_sim_find_indicator(s,
                                                        DISPLACEMENT.indicator);
    if (ind == NULL)
        return;
    char ring[32], treated[32], rsd[32], tsd[32];
    we_sim_format_short(ring, sizeof ring, ind->ring_effect);
    we_sim_format_short(treated, sizeof treated, ind->effect);
    we_sim_format_short(rsd, sizeof rsd, DISPLACEMENT.ring_sd);
    we_sim_format_short(tsd, sizeof tsd, DISPLACEMENT.treated_sd);
    fprintf(f,
            "displacement,%s,ring,displacement,%s,%s,\"in the %zu "
            "untreated wijken adjacent to a treated wijk (adjacency.csv), "
            "from the earliest start of their treated neighbours: %s x "
            "sd_between_wijken in the bad direction; the treated wijken "
            "improve by %s x sd_between_wijken (%s %s)\",\n",
            ind->name, ring, ind->unit_name, count_ring(s), rsd, tsd, treated,
            ind->unit_name);
}

void we_sim_print_displacement_readme(FILE *f, const we_sim *s)
{
    const we_sim_indicator *ind = we_sim_find_indicator(s,
                                                        DISPLACEMENT.indicator);
    if (ind == NULL)
        return;
    char ring[32], treated[32];
    we_sim_format_short(ring, sizeof ring, ind->ring_effect);
    we_sim_format_short(treated, sizeof treated, ind->effect);
    fprintf(f, "\n## Displacement (waterbed effect)\n\n"
            "`adjacency.csv` is **simulated**: two wijken are neighbours "
            "when they lie in the\nsame municipality and have consecutive "
            "wijk numbers. The %zu untreated wijken\nnext to a treated wijk "
            "form the ring. In `%s` the treated wijken\nchange by %s %s "
            "(better) from their first treated year, and the ring by\n+%s "
            "(worse) from the earliest start among its treated neighbours "
            "(`truth.csv`, experiment\n`displacement`). No other indicator "
            "has a displacement effect.\n", count_ring(s), ind->name,
            treated, ind->unit_name, ring);
}
