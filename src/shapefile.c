/*
 * shapefile.c — the ESRI Shapefile region reader, first stage of the
 * pipeline for `--regions x.shp`: reads polygons from the .shp (through its
 * .shx index) with shapelib, region ids from the .dbf beside it, and hands
 * the rings to the region builder (regions.c). Rules:
 * docs/design/geometry-readers.md.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <shapefil.h>

#include "alloc.h"
#include "err.h"
#include "regions.h"
#include "utf8.h"

/* shapelib reports problems through a hook that prints by default; the
 * library must not print, and each failure is reported by a NULL return
 * that we turn into our own message anyway. */
static void quiet(const char *message) { (void)message; }

typedef struct shp_reader {
  const char *path;
  char *base; /* path without its extension */
  size_t base_len;
  char side[4096]; /* a sibling file's name, built by sibling() */
  SHPHandle shp;
  DBFHandle dbf;
  int id_field;
  DBFFieldType id_type;
  double *xy; /* one part's lon,lat pairs */
  size_t cap_xy;
  sw_regions_builder *b;
  sw_error *err;
} shp_reader;

/* base + ext into r->side; false if it does not fit. */
static bool sibling(shp_reader *r, const char *ext) {
  int k = snprintf(r->side, sizeof r->side, "%.*s%s", (int)r->base_len, r->base,
                   ext);
  return k > 0 && (size_t)k < sizeof r->side;
}

/* Which of base.ext / base.EXT can be opened, left in r->side; on failure
 * r->side names the lower-case one and errno says why. */
static bool sibling_exists(shp_reader *r, const char *lower,
                           const char *upper) {
  if (sibling(r, upper)) {
    FILE *f = fopen(r->side, "rb");
    if (f) {
      fclose(f);
      return true;
    }
  }
  if (!sibling(r, lower)) {
    errno = ENAMETOOLONG;
    return false;
  }
  FILE *f = fopen(r->side, "rb");
  if (!f) return false;
  fclose(f);
  return true;
}

static sw_status open_error(shp_reader *r, const char *what) {
  sw__err(r->err, SW_E_OPEN, "cannot open the %s: %s", what, strerror(errno));
  sw__err_at(r->err, r->side, 0, NULL, 0);
  return SW_E_OPEN;
}

static sw_status open_files(shp_reader *r) {
  SAHooks hooks;
  SASetupDefaultHooks(&hooks);
  hooks.Error = quiet;
  const char *dot = strrchr(r->path, '.');
  const char *slash = strrchr(r->path, '/');
  r->base_len = dot && (!slash || dot > slash) ? (size_t)(dot - r->path)
                                               : strlen(r->path);
  r->base = sw__strndup(r->path, r->base_len);
  if (!r->base) return sw__err(r->err, SW_E_NOMEM, "out of memory");
  if (!sibling_exists(r, ".shp", ".SHP")) return open_error(r, "shapefile");
  if (!sibling_exists(r, ".shx", ".SHX"))
    return open_error(r, "shapefile's index (.shx)");
  if (!sibling_exists(r, ".dbf", ".DBF"))
    return open_error(r, "shapefile's attributes (.dbf)");
  r->shp = SHPOpenLL(r->base, "rb", &hooks);
  if (!r->shp) {
    sibling_exists(r, ".shp", ".SHP");
    sw__err(r->err, SW_E_PARSE,
            "not a valid shapefile: bad .shp or .shx header");
    sw__err_at(r->err, r->side, 0, NULL, 0);
    return SW_E_PARSE;
  }
  r->dbf = DBFOpenLL(r->base, "rb", &hooks);
  if (!r->dbf) {
    sibling_exists(r, ".dbf", ".DBF");
    sw__err(r->err, SW_E_PARSE, "not a valid dBASE file: bad header");
    sw__err_at(r->err, r->side, 0, NULL, 0);
    return SW_E_PARSE;
  }
  return SW_OK;
}

/* The id field: opts->id_property, else `id`, else `GEOID`, else the
 * first field (names match case-insensitively, as dBASE names go). */
static sw_status pick_id_field(shp_reader *r, const sw_regions_opts *opts) {
  int n_fields = DBFGetFieldCount(r->dbf);
  sibling_exists(r, ".dbf", ".DBF");
  if (opts->id_property) {
    r->id_field = DBFGetFieldIndex(r->dbf, opts->id_property);
    if (r->id_field < 0) {
      char names[160] = "";
      size_t used = 0;
      for (int i = 0; i < n_fields && used + 1 < sizeof names; i++) {
        char name[XBASE_FLDNAME_LEN_READ + 1] = "";
        DBFGetFieldInfo(r->dbf, i, name, NULL, NULL);
        int k = snprintf(names + used, sizeof names - used, "%s%s",
                         used ? ", " : "", name);
        if (k > 0) used += (size_t)k;
        if (used >= sizeof names) used = sizeof names - 1;
      }
      sw__err(r->err, SW_E_SCHEMA, "no field \"%s\" in the .dbf (has: %s)",
              opts->id_property, names);
      sw__err_at(r->err, r->side, 0, opts->id_property, 0);
      return SW_E_SCHEMA;
    }
  } else {
    r->id_field = DBFGetFieldIndex(r->dbf, "id");
    if (r->id_field < 0) r->id_field = DBFGetFieldIndex(r->dbf, "GEOID");
    if (r->id_field < 0 && n_fields > 0) r->id_field = 0;
    if (r->id_field < 0) {
      sw__err(r->err, SW_E_SCHEMA, "the .dbf has no fields to take ids from");
      sw__err_at(r->err, r->side, 0, NULL, 0);
      return SW_E_SCHEMA;
    }
  }
  r->id_type = DBFGetFieldInfo(r->dbf, r->id_field, NULL, NULL, NULL);
  return SW_OK;
}

/* Record rec's id: text fields trimmed; numeric fields as the shortest
 * decimal of their value, so that they match the JSON readers' ids. */
static sw_status record_id(shp_reader *r, int rec, char buf[32],
                           const char **id, size_t *len) {
  const char *s = DBFIsAttributeNULL(r->dbf, rec, r->id_field)
                      ? NULL
                      : DBFReadStringAttribute(r->dbf, rec, r->id_field);
  while (s && *s == ' ')
    s++;
  size_t n = s ? strlen(s) : 0;
  while (n > 0 && s[n - 1] == ' ')
    n--;
  if (n == 0) {
    char name[XBASE_FLDNAME_LEN_READ + 1] = "";
    DBFGetFieldInfo(r->dbf, r->id_field, name, NULL, NULL);
    sibling_exists(r, ".dbf", ".DBF");
    sw__err(r->err, SW_E_SCHEMA, "record %d: empty region id", rec);
    sw__err_at(r->err, r->side, 0, name, 0);
    return SW_E_SCHEMA;
  }
  if (!sw__utf8_is_text(s, n)) {
    char name[XBASE_FLDNAME_LEN_READ + 1] = "";
    DBFGetFieldInfo(r->dbf, r->id_field, name, NULL, NULL);
    sibling_exists(r, ".dbf", ".DBF");
    sw__err(r->err, SW_E_PARSE,
            "record %d: region id is not UTF-8 text (a DBF in another "
            "encoding, or control characters)",
            rec);
    sw__err_at(r->err, r->side, 0, name, 0);
    return SW_E_PARSE;
  }
  if (r->id_type == FTInteger || r->id_type == FTDouble) {
    char *end;
    double d = strtod(s, &end);
    if (end == s + n && isfinite(d)) {
      *id = buf;
      *len = sw__regions_builder_number_id(d, buf);
      return SW_OK;
    }
  }
  *id = s;
  *len = n;
  return SW_OK;
}

static double signed_area2(const double *xy, size_t n) {
  double a = 0;
  for (size_t j = 0; j + 1 < n; j++)
    a += (xy[2 * j] - xy[0]) * (xy[2 * j + 3] - xy[1]) -
         (xy[2 * j + 2] - xy[0]) * (xy[2 * j + 1] - xy[1]);
  return a;
}

static sw_status corrupt(shp_reader *r, int rec, const char *why) {
  sibling_exists(r, ".shp", ".SHP");
  sw__err(r->err, SW_E_PARSE, "record %d: %s", rec, why);
  uint64_t at = r->shp->panRecOffset ? r->shp->panRecOffset[rec] : 0;
  sw__err_at(r->err, r->side, 0, NULL, at);
  return SW_E_PARSE;
}

/* Copy part p of o into r->xy; false when its bounds are inconsistent. */
static bool load_part(shp_reader *r, const SHPObject *o, int p, size_t *n) {
  int from = o->panPartStart[p];
  int to = p + 1 < o->nParts ? o->panPartStart[p + 1] : o->nVertices;
  if (from < 0 || to < from || to > o->nVertices) return false;
  *n = (size_t)(to - from);
  for (size_t k = 0; k < *n; k++) {
    r->xy[2 * k] = o->padfX[from + (int)k];
    r->xy[2 * k + 1] = o->padfY[from + (int)k];
  }
  return true;
}

/* Shapefile rings are exteriors when clockwise, holes when counter-
 * clockwise. A shape with no clockwise ring was written against that rule:
 * shapelib's SHPRewindObject then re-orients it by containment. */
static sw_status add_shape(shp_reader *r, SHPObject *o, int rec) {
  if (o->nSHPType == SHPT_NULL || o->nParts == 0 || o->nVertices == 0) {
    sw__regions_builder_skip(r->b, "null or empty shape");
    return SW_OK;
  }
  if (o->nParts < 0 || o->nVertices < 0 || !o->panPartStart || !o->padfX ||
      !o->padfY)
    return corrupt(r, rec, "inconsistent part table");
  if (!sw__grow((void **)&r->xy, &r->cap_xy, 2 * (size_t)o->nVertices,
                sizeof *r->xy))
    return sw__err(r->err, SW_E_NOMEM, "out of memory reading regions");
  bool any_outer = false;
  for (int p = 0; p < o->nParts; p++) {
    size_t n;
    if (!load_part(r, o, p, &n))
      return corrupt(r, rec, "part table points outside the vertices");
    if (signed_area2(r->xy, n) < 0) any_outer = true;
  }
  if (!any_outer) SHPRewindObject(r->shp, o);
  char buf[32];
  const char *id;
  size_t len;
  sw_status st = record_id(r, rec, buf, &id, &len);
  if (st != SW_OK) return st;
  st = sw__regions_builder_feature(r->b, id, len, r->err);
  if (st != SW_OK) return st;
  for (int p = 0; p < o->nParts; p++) {
    size_t n;
    load_part(r, o, p, &n);
    bool hole = signed_area2(r->xy, n) > 0;
    if (sw__regions_builder_ring(r->b, r->xy, n, hole, r->err) < 0)
      return SW_E_NOMEM;
  }
  return SW_OK;
}

static sw_status read_shapes(shp_reader *r, const sw_regions_opts *opts) {
  sw_status st = open_files(r);
  if (st != SW_OK) return st;
  int n_shapes = 0, type = 0;
  SHPGetInfo(r->shp, &n_shapes, &type, NULL, NULL);
  if (type != SHPT_POLYGON && type != SHPT_POLYGONZ && type != SHPT_POLYGONM) {
    sibling_exists(r, ".shp", ".SHP");
    sw__err(r->err, SW_E_SCHEMA, "the shapefile holds %s shapes, not polygons",
            SHPTypeName(type));
    sw__err_at(r->err, r->side, 0, NULL, 0);
    return SW_E_SCHEMA;
  }
  int n_records = DBFGetRecordCount(r->dbf);
  if (n_records < n_shapes) {
    sibling_exists(r, ".dbf", ".DBF");
    sw__err(r->err, SW_E_PARSE, "the .dbf has %d records for %d shapes",
            n_records, n_shapes);
    sw__err_at(r->err, r->side, 0, NULL, 0);
    return SW_E_PARSE;
  }
  st = pick_id_field(r, opts);
  if (st != SW_OK) return st;
  r->b = sw__regions_builder_new();
  if (!r->b) return sw__err(r->err, SW_E_NOMEM, "out of memory");
  for (int i = 0; i < n_shapes; i++) {
    if (DBFIsRecordDeleted(r->dbf, i)) {
      sw__regions_builder_skip(r->b, "deleted DBF record");
      continue;
    }
    SHPObject *o = SHPReadObject(r->shp, i);
    if (!o) return corrupt(r, i, "corrupt or truncated shape");
    st = add_shape(r, o, i);
    SHPDestroyObject(o);
    if (st != SW_OK) return st;
  }
  return SW_OK;
}

sw_status sw__read_shapefile(const char *path, const sw_regions_opts *opts,
                             sw_regions **out, sw_error *err) {
  *out = NULL;
  shp_reader r = {.path = path, .err = err};
  sw_status st = read_shapes(&r, opts);
  if (r.shp) SHPClose(r.shp);
  if (r.dbf) DBFClose(r.dbf);
  sw__free(r.base);
  sw__free(r.xy);
  return sw__regions_builder_conclude(r.b, st, path, out, err);
}
