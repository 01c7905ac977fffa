# frame.R — a data frame handed to check(), assign() or audit() becomes a
# CSV the package writes to a temporary file and removes itself, in the
# form the library reads: ISO dates, and numbers written so that they read
# back to the same double (15 significant digits when those suffice, else
# 17), so that a data frame gives the numbers its file gives.

csv_column <- function(x) {
  if (inherits(x, "Date")) return(format(x, "%Y-%m-%d"))
  if (inherits(x, "POSIXt")) return(format(x, "%Y-%m-%dT%H:%M:%S"))
  if (is.double(x)) {
    s <- sprintf("%.15g", x)
    loose <- !is.na(x) & suppressWarnings(as.numeric(s)) != x
    s[loose] <- sprintf("%.17g", x[loose])
    s[is.na(x)] <- NA
    return(s)
  }
  as.character(x)
}

# Write df to a new temporary file; returns its path.
frame_to_csv <- function(df, stem) {
  path <- tempfile(stem, fileext = ".csv")
  text <- vapply(df, function(x) is.character(x) || is.factor(x), TRUE)
  cols <- lapply(df, csv_column)
  out <- structure(cols, names = names(df), class = "data.frame",
                   row.names = c(NA_integer_, -nrow(df)))
  utils::write.table(out, path, sep = ",", quote = which(text), na = "",
                     row.names = FALSE, qmethod = "double",
                     fileEncoding = "UTF-8")
  path
}

# An input given as a path or a data frame: list(path, label, temp), where
# label names it in errors and temp says the package must remove it.
as_input <- function(x, stem, arg) {
  if (is.data.frame(x))
    return(list(path = frame_to_csv(x, stem), temp = TRUE,
                label = sprintf("<%s data frame>", arg)))
  if (!is.character(x) || length(x) != 1 || is.na(x) || !nzchar(x))
    usage_error(sprintf("%s: not a file path or a data frame", arg),
                call = sys.call(-1))
  list(path = path.expand(x), temp = FALSE, label = NULL)
}

# The error labels of inputs made from data frames (see steerwatch_error).
input_labels <- function(...) {
  labels <- character()
  for (input in list(...))
    if (!is.null(input) && input$temp) labels[[input$path]] <- input$label
  labels
}

remove_inputs <- function(...) {
  for (input in list(...))
    if (!is.null(input) && input$temp) unlink(input$path)
}
