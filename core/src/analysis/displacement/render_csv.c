/* displacement.csv: one row per displacement indicator, next to
 * results.csv; columns in docs/report.md. */
#include <math.h>

#include "analysis/displacement/render.h"
#include "report/report_internal.h"

int we_report_displacement_csv(const we_run *run, FILE *f, we_error *err)
{
    const we_disp_result *r = displacement_of(run);
    if (r == NULL)
        return we_fail(err, WE_EINVAL, "no displacement analysis to write");
    fputs("indicator,direction,unit,method,estimate,se,ci_low,ci_high,p,"
          "inference,ring_areas,far_areas,n_obs,verdict,error\n", f);
    for (size_t i = 0; i < r->n_rows; i++) {
        const we_disp_row *x = &r->rows[i];
        const we_estimate *e = &x->est;
        int ok = x->verdict != WE_DISP_NOT_ESTIMABLE;
        we_report_csv_text(f, x->indicator, 0);
        fputs(x->lower_is_better ? ",lower_is_better," : ",higher_is_better,",
              f);
        we_report_csv_text(f, x->unit, 0);
        fputs(",twfe", f);
        we_report_csv_num(f, ok ? e->estimate : NAN);
        we_report_csv_num(f, ok ? e->se : NAN);
        we_report_csv_num(f, ok ? e->ci_low : NAN);
        we_report_csv_num(f, ok ? e->ci_high : NAN);
        we_report_csv_num(f, ok ? e->p_value : NAN);
        fputc(',', f);
        if (ok)
            fprintf(f, "%s,%ld,%ld,%ld", we_report_inference_name(e->inference),
                    e->n_treated, e->n_control, e->n_obs);
        else
            fputs(",,", f);
        fprintf(f, ",%s,", we_disp_verdict_name(x->verdict));
        if (!ok)
            we_report_csv_text(f, x->error, 0);
        fputc('\n', f);
    }
    return 0;
}
