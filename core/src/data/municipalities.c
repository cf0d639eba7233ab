/* data.municipalities: the names of the municipalities, a file with the
 * columns code,name (panel.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data/csv_table.h"
#include "data/panel.h"
#include "util/codes.h"
#include "util/error.h"

#define MUNI_HEADER "the columns code,name"

/* Names every area of municipality `code`; 0 when none is there. */
static int name_areas(we_panel *p, const char *code, const char *name)
{
    for (size_t i = 0; i < p->n_areas; i++) {
        we_area_rec *a = &p->areas[i];
        if (strcmp(a->municipality, code) != 0)
            continue;
        char *copy = we_strdup(name);
        if (copy == NULL)
            return -1;
        free(a->municipality_name);
        a->municipality_name = copy;
    }
    return 0;
}

static int check_row(we_csv_table *t, const long *c, char (*seen)[8],
                     size_t n_seen, we_error *err)
{
    const char *code = we_csv_table_field(t, c[0]);
    const char *name = we_csv_table_field(t, c[1]);
    if (!we_is_gm_code(code))
        return we_fail(err, WE_EINVAL,
                       "%s:%zu:%zu: '%.100s' is not a CBS municipality "
                       "code; expected GM + 4 digits, e.g. GM0363",
                       we_csv_table_path(t), we_csv_table_line(t),
                       we_csv_table_col(t, c[0]), code);
    if (name[0] == '\0' || strlen(name) > 200)
        return we_fail(err, WE_EINVAL,
                       "%s:%zu:%zu: the name of %s is %s; give its name "
                       "(at most 200 bytes)",
                       we_csv_table_path(t), we_csv_table_line(t),
                       we_csv_table_col(t, c[1]), code,
                       name[0] == '\0' ? "empty" : "too long");
    for (size_t i = 0; i < n_seen; i++)
        if (strcmp(seen[i], code) == 0)
            return we_fail(err, WE_EINVAL,
                           "%s:%zu:%zu: municipality %s is named twice; "
                           "keep one row per municipality",
                           we_csv_table_path(t), we_csv_table_line(t),
                           we_csv_table_col(t, c[0]), code);
    return 0;
}

int we_panel_name_municipalities(we_panel *p, const char *path,
                                 we_error *err)
{
    static const char *const names[] = {"code", "name"};
    we_csv_table t;
    long c[2];
    char(*seen)[8] = NULL;
    size_t n_seen = 0, cap = 0;
    int rc = we_csv_table_open(&t, path, MUNI_HEADER, err);
    if (rc == 0)
        rc = we_csv_table_columns(&t, names, 2, 2, c, err);
    while (rc == 0 && (rc = we_csv_table_next(&t, err)) == 1) {
        rc = check_row(&t, c, seen, n_seen, err);
        if (rc == 0 && n_seen == cap) {
            cap = cap ? 2 * cap : 64;
            char(*more)[8] = realloc(seen, cap * sizeof *seen);
            if (more == NULL)
                rc = we_csv_table_oom(&t, err);
            else
                seen = more;
        }
        if (rc != 0)
            break;
        const char *code = we_csv_table_field(&t, c[0]);
        snprintf(seen[n_seen++], sizeof *seen, "%s", code);
        if (name_areas(p, code, we_csv_table_field(&t, c[1])) != 0)
            rc = we_csv_table_oom(&t, err);
    }
    free(seen);
    we_csv_table_close(&t);
    return rc < 0 ? -1 : 0;
}
