/* A run configuration, read from one libconfig file. Every key is
 * documented in docs/config.md. Unknown keys are errors. */
#ifndef WE_CONFIG_CONFIG_H
#define WE_CONFIG_CONFIG_H

#include <libconfig.h>
#include <stddef.h>
#include <stdint.h>

#include "util/error.h"
#include "wijkeval/plugin.h"

typedef enum we_comparison_mode {
    WE_COMPARISON_UNTREATED = 0,         /* all areas never treated */
    WE_COMPARISON_SAME_MUNICIPALITY = 1, /* untreated, in a municipality
                                            that has a treated area */
    WE_COMPARISON_LIST = 2               /* an explicit list */
} we_comparison_mode;

typedef enum we_gap_ref_mode {
    WE_GAP_MUNICIPALITY = 0, /* mean of the other areas of the municipality */
    WE_GAP_NATIONAL = 1      /* mean of all areas */
} we_gap_ref_mode;

typedef enum we_cluster {
    WE_CLUSTER_AREA = 0,
    WE_CLUSTER_MUNICIPALITY = 1
} we_cluster;

enum {
    WE_FORMAT_JSON = 1,
    WE_FORMAT_CSV = 2,
    WE_FORMAT_MD = 4,
    WE_FORMAT_HTML = 8
};

/* How the p-value and interval of the TWFE effect are obtained. */
typedef enum we_infer_method {
    WE_INFER_AUTO = 0, /* wild cluster bootstrap when clusters < 42 */
    WE_INFER_CR1 = 1,  /* CR1 with t(G - 1) */
    WE_INFER_WILD = 2  /* always the wild cluster bootstrap */
} we_infer_method;

typedef enum we_adjust_method {
    WE_ADJUST_HOLM = 0,
    WE_ADJUST_BH = 1
} we_adjust_method;

/* The `designs` group: settings of the designs beyond TWFE. */
typedef struct we_designs_cfg {
    int cs_not_yet;       /* Callaway-Sant'Anna comparison: 0 never
                             treated, 1 not yet treated */
    size_t cs_boot_reps;  /* multiplier bootstrap draws (bands) */
    size_t sdid_reps;     /* SDID placebo / bootstrap replications */
} we_designs_cfg;

/* The `inference` group beyond alpha, seed and cluster. */
typedef struct we_inference_cfg {
    we_infer_method method;
    size_t boot_reps;     /* wild bootstrap replications */
    int boot_weights;     /* we_boot_weights: 0 rademacher, 1 webb */
    size_t perm_reps;     /* randomisation inference; 0 = off */
    int perm_strata;      /* 1 = permute within municipalities */
    int event_min, event_max; /* event-study window around the start */
    size_t event_boot_reps;   /* wild bootstrap of the pre-trend test */
    we_adjust_method adjust;  /* which adjustment the summary uses */
    double power;             /* for the minimum detectable effect */
    size_t mde_sims;          /* simulations checking the MDE's power */
    size_t pretest_sims;      /* simulated panels for the power of the
                                 sc / sdid headlines' own pre-check */
    double pretest_power_min; /* level 3 needs the pre-period check to
                                 have at least this power (0.5) */
} we_inference_cfg;

typedef struct we_treated_cfg {
    char *area;  /* area code */
    int from;    /* first treated period, e.g. 2008 */
    char *wave;  /* wave label, "" when none */
    int line;    /* config or treatment-file line, for messages */
    const char *source; /* the file `line` refers to; owned by the config */
} we_treated_cfg;

/* One row of data.assignment (CSV experiment,area,from): an experiment's
 * own wijk and its own start. */
typedef struct we_assigned_cfg {
    char *experiment; /* plugin id */
    char *area;
    int from;
    int line;         /* in assignment_path */
} we_assigned_cfg;

/* What an experiment is compared with (its `comparison` key). */
typedef enum we_exp_comparison {
    WE_EXP_CMP_RUN = 0,       /* the run's comparison group (no assignment) */
    WE_EXP_CMP_MATCHED = 1,   /* matched wijken from the pool */
    WE_EXP_CMP_PROGRAMME = 2, /* programme wijken not in the experiment:
                                 the experiment's added value */
    WE_EXP_CMP_UNTREATED = 3  /* wijken outside the programme: programme
                                 and experiment together */
} we_exp_comparison;

typedef struct we_target_cfg {
    char *name;
    we_role role;
} we_target_cfg;

/* The comparison design of an experiment's headline estimate. */
typedef enum we_design_choice {
    WE_DESIGN_CHOICE_AUTO = 0, /* cs with several waves, sdid with fewer
                                  than 5 treated areas, twfe otherwise */
    WE_DESIGN_CHOICE_TWFE = 1,
    WE_DESIGN_CHOICE_CS = 2,   /* Callaway-Sant'Anna group-time effects */
    WE_DESIGN_CHOICE_SC = 3,   /* synthetic control */
    WE_DESIGN_CHOICE_SDID = 4  /* synthetic difference-in-differences */
} we_design_choice;

/* Matched comparison wijken (experiment `comparison = "matched"`). */
typedef struct we_matching_cfg {
    int enabled;
    int propensity;        /* 0 Mahalanobis, 1 propensity score (logit) */
    size_t k;              /* neighbours per treated area */
    int replace;           /* with replacement */
    int same_municipality; /* only within the treated area's municipality */
    char **covariates;     /* catalogue indicators at baseline, besides the
                              pre-period outcome path */
    size_t n_covariates;
} we_matching_cfg;

/* The `isolation` group: each experiment's plugin runs in a child
 * process with these limits (docs/config.md). */
typedef struct we_isolation_cfg {
    int enabled;          /* 0: run plugins in the host process (debugging) */
    double time_limit;    /* wall-clock seconds per experiment, 0 = none */
    long memory_limit_mb; /* address space of the child, 0 = none */
    int sandbox;          /* 1 "strict" (default): Landlock and seccomp
                             around the child (host/sandbox.h); 0 "off" */
} we_isolation_cfg;

/* The `early_warning` group: the composite's indicators and weights, the
 * window of the slope test and its false discovery rate. */
typedef struct we_ew_indicator_cfg {
    char *name;
    double weight; /* > 0 */
    int line;      /* in the config, for messages */
} we_ew_indicator_cfg;

typedef struct we_early_warning_cfg {
    int enabled; /* 0: the group is absent */
    we_ew_indicator_cfg *indicators;
    size_t n_indicators;
    size_t window; /* the last `window` periods */
    double alpha;  /* false discovery rate */
    int test;      /* we_ew_test: 0 empirical null, 1 Mann-Kendall */
    int line;
} we_early_warning_cfg;

/* The `displacement` group: the indicators whose ring of untreated
 * neighbours is compared with the areas further away, and for
 * data.centroids the distance band that makes two areas neighbours. */
typedef struct we_displacement_cfg {
    int enabled;       /* 0: the group is absent */
    char **indicators;
    size_t n_indicators;
    int *indicator_line; /* per indicator, for messages */
    double band_m;     /* > 0 with data.centroids; 0 otherwise */
    int line;
} we_displacement_cfg;

typedef struct we_experiment_cfg {
    char *plugin;              /* plugin id */
    we_design_choice design;
    we_exp_comparison comparison; /* after loading: never RUN when the
                                     experiment has an assignment */
    size_t n_assigned;            /* rows of data.assignment */
    we_matching_cfg matching;
    we_target_cfg *targets;    /* overrides; NULL/0 = plugin defaults */
    size_t n_targets;
    config_setting_t *settings; /* the `settings` group, NULL if absent;
                                   owned by cfg->lc */
    int line;
    /* municipalities = [...]: the treated areas of these municipalities
     * only (the others leave the sample); NULL/0 = all. */
    char **municipalities;
    size_t n_municipalities;
    /* This experiment's limits: its own time_limit and memory_limit_mb
     * keys, else the `isolation` group's. */
    double time_limit;
    long memory_limit_mb;
    /* The smallest effect of interest of this experiment's headline, in
     * its indicator's unit (> 0); 0 when not set (docs/config.md). */
    double smallest_effect;
} we_experiment_cfg;

/* report.smallest_effect: the smallest effect of interest per indicator,
 * in the indicator's unit. */
typedef struct we_smallest_cfg {
    char *indicator;
    double value; /* > 0 */
    int line;
} we_smallest_cfg;

typedef struct we_config {
    char *path;  /* as given */
    char *dir;   /* directory of the config file */
    char *name;  /* run name: [A-Za-z0-9_.-]+ */
    char *title; /* free text, defaults to name */
    char *title_nl; /* a Dutch report's title; NULL: title */
    char *series; /* the history series (docs/history.md); default name */
    char *history_path; /* history.file, resolved; NULL: the default */
    char *areas_path, *indicators_path, *catalog_path; /* resolved */
    char *targets_path, *costs_path; /* resolved; NULL when not given */
    /* resolved; at most one given: who neighbours whom */
    char *adjacency_path, *centroids_path;
    /* resolved; NULL when not given: municipality names, rows code,name */
    char *municipalities_path;
    /* data.simulated: 1 when the data are simulated (a banner in the
     * report), 0 when not said */
    int simulated;
    int baseline;           /* nulmeting period, e.g. 2007 */
    int *followup;          /* ascending follow-up periods */
    size_t n_followup;
    we_treated_cfg *treated; /* all waves merged, one entry per area */
    size_t n_treated;
    we_comparison_mode comparison;
    char **comparison_areas; /* for WE_COMPARISON_LIST */
    size_t n_comparison_areas;
    we_gap_ref_mode gap_reference;
    int gap_weighted;        /* population-weighted when population given */
    double alpha;
    uint64_t seed;
    we_cluster cluster;
    we_inference_cfg inference;
    we_designs_cfg designs;
    char *output_dir;        /* resolved; reports go to output_dir/name/ */
    unsigned formats;        /* WE_FORMAT_* bits */
    char **plugin_dirs;      /* resolved */
    size_t n_plugin_dirs;
    we_experiment_cfg *experiments;
    size_t n_experiments;
    char config_sha256[65];
    config_t lc;             /* keeps the settings groups alive */
    char *language;          /* report language: "en" or "nl" */
    /* report.min_evidence_level: the SMS level below which a headline is
     * not credible (default 3); report.smallest_effect per indicator. */
    int min_evidence_level;
    we_smallest_cfg *smallest;
    size_t n_smallest;
    int baseline_line;       /* config lines of baseline and followup */
    int followup_line;
    char *treatment_path;    /* resolved treatment.file, NULL when absent */
    /* data.assignment: each experiment's own wijken and starts; the
     * treatment above is then the programme. NULL/0 when absent. */
    char *assignment_path;
    we_assigned_cfg *assigned;
    size_t n_assigned;
    /* programme = { indicators = [...]; }: the programme's own row. */
    int programme_enabled;
    char **programme_indicators;
    size_t n_programme_indicators;
    int programme_line;
    /* costs = { missing = "zero"; }: an assigned wijk without cost rows
     * counts as costing nothing instead of being an error. */
    int costs_missing_zero;
    we_isolation_cfg isolation;
    we_early_warning_cfg early_warning;
    we_displacement_cfg displacement;
} we_config;

int we_config_load(we_config *c, const char *path, we_error *err);
void we_config_free(we_config *c);
/* The defaults of the optional keys (comparison, gap, inference, output
 * formats), as a config file that omits them gets. */
void we_config_set_defaults(we_config *c);
/* Frees and empties the treated and comparison-area lists (the mock host
 * rebuilds them before every run). */
void we_config_clear_areas(we_config *c);

/* Checks a plugin's `settings` group against its declared settings:
 * unknown keys and wrong types are errors naming file and line. */
int we_config_check_settings(const we_config *c, const config_setting_t *s,
                             const we_setting_spec *spec, size_t n_spec,
                             const char *plugin_id, we_error *err);

/* Reads a treatment file (CSV area,from[,wave]) into c->treated, as the
 * config's treatment.file is read: for `wijkeval estimate --treatment`. */
int we_config_read_treatment(we_config *c, const char *path, we_error *err);

/* A config group of an optional analysis (analysis/analysis.h): the
 * analysis owns its loader, in its own folder. The loader reads the group
 * from the root (a group without a name keeps its keys in another group,
 * as data.targets does); `defaults` runs before any part is read and
 * `free` releases what the loader allocated. */
typedef struct we_config_group {
    const char *name;
    int (*load)(const config_setting_t *root, we_config *c, const char *path,
                we_error *err);
    void (*defaults)(we_config *c); /* may be NULL */
    void (*free)(we_config *c);     /* may be NULL */
} we_config_group;

/* The k-th optional analysis's config group, NULL past the last. The
 * analysis table defines it (analysis/analyses.c): the loader reads the
 * groups of the analyses the build has, without naming one. */
const we_config_group *we_config_group_at(size_t k);

#endif
