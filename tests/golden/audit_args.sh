# audit_args.sh — the golden audit's options, sourced by every test that
# runs it (tests/golden, tests/python, tests/r), so that they audit the
# same thing: run from tests/golden/audit_small with these relative paths,
# as provenance records paths as given.
# shellcheck disable=SC2034
golden_audit_args=(--records records.csv
  --regions regions.geojson --region-id code --attrs attrs.csv
  --target sanctuary=yes --target population=1000 --covariate population
  --event 2021-03-01:policy --event 2021-05-15 --window 4 --seed 1
  --threads 2)
