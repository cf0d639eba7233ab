/* Paths as the user should read them in messages: lexically normalised. */
#ifndef WE_UTIL_PATH_H
#define WE_UTIL_PATH_H

/* `p` with "." segments, repeated slashes and "x/.." pairs removed,
 * lexically (symlinks are not resolved: "a/link/.." is "a"). A relative
 * result that would climb above the current directory ("../data/x") is
 * made absolute from getcwd(), so it names the same file with no ".."
 * left; one below it stays relative. "" stays "" (callers report it).
 * NULL when out of memory (or the working directory is unknown and
 * needed). Free with free(). */
char *we_path_normalize(const char *p);

#endif
