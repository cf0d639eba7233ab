/* realpath() is an X/Open extension of POSIX. */
#define _XOPEN_SOURCE 700

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/error.h"
#include "util/out_dir.h"

/* Appends the component c (of length n) to the canonical path p (of
 * capacity cap), applying "." and "..". */
static void push_part(char *p, const char *c, size_t n)
{
    if (n == 0 || (n == 1 && c[0] == '.'))
        return;
    if (n == 2 && c[0] == '.' && c[1] == '.') {
        char *slash = strrchr(p, '/');
        if (slash != NULL)
            slash[slash == p ? 1 : 0] = '\0';
        return;
    }
    size_t len = strlen(p);
    if (len > 1)
        p[len++] = '/';
    memcpy(p + len, c, n);
    p[len + n] = '\0';
}

/* The absolute form of path (relative to the working directory). */
static char *absolute(const char *path)
{
    if (path[0] == '/')
        return we_strdup(path);
    char *cwd = getcwd(NULL, 0);
    if (cwd == NULL)
        return NULL;
    size_t n = strlen(cwd) + strlen(path) + 2;
    char *p = malloc(n);
    if (p != NULL)
        snprintf(p, n, "%s/%s", cwd, path);
    free(cwd);
    return p;
}

char *we_path_canonical(const char *path)
{
    char *abs = path != NULL ? absolute(path) : NULL;
    if (abs == NULL)
        return NULL;
    /* Shorten to the longest prefix that resolves: every prefix is a
     * cut at a '/'; "/" itself always resolves. */
    size_t cut = strlen(abs);
    char *base = NULL;
    for (;;) {
        char save = abs[cut];
        abs[cut] = '\0';
        base = realpath(cut == 0 ? "/" : abs, NULL);
        abs[cut] = save;
        if (base != NULL || cut == 0)
            break;
        while (cut > 0 && abs[--cut] != '/')
            ;
    }
    char *out = base != NULL ? malloc(strlen(base) + strlen(abs) + 2)
                             : NULL;
    if (out != NULL) {
        strcpy(out, base);
        /* The part that does not exist yet has no links to resolve. */
        for (const char *s = abs + cut; *s != '\0';) {
            while (*s == '/')
                s++;
            size_t n = strcspn(s, "/");
            push_part(out, s, n);
            s += n;
        }
    }
    free(base);
    free(abs);
    return out;
}

/* Directories that belong to the system: neither they nor anything
 * under them takes a report... */
static const char *const system_trees[] = {
    "/bin", "/boot", "/dev", "/etc", "/lib", "/lib32", "/lib64",
    "/libx32", "/proc", "/run", "/sbin", "/sys", "/usr", "/var",
};
/* ...except the one place under them meant for anyone's files. */
static const char *const user_trees[] = {"/var/tmp"};
/* Shared directories that may hold an output directory but not be one:
 * a report written straight into them would mix with everyone's files. */
static const char *const system_roots[] = {
    "/", "/home", "/media", "/mnt", "/opt", "/root", "/srv", "/tmp",
    "/var/tmp",
};

static int under(const char *path, const char *top)
{
    size_t n = strlen(top);
    return strncmp(path, top, n) == 0 &&
           (path[n] == '\0' || path[n] == '/');
}

const char *we_path_system_dir(const char *canon)
{
    const size_t n_roots = sizeof system_roots / sizeof *system_roots;
    for (size_t i = 0; i < n_roots; i++)
        if (strcmp(canon, system_roots[i]) == 0)
            return system_roots[i];
    for (size_t i = 0; i < sizeof user_trees / sizeof *user_trees; i++)
        if (under(canon, user_trees[i]))
            return NULL;
    for (size_t i = 0; i < sizeof system_trees / sizeof *system_trees; i++)
        if (under(canon, system_trees[i]))
            return system_trees[i];
    /* "-o /": a new directory at the top of the file system. */
    return strchr(canon + 1, '/') == NULL ? "/" : NULL;
}
