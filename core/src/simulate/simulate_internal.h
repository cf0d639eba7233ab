/* Shared state of the demo generator, split over simulate*.c: the design
 * tables (simulate_design.c), the areas (simulate_areas.c), the values
 * (simulate_values.c) and the output files (simulate_write.c). */
#ifndef WE_SIMULATE_INTERNAL_H
#define WE_SIMULATE_INTERNAL_H

#include <gsl/gsl_rng.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "util/error.h"

enum {
    WE_SIM_FIRST_PERIOD = 2003,
    WE_SIM_N_PERIODS = 10,          /* 2003..2012 */
    WE_SIM_FROM_KRACHT = 2008,      /* the 40 aandachtswijken */
    WE_SIM_FROM_PREVENTIE = 2009    /* the second wave */
};

/* Model constants, shared with README.md (in units of sd_between_wijken
 * unless stated otherwise). */
#define WE_SIM_NOISE_SD 0.25
#define WE_SIM_SHOCK_SD 0.15
#define WE_SIM_SHOCK_RHO 0.5
#define WE_SIM_MISSING_RATE 0.015
/* The process metric as a share of the unit's range: treated wijken spend
 * most of the resident budget in their first treated year, nearly all
 * later. */
#define WE_SIM_PROCESS_FIRST 0.80
#define WE_SIM_PROCESS_LATER 0.95

typedef enum we_sim_group {
    WE_SIM_KRACHT = 0,
    WE_SIM_PREVENTIE = 1,
    WE_SIM_COMPARISON = 2
} we_sim_group;

typedef enum we_sim_pattern {
    WE_SIM_NULL = 0,
    WE_SIM_POSITIVE = 1,
    WE_SIM_PRETREND = 2,
    WE_SIM_PROCESS = 3, /* a process metric: a level, not a constant effect */
    WE_SIM_HARMFUL = 4, /* a constant effect in the bad direction */
    WE_SIM_RAMP = 5     /* an effect that builds up: 0 in the first treated
                           year, then size_sd more in every later year */
} we_sim_pattern;

/* The demo's experiments apart from the programme: each in some
 * programme wijken of a few municipalities, from its own start
 * (assignment.csv). A part takes `count` programme wijken of `muni`
 * from the `first` (0-based, in area order: krachtwijken, then
 * preventie wijken). */
enum { WE_SIM_MAX_EXP = 8, WE_SIM_MAX_PARTS = 6 };
typedef struct we_sim_part {
    const char *muni;
    int first, count;
} we_sim_part;
typedef struct we_sim_exp {
    const char *id;
    int from;
    we_sim_part parts[WE_SIM_MAX_PARTS]; /* ends at muni NULL */
} we_sim_exp;

/* A programme effect on one of the monitor's headline indicators, in all
 * programme wijken from their programme start. */
typedef struct we_sim_programme_effect {
    const char *indicator;
    double size_sd;
} we_sim_programme_effect;

/* What a cell of indicators.csv holds. */
enum {
    WE_SIM_CELL_VALUE = 0,
    WE_SIM_CELL_DOT = 1,    /* "." : not available */
    WE_SIM_CELL_SECRET = 2, /* "x" : suppressed */
    WE_SIM_CELL_EMPTY = 3,  /* ""  */
    WE_SIM_CELL_ABSENT = 4  /* no row: the survey did not run that year */
};

typedef struct we_sim_unit {
    const char *name;
    double lo, hi;   /* hi = HUGE_VAL when open */
    int decimals;    /* in indicators.csv */
} we_sim_unit;

typedef struct we_sim_target {
    const char *experiment;
    const char *indicator;
    const char *role;        /* "primary", "secondary" or "process" */
    we_sim_pattern pattern;
    double size_sd;          /* positive: effect in sd_between_wijken;
                                ramp: the growth per year after the first
                                treated year */
    double pre_slope;        /* pretrend: per year, in the good direction */
} we_sim_target;

typedef struct we_sim_muni {
    char code[8];            /* GM0363 */
    char *name;
    int n_kracht, n_preventie, n_comparison;
} we_sim_muni;

typedef struct we_sim_kracht {
    char *wijk;
    char muni[8];
} we_sim_kracht;

typedef struct we_sim_area {
    char code[24];           /* WK + 4-digit municipality + 2-digit wijk */
    char *name;
    size_t muni;             /* index into we_sim.muni */
    we_sim_group group;
    int from;                /* first treated period, 0 when never */
    double population;
    double deprivation;      /* 0 = krachtwijk level, 1 = national mean */
    int ring_from;           /* untreated neighbour of a treated wijk: the
                                earliest start among its treated
                                neighbours; 0 otherwise */
    int exp_from[WE_SIM_MAX_EXP]; /* the demo's experiments (we_sim.exps):
                                     its start here, 0 when not assigned */
} we_sim_area;

typedef struct we_sim_indicator {
    char *name, *label_nl, *label_en, *unit_name, *direction, *theme, *source;
    double nl_mean, kw_mean, sd;
    int good;                     /* +1 higher is better, -1 lower */
    const we_sim_unit *unit;
    const we_sim_target *effect_target; /* NULL: nothing injected */
    double effect;                      /* injected, indicator units, signed;
                                           ramp: per year after the first
                                           treated year */
    double pre_slope;             /* per year, indicator units, signed */
    double ring_effect;           /* displacement: added in the ring from
                                     ring_from on, indicator units, signed */
    double programme_effect;      /* in every programme wijk from its
                                     programme start, units, signed */
    const we_sim_programme_effect *programme_target; /* NULL: none */
} we_sim_indicator;

typedef struct we_sim {
    uint64_t seed;
    we_sim_indicator *ind;
    size_t n_ind;
    we_sim_kracht *kracht;
    size_t n_kracht;
    we_sim_muni *muni;
    size_t n_muni;
    we_sim_area *area;
    size_t n_area;
    double *value;               /* [ind][area][period] */
    unsigned char *cell;         /* WE_SIM_CELL_*, same layout */
    size_t n_clipped;
    /* When the design is not the demo's: the first period and the
     * treatment timing that truth.csv's notes name. */
    int first_period;        /* 0: WE_SIM_FIRST_PERIOD */
    const char *timing;      /* NULL: the demo's two waves */
    /* The national generator's own state, for its printers (which get
     * only the we_sim); NULL for the demo. */
    const void *national;
    /* The demo's targets, experiments and programme effects; NULL/0 for
     * the national panel (then we_sim_targets() and no assignment). */
    const we_sim_target *targets;
    size_t n_targets;
    const we_sim_exp *exps;
    size_t n_exps;
} we_sim;

static inline size_t we_sim_cell_index(const we_sim *s, size_t k, size_t a,
                                       size_t t)
{
    return (k * s->n_area + a) * WE_SIM_N_PERIODS + t;
}

/* simulate.c: the inputs both generators read */
int we_sim_read_catalog(we_sim *s, const char *path, we_error *err);
int we_sim_link_targets(we_sim *s, const char *catalog_path, we_error *err);
int we_sim_read_krachtwijken(we_sim *s, const char *path, we_error *err);
void we_sim_free(we_sim *s);

/* simulate_design.c */
const we_sim_unit *we_sim_unit_find(const char *name);
const char *we_sim_unit_names(void);
const we_sim_target *we_sim_targets(size_t *n);
/* The demo's own tables (simulate_design.c). */
const we_sim_target *we_sim_demo_targets(size_t *n);
const we_sim_exp *we_sim_demo_exps(size_t *n);
const we_sim_programme_effect *we_sim_programme_effects(size_t *n);
/* s's targets: the demo's when set, else we_sim_targets(). */
const we_sim_target *we_sim_targets_of(const we_sim *s, size_t *n);
/* Index of experiment id among s->exps, -1 when none. */
long we_sim_exp_index(const we_sim *s, const char *id);
/* Marks each experiment's wijken (area.exp_from); after the areas. */
int we_sim_assign(we_sim *s, we_error *err);
/* The number of wijken of experiment e. */
size_t we_sim_exp_size(const we_sim *s, size_t e);
size_t we_sim_exp_munis(const we_sim *s, size_t e);
int we_sim_link_programme(we_sim *s, const char *catalog_path,
                          we_error *err);
void we_sim_print_assignment(FILE *f, const we_sim *s);
const char *we_sim_pattern_name(we_sim_pattern p);
int we_sim_observed(const we_sim_indicator *ind, int period);
long we_sim_find_muni(const we_sim *s, const char *code);
int we_sim_add_other_munis(we_sim *s, we_error *err);
gsl_rng *we_sim_rng(uint64_t seed, uint64_t stream);

/* simulate_areas.c */
int we_sim_build_areas(we_sim *s, we_error *err);

/* simulate_values.c */
typedef struct we_sim_level {
    double mu, scale;
} we_sim_level;
we_sim_level we_sim_draw_level(gsl_rng *r, const we_sim_indicator *ind,
                               double deprivation);
double we_sim_treatment_part(const we_sim_indicator *ind, int from,
                             int first_period, int period);
int we_sim_is_ramp(const we_sim_indicator *ind);
int we_sim_is_process(const we_sim_indicator *ind);
double we_sim_process_value(gsl_rng *r, const we_sim_indicator *ind,
                            int years_treated);
int we_sim_generate(we_sim *s, we_error *err);

/* simulate_write.c */
typedef void (*we_sim_printer)(FILE *f, const we_sim *s);
int we_sim_write_file(const char *dir, const char *name,
                      we_sim_printer print, const we_sim *s, we_error *err);
int we_sim_make_dirs(const char *path, we_error *err);
/* Writes each file of a set into out_dir (created when missing). */
typedef struct we_sim_file {
    const char *name;
    we_sim_printer print;
} we_sim_file;
int we_sim_write_set(const we_sim *s, const char *out_dir,
                     const we_sim_file *files, size_t n, we_error *err);
void we_sim_print_catalog(FILE *f, const we_sim *s);
void we_sim_print_truth(FILE *f, const we_sim *s);
int we_sim_write_all(const we_sim *s, const char *out_dir, we_error *err);
void we_sim_format_fixed(char *buf, size_t size, double v, int decimals);
void we_sim_format_short(char *buf, size_t size, double v);
void we_sim_put_field(FILE *f, const char *s);
const we_sim_indicator *we_sim_find_indicator(const we_sim *s,
                                              const char *name);

/* simulate_ring.c: the simulated adjacency and the displacement effect
 * (a waterbed effect: the treated wijken improve, their untreated
 * neighbours worsen). */
typedef struct we_sim_displacement {
    const char *indicator;
    double treated_sd; /* improvement in the treated wijken, in sd */
    double ring_sd;    /* worsening in the ring, in sd */
} we_sim_displacement;
const we_sim_displacement *we_sim_displacement_spec(void);
int we_sim_link_displacement(we_sim *s, const char *catalog_path,
                             we_error *err);
int we_sim_adjacent(const we_sim *s, size_t a, size_t b);
void we_sim_build_ring(we_sim *s);
void we_sim_print_adjacency(FILE *f, const we_sim *s);
void we_sim_print_displacement_truth(FILE *f, const we_sim *s);
void we_sim_print_displacement_readme(FILE *f, const we_sim *s);

/* simulate_readme.c: the true_effect and note cells of truth.csv, and
 * README.md, which restates the design for readers of the data. */
void we_sim_truth_cells(const we_sim *s, const we_sim_indicator *ind,
                        const we_sim_target *t, char *effect,
                        size_t effect_size, char *note, size_t note_size);
/* The by_period cell of truth.csv: "period=effect;..." for every treated
 * period of an effect that changes over time (a ramp), empty when the
 * effect is constant (true_effect in every treated period). */
void we_sim_truth_by_period(const we_sim *s, const we_sim_indicator *ind,
                            const we_sim_target *t, char *buf, size_t size);
void we_sim_print_readme(FILE *f, const we_sim *s);

#endif
