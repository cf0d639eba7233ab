#include "util/exe_dir.h"

#include <limits.h>
#include <string.h>
#include <unistd.h>

#include "util/error.h"

char *we_exe_dir(void)
{
    char buf[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n <= 0)
        return NULL;
    buf[n] = '\0';
    char *slash = strrchr(buf, '/');
    if (slash == NULL)
        return NULL;
    *slash = '\0';
    return we_strdup(buf);
}
