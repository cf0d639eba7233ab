/* Fuzzes the panel loader (areas, catalogue and indicators files). The
 * first input byte picks which of the three files the rest of the input
 * replaces; the other two are small valid files. A load either succeeds
 * with a consistent panel or fails with a message; never a crash. */
#include "fuzz_util.h"

#include <math.h>

#include "data/panel.h"

static const char AREAS[] =
    "area,name,municipality,level,population\n"
    "GM0363,Amsterdam,GM0363,gemeente,862965\n"
    "WK036301,Burgwallen-Oude Zijde,GM0363,wijk,4190\n"
    "WK036302,\"Noord, Oost\",GM0363,wijk,\n"
    "GM0599,Rotterdam,GM0599,gemeente,651446.5\n";

static const char CATALOG[] =
    "indicator,label_nl,label_en,unit,direction,theme,source\n"
    "woz_gemiddeld,Gemiddelde WOZ-waarde,Average WOZ value,eur,"
    "higher_is_better,wonen,\"CBS KWB: WOZ, g_woz\"\n"
    "misdrijven_per_1000,Misdrijven per 1000 inwoners,Crimes per 1000,"
    "per_1000,lower_is_better,veiligheid,Politie\n";

static const char INDICATORS[] =
    "area,period,indicator,value\n"
    "WK036301,2009,woz_gemiddeld,251000.5\n"
    "GM0363,2007,woz_gemiddeld,240000\n"
    "WK036302,2008,misdrijven_per_1000,.\n"
    "GM0599,2008,misdrijven_per_1000,81.125\n";

static void check_panel(const we_panel *p)
{
    for (size_t t = 1; t < p->n_periods; t++)
        if (p->periods[t] <= p->periods[t - 1])
            abort(); /* the header promises ascending, distinct periods */
    for (size_t i = 0; i < p->n_areas; i++)
        if (we_panel_area(p, p->areas[i].code) != (long)i)
            abort();
    for (size_t k = 0; k < p->n_indicators; k++) {
        if (we_panel_indicator(p, p->catalog[k].indicator) != (long)k)
            abort();
        if (p->values[k] == NULL)
            continue;
        for (size_t c = 0; c < p->n_areas * p->n_periods; c++)
            if (isinf(p->values[k][c]))
                abort(); /* a value is finite or missing (NaN) */
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char areas[WE_FUZZ_PATH_MAX], ind[WE_FUZZ_PATH_MAX], cat[WE_FUZZ_PATH_MAX];
    if (size == 0)
        return 0;
    unsigned which = data[0] % 3;
    const uint8_t *body = data + 1;
    size_t n = size - 1;
    we_fuzz_write("areas.csv", which == 0 ? body : (const uint8_t *)AREAS,
                  which == 0 ? n : sizeof AREAS - 1, areas);
    we_fuzz_write("catalog.csv", which == 1 ? body : (const uint8_t *)CATALOG,
                  which == 1 ? n : sizeof CATALOG - 1, cat);
    we_fuzz_write("indicators.csv",
                  which == 2 ? body : (const uint8_t *)INDICATORS,
                  which == 2 ? n : sizeof INDICATORS - 1, ind);

    we_panel p;
    we_error err;
    if (we_panel_load(&p, areas, ind, cat, &err) == 0) {
        check_panel(&p);
        we_panel_free(&p);
    } else if (err.msg[0] == '\0') {
        abort(); /* a refusal always says why */
    }
    if (which == 1 && we_panel_load_catalog(&p, cat, &err) == 0)
        we_panel_free(&p);
    return 0;
}
