# install.sh — sourced by the R tests: skip (77) without R, then install
# the package from a copy of r/ (configure writes into the tree it runs
# in, and the tests run in parallel) into $scratch/lib against this
# build's libsteerwatch. Sets $lib and $build; expects $bin, $src,
# $scratch.
command -v R >/dev/null && command -v Rscript >/dev/null ||
  { echo "SKIP: R is not installed"; exit 77; }
build=$(dirname "$bin")
[[ -f $build/libsteerwatch.so ]] ||
  { echo "FAIL: no libsteerwatch.so beside $bin"; exit 1; }
rm -rf "$scratch"
mkdir -p "$scratch/lib"
cp -r "$src/r" "$scratch/pkg"
lib=$scratch/lib
STEERWATCH_BUILD=$build R CMD INSTALL -l "$lib" "$scratch/pkg" \
  >"$scratch/install.log" 2>&1 ||
  { echo "FAIL: R CMD INSTALL"; tail -30 "$scratch/install.log"; exit 1; }
export R_LIBS=$lib
