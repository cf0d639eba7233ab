#!/bin/sh
# The plugin sandbox (issue 21, host/sandbox.h) against hostile plugins
# built out of tree against the installed SDK, run next to the seven: one
# reads /etc/passwd and the run's own data file by path, one connects to
# a listening socket on 127.0.0.1, one writes a file under $TMP, one runs
# /bin/sh, one forks, and one tries from a constructor. Each attempt fails
# (nothing read, no connection, no file), the report names what was
# tried, and the seven's results equal a run without them. Then
# isolation.sandbox = "off", check-plugin, and a kernel without Landlock
# (strict refuses; --allow-unsandboxed runs and says so).
. "$(dirname "$0")/lib.sh"

probe=$TMP/probe.c
cat >"$probe" <<'EOF'
#include <linux/landlock.h>
#include <sys/syscall.h>
#include <unistd.h>
int main(void)
{
    return syscall(SYS_landlock_create_ruleset, (void *)0, 0,
                   LANDLOCK_CREATE_RULESET_VERSION) < 1;
}
EOF
if ! cc -o "$TMP/probe" "$probe" 2>/dev/null || ! "$TMP/probe"; then
    ok "skipped: this kernel has no Landlock (docs/reliability.md)"
    exit 0
fi

. "$(dirname "$0")/sdk_env"

SEVEN="bewonersparticipatie samenhang slagkracht achter_de_voordeur bureaucratie gezonde_wijk vernieuwend_welzijn"
HOSTILE="hx_read hx_socket hx_write hx_sh hx_fork"
MARK=$TMP/marks
mkdir "$MARK"

# A listener on 127.0.0.1 that logs every connection it accepts.
python3 - "$TMP/port" "$TMP/connections" <<'EOF' &
import socket, sys
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(8)
open(sys.argv[1] + ".tmp", "w").write(str(s.getsockname()[1]))
import os
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
while True:
    c, _ = s.accept()
    open(sys.argv[2], "a").write("connected\n")
    c.close()
EOF
LISTENER=$!
trap 'kill "$LISTENER" 2>/dev/null; rm -rf "$TMP"' EXIT
i=0
while [ ! -s "$TMP/port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
PORT=$(cat "$TMP/port") || fail "the listener did not start"
# The listener works: a connection from here is logged.
python3 -c 'import socket,sys; socket.create_connection(("127.0.0.1", int(sys.argv[1]))).close()' "$PORT"
i=0
while [ ! -s "$TMP/connections" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
[ "$(wc -l <"$TMP/connections")" -eq 1 ] || fail "the listener logs no connection"
rm "$TMP/connections"
ok "a listener on 127.0.0.1:$PORT logs connections"

# ---- the hostile plugins, out of tree, against the installed header -------
mkdir "$TMP/hx"
cat >"$TMP/hx/hostile.c" <<'EOF'
/* What a hostile plugin tries (ACTION), from evaluate, or from a
 * constructor with CTOR. Whatever works leaves a mark in MARK. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <wijkeval/plugin.h>

static char said[512];

static void mark(const char *what)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", MARK, what);
    FILE *f = fopen(p, "w");
    if (f != NULL)
        fclose(f);
}

static void try_read(const char *path)
{
    char buf[64];
    int fd = open(path, O_RDONLY);
    size_t len = strlen(said);
    if (fd >= 0 && read(fd, buf, sizeof buf) > 0) {
        snprintf(said + len, sizeof said - len, "READ %s; ", path);
        mark("read");
    } else {
        snprintf(said + len, sizeof said - len, "cannot read %s: %s; ",
                 path, strerror(errno));
    }
    if (fd >= 0)
        close(fd);
}

static void attack(void)
{
    if (ACTION == 1) {
        try_read("/etc/passwd");
        try_read(DATA);
    } else if (ACTION == 2) {
        int s = socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in a = {.sin_family = AF_INET,
                                .sin_port = htons(PORT)};
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (s >= 0 && connect(s, (struct sockaddr *)&a, sizeof a) == 0)
            mark("connected");
    } else if (ACTION == 3) {
        char p[512];
        snprintf(p, sizeof p, "%s/written", MARK);
        FILE *f = fopen(p, "w");
        if (f != NULL)
            fclose(f);
    } else if (ACTION == 4) {
        char cmd[600];
        snprintf(cmd, sizeof cmd, "touch %s/sh_ran", MARK);
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
    } else if (ACTION == 5) {
        pid_t p = fork();
        if (p == 0) {
            mark("forked");
            _exit(0);
        }
        if (p > 0)
            waitpid(p, NULL, 0);
    }
}

#ifdef CTOR
__attribute__((constructor)) static void ctor(void)
{
    attack();
}
#endif

static const we_indicator_spec indicators[] = {
    {"sociale_cohesie_score", WE_ROLE_PRIMARY, WE_HIGHER_IS_BETTER},
};

static int evaluate(const we_host *host, we_ctx *ctx, void *state)
{
    (void)state;
#ifndef CTOR
    attack();
#endif
    return host->fail(ctx, "after the attempt: %s", said);
}

static const we_plugin_descriptor descriptor = {
    WE_DESCRIPTOR_HEADER,
    .id = ID,
    .title_nl = "Vijandig",
    .title_en = "Hostile",
    .version = "1.0.0",
    .summary = "Tries what a plugin may not.",
    .indicators = indicators,
    .n_indicators = 1,
    .evaluate = evaluate,
};

WE_PLUGIN_DEFINE(descriptor)
EOF
build() { # id action [extra flags]
    id=$1
    act=$2
    shift 2
    cc $(pkg-config --cflags wijkeval-plugin) -shared -fPIC \
        -DID="\"$id\"" -DACTION="$act" -DMARK="\"$MARK\"" \
        -DDATA="\"$DEMO/indicators.csv\"" -DPORT="$PORT" "$@" \
        -o "$TMP/hx/$id.so" "$TMP/hx/hostile.c" ||
        fail "cannot build $id out of tree"
}
build hx_read 1
build hx_socket 2
build hx_write 3
build hx_sh 4
build hx_fork 5
# From a constructor: the file write (the others are the same calls).
build hx_ctor 3 -DCTOR
ok "built out of tree with pkg-config: $HOSTILE hx_ctor"

# The demo config (without its costs and targets, which name the seven)
# with other experiments.
config() { # file, then the experiments' plugin ids
    out=$1
    shift
    {
        sed -n '/^experiments = (/q;p' configs/demo.cfg |
            sed "s|\.\./data/demo|$DEMO|g; s|\"\.\./out\"|\"$TMP/out\"|" |
            sed '/^ *costs = /d; /^ *targets = /d; /^ *assignment = /d'
        echo "experiments = ("
        sep=""
        for id in "$@"; do
            printf '%s  { plugin = "%s"; }' "$sep" "$id"
            sep=",
"
        done
        printf '\n);\n'
    } >"$out"
}
config "$TMP/clean.cfg" $SEVEN
config "$TMP/hostile.cfg" $SEVEN $HOSTILE

expect_exit 0 "$W" run "$TMP/clean.cfg" -q -o "$TMP/clean"
expect_exit 1 "$W" run "$TMP/hostile.cfg" -q -o "$TMP/hostile" \
    --plugin-dir "$TMP/hx"
for m in read connected written sh_ran forked; do
    expect_absent "$MARK/$m"
done
[ ! -e "$TMP/connections" ] || fail "the listener was connected to"
ok "no connection reached the listener"

R=$TMP/hostile/demo/report.json
pycheck "what each hostile plugin tried" '
import json, sys
r = json.load(open(sys.argv[1]))
data = sys.argv[2]
want = {
    "hx_read": ["cannot read /etc/passwd: Permission denied",
                "cannot read %s: Permission denied" % data],
    "hx_socket": ["the plugin tried to open a network socket (socket)",
                  "the sandbox refused it"],
    "hx_write": ["the plugin tried to write or change a file (open",
                 "/written)"],
    "hx_sh": ["the plugin tried to start a program (execve /bin/sh)"],
    "hx_fork": ["the plugin tried to create a process (clone)"],
}
exps = {e["id"]: e for e in r["experiments"]}
for id, texts in want.items():
    err = exps[id].get("error") or ""
    if exps[id]["status"] != "failed":
        sys.exit("%s: %s, not failed" % (id, exps[id]["status"]))
    for t in texts:
        if t not in err:
            sys.exit("%s: error %r lacks %r" % (id, err, t))
    print("ok   %s: %s" % (id, err))
if "READ" in exps["hx_read"]["error"]:
    sys.exit("hx_read read a file")
if r["run"]["isolation"] != {"enabled": True, "sandbox": "strict"}:
    sys.exit("run.isolation is %r" % r["run"]["isolation"])
print("ok   run.isolation: strict")
' "$R" "$DEMO/indicators.csv"

pycheck "the seven next to the hostile plugins equal a clean run" '
import json, sys
a = json.load(open(sys.argv[1]))
b = json.load(open(sys.argv[2]))
ea = {e["id"]: e for e in a["experiments"]}
eb = {e["id"]: e for e in b["experiments"]}
for id in sys.argv[3].split():
    if ea[id] != eb[id]:
        sys.exit("%s differs from the clean run" % id)
print("ok   the seven equal the clean run")
' "$TMP/clean/demo/report.json" "$R" "$SEVEN"

# ---- a constructor: the sandbox is entered before the plugin is loaded --
config "$TMP/ctor.cfg" samenhang hx_ctor
expect_exit 1 "$W" run "$TMP/ctor.cfg" -q -o "$TMP/ctor" --plugin-dir "$TMP/hx"
expect_absent "$MARK/written"
expect_contains "$TMP/ctor/demo/report.json" \
    "while loading the plugin: the plugin tried to write or change a file (open"
# wijkeval plugins loads it in the sandbox too.
expect_exit 0 "$W" plugins --plugin-dir "$TMP/hx"
expect_contains "$STDOUT" "hx_ctor.so" "(refused)" \
    "the plugin tried to write or change a file (open"
expect_absent "$MARK/written"

# ---- isolation.sandbox = "off": runs unsandboxed, and says so --------------
config "$TMP/off.cfg" hx_read
echo 'isolation = { sandbox = "off"; };' >>"$TMP/off.cfg"
expect_exit 1 "$W" run "$TMP/off.cfg" -o "$TMP/off" --plugin-dir "$TMP/hx"
expect_stderr 'plugins not sandboxed: isolation.sandbox = "off"'
expect_contains "$TMP/off/demo/report.json" \
    '"sandbox": "off: isolation.sandbox = \"off\""' "READ /etc/passwd"
rm -f "$MARK/read"

# ---- check-plugin: the same sandbox, and what it refused ------------------
expect_exit 1 "$W" check-plugin "$TMP/hx/hx_sh.so"
expect_contains "$STDOUT" "the plugin tried to start a program (execve /bin/sh)"
expect_exit 1 "$W" check-plugin "$TMP/hx/hx_read.so"
expect_contains "$STDOUT" "cannot read /etc/passwd: Permission denied"
expect_absent "$MARK/read"
expect_absent "$MARK/sh_ran"

# ---- a kernel without Landlock: strict refuses, unless allowed -------------
# nolandlock runs a command with landlock_create_ruleset failing ENOSYS,
# as on a kernel built without it.
cat >"$TMP/nolandlock.c" <<'EOF'
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <unistd.h>
int main(int argc, char **argv)
{
    scmp_filter_ctx f = seccomp_init(SCMP_ACT_ALLOW);
    if (argc < 2 || f == NULL ||
        seccomp_rule_add(f, SCMP_ACT_ERRNO(ENOSYS),
                         SCMP_SYS(landlock_create_ruleset), 0) != 0 ||
        seccomp_load(f) != 0)
        return 99;
    execv(argv[1], argv + 1);
    return 98;
}
EOF
cc -o "$TMP/nolandlock" "$TMP/nolandlock.c" $(pkg-config --cflags --libs libseccomp) ||
    fail "cannot build nolandlock"
expect_exit 2 "$TMP/nolandlock" "$W" run "$TMP/clean.cfg" -q -o "$TMP/nl"
expect_stderr "plugins not sandboxed: Landlock is not available" \
    "--allow-unsandboxed"
expect_absent "$TMP/nl"
expect_exit 0 "$TMP/nolandlock" "$W" run "$TMP/clean.cfg" -o "$TMP/nl" \
    --allow-unsandboxed
expect_stderr "plugins not sandboxed: Landlock is not available"
expect_contains "$TMP/nl/demo/report.json" \
    '"sandbox": "off: Landlock is not available'
