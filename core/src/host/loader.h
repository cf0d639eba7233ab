/* Loading and validating plugin shared objects. */
#ifndef WE_HOST_LOADER_H
#define WE_HOST_LOADER_H

#include <stddef.h>

#include "util/error.h"
#include "wijkeval/plugin.h"

typedef struct we_plugin {
    void *handle;                /* from dlopen; NULL when remote */
    char *path;
    /* 1: the descriptor came from a child that loaded the plugin
     * (we_isolate_probe); its strings are owned here, its function
     * pointers NULL (callbacks says which the plugin has), and the code
     * is loaded again in each experiment's child. */
    int remote;
    unsigned callbacks; /* WE_WIRE_HAS_* bits, when remote */
    /* A host-owned copy of the plugin's descriptor: the plugin's struct may
     * be shorter (older minor), so only struct_size bytes are copied and the
     * rest is zero. */
    we_plugin_descriptor desc;
} we_plugin;

/* dlopen(RTLD_NOW | RTLD_LOCAL), find the one entry symbol, validate the
 * descriptor. Messages name the file and both ABI versions. The file must
 * pass we_plugin_check_file first. */
int we_plugin_load(we_plugin *p, const char *path, we_error *err);
void we_plugin_unload(we_plugin *p);

/* Takes a descriptor decoded from a probe's message (host/wire.h: all
 * its strings and arrays malloc'd, owned from now on, freed by
 * we_plugin_unload) and validates it as we_plugin_validate does; on
 * failure it is freed. */
int we_plugin_adopt_remote(we_plugin *p, const char *path,
                           we_plugin_descriptor *owned, unsigned callbacks,
                           we_error *err);

/* Frees the strings and arrays of a decoded descriptor. */
void we_plugin_desc_free(we_plugin_descriptor *d);

/* Refuses, with a message saying what to do, a plugin file that is not a
 * regular file, is group- or world-writable, or is owned by neither this
 * user nor root. */
int we_plugin_check_file(const char *path, we_error *err);

/* Checks a descriptor (ABI, required fields, id, indicators) and copies
 * it into p->desc; p->path names the plugin in messages. we_plugin_load
 * calls it on what the entry symbol returns; the mock host on the
 * descriptor a test links in. */
int we_plugin_validate(we_plugin *p, const we_plugin_descriptor *d,
                       we_error *err);

/* What the loader does not insist on but a plugin author should: text in
 * every title, distinct valid indicator and setting names, a role and a
 * direction for every indicator, a description for every setting. For a
 * descriptor that passed we_plugin_validate. */
int we_plugin_check_author(const we_plugin_descriptor *d, we_error *err);

/* The sizes of the descriptor and of the host table as a plugin or host
 * built against minor `minor` of this major has them; 0 for a minor newer
 * than this host's. */
size_t we_descriptor_size_for_minor(unsigned minor);
size_t we_host_size_for_minor(unsigned minor);

/* Finds `<id>.so` in the directories, in order. Refuses ids that are not
 * [a-z0-9_]+ (no path traversal). Returns a malloc'd path. */
char *we_plugin_find(const char *id, char *const *dirs, size_t n_dirs,
                     we_error *err);

/* 1 when the id is [a-z0-9_]+ and at most 64 characters. */
int we_plugin_id_valid(const char *id);

/* Where plugins are looked for, in order: the command line, the config,
 * WIJKEVAL_PLUGIN_PATH (':'-separated), then the plugins/ directory next
 * to the executable (the build tree) and the installed
 * ../lib/wijkeval/plugins. Never the current directory. */
typedef struct we_plugin_dirs {
    char *dirs[32];
    size_t n;
} we_plugin_dirs;

void we_plugin_dirs_default(we_plugin_dirs *pd, char *const *cli,
                            size_t n_cli, char *const *config_dirs,
                            size_t n_config);
void we_plugin_dirs_free(we_plugin_dirs *pd);

#endif
