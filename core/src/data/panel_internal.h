/* Shared by the two readers of the indicator values (panel.c, the general
 * one, and panel_fast.c): the cells as they are read, before the periods
 * are known. Not part of the panel's interface. */
#ifndef WE_DATA_PANEL_INTERNAL_H
#define WE_DATA_PANEL_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "data/panel.h"
#include "util/sha256.h"

/* One vector over areas per (period in order of appearance, indicator),
 * so the file is read once. line[a] is the line that set the cell (0: not
 * set), to name both lines of a duplicate; NULL when the reader keeps
 * track another way. */
typedef struct we_cellblock {
    double *v;
    uint32_t *line;
} we_cellblock;

typedef struct we_cells {
    int *periods; /* order of first appearance */
    size_t n_periods, cap_periods;
    size_t last_period;   /* index of the previous row's period */
    we_cellblock *blocks; /* [t * n_indicators + k] */
} we_cells;

void we_cells_free(we_cells *c, size_t n_indicators);
/* Index of `period` in order of appearance, added when new; -1 when out
 * of memory. */
long we_cells_slot(we_cells *c, size_t n_indicators, int period);
/* The block of slot t and indicator k, allocated (all NaN) when new, with
 * a line array when `lines`; NULL when out of memory. */
we_cellblock *we_cells_block(we_cells *c, size_t n_areas,
                             size_t n_indicators, size_t t, size_t k,
                             int lines);
/* Sorts the periods and moves the blocks into p->values, freeing them as
 * it goes so that the peak stays near one copy. path names errors. */
int we_cells_build(we_panel *p, we_cells *c, const char *path,
                   we_error *err);

long we_find_sorted(const int *v, size_t n, int key);

/* The fast reader of the indicators file: 1 when it read the file into p
 * (and its bytes into h, unless h is NULL; with want, only the values
 * of the indicators k with want[k] != 0, see we_panel_load_options),
 * 0 when it declined (p and h untouched: the
 * general reader takes over and reports what is wrong), -1 on a read
 * error or out of memory (err set). */
int we_panel_read_values_fast(we_panel *p, const char *path, we_sha256 *h,
                              const unsigned char *want, we_error *err);

/* The areas (areas != 0) and the catalogue (catalog != 0) of p derived
 * from the indicators file (panel_derive.c): the distinct codes and
 * indicators in order of first appearance. Errors name file, line and
 * column. */
int we_panel_derive_lists(we_panel *p, const char *indicators_path,
                          int areas, int catalog, we_error *err);

#endif
