/*
 * report_tables.c — the tables of report.html: facilities (where steering
 * flows from), the regions with the largest excess, events, the choice
 * model's coefficients, and the records placed away from their ties.
 *
 * Every count of people goes through sw__html_people and every share drawn
 * from fewer than SW_REPORT_MIN_PEOPLE records is withheld, so that no
 * table shows a precise rate for a handful of people.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "report.h"

/* Rows shown before "and N more". */
#define MAX_FACILITIES 25
#define MAX_REGIONS 12

static void td_num(sw_html *h, double x, int dec) {
  sw__html_raw(h, "<td class=\"n\">");
  sw__html_num(h, x, dec, true);
  sw__html_raw(h, "</td>");
}

static void td_signed(sw_html *h, double x, int dec) {
  sw__html_raw(h, "<td class=\"n\">");
  if (x > 0 && isfinite(x)) sw__html_raw(h, "+");
  sw__html_num(h, x, dec, true);
  sw__html_raw(h, "</td>");
}

static void td_people(sw_html *h, uint64_t n) {
  sw__html_raw(h, "<td class=\"n\">");
  sw__html_people(h, n);
  sw__html_raw(h, "</td>");
}

static void td_share(sw_html *h, double share, uint64_t base) {
  sw__html_raw(h, "<td class=\"n\">");
  if (base == SW__SUPPRESSED)
    sw__html_raw(h, "<span class=\"few\">withheld</span>");
  else if (base < SW_REPORT_MIN_PEOPLE)
    sw__html_raw(h, "<span class=\"few\">too few</span>");
  else
    sw__html_pct(h, share);
  sw__html_raw(h, "</td>");
}

static void td_text(sw_html *h, const char *s) {
  sw__html_raw(h, "<td>");
  sw__html_text(h, s);
  sw__html_raw(h, "</td>");
}

static void more_rows(sw_html *h, size_t shown, size_t total,
                      const char *where) {
  if (total <= shown) return;
  sw__html_raw(h, "<p class=\"note\">and ");
  sw__html_num(h, (double)(total - shown), 0, true);
  sw__html_raw(h, " more in ");
  sw__html_raw(h, where);
  sw__html_raw(h, ".</p>");
}

/* Orders facilities by excess, largest first, then by name, so the page
 * is the same whatever order the audit lists them in. */
static int cmp_facility(const void *a, const void *b) {
  const sw_report_facility *x = *(const sw_report_facility *const *)a;
  const sw_report_facility *y = *(const sw_report_facility *const *)b;
  double ex = isfinite(x->excess) ? x->excess : -INFINITY;
  double ey = isfinite(y->excess) ? y->excess : -INFINITY;
  if (ex != ey) return ex < ey ? 1 : -1;
  return strcmp(x->facility ? x->facility : "", y->facility ? y->facility : "");
}

void sw__report_facility_table(sw_html *h, const sw_report_target *t) {
  if (t->n_facilities == 0) {
    sw__html_raw(h, "<p class=\"note\">The records name no facilities.</p>");
    return;
  }
  const sw_report_facility **v = sw__calloc(t->n_facilities, sizeof *v);
  if (!v) {
    h->oom = true;
    return;
  }
  for (size_t i = 0; i < t->n_facilities; i++)
    v[i] = &t->facilities[i];
  qsort(v, t->n_facilities, sizeof *v, cmp_facility);
  size_t shown =
      t->n_facilities < MAX_FACILITIES ? t->n_facilities : MAX_FACILITIES;
  sw__html_raw(
      h,
      "<table><thead><tr><th>Facility</th><th class=\"n\">People</th>"
      "<th class=\"n\">Into the target</th><th class=\"n\">Observed share</th>"
      "<th class=\"n\">Expected share</th><th class=\"n\">Excess</th>"
      "</tr></thead><tbody>");
  for (size_t i = 0; i < shown; i++) {
    const sw_report_facility *f = v[i];
    sw__html_raw(h, "<tr>");
    td_text(h, f->facility);
    td_people(h, f->n);
    td_people(h, f->n_target);
    td_share(h, f->observed_share, f->n);
    td_share(h, f->expected_share, f->n);
    if (f->n == SW__SUPPRESSED)
      sw__html_raw(h,
                   "<td class=\"n\"><span class=\"few\">withheld</span></td>");
    else if (f->n < SW_REPORT_MIN_PEOPLE)
      sw__html_raw(h,
                   "<td class=\"n\"><span class=\"few\">too few</span></td>");
    else
      td_signed(h, f->excess, 1);
    sw__html_raw(h, "</tr>");
  }
  sw__html_raw(h, "</tbody></table>");
  more_rows(h, shown, t->n_facilities, "results.json");
  sw__free(v);
}

static int cmp_region(const void *a, const void *b) {
  const sw_report_region *x = *(const sw_report_region *const *)a;
  const sw_report_region *y = *(const sw_report_region *const *)b;
  if (x->excess != y->excess) return x->excess < y->excess ? 1 : -1;
  return strcmp(x->id ? x->id : "", y->id ? y->id : "");
}

void sw__report_region_table(sw_html *h, const sw_report_target *t) {
  const sw_report_region **v =
      sw__calloc(t->n_regions ? t->n_regions : 1, sizeof *v);
  if (!v) {
    h->oom = true;
    return;
  }
  size_t n = 0;
  for (size_t i = 0; i < t->n_regions; i++)
    if (isfinite(t->regions[i].excess) && t->regions[i].excess > 0 &&
        t->regions[i].observed >= SW_REPORT_MIN_PEOPLE)
      v[n++] = &t->regions[i];
  if (n == 0) {
    sw__html_raw(h, "<p class=\"note\">No region with 10 or more releases "
                    "received more than expected.</p>");
    sw__free(v);
    return;
  }
  qsort(v, n, sizeof *v, cmp_region);
  size_t shown = n < MAX_REGIONS ? n : MAX_REGIONS;
  sw__html_raw(h, "<table><thead><tr><th>Region</th><th>In the target</th>"
                  "<th class=\"n\">Released</th><th class=\"n\">Expected</th>"
                  "<th class=\"n\">Excess</th></tr></thead><tbody>");
  for (size_t i = 0; i < shown; i++) {
    sw__html_raw(h, "<tr>");
    td_text(h, v[i]->id);
    sw__html_raw(h, v[i]->in_target ? "<td>yes</td>" : "<td>no</td>");
    td_people(h, v[i]->observed);
    td_num(h, v[i]->expected, 1);
    td_signed(h, v[i]->excess, 1);
    sw__html_raw(h, "</tr>");
  }
  sw__html_raw(h, "</tbody></table>");
  more_rows(h, shown, n, "regions.csv");
  sw__free(v);
}

void sw__report_event_table(sw_html *h, const sw_report_target *t) {
  if (t->n_events == 0) return;
  sw__html_raw(
      h, "<table><thead><tr><th>Date</th><th>Event</th>"
         "<th class=\"n\">People before</th><th class=\"n\">Share before</th>"
         "<th class=\"n\">People after</th><th class=\"n\">Share after</th>"
         "<th class=\"n\">Test of equal shares</th></tr></thead><tbody>");
  for (size_t i = 0; i < t->n_events; i++) {
    const sw_report_event *e = &t->events[i];
    sw__html_raw(h, "<tr><td class=\"d\">");
    sw__html_date(h, e->date);
    sw__html_raw(h, "</td>");
    td_text(h, e->label);
    td_people(h, e->n_before);
    td_share(h, e->before_share, e->n_before);
    td_people(h, e->n_after);
    td_share(h, e->after_share, e->n_after);
    sw__html_raw(h, "<td class=\"n\">");
    sw__html_p(h, e->p_value);
    sw__html_raw(h, "</td></tr>");
  }
  sw__html_raw(h, "</tbody></table>");
}

void sw__report_coef_table(sw_html *h, const sw_report_target *t) {
  if (t->n_coefs == 0) return;
  sw__html_raw(
      h, "<table><thead><tr><th>Coefficient</th><th class=\"n\">Estimate</th>"
         "<th class=\"n\">SE (model)</th><th class=\"n\">SE (by facility)</th>"
         "<th class=\"n\">95% interval</th></tr></thead><tbody>");
  for (size_t i = 0; i < t->n_coefs; i++) {
    const sw_report_coef *c = &t->coefs[i];
    sw__html_raw(h, "<tr><td><code>");
    sw__html_text(h, c->name);
    sw__html_raw(h, "</code></td>");
    td_num(h, c->estimate, 4);
    td_num(h, c->se, 4);
    td_num(h, c->se_cluster, 4);
    sw__html_raw(h, "<td class=\"n\">");
    sw__html_num(h, c->ci_low, 3, false);
    sw__html_raw(h, " to ");
    sw__html_num(h, c->ci_high, 3, false);
    sw__html_raw(h, "</td></tr>");
  }
  sw__html_raw(h, "</tbody></table>");
}

void sw__report_flagged_table(sw_html *h, const sw_report_input *in) {
  size_t shown = in->n_flagged_rows < SW_REPORT_MAX_FLAGGED
                     ? in->n_flagged_rows
                     : SW_REPORT_MAX_FLAGGED;
  if (shown == 0) return;
  sw__html_raw(
      h, "<table class=\"small "
         "flagged\"><thead><tr><th>Record</th><th>Facility</th>"
         "<th>Released in</th><th>Ties in</th><th class=\"n\">km from ties</th>"
         "<th>Reason</th></tr></thead><tbody>");
  for (size_t i = 0; i < shown; i++) {
    const sw_report_flagged *f = &in->flagged_rows[i];
    sw__html_raw(h, "<tr>");
    td_text(h, f->id);
    td_text(h, f->facility);
    td_text(h, f->release_region);
    td_text(h, f->ties_region);
    td_num(h, f->km, 0);
    td_text(h, f->reason);
    sw__html_raw(h, "</tr>");
  }
  sw__html_raw(h, "</tbody></table>");
  uint64_t total = in->flagged > shown ? in->flagged : shown;
  more_rows(h, shown, (size_t)total, "flagged.csv");
}
