/* Which areas are neighbours: from an adjacency file (rows area,neighbour;
 * the relation is made symmetric) or from centroids within a distance
 * band. The ring of a treatment is the untreated areas next to a treated
 * one (docs/methods.md, "Displacement"). */
#ifndef WE_DATA_ADJACENCY_H
#define WE_DATA_ADJACENCY_H

#include <stddef.h>

#include "data/panel.h"
#include "util/error.h"

/* The neighbours of area i are nbr[start[i] .. start[i + 1]), ascending
 * panel indices, each once, never i itself. */
typedef struct we_adjacency {
    size_t n_areas;
    size_t *start; /* n_areas + 1 */
    size_t *nbr;
} we_adjacency;

/* Reads `area,neighbour` (both codes of the areas file). An unknown code,
 * an area paired with itself or a malformed row is an error naming
 * file:line:column. A pair given twice, in either order, counts once. */
int we_adjacency_read(we_adjacency *adj, const char *path,
                      const we_panel *p, we_error *err);

/* Reads `area,x,y` (metres, e.g. Rijksdriehoek) for every area of the
 * panel; two areas are neighbours when their centroids lie at most band_m
 * apart. */
int we_adjacency_from_centroids(we_adjacency *adj, const char *path,
                                double band_m, const we_panel *p,
                                we_error *err);

void we_adjacency_free(we_adjacency *adj);

/* ring_from[i]: for an untreated area (treated_from[i] < 0) with at least
 * one treated neighbour, the earliest treated_from among those
 * neighbours; -1 for every other area. Returns the size of the ring. */
size_t we_ring_build(const we_adjacency *adj, const long *treated_from,
                     long *ring_from);

#endif
