/*
 * regions.h — the in-memory layout of sw_regions and the builder that the
 * geometry readers (geojson.c, topojson.c, shapefile.c) fill.
 *
 * Layout: one flat array of lon,lat pairs; rings are ranges of it; regions
 * are ranges of rings. Flat arrays keep point-in-polygon scans cache-friendly
 * and make freeing a region set three calls.
 */
#ifndef SW_REGIONS_H
#define SW_REGIONS_H

#include "steerwatch.h"
#include "strmap.h"

/* Room for one skip note: "feature N (id \"...\"): reason". */
#define SW_SKIP_NOTE_LEN 128

struct sw_regions {
  size_t n;           /* regions */
  const char **ids;   /* [n], strings owned by id_map */
  size_t *ring_start; /* [n+1]: region i owns rings ring_start[i].. */
  size_t n_rings;
  size_t *pt_start;       /* [n_rings+1]: ring k owns points pt_start[k].. */
  unsigned char *is_hole; /* [n_rings] */
  double *xy;             /* [2 * pt_start[n_rings]]: lon,lat pairs */
  double *bbox;           /* [4n]: min lon, min lat, max lon, max lat */
  sw_point *centroid;     /* [n] area centroids */
  size_t n_skipped;       /* features not kept (see sw_regions_read) */
  char skip_note[SW_REGIONS_SKIP_NOTES][SW_SKIP_NOTE_LEN]; /* the first */
  sw_strmap *id_map; /* id -> region index */
};

/* The builder collects rings per feature, in any order; features with the
 * same id are merged into one region. */
typedef struct sw_regions_builder sw_regions_builder;

sw_regions_builder *sw__regions_builder_new(void);
void sw__regions_builder_free(sw_regions_builder *b);

/* Start a feature with this id (len bytes; copied). Subsequent rings belong
 * to it until the next sw__regions_builder_feature. */
sw_status sw__regions_builder_feature(sw_regions_builder *b, const char *id,
                                      size_t len, sw_error *err);

/* A numeric id as text, the same whichever format it came from: the
 * shortest decimal that reads back to v (integers without ".0"). Writes
 * buf (32 bytes suffice) and returns the length. */
size_t sw__regions_builder_number_id(double v, char buf[32]);

/* Add a ring of n lon,lat pairs (copied) to the current feature. The ring
 * is closed if it is not. Rings with fewer than 3 distinct points, with
 * a non-finite coordinate, or enclosing no area, are dropped and reported
 * through the return value 0 (1 = kept, -1 = out of memory with err set). */
int sw__regions_builder_ring(sw_regions_builder *b, const double *xy, size_t n,
                             bool is_hole, sw_error *err);

/* Skip a feature that has no polygon to keep (why: "not a polygon", ...).
 * Each feature of the file is either begun with sw__regions_builder_feature or
 * skipped here, so the builder's count is the feature's index in the file. A
 * begun feature whose rings were all dropped is skipped on its own. */
void sw__regions_builder_skip(sw_regions_builder *b, const char *why);

/* Finish: compute bboxes and centroids, hand over the result. The builder
 * is freed either way. Fails with SW_E_SCHEMA when no region was kept. */
sw_status sw__regions_builder_finish(sw_regions_builder *b, sw_regions **out,
                                     sw_error *err);

/* A reader's last step: when st (its status) is not SW_OK, free the
 * builder and return st; else sw__regions_builder_finish, with path on its
 * error. */
sw_status sw__regions_builder_conclude(sw_regions_builder *b, sw_status st,
                                       const char *path, sw_regions **out,
                                       sw_error *err);

/* Readers, dispatched to by sw_regions_read (regions_read.c). */
sw_status sw__read_geojson(const char *path, const sw_regions_opts *opts,
                           sw_regions **out, sw_error *err);
sw_status sw__read_topojson(const char *path, const sw_regions_opts *opts,
                            sw_regions **out, sw_error *err);
sw_status sw__read_shapefile(const char *path, const sw_regions_opts *opts,
                             sw_regions **out, sw_error *err);

#endif
