#!/usr/bin/env bash
# golden.test.sh — the golden audit (tests/golden/audit.test.sh: the same
# inputs and options, run from its directory with relative paths, which
# the provenance records as given) through R: results.json and every
# table byte-identical to the CLI's and to expected.*; the data frames
# equal read.csv of the expected files; a data frame input gives the same
# tables and headline as the file.
# Usage: bash golden.test.sh STEERWATCH_BIN SOURCE_DIR SCRATCH_DIR
set -u
bin=$(realpath "$1") src=$(realpath "$2") scratch=$(realpath -m "$3")
source "$src/tests/r/install.sh"
source "$src/tests/golden/audit_args.sh"
dir=$src/tests/golden/audit_small
cd "$dir" || exit 1
files="results.json regions.csv flagged.csv rejects.csv coefficients.csv
  periods.csv weekly.csv facilities.csv"
fails=0

# The package ships these inputs for its examples: they must be these.
for f in records.csv attrs.csv regions.geojson; do
  cmp -s "$f" "$src/r/inst/extdata/$f" ||
    { echo "FAIL: r/inst/extdata/$f differs from $f"; fails=$((fails + 1)); }
done

"$bin" audit "${golden_audit_args[@]}" --out "$scratch/cli" 2>"$scratch/cli.stderr" ||
  { echo "FAIL: CLI audit"; cat "$scratch/cli.stderr"; exit 1; }

OUT=$scratch/r Rscript - >"$scratch/r.log" 2>&1 <<'RSCRIPT'
library(steerwatch)
a <- audit("records.csv", regions = "regions.geojson", region_id = "code",
           attrs = "attrs.csv", target = c("sanctuary=yes", "population=1000"),
           covariate = "population",
           event = c("2021-03-01:policy", "2021-05-15"), window = 4,
           seed = 1, threads = 2, out = Sys.getenv("OUT"))

# Each table equals read.csv of the expected file, read as audit() reads
# it: ids and text as character, dates as Date.
expected <- function(name, text, dates = character()) {
  f <- paste0("expected.", name, ".csv")
  header <- names(read.csv(f, nrows = 1, check.names = FALSE))
  x <- read.csv(f, check.names = FALSE, na.strings = character(0),
                colClasses = ifelse(header %in% c(text, dates), "character",
                                    NA_character_))
  for (d in dates) x[[d]] <- as.Date(x[[d]])
  x
}
want <- list(
  coefficients = expected("coefficients", c("target", "name")),
  periods = expected("periods", c("target", "reason"), c("from", "to")),
  weekly = expected("weekly", "target", "week"),
  regions = expected("regions", c("region", "target")),
  facilities = expected("facilities", c("target", "facility")),
  flagged = expected("flagged", c("id", "facility", "release_region",
                                  "ties_region", "reason"), "date"),
  rejects = expected("rejects", c("column", "reason", "raw")))
bad <- 0
for (t in names(want)) {
  if (!identical(as.data.frame(a[[t]]), want[[t]])) {
    cat("FAIL: a$", t, " differs from read.csv(expected.", t, ".csv)\n",
        sep = "")
    print(all.equal(as.data.frame(a[[t]]), want[[t]]))
    bad <- bad + 1
  }
}
json <- readBin("expected.results.json", "raw", 1e6)
if (!identical(charToRaw(a$results_json), json)) {
  cat("FAIL: a$results_json differs from expected.results.json\n")
  bad <- bad + 1
}

# The same records and attributes as data frames: the same numbers (the
# provenance names the temporary files, so results.json is not compared).
recs <- read.csv("records.csv",
                 colClasses = c(id = "character", release_region = "character",
                                ties_region = "character",
                                facility = "character"))
recs$date <- as.Date(recs$date, format = "%Y-%m-%d")
attrs <- read.csv("attrs.csv", colClasses = "character")
b <- audit(recs, regions = "regions.geojson", region_id = "code",
           attrs = attrs, target = c("sanctuary=yes", "population=1000"),
           covariate = "population",
           event = c("2021-03-01:policy", "2021-05-15"), window = 4,
           seed = 1, threads = 2)
for (t in c("headline", "coefficients", "periods", "weekly", "regions",
            "facilities", "flagged")) {
  if (!identical(b[[t]], a[[t]])) {
    cat("FAIL: data frame input: ", t, " differs from the file's\n", sep = "")
    print(all.equal(b[[t]], a[[t]]))
    bad <- bad + 1
  }
}
# The bad date becomes NA in the data frame: rejected as empty, same line.
if (!identical(b$rejects$line, a$rejects$line) ||
    !identical(b$counts, a$counts)) {
  cat("FAIL: data frame input: counts or rejects differ\n")
  bad <- bad + 1
}
print(a$headline)
if (bad > 0) quit(status = 1)
cat("R golden: tables, headline and data frame input agree\n")
RSCRIPT
rc=$?
cat "$scratch/r.log" | grep -v -e '^$' -e 'masked from' -e '^    assign$' -e "^Attaching package"
[[ $rc == 0 ]] || fails=$((fails + 1))

for f in $files; do
  [[ -f $scratch/r/$f ]] || { echo "FAIL: R wrote no $f"; fails=$((fails + 1)); continue; }
  if ! cmp -s "$scratch/r/$f" "$dir/expected.$f"; then
    echo "FAIL: R's $f differs from expected.$f:"
    diff "$dir/expected.$f" "$scratch/r/$f" | head -20
    fails=$((fails + 1))
  fi
  if ! cmp -s "$scratch/r/$f" "$scratch/cli/$f"; then
    echo "FAIL: R's $f differs from the CLI's"
    fails=$((fails + 1))
  fi
done
[[ $fails == 0 ]] || exit 1
echo "r golden: results.json and every table byte-identical to the CLI's and expected"
