# errors.R — the library's failures as R conditions, so that a caller can
# tryCatch(steerwatch_error = ...) and read where the input went wrong
# (file, line, column) and the library's code, as the CLI prints them.

# A condition of class steerwatch_error from the list the C glue returns
# (sw_r_error). `labels` names the temporary files made from data frames,
# which the user never saw: they are reported by what the user passed.
steerwatch_error <- function(e, labels = character(), call = NULL) {
  text <- e$text
  file <- e$file
  for (tmp in names(labels)) {
    text <- gsub(tmp, labels[[tmp]], text, fixed = TRUE)
    if (identical(file, tmp)) file <- labels[[tmp]]
  }
  structure(
    class = c("steerwatch_error", "error", "condition"),
    list(message = paste0("steerwatch: ", text), call = call,
         code = e$code, status = e$status, file = file, line = e$line,
         column = e$column, byte = e$byte, reason = e$message))
}

# The C glue's result, or the steerwatch_error it describes signalled.
sw_result <- function(res, labels = character(), call = NULL) {
  if (!is.null(res$error)) stop(steerwatch_error(res$error, labels, call))
  res
}

# A bad argument caught in R, as the library reports one (SW_E_USAGE), so
# that every error a call raises has the same class and fields.
usage_error <- function(message, call = sys.call(-1)) {
  stop(steerwatch_error(list(code = "SW_E_USAGE", status = "invalid usage",
                             message = message, file = "", line = 0,
                             column = "", byte = 0, text = message),
                        call = call))
}
