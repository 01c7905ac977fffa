/*
 * geojson.h — JSON plumbing shared by the two JSON geometry readers
 * (geojson.c, topojson.c): loading and parsing a file with a positioned
 * error, choosing a region id by the rules of sw_regions_opts, and telling
 * geometry types apart.
 */
#ifndef SW_GEOJSON_H
#define SW_GEOJSON_H

#include <cjson/cJSON.h>

#include "steerwatch.h"

/* Read the whole file at path and parse it. On a parse error (which
 * includes nesting deeper than cJSON's limit of 1,000) the error carries
 * the line and byte where parsing stopped. OUT: *root, freed with
 * cJSON_Delete. */
sw_status sw__json_load(const char *path, cJSON **root, sw_error *err);

/* The region id of obj (a GeoJSON Feature or a TopoJSON geometry): the
 * property opts->id_property when set, else the member `id`, else the
 * property `id`. Strings are taken as they are, numbers as their shortest
 * decimal text. OUT: *id (borrowed from obj, or pointing into buf, which
 * needs 32 bytes) and *len. A missing or non-scalar id is SW_E_SCHEMA
 * naming what (e.g. "feature") and its index. */
sw_status sw__json_region_id(const cJSON *obj, const sw_regions_opts *opts,
                             char buf[32], const char **id, size_t *len,
                             const char *path, const char *what, size_t index,
                             sw_error *err);

/* Whether obj's "type" member is the string type. */
bool sw__json_type_is(const cJSON *obj, const char *type);

/* Whether g is a Polygon or MultiPolygon, or a GeometryCollection with a
 * polygonal member: a geometry that can make a region. */
bool sw__json_is_polygonal(const cJSON *g);

/* Receives one polygon's parts (multi false), or (multi true) the parts
 * member of a MultiPolygon that is not an array, to report. */
typedef sw_status (*sw_json_polygon_fn)(void *user, const cJSON *parts,
                                        bool multi);

/* Hand each polygon of g to add: g's own parts when g is a Polygon, each
 * element of them when a MultiPolygon, and so on down the members of a
 * GeometryCollection; other geometries hold none. key names the member
 * holding a polygon's parts: "coordinates" in GeoJSON, "arcs" in
 * TopoJSON. Stops at the first status from add other than SW_OK. */
sw_status sw__json_each_polygon(const cJSON *g, const char *key,
                                sw_json_polygon_fn add, void *user);

#endif
