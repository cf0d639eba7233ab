/* `wijkeval new-plugin ID [--dir DIR]`: writes a plugin skeleton that
 * builds against the installed SDK, passes its unit test and runs in an
 * evaluation as it is (the templates: core/templates/new-plugin/). */
/* realpath() is an X/Open extension of POSIX. */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "cli/cli_new.h"
#include "host/loader.h"
#include "util/error.h"

static const char new_usage[] =
    "usage: wijkeval new-plugin ID [--dir DIR] [--maintainer TEXT]\n"
    "Writes the skeleton of an experiment plugin that builds, passes its\n"
    "unit test and runs as it is:\n"
    "  DIR/ID.c        the plugin: descriptor, one indicator, one domain\n"
    "                  metric, a comment on every callback\n"
    "  DIR/test_ID.c   its cmocka unit test on the mock host\n"
    "  DIR/Makefile    make, make test, make check, make run (pkg-config)\n"
    "  DIR/ID.cfg      a config with the demo panel, the seven experiments\n"
    "                  and ID\n"
    "  ID              the plugin id: a-z, 0-9 and _, at most 64\n"
    "  --dir DIR       where to write (default ./ID); made if missing\n"
    "  --maintainer T  the descriptor's maintainer, e.g. \"Gemeente\n"
    "                  Utrecht, wijkaanpak@utrecht.nl\"\n"
    "Existing files are never overwritten.\n";

enum { N_VARS = 8 };

typedef struct new_opts {
    const char *id, *dir, *maintainer;
} new_opts;

/* ---- text ----------------------------------------------------------- */

typedef struct buf {
    char *s;
    size_t n, cap;
} buf;

static int put(buf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        size_t cap = 2 * (b->n + n + 1);
        char *p = realloc(b->s, cap);
        if (p == NULL)
            return -1;
        b->s = p;
        b->cap = cap;
    }
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = '\0';
    return 0;
}

/* The variable whose @KEY@ starts `text`, or N_VARS. */
static size_t var_at(const char *text, const char *const vars[][2])
{
    size_t k = 0;
    while (k < N_VARS &&
           strncmp(text, vars[k][0], strlen(vars[k][0])) != 0)
        k++;
    return k;
}

/* A copy of `text` with every @KEY@ of vars replaced by its value; NULL
 * when out of memory. */
static char *expand(const char *text, const char *const vars[][2])
{
    buf b = {NULL, 0, 0};
    int rc = put(&b, "", 0);
    while (rc == 0 && *text) {
        size_t k = var_at(text, vars);
        if (k < N_VARS) {
            rc = put(&b, vars[k][1], strlen(vars[k][1]));
            text += strlen(vars[k][0]);
        } else {
            rc = put(&b, text++, 1);
        }
    }
    if (rc != 0) {
        free(b.s);
        return NULL;
    }
    return b.s;
}

/* `s` for the inside of a C or libconfig string literal: quotes and
 * backslashes escaped. */
static char *escaped(const char *s)
{
    buf b = {NULL, 0, 0};
    int rc = put(&b, "", 0);
    for (; rc == 0 && *s; s++) {
        if (*s == '"' || *s == '\\')
            rc = put(&b, "\\", 1);
        if (rc == 0)
            rc = put(&b, s, 1);
    }
    if (rc != 0) {
        free(b.s);
        return NULL;
    }
    return b.s;
}

/* "externe_partners" -> "Externe partners". */
static void title_of(const char *id, char *out, size_t n)
{
    snprintf(out, n, "%s", id);
    for (char *c = out; *c; c++)
        if (*c == '_')
            *c = ' ';
    if (out[0] >= 'a' && out[0] <= 'z')
        out[0] = (char)(out[0] - 'a' + 'A');
}

/* ---- arguments ------------------------------------------------------ */

static int usage_error(const char *fmt, ...) WE_PRINTF(1, 2);
static int usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("wijkeval new-plugin: ", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n\n%s", new_usage);
    return 2;
}

/* 0 to go on, else the exit code. */
static int parse_args(int argc, char **argv, new_opts *o)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(new_usage, stdout);
            return -1;
        }
        if (strcmp(a, "--dir") == 0 && i + 1 < argc) {
            o->dir = argv[++i];
        } else if (strcmp(a, "--maintainer") == 0 && i + 1 < argc) {
            o->maintainer = argv[++i];
        } else if (a[0] != '-' && o->id == NULL) {
            o->id = a;
        } else {
            return usage_error("unexpected '%s'", a);
        }
    }
    if (o->id == NULL)
        return usage_error("no ID given");
    if (!we_plugin_id_valid(o->id))
        return usage_error("'%s' is not a plugin id: use lower-case "
                           "letters, digits and '_', at most 64 "
                           "characters (it names the file ID.so)", o->id);
    for (const char *c = o->maintainer; c != NULL && *c; c++)
        if ((unsigned char)*c < 0x20)
            return usage_error("--maintainer '%s' has a control "
                               "character; give one line of text",
                               o->maintainer);
    return 0;
}

/* ---- files ---------------------------------------------------------- */

/* Creates dir unless it is a directory already; *made = 1 when created. */
static int make_dir(const char *dir, int *made)
{
    struct stat st;
    *made = 0;
    if (stat(dir, &st) == 0) {
        if (S_ISDIR(st.st_mode))
            return 0;
        fprintf(stderr, "wijkeval new-plugin: %s exists and is not a "
                        "directory; choose another --dir\n", dir);
        return -1;
    }
    if (mkdir(dir, 0777) != 0) {
        fprintf(stderr, "wijkeval new-plugin: cannot create %s: %s\n", dir,
                strerror(errno));
        return -1;
    }
    *made = 1;
    return 0;
}

static int write_file(const char *path, const char *text)
{
    /* "x": the file must not exist, even if it appeared since the check. */
    FILE *f = fopen(path, "wx");
    if (f == NULL) {
        fprintf(stderr, "wijkeval new-plugin: cannot create %s: %s\n", path,
                strerror(errno));
        return -1;
    }
    int bad = fputs(text, f) == EOF;
    if (fclose(f) != 0 || bad) {
        fprintf(stderr, "wijkeval new-plugin: cannot write %s: %s\n", path,
                strerror(errno));
        remove(path); /* created above: ours to remove */
        return -1;
    }
    return 0;
}

enum { MAX_FILES = 8 };

typedef struct skeleton {
    char *path[MAX_FILES]; /* one per template */
    char *text[MAX_FILES];
    size_t n;
} skeleton;

static void skeleton_free(skeleton *s)
{
    for (size_t k = 0; k < s->n; k++) {
        free(s->path[k]);
        free(s->text[k]);
    }
}

/* Expands every template; refuses when one of the files exists. */
static int prepare(skeleton *s, const char *dir, const char *const vars[][2])
{
    if (we_n_new_plugin_templates > MAX_FILES) {
        fprintf(stderr, "wijkeval new-plugin: %zu templates, room for %d\n",
                we_n_new_plugin_templates, MAX_FILES);
        return -1;
    }
    for (size_t k = 0; k < we_n_new_plugin_templates; k++) {
        const we_template *t = &we_new_plugin_templates[k];
        char *name = expand(t->name, vars);
        size_t n = name ? strlen(dir) + strlen(name) + 2 : 0;
        s->path[k] = name ? malloc(n) : NULL;
        s->text[k] = expand(t->text, vars);
        s->n = k + 1;
        if (s->path[k] != NULL)
            snprintf(s->path[k], n, "%s/%s", dir, name);
        free(name);
        if (s->path[k] == NULL || s->text[k] == NULL) {
            fprintf(stderr, "wijkeval new-plugin: out of memory\n");
            return -1;
        }
        struct stat st;
        if (lstat(s->path[k], &st) == 0) {
            fprintf(stderr, "wijkeval new-plugin: %s exists; new-plugin "
                            "never overwrites a file: move it away or "
                            "choose another --dir\n", s->path[k]);
            return -1;
        }
    }
    return 0;
}

/* Writes every file, or none: a failure removes what was written. */
static int write_all(const skeleton *s, const char *dir)
{
    int made;
    if (make_dir(dir, &made) != 0)
        return -1;
    for (size_t k = 0; k < s->n; k++)
        if (write_file(s->path[k], s->text[k]) != 0) {
            for (size_t j = 0; j < k; j++)
                remove(s->path[j]);
            if (made)
                remove(dir);
            return -1;
        }
    return 0;
}

/* The demo panel's directory, escaped for the config; a placeholder to
 * edit when wijkeval has none next to it. */
static char *demo_dir(void)
{
    char *areas = we_cli_data_file("data/demo/areas.csv");
    if (areas == NULL) {
        fprintf(stderr, "wijkeval new-plugin: no demo panel next to "
                        "wijkeval; edit the data paths of the config\n");
        return we_strdup("share/wijkeval/data/demo");
    }
    *strrchr(areas, '/') = '\0';
    /* bin/../share/...: the config is easier to read without the detour. */
    char *canon = realpath(areas, NULL);
    char *e = escaped(canon ? canon : areas);
    free(canon);
    free(areas);
    return e;
}

/* A growing string for demo_config. */
typedef struct text_buf {
    char *s;
    size_t n, cap;
    int bad;
} text_buf;

static void add(text_buf *b, const char *s, size_t n)
{
    if (b->bad)
        return;
    if (b->n + n + 1 > b->cap) {
        size_t cap = 2 * (b->n + n + 1);
        char *p = realloc(b->s, cap);
        if (p == NULL) {
            b->bad = 1;
            return;
        }
        b->s = p;
        b->cap = cap;
    }
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = '\0';
}

static void adds(text_buf *b, const char *s)
{
    add(b, s, strlen(s));
}

/* One line of the demo config as the new plugin's config has it: its
 * name, the output in the plugin's directory, paths "../x" made absolute
 * from the demo config's directory `up` (so that they work from where the
 * config is written), and the new experiment after the seven. */
static void demo_line(text_buf *b, const char *line, size_t n, const char *up,
                      const char *id, int *in_experiments)
{
    char head[32];
    snprintf(head, sizeof head, "%.*s", (int)(n < 31 ? n : 31), line);
    if (strncmp(head, "name = ", 7) == 0) {
        adds(b, "name = \"");
        adds(b, id);
        adds(b, "\";\n");
        return;
    }
    if (strncmp(head, "experiments = (", 15) == 0)
        *in_experiments = 1;
    if (*in_experiments && strncmp(head, ");", 2) == 0) {
        /* The last experiment of the seven gets its comma. */
        while (b->n > 0 && b->s[b->n - 1] == '\n')
            b->n--;
        adds(b, ",\n  # The new experiment; its settings group holds the "
                "keys it declares.\n  { plugin = \"");
        adds(b, id);
        adds(b, "\"; settings = { min_wijken = 5; }; }\n");
        *in_experiments = 0;
    }
    int output = strncmp(head, "output = {", 10) == 0;
    for (size_t k = 0; k < n; k++) {
        if (line[k] == '"' && k + 3 < n &&
            strncmp(line + k + 1, "../", 3) == 0) {
            adds(b, "\"");
            if (!output) {
                adds(b, up);
                adds(b, "/");
            }
            k += 3;
            continue;
        }
        add(b, line + k, 1);
    }
}

/* The demo's config (configs/demo.cfg next to wijkeval) with the new
 * experiment added, so that the seven's numbers are the demo report's;
 * NULL with a message when there is none. */
static char *demo_config(const char *id)
{
    char *path = we_cli_data_file("configs/demo.cfg");
    FILE *f = path ? fopen(path, "r") : NULL;
    if (f == NULL) {
        fprintf(stderr, "wijkeval new-plugin: no configs/demo.cfg next to "
                        "wijkeval (is it installed?)\n");
        free(path);
        return NULL;
    }
    *strrchr(path, '/') = '\0';
    char *up_raw = malloc(strlen(path) + 4);
    char *up = NULL;
    if (up_raw != NULL) {
        sprintf(up_raw, "%s/..", path);
        up = realpath(up_raw, NULL);
    }
    char *up_esc = escaped(up ? up : up_raw ? up_raw : ".");
    text_buf b = {0};
    char line[4096];
    int in_experiments = 0;
    while (up_esc != NULL && fgets(line, sizeof line, f) != NULL)
        demo_line(&b, line, strlen(line), up_esc, id, &in_experiments);
    fclose(f);
    free(path);
    free(up_raw);
    free(up);
    free(up_esc);
    if (b.bad || b.s == NULL) {
        free(b.s);
        fprintf(stderr, "wijkeval new-plugin: out of memory\n");
        return NULL;
    }
    return b.s;
}

/* The maintainer as a C expression: a string literal, or NULL. */
static char *maintainer_value(const char *m)
{
    if (m == NULL)
        return we_strdup("NULL");
    char *e = escaped(m);
    size_t n = e ? strlen(e) + 3 : 0;
    char *v = e ? malloc(n) : NULL;
    if (v != NULL)
        snprintf(v, n, "\"%s\"", e);
    free(e);
    return v;
}

static void print_next(const skeleton *s, const char *dir)
{
    printf("wrote the plugin skeleton:\n");
    for (size_t k = 0; k < s->n; k++)
        printf("  %s\n", s->path[k]);
    printf("next:\n"
           "  cd %s\n"
           "  make && make test   build the plugin, run its unit test\n"
           "  make check          wijkeval check-plugin on it\n"
           "  make run            evaluate the demo panel with it\n"
           "The SDK is found with pkg-config (wijkeval-plugin, "
           "wijkeval-plugin-test).\n",
           dir);
}

int we_cli_new_plugin(int argc, char **argv)
{
    new_opts o = {NULL, NULL, NULL};
    int rc = parse_args(argc, argv, &o);
    if (rc != 0)
        return rc < 0 ? 0 : rc;
    const char *dir = o.dir ? o.dir : o.id;
    char title[80];
    title_of(o.id, title, sizeof title);
    char *demo = demo_dir();
    char *maint = maintainer_value(o.maintainer);
    char *config = demo_config(o.id);
    skeleton s = {{NULL}, {NULL}, 0};
    rc = 2;
    if (config == NULL) {
        /* said why */
    } else if (demo != NULL && maint != NULL) {
        const char *const vars[N_VARS][2] = {
            {"@ID@", o.id},
            {"@TITLE@", title},
            {"@SUMMARY@", "Did residents of the treated wijken become more "
                          "satisfied with their residential environment "
                          "than those of comparable wijken?"},
            {"@VERSION@", WE_VERSION},
            {"@DEMO@", demo},
            {"@MAINTAINER@", maint},
            {"@DEMO_CONFIG@", config},
            {"@SUMMARY_NL@", "Werden bewoners van de aangepakte wijken "
                             "tevredener met hun woonomgeving dan die van "
                             "vergelijkbare wijken?"},
        };
        if (prepare(&s, dir, vars) == 0 && write_all(&s, dir) == 0) {
            print_next(&s, dir);
            rc = 0;
        }
    } else {
        fprintf(stderr, "wijkeval new-plugin: out of memory\n");
    }
    skeleton_free(&s);
    free(demo);
    free(maint);
    free(config);
    return rc;
}
