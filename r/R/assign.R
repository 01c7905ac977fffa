# assign.R — assign(): the region containing each point
# (`steerwatch assign`): the library locates the points and writes them
# out with a `region` column, which is returned appended to the points.

assign <- function(points, regions, region_id = NULL, lat = NULL,
                   lon = NULL, layer = NULL, delimiter = NULL) {
  call <- sys.call()
  if (is.null(lat) != is.null(lon)) usage_error("lat and lon go together")
  input <- as_input(points, "points", "points")
  out <- tempfile("assigned", fileext = ".csv")
  on.exit({
    remove_inputs(input)
    unlink(out)
  })
  opts <- list(points = input$path,
               regions = text_option(path.expand(regions), "regions", call),
               region_id = text_option(region_id, "region_id", call),
               layer = text_option(layer, "layer", call),
               lat = text_option(lat, "lat", call),
               lon = text_option(lon, "lon", call),
               delimiter = delimiter_option(delimiter, call), out = out)
  res <- sw_result(.Call(sw_r_assign, opts), input_labels(input), call)
  sep <- if (is.null(opts$delimiter)) "," else opts$delimiter
  assigned <- utils::read.csv(out, sep = sep, colClasses = "character",
                              na.strings = character(0), check.names = FALSE,
                              encoding = "UTF-8")
  # Every row comes out, in order: a data frame keeps its own columns and
  # types, and only gains the region.
  region <- assigned[[ncol(assigned)]]
  result <- if (is.data.frame(points)) points else
    utils::type.convert(assigned[-ncol(assigned)], as.is = TRUE)
  result$region <- ifelse(nzchar(region), region, NA_character_)
  if (res$stats[["invalid"]] > 0)
    warning(sprintf(paste("%.0f rows without a valid point (region NA),",
                          "the first on line %.0f: %s"),
                    res$stats[["invalid"]], res$invalid$line[1],
                    res$invalid$reason[1]), call. = FALSE)
  attr(result, "stats") <- res$stats
  as_table(result)
}
