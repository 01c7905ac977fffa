/*
 * report_svg.c — the two charts of a target's section of report.html, as
 * inline SVG: the steering coefficient per period (dot and whisker over
 * time, zero line) and the weekly excess in the target (bars of observed
 * minus expected, change points with their intervals, events).
 *
 * Charts are drawn on a fixed 900-unit-wide viewBox and scaled by CSS, so
 * the same markup serves screen and print. Coordinates are written with
 * one decimal through the locale-free formatter.
 */
#include <math.h>
#include <string.h>

#include "date.h"
#include "report.h"

#define W 900.0
#define LEFT 64.0
#define RIGHT 16.0

/* Colours: the diverging pair of the map, so red always means "more into
 * the target than predicted". */
#define C_POS "#b2182b"
#define C_NEG "#2166ac"
#define C_GREY "#9a9a9a"

typedef struct axis {
  double d0, d1; /* domain */
  double r0, r1; /* range */
} axis;

static double at(const axis *a, double v) {
  if (a->d1 == a->d0) return (a->r0 + a->r1) / 2;
  return a->r0 + (v - a->d0) / (a->d1 - a->d0) * (a->r1 - a->r0);
}

static void coord(sw_html *h, double v) { sw__html_num(h, v, 1, false); }

/* A step of 1, 2 or 5 times a power of ten giving about n intervals. */
static double nice_step(double span, int n) {
  if (!(span > 0)) return 1;
  double raw = span / n;
  double p = pow(10, floor(log10(raw)));
  double m = raw / p;
  return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * p;
}

static int step_decimals(double step) {
  int d = (int)-floor(log10(step) + 1e-9);
  return d < 0 ? 0 : d > 6 ? 6 : d;
}

/* Value ticks with grid lines and labels, left of the plot. */
static void y_ticks(sw_html *h, const axis *y, double x0, double x1) {
  double step = nice_step(y->d1 - y->d0, 5);
  if (!isfinite(step) || !(step > 0)) return;
  int dec = step_decimals(step);
  /* The domain always holds 0, so the step is of the values' magnitude
   * and there are about five ticks; the cap is for safety alone. */
  int k = 0;
  for (double v = ceil(y->d0 / step - 1e-9) * step;
       v <= y->d1 + 1e-9 * step && k < 20; v += step, k++) {
    double py = at(y, v);
    sw__html_raw(h, "<line class=\"grid\" x1=\"");
    coord(h, x0);
    sw__html_raw(h, "\" x2=\"");
    coord(h, x1);
    sw__html_raw(h, "\" y1=\"");
    coord(h, py);
    sw__html_raw(h, "\" y2=\"");
    coord(h, py);
    sw__html_raw(h, "\"/><text class=\"tick\" text-anchor=\"end\" x=\"");
    coord(h, x0 - 6);
    sw__html_raw(h, "\" y=\"");
    coord(h, py + 4);
    sw__html_raw(h, "\">");
    sw__html_num(h, fabs(v) < step / 2 ? 0 : v, dec, true);
    sw__html_raw(h, "</text>");
  }
}

/* Month index (12 * year + month - 1) of a day, and the first day of a
 * month index. */
static int64_t month_of(int64_t z) {
  int64_t y, m, d;
  sw__civil_from_days(z, &y, &m, &d);
  return 12 * y + m - 1;
}

static int64_t first_day(int64_t month_index) {
  int64_t y = month_index >= 0 ? month_index / 12 : (month_index - 11) / 12;
  return sw__days_from_civil(y, month_index - 12 * y + 1, 1);
}

static const char *const MONTHS[12] = {"Jan", "Feb", "Mar", "Apr",
                                       "May", "Jun", "Jul", "Aug",
                                       "Sep", "Oct", "Nov", "Dec"};

/* Month ticks along the bottom, every 1, 3, 6, 12, 24, 60 ... months so
 * that at most about eight labels fit; years alone from 12 months up. */
static void x_date_ticks(sw_html *h, const axis *x, double y1) {
  int64_t m0 = month_of((int64_t)x->d0), m1 = month_of((int64_t)x->d1);
  static const int64_t steps[] = {1, 3, 6, 12, 24, 60, 120, 240, 600, 1200};
  int64_t step = 0;
  for (size_t i = 0; i < sizeof steps / sizeof steps[0] && !step; i++)
    if ((m1 - m0 + 1) / steps[i] <= 8) step = steps[i];
  if (!step) return;
  int64_t first = m0 >= 0 ? (m0 + step - 1) / step * step : m0 / step * step;
  for (int64_t mi = first; mi <= m1; mi += step) {
    int64_t d = first_day(mi);
    if (d < x->d0 || d > x->d1) continue;
    double px = at(x, (double)d);
    sw__html_raw(h, "<line class=\"axis\" x1=\"");
    coord(h, px);
    sw__html_raw(h, "\" x2=\"");
    coord(h, px);
    sw__html_raw(h, "\" y1=\"");
    coord(h, y1);
    sw__html_raw(h, "\" y2=\"");
    coord(h, y1 + 4);
    /* Labels at the ends are anchored inward so they are not cut. */
    const char *anchor = px > x->r1 - 28   ? "end"
                         : px < x->r0 + 28 ? "start"
                                           : "middle";
    sw__html_printf(h, "\"/><text class=\"tick\" text-anchor=\"%s\" x=\"",
                    anchor);
    coord(h, px);
    sw__html_raw(h, "\" y=\"");
    coord(h, y1 + 16);
    sw__html_raw(h, "\">");
    long long year = (long long)(mi >= 0 ? mi / 12 : (mi - 11) / 12);
    if (step >= 12)
      sw__html_printf(h, "%lld", year);
    else
      sw__html_printf(h, "%s %lld", MONTHS[mi - 12 * year], year);
    sw__html_raw(h, "</text>");
  }
}

static void frame_open(sw_html *h, double height, const char *label) {
  sw__html_raw(h, "<svg class=\"chart\" viewBox=\"0 0 900 ");
  coord(h, height);
  sw__html_raw(h, "\" role=\"img\" aria-label=\"");
  sw__html_raw(h, label);
  sw__html_raw(h, "\">");
}

static void y_label(sw_html *h, double y_mid, const char *text) {
  sw__html_raw(
      h,
      "<text class=\"lab\" text-anchor=\"middle\" transform=\"translate(14 ");
  coord(h, y_mid);
  sw__html_raw(h, ") rotate(-90)\">");
  sw__html_raw(h, text);
  sw__html_raw(h, "</text>");
}

/* A line from (x1, y1) to (x2, y2). */
static void line(sw_html *h, const char *cls, double x1, double x2, double y1,
                 double y2) {
  sw__html_printf(h, "<line class=\"%s\" x1=\"", cls);
  coord(h, x1);
  sw__html_raw(h, "\" x2=\"");
  coord(h, x2);
  sw__html_raw(h, "\" y1=\"");
  coord(h, y1);
  sw__html_raw(h, "\" y2=\"");
  coord(h, y2);
  sw__html_raw(h, "\"/>");
}

static void hline(sw_html *h, const char *cls, double x0, double x1, double y) {
  line(h, cls, x0, x1, y, y);
}

static void vline(sw_html *h, const char *cls, double x, double y0, double y1) {
  line(h, cls, x, x, y0, y1);
}

static bool period_shown(const sw_report_period *p) {
  return isfinite(p->gamma) && isfinite(p->ci_low) && isfinite(p->ci_high) &&
         p->n >= SW_REPORT_MIN_PEOPLE;
}

static const sw_report_coef *gamma_coef(const sw_report_target *t) {
  for (size_t i = 0; i < t->n_coefs; i++)
    if (t->coefs[i].name && strcmp(t->coefs[i].name, "target") == 0)
      return &t->coefs[i];
  return NULL;
}

void sw__report_gamma_chart(sw_html *h, const sw_report_target *t) {
  if (t->n_periods == 0) return;
  const double H = 280, top = 16, bottom = H - 34;
  double lo = 0, hi = 0;
  int32_t d0 = t->periods[0].from, d1 = t->periods[0].to;
  for (size_t i = 0; i < t->n_periods; i++) {
    const sw_report_period *p = &t->periods[i];
    if (p->from < d0) d0 = p->from;
    if (p->to > d1) d1 = p->to;
    if (!period_shown(p)) continue;
    lo = fmin(lo, p->ci_low);
    hi = fmax(hi, p->ci_high);
  }
  const sw_report_coef *g = gamma_coef(t);
  if (g && isfinite(g->estimate)) {
    lo = fmin(lo, g->estimate);
    hi = fmax(hi, g->estimate);
  }
  double pad = (hi - lo) * 0.08 + 0.05;
  axis y = {lo - pad, hi + pad, bottom, top};
  axis x = {d0, d1, LEFT, W - RIGHT};

  frame_open(h, H, "Steering coefficient per period with 95% intervals");
  y_ticks(h, &y, LEFT, W - RIGHT);
  x_date_ticks(h, &x, bottom);
  hline(h, "axis", LEFT, W - RIGHT, bottom);
  hline(h, "zero", LEFT, W - RIGHT, at(&y, 0));
  y_label(h, (top + bottom) / 2, "\xce\xb3 (log-odds)");
  if (g && isfinite(g->estimate)) {
    hline(h, "overall", LEFT, W - RIGHT, at(&y, g->estimate));
    sw__html_raw(h, "<text class=\"tick\" text-anchor=\"end\" x=\"");
    coord(h, W - RIGHT - 2);
    sw__html_raw(h, "\" y=\"");
    coord(h, at(&y, g->estimate) - 4);
    sw__html_raw(h, "\">whole span: \xce\xb3 = ");
    sw__html_num(h, g->estimate, 2, false);
    sw__html_raw(h, "</text>");
  }
  for (size_t i = 0; i < t->n_periods; i++) {
    const sw_report_period *p = &t->periods[i];
    double px = at(&x, (p->from + p->to) / 2.0);
    sw__html_raw(h, "<g><title>");
    sw__html_date(h, p->from);
    sw__html_raw(h, " to ");
    sw__html_date(h, p->to - 1);
    sw__html_raw(h, ": ");
    if (period_shown(p)) {
      sw__html_raw(h, "\xce\xb3 = ");
      sw__html_estimate(h, p->gamma, p->ci_low, p->ci_high);
      sw__html_raw(h, ", ");
      sw__html_people(h, p->n);
      sw__html_raw(h, " people</title>");
      bool clear = p->ci_low > 0 || p->ci_high < 0;
      const char *col = !clear ? C_GREY : p->gamma > 0 ? C_POS : C_NEG;
      sw__html_printf(h, "<line stroke=\"%s\" stroke-width=\"2\" x1=\"", col);
      coord(h, px);
      sw__html_raw(h, "\" x2=\"");
      coord(h, px);
      sw__html_raw(h, "\" y1=\"");
      coord(h, at(&y, p->ci_low));
      sw__html_raw(h, "\" y2=\"");
      coord(h, at(&y, p->ci_high));
      sw__html_printf(h,
                      "\"/><circle r=\"4.5\" stroke=\"%s\" fill=\"%s\" cx=\"",
                      col, clear ? col : "#fff");
      coord(h, px);
      sw__html_raw(h, "\" cy=\"");
      coord(h, at(&y, p->gamma));
      sw__html_raw(h, "\"/></g>");
    } else {
      if (p->n < SW_REPORT_MIN_PEOPLE)
        sw__html_raw(h, "not estimated: fewer than 10 people");
      else {
        sw__html_raw(h, "not estimated: ");
        sw__html_text(h, p->why_missing ? p->why_missing : "no estimate");
      }
      sw__html_raw(
          h, "</title><text class=\"missing\" text-anchor=\"middle\" x=\"");
      coord(h, px);
      sw__html_raw(h, "\" y=\"");
      coord(h, at(&y, 0) + 4);
      sw__html_raw(h, "\">\xc3\x97</text></g>");
    }
  }
  sw__html_raw(h, "</svg>");
}

/* Up to max bytes of s, cut at a character boundary, with an ellipsis. */
static void short_text(sw_html *h, const char *s, size_t max) {
  size_t n = strlen(s);
  if (n <= max) {
    sw__html_text(h, s);
    return;
  }
  while (max > 0 && ((unsigned char)s[max] & 0xc0) == 0x80)
    max--;
  char buf[128];
  if (max >= sizeof buf) max = sizeof buf - 1;
  memcpy(buf, s, max);
  buf[max] = '\0';
  sw__html_text(h, buf);
  sw__html_raw(h, "\xe2\x80\xa6");
}

void sw__report_weekly_chart(sw_html *h, const sw_report_target *t) {
  if (t->n_weeks == 0) return;
  size_t n_rows = t->n_events < 3 ? t->n_events : 3;
  const double top = 22 + 13.0 * (double)n_rows,
               H = 300 + 13.0 * (double)n_rows;
  const double bottom = H - 34;
  double lo = 0, hi = 0;
  for (size_t i = 0; i < t->n_weeks; i++) {
    double e = (double)t->weeks[i].observed - t->weeks[i].expected;
    if (!isfinite(e)) continue;
    lo = fmin(lo, e);
    hi = fmax(hi, e);
  }
  double pad = (hi - lo) * 0.06 + 0.5;
  axis y = {lo - pad, hi + pad, bottom, top};
  int32_t d0 = t->weeks[0].start, d1 = t->weeks[t->n_weeks - 1].start + 7;
  axis x = {d0, d1, LEFT, W - RIGHT};

  frame_open(
      h, H,
      "Weekly releases into the target above or below the model's expectation");
  for (size_t i = 0; i < t->n_changes; i++) {
    const sw_report_change *c = &t->changes[i];
    double xa = fmax(at(&x, c->ci_from), LEFT);
    double xb = fmin(at(&x, c->ci_to + 1), W - RIGHT);
    if (xb <= xa) continue;
    sw__html_raw(h, "<rect class=\"cpci\" x=\"");
    coord(h, xa);
    sw__html_raw(h, "\" y=\"");
    coord(h, top);
    sw__html_raw(h, "\" width=\"");
    coord(h, fmax(xb - xa, 1));
    sw__html_raw(h, "\" height=\"");
    coord(h, bottom - top);
    sw__html_raw(h, "\"><title>change point ");
    sw__html_date(h, c->date);
    sw__html_raw(h, ", 95% interval ");
    sw__html_date(h, c->ci_from);
    sw__html_raw(h, " to ");
    sw__html_date(h, c->ci_to);
    sw__html_raw(h, "</title></rect>");
  }
  y_ticks(h, &y, LEFT, W - RIGHT);
  x_date_ticks(h, &x, bottom);
  hline(h, "axis", LEFT, W - RIGHT, bottom);
  y_label(h, (top + bottom) / 2, "observed \xe2\x88\x92 expected");

  double bw = (W - RIGHT - LEFT) / (double)t->n_weeks;
  double gap = bw > 4 ? 1 : 0;
  double y0 = at(&y, 0);
  for (size_t i = 0; i < t->n_weeks; i++) {
    const sw_report_week *wk = &t->weeks[i];
    double e = (double)wk->observed - wk->expected;
    if (!isfinite(e)) continue;
    bool small = wk->n < SW_REPORT_MIN_PEOPLE;
    double ye = at(&y, e);
    sw__html_printf(h, "<rect fill=\"%s\" x=\"",
                    small    ? "#d0d0d0"
                    : e >= 0 ? C_POS
                             : C_NEG);
    coord(h, at(&x, wk->start) + gap / 2);
    sw__html_raw(h, "\" y=\"");
    coord(h, fmin(y0, ye));
    sw__html_raw(h, "\" width=\"");
    coord(h, fmax(bw - gap, 0.3));
    sw__html_raw(h, "\" height=\"");
    coord(h, fmax(fabs(ye - y0), 0.3));
    sw__html_raw(h, "\"><title>week of ");
    sw__html_date(h, wk->start);
    sw__html_raw(h, ": ");
    if (small) {
      sw__html_raw(h, "fewer than 10 people");
    } else {
      sw__html_people(h, wk->observed);
      sw__html_raw(h, " into the target of ");
      sw__html_people(h, wk->n);
      sw__html_raw(h, "; expected ");
      sw__html_num(h, wk->expected, 1, true);
    }
    sw__html_raw(h, "</title></rect>");
  }
  hline(h, "zero", LEFT, W - RIGHT, y0);

  for (size_t i = 0; i < t->n_changes; i++) {
    const sw_report_change *c = &t->changes[i];
    double px = at(&x, c->date);
    if (px < LEFT || px > W - RIGHT) continue;
    vline(h, "cp", px, top, bottom);
    sw__html_raw(h, "<text class=\"cplab\" x=\"");
    coord(h, px + 3);
    sw__html_raw(h, "\" y=\"");
    coord(h, bottom - 4);
    sw__html_raw(h, "\">change ");
    sw__html_date(h, c->date);
    sw__html_raw(h, "</text>");
  }
  for (size_t i = 0; i < t->n_events; i++) {
    const sw_report_event *ev = &t->events[i];
    double px = at(&x, ev->date);
    if (px < LEFT || px > W - RIGHT) continue;
    double ly = 12 + 13.0 * (double)(i % 3);
    vline(h, "ev", px, ly + 3, bottom);
    sw__html_raw(h, "<path class=\"evm\" d=\"M");
    coord(h, px - 4);
    sw__html_raw(h, " ");
    coord(h, ly + 2);
    sw__html_raw(h, "h8l-4 6z\"/>");
    bool right_side = px > W * 0.7;
    sw__html_printf(h, "<text class=\"evlab\" text-anchor=\"%s\" x=\"",
                    right_side ? "end" : "start");
    coord(h, right_side ? px - 6 : px + 6);
    sw__html_raw(h, "\" y=\"");
    coord(h, ly + 8);
    sw__html_raw(h, "\"><title>");
    sw__html_date(h, ev->date);
    sw__html_raw(h, " ");
    sw__html_text(h, ev->label ? ev->label : "event");
    sw__html_raw(h, "</title>");
    short_text(h, ev->label ? ev->label : "event", 40);
    sw__html_raw(h, "</text>");
  }
  sw__html_raw(h, "</svg>");
}
