#!/usr/bin/env bash
# The shared library exports only the public sw_ API: internal sw__ helpers
# and file-local functions stay hidden.
set -euo pipefail
bin=$1
lib=$(dirname "$bin")/libsteerwatch.so
[ -f "$lib" ] || { echo "no $lib"; exit 1; }
syms=$(nm -D --defined-only "$lib" | awk '$2 ~ /^[TDBR]$/ {print $3}' |
       grep -vE '^(_init|_fini|_edata|_end|__bss_start)$')
bad=$(printf '%s\n' "$syms" | grep -vE '^sw_[a-z]' || true)
internal=$(printf '%s\n' "$syms" | grep -E '^sw__' || true)
[ -z "$bad$internal" ] || { echo "unexpected exports:"; echo "$bad$internal"; exit 1; }
n=$(printf '%s\n' "$syms" | grep -c '^sw_')
[ "$n" -ge 20 ] || { echo "only $n sw_ exports"; exit 1; }
echo "exports: $n public symbols, all sw_"
