#include "analysis/design_choice.h"
#include "methods/sample.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static size_t count_waves(const we_design *d, size_t *n_treated)
{
    long seen[64];
    size_t n = 0;
    *n_treated = 0;
    for (size_t i = 0; i < d->n_areas; i++) {
        long g = d->treated_from[i];
        if (!d->in_sample[i] || g < 0)
            continue;
        (*n_treated)++;
        size_t k = 0;
        while (k < n && seen[k] != g)
            k++;
        if (k == n && n < 64)
            seen[n++] = g;
    }
    return n;
}

we_method we_design_choose(we_design_choice choice, const we_design *d,
                           char *reason, size_t n, char *reason_nl,
                           size_t n_nl)
{
    static const we_method fixed[] = {WE_METHOD_TWFE, WE_METHOD_TWFE,
                                      WE_METHOD_CS, WE_METHOD_SC,
                                      WE_METHOD_SDID};
    if (choice != WE_DESIGN_CHOICE_AUTO) {
        snprintf(reason, n, "%s, as the config asks",
                 we_method_name(fixed[choice]));
        snprintf(reason_nl, n_nl, "%s, zoals de configuratie vraagt",
                 we_method_name(fixed[choice]));
        return fixed[choice];
    }
    size_t treated, waves = count_waves(d, &treated);
    if (waves > 1) {
        snprintf(reason, n, "cs: treatment starts in %zu waves, where "
                 "TWFE is biased if effects change over time", waves);
        snprintf(reason_nl, n_nl, "cs: de aanpak start in %zu golven, en "
                 "dan is TWFE vertekend als het effect in de tijd "
                 "verandert", waves);
        return WE_METHOD_CS;
    }
    if (treated < 5) {
        snprintf(reason, n, "sdid: only %zu treated area(s), too few for "
                 "a comparison-group average", treated);
        snprintf(reason_nl, n_nl, "sdid: maar %zu aangepakt(e) gebied(en), "
                 "te weinig voor een gemiddelde van een vergelijkingsgroep",
                 treated);
        return WE_METHOD_SDID;
    }
    size_t clusters = we_design_treated_clusters(d);
    if (clusters < 6) {
        snprintf(reason, n, "twfe: one treatment wave and %zu treated areas "
                 "in %zu treated clusters; below 6 CR1 p-values "
                 "over-reject, so the evidence needs the wild cluster "
                 "bootstrap (inference.method auto or wild)",
                 treated, clusters);
        snprintf(reason_nl, n_nl, "twfe: \xc3\xa9\xc3\xa9n startmoment en "
                 "%zu aangepakte gebieden in %zu aangepakte clusters; onder "
                 "6 verwerpen CR1-p-waarden te vaak, dus het bewijs vraagt de "
                 "wild cluster bootstrap (inference.method auto of wild)",
                 treated, clusters);
    } else {
        snprintf(reason, n, "twfe: one treatment wave and %zu treated areas",
                 treated);
        snprintf(reason_nl, n_nl, "twfe: \xc3\xa9\xc3\xa9n startmoment en "
                 "%zu aangepakte gebieden", treated);
    }
    return WE_METHOD_TWFE;
}

we_method we_design_for(const we_experiment_cfg *exp, const we_design *d)
{
    char why[512], why_nl[512];
    return we_design_choose(exp ? exp->design : WE_DESIGN_CHOICE_AUTO, d, why,
                            sizeof why, why_nl, sizeof why_nl);
}
