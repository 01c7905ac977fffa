# tables.R — the files sw_audit_write wrote, read back as data frames:
# nothing is recomputed in R. Region ids, facility codes and other text
# stay character ("06075" must stay a FIPS code, not become 6075), so that
# the regions table joins to an sf object by id; dates become Date.

# A data frame, or a tibble when the tibble package is there.
as_table <- function(x) {
  if (requireNamespace("tibble", quietly = TRUE)) tibble::as_tibble(x) else x
}

# Columns named in `text` or `dates` are read as character (dates then
# parsed), the others as read.csv guesses; an empty cell is NA in a numeric
# column and "" in a text one, as in read.csv.
read_table <- function(dir, file, text = character(), dates = character()) {
  path <- file.path(dir, file)
  header <- names(utils::read.csv(path, nrows = 1, check.names = FALSE,
                                  encoding = "UTF-8"))
  classes <- ifelse(header %in% c(text, dates), "character", NA_character_)
  x <- utils::read.csv(path, colClasses = classes, check.names = FALSE,
                       na.strings = character(0), encoding = "UTF-8")
  for (d in dates) x[[d]] <- as.Date(x[[d]], format = "%Y-%m-%d")
  as_table(x)
}

read_tables <- function(dir) {
  list(
    coefficients = read_table(dir, "coefficients.csv", c("target", "name")),
    periods = read_table(dir, "periods.csv", c("target", "reason"),
                         c("from", "to")),
    weekly = read_table(dir, "weekly.csv", "target", "week"),
    regions = read_table(dir, "regions.csv", c("region", "target")),
    facilities = read_table(dir, "facilities.csv", c("target", "facility")),
    flagged = read_table(dir, "flagged.csv",
                         c("id", "facility", "release_region", "ties_region",
                           "reason"), "date"),
    rejects = read_table(dir, "rejects.csv", c("column", "reason", "raw")))
}

# The whole of a file as one UTF-8 string, bytes unchanged.
read_text <- function(path) {
  bytes <- readBin(path, "raw", file.size(path))
  text <- rawToChar(bytes)
  Encoding(text) <- "UTF-8"
  text
}
