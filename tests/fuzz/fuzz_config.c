/* Fuzzes the run configuration loader: any file either loads or is
 * refused with a message; never a crash, a leak or an unchecked read. */
#include "fuzz_util.h"

#include "config/config.h"

/* A treatment file next to the config, so that `treatment.file =
 * "treatment.csv"` reaches the treatment reader too. */
static const char TREATMENT[] =
    "area,from,wave\n"
    "WK036301,2008,aandachtswijken\n"
    "WK059901,2009,preventie\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int have_treatment;
    char path[WE_FUZZ_PATH_MAX];
    if (!have_treatment) {
        we_fuzz_write("treatment.csv", (const uint8_t *)TREATMENT,
                      sizeof TREATMENT - 1, path);
        have_treatment = 1;
    }
    we_fuzz_write("run.cfg", data, size, path);
    we_config c;
    we_error err;
    err.msg[0] = '\0';
    if (we_config_load(&c, path, &err) == 0) {
        if (c.name == NULL || c.n_experiments == 0)
            abort(); /* docs/config.md: both are required */
        we_config_free(&c);
    } else if (err.msg[0] == '\0') {
        abort(); /* a refusal always says why */
    }
    return 0;
}
