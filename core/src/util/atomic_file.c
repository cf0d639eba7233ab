#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/atomic_file.h"

/* dir + "/" + pre + name + post, without doubling a trailing slash. */
static char *join_path(const char *dir, const char *pre, const char *name,
                       const char *post)
{
    size_t d = strlen(dir);
    while (d > 1 && dir[d - 1] == '/')
        d--;
    size_t n = d + 1 + strlen(pre) + strlen(name) + strlen(post) + 1;
    char *p = malloc(n);
    if (p != NULL)
        snprintf(p, n, "%.*s%s%s%s%s", (int)d, dir,
                 dir[d - 1] == '/' ? "" : "/", pre, name, post);
    return p;
}

static int mkdir_one(const char *path, we_error *err)
{
    struct stat st;
    if (mkdir(path, 0755) == 0)
        return 0;
    int e = errno;
    if (e == EEXIST && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return 0;
    if (e == EEXIST)
        e = ENOTDIR;
    return we_fail(err, WE_EINVAL,
                   "%s: cannot create the output directory: %s; "
                   "choose another output directory (output.dir in the "
                   "config, or -o) or fix the path",
                   path, strerror(e));
}

int we_mkdirs(const char *dir, we_error *err)
{
    char *p = we_strdup(dir);
    if (p == NULL)
        return we_fail(err, WE_ENOMEM, "%s: out of memory", dir);
    int rc = 0;
    /* Every prefix ending before a '/', then the whole path. */
    for (char *s = p + 1; rc == 0 && *s != '\0'; s++) {
        if (*s != '/' || s[-1] == '/')
            continue;
        *s = '\0';
        rc = mkdir_one(p, err);
        *s = '/';
    }
    if (rc == 0)
        rc = mkdir_one(p, err);
    free(p);
    return rc;
}

static int io_error(const char *path, const char *what, int e, we_error *err)
{
    return we_fail(err, WE_EINVAL,
                   "%s: %s: %s; check free space and permissions "
                   "of the output directory",
                   path, what, strerror(e));
}

/* Runs the writer on an open stream and makes the bytes durable. Closes
 * f in every case. */
static int fill_file(FILE *f, const char *path, we_file_writer writer,
                     const void *user, we_error *err)
{
    we_error inner;
    inner.msg[0] = '\0';
    if (writer(user, f, &inner) != 0) {
        fclose(f);
        return we_fail(err, WE_EINVAL, "%s: %s", path, inner.msg);
    }
    errno = EIO; /* what a sticky stream error most likely was */
    if (fflush(f) != 0 || ferror(f)) {
        int e = errno;
        fclose(f);
        return io_error(path, "cannot write", e, err);
    }
    if (fsync(fileno(f)) != 0) {
        int e = errno;
        fclose(f);
        return io_error(path, "cannot sync to disk", e, err);
    }
    if (fclose(f) != 0)
        return io_error(path, "cannot close", errno, err);
    return 0;
}

static FILE *open_new(const char *path, we_error *err)
{
    /* O_EXCL: a leftover temporary of a crashed run with the same pid is
     * removed rather than written through (it may be a symlink). */
    unlink(path);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
    if (fd < 0) {
        io_error(path, "cannot create", errno, err);
        return NULL;
    }
    /* The mode of open() is masked by the umask; a report is meant to be
     * readable by everyone who may read the directory. */
    if (fchmod(fd, 0644) != 0) {
        io_error(path, "cannot set mode 0644", errno, err);
        close(fd);
        unlink(path);
        return NULL;
    }
    FILE *f = fdopen(fd, "w");
    if (f == NULL) {
        io_error(path, "cannot open", errno, err);
        close(fd);
        unlink(path);
    }
    return f;
}

/* The pid of a temporary name ".<name>.tmp.<pid>", or 0 when ent is not
 * one for name. */
static long temp_pid(const char *ent, const char *name)
{
    size_t n = strlen(name);
    if (ent[0] != '.' || strncmp(ent + 1, name, n) != 0 ||
        strncmp(ent + 1 + n, ".tmp.", 5) != 0)
        return 0;
    const char *digits = ent + 1 + n + 5;
    char *end;
    errno = 0;
    long pid = strtol(digits, &end, 10);
    if (digits[0] < '1' || digits[0] > '9' || *end != '\0' || errno != 0)
        return 0;
    return pid;
}

/* Only a process that no longer exists (or this one) cannot be writing
 * the file: a concurrent run into the same directory keeps its own. */
static int pid_gone(long pid)
{
    if (pid == (long)getpid())
        return 1;
    return kill((pid_t)pid, 0) != 0 && errno == ESRCH;
}

void we_files_sweep(const char *dir, const char *const *names, size_t n)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return;
    struct dirent *ent;
    while ((ent = readdir(d)) != NULL) {
        for (size_t i = 0; i < n; i++) {
            long pid = temp_pid(ent->d_name, names[i]);
            if (pid == 0 || !pid_gone(pid))
                continue;
            char *path = join_path(dir, "", ent->d_name, "");
            if (path != NULL)
                unlink(path);
            free(path);
            break;
        }
    }
    closedir(d);
}

int we_file_stage(we_staged_file *out, const char *dir, const char *name,
                  we_file_writer writer, const void *user, we_error *err)
{
    char pid[32];
    snprintf(pid, sizeof pid, ".tmp.%ld", (long)getpid());
    out->final_path = join_path(dir, "", name, "");
    out->tmp_path = join_path(dir, ".", name, pid);
    if (out->final_path == NULL || out->tmp_path == NULL) {
        we_fail(err, WE_ENOMEM, "%s: out of memory", dir);
        goto fail;
    }
    FILE *f = open_new(out->tmp_path, err);
    if (f == NULL)
        goto fail;
    if (fill_file(f, out->tmp_path, writer, user, err) != 0) {
        unlink(out->tmp_path);
        goto fail;
    }
    return 0;
fail:
    free(out->final_path);
    free(out->tmp_path);
    out->final_path = out->tmp_path = NULL;
    return -1;
}

static int check_targets(const we_staged_file *files, size_t n,
                         we_error *err)
{
    struct stat st;
    for (size_t i = 0; i < n; i++)
        if (lstat(files[i].final_path, &st) == 0 && S_ISDIR(st.st_mode))
            return we_fail(err, WE_EINVAL,
                           "%s: cannot replace: %s; remove or "
                           "rename it so the report can be written",
                           files[i].final_path, strerror(EISDIR));
    return 0;
}

static void sync_dir(const char *dir)
{
    /* Makes the renames durable. Some file systems refuse fsync on a
     * directory; the files themselves are already synced, so ignore. */
    int fd = open(dir, O_RDONLY);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

int we_files_commit(we_staged_file *files, size_t n, const char *dir,
                     we_error *err)
{
    if (check_targets(files, n, err) != 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (rename(files[i].tmp_path, files[i].final_path) != 0)
            return we_fail(err, WE_EINVAL,
                           "%s: cannot rename into place: %s; "
                           "check permissions of the output "
                           "directory",
                           files[i].final_path, strerror(errno));
        free(files[i].tmp_path);
        files[i].tmp_path = NULL;
    }
    sync_dir(dir);
    return 0;
}

void we_files_discard(we_staged_file *files, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (files[i].tmp_path != NULL)
            unlink(files[i].tmp_path);
        free(files[i].tmp_path);
        free(files[i].final_path);
        files[i].tmp_path = files[i].final_path = NULL;
    }
}
