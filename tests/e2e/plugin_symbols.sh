#!/bin/sh
# Every plugin exports exactly one dynamic symbol, the entry point: the rest
# is hidden (-fvisibility=hidden), so two plugins can never clash, and a
# plugin reaches the core only through the host table, never by linking to
# we_* symbols.
. "$(dirname "$0")/lib.sh"

command -v nm >/dev/null || fail "nm (binutils) is not installed"

n=0
for dir in plugins/*/; do
    id=$(basename "$dir")
    ls "$dir"*.c >/dev/null 2>&1 || continue
    so=$WE_BUILD/plugins/$id.so
    [ -f "$so" ] || fail "plugins/$id has sources but $(show "$so") was not built"
    syms=$(nm -D --defined-only "$so" | awk '{ print $2 " " $3 }')
    [ "$syms" = "T wijkeval_plugin_entry" ] ||
        fail "$id.so exports '$(echo "$syms" | tr '\n' ' ')', expected only 'T wijkeval_plugin_entry'"
    ok "$id.so exports only wijkeval_plugin_entry"
    undef=$(nm -D --undefined-only "$so" | awk '$NF ~ /^we_/ { print $NF }')
    [ -z "$undef" ] || fail "$id.so needs core symbols: $undef"
    ok "$id.so needs no we_* symbol of the core"
    n=$((n + 1))
done
[ "$n" -ge 7 ] || fail "found $n plugins under plugins/, expected at least the seven experiments"
ok "all $n plugins checked"
