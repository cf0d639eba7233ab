/* Where an output directory really is, and whether it is one a report
 * may go to: the system's own directories are refused whatever the path
 * that leads there (symbolic links, "..", a trailing slash). */
#ifndef WE_UTIL_OUT_DIR_H
#define WE_UTIL_OUT_DIR_H

/* The canonical absolute form of path, which need not exist yet: the
 * longest prefix that exists is resolved with realpath(), the rest is
 * joined to it with "." and ".." applied. NULL when out of memory or when
 * not even "/" or the working directory resolves. Free with free(). */
char *we_path_canonical(const char *path);

/* NULL when canon (a canonical path) may hold output; otherwise the
 * system directory that it is, or lies under ("/etc", "/usr", ...), or
 * "/" for "/" itself and the directories straight under it. */
const char *we_path_system_dir(const char *canon);

#endif
