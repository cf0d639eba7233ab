#include "util/path.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/error.h"

/* Collapses `p` into `out` (room for strlen(p) + 2). A leading ".." of a
 * relative path stays (there is nothing to cancel it against). */
static void collapse(const char *p, char *out)
{
    int abs = p[0] == '/';
    size_t n = 0;     /* bytes in out */
    size_t fixed = 0; /* leading "../" segments a ".." cannot cancel */
    if (abs)
        out[n++] = '/';
    size_t root = n;
    while (*p != '\0') {
        while (*p == '/')
            p++;
        const char *e = p;
        while (*e != '\0' && *e != '/')
            e++;
        size_t len = (size_t)(e - p);
        if (len == 0 || (len == 1 && p[0] == '.')) {
            /* nothing */
        } else if (len == 2 && p[0] == '.' && p[1] == '.') {
            if (n > root + fixed) {
                /* Drop the last segment and the slash before it. */
                while (n > root + fixed && out[n - 1] != '/')
                    n--;
                if (n > root + fixed)
                    n--;
            } else if (!abs) {
                if (n > root)
                    out[n++] = '/';
                memcpy(out + n, "..", 2);
                n += 2;
                fixed = n - root;
            }
            /* "/.." is "/". */
        } else {
            if (n > root)
                out[n++] = '/';
            memcpy(out + n, p, len);
            n += len;
        }
        p = e;
    }
    out[n] = '\0';
}

char *we_path_normalize(const char *p)
{
    if (p[0] == '\0')
        return we_strdup("");
    char *out = malloc(strlen(p) + 2);
    if (out == NULL)
        return NULL;
    collapse(p, out);
    if (out[0] == '\0') {
        out[0] = '.';
        out[1] = '\0';
    }
    if (out[0] != '.' || out[1] != '.' || (out[2] != '\0' && out[2] != '/'))
        return out;
    /* Above the working directory: absolute, from getcwd(). */
    char *cwd = getcwd(NULL, 0);
    if (cwd == NULL) {
        free(out);
        return NULL;
    }
    size_t n = strlen(cwd) + 1 + strlen(out) + 1;
    char *joined = malloc(n);
    char *res = joined == NULL ? NULL : malloc(n + 1);
    if (res != NULL) {
        snprintf(joined, n, "%s/%s", cwd, out);
        collapse(joined, res);
    }
    free(joined);
    free(cwd);
    free(out);
    return res;
}
