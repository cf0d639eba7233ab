/* realpath() is an X/Open extension of POSIX. */
#define _XOPEN_SOURCE 700

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "report/report_owner.h"
#include "util/out_dir.h"

/* The files a report wrote before the manifest existed: a directory
 * holding a wijkeval report.json but no marker counts these as its own. */
static const char *const legacy_names[] = {
    "report.json", "results.csv", "report.md", "report.html",
    "targets.csv", "policy_return.csv", "watch_list.csv", "displacement.csv",
};
#define N_LEGACY (sizeof legacy_names / sizeof *legacy_names)

static char *in_dir(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    if (p != NULL)
        snprintf(p, n, "%s%s%s", dir, strcmp(dir, "/") != 0 ? "/" : "", name);
    return p;
}

static int exists_in(const char *dir, const char *name)
{
    char *p = in_dir(dir, name);
    struct stat st;
    int yes = p != NULL && lstat(p, &st) == 0;
    free(p);
    return yes;
}

static int listed(const we_output *o, const char *name)
{
    for (size_t i = 0; i < o->n_files; i++)
        if (strcmp(o->files[i], name) == 0)
            return 1;
    return 0;
}

static int add_file(we_output *o, const char *name)
{
    if (listed(o, name))
        return 0;
    char **more = realloc(o->files, (o->n_files + 1) * sizeof *more);
    if (more == NULL)
        return -1;
    o->files = more;
    if ((more[o->n_files] = we_strdup(name)) == NULL)
        return -1;
    o->n_files++;
    return 0;
}

static int no_memory(const we_output *o, we_error *err)
{
    return we_fail(err, WE_ENOMEM, "%s: out of memory", o->dir);
}

/* ---- the directory ---------------------------------------------------- */

/* The topmost directory on the way to canon that does not exist yet, or
 * NULL when canon exists: what the run must remove if it writes nothing. */
static char *first_missing(const char *canon)
{
    char *p = we_strdup(canon);
    if (p == NULL)
        return NULL;
    for (char *s = p + 1;; s++) {
        char save = *s;
        if (save != '/' && save != '\0')
            continue;
        *s = '\0';
        struct stat st;
        if (lstat(p, &st) != 0)
            return p;
        if (save == '\0')
            break;
        *s = save;
    }
    free(p);
    return NULL;
}

static int refuse_system(const we_output *o, we_error *err)
{
    const char *sys = we_path_system_dir(o->canon);
    if (sys == NULL)
        return 0;
    return we_fail(err, WE_EINVAL,
                   "%s: is %s%s, a directory of the system; write reports "
                   "to a directory of your own (-o DIR or output.dir)",
                   o->dir, strcmp(sys, o->canon) != 0 ? "in " : "", sys);
}

/* The first entry of dir beyond ".", "..", the lock file and the
 * marker's temporaries, or NULL. */
static char *first_entry(const char *dir)
{
    DIR *d = opendir(dir);
    char *name = NULL;
    struct dirent *ent;
    while (d != NULL && name == NULL && (ent = readdir(d)) != NULL)
        if (strcmp(ent->d_name, ".") != 0 && strcmp(ent->d_name, "..") != 0 &&
            strcmp(ent->d_name, WE_OUTPUT_LOCK) != 0 &&
            strncmp(ent->d_name, "." WE_OUTPUT_MARKER ".tmp.",
                    sizeof "." WE_OUTPUT_MARKER ".tmp." - 1) != 0)
            name = we_strdup(ent->d_name);
    if (d != NULL)
        closedir(d);
    return name;
}

/* ---- the lock ----------------------------------------------------------- */

static void holder_text(int fd, char *buf, size_t n)
{
    ssize_t got = pread(fd, buf, n - 1, 0);
    buf[got > 0 ? got : 0] = '\0';
    char *nl = strchr(buf, '\n');
    if (nl != NULL)
        *nl = '\0';
}

/* The lock file's byte RUN_BYTE is the run's lock: exclusive for a run
 * that writes the report, shared among the shards (`run --shard`), which
 * write one part file each and may run at the same time. Byte
 * MARKER_BYTE guards the marker's read-modify-write, a moment at a
 * time, so that shards running together all get into the manifest. */
enum { RUN_BYTE = 0, MARKER_BYTE = 1 };

static int set_lock(int fd, short type, off_t byte, int wait)
{
    struct flock fl = {.l_type = type, .l_whence = SEEK_SET,
                       .l_start = byte, .l_len = 1};
    int rc;
    while ((rc = fcntl(fd, wait ? F_SETLKW : F_SETLK, &fl)) != 0 &&
           errno == EINTR)
        ;
    return rc;
}

static int refuse_locked(const we_output *o, int fd, we_error *err)
{
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET,
                       .l_start = RUN_BYTE, .l_len = 1};
    long pid = fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type != F_UNLCK
                   ? (long)fl.l_pid
                   : 0;
    char conf[1024];
    /* The holder writes who it is right after it takes the lock: a run
     * that comes in between finds the file still empty for a moment. */
    holder_text(fd, conf, sizeof conf);
    for (int k = 0; conf[0] == '\0' && k < 100; k++) {
        nanosleep(&(struct timespec){0, 2000000}, NULL); /* 2 ms */
        holder_text(fd, conf, sizeof conf);
    }
    return we_fail(err, WE_EINVAL,
                   "%s: another wijkeval run (pid %ld, config %s) is "
                   "writing its report here; wait for it to end, or give "
                   "this run another output directory (-o DIR)",
                   o->dir, pid, conf[0] ? conf : "not yet recorded");
}

/* One attempt: 1 when the lock was taken on the file that is at the
 * path now, 0 when the file was replaced meanwhile (try again). A POSIX
 * record lock, not flock(): the plugins' forked children do not inherit
 * it, so none of them can release it or keep it after wijkeval ends. */
static int lock_once(we_output *o, const char *path, we_error *err)
{
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0)
        return we_fail(err, WE_EINVAL,
                       "%s: cannot open the lock file %s: %s; check the "
                       "permissions of the output directory",
                       o->dir, WE_OUTPUT_LOCK, strerror(errno));
    if (set_lock(fd, o->shared ? F_RDLCK : F_WRLCK, RUN_BYTE, 0) != 0) {
        int rc = errno == EACCES || errno == EAGAIN
                     ? refuse_locked(o, fd, err)
                     : we_fail(err, WE_EINVAL,
                               "%s: cannot lock %s: %s; use a local "
                               "output directory",
                               o->dir, WE_OUTPUT_LOCK, strerror(errno));
        close(fd);
        return rc;
    }
    struct stat a, b;
    if (fstat(fd, &a) != 0 || lstat(path, &b) != 0 || a.st_ino != b.st_ino ||
        a.st_dev != b.st_dev) {
        close(fd);
        return 0; /* a run that gave the directory up removed the file */
    }
    o->lock_fd = fd;
    return 1;
}

static int take_lock(we_output *o, we_error *err)
{
    char *path = in_dir(o->canon, WE_OUTPUT_LOCK);
    if (path == NULL)
        return no_memory(o, err);
    int got = 0;
    for (int tries = 0; got == 0 && tries < 10; tries++)
        got = lock_once(o, path, err);
    free(path);
    if (got == 0)
        return we_fail(err, WE_EINVAL,
                       "%s: the lock file %s keeps being replaced; "
                       "stop the other runs into this directory",
                       o->dir, WE_OUTPUT_LOCK);
    if (got < 0)
        return -1;
    /* Who holds it, for the message of a run that finds it taken. */
    char who[1200];
    int n = snprintf(who, sizeof who, "%s\n%ld\n", o->config, (long)getpid());
    /* Written over the old text, then cut: never empty in between. */
    if (pwrite(o->lock_fd, who, (size_t)n, 0) != n ||
        ftruncate(o->lock_fd, n) != 0)
        return we_fail(err, WE_EINVAL,
                       "%s: cannot write the lock file %s: %s; check free "
                       "space and permissions of the output directory",
                       o->dir, WE_OUTPUT_LOCK, strerror(errno));
    return 0;
}

/* ---- the marker ----------------------------------------------------------- */

static int write_marker_json(const void *user, FILE *f, we_error *err)
{
    const we_output *o = user;
    json_t *files = json_array();
    for (size_t i = 0; files != NULL && i < o->n_files; i++)
        json_array_append_new(files, json_string(o->files[i]));
    json_t *root = files == NULL ? NULL
                                 : json_pack("{s:s, s:s, s:s, s:o}",
                                             "schema", "wijkeval-owner/1",
                                             "config", o->config,
                                             "config_sha256", o->sha,
                                             "files", files);
    int rc = root == NULL || json_dumpf(root, f, JSON_INDENT(2)) != 0 ||
             fputc('\n', f) == EOF;
    json_decref(root);
    return rc ? we_fail(err, WE_ENOMEM, "cannot write the marker") : 0;
}

static int save_marker(we_output *o, we_error *err)
{
    we_staged_file f = {0};
    if (we_file_stage(&f, o->canon, WE_OUTPUT_MARKER, write_marker_json, o,
                      err) != 0)
        return -1;
    int rc = we_files_commit(&f, 1, o->canon, err);
    we_files_discard(&f, 1);
    return rc;
}

/* Reads the marker: 1 and the manifest in o when there is one, with the
 * owner's config in *owner; 0 when there is none. */
static int load_marker(we_output *o, char **owner, we_error *err)
{
    char *path = in_dir(o->canon, WE_OUTPUT_MARKER);
    if (path == NULL)
        return no_memory(o, err);
    struct stat st;
    if (lstat(path, &st) != 0) {
        free(path);
        return 0;
    }
    json_error_t jerr;
    json_t *root = json_load_file(path, 0, &jerr);
    json_t *files = json_object_get(root, "files");
    const char *conf = json_string_value(json_object_get(root, "config"));
    int rc = 1;
    if (conf == NULL || !json_is_array(files))
        rc = we_fail(err, WE_EINVAL,
                     "%s: not a wijkeval marker (%s); remove it only if "
                     "this directory holds nothing of yours",
                     path, root == NULL ? jerr.text : "no config or files");
    for (size_t i = 0; rc == 1 && i < json_array_size(files); i++) {
        const char *name = json_string_value(json_array_get(files, i));
        if (name != NULL && add_file(o, name) != 0)
            rc = no_memory(o, err);
    }
    if (rc == 1 && (*owner = we_strdup(conf)) == NULL)
        rc = no_memory(o, err);
    json_decref(root);
    free(path);
    return rc;
}

/* ---- the owner ------------------------------------------------------------ */

static int refuse_other(const we_output *o, const char *other, we_error *err)
{
    return we_fail(err, WE_EINVAL,
                   "%s: holds a report of another config: %s; choose "
                   "another output directory, or pass --force to replace "
                   "it",
                   o->dir, other);
}

/* A report.json without a marker, from before the marker existed: its
 * files become the manifest when its config is this one (same SHA-256,
 * or the same file when it recorded an absolute path) or with force. */
static int adopt_legacy(we_output *o, int force, we_error *err)
{
    char *path = in_dir(o->canon, "report.json");
    if (path == NULL)
        return no_memory(o, err);
    json_error_t jerr;
    json_t *root = json_load_file(path, 0, &jerr);
    free(path);
    json_t *run = json_object_get(root, "run");
    const char *sha = json_string_value(json_object_get(run, "config_sha256"));
    const char *conf = json_string_value(json_object_get(run, "config"));
    char *real = conf != NULL && conf[0] == '/' ? realpath(conf, NULL) : NULL;
    int rc = 0;
    if (sha == NULL)
        rc = we_fail(err, WE_EINVAL,
                     "%s: holds a report.json that is not a wijkeval "
                     "report; move it away, or choose another output "
                     "directory",
                     o->dir);
    else if (!force && strcmp(sha, o->sha) != 0 &&
             (real == NULL || strcmp(real, o->config) != 0))
        rc = refuse_other(o, conf != NULL ? conf : "(path not recorded)",
                          err);
    for (size_t i = 0; rc == 0 && i < N_LEGACY; i++)
        if (exists_in(o->canon, legacy_names[i]) &&
            add_file(o, legacy_names[i]) != 0)
            rc = no_memory(o, err);
    free(real);
    json_decref(root);
    return rc;
}

/* A directory that existed, has neither marker nor report.json, and is
 * not empty holds the user's files: not a place for a report. */
static int refuse_foreign_dir(const we_output *o, we_error *err)
{
    if (o->made_top != NULL || exists_in(o->canon, WE_OUTPUT_MARKER) ||
        exists_in(o->canon, "report.json"))
        return 0;
    /* A run that holds the lock may be writing the first marker: the
     * check under the lock decides. */
    if (o->lock_fd < 0 && exists_in(o->canon, WE_OUTPUT_LOCK))
        return 0;
    char *first = first_entry(o->canon);
    if (first == NULL)
        return 0;
    we_fail(err, WE_EINVAL,
            "%s: holds files that wijkeval did not write (%s, ...) and no "
            "%s; give the report a new or empty directory (-o DIR or "
            "output.dir)",
            o->dir, first, WE_OUTPUT_MARKER);
    free(first);
    return -1;
}

/* Under the lock: whose the directory is, and its manifest. */
static int check_owner_locked(we_output *o, int force, we_error *err)
{
    char *owner = NULL;
    int rc = load_marker(o, &owner, err);
    if (rc < 0)
        return -1;
    if (rc == 1) {
        rc = strcmp(owner, o->config) == 0 || force
                 ? 0
                 : refuse_other(o, owner, err);
        free(owner);
        return rc;
    }
    if (refuse_foreign_dir(o, err) != 0)
        return -1;
    if (exists_in(o->canon, "report.json") && adopt_legacy(o, force, err))
        return -1;
    if (save_marker(o, err) != 0)
        return -1;
    o->own_marker = 1;
    return 0;
}

static int check_owner(we_output *o, int force, we_error *err)
{
    if (set_lock(o->lock_fd, F_WRLCK, MARKER_BYTE, 1) != 0)
        return we_fail(err, WE_EINVAL, "%s: cannot lock %s: %s; use a "
                       "local output directory", o->dir, WE_OUTPUT_LOCK,
                       strerror(errno));
    int rc = check_owner_locked(o, force, err);
    set_lock(o->lock_fd, F_UNLCK, MARKER_BYTE, 0);
    return rc;
}

static const struct {
    unsigned bit;
    const char *name;
} format_files[] = {
    {WE_FORMAT_JSON, "report.json"},
    {WE_FORMAT_CSV, "results.csv"},
    {WE_FORMAT_MD, "report.md"},
    {WE_FORMAT_HTML, "report.html"},
};

static int refuse_foreign(const we_output *o, const char *name,
                          we_error *err)
{
    return we_fail(err, WE_EINVAL,
                   "%s/%s: exists and wijkeval did not write it, so it is "
                   "not replaced; move it away, or choose another output "
                   "directory (-o DIR)",
                   o->dir, name);
}

/* Refused before the run rather than after it: a file of the user's
 * where the report's main files go. */
static int check_targets(const we_output *o, unsigned formats, we_error *err)
{
    for (size_t i = 0; i < sizeof format_files / sizeof *format_files; i++)
        if ((formats & format_files[i].bit) &&
            exists_in(o->canon, format_files[i].name) &&
            !listed(o, format_files[i].name))
            return refuse_foreign(o, format_files[i].name, err);
    return 0;
}

static char *config_path(const we_config *cfg)
{
    char *real = realpath(cfg->path, NULL);
    return real != NULL ? real : we_path_canonical(cfg->path);
}

int we_output_claim(we_output *o, const char *dir, const we_config *cfg,
                    int force, int shared, unsigned formats, we_error *err)
{
    memset(o, 0, sizeof *o);
    o->lock_fd = -1;
    o->shared = shared;
    o->dir = we_strdup(dir);
    o->canon = we_path_canonical(dir);
    o->config = config_path(cfg);
    snprintf(o->sha, sizeof o->sha, "%s", cfg->config_sha256);
    if (o->dir == NULL || o->canon == NULL || o->config == NULL) {
        we_fail(err, WE_ENOMEM, "%s: out of memory", dir);
        goto fail;
    }
    if (refuse_system(o, err) != 0)
        goto fail;
    o->made_top = first_missing(o->canon);
    if (we_mkdirs(o->canon, err) != 0)
        goto fail;
    /* Checked before the lock file is made, so that a directory that is
     * not ours is left as it was; checked again under the lock. */
    if (refuse_foreign_dir(o, err) != 0)
        goto fail;
    if (take_lock(o, err) != 0 || check_owner(o, force, err) != 0 ||
        check_targets(o, formats, err) != 0)
        goto fail;
    return 0;
fail:
    we_output_release(o);
    return -1;
}

static int admit_locked(we_output *o, const we_staged_file *files, size_t n,
                        we_error *err)
{
    /* What shards running beside this one have added meanwhile. */
    char *owner = NULL;
    if (load_marker(o, &owner, err) < 0)
        return -1;
    free(owner);
    for (size_t i = 0; i < n; i++) {
        const char *slash = strrchr(files[i].final_path, '/');
        const char *name = slash != NULL ? slash + 1 : files[i].final_path;
        if (exists_in(o->canon, name) && !listed(o, name))
            return refuse_foreign(o, name, err);
    }
    for (size_t i = 0; i < n; i++) {
        const char *slash = strrchr(files[i].final_path, '/');
        if (add_file(o, slash != NULL ? slash + 1 : files[i].final_path))
            return no_memory(o, err);
    }
    /* Listed before they are renamed: a crash in between leaves a name
     * in the manifest, never a file of ours outside it. */
    if (save_marker(o, err) != 0)
        return -1;
    o->written = 1;
    return 0;
}

int we_output_admit(we_output *o, const we_staged_file *files, size_t n,
                    we_error *err)
{
    if (set_lock(o->lock_fd, F_WRLCK, MARKER_BYTE, 1) != 0)
        return we_fail(err, WE_EINVAL, "%s: cannot lock %s: %s; use a "
                       "local output directory", o->dir, WE_OUTPUT_LOCK,
                       strerror(errno));
    int rc = admit_locked(o, files, n, err);
    set_lock(o->lock_fd, F_UNLCK, MARKER_BYTE, 0);
    return rc;
}

static void remove_in(const char *dir, const char *name)
{
    char *p = in_dir(dir, name);
    if (p != NULL)
        unlink(p);
    free(p);
}

/* A run that wrote nothing leaves nothing: its marker (when it wrote
 * the first), its lock file and the directories it made. The lock is
 * still held while the files go, and closing it releases it; a shard
 * leaves them to the shards beside it. */
static void undo(we_output *o)
{
    if (set_lock(o->lock_fd, F_WRLCK, RUN_BYTE, 0) != 0)
        return;
    if (o->own_marker && o->n_files == 0)
        remove_in(o->canon, WE_OUTPUT_MARKER);
    if (o->made_top == NULL)
        return;
    remove_in(o->canon, WE_OUTPUT_LOCK);
    char *p = we_strdup(o->canon);
    size_t top = strlen(o->made_top);
    while (p != NULL && strlen(p) >= top && rmdir(p) == 0) {
        char *slash = strrchr(p, '/');
        if (slash == NULL || slash == p)
            break;
        *slash = '\0';
    }
    free(p);
}

void we_output_release(we_output *o)
{
    if (o->canon != NULL && !o->written && o->lock_fd >= 0)
        undo(o);
    if (o->lock_fd >= 0)
        close(o->lock_fd);
    for (size_t i = 0; i < o->n_files; i++)
        free(o->files[i]);
    free(o->files);
    free(o->dir);
    free(o->canon);
    free(o->config);
    free(o->made_top);
    memset(o, 0, sizeof *o);
    o->lock_fd = -1;
}
