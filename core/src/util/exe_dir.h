/* Where the running executable lives: the build tree and an installed
 * prefix find their plugins and data relative to it. */
#ifndef WE_UTIL_EXE_DIR_H
#define WE_UTIL_EXE_DIR_H

/* The directory of /proc/self/exe, malloc'd; NULL when unknown. */
char *we_exe_dir(void);

#endif
