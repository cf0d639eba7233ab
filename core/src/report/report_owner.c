/* realpath() is an X/Open extension of POSIX. */
#define _XOPEN_SOURCE 700

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "report/report.h"
#include "report/report_internal.h"

/* Two spellings of one config file: the paths resolve to the same file. */
static int same_path(const char *a, const char *b)
{
    if (a == NULL || b == NULL)
        return 0;
    if (strcmp(a, b) == 0)
        return 1;
    char *ra = realpath(a, NULL), *rb = realpath(b, NULL);
    int same = ra != NULL && rb != NULL && strcmp(ra, rb) == 0;
    free(ra);
    free(rb);
    return same;
}

static int refuse(const char *dir, const char *what, const char *other,
                  we_error *err)
{
    return we_fail(err, WE_EINVAL,
                   "%s: holds %s%s; choose another output directory, "
                   "or pass --force to replace it",
                   dir, what, other);
}

int we_report_check_owner(const char *dir, const we_config *cfg,
                          we_error *err)
{
    char *path = malloc(strlen(dir) + sizeof "/report.json");
    if (path == NULL)
        return we_fail(err, WE_ENOMEM, "%s: out of memory", dir);
    strcpy(path, dir);
    strcat(path, "/report.json");
    struct stat st;
    if (stat(path, &st) != 0) {
        free(path);
        return 0; /* no report yet: nothing to protect */
    }
    json_error_t jerr;
    json_t *root = json_load_file(path, 0, &jerr);
    free(path);
    json_t *run = json_object_get(root, "run");
    const char *sha = json_string_value(json_object_get(run, "config_sha256"));
    const char *conf = json_string_value(json_object_get(run, "config"));
    int rc = 0;
    if (sha == NULL)
        rc = refuse(dir, "a report.json that is not a wijkeval report", "",
                    err);
    else if (strcmp(sha, cfg->config_sha256) != 0 &&
             !same_path(conf, cfg->path))
        rc = refuse(dir, "a report of another config: ",
                    conf != NULL ? conf : "(path not recorded)", err);
    json_decref(root);
    return rc;
}
