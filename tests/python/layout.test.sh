#!/usr/bin/env bash
# layout.test.sh — every struct python/steerwatch/_structs.py mirrors has
# the size and field offsets the C compiler gives include/steerwatch.h: a
# wrong ctypes layout corrupts memory instead of failing. A C program made
# from the mirrors' field names prints the compiler's figures. Skipped (77)
# without a C compiler.
# Usage: bash layout.test.sh STEERWATCH_BIN SOURCE_DIR SCRATCH_DIR
source "$(dirname "$0")/venv.sh"
cc=$(command -v cc || command -v gcc || command -v clang) ||
  { echo "SKIP: no C compiler"; exit 77; }
"$py" "$src/tests/python/layout.py" c >"$scratch/layout.c" || exit 1
"$cc" -std=c11 -I"$src/include" -o "$scratch/layout" "$scratch/layout.c" ||
  { echo "FAIL: cannot compile the layout program"; exit 1; }
"$scratch/layout" >"$scratch/c.txt" || exit 1
"$py" "$src/tests/python/layout.py" ctypes >"$scratch/ctypes.txt" || exit 1
# At least every struct's size line, else the comparison proves nothing.
n=$(grep -c ' size ' "$scratch/c.txt")
[[ $n -ge 10 ]] || { echo "FAIL: only $n structs measured"; exit 1; }
diff "$scratch/c.txt" "$scratch/ctypes.txt" ||
  { echo "FAIL: ctypes layouts differ from C's (< C, > ctypes)"; exit 1; }
echo "layout: $n structs, $(wc -l <"$scratch/c.txt") sizes and offsets equal"
