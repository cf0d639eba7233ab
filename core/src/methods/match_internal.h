/* Pieces shared by the matching sources (match.c, match_distance.c,
 * match_balance.c, match_panel.c); not part of the public API. */
#ifndef WE_METHODS_MATCH_INTERNAL_H
#define WE_METHODS_MATCH_INTERNAL_H

#include <stddef.h>

#include "methods/match.h"
#include "util/error.h"

/* A growing message; on allocation failure it stops growing and `failed`
 * is set (a note is advice, so losing it must not fail the method). */
typedef struct we_note {
    char *s;
    size_t len, cap;
    int failed;
} we_note;

/* Appends a sentence, after "; " when the note is not empty. */
void we_note_addf(we_note *n, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Appends text as it is. */
void we_note_append(we_note *n, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Appends "<count> <what>: a, b, c and 7 more" for the rows flagged in
 * `flag`, named by labels[i] or "row i". Nothing when none is flagged. */
void we_note_rows(we_note *n, const char *what, const unsigned char *flag,
                  size_t n_rows, const char *const *labels);

/* labels[col] when labels is not NULL, else "feature column <col>" in
 * buf. */
const char *we_match_feature_name(const char *const *labels, size_t col,
                                  char *buf, size_t len);

/* The eligible rows and used features of one matching problem, compacted:
 * Z is m x q (row-major) with the used feature columns of the eligible
 * rows; row[e] is the original row of eligible row e. */
typedef struct we_match_data {
    size_t m, q;
    double *Z;
    size_t *row;
    unsigned char *treated; /* m */
} we_match_data;

/* Whitens Z in place for the Mahalanobis distance with the pooled
 * within-group covariance: afterwards the squared Euclidean distance of
 * two rows is their squared Mahalanobis distance. */
int we_match_whiten(we_match_data *md, const char *const *feature_labels,
                    const size_t *feature_col, we_error *err);

/* Logit of treated on [1, Z] by iteratively reweighted least squares, as
 * R's glm.fit runs it (start, steps and stopping rule). Fills beta (q + 1),
 * the fitted probabilities (m) and the iteration count. */
int we_match_logit(const we_match_data *md, double *beta, double *prob,
                   int *iterations, const char *const *feature_labels,
                   const size_t *feature_col, we_error *err);

/* we_match_features with names for the feature columns (notes and
 * errors); feature_labels may be NULL. */
int we_match_features_named(const double *X, size_t n, size_t p,
                            const unsigned char *treat,
                            const unsigned char *use,
                            const char *const *labels,
                            const char *const *feature_labels,
                            const we_match_opts *o, we_match_result *r,
                            we_error *err);

#endif
