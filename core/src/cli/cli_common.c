#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "config/config.h"
#include "util/error.h"
#include "util/exe_dir.h"

int we_cli_parse_u64(const char *s, uint64_t *out)
{
    if (s == NULL || *s == '\0' || *s == '-')
        return -1;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno != 0 || *end != '\0')
        return -1;
    *out = (uint64_t)v;
    return 0;
}

unsigned we_cli_parse_formats(const char *s)
{
    unsigned bits = 0;
    char *copy = we_strdup(s), *save = NULL;
    for (char *tok = copy ? strtok_r(copy, ",", &save) : NULL; tok;
         tok = strtok_r(NULL, ",", &save)) {
        if (strcmp(tok, "json") == 0)
            bits |= WE_FORMAT_JSON;
        else if (strcmp(tok, "csv") == 0)
            bits |= WE_FORMAT_CSV;
        else if (strcmp(tok, "md") == 0)
            bits |= WE_FORMAT_MD;
        else if (strcmp(tok, "html") == 0)
            bits |= WE_FORMAT_HTML;
        else {
            bits = 0;
            break;
        }
    }
    free(copy);
    return bits;
}

static int is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

char *we_cli_data_file(const char *rel)
{
    char *exe = we_exe_dir();
    if (exe == NULL)
        return NULL;
    /* build/wijkeval -> repo root is ../; build/san/wijkeval -> ../../;
     * installed bin/wijkeval -> ../share/wijkeval/. */
    static const char *const prefixes[] = {"/..", "/../..",
                                           "/../share/wijkeval"};
    for (size_t k = 0; k < sizeof prefixes / sizeof prefixes[0]; k++) {
        char path[2 * PATH_MAX];
        snprintf(path, sizeof path, "%s%s/%s", exe, prefixes[k], rel);
        if (is_file(path)) {
            free(exe);
            return we_strdup(path);
        }
    }
    free(exe);
    return NULL;
}

const char *we_cli_tmpdir(void)
{
    const char *t = getenv("TMPDIR");
    return t != NULL && t[0] == '/' ? t : "/tmp";
}
