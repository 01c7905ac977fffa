# audit.R — audit() on the golden inputs shipped in extdata: a data frame
# gives the numbers its file gives, `out` keeps the files the library
# wrote and the tables are those files, write_report() writes the page
# byte for byte. (tests/r/golden.test.sh compares with the CLI.)
library(steerwatch)
dir <- system.file("extdata", package = "steerwatch")
path <- function(f) file.path(dir, f)
run <- function(records, attrs, out = NULL)
  audit(records, regions = path("regions.geojson"), region_id = "code",
        attrs = attrs, target = c("sanctuary=yes", "population=1000"),
        covariate = "population", event = c("2021-03-01:policy", "2021-05-15"),
        window = 4, seed = 1, threads = 1, out = out)

out <- file.path(tempdir(), "audit-out")
a <- run(path("records.csv"), path("attrs.csv"), out)
stopifnot(inherits(a, "steerwatch_audit"),
          identical(a$headline$target, c("sanctuary=yes", "population=1000")),
          identical(a$headline$design, rep("within_region_event", 2)),
          identical(a$headline$event, as.Date(c("2021-03-01", "2021-03-01"))),
          all(is.finite(a$headline$estimate)),
          identical(unname(a$counts), c(301, 300, 1, 2)),
          nrow(a$rejects) == 1, a$rejects$line == 302,
          a$rejects$column == "date",
          is.character(a$regions$region),
          inherits(a$weekly$week, "Date"),
          grepl("Target sanctuary=yes", a$summary, fixed = TRUE))

# The tables are the library's files, read back unchanged.
for (t in c("coefficients", "regions", "facilities")) {
  got <- as.data.frame(a[[t]])
  text <- vapply(got, function(x)
    if (is.character(x)) "character" else NA_character_, "")
  f <- read.csv(file.path(out, paste0(t, ".csv")), colClasses = text,
                na.strings = character(0))
  stopifnot(identical(f, got))
}
json <- readBin(file.path(out, "results.json"), "raw", 1e6)
stopifnot(identical(charToRaw(a$results_json), json))
page <- tempfile(fileext = ".html")
write_report(a, page)
stopifnot(identical(readBin(page, "raw", 1e7),
                    readBin(file.path(out, "report.html"), "raw", 1e7)))

# A data frame in gives the same numbers as the file.
recs <- read.csv(path("records.csv"),
                 colClasses = c(id = "character", release_region = "character",
                                ties_region = "character",
                                facility = "character"))
recs$date <- as.Date(recs$date, format = "%Y-%m-%d")
recs <- recs[!is.na(recs$date), ]
attrs <- read.csv(path("attrs.csv"), colClasses = "character")
b <- run(recs, attrs)
stopifnot(identical(b$headline, a$headline), is.null(b$out))
for (t in c("coefficients", "periods", "weekly", "regions", "facilities",
            "flagged"))
  stopifnot(identical(b[[t]], a[[t]]))
stopifnot(identical(b$counts[["accepted"]], a$counts[["accepted"]]),
          nrow(b$rejects) == 0)
cat("audit: ok\n")
