# audit.R — audit(): the whole audit of `steerwatch audit`, run and written
# by the library; the object returned holds what it wrote, read back as
# data frames, and what the library says of it. Defaults are the CLI's,
# so that the same call gives the CLI's results.json byte for byte.

audit <- function(records, regions = NULL, attrs, target, event = NULL,
                  covariate = NULL, alternatives = NULL, seed = NULL,
                  distance = NULL, baseline = NULL, threads = NULL,
                  simulated = NULL, out = NULL, region_id = NULL,
                  layer = NULL, ties_km = NULL, cost_per_km = NULL,
                  period = NULL, window = NULL, min_change = NULL, ...) {
  call <- sys.call()
  opts <- c(audit_options(event, alternatives, seed, distance, baseline,
                          threads, simulated, ties_km, cost_per_km, period,
                          window, min_change, call),
            read_options(...))
  if (!is.character(target) || length(target) < 1)
    usage_error("target: not ATTR=VALUE strings")
  if (!is.null(covariate) && !is.character(covariate))
    usage_error("covariate: not attribute names")
  opts$targets <- target
  opts$covariates <- covariate
  opts$region_id <- text_option(region_id, "region_id", call)
  opts$layer <- text_option(layer, "layer", call)
  opts$regions <- if (!is.null(regions))
    text_option(path.expand(regions), "regions", call)

  recs <- as_input(records, "records", "records")
  att <- as_input(attrs, "attrs", "attrs")
  on.exit(remove_inputs(recs, att))
  opts$records <- recs$path
  opts$attrs <- att$path
  dir <- output_dir(out, call)
  if (is.null(out)) on.exit(unlink(dir, recursive = TRUE), add = TRUE)
  opts$out <- dir

  res <- sw_result(.Call(sw_r_audit, opts), input_labels(recs, att), call)
  warn_attr_rejects(res$attr_rejects, att)
  audit_object(res, dir, target, out)
}

# The directory the library writes into: `out`, created as the CLI creates
# --out (the last level only), or a temporary one.
output_dir <- function(out, call) {
  if (is.null(out)) {
    dir <- tempfile("steerwatch")
    dir.create(dir)
    return(dir)
  }
  out <- text_option(path.expand(out), "out", call)
  if (!dir.exists(out) && !dir.create(out, showWarnings = FALSE))
    stop(steerwatch_error(list(code = "SW_E_CREATE",
                               status = "cannot create output",
                               message = "cannot create", file = out,
                               line = 0, column = "", byte = 0,
                               text = paste0(out, ": cannot create")),
                          call = call))
  out
}

# The CLI prints rejected attribute rows on stderr; here they warn.
warn_attr_rejects <- function(rejects, input) {
  n <- length(rejects$line)
  if (n == 0) return(invisible())
  file <- if (input$temp) input$label else rejects$file
  shown <- sprintf("%s:%.0f: %s%s%s", file, rejects$line, rejects$column,
                   ifelse(nzchar(rejects$column), ": ", ""), rejects$reason)
  warning(sprintf("%d attribute rows rejected:\n%s", n,
                  paste(utils::head(shown, 5), collapse = "\n")),
          call. = FALSE)
}

headline_table <- function(heads, target) {
  field <- function(name) vapply(heads, function(h) as.double(h[[name]]), 0)
  date <- function(name)
    as.Date(vapply(heads, function(h) as.double(h[[name]]), 0),
            origin = "1970-01-01")
  data.frame(target = target,
             design = vapply(heads, function(h) h$design, ""),
             event = date("event"), onset = date("onset"),
             estimate = field("estimate"), ci_low = field("ci_low"),
             ci_high = field("ci_high"), p_value = field("p_value"),
             p_lr = field("p_lr"), p_lr_adjusted = field("p_lr_adjusted"),
             stringsAsFactors = FALSE)
}

audit_object <- function(res, dir, target, out) {
  headline <- as_table(headline_table(res$headline, target))
  json <- read_text(file.path(dir, "results.json"))
  results <- if (requireNamespace("jsonlite", quietly = TRUE))
    jsonlite::fromJSON(json, simplifyVector = FALSE)
  else
    list(summary = res$summary, counts = res$counts,
         n_flagged = res$n_flagged, headline = headline)
  structure(c(list(results = results, results_json = json,
                   summary = res$summary, headline = headline,
                   counts = res$counts, n_flagged = res$n_flagged),
              read_tables(dir),
              list(report_html = read_text(file.path(dir, "report.html")),
                   out = out)),
            class = "steerwatch_audit")
}
