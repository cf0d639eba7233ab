/* The report's language: Dutch or English texts of the HTML report, and
 * numbers written the language's way (a decimal comma in Dutch). Only the
 * words and the number format change with the language, never a number. */
#ifndef WE_REPORT_REPORT_LANG_H
#define WE_REPORT_REPORT_LANG_H

#include <stddef.h>

#include "model/run.h"

typedef enum we_lang { WE_LANG_EN = 0, WE_LANG_NL = 1 } we_lang;

/* The configured report.language; English when unset (a run built by
 * hand) or unknown. */
we_lang we_lang_of(const we_config *c);
const char *we_lang_code(we_lang l); /* "en", "nl" */

/* The texts of the report, one table for both languages
 * (report_lang_text.c). */
#define WE_TEXT_ENUM(id) id,
/* clang-format off */
#define WE_TEXT_IDS(X)                                                      \
    X(T_REPORT) X(T_CONTENTS) X(T_DATA) X(T_AREAS) X(T_PERIODS)             \
    X(T_BASELINE) X(T_BASELINE_SHORT) X(T_FOLLOWUP) X(T_DESIGN)             \
    X(T_TREATED_WIJKEN) X(T_COMPARISON_WIJKEN) X(T_WAVES) X(T_CLUSTERED)    \
    X(T_BY_MUNICIPALITY) X(T_BY_AREA) X(T_VERDICTS) X(T_BETTER)             \
    X(T_WORSE) X(T_UNCLEAR) X(T_FAILED) X(T_PRETREND_REJECTED)              \
    X(T_NO_ESTIMATE) X(T_FOREST_TITLE) X(T_FOREST_AXIS)                     \
    X(T_FOREST_CAPTION) X(T_NO_LEVEL) X(T_CI) X(T_EVIDENCE)                 \
    X(T_INDICATORS) X(T_INDICATOR) X(T_UNIT) X(T_DIRECTION) X(T_ROLE)       \
    X(T_PRIMARY) X(T_SECONDARY) X(T_HIGHER_BETTER) X(T_LOWER_BETTER)        \
    X(T_HEADLINE) X(T_HEADLINE_NOTE) X(T_EFFECT) X(T_STD_EFFECT)            \
    X(T_POSITIVE_BETTER) X(T_CR1) X(T_RI) X(T_PERMUTATIONS)                 \
    X(T_WITHIN_MUNI) X(T_MDE) X(T_MDE_NA) X(T_POWER) X(T_MDE_SIM)           \
    X(T_MDE_ANALYTIC) X(T_MDE_NONE) X(T_DESCRIPTIVE) X(T_WARNING)           \
    X(T_WARN_PRETREND) X(T_WARN_POWER1) X(T_WARN_POWER2)                    \
    X(T_WARN_POWER3) X(T_TREND_TITLE) X(T_TREATED_MEAN)                     \
    X(T_COMPARISON_MEAN) X(T_START) X(T_TREND_CAPTION)                      \
    X(T_TREND_CAPTION2) X(T_EVENT_TITLE) X(T_EVENT_X) X(T_REFERENCE)        \
    X(T_BEFORE_START) X(T_AFTER_START) X(T_EVENT_CAPTION)                   \
    X(T_PRETREND_TEST) X(T_WILD) X(T_NOT_AVAILABLE) X(T_NOTE) X(T_DRAWS)    \
    X(T_ALL_SIGNS) X(T_RESULTS) X(T_METHOD) X(T_ESTIMATE) X(T_ADJ_P)        \
    X(T_N) X(T_M_PRE_POST) X(T_M_GAP) X(T_M_DID) X(T_M_TWFE) X(T_M_CS)      \
    X(T_M_SC) X(T_M_SDID) X(T_D_CS) X(T_D_SC) X(T_D_SDID)                   \
    X(T_DESIGN_USED) X(T_CLOSING) X(T_NOT_CLOSING) X(T_METRICS)             \
    X(T_METRIC) X(T_VALUE) X(T_DESCRIPTION) X(T_NO_RESULTS)                 \
    X(T_FAILED_LONG) X(T_PER_WIJK) X(T_GAP_MUNI) X(T_GAP_NATIONAL)          \
    X(T_WIJK) X(T_MUNICIPALITY) X(T_TREATED_FROM) X(T_GAP) X(T_CHANGE)      \
    X(T_COURSE) X(T_STATUS) X(T_NO_DEFICIT) X(T_WIJK_NOTE)                  \
    X(T_NO_DESIGN) X(T_NO_PRIMARY) X(T_APPENDIX) X(T_DESIGNS)               \
    X(T_D_PRE_POST) X(T_D_GAP) X(T_D_DID) X(T_D_TWFE) X(T_INFERENCE)        \
    X(T_TWFE_INF) X(T_OTHER_INF) X(T_ADJUSTMENT) X(T_ADJ_TEXT)              \
    X(T_EFFECT_SIZES) X(T_ES_TEXT) X(T_EVENT_STUDY) X(T_WINDOW)             \
    X(T_MDE_TEXT) X(T_SIMULATIONS) X(T_LEVELS) X(T_LEVELS_TEXT)             \
    X(T_PROVENANCE) X(T_VERSION) X(T_CONFIG) X(T_CONFIG_SHA)                \
    X(T_DATA_SHA) X(T_SEED) X(T_STARTED) X(T_FINISHED) X(T_UNSANDBOXED)     \
    X(T_PRETEST_POWER) X(T_PRETEST_TEXT) X(T_PRETEST_BORROWED)              \
    X(T_SENSITIVITY) X(T_SENS_CI) X(T_SENS_SURVIVES1)                       \
    X(T_SENS_SURVIVES2) X(T_SENS_NONE) X(T_SENS_UNBOUNDED)                  \
    X(T_SENS_BORROWED) X(T_ADJ_HEADLINES) X(T_ADJ_WITHIN) X(T_UNKNOWN)      \
    X(T_LANGUAGE) X(T_ALPHA) X(T_OFF) X(T_INF_AUTO) X(T_INF_CR1)            \
    X(T_INF_WILD) X(T_NO_TWFE) X(T_REPLICATIONS) X(T_EXACT)                 \
    X(T_OTHER_INF_TEXT) X(T_QUESTION) X(T_PRINT_NOTE) X(T_OF)               \
    X(T_EXPERIMENTS) X(T_BEHIND) X(T_POLICY_TITLE) X(T_POLICY_NOTE)         \
    X(T_EXPERIMENT) X(T_TOTAL_COST) X(T_COSTED_WIJKEN) X(T_RESIDENTS)       \
    X(T_PER_RESIDENT) X(T_PER_UNIT) X(T_PER_SD) X(T_RANK) X(T_RANKING)      \
    X(T_NOT_DISTINCT) X(T_DISTINCT_ALL) X(T_NO_RANKING) X(T_CPE_ZERO)       \
    X(T_CPE_HARMFUL) X(T_CPE_NO_ESTIMATE) X(T_CPE_NO_COSTS)                 \
    X(T_CPE_NO_RESIDENTS) X(T_TARGETS_TITLE) X(T_TARGETS_NOTE)              \
    X(T_TARGET) X(T_DEADLINE) X(T_CURRENT) X(T_NEEDED) X(T_OBSERVED)        \
    X(T_TARGETS_N) X(T_ALL) X(T_G_MET) X(T_G_ON_TRACK) X(T_G_OFF_TRACK)     \
    X(T_G_OPEN) X(T_G_MISSED) X(T_G_NO_DATA) X(T_REALISED)                  \
    X(T_NOT_REALISED) X(T_ITEM) X(T_PER_MUNI) X(T_AS_OF) X(T_EW_TITLE)      \
    X(T_EW_NOTE) X(T_EW_TESTED) X(T_EW_FLAGGED) X(T_EW_NONE)                \
    X(T_EW_SLOPE) X(T_EW_DRIVERS) X(T_EW_TREATED) X(T_EW_CHARTS)            \
    X(T_EW_MORE) X(T_EW_WINDOW) X(T_EW_COMPOSITE) X(T_EW_FDR)               \
    X(T_EW_TEST_NULL) X(T_EW_TEST_MK) X(T_DP_TITLE) X(T_DP_NOTE)            \
    X(T_DP_RING) X(T_DP_FAR) X(T_DP_EFFECT) X(T_DP_NO_EVIDENCE)             \
    X(T_DP_DISPLACEMENT) X(T_DP_SPILLOVER) X(T_DP_NOT_ESTIMABLE)            \
    X(T_DP_BY_ADJACENCY) X(T_DP_BY_CENTROIDS) X(T_DP_VERDICT)               \
    X(T_PLUGIN_WARNINGS) X(T_PLUGIN_WARNINGS_NOTE) X(T_AREA_METRICS)        \
    X(T_AREA_METRICS_NOTE) X(T_SP_TITLE) X(T_SP_INTRO) X(T_SP_DATA)         \
    X(T_SP_NEW) X(T_SP_GONE) X(T_SP_WHY) X(T_SP_PERIODS) X(T_SP_REVISED)    \
    X(T_SP_CELLS) X(T_SP_METHOD) X(T_SP_CONFIG) X(T_SP_NOTHING)             \
    X(T_SP_TARGETS) X(T_SP_REV_MARK) X(T_SP_LEGEND) X(T_SP_WAS)                         \
    X(T_SIMULATED_BANNER) X(T_REPORT_DATE) X(T_VINTAGE) X(T_GLOSSARY)       \
    X(T_GLOSS_SMS) X(T_GLOSS_ERK) X(T_GLOSS_GLASS) X(T_GLOSS_CI)            \
    X(T_PRINT_WIJK) X(T_COST_LINE) X(T_SECTIONS_EXPERIMENTS)                \
    X(T_MUNI_TITLE) X(T_MUNI_NOTE) X(T_MUNI_TREATED) X(T_COST_PER_RES)      \
    X(T_COST_PER_SD) X(T_COST_NO_SD) X(T_COST_RANK) X(T_COST_NOT_RANKED)    \
    X(T_DATA_UNTIL) X(T_FILES_OF) X(T_SIM_TEXT) X(T_HV_BETTER)              \
    X(T_HV_WORSE) X(T_HV_NO_EFFECT) X(T_HV_INCONCLUSIVE)                    \
    X(T_HV_NOT_CREDIBLE) X(T_WHY_NONE) X(T_WHY_PRETREND)                    \
    X(T_WHY_EVIDENCE) X(T_WHY_GOOD) X(T_WHY_BAD) X(T_WHY_WITHIN)            \
    X(T_WHY_WIDE) X(T_WHY_POWER) X(T_WHY_NODIR) X(T_SRC_MDE)                \
    X(T_SRC_INDICATOR) X(T_SRC_EXPERIMENT) X(T_PLAIN_UP) X(T_PLAIN_DOWN)    \
    X(T_PLAIN_SAME) X(T_PLAIN_UP_PRE) X(T_PLAIN_DOWN_PRE)                   \
    X(T_PLAIN_SAME_PRE) X(T_SIDE_SECONDARY) X(T_SIDE_DISPLACEMENT)          \
    X(T_SIDE_TITLE) X(T_SIDE_NONE) X(T_SIDE_NOTE) X(T_WHY_ADJUSTED)         \
    X(T_WHY_NOLABEL) X(T_ADJ_HOLM) X(T_ADJ_BH)                              \
    X(T_NOT_RANKED_CREDIBLE) X(T_HV_NOTE) X(T_MARK_NOTE) X(T_MD_GLANCE)     \
    X(T_MD_PRIMARY) X(T_MD_WHAT) X(T_MD_READ) X(T_T_EXPERIMENT)             \
    X(T_T_PRIMARY) X(T_T_DESIGN) X(T_T_EFFECT) X(T_T_CI) X(T_T_EVIDENCE)    \
    X(T_T_STATUS) X(T_T_VERDICT) X(T_T_FAILED) X(T_T_SIDE) X(T_T_WHAT)      \
    X(T_ANSWERS) X(T_Q_ADDED) X(T_Q_TOGETHER) X(T_Q_MATCHED)                \
    X(T_OVERLAP) X(T_PROGRAMME_TITLE) X(T_PROGRAMME_NOTE)                   \
    X(T_COMPARED_WITH) X(T_SAME_TOTALS) X(T_EVEN_SPLIT)                     \
    X(T_MISSING_ZERO) X(T_PER_UNIT_OF) X(T_COSTS_DECLARED)                  \
    X(T_MD_VERDICT) X(T_MD_PRETREND_W1) X(T_MD_PRETREND_W2) X(T_MD_ES1)     \
    X(T_MD_ES2) X(T_MD_CR1) X(T_MD_MDE_NONE1) X(T_MD_MDE_NONE2)             \
    X(T_MD_MDE1) X(T_MD_MDE2) X(T_MD_MDE3) X(T_MD_MDE_SIM1)                 \
    X(T_MD_MDE_SIM2) X(T_MD_MDE_SIM3) X(T_MD_MDE_ANALYTIC)                  \
    X(T_MD_INF_FROM) X(T_MD_INTERVAL) X(T_H_INTERVAL) X(T_SENS_EXCL1)       \
    X(T_SENS_EXCL_ANY) X(T_MD_SENS_EXCL1) X(T_MD_SENS_EXCL_ANY)             \
    X(T_MD_DESCRIPTIVE) X(T_MD_POWER2)                                      \
    X(T_MD_POWER3) X(T_MD_POWER4) X(T_MD_PRETEST1) X(T_MD_PRETEST2)         \
    X(T_MD_PRETEST_BORROWED) X(T_MD_SENS1) X(T_MD_SENS2)                    \
    X(T_MD_SENS_NONE) X(T_MD_SENS_ANY) X(T_MD_SENS_UPTO1)                   \
    X(T_MD_SENS_UPTO2) X(T_MD_ADJ_ALL) X(T_MD_ADJ_WITHIN)                   \
    X(T_MD_HEADLINE1) X(T_MD_HEADLINE2) X(T_MD_CLOSING)                     \
    X(T_MD_NOT_CLOSING) X(T_MD_RESULTS_H1) X(T_MD_RESULTS_H2)               \
    X(T_MD_PRETREND_TEST) X(T_MD_ALL) X(T_MD_SIGN_VECTORS)                  \
    X(T_MD_EVENT1) X(T_MD_EVENT2) X(T_MD_VERSION) X(T_MD_FAILED)            \
    X(T_MD_NO_MESSAGE) X(T_T_WRITTEN) X(T_MD_DESC_REASON) X(T_MD_RUN)       \
    X(T_MD_UNKNOWN) X(T_MD_DATA) X(T_MD_AREAS) X(T_MD_PERIODS)              \
    X(T_MD_BASELINE) X(T_MD_FOLLOWUP) X(T_MD_CMP_SAME) X(T_MD_CMP_LIST)     \
    X(T_MD_CMP_ALL) X(T_MD_DESIGN1) X(T_MD_DESIGN2)                         \
    X(T_MD_NATIONAL_MEAN) X(T_MD_MUNI_MEAN) X(T_MD_DESIGN3)                 \
    X(T_MD_DESIGN4) X(T_MD_MUNI) X(T_MD_AREA) X(T_MD_AUTO)                  \
    X(T_MD_TWFE_INF) X(T_MD_NO_TWFE) X(T_MD_OTHER_INF1)                     \
    X(T_MD_OTHER_INF2) X(T_MD_ADJ1) X(T_MD_ADJ2) X(T_MD_ES_METHOD)          \
    X(T_MD_EVENT_M1) X(T_MD_TO) X(T_MD_EVENT_M2) X(T_MD_EVENT_M3)           \
    X(T_MD_RI_M) X(T_MD_MDE_M1) X(T_MD_MDE_M2) X(T_MD_MDE_M3)               \
    X(T_MD_MDE_M4) X(T_MD_MDE_M5) X(T_MD_LEVELS_M) X(T_MD_METHODS)          \
    X(T_MD_PROV1) X(T_MD_PROV2) X(T_MD_PROV3) X(T_MD_PROV4)                 \
    X(T_MD_PROV5) X(T_MD_PROV6) X(T_MD_PROV7) X(T_MD_PROV8)                 \
    X(T_MDG_CPE_ZERO) X(T_MDG_CPE_HARMFUL) X(T_MDG_CPE_NO_EST)              \
    X(T_MDG_CPE_NO_COSTS) X(T_MDG_CPE_NO_RES) X(T_MDG_OF)                   \
    X(T_MDG_NOT_CREDIBLE) X(T_MDG_NOT_RANKED)              \
    X(T_MDG_NO_RANKING) X(T_MDG_RANKING) X(T_MDG_DISTINCT)                  \
    X(T_MDG_NOT_DISTINCT) X(T_MDG_POLICY1) X(T_MDG_POLICY2) X(T_MDG_MET)    \
    X(T_MDG_ON_TRACK) X(T_MDG_OFF_TRACK) X(T_MDG_OPEN) X(T_MDG_MISSED)      \
    X(T_MDG_NO_DATA) X(T_MDG_TALLY) X(T_MDG_ITEM) X(T_MDG_REALISED)         \
    X(T_MDG_NOT_REALISED) X(T_MDG_TARGETS1) X(T_MDG_TARGETS2)               \
    X(T_MDG_TARGETS3) X(T_MDG_TARGETS4) X(T_MDG_TARGETS5)                   \
    X(T_MDG_TARGETS6) X(T_MDG_ALL_H) X(T_MDG_ALL) X(T_MDG_PER_MUNI)         \
    X(T_MDG_MUNI_H) X(T_MDG_TARGETS_T) X(T_MDW_TREATED) X(T_MDW_TITLE)      \
    X(T_MDW_T1) X(T_MDW_T2) X(T_MDW_T3) X(T_MDW_T4) X(T_MDW_MK)             \
    X(T_MDW_NULL) X(T_MDW_T5) X(T_MDW_NONE) X(T_MDW_HEAD)                   \
    X(T_MDD_DISPLACEMENT) X(T_MDD_SPILLOVER) X(T_MDD_NO_EVIDENCE)           \
    X(T_MDD_NOT_ESTIMABLE) X(T_MDD_LOWER) X(T_MDD_HIGHER) X(T_MDD_TITLE)    \
    X(T_MDD_T1) X(T_MDD_T2) X(T_MDD_CENTROIDS) X(T_MDD_ADJACENCY)           \
    X(T_MDD_T3) X(T_MDD_T4) X(T_MDD_T5) X(T_MDD_HEAD1) X(T_MDD_HEAD2)       \
    X(T_MDS_NEW) X(T_MDS_GONE) X(T_MDS_FAILED) X(T_MDS_WHAT)                \
    X(T_MDS_NEW_PERIODS) X(T_MDS_RUN_TO1) X(T_MDS_RUN_TO2)                  \
    X(T_MDS_REVISED) X(T_MDS_PERIODS) X(T_MDS_CELLS) X(T_MDS_CHANGED)       \
    X(T_MDS_CONFIG) X(T_MDS_NOTHING) X(T_MDS_T1) X(T_MDS_T2) X(T_MDS_T3)    \
    X(T_MDS_T4) X(T_MDS_T5) X(T_MDS_T6_ONE) X(T_MDS_T6_MANY)                \
    X(T_MDS_IND_REVISED) X(T_MDS_TARGETS) X(T_MDS_ITEM)                     \
    X(T_MDS_PROGRAMME) X(T_WHY_PRETREND_PROG) X(T_FRONT_PROG_TAG)          \
    X(T_FRONT_EXP_HEAD) X(T_FOREST_CAPTION_PROG) X(T_CI_EMPTY_SC)          \
    X(T_CI_NO_PLACEBO) X(T_CI_INF_SC_FIT)

/* clang-format on */

typedef enum we_text { WE_TEXT_IDS(WE_TEXT_ENUM) WE_TEXT_COUNT_ } we_text;

const char *we_tr(we_lang l, we_text t);

/* Numbers as the reader expects them: three significant digits, amounts
 * of 1000 or more whole and grouped (12,345 / 12.345), a decimal comma
 * in Dutch, a true minus sign; an em dash for a number that does not
 * exist (NaN). */
void we_lang_num(char *buf, size_t n, double x, we_lang l);
/* x with a fixed number of decimals, otherwise as we_lang_num. */
void we_lang_fixed(char *buf, size_t n, double x, int decimals, we_lang l);
/* A p-value: three decimals, "<0.001" below that. */
void we_lang_p(char *buf, size_t n, double p, we_lang l);
/* "p = 0.043" or "p < 0.001" (decimal comma in Dutch). */
void we_lang_p_eq(char *buf, size_t n, double p, we_lang l);
/* A count, grouped. */
void we_lang_count(char *buf, size_t n, unsigned long long v, we_lang l);
/* An interval "[lo, hi]" (Dutch "[lo; hi]", since the comma is the
 * decimal sign); an infinite bound as −∞ or ∞. */
void we_lang_ci(char *buf, size_t n, double lo, double hi, we_lang l);
/* The same with a fixed number of decimals. */
void we_lang_ci_fixed(char *buf, size_t n, double lo, double hi,
                      int decimals, we_lang l);

/* The catalogue label of an indicator in the language (the other
 * language's, then the id, when missing). */
const char *we_lang_indicator(const we_panel *p, const char *indicator,
                              we_lang l);
/* A unit code of the catalogue or a plugin (pct, per_1000, days,
 * score_0_10, share, ...) in words; an unknown code with its
 * underscores as spaces. `after_value`: the unit follows an effect or
 * a difference (pct then reads "percentage points"); otherwise it
 * follows a label, and pct is "%". The words are those of
 * we_lang_unit (report_verdict.h). */
void we_lang_unit_words(char *buf, size_t n, const char *code,
                        int after_value, we_lang l);
/* "EUR per resident per <unit>" (T_PER_UNIT_OF and the unit's words
 * after a value), the unit of a cost per unit of effect; a unit that
 * starts with "per" itself (per_1000: "per 1,000") does not repeat it
 * ("EUR per resident per 1,000", not "per per 1,000"). */
void we_lang_per_unit(char *buf, size_t n, const char *code, we_lang l);
/* 1 when values in this unit are fractions shown as percentages. */
int we_lang_unit_is_share(const char *code);
/* A metric's label: the plugin's in the language, then the other
 * language's, then its id made readable ("budget spent by deadline"). */
void we_lang_metric_label(char *buf, size_t n, const we_metric_rec *m,
                          we_lang l);
/* The experiment's question (summary) in the language, then the other. */
const char *we_lang_summary(const we_experiment_run *x, we_lang l);
/* A municipality's name (the panel's names), else its code. */
const char *we_lang_municipality(const we_panel *p, const char *code);

/* The run's title: in a Dutch report title_nl when the config has one,
 * else title, else the run's name. */
const char *we_lang_run_title(const we_config *c, we_lang l);
/* The experiment's title in the language, then the other, then its id. */
const char *we_lang_title(const we_experiment_run *x, we_lang l);
/* A plugin's text in the language: nl or en, then the other, then
 * `fallback` (ABI 1.3's Dutch summary, metric labels, descriptions and
 * units; an empty string counts as missing). */
const char *we_lang_pick(const char *nl, const char *en, const char *fallback,
                         we_lang l);

#endif
