# options.R — the reading options every reader takes (docs/input.md) and
# the checks the CLI makes of option values before the library sees them
# (cli/options.c), so that a value the CLI refuses is refused here too.

is_whole <- function(x, lo, hi) {
  is.numeric(x) && length(x) == 1 && !is.na(x) && x == round(x) &&
    x >= lo && x <= hi
}

# A one-byte field separator; "tab" and "\\t" mean a tab.
delimiter_option <- function(delimiter, call) {
  if (is.null(delimiter)) return(NULL)
  if (identical(delimiter, "tab") || identical(delimiter, "\\t"))
    return("\t")
  if (!is.character(delimiter) || length(delimiter) != 1 ||
      nchar(delimiter, "bytes") != 1 || delimiter %in% c("\"", "\n", "\r"))
    usage_error("delimiter: not one of , | ; tab", call)
  delimiter
}

# columns: c(date = "Book Out Date") or "date=Book Out Date" strings.
columns_option <- function(columns, call) {
  if (is.null(columns)) return(NULL)
  if (!is.character(columns)) usage_error("columns: not NAME=HEADER", call)
  if (!is.null(names(columns)))
    columns <- ifelse(nzchar(names(columns)),
                      paste0(names(columns), "=", columns), columns)
  unname(columns)
}

text_option <- function(x, name, call) {
  if (is.null(x)) return(NULL)
  if (!is.character(x) || length(x) != 1 || is.na(x) || !nzchar(x))
    usage_error(sprintf("%s: not a non-empty string", name), call)
  x
}

read_options <- function(delimiter = NULL, columns = NULL,
                         columns_file = NULL, date_format = NULL,
                         facilities = NULL, encoding = NULL, sheet = NULL,
                         skip_rows = NULL, gazetteer = NULL) {
  call <- sys.call(-1)
  if (!is.null(sheet) && is.numeric(sheet)) sheet <- as.character(sheet)
  if (!is.null(skip_rows) && !is_whole(skip_rows, 0, 1e6))
    usage_error("skip_rows: not a count of rows", call)
  list(delimiter = delimiter_option(delimiter, call),
       columns = columns_option(columns, call),
       columns_file = text_option(columns_file, "columns_file", call),
       date_format = text_option(date_format, "date_format", call),
       facilities = text_option(facilities, "facilities", call),
       encoding = text_option(encoding, "encoding", call),
       sheet = text_option(sheet, "sheet", call),
       skip_rows = if (!is.null(skip_rows)) as.double(skip_rows),
       gazetteer = text_option(gazetteer, "gazetteer", call))
}
