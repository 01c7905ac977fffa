# report.R — what a person reads of an audit: the library's summary and
# headline when the object prints, and report.html, the page, written out
# byte for byte or opened in a browser.

print.steerwatch_audit <- function(x, ...) {
  cat(x$summary)
  cat("\nHeadline (within-region change in the target's log-odds):\n")
  print(as.data.frame(x$headline)[c("target", "design", "estimate",
                                    "ci_low", "ci_high", "p_value")],
        row.names = FALSE)
  invisible(x)
}

write_report <- function(x, path) {
  if (!inherits(x, "steerwatch_audit"))
    usage_error("x: not a steerwatch_audit")
  writeBin(charToRaw(x$report_html), path)
  invisible(path)
}

view_report <- function(x, path = tempfile("report", fileext = ".html")) {
  write_report(x, path)
  utils::browseURL(path)
  invisible(path)
}
