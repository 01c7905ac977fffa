# gen-records.awk — fast synthetic placement records for the benchmarks
# (bench/scale.sh): origin at a facility of data/facilities.csv, release
# and ties regions drawn at random from the first NR region ids of
# data/county-attrs.csv (release = ties for a third, so the ties term is
# fitted), dates over 2021-2022.
# Usage: awk -v n=N -v nr=NR -v seed=S -f gen-records.awk \
#          data/facilities.csv data/county-attrs.csv > records.csv
BEGIN { FS = "," }
FNR == 1 { next }
FILENAME ~ /facilities/ { flat[nf] = $2; flon[nf] = $3; nf++; next }
!($1 in seen) && nreg < nr { seen[$1] = 1; reg[nreg++] = $1 }
END {
  srand(seed)
  print "id,date,origin_lat,origin_lon,release_region,ties_region,facility"
  for (i = 0; i < n; i++) {
    f = int(rand() * nf); t = int(rand() * nreg)
    r = rand() < 1 / 3 ? t : int(rand() * nreg)
    d = int(rand() * 730)
    m = int(d / 61) + 1; dd = d % 28 + 1
    printf "r%d,%d-%02d-%02d,%s,%s,%s,%s,F%d\n", i, 2021 + (m > 12),
      (m - 1) % 12 + 1, dd, flat[f], flon[f], reg[r], reg[t], f
  }
}
