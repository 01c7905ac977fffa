# errors.R — failures come back as steerwatch_error conditions carrying
# the C error's code, file, line and column; rejected rows as data.
library(steerwatch)
dir <- system.file("extdata", package = "steerwatch")
path <- function(f) file.path(dir, f)
catch <- function(expr) tryCatch(expr, steerwatch_error = function(e) e)

e <- catch(check("no-such-records.csv"))
stopifnot(inherits(e, "steerwatch_error"), inherits(e, "error"),
          e$code == "SW_E_OPEN", e$file == "no-such-records.csv",
          grepl("no-such-records.csv", conditionMessage(e), fixed = TRUE))

e <- catch(audit("no-such-records.csv", attrs = path("attrs.csv"),
                 target = "sanctuary=yes", threads = 1))
stopifnot(e$code == "SW_E_OPEN", e$file == "no-such-records.csv")

# A header without `date` is a schema error naming the file and column.
nodate <- tempfile(fileext = ".csv")
writeLines(c("id,origin_lat,origin_lon,release_region", "a,40,-99,G00"),
           nodate)
e <- catch(check(nodate))
stopifnot(e$code == "SW_E_SCHEMA", e$file == nodate,
          grepl("date", conditionMessage(e)))
e <- catch(check(data.frame(id = "a", origin_lat = 40, origin_lon = -99,
                            release_region = "G00")))
stopifnot(e$code == "SW_E_SCHEMA", e$file == "<records data frame>")

e <- catch(audit(path("records.csv"), regions = path("regions.geojson"),
                 region_id = "code", attrs = path("attrs.csv"),
                 target = "sanctuary", threads = 1))
stopifnot(e$code == "SW_E_USAGE", grepl("sanctuary", e$reason))
e <- catch(audit(path("records.csv"), attrs = path("attrs.csv"),
                 target = "sanctuary=yes", window = 0))
stopifnot(e$code == "SW_E_USAGE", grepl("window", e$reason))

# Bad rows are not failures: each comes back with its line and column.
bad <- tempfile(fileext = ".csv")
writeLines(c("id,date,origin_lat,origin_lon,release_region",
             "a,2021-01-04,40,-99,G00",
             "b,2021-02-30,40,-99,G00",
             "c,2021-01-05,4O.7,-99,G00",
             "a,2021-01-06,40,-99,G00"), bad)
k <- check(bad)
stopifnot(inherits(k, "steerwatch_check"), k$read == 4, k$accepted == 1,
          k$rejected == 3, nrow(k$rejects) == 3,
          identical(k$rejects$line, c(3, 4, 5)),
          identical(k$rejects$column[1:2], c("date", "origin_lat")),
          all(k$rejects$file == bad),
          k$rejects$raw[1] == "b,2021-02-30,40,-99,G00")
cat("errors: ok\n")
