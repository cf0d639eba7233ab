/* watch_list.csv: the early warning's flagged areas, the steepest decline
 * first, next to results.csv; columns in docs/report.md. */
#include <math.h>

#include "model/design.h"
#include "analysis/early_warning/render.h"
#include "report/report_internal.h"

int we_report_watch_csv(const we_run *run, FILE *f, we_error *err)
{
    const we_ew_result *r = early_warning_of(run);
    if (r == NULL)
        return we_fail(err, WE_EINVAL, "no early warning to write");
    fputs("rank,area,area_name,municipality,treated,slope,mk_s,z,p,q,"
          "periods_observed,driver_1,driver_1_contribution,driver_2,"
          "driver_2_contribution,driver_3,driver_3_contribution\n", f);
    for (size_t i = 0; i < r->n_watch; i++) {
        size_t a = r->watch[i];
        const we_area_rec *ar = &run->panel->areas[a];
        fprintf(f, "%zu,", i + 1);
        we_report_csv_text(f, ar->code, 0);
        fputc(',', f);
        we_report_csv_text(f, ar->name, 0);
        fputc(',', f);
        we_report_csv_text(f, ar->municipality, 0);
        fputs(run->rd == NULL ? ","
              : run->rd->treated_from[a] >= 0 ? ",yes" : ",no", f);
        we_report_csv_num(f, r->slope[a]);
        we_report_csv_num(f, r->s[a]);
        we_report_csv_num(f, r->z[a]);
        we_report_csv_num(f, r->p[a]);
        we_report_csv_num(f, r->q[a]);
        fprintf(f, ",%zu", r->n_obs[a]);
        size_t d[3];
        size_t nd = we_ew_drivers(r, a, d, 3);
        for (size_t j = 0; j < 3; j++) {
            fputc(',', f);
            if (j < nd)
                we_report_csv_text(
                    f, run->cfg->early_warning.indicators[d[j]].name, 0);
            we_report_csv_num(f, j < nd ? r->contrib[a * r->n_ind + d[j]]
                                        : NAN);
        }
        fputc('\n', f);
    }
    return 0;
}
