# check.R — check(): validate placement records without auditing them
# (`steerwatch check`), so that the data can be fixed first; every
# rejected row comes back with where it was and why.

check <- function(records, ...) {
  opts <- read_options(...)
  input <- as_input(records, "records", "records")
  on.exit(remove_inputs(input))
  res <- sw_result(.Call(sw_r_check, input$path, opts),
                   input_labels(input), sys.call())
  rejects <- as.data.frame(res$rejects, stringsAsFactors = FALSE)
  if (input$temp) rejects$file <- rep(input$label, nrow(rejects))
  structure(list(read = res$read, accepted = res$accepted,
                 rejected = res$rejected, rejects = as_table(rejects)),
            class = "steerwatch_check")
}

print.steerwatch_check <- function(x, ...) {
  cat(sprintf("%.0f read, %.0f accepted, %.0f rejected\n", x$read,
              x$accepted, x$rejected))
  if (nrow(x$rejects) > 0) {
    shown <- utils::head(x$rejects, 10)
    cat(sprintf("%s:%.0f: %s%s%s\n", shown$file, shown$line, shown$column,
                ifelse(nzchar(shown$column), ": ", ""), shown$reason),
        sep = "")
  }
  invisible(x)
}
