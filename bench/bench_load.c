/* The load stage of `make bench`, one way per call:
 *   floor      fread in 8 MB chunks and memchr for the line ends: what any
 *              reader of the file must at least do
 *   reference  the general CSV reader (whole file in memory, strtod)
 *   fast       the streaming reader wijkeval uses
 * Prints: mode wall_s cpu_s peak_rss_kb bytes rows. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "data/panel.h"
#include "util/reference.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double cpu(void)
{
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return (double)u.ru_utime.tv_sec + (double)u.ru_utime.tv_usec * 1e-6 +
           (double)u.ru_stime.tv_sec + (double)u.ru_stime.tv_usec * 1e-6;
}

static long peak_kb(void)
{
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss;
}

static int floor_pass(const char *path, size_t *bytes, size_t *lines)
{
    enum { CHUNK = 8 << 20 };
    FILE *f = fopen(path, "rb");
    char *buf = malloc(CHUNK);
    if (f == NULL || buf == NULL) {
        perror(path);
        return 1;
    }
    size_t got;
    while ((got = fread(buf, 1, CHUNK, f)) > 0) {
        *bytes += got;
        for (const char *p = buf, *e = buf + got;
             (p = memchr(p, '\n', (size_t)(e - p))) != NULL; p++)
            ++*lines;
    }
    fclose(f);
    free(buf);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: bench_load floor|reference|fast AREAS "
                        "INDICATORS CATALOG\n");
        return 2;
    }
    const char *mode = argv[1];
    size_t bytes = 0, rows = 0;
    double w0 = now(), c0 = cpu();
    if (strcmp(mode, "floor") == 0) {
        if (floor_pass(argv[3], &bytes, &rows) != 0)
            return 1;
    } else {
        we_panel p;
        we_error err = {{0}};
        we_use_reference_paths(strcmp(mode, "reference") == 0);
        if (we_panel_load(&p, argv[2], argv[3], argv[4], &err) != 0) {
            fprintf(stderr, "bench_load: %s\n", err.msg);
            return 1;
        }
        rows = p.n_rows;
        FILE *f = fopen(argv[3], "rb");
        if (f != NULL && fseek(f, 0, SEEK_END) == 0)
            bytes = (size_t)ftell(f);
        if (f != NULL)
            fclose(f);
        we_panel_free(&p);
    }
    printf("%s %.6f %.6f %ld %zu %zu\n", mode, now() - w0, cpu() - c0,
           peak_kb(), bytes, rows);
    return 0;
}
