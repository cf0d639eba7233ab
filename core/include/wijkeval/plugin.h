/*
 * wijkeval plugin SDK: the one header an experiment plugin needs.
 *
 * A plugin is a shared object that exports exactly one symbol,
 * WE_PLUGIN_ENTRY_SYMBOL ("wijkeval_plugin_entry"). The host calls it once
 * and receives a descriptor. The plugin links against nothing of the host:
 * everything it needs (data access, the core methods, logging, emitting
 * results) comes through the host-services table `we_host`.
 *
 * Lifecycle (as in collectd): init(settings) -> evaluate -> fini. By
 * default the three run in a child process of the host, under a time and
 * a memory limit (docs/plugins.md): a plugin never calls exit(), and what
 * it prints on stdout goes to stderr.
 *
 * Memory ownership:
 *  - The host owns everything it lends: the panel matrices, strings such as
 *    area codes and indicator names, the settings. They stay valid until the
 *    callback that received them returns. Never free or write to them.
 *  - The plugin owns its state (whatever init stores in *state) and frees it
 *    in fini.
 *  - Results and metrics are copied in by the host when emitted; the plugin
 *    may reuse or free its buffers right after emit_* returns.
 *
 * Errors: every callback and host function returns 0 (WE_OK) or a negative
 * we_status. On failure a plugin calls host->fail(ctx, fmt, ...) to leave a
 * message, then returns the code it got (or WE_EPLUGIN).
 *
 * Versioning (as Varnish VMODs and GStreamer): the ABI major must equal the
 * host's; the plugin's minor may not exceed the host's. Both the descriptor
 * and the host table start with {abi_major, abi_minor, struct_size} and only
 * ever grow at the end within one major; struct_size says which members a
 * side has. A plugin that declares an older minor than its header's (to
 * run on older hosts) checks WE_HOST_HAS(host, member) before it calls a
 * host function added later. The full policy is in docs/plugins.md.
 *
 *   ABI 1.0  the first release
 *   ABI 1.1  descriptor: maintainer; host: comparison_values
 *   ABI 1.2  host: gap_reference
 *   ABI 1.3  descriptor: summary_nl; host: indicator_info, headline,
 *            emit_metric_text, emit_area_metric (Dutch text, catalogue
 *            access, per-wijk metrics)
 */
#ifndef WIJKEVAL_PLUGIN_H
#define WIJKEVAL_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define WE_ABI_MAJOR 1
#define WE_ABI_MINOR 3

#define WE_PLUGIN_ENTRY_SYMBOL "wijkeval_plugin_entry"

#if defined(__GNUC__)
#define WE_EXPORT __attribute__((visibility("default")))
#define WE_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define WE_EXPORT
#define WE_PRINTF(fmt, args)
#endif

/* Status codes: 0 or negative. */
typedef enum we_status {
    WE_OK = 0,
    WE_EINVAL = -1,    /* bad argument from the caller */
    WE_ENOMEM = -2,    /* allocation failed */
    WE_ENOTFOUND = -3, /* unknown indicator, area or setting */
    WE_ENODATA = -4,   /* not enough non-missing data for the method */
    WE_ESINGULAR = -5, /* the design matrix is singular */
    WE_EPLUGIN = -6,   /* a plugin-specific failure; see the message */
    WE_ETYPE = -7      /* a setting exists but has another type */
} we_status;

typedef enum we_role { WE_ROLE_PRIMARY = 0, WE_ROLE_SECONDARY = 1 } we_role;

/* Which direction is an improvement. Matches the catalogue's `direction`. */
typedef enum we_direction {
    WE_LOWER_IS_BETTER = -1,
    WE_DIRECTION_FROM_CATALOG = 0,
    WE_HIGHER_IS_BETTER = 1
} we_direction;

typedef enum we_method {
    WE_METHOD_PRE_POST = 0, /* treated areas: baseline vs latest follow-up */
    WE_METHOD_GAP = 1,      /* gap (achterstand) to the reference, change */
    WE_METHOD_DID_2X2 = 2,  /* 2x2 difference-in-differences on means */
    WE_METHOD_TWFE = 3,     /* two-way fixed effects DiD, CR1 cluster SE */
    WE_METHOD_CS = 4,       /* Callaway-Sant'Anna, simple aggregation */
    WE_METHOD_SC = 5,       /* synthetic control, treated average */
    WE_METHOD_SDID = 6,     /* synthetic difference-in-differences */
    WE_METHOD_COUNT_ = 7
} we_method;

/* A set of methods for host->evaluate_targets. */
#define WE_METHOD_BIT(m) (1u << (unsigned)(m))
#define WE_METHODS_ALL                                                      \
    (WE_METHOD_BIT(WE_METHOD_PRE_POST) | WE_METHOD_BIT(WE_METHOD_GAP) |     \
     WE_METHOD_BIT(WE_METHOD_DID_2X2) | WE_METHOD_BIT(WE_METHOD_TWFE))

typedef enum we_log_level {
    WE_LOG_ERROR = 0,
    WE_LOG_WARNING = 1,
    WE_LOG_INFO = 2,
    WE_LOG_DEBUG = 3
} we_log_level;

/* How the p-value and interval of an estimate were obtained. */
typedef enum we_inference {
    WE_INFERENCE_NONE = 0,
    WE_INFERENCE_T_PAIRED = 1,       /* paired t, n - 1 df */
    WE_INFERENCE_CR1 = 2,            /* CR1 cluster-robust, t(G - 1) */
    WE_INFERENCE_WILD_RADEMACHER = 3, /* wild cluster bootstrap (WCR) */
    WE_INFERENCE_WILD_WEBB = 4,
    WE_INFERENCE_INFLUENCE = 5, /* influence function, normal reference */
    WE_INFERENCE_PLACEBO = 6,   /* placebo (in-space) distribution */
    WE_INFERENCE_JACKKNIFE = 7, /* jackknife over units, normal reference */
    WE_INFERENCE_BOOTSTRAP = 8  /* unit bootstrap, normal reference */
} we_inference;

/* Opaque handle for one experiment's evaluation inside the host. */
typedef struct we_ctx we_ctx;

/*
 * One estimate from a core method. Filled by host->estimate; handed back to
 * host->emit_result (which copies it). Fields that a method does not
 * produce are NaN (doubles) or -1 (counts).
 */
typedef struct we_estimate {
    uint32_t struct_size; /* sizeof(we_estimate) of the caller's header */
    we_method method;
    double estimate; /* in the indicator's own unit */
    double se;
    double ci_low, ci_high; /* (1 - alpha) interval */
    double p_value;         /* two-sided, H0: estimate = 0 */
    double df;              /* degrees of freedom of the t reference */
    long n_treated;         /* treated areas used */
    long n_control;         /* comparison areas used (0 for pre_post, gap) */
    long n_obs;             /* non-missing observations used */
    double baseline;        /* pre_post: treated mean at baseline;
                               gap: mean gap at baseline; did: treated
                               minus comparison at baseline */
    double latest;          /* the same quantity at the latest follow-up */
    int closing;            /* gap only: 1 when a gap that was a deficit
                               shrinks in the good direction, else 0 */
    we_inference inference; /* what produced p_value, ci_low, ci_high;
                               se stays the analytic (CR1) one */
    long inference_reps;    /* bootstrap replications, 0 for analytic */
} we_estimate;

/* Descriptive statistics of a set of values (host->summarise). */
typedef struct we_summary {
    uint32_t struct_size; /* sizeof(we_summary) of the caller's header */
    size_t n;             /* finite values used */
    double mean, sd;      /* sd with n - 1 in the denominator */
    double median, min, max;
} we_summary;

/* One coefficient of an event study (host->event_study). */
typedef struct we_event_point {
    int rel_time; /* periods since the treatment start; -1 = reference */
    double estimate, se, ci_low, ci_high, p_value; /* CR1, t(G - 1) */
} we_event_point;

/* A plugin setting it accepts in its config `settings` group. The host
 * rejects keys that are not declared, and values of the wrong type, with the
 * config file and line. */
typedef enum we_setting_type {
    WE_SETTING_INT = 0,
    WE_SETTING_DOUBLE = 1,
    WE_SETTING_STRING = 2,
    WE_SETTING_BOOL = 3
} we_setting_type;

typedef struct we_setting_spec {
    const char *name;
    we_setting_type type;
    const char *description;
} we_setting_spec;

/* An indicator the plugin targets by default. The config may override the
 * list; the plugin reads the effective list through host->target_*. */
typedef struct we_indicator_spec {
    const char *name;       /* catalogue id, e.g. "sociale_cohesie_score" */
    we_role role;           /* exactly one target should be primary */
    we_direction direction; /* expected direction; the host checks it
                               against the catalogue, 0 = take catalogue's */
} we_indicator_spec;

typedef struct we_host we_host;

/*
 * Callbacks. `state` is the plugin's own; init may set *state to anything
 * (or leave it NULL). All return WE_OK or a negative we_status.
 */
typedef int (*we_init_fn)(const we_host *host, we_ctx *ctx, void **state);
typedef int (*we_evaluate_fn)(const we_host *host, we_ctx *ctx, void *state);
typedef void (*we_fini_fn)(void *state);

typedef struct we_plugin_descriptor {
    uint16_t abi_major;   /* WE_ABI_MAJOR the plugin was built against */
    uint16_t abi_minor;   /* the minor it needs: its header's WE_ABI_MINOR,
                             or older (WE_DESCRIPTOR_HEADER_FOR) */
    uint32_t struct_size; /* sizeof(we_plugin_descriptor) */
    const char *id;       /* [a-z0-9_]+, equals the file name without .so */
    const char *title_nl;
    const char *title_en;
    const char *version;  /* the plugin's own version, e.g. "1.0.0" */
    const char *summary;  /* one sentence: the question it answers */
    const we_indicator_spec *indicators;
    size_t n_indicators;
    const we_setting_spec *settings; /* may be NULL when n_settings is 0 */
    size_t n_settings;
    we_init_fn init;         /* optional */
    we_evaluate_fn evaluate; /* required */
    we_fini_fn fini;         /* optional; required when init sets *state */
    /* -- ABI 1.1 -- */
    /* Who maintains the plugin, for the people who run it: organisation
     * and a contact, e.g. "Gemeente Utrecht, wijkaanpak@utrecht.nl".
     * Optional (NULL); `wijkeval plugins` and check-plugin show it. */
    const char *maintainer;
    /* -- ABI 1.3 -- */
    /* The summary in Dutch, for reports with report.language = "nl".
     * Optional (NULL): the report then shows `summary`. */
    const char *summary_nl;
} we_plugin_descriptor;

/* What the catalogue says about an indicator (host->indicator_info).
 * Strings are owned by the host; NULL when the catalogue leaves them
 * empty. */
typedef struct we_indicator_info {
    uint32_t struct_size;   /* sizeof(we_indicator_info) of the caller */
    const char *unit;       /* the catalogue's unit code, e.g. "per_1000" */
    const char *unit_en;    /* the unit in words, e.g. "per 1,000 residents" */
    const char *unit_nl;    /* e.g. "per 1.000 inwoners" */
    const char *label_en;
    const char *label_nl;
    const char *theme;      /* the catalogue's theme, e.g. "veiligheid" */
    we_direction direction; /* WE_HIGHER_IS_BETTER or WE_LOWER_IS_BETTER */
} we_indicator_info;

/* A domain metric with its text in both languages
 * (host->emit_metric_text). Only name and value are required; a NULL
 * text falls back to the other language's, then to the name. */
typedef struct we_metric {
    uint32_t struct_size; /* sizeof(we_metric) of the caller's header */
    const char *name;     /* [a-z0-9_]+, unique within the experiment */
    double value;
    const char *unit;     /* free text, as emit_metric's */
    const char *description;    /* English: what it measures */
    const char *label_en;       /* a short name for tables */
    const char *label_nl;
    const char *description_nl;
    const char *unit_nl;
} we_metric;

/* A metric over the wijken (host->emit_area_metric): one value per area
 * of the panel, NaN where it does not apply (e.g. areas outside the
 * experiment). The report shows it in the per-wijk view. */
typedef struct we_area_metric {
    uint32_t struct_size; /* sizeof(we_area_metric) of the caller */
    const char *name;     /* [a-z0-9_]+, unique within the experiment */
    const double *values; /* n_areas values, indexed as host->area_code */
    const char *unit;
    const char *description;
    const char *label_en;
    const char *label_nl;
    const char *description_nl;
    const char *unit_nl;
} we_area_metric;

/*
 * Host services. Append-only within one major: new members go at the end
 * and bump WE_ABI_MINOR. Check availability with WE_HOST_HAS.
 */
struct we_host {
    uint16_t abi_major;
    uint16_t abi_minor;
    uint32_t struct_size;

    /* -- messages ------------------------------------------------------ */
    void (*log)(we_ctx *ctx, we_log_level level, const char *fmt, ...)
        WE_PRINTF(3, 4);
    /* Records why the current callback fails; returns WE_EPLUGIN so that a
     * plugin can write `return host->fail(ctx, "...")`. */
    int (*fail)(we_ctx *ctx, const char *fmt, ...) WE_PRINTF(2, 3);

    /* -- settings (the experiment's `settings` group) -------------------
     * Return WE_OK and set *out, WE_ENOTFOUND when absent (out untouched),
     * or WE_ETYPE. Strings are owned by the host. */
    int (*setting_int)(we_ctx *ctx, const char *name, long *out);
    int (*setting_double)(we_ctx *ctx, const char *name, double *out);
    int (*setting_string)(we_ctx *ctx, const char *name, const char **out);
    int (*setting_bool)(we_ctx *ctx, const char *name, int *out);

    /* -- the panel (read-only, owned by the host) -----------------------
     * Areas are indexed 0..n_areas-1, periods 0..n_periods-1 in ascending
     * order. A matrix is row-major by area: x[area * n_periods + period],
     * NaN where missing. */
    size_t (*n_areas)(we_ctx *ctx);
    size_t (*n_periods)(we_ctx *ctx);
    int (*period)(we_ctx *ctx, size_t t); /* the period's label, e.g. 2007 */
    const char *(*area_code)(we_ctx *ctx, size_t area);
    const char *(*area_name)(we_ctx *ctx, size_t area);
    const char *(*area_municipality)(we_ctx *ctx, size_t area);
    double (*area_population)(we_ctx *ctx, size_t area); /* NaN if unknown */
    /* Returns the matrix of a catalogue indicator, or NULL if the panel has
     * no such indicator. */
    const double *(*indicator)(we_ctx *ctx, const char *name);
    /* The catalogue direction of an indicator, 0 if unknown. */
    we_direction (*direction)(we_ctx *ctx, const char *name);

    /* -- the design of this run ------------------------------------------ */
    /* Index of the first treated period of an area, or -1 if never treated
     * within the data. */
    long (*treated_from)(we_ctx *ctx, size_t area);
    /* 1 when the area belongs to the comparison group. */
    int (*is_comparison)(we_ctx *ctx, size_t area);
    size_t (*baseline)(we_ctx *ctx);        /* period index of nulmeting */
    size_t (*latest)(we_ctx *ctx);          /* last follow-up period index */
    double (*alpha)(we_ctx *ctx);
    uint64_t (*seed)(we_ctx *ctx);

    /* -- the experiment's target indicators (after config overrides) ---- */
    size_t (*n_targets)(we_ctx *ctx);
    const char *(*target_name)(we_ctx *ctx, size_t k);
    we_role (*target_role)(we_ctx *ctx, size_t k);

    /* -- core methods ---------------------------------------------------- */
    /* Runs `method` on indicator `name` with this run's design and fills
     * *out (out->struct_size must be set by the caller). */
    int (*estimate)(we_ctx *ctx, const char *name, we_method method,
                    we_estimate *out);

    /* -- results (copied by the host) ------------------------------------ */
    int (*emit_result)(we_ctx *ctx, const char *indicator, we_role role,
                       const we_estimate *est);
    /* A domain metric: a number this experiment computes from the data.
     * `unit` is free text ("share", "days", "alpha"); description says what
     * it measures. */
    int (*emit_metric)(we_ctx *ctx, const char *name, double value,
                       const char *unit, const char *description);

    /* -- conveniences, so that every plugin does these the same way ----- */
    /* Runs the methods in the bit set `methods` (WE_METHODS_ALL, or
     * WE_METHOD_BIT(m) | ...) on every target and emits each result. A
     * method without enough data is skipped with a warning; an indicator
     * missing from the panel or any other failure fails the evaluation with
     * a message (the return value is then negative). */
    int (*evaluate_targets)(we_ctx *ctx, unsigned methods);
    /* Index of the period labelled `label` (e.g. 2009), or -1. */
    long (*period_index)(we_ctx *ctx, int label);
    /* Copies the non-missing values of indicator `name` in period t of the
     * treated areas into out (room for n_areas values) and sets *n. Fails
     * with WE_ENOTFOUND and a message when the panel lacks the indicator. */
    int (*treated_values)(we_ctx *ctx, const char *name, size_t t,
                          double *out, size_t *n);
    /* Summary of the finite values among x[0..n-1]; out->struct_size must
     * be set. WE_ENODATA when none is finite. */
    int (*summarise)(we_ctx *ctx, const double *x, size_t n,
                     we_summary *out);

    /* -- further core methods -------------------------------------------- */
    /* Event study of `name` over the run's window (config
     * inference.event_study): writes up to `cap` coefficients (ascending
     * event time, without the reference -1) and sets *n; *pretrend_p is
     * the joint test that all leads are zero (the wild-bootstrap version
     * when the run bootstraps, else the F test), NaN when untestable. */
    int (*event_study)(we_ctx *ctx, const char *name, we_event_point *out,
                       size_t cap, size_t *n, double *pretrend_p);
    /* Randomisation-inference p-value of the TWFE effect of `name` with
     * the run's permutation settings; *reps = permutations used. */
    int (*randomization_p)(we_ctx *ctx, const char *name, double *p,
                           long *reps);

    /* -- ABI 1.1 --------------------------------------------------------- */
    /* As treated_values, for the areas of the comparison group. */
    int (*comparison_values)(we_ctx *ctx, const char *name, size_t t,
                             double *out, size_t *n);

    /* -- ABI 1.2 --------------------------------------------------------- */
    /* The run's gap reference of indicator `name`, the one the gap method
     * (WE_METHOD_GAP) compares with: per area and period the mean of the
     * other wijken of the area's municipality or, with the config's
     * gap.reference = "national", the mean of all areas (the area itself
     * included); weighted by population when gap.weighted is set and every
     * area's population is known. Writes n_areas * n_periods values into
     * out, row-major by area as host->indicator (out[area * n_periods +
     * period]), NaN where there is no value to average. WE_ENOTFOUND with a
     * message when the panel lacks the indicator, WE_EINVAL when out is
     * NULL. */
    int (*gap_reference)(we_ctx *ctx, const char *name, double *out);

    /* -- ABI 1.3 --------------------------------------------------------- */
    /* The catalogue's unit, labels, theme and direction of indicator
     * `name` (out->struct_size must be set). WE_ENOTFOUND with a message
     * when the catalogue lacks it. */
    int (*indicator_info)(we_ctx *ctx, const char *name,
                          we_indicator_info *out);
    /* The experiment's headline for indicator `name`: the estimate of the
     * design the host chooses for the report (config design = "auto" or
     * the configured one), with the run's inference. out->struct_size
     * must be set; out->method says which design it is. */
    int (*headline)(we_ctx *ctx, const char *name, we_estimate *out);
    /* A domain metric with Dutch and English text (see we_metric). A
     * name emitted twice fails. */
    int (*emit_metric_text)(we_ctx *ctx, const we_metric *m);
    /* A per-wijk metric (see we_area_metric). A name emitted twice
     * fails. */
    int (*emit_area_metric)(we_ctx *ctx, const we_area_metric *m);
};

/* True when the host table is new enough to hold `member`. */
#define WE_HOST_HAS(host, member)                                           \
    ((host)->struct_size >= offsetof(we_host, member) + sizeof((host)->member) \
     && (host)->member != NULL)

/* -- helpers on top of the host table (header-only, nothing to link) --
 * (host->fail) is parenthesised so that a test framework's fail() macro
 * cannot capture it. */

/* Emits a metric computed over n wijken. With none there is nothing to
 * report: it logs a warning instead and returns WE_OK. */
static inline int we_emit_metric_over(const we_host *host, we_ctx *ctx,
                                      const char *name, double value,
                                      size_t n, const char *unit,
                                      const char *description)
{
    if (n > 0)
        return host->emit_metric(ctx, name, value, unit, description);
    host->log(ctx, WE_LOG_WARNING, "%s: not enough wijken with data; "
              "metric not computed", name);
    return WE_OK;
}

/* The same for a metric with its text in both languages (ABI 1.3,
 * host->emit_metric_text); a host older than 1.3 gets the English text
 * through emit_metric. */
static inline int we_emit_metric_text_over(const we_host *host, we_ctx *ctx,
                                           const we_metric *m, size_t n)
{
    if (n == 0) {
        host->log(ctx, WE_LOG_WARNING,
                  "%s: not enough wijken with data; "
                  "metric not computed",
                  m->name);
        return WE_OK;
    }
    if (WE_HOST_HAS(host, emit_metric_text))
        return host->emit_metric_text(ctx, m);
    return host->emit_metric(ctx, m->name, m->value, m->unit, m->description);
}

/* host->indicator_info with its gaps filled, for text a plugin writes:
 * a missing label is the indicator's name, a missing unit in words the
 * unit code, then "". On a host older than 1.3 every field is so filled
 * and the direction is host->direction's. Returns what indicator_info
 * returned (WE_OK on an older host). */
static inline int we_indicator_text(const we_host *host, we_ctx *ctx,
                                    const char *name, we_indicator_info *out)
{
    int rc = WE_OK;
    *out = (we_indicator_info){.struct_size = sizeof *out};
    if (WE_HOST_HAS(host, indicator_info))
        rc = host->indicator_info(ctx, name, out);
    else
        out->direction = host->direction(ctx, name);
    if (out->unit == NULL)
        out->unit = "";
    if (out->unit_en == NULL)
        out->unit_en = out->unit;
    if (out->unit_nl == NULL)
        out->unit_nl = out->unit;
    if (out->label_en == NULL)
        out->label_en = out->label_nl != NULL ? out->label_nl : name;
    if (out->label_nl == NULL)
        out->label_nl = out->label_en;
    if (out->theme == NULL)
        out->theme = "";
    return rc;
}

/* Reads an optional number setting into *v (left alone when absent) and
 * fails with a message when it is not a number from lo to hi. */
static inline int we_setting_double_in(const we_host *host, we_ctx *ctx,
                                       const char *name, double lo,
                                       double hi, double *v)
{
    int rc = host->setting_double(ctx, name, v);
    if ((rc != WE_OK && rc != WE_ENOTFOUND) || !(*v >= lo && *v <= hi))
        return (host->fail)(ctx, "setting '%s' must be a number from %g "
                            "to %g", name, lo, hi);
    return WE_OK;
}

/* The same for an integer setting. */
static inline int we_setting_int_in(const we_host *host, we_ctx *ctx,
                                    const char *name, long lo, long hi,
                                    long *v)
{
    int rc = host->setting_int(ctx, name, v);
    if ((rc != WE_OK && rc != WE_ENOTFOUND) || *v < lo || *v > hi)
        return (host->fail)(ctx, "setting '%s' must be an integer from "
                            "%ld to %ld", name, lo, hi);
    return WE_OK;
}

/* The one exported function. Define it with WE_PLUGIN_DEFINE(descriptor). */
typedef const we_plugin_descriptor *(*we_plugin_entry_fn)(void);

#define WE_PLUGIN_DEFINE(desc)                                              \
    WE_EXPORT const we_plugin_descriptor *wijkeval_plugin_entry(void);      \
    WE_EXPORT const we_plugin_descriptor *wijkeval_plugin_entry(void)       \
    {                                                                       \
        return &(desc);                                                     \
    }

/* Initialiser for the first three descriptor fields. */
#define WE_DESCRIPTOR_HEADER WE_DESCRIPTOR_HEADER_FOR(WE_ABI_MINOR)

/* The same for a plugin that also runs on hosts of an older minor: it
 * declares that minor and checks WE_HOST_HAS before using anything
 * newer. */
#define WE_DESCRIPTOR_HEADER_FOR(minor)                                     \
    .abi_major = WE_ABI_MAJOR, .abi_minor = (minor),                        \
    .struct_size = sizeof(we_plugin_descriptor)

#ifdef __cplusplus
}
#endif
#endif /* WIJKEVAL_PLUGIN_H */
