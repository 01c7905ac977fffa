/*
 * report_map.c — the choropleth of report.html: excess releases by region
 * on an Albers USA map (albers.c), drawn as inline SVG.
 *
 * The outlines are projected and simplified once (sw__report_map_new) and
 * drawn once per target with that target's colours. Size is what matters:
 * a 3,230-county map must stay well under 2 MB of HTML. So coordinates are
 * integers in tenths of a pixel of the 960 x 500 frame, each vertex after
 * the first is a relative move, and a vertex closer than half a pixel to
 * the last one kept is dropped (measured in docs/design/report.md).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "err.h"
#include "regions.h"
#include "report.h"

/* Path units per frame pixel, and the simplification distance in units. */
#define UNIT 10.0
#define MIN_STEP 5

struct sw_report_map {
  size_t n;         /* regions */
  size_t *d_start;  /* [n+1] region i's path data is d[d_start[i]..) */
  sw_buf d;         /* all path data, back to back */
  size_t n_omitted; /* regions outside the three inset boxes */
  const sw_regions *g;
};

/* A coordinate pair; a separator only where the next number does not
 * start with a minus sign or follow a command letter. */
static bool put_pair(sw_buf *d, const char *cmd, long a, long b) {
  char tmp[48];
  int len = snprintf(tmp, sizeof tmp, "%s%s%ld%s%ld", cmd,
                     (*cmd || a < 0) ? "" : " ", a, b < 0 ? "" : " ", b);
  return sw__buf_append(d, tmp, (size_t)len);
}

/* Append one ring as an SVG subpath: M to the first vertex, then one l
 * with relative pairs, dropping vertices nearer than min_step units to the
 * last one kept. Rings that keep fewer than 3 vertices are left out. */
static bool ring_path(sw_buf *d, const double *xy, size_t n,
                      sw_albers_part part, long min_step, bool *drawn) {
  long px = 0, py = 0;
  size_t kept = 0;
  size_t mark = d->len;
  /* The ring is closed (last == first); z closes it again. */
  for (size_t k = 0; k + 1 < n; k++) {
    double x, y;
    sw__albers_project(part, xy[2 * k], xy[2 * k + 1], &x, &y);
    long ix = lround(x * UNIT), iy = lround(y * UNIT);
    bool ok;
    if (kept > 0) {
      long dx = ix - px, dy = iy - py;
      if (dx * dx + dy * dy < min_step * min_step) continue;
      ok = put_pair(d, kept == 1 ? "l" : "", dx, dy);
    } else {
      ok = put_pair(d, "M", ix, iy);
    }
    if (!ok) return false;
    px = ix;
    py = iy;
    kept++;
  }
  if (kept < 3) {
    d->len = mark;
    if (d->data) d->data[mark] = '\0';
    return true;
  }
  *drawn = true;
  return sw__buf_putc(d, 'z');
}

/* The inset that holds a region: by its centroid, else by the first ring
 * vertex that falls in one (a region straddling the antimeridian, such as
 * the Aleutians, has its lon/lat centroid far from the region). */
static sw_albers_part region_part(const sw_regions *g, size_t i) {
  sw_point c = sw_regions_centroid(g, i);
  sw_albers_part p = sw__albers_part(c.lon_deg, c.lat_deg);
  if (p != SW_ALBERS_NONE) return p;
  size_t nr = sw_regions_n_rings(g, i);
  for (size_t k = 0; k < nr; k++) {
    size_t np;
    bool hole;
    const double *xy = sw_regions_ring(g, i, k, &np, &hole);
    if (np > 0 && (p = sw__albers_part(xy[0], xy[1])) != SW_ALBERS_NONE)
      return p;
  }
  return SW_ALBERS_NONE;
}

sw_status sw__report_map_new(const sw_regions *g, sw_report_map **out,
                             sw_error *err) {
  *out = NULL;
  sw_report_map *m = sw__calloc(1, sizeof *m);
  if (!m) return sw__err(err, SW_E_NOMEM, "out of memory drawing the map");
  m->g = g;
  m->n = sw_regions_count(g);
  m->d_start = sw__calloc(m->n + 1, sizeof *m->d_start);
  if (!m->d_start) goto nomem;
  for (size_t i = 0; i < m->n; i++) {
    m->d_start[i] = m->d.len;
    sw_albers_part part = region_part(g, i);
    if (part == SW_ALBERS_NONE) {
      m->n_omitted++;
      continue;
    }
    size_t nr = sw_regions_n_rings(g, i);
    bool drawn = false;
    for (long step = MIN_STEP; step >= 0 && !drawn; step -= MIN_STEP)
      for (size_t k = 0; k < nr; k++) {
        size_t np;
        bool hole;
        const double *xy = sw_regions_ring(g, i, k, &np, &hole);
        if (!ring_path(&m->d, xy, np, part, step, &drawn)) goto nomem;
      }
  }
  m->d_start[m->n] = m->d.len;
  *out = m;
  return SW_OK;
nomem:
  sw__report_map_free(m);
  return sw__err(err, SW_E_NOMEM, "out of memory drawing the map");
}

void sw__report_map_free(sw_report_map *m) {
  if (!m) return;
  sw__free(m->d_start);
  sw__buf_free(&m->d);
  sw__free(m);
}

/* Seven classes of excess, symmetric about zero, in steps of s: the middle
 * one is "within s of the expectation". Red is more than predicted. */
static const char *const FILL[7] = {"#2166ac", "#67a9cf", "#d1e5f0", "#f7f7f7",
                                    "#fddbc7", "#ef8a62", "#b2182b"};

static int klass(double excess, double s) {
  double q = excess / s;
  int c = q <= -3   ? 0
          : q <= -2 ? 1
          : q <= -1 ? 2
          : q < 1   ? 3
          : q < 2   ? 4
          : q < 3   ? 5
                    : 6;
  return c;
}

static bool region_small(const sw_report_region *r) {
  return r->observed < SW_REPORT_MIN_PEOPLE &&
         !(r->expected >= SW_REPORT_MIN_PEOPLE);
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* The class step: a 1-2-5 number near a third of the 95th percentile of
 * |excess| over regions with enough people, so one outlier does not wash
 * the rest of the map out. */
static double class_step(sw_html *h, const sw_report_target *t) {
  double *v = sw__calloc(t->n_regions ? t->n_regions : 1, sizeof *v);
  if (!v) {
    h->oom = true;
    return 1;
  }
  size_t n = 0;
  for (size_t i = 0; i < t->n_regions; i++)
    if (!region_small(&t->regions[i]) && isfinite(t->regions[i].excess))
      v[n++] = fabs(t->regions[i].excess);
  double p95 = 0;
  if (n > 0) {
    qsort(v, n, sizeof *v, cmp_double);
    p95 = v[(size_t)floor(0.95 * (double)(n - 1))];
  }
  sw__free(v);
  double raw = p95 / 3;
  if (!(raw > 0)) return 1;
  double p = pow(10, floor(log10(raw)));
  double m = raw / p;
  return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * p;
}

static void legend_swatch(sw_html *h, double x, const char *fill,
                          const char *prefix, double a, double b, int dec) {
  sw__html_raw(h,
               "<rect width=\"64\" height=\"12\" y=\"4\" stroke=\"#999\" x=\"");
  sw__html_num(h, x, 0, false);
  sw__html_printf(h,
                  "\" fill=\"%s\"/><text class=\"tick\" text-anchor=\"middle\" "
                  "y=\"30\" x=\"",
                  fill);
  sw__html_num(h, x + 32, 0, false);
  sw__html_raw(h, "\">");
  if (prefix) {
    sw__html_raw(h, prefix);
    sw__html_num(h, a, dec, true);
  } else {
    sw__html_num(h, a, dec, true);
    sw__html_raw(h, " to ");
    sw__html_num(h, b, dec, true);
  }
  sw__html_raw(h, "</text>");
}

/* The scale in steps of s, then the marks that are not colours. */
static void legend(sw_html *h, double s) {
  int dec = s >= 1 ? 0 : (int)ceil(-log10(s) - 1e-9);
  sw__html_raw(h, "<svg class=\"legend\" viewBox=\"0 0 900 58\" role=\"img\" "
                  "aria-label=\"Map legend\"><text class=\"tick\" x=\"0\" "
                  "y=\"14\">Excess releases</text><text class=\"tick\" x=\"0\" "
                  "y=\"30\">released \xe2\x88\x92 expected</text>");
  const double x0 = 150, dx = 72;
  legend_swatch(h, x0, FILL[0], "\xe2\x89\xa4 ", -3 * s, 0, dec);
  legend_swatch(h, x0 + dx, FILL[1], NULL, -3 * s, -2 * s, dec);
  legend_swatch(h, x0 + 2 * dx, FILL[2], NULL, -2 * s, -s, dec);
  legend_swatch(h, x0 + 3 * dx, FILL[3], "\xc2\xb1", s, 0, dec);
  legend_swatch(h, x0 + 4 * dx, FILL[4], NULL, s, 2 * s, dec);
  legend_swatch(h, x0 + 5 * dx, FILL[5], NULL, 2 * s, 3 * s, dec);
  legend_swatch(h, x0 + 6 * dx, FILL[6], "\xe2\x89\xa5 +", 3 * s, 0, dec);
  sw__html_raw(
      h,
      "<text class=\"tick\" x=\"150\" y=\"50\">\xe2\x86\x90 fewer than "
      "expected</text><text class=\"tick\" text-anchor=\"end\" x=\"646\" "
      "y=\"50\">more than expected \xe2\x86\x92</text>"
      "<rect x=\"676\" y=\"4\" width=\"34\" height=\"12\" stroke=\"#999\" "
      "fill=\"url(#sw-hatch)\"/><text class=\"tick\" x=\"716\" y=\"14\">"
      "fewer than 10 people</text>"
      "<rect x=\"676\" y=\"22\" width=\"34\" height=\"12\" stroke=\"#999\" "
      "fill=\"#e4e4e4\"/><text class=\"tick\" x=\"716\" y=\"32\">no releases, "
      "no expectation</text>"
      "<rect x=\"676\" y=\"40\" width=\"34\" height=\"12\" fill=\"#f7f7f7\" "
      "stroke=\"#111\" stroke-width=\"1.6\"/><text class=\"tick\" x=\"716\" "
      "y=\"50\">region in the target</text></svg>");
}

static void region_title(sw_html *h, const char *id,
                         const sw_report_region *r) {
  sw__html_raw(h, "<title>");
  sw__html_text(h, id);
  if (!r) {
    sw__html_raw(h, ": no releases, no expectation");
  } else if (r->observed == SW__SUPPRESSED) {
    sw__html_raw(h, ": withheld (few people, or needed to protect a "
                    "small count)");
  } else if (region_small(r)) {
    sw__html_raw(h, ": fewer than 10 people released or expected");
  } else {
    sw__html_raw(h, ": ");
    sw__html_people(h, r->observed);
    sw__html_raw(h, " released, ");
    sw__html_num(h, r->expected, 1, true);
    sw__html_raw(h, " expected, excess ");
    if (r->excess > 0) sw__html_raw(h, "+");
    sw__html_num(h, r->excess, 1, true);
  }
  if (r && r->in_target) sw__html_raw(h, " (in the target)");
  sw__html_raw(h, "</title>");
}

void sw__report_map_draw(sw_html *h, const sw_report_map *m,
                         const sw_report_target *t) {
  const sw_report_region **row = sw__calloc(m->n ? m->n : 1, sizeof *row);
  if (!row) {
    h->oom = true;
    return;
  }
  for (size_t i = 0; i < t->n_regions; i++) {
    size_t k;
    if (t->regions[i].id && sw_regions_find(m->g, t->regions[i].id, &k))
      row[k] = &t->regions[i];
  }
  double s = class_step(h, t);
  sw__html_raw(h, "<svg class=\"map\" viewBox=\"0 0 9600 5000\" role=\"img\" "
                  "aria-label=\"Map of excess releases by region\">");
  /* Target regions last, so their dark outline is not painted over by a
   * neighbour's light one. */
  for (int pass = 0; pass < 2; pass++) {
    sw__html_raw(h, pass ? "<g class=\"tg\">" : "<g class=\"rg\">");
    for (size_t i = 0; i < m->n; i++) {
      const sw_report_region *r = row[i];
      if ((r && r->in_target) != (pass == 1)) continue;
      size_t a = m->d_start[i], b = m->d_start[i + 1];
      if (a == b) continue;
      const char *cls;
      char cbuf[8];
      if (!r)
        cls = "nd";
      else if (region_small(r) || !isfinite(r->excess))
        cls = "sm";
      else {
        cbuf[0] = 'c';
        cbuf[1] = (char)('0' + klass(r->excess, s));
        cbuf[2] = '\0';
        cls = cbuf;
      }
      sw__html_printf(h, "<path class=\"%s\" d=\"", cls);
      if (!h->oom && !sw__buf_append(&h->b, m->d.data + a, b - a))
        h->oom = true;
      sw__html_raw(h, "\">");
      region_title(h, sw_regions_id(m->g, i), r);
      sw__html_raw(h, "</path>");
    }
    sw__html_raw(h, "</g>");
  }
  sw__html_raw(h, "</svg>");
  legend(h, s);
  if (m->n_omitted > 0) {
    sw__html_raw(h, "<p class=\"note\">");
    sw__html_num(h, (double)m->n_omitted, 0, true);
    sw__html_raw(h, m->n_omitted == 1 ? " region lies" : " regions lie");
    sw__html_raw(h, " outside the lower 48 states, Alaska and Hawaii (for "
                    "example Puerto Rico and the other territories) and "
                    "are not drawn; their figures are in regions.csv.</p>");
  }
  sw__free(row);
}
