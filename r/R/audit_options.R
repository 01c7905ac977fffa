# audit_options.R — audit()'s option values checked as the CLI checks them
# (cli/cmd_audit.c) and put in the form the C glue reads: dates and the
# seed as text, for the library's own date parser and full 64-bit seeds.

# event: "DATE[:LABEL]" strings as the CLI's --event, or Dates whose
# names are their labels.
event_option <- function(event) {
  if (is.null(event)) return(list())
  if (inherits(event, "Date")) {
    labels <- if (is.null(names(event))) "" else names(event)
    return(list(event_dates = format(event, "%Y-%m-%d"),
                event_labels = rep_len(labels, length(event))))
  }
  if (!is.character(event)) usage_error("event: not DATE[:LABEL]")
  colon <- regexpr(":", event, fixed = TRUE)
  list(event_dates = ifelse(colon > 0, substr(event, 1, colon - 1), event),
       event_labels = ifelse(colon > 0,
                             substr(event, colon + 1, nchar(event)), ""))
}

# baseline: c(from, to) as Dates or strings, or "FROM:TO".
baseline_option <- function(baseline) {
  if (is.null(baseline)) return(NULL)
  if (inherits(baseline, "Date")) baseline <- format(baseline, "%Y-%m-%d")
  if (is.character(baseline) && length(baseline) == 1)
    baseline <- strsplit(baseline, ":", fixed = TRUE)[[1]]
  if (!is.character(baseline) || length(baseline) != 2)
    usage_error("baseline: not FROM:TO, two dates")
  baseline
}

seed_option <- function(seed) {
  if (is.null(seed)) return(NULL)
  if (is.character(seed) && length(seed) == 1 && grepl("^[0-9]+$", seed))
    return(seed)
  if (!is_whole(seed, 0, 2^53)) usage_error("seed: not a number")
  format(seed, scientific = FALSE)
}

number_option <- function(x, name, lo, hi, whole, what) {
  if (is.null(x)) return(NULL)
  ok <- if (whole) is_whole(x, lo, hi) else
    is.numeric(x) && length(x) == 1 && is.finite(x) && x >= lo && x <= hi
  if (!ok) usage_error(sprintf("%s: not %s", name, what), sys.call(-2))
  as.double(x)
}

choice_option <- function(x, name, choices) {
  if (is.null(x)) return(NULL)
  if (!is.character(x) || length(x) != 1 || !(x %in% choices))
    usage_error(sprintf("%s: not %s", name,
                        paste(choices, collapse = " or ")), sys.call(-2))
  x
}

audit_options <- function(event, alternatives, seed, distance, baseline,
                          threads, simulated, ties_km, cost_per_km, period,
                          window, min_change, call) {
  if (!is.null(alternatives) && !identical(alternatives, "all")) {
    if (!is_whole(alternatives, 1, 1e6))
      usage_error("alternatives: not 'all' or a count >= 1", call)
    alternatives <- format(alternatives, scientific = FALSE)
  }
  if (!is.null(min_change) &&
      !(is.numeric(min_change) && length(min_change) == 1 &&
        !is.na(min_change) && min_change > 0 && min_change <= 1000))
    usage_error("min_change: not a percentage above 0", call)
  if (!is.null(simulated) && !(isTRUE(simulated) || isFALSE(simulated)))
    usage_error("simulated: not TRUE or FALSE", call)
  c(event_option(event),
    list(alternatives = alternatives, seed = seed_option(seed),
         distance = choice_option(distance, "distance", c("spline", "log1p")),
         baseline = baseline_option(baseline),
         threads = number_option(threads, "threads", 1, 1024, TRUE,
                                 "a count from 1 to 1024"),
         simulated = simulated,
         ties_km = number_option(ties_km, "ties_km", 0, Inf, FALSE,
                                 "a number >= 0"),
         cost_per_km = number_option(cost_per_km, "cost_per_km", 0, Inf,
                                     FALSE, "a number >= 0"),
         period = choice_option(period, "period", c("month", "quarter")),
         window = number_option(window, "window", 1, 1024, TRUE,
                                "a count from 1 to 1024"),
         min_change = if (!is.null(min_change)) as.double(min_change)))
}
