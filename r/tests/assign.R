# assign.R — assign() appends the region of each point, every row in
# order, ids as character; a point in no region gets NA.
library(steerwatch)
regions <- system.file("extdata", "regions.geojson", package = "steerwatch")
pts <- data.frame(id = c("p1", "p2", "p3"), lat = c(40.5, 10, 40.5),
                  lon = c(-99.5, 10, -97.5))
got <- steerwatch::assign(pts, regions, region_id = "code")
stopifnot(identical(got$id, pts$id), is.character(got$region),
          identical(got$region[c(1, 2)], c("G00", NA)),
          !is.na(got$region[3]), attr(got, "stats")[["assigned"]] == 2,
          attr(got, "stats")[["unassigned"]] == 1)
csv <- tempfile(fileext = ".csv")
write.csv(pts, csv, row.names = FALSE)
from_file <- steerwatch::assign(csv, regions, region_id = "code")
stopifnot(identical(from_file$region, got$region))
cat("assign: ok\n")
