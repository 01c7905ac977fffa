#!/usr/bin/env bash
# package.test.sh — the R package builds, and `R CMD check` passes with
# Debian's R (no ERROR, no WARNING) without the suggested tibble, sf and
# jsonlite; then it installs into a library of its own and loads from
# there without LD_LIBRARY_PATH (configure's rpath).
# Usage: bash package.test.sh STEERWATCH_BIN SOURCE_DIR SCRATCH_DIR
set -u
bin=$(realpath "$1") src=$(realpath "$2") scratch=$(realpath -m "$3")
source "$src/tests/r/install.sh"
cd "$scratch" || exit 1
export STEERWATCH_BUILD=$build _R_CHECK_FORCE_SUGGESTS_=false
R CMD build --no-build-vignettes pkg >build.log 2>&1 ||
  { echo "FAIL: R CMD build"; cat build.log; exit 1; }
tarball=$(ls steerwatch_*.tar.gz)
R CMD check --no-manual -o "$scratch" "$tarball" >check.log 2>&1
rc=$?
tail -5 check.log
[[ $rc == 0 ]] || { echo "FAIL: R CMD check exit $rc"; cat check.log; exit 1; }
if grep -E '\.\.\. (ERROR|WARNING)$|^Status: .*(ERROR|WARNING)' check.log; then
  echo "FAIL: R CMD check found errors or warnings"
  cat check.log
  exit 1
fi
# Loaded from its own library, by a fresh R that has no LD_LIBRARY_PATH,
# and calling into the library.
got=$(env -u LD_LIBRARY_PATH Rscript -e 'k <- steerwatch::check(
  system.file("extdata", "records.csv", package = "steerwatch"))
  cat(format(utils::packageVersion("steerwatch")), k$read, k$accepted)')
[[ $got == "0.1.0 301 300" ]] || { echo "FAIL: installed package gave '$got'"; exit 1; }
echo "package: R CMD check without errors or warnings; installed 0.1.0"
