/* realpath() is an X/Open extension of POSIX. */
#define _XOPEN_SOURCE 700
#include "host/loader.h"

#include <dirent.h>

#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/error.h"
#include "util/exe_dir.h"
#include "util/suggest.h"

int we_plugin_id_valid(const char *id)
{
    size_t n = 0;
    for (const char *c = id; *c; c++, n++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
              *c == '_'))
            return 0;
    return n > 0 && n <= 64;
}

/* The plugin in the directories whose id is nearest to a mistyped
 * `id` (util/suggest.h), or NULL. */
static char *nearest_plugin(const char *id, char *const *dirs, size_t n_dirs)
{
    enum { MAX_IDS = 512 };
    char *ids[MAX_IDS] = {NULL};
    size_t n = 0;
    for (size_t k = 0; k < n_dirs; k++) {
        DIR *d = opendir(dirs[k]);
        const struct dirent *e;
        while (d != NULL && n < MAX_IDS && (e = readdir(d)) != NULL) {
            size_t len = strlen(e->d_name);
            if (len < 4 || strcmp(e->d_name + len - 3, ".so") != 0)
                continue;
            char *name = we_strdup(e->d_name);
            if (name == NULL)
                break;
            name[len - 3] = '\0';
            if (we_plugin_id_valid(name))
                ids[n++] = name;
            else
                free(name);
        }
        if (d != NULL)
            closedir(d);
    }
    const char *best = we_suggest(id, (const char *const *)ids, n);
    char *copy = best ? we_strdup(best) : NULL;
    for (size_t k = 0; k < n; k++)
        free(ids[k]);
    return copy;
}

char *we_plugin_find(const char *id, char *const *dirs, size_t n_dirs,
                     we_error *err)
{
    if (!we_plugin_id_valid(id)) {
        we_fail(err, WE_EINVAL,
                "plugin id '%s' is not valid: use lower-case letters, "
                "digits and '_' only (no paths)",
                id);
        return NULL;
    }
    for (size_t k = 0; k < n_dirs; k++) {
        size_t n = strlen(dirs[k]) + strlen(id) + 5;
        char *path = malloc(n);
        if (path == NULL) {
            we_fail(err, WE_ENOMEM, "out of memory");
            return NULL;
        }
        snprintf(path, n, "%s/%s.so", dirs[k], id);
        struct stat st;
        if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
            return path;
        free(path);
    }
    char list[1024] = "", hint[160] = "";
    for (size_t k = 0; k < n_dirs; k++) {
        size_t used = strlen(list);
        snprintf(list + used, sizeof list - used, "%s%s", k ? ", " : "",
                 dirs[k]);
    }
    char *near = nearest_plugin(id, dirs, n_dirs);
    if (near != NULL)
        snprintf(hint, sizeof hint, "did you mean '%s'? ", near);
    free(near);
    we_fail(err, WE_EINVAL,
            "plugin '%s' not found: no %s.so in the plugin "
            "directories (%s); %sbuild it with `make` or set "
            "plugin_dirs / --plugin-dir",
            id, id, n_dirs ? list : "none configured", hint);
    return NULL;
}

/* The size of the descriptor and of the host table at each minor of
 * this major: what a plugin built against that minor's header has. */
static const size_t descriptor_size[WE_ABI_MINOR + 1] = {
    offsetof(we_plugin_descriptor, fini) + sizeof(we_fini_fn),
    offsetof(we_plugin_descriptor, maintainer) + sizeof(const char *),
    offsetof(we_plugin_descriptor, maintainer) + sizeof(const char *),
    offsetof(we_plugin_descriptor, summary_nl) + sizeof(const char *),
};
static const size_t host_size[WE_ABI_MINOR + 1] = {
    offsetof(we_host, comparison_values),
    offsetof(we_host, gap_reference),
    offsetof(we_host, indicator_info),
    sizeof(we_host),
};

size_t we_descriptor_size_for_minor(unsigned minor)
{
    return minor <= WE_ABI_MINOR ? descriptor_size[minor] : 0;
}

size_t we_host_size_for_minor(unsigned minor)
{
    return minor <= WE_ABI_MINOR ? host_size[minor] : 0;
}

static int check_abi(const we_plugin_descriptor *d, const char *path,
                     we_error *err)
{
    if (d->abi_major != WE_ABI_MAJOR)
        return we_fail(err, WE_EINVAL,
                       "%s: plugin ABI %u.%u is incompatible with "
                       "host ABI %d.%d (the major version must be "
                       "equal); rebuild the plugin against this "
                       "wijkeval's plugin.h",
                       path, d->abi_major, d->abi_minor, WE_ABI_MAJOR,
                       WE_ABI_MINOR);
    if (d->abi_minor > WE_ABI_MINOR)
        return we_fail(err, WE_EINVAL,
                       "%s: plugin ABI %u.%u is newer than host ABI "
                       "%d.%d (the plugin's minor may not exceed "
                       "the host's); upgrade wijkeval",
                       path, d->abi_major, d->abi_minor, WE_ABI_MAJOR,
                       WE_ABI_MINOR);
    /* A descriptor has at least the fields of the minor it declares. */
    size_t need = descriptor_size[d->abi_minor];
    if (d->struct_size < need)
        return we_fail(err, WE_EINVAL,
                       "%s: descriptor struct_size %u is smaller "
                       "than the %zu bytes of ABI %d.%u (plugin ABI "
                       "%u.%u, host ABI %d.%d); initialise it with "
                       "WE_DESCRIPTOR_HEADER",
                       path, d->struct_size, need, WE_ABI_MAJOR, d->abi_minor,
                       d->abi_major, d->abi_minor, WE_ABI_MAJOR, WE_ABI_MINOR);
    return 0;
}

static int check_indicators(const we_plugin_descriptor *d, const char *path,
                            we_error *err)
{
    if (d->indicators == NULL || d->n_indicators == 0)
        return we_fail(err, WE_EINVAL,
                       "%s: descriptor field 'indicators' is NULL "
                       "or empty; a plugin targets at least one "
                       "indicator",
                       path);
    size_t primaries = 0;
    for (size_t k = 0; k < d->n_indicators; k++) {
        if (d->indicators[k].name == NULL)
            return we_fail(err, WE_EINVAL, "%s: indicator %zu has a NULL name",
                           path, k);
        primaries += d->indicators[k].role == WE_ROLE_PRIMARY;
    }
    if (primaries != 1)
        return we_fail(err, WE_EINVAL,
                       "%s: %zu primary indicators declared; "
                       "exactly one must be primary",
                       path, primaries);
    if (d->n_settings > 0 && d->settings == NULL)
        return we_fail(err, WE_EINVAL,
                       "%s: descriptor field 'settings' is NULL but "
                       "n_settings is %zu",
                       path, d->n_settings);
    return 0;
}

static int check_required(const we_plugin_descriptor *d, int has_evaluate,
                          const char *path, we_error *err)
{
    const char *missing = d->id == NULL         ? "id"
                          : d->title_nl == NULL ? "title_nl"
                          : d->title_en == NULL ? "title_en"
                          : d->version == NULL  ? "version"
                          : d->summary == NULL  ? "summary"
                          : !has_evaluate       ? "evaluate"
                                                : NULL;
    if (missing != NULL)
        return we_fail(err, WE_EINVAL,
                       "%s: required descriptor field '%s' is NULL "
                       "(plugin ABI %u.%u, host ABI %d.%d)",
                       path, missing, d->abi_major, d->abi_minor, WE_ABI_MAJOR,
                       WE_ABI_MINOR);
    if (!we_plugin_id_valid(d->id))
        return we_fail(err, WE_EINVAL, "%s: plugin id '%s' is not [a-z0-9_]+",
                       path, d->id);
    return check_indicators(d, path, err);
}

/* 1 when an earlier indicator (setting) of d has the k-th one's name. */
static int indicator_repeated(const we_plugin_descriptor *d, size_t k)
{
    for (size_t j = 0; j < k; j++)
        if (strcmp(d->indicators[j].name, d->indicators[k].name) == 0)
            return 1;
    return 0;
}

static int setting_repeated(const we_plugin_descriptor *d, size_t k)
{
    for (size_t j = 0; j < k; j++)
        if (d->settings[j].name != NULL &&
            strcmp(d->settings[j].name, d->settings[k].name) == 0)
            return 1;
    return 0;
}

int we_plugin_check_author(const we_plugin_descriptor *d, we_error *err)
{
    if (!*d->title_nl || !*d->title_en || !*d->version || !*d->summary)
        return we_fail(err, WE_EINVAL,
                       "plugin '%s': title_nl, title_en, version "
                       "and summary must all be set",
                       d->id);
    for (size_t k = 0; k < d->n_indicators; k++) {
        const we_indicator_spec *s = &d->indicators[k];
        if (!we_plugin_id_valid(s->name) ||
            indicator_repeated(d, k) ||
            (s->role != WE_ROLE_PRIMARY && s->role != WE_ROLE_SECONDARY) ||
            s->direction < WE_LOWER_IS_BETTER ||
            s->direction > WE_HIGHER_IS_BETTER)
            return we_fail(err, WE_EINVAL,
                           "plugin '%s': indicator %zu ('%s') needs "
                           "a distinct [a-z0-9_]+ name, a role and a "
                           "direction",
                           d->id, k, s->name);
    }
    for (size_t k = 0; k < d->n_settings; k++) {
        const we_setting_spec *s = &d->settings[k];
        if (!s->name || !we_plugin_id_valid(s->name) ||
            setting_repeated(d, k) || (int)s->type < (int)WE_SETTING_INT ||
            s->type > WE_SETTING_BOOL)
            return we_fail(err, WE_EINVAL,
                           "plugin '%s': setting %zu needs a "
                           "distinct [a-z0-9_]+ name and a valid type",
                           d->id, k);
        if (!s->description || !*s->description)
            return we_fail(err, WE_EINVAL,
                           "plugin '%s': setting '%s' has no "
                           "description; set its we_setting_spec."
                           "description to a sentence that says what "
                           "the setting changes, for the config "
                           "writer who sets it",
                           d->id, s->name);
    }
    return 0;
}

int we_plugin_validate(we_plugin *p, const we_plugin_descriptor *d,
                       we_error *err)
{
    if (d == NULL)
        return we_fail(err, WE_EINVAL,
                       "%s: %s() returned NULL instead of a "
                       "descriptor",
                       p->path, WE_PLUGIN_ENTRY_SYMBOL);
    if (check_abi(d, p->path, err) != 0)
        return -1;
    /* Copy no more than both sides know: an older plugin's shorter struct
     * leaves the newer fields zero. */
    size_t n = d->struct_size < sizeof p->desc ? d->struct_size
                                               : sizeof p->desc;
    memset(&p->desc, 0, sizeof p->desc);
    memcpy(&p->desc, d, n);
    return check_required(&p->desc, p->desc.evaluate != NULL, p->path,
                          err);
}

void we_plugin_desc_free(we_plugin_descriptor *d)
{
    /* Decoded descriptors own what the plugin's descriptor borrows. */
    free((char *)d->id);
    free((char *)d->title_nl);
    free((char *)d->title_en);
    free((char *)d->version);
    free((char *)d->summary);
    free((char *)d->maintainer);
    free((char *)d->summary_nl);
    for (size_t k = 0; d->indicators && k < d->n_indicators; k++)
        free((char *)d->indicators[k].name);
    for (size_t k = 0; d->settings && k < d->n_settings; k++) {
        free((char *)d->settings[k].name);
        free((char *)d->settings[k].description);
    }
    free((we_indicator_spec *)d->indicators);
    free((we_setting_spec *)d->settings);
    memset(d, 0, sizeof *d);
}

int we_plugin_adopt_remote(we_plugin *p, const char *path,
                           we_plugin_descriptor *owned, unsigned callbacks,
                           we_error *err)
{
    memset(p, 0, sizeof *p);
    p->path = we_strdup(path);
    p->remote = 1;
    p->callbacks = callbacks;
    p->desc = *owned;
    memset(owned, 0, sizeof *owned);
    if (p->path == NULL) {
        we_plugin_unload(p);
        return we_fail(err, WE_ENOMEM, "out of memory");
    }
    if (check_abi(&p->desc, p->path, err) != 0 ||
        check_required(&p->desc, (callbacks & 2u) != 0, p->path, err) != 0) {
        we_plugin_unload(p);
        return -1;
    }
    return 0;
}

static const char *user_name(uid_t uid)
{
    const struct passwd *pw = getpwuid(uid);
    return pw != NULL && pw->pw_name != NULL ? pw->pw_name : "unknown";
}

/* A plugin runs with the user's rights, so a file that another user can
 * change would let them run code as this user. */
int we_plugin_check_file(const char *path, we_error *err)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return we_fail(err, WE_EINVAL, "%s: cannot load plugin: %s", path,
                       strerror(errno));
    if (!S_ISREG(st.st_mode))
        return we_fail(err, WE_EINVAL,
                       "%s: cannot load plugin: not a regular file", path);
    if (st.st_mode & (S_IWGRP | S_IWOTH))
        return we_fail(
            err, WE_EINVAL,
            "%s: refusing to load a plugin that is %s "
            "(mode %04o): others could replace its code; "
            "run chmod go-w on it",
            path, (st.st_mode & S_IWOTH) ? "world-writable" : "group-writable",
            (unsigned)(st.st_mode & 07777));
    uid_t me = geteuid();
    if (st.st_uid != me && st.st_uid != 0) {
        /* user_name may reuse a static buffer: one name per message. */
        char owner[64];
        snprintf(owner, sizeof owner, "%s", user_name(st.st_uid));
        return we_fail(err, WE_EINVAL,
                       "%s: refusing to load a plugin owned by %s "
                       "(uid %u): only plugins owned by you (%s) or "
                       "root are loaded; install it as yourself or "
                       "as root",
                       path, owner, (unsigned)st.st_uid, user_name(me));
    }
    return 0;
}

int we_plugin_load(we_plugin *p, const char *path, we_error *err)
{
    memset(p, 0, sizeof *p);
    if (we_plugin_check_file(path, err) != 0)
        return -1;
    p->path = we_strdup(path);
    if (p->path == NULL)
        return we_fail(err, WE_ENOMEM, "out of memory");
    p->handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (p->handle == NULL) {
        we_fail(err, WE_EINVAL, "%s: cannot load plugin: %s", path, dlerror());
        we_plugin_unload(p);
        return -1;
    }
    void *sym = dlsym(p->handle, WE_PLUGIN_ENTRY_SYMBOL);
    if (sym == NULL) {
        we_fail(err, WE_EINVAL,
                "%s: missing entry symbol '%s'; a plugin defines it "
                "with WE_PLUGIN_DEFINE(descriptor)",
                path, WE_PLUGIN_ENTRY_SYMBOL);
        we_plugin_unload(p);
        return -1;
    }
    we_plugin_entry_fn entry;
    /* POSIX guarantees object/function pointer conversion for dlsym. */
    memcpy(&entry, &sym, sizeof entry);
    if (we_plugin_validate(p, entry(), err) != 0) {
        we_plugin_unload(p);
        return -1;
    }
    return 0;
}

void we_plugin_unload(we_plugin *p)
{
    if (p->handle != NULL)
        dlclose(p->handle);
    if (p->remote)
        we_plugin_desc_free(&p->desc);
    free(p->path);
    memset(p, 0, sizeof *p);
}

/* ---- where plugins are looked for ---------------------------------- */

/* Adds a directory once: the same directory reached by two routes (the
 * command line and the built-in default, say) is searched once. */
static int push_dir(we_plugin_dirs *pd, const char *dir)
{
    if (pd->n == sizeof pd->dirs / sizeof pd->dirs[0] || dir == NULL ||
        *dir == '\0')
        return 0;
    char *canon = realpath(dir, NULL);
    char *entry = canon ? canon : we_strdup(dir);
    if (entry == NULL)
        return -1;
    for (size_t k = 0; k < pd->n; k++)
        if (strcmp(pd->dirs[k], entry) == 0) {
            free(entry);
            return 0;
        }
    pd->dirs[pd->n++] = entry;
    return 0;
}

static void push_path_list(we_plugin_dirs *pd, const char *list)
{
    char *copy = we_strdup(list), *save = NULL;
    for (char *tok = copy ? strtok_r(copy, ":", &save) : NULL; tok;
         tok = strtok_r(NULL, ":", &save))
        push_dir(pd, tok);
    free(copy);
}

void we_plugin_dirs_default(we_plugin_dirs *pd, char *const *cli,
                            size_t n_cli, char *const *config_dirs,
                            size_t n_config)
{
    memset(pd, 0, sizeof *pd);
    for (size_t k = 0; k < n_cli; k++)
        push_dir(pd, cli[k]);
    for (size_t k = 0; k < n_config; k++)
        push_dir(pd, config_dirs[k]);
    const char *env = getenv("WIJKEVAL_PLUGIN_PATH");
    if (env != NULL)
        push_path_list(pd, env);
    char *dir = we_exe_dir(); /* build/plugins beside build/wijkeval */
    if (dir != NULL) {
        char path[PATH_MAX];
        snprintf(path, sizeof path, "%s/plugins", dir);
        push_dir(pd, path);
        snprintf(path, sizeof path, "%s/../lib/wijkeval/plugins", dir);
        push_dir(pd, path);
        free(dir);
    }
}

void we_plugin_dirs_free(we_plugin_dirs *pd)
{
    for (size_t k = 0; k < pd->n; k++)
        free(pd->dirs[k]);
    memset(pd, 0, sizeof *pd);
}
