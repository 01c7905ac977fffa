/*
 * cmd_assign.c — `steerwatch assign`: read regions, build the point-in-
 * polygon index, and copy a CSV with a `region` column appended.
 *
 * Owns argv, the summary on stderr and the exit codes; the work is
 * sw_regions_read, sw_index_build and sw_assign_csv.
 */
#include <string.h>
#include <time.h>

#include "cli.h"

static const char usage[] =
    "steerwatch assign --regions FILE [--region-id PROP] [--layer NAME] "
    "[--lat COL --lon COL] [--delimiter D] IN.csv -o OUT.csv";

static void help(void) {
  printf("usage: %s\n\n"
         "Append a `region` column to each row of IN.csv: the id of the "
         "region\ncontaining the row's point (empty when in none or invalid). "
         "Every\nrow comes out, in order.\n\n"
         "  --regions FILE     GeoJSON, TopoJSON or Shapefile (.shp)\n"
         "  --region-id PROP   property holding the region id\n"
         "  --layer NAME       TopoJSON object to read\n"
         "  --lat COL, --lon COL  point columns (default lat/lon, else\n"
         "                     release_lat/release_lon)\n"
         "  --delimiter D      field separator: , | ; tab\n"
         "  -o OUT.csv         output file; - for standard output\n",
         usage);
}

typedef struct args {
  const char *regions, *id_prop, *layer, *lat, *lon, *out, *in;
  char delimiter;
} args;

static const cli_opt opts[] = {
    {CLI_ARG("--regions", CLI_TEXT, regions, "a file"), .required = true},
    {CLI_ARG("--region-id", CLI_TEXT, id_prop, "a property")},
    {CLI_ARG("--layer", CLI_TEXT, layer, "an object name")},
    {CLI_ARG("--lat", CLI_TEXT, lat, "a column name")},
    {CLI_ARG("--lon", CLI_TEXT, lon, "a column name")},
    {CLI_ARG("--delimiter", CLI_DELIMITER, delimiter, "one of , | ; tab")},
    {CLI_ARG("IN.csv", CLI_TEXT, in, "a file"), .required = true},
    {CLI_ARG("-o", CLI_TEXT, out, "a file, or - for standard output"),
     .alias = "--output", .required = true},
};
CLI_SYNTAX("assign");

int cmd_assign(int argc, char **argv) {
  args x = {.delimiter = ','};
  int code;
  if (!cli_parse(&syntax, argc, argv, &x, &code)) return code;
  if ((x.lat == NULL) != (x.lon == NULL))
    return cli_usage_error("assign", usage, "--lat and --lon go together");
  const char *out_path = strcmp(x.out, "-") ? x.out : "/dev/stdout";

  double t0 = cli_seconds();
  sw_error err;
  sw_regions *g = NULL;
  if (cli_regions_read(x.regions, x.id_prop, x.layer, &g, &err) != SW_OK)
    return cli_fail(&err);
  sw_index *ix = NULL;
  if (sw_index_build(g, &ix, &err) != SW_OK) {
    sw_regions_free(g);
    return cli_fail(&err);
  }
  double t1 = cli_seconds();

  cli_progress bar;
  cli_progress_init(&bar, "assign");
  cli_reject_count invalid = {0};
  sw_assign_opts ao = {0};
  ao.delimiter = x.delimiter;
  ao.lat_column = x.lat;
  ao.lon_column = x.lon;
  ao.on_invalid = cli_count_reject;
  ao.invalid_user = &invalid;
  ao.on_progress = cli_progress_cb;
  ao.progress_user = &bar;
  sw_assign_stats st;
  sw_status s = sw_assign_csv(ix, x.in, out_path, &ao, &st, &err);
  cli_progress_done(&bar);
  double t2 = cli_seconds();
  code = EXIT_DONE;
  if (s != SW_OK) {
    code = cli_fail(&err);
  } else {
    fprintf(stderr,
            "rows read     %llu\n"
            "assigned      %llu\n"
            "unassigned    %llu\n"
            "invalid       %llu\n"
            "on boundary   %llu\n"
            "regions       %zu (%zu features skipped)\n"
            "time          %.3f s (regions and index %.3f s, rows %.3f s)\n",
            (unsigned long long)st.read, (unsigned long long)st.assigned,
            (unsigned long long)st.unassigned, (unsigned long long)st.invalid,
            (unsigned long long)st.on_boundary, sw_regions_count(g),
            sw_regions_n_skipped(g), t2 - t0, t1 - t0, t2 - t1);
    cli_print_skipped(x.regions, g);
  }
  sw_index_free(ix);
  sw_regions_free(g);
  return code;
}
