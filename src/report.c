/*
 * report.c — report.html, the page a person reads at the end of an audit:
 * the finding in plain words with its uncertainty and its limits, then per
 * target the coefficient over time, the weekly excess, the map and the
 * facilities, then displacement, method and provenance.
 *
 * Place in the pipeline: the last step of `steerwatch audit`, fed by the
 * audit through the plain struct of report.h. The page is one file with no
 * request to the network: inline CSS and SVG, no script, no font or image
 * by URL, and a Content-Security-Policy that forbids any load should a
 * future edit add one. Layout and rules: docs/design/report.md.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "err.h"
#include "report.h"

static const char CSS[] =
    ":root{--ink:#1b1b1b;--muted:#555;--line:#d6d6d6;--pos:#b2182b;"
    "--neg:#2166ac}*{box-sizing:border-box}body{margin:0;color:var(--ink);"
    "background:#fff;"
    "font:15px/1.5 system-ui,-apple-system,\"Segoe UI\",Roboto,\"Helvetica "
    "Neue\",Arial,sans-serif}"
    "main{max-width:960px;margin:0 auto;padding:24px 20px 48px}h1{"
    "font-size:26px;line-height:1.25;margin:0 0 4px}h2{font-size:20px;"
    "margin:36px 0 8px;padding-top:12px;border-top:2px solid var(--ink)}h3{"
    "font-size:16px;margin:24px 0 6px}p{margin:6px 0 10px}.sub{"
    "color:var(--muted);margin:0 0 16px}.banner{border:1px solid #c98b00;"
    "background:#fff6dc;padding:8px 12px;margin:12px 0}.finding{"
    "border-left:6px solid var(--ink);background:#f4f4f4;padding:12px 16px;"
    "margin:12px 0;font-size:17px}.finding.pos{border-color:var(--pos)}"
    ".finding.neg{border-color:var(--neg)}.finding .level{display:block;"
    "margin-top:8px;font-size:15px;color:#333}.limits{"
    "border:1px solid var(--line);padding:8px 16px;margin:12px 0}.limits h3{"
    "margin-top:6px}.limits li{margin:3px 0}.kv{display:flex;flex-wrap:wrap;"
    "gap:8px;margin:10px 0}.kv div{border:1px solid var(--line);"
    "padding:6px 10px;min-width:150px}.kv b{display:block;font-size:19px}"
    ".kv span{color:var(--muted);font-size:13px}nav ul{margin:4px 0;"
    "padding-left:20px;columns:2}table{border-collapse:collapse;width:100%;"
    "margin:8px 0 4px;font-size:14px}th,td{text-align:left;padding:4px 8px;"
    "border-bottom:1px solid var(--line);vertical-align:top}th{"
    "border-bottom:2px solid #999;font-weight:600}td.n,th.n{text-align:right;"
    "font-variant-numeric:tabular-nums}td.n,td.d{white-space:nowrap}"
    "table.small{font-size:13px}table.flagged td:nth-child(-n+2){"
    "overflow-wrap:normal}tbody th{font-weight:600;"
    "border-bottom:1px solid var(--line);width:30%}td{overflow-wrap:anywhere;"
    "min-width:4.5em}code{"
    "font-family:ui-monospace,\"DejaVu Sans Mono\",Menlo,Consolas,monospace;"
    "font-size:.92em}.hash{font-size:12px;word-break:break-all}.few{"
    "color:var(--muted);font-style:italic}.note,figcaption{"
    "color:var(--muted);font-size:13px}figure{margin:8px 0 14px}svg{"
    "display:block;width:100%;height:auto}svg text{"
    "font-family:system-ui,-apple-system,\"Segoe UI\",Roboto,Arial,sans-serif}"
    ".tick{font-size:11px;fill:#444}.lab{font-size:12px;fill:#333}.grid{"
    "stroke:#ececec}.axis{stroke:#888}.zero{stroke:#222;stroke-width:1.2}"
    ".overall{stroke:#777;stroke-dasharray:5 4}.missing{font-size:14px;"
    "fill:#888}.cpci{fill:#f0c419;fill-opacity:.22}.cp{stroke:#8a6d00;"
    "stroke-width:1.6}.cplab{font-size:11px;fill:#6b5500}.ev{stroke:#333;"
    "stroke-dasharray:3 3}.evm{fill:#333}.evlab{font-size:11px;fill:#222}"
    ".map path{stroke:#bcbcbc;stroke-width:1.5;stroke-linejoin:round}"
    ".map .tg path{stroke:#111;stroke-width:7}.c0{fill:#2166ac}.c1{"
    "fill:#67a9cf}.c2{fill:#d1e5f0}.c3{fill:#f7f7f7}.c4{fill:#fddbc7}.c5{"
    "fill:#ef8a62}.c6{fill:#b2182b}.sm{fill:url(#sw-hatch)}.nd{fill:#e4e4e4}"
    ".legend{max-width:900px;margin-top:4px}footer{margin-top:40px;"
    "color:var(--muted);font-size:12px}@media print{body{font-size:10.5pt}"
    "main{max-width:none;padding:0}nav{display:none}h2{break-after:avoid}h3{"
    "break-after:avoid}figure,table,.finding,.limits{break-inside:avoid}"
    "section.target{break-before:page}*{-webkit-print-color-adjust:exact;"
    "print-color-adjust:exact}}";

static const sw_report_coef *find_coef(const sw_report_target *t,
                                       const char *name) {
  for (size_t i = 0; i < t->n_coefs; i++)
    if (t->coefs[i].name && strcmp(t->coefs[i].name, name) == 0)
      return &t->coefs[i];
  return NULL;
}

static double holm_or_raw(const sw_report_target *t) {
  return isfinite(t->p_value_adjusted) ? t->p_value_adjusted : t->p_value;
}

static void target_name(sw_html *h, const sw_report_target *t) {
  sw__html_raw(h, "<b>");
  sw__html_text(h, t->name);
  sw__html_raw(h, "</b>");
}

static void gamma_phrase(sw_html *h, const sw_report_coef *g) {
  sw__html_raw(h, "steering coefficient \xce\xb3 = ");
  sw__html_estimate(h, g->estimate, g->ci_low, g->ci_high);
}

static void p_phrase(sw_html *h, const sw_report_input *in,
                     const sw_report_target *t) {
  sw__html_p(h, holm_or_raw(t));
  if (isfinite(t->p_value_adjusted) && in->n_targets > 1)
    sw__html_printf(h, " (Holm-adjusted across %zu targets)", in->n_targets);
  else if (isfinite(t->p_value_adjusted))
    sw__html_raw(h, " (Holm-adjusted)");
}

/* The counts behind a finding: observed against expected. */
static void counts_phrase(sw_html *h, const sw_report_target *t) {
  double expected = (double)t->observed - t->excess_releases;
  sw__html_people(h, t->observed);
  sw__html_raw(h, " releases went there (");
  sw__html_pct(h, t->observed_share);
  sw__html_raw(h, " of all) against ");
  sw__html_num(h, expected, 0, true);
  sw__html_raw(h, " expected (");
  sw__html_pct(h, t->expected_share);
  sw__html_raw(h, ")");
}

static size_t clear_periods(const sw_report_target *t, int sign) {
  size_t k = 0;
  for (size_t i = 0; i < t->n_periods; i++) {
    const sw_report_period *p = &t->periods[i];
    if (p->n < SW_REPORT_MIN_PEOPLE || !isfinite(p->ci_low)) continue;
    if ((sign > 0 && p->ci_low > 0) || (sign < 0 && p->ci_high < 0)) k++;
  }
  return k;
}

/* The estimate, its test and the counts, as every finding states them. */
static void evidence(sw_html *h, const sw_report_input *in,
                     const sw_report_target *t, const sw_report_coef *g) {
  gamma_phrase(h, g);
  sw__html_raw(h, ", ");
  p_phrase(h, in, t);
  sw__html_raw(h, ". ");
  counts_phrase(h, t);
}

/* e^x as a factor on the odds, "1.82". */
static void factor(sw_html *h, double x) { sw__html_num(h, exp(x), 2, false); }

static void factor_ci(sw_html *h, double lo, double hi) {
  sw__html_raw(h, " (95% interval ");
  factor(h, lo);
  sw__html_raw(h, " to ");
  factor(h, hi);
  sw__html_raw(h, ")");
}

/* The box's lead: the within-region finding. Returns the box's sign: 1
 * attraction rose, -1 fell, 0 no clear change or none estimated. */
static int within_phrase(sw_html *h, const sw_report_target *t) {
  const sw_report_headline *w = &t->head;
  if (!w->design) {
    sw__html_raw(h, "The within-region test could not be run for ");
    target_name(h, t);
    if (w->failure) {
      sw__html_raw(h, ": ");
      sw__html_text(h, w->failure);
    }
    sw__html_raw(h, ". No conclusion about steering is drawn. ");
    return 0;
  }
  bool found = w->p_value < 0.05;
  int sign = !found ? 0 : w->estimate > 0 ? 1 : -1;
  bool onset = strcmp(w->design, "within_region_onset") == 0;
  bool event = strcmp(w->design, "within_region_event") == 0;
  sw__html_raw(h, "Within each region, ");
  if (onset) {
    sw__html_raw(h,
                 sign ? "the pull of " : "no change was found in the pull of ");
    target_name(h, t);
    sw__html_raw(h, " regions");
    if (sign) {
      sw__html_raw(h, sign > 0 ? " <b>rose</b>" : " <b>fell</b>");
      sw__html_raw(h, " from the week of ");
      sw__html_date(h, w->onset);
      sw__html_raw(h,
                   ": after it, the odds of a placement going to one were <b>");
    } else {
      sw__html_raw(h, " over the records' span; at the likeliest date, the "
                      "week of ");
      sw__html_date(h, w->onset);
      sw__html_raw(h, ", the factor on the odds is ");
    }
    factor(h, w->estimate);
    sw__html_raw(h, sign ? "</b> times what they were before" : "");
    factor_ci(h, w->ci_low, w->ci_high);
    sw__html_raw(h, ", ");
    sw__html_p(h, w->p_value);
    sw__html_printf(h,
                    " for any change, allowing for the search over %zu "
                    "weeks. ",
                    w->n_candidates);
    if (sign)
      sw__html_raw(h, "The interval is for the factor at that date, taking "
                      "the date as known. ");
  } else {
    if (strcmp(w->design, "within_region_baseline") == 0) {
      /* the event's words, after TO */
      event = true;
      sw__html_raw(h, "after ");
      sw__html_date(h, w->baseline_to);
      sw__html_raw(h, ", against the baseline from ");
      sw__html_date(h, w->baseline_from);
      sw__html_raw(h, ",");
    } else {
      sw__html_raw(h, event ? "after " : "when a region joined ");
      if (event)
        sw__html_date(h, w->event);
      else
        target_name(h, t);
    }
    sw__html_raw(h, sign > 0   ? " the odds of a placement going to "
                    : sign < 0 ? " the odds of a placement going to "
                               : " no clear change was found in the odds of "
                                 "a placement going to ");
    if (event) target_name(h, t);
    if (event) sw__html_raw(h, " regions");
    if (!event) sw__html_raw(h, "it");
    sw__html_raw(h, sign > 0   ? " <b>rose by a factor of "
                    : sign < 0 ? " <b>fell to a factor of "
                               : ": a factor of ");
    factor(h, w->estimate);
    if (sign) sw__html_raw(h, "</b>");
    factor_ci(h, w->ci_low, w->ci_high);
    sw__html_raw(h, ", ");
    sw__html_p(h, w->p_value);
    sw__html_raw(h, ". ");
  }
  if (w->separation) {
    sw__html_raw(h, "<b>Separation:</b> ");
    sw__html_text(h, w->separation);
    sw__html_raw(h, "; the factor, interval and p-value are Firth-penalised "
                    "ones, which stay finite. ");
  }
  if (w->placebo != INT32_MIN && isfinite(w->placebo_p)) {
    bool moving = w->placebo_p < 0.05;
    sw__html_raw(h, "A fake event on ");
    sw__html_date(h, w->placebo);
    sw__html_raw(h, moving ? ", before the real one, already shows a change "
                             "(factor "
                           : ", before the real one, shows no change (factor ");
    factor(h, w->placebo_estimate);
    sw__html_raw(h, ", ");
    sw__html_p(h, w->placebo_p);
    sw__html_raw(h, moving ? "): the pull may already have been moving "
                             "before the event (a 1-in-20 chance without "
                             "any such movement); see \xce\xb3 per month "
                             "below. "
                           : "). ");
  }
  if (w->distance && strcmp(w->distance, "spline") == 0)
    sw__html_raw(h, "Distance from the facility and from ties may pull in "
                    "any shape: as log(1 + km) within 50 km, then in straight "
                    "pieces with bends at 200 and 800 km. ");
  else if (w->distance_fallback) {
    sw__html_raw(h, "Distance from the facility and from ties is taken to "
                    "pull as log(1 + km): the more flexible distance terms "
                    "could not be estimated on these records (");
    sw__html_text(h, w->distance_fallback);
    sw__html_raw(h, "). ");
  } else if (w->distance)
    sw__html_raw(h, "Distance from the facility and from ties is taken to "
                    "pull as log(1 + km). ");
  return sign;
}

/* The headline of one target, in words a non-statistician can repeat: the
 * within-region finding first, then the level as context. */
static void finding(sw_html *h, const sw_report_input *in,
                    const sw_report_target *t) {
  const sw_report_coef *g = find_coef(t, "target");
  double p = holm_or_raw(t);
  bool fitted = !t->model_failure && g && isfinite(g->estimate) && isfinite(p);
  bool found = fitted && p < 0.05;
  int level = !found ? 0 : g->estimate > 0 ? 1 : -1;
  /* The box's colour follows the headline, not the level. */
  const sw_report_headline *w = &t->head;
  int sign = !w->design || !(w->p_value < 0.05) ? 0 : w->estimate > 0 ? 1 : -1;
  sw__html_raw(h, sign > 0   ? "<div class=\"finding pos\">"
                  : sign < 0 ? "<div class=\"finding neg\">"
                             : "<div class=\"finding\">");
  within_phrase(h, t);
  sw__html_raw(h, "<span class=\"level\"><b>Level, for context:</b> ");
  double expected = (double)t->observed - t->excess_releases;
  if (!fitted) {
    sw__html_raw(h, "the cross-sectional choice model could not be "
                    "estimated");
    if (t->model_failure) {
      sw__html_raw(h, " (");
      sw__html_text(h, t->model_failure);
      sw__html_raw(h, ")");
    }
    sw__html_raw(h, ". ");
    counts_phrase(h, t);
    sw__html_raw(h, ".");
  } else {
    if (level > 0) {
      sw__html_raw(h, "releases into ");
      target_name(h, t);
      sw__html_raw(h, " regions exceeded what ties and distance predict by ");
      sw__html_num(h, t->excess_releases, 0, true);
      if (expected > 0) {
        sw__html_raw(h, " (");
        sw__html_num(h, 100 * t->excess_releases / expected, 0, false);
        sw__html_raw(h, "%)");
      }
    } else if (level < 0) {
      sw__html_raw(h, "fewer releases went into ");
      target_name(h, t);
      sw__html_raw(h, " regions than ties and distance predict, by ");
      sw__html_num(h, -t->excess_releases, 0, true);
    } else {
      sw__html_raw(h, "releases into ");
      target_name(h, t);
      sw__html_raw(h, " regions were in line with what ties and distance "
                      "predict");
    }
    sw__html_raw(h, " \xe2\x80\x94 ");
    evidence(h, in, t, g);
    sw__html_raw(h, ". This level compares target regions with the others, "
                    "so it also carries whatever else draws people to them "
                    "(size, shelters, transport) and is not itself evidence "
                    "of steering.");
    if (isfinite(t->randomization_p)) {
      sw__html_raw(h, t->randomization_stratified
                          ? " Shuffling the target among regions of similar "
                            "population gives "
                          : " Shuffling the target among the regions gives ");
      sw__html_p(h, t->randomization_p);
      sw__html_raw(h, ".");
    }
    if (isfinite(t->e_value) && found) {
      sw__html_raw(h, " To explain the level away, a pull the records do "
                      "not show would have to raise both the odds of a "
                      "region being in the target and of a placement going "
                      "there by a factor of ");
      sw__html_num(h, t->e_value, 2, false);
      sw__html_raw(h, " (");
      sw__html_num(h, t->e_value_ci, 2, false);
      sw__html_raw(h, " to reach the interval's edge).");
    }
  }
  if (fitted && t->n_periods > 1) {
    size_t k = clear_periods(t, level >= 0 ? 1 : -1);
    sw__html_raw(h, " In ");
    sw__html_num(h, (double)k, 0, true);
    sw__html_raw(h, " of ");
    sw__html_num(h, (double)t->n_periods, 0, true);
    sw__html_raw(
        h, level >= 0 ? " periods the interval for \xce\xb3 lies above zero."
                      : " periods the interval for \xce\xb3 lies below zero.");
  }
  sw__html_raw(h, "</span>");
  /* A change below the minimum is named as what it is, a small movement
   * of the rate, so that the reader does not take it for a finding. */
  for (size_t i = 0; i < t->n_changes; i++) {
    const sw_report_change *c = &t->changes[i];
    sw__html_raw(h, " In the week of ");
    sw__html_date(h, c->date);
    sw__html_raw(h, " (95% interval ");
    sw__html_date(h, c->ci_from);
    sw__html_raw(h, " to ");
    sw__html_date(h, c->ci_to);
    sw__html_raw(h, ") the rate of releases into the target relative to "
                    "expectation changed from ");
    sw__html_num(h, c->rate_before, 2, false);
    sw__html_raw(h, " to ");
    sw__html_num(h, c->rate_after, 2, false);
    if (!c->notable) {
      sw__html_raw(h, ", a change of less than ");
      sw__html_printf(h, "%g", 100 * in->min_change);
      sw__html_raw(h, "%: real, but too small to count as a finding");
    }
    sw__html_raw(h, ".");
  }
  sw__html_raw(h, "</div>");
}

static void limits(sw_html *h, const sw_report_input *in) {
  sw__html_raw(
      h,
      "<div class=\"limits\"><h3>What this analysis does not show</h3><ul>"
      "<li><b>Association, not intent.</b> It finds a pattern in where people "
      "were released compared with where their ties, the distances and the "
      "model's other terms predict. It cannot show who decided, or why.</li>"
      "<li><b>It depends on the ties data.</b> The expectation is built from "
      "each person's recorded ties (sponsor, family, address on file). Ties "
      "that are missing, out of date or recorded differently across "
      "facilities change the expectation and can create or hide an "
      "excess.</li>"
      "<li><b>Unobserved capacity.</b> Shelter beds, sponsor availability, "
      "transport routes and local agreements that are not in the model can "
      "produce the same pattern as steering.</li>"
      "<li><b>Intervals are about chance, not about these assumptions.</b> "
      "The 95% intervals and p-values measure the play of chance in the "
      "records; they do not cover errors in the data or the model.</li>");
  if (in->simulated)
    sw__html_raw(h, "<li><b>The records are simulated.</b> They illustrate "
                    "the method; they are not evidence about any agency.</li>");
  sw__html_raw(h, "</ul></div>");
}

static void kv(sw_html *h, const char *label) {
  sw__html_raw(h, "<div><span>");
  sw__html_raw(h, label);
  sw__html_raw(h, "</span><b>");
}

/* A chart's heading, then either its note when there is nothing to draw
 * (false) or the opening of its figure (true: draw it, then close the
 * figure with its caption). */
static bool figure_open(sw_html *h, const char *heading, bool empty,
                        const char *note) {
  sw__html_raw(h, "<h3>");
  sw__html_raw(h, heading);
  sw__html_raw(h, "</h3>");
  if (empty) {
    sw__html_raw(h, "<p class=\"note\">");
    sw__html_raw(h, note);
    sw__html_raw(h, "</p>");
    return false;
  }
  sw__html_raw(h, "<figure>");
  return true;
}

static void target_section(sw_html *h, const sw_report_input *in,
                           const sw_report_target *t, size_t ti,
                           const sw_report_map *map) {
  sw__html_printf(
      h, "<section class=\"target\" id=\"target-%zu\"><h2>Target: ", ti + 1);
  sw__html_text(h, t->name);
  sw__html_raw(h, "</h2>");
  finding(h, in, t);

  const sw_report_coef *g = find_coef(t, "target");
  sw__html_raw(h, "<div class=\"kv\">");
  kv(h, "Releases into the target");
  sw__html_people(h, t->observed);
  sw__html_raw(h, "</b></div>");
  kv(h, "Expected without steering");
  sw__html_num(h, (double)t->observed - t->excess_releases, 1, true);
  sw__html_raw(h, "</b></div>");
  kv(h, "Excess releases");
  if (t->excess_releases > 0) sw__html_raw(h, "+");
  sw__html_num(h, t->excess_releases, 1, true);
  sw__html_raw(h, "</b></div>");
  kv(h, "Steering coefficient \xce\xb3");
  sw__html_num(h, g ? g->estimate : NAN, 3, false);
  sw__html_raw(h, "</b></div>");
  kv(h, "Likelihood-ratio test");
  sw__html_p(h, holm_or_raw(t));
  sw__html_raw(h, "</b></div></div>");

  if (figure_open(h, "The steering coefficient over time", t->n_periods == 0,
                  "No per-period estimates were made.")) {
    sw__report_gamma_chart(h, t);
    sw__html_raw(h, "<figcaption>\xce\xb3 fitted separately in each period, "
                    "with its 95% interval. Zero (the solid line) means "
                    "releases follow ties, distance and capacity alone; above "
                    "zero, the target draws more releases than they predict. "
                    "Filled dots: the interval excludes zero; open dots: it "
                    "does not. \xc3\x97: not estimated (too few records, or "
                    "no variation). The dashed line is the estimate over the "
                    "whole span.</figcaption></figure>");
  }

  if (figure_open(h, "Weekly excess releases into the target", t->n_weeks == 0,
                  "No weekly series.")) {
    sw__report_weekly_chart(h, t);
    sw__html_raw(h, "<figcaption>Each bar is one week: releases into the "
                    "target minus the number the model without steering "
                    "expects. Red: more than expected; blue: fewer.");
    bool small = false, withheld = false;
    for (size_t i = 0; i < t->n_weeks; i++) {
      if (t->weeks[i].n < SW_REPORT_MIN_PEOPLE) small = true;
      if (t->weeks[i].n == SW__SUPPRESSED) withheld = true;
    }
    if (small) sw__html_raw(h, " Grey: weeks with fewer than 10 people.");
    if (withheld)
      sw__html_raw(h, " Weeks whose counts this published view withholds "
                      "are not drawn.");
    if (t->n_changes > 0)
      sw__html_raw(h, " Brown lines mark detected change points, the shaded "
                      "band around each its 95% interval.");
    else
      sw__html_raw(h, " No change point was detected.");
    if (t->n_events > 0)
      sw__html_raw(h, " Dashed lines with triangles mark the events given "
                      "to the audit; the table compares the weeks before and "
                      "after each.");
    sw__html_raw(h, "</figcaption></figure>");
  }
  sw__report_event_table(h, t);

  sw__html_raw(h, "<h3>Where: excess releases by region</h3>");
  if (map) {
    sw__html_raw(h, "<figure>");
    sw__report_map_draw(h, map, t);
    sw__html_raw(h, "<figcaption>Releases into each region minus the "
                    "expectation without steering, over the whole span. "
                    "Regions in the target are outlined in black. Hatched "
                    "regions had fewer than 10 people released and fewer "
                    "than 10 expected: too few to colour. Albers equal-area "
                    "projection; Alaska and Hawaii are insets, not to scale "
                    "or position.</figcaption></figure>");
  } else {
    sw__html_raw(h, "<p class=\"note\">No region geometry was given, so no "
                    "map is drawn; the figures per region are below and in "
                    "regions.csv.</p>");
  }
  sw__report_region_table(h, t);

  sw__html_raw(h, "<h3>From where: facilities</h3><p>Where releases into the "
                  "target came from, largest excess first: the facilities "
                  "whose releases departed most from what ties, distance and "
                  "capacity predict.</p>");
  sw__report_facility_table(h, t);

  sw__html_raw(h, "<h3>The choice model</h3><p>");
  if (t->alternatives == 0)
    sw__html_raw(h, "Every region was an alternative for every record. ");
  else
    sw__html_printf(h,
                    "Each record's alternatives were its chosen region "
                    "and %zu others drawn at random. ",
                    t->alternatives);
  sw__html_raw(h, "Likelihood-ratio statistic for \xce\xb3 = 0: ");
  sw__html_num(h, t->lr_statistic, 2, true);
  sw__html_raw(h, " (1 df), ");
  sw__html_p(h, t->p_value);
  sw__html_raw(h, " unadjusted, ");
  sw__html_p(h, t->p_value_adjusted);
  sw__html_raw(h, " Holm-adjusted.</p>");
  sw__report_coef_table(h, t);
  sw__html_raw(h, "</section>");
}

static void records_section(sw_html *h, const sw_report_input *in) {
  sw__html_raw(h, "<section id=\"records\"><h2>Records</h2><div class=\"kv\">");
  const struct {
    const char *label;
    uint64_t n;
  } rows[] = {{"Rows read", in->read},
              {"Accepted", in->accepted},
              {"Rejected", in->rejected},
              {"Unassigned to a region", in->unassigned}};
  for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
    kv(h, rows[i].label);
    sw__html_num(h, (double)rows[i].n, 0, true);
    sw__html_raw(h, "</b></div>");
  }
  if (in->people) {
    kv(h, "People (the accepted rows' counts)");
    sw__html_num(h, (double)in->people, 0, true);
    sw__html_raw(h, "</b></div>");
  }
  /* A published view has no rejects.csv: its rows carry raw ids. */
  sw__html_raw(h, in->protections
                      ? "</div><p>Every row read is either accepted or "
                        "rejected with a reason (listed in the full audit, "
                        "not in this published view)."
                      : "</div><p>Every row read is either accepted or "
                        "rejected with a reason (rejects.csv lists each with "
                        "its line).");
  sw__html_raw(h, " Records whose place lies in no region are counted "
                  "as unassigned and left out of the model.</p>");
  if (in->unmatched_places >= 0) {
    sw__html_raw(h, "<p>Places named by ZIP code, city or county and not "
                    "found in the gazetteer: ");
    sw__html_num(h, (double)in->unmatched_places, 0, true);
    sw__html_raw(h, " rows (");
    sw__html_num(
        h,
        in->read ? 100.0 * (double)in->unmatched_places / (double)in->read : 0,
        1, false);
    sw__html_raw(h, "% of rows read), rejected.</p>");
  }
  sw__html_raw(h, "</section>");
}

static void displacement_section(sw_html *h, const sw_report_input *in) {
  sw__html_raw(
      h, "<section id=\"displacement\"><h2>Displacement and cost</h2><p>");
  sw__html_people(h, in->flagged);
  if (in->people)
    sw__html_raw(h, in->flagged == 1 ? " person was" : " people were");
  else
    sw__html_raw(h, in->flagged == 1 ? " record was" : " records were");
  sw__html_raw(h, " placed away from ties: released in a region other than "
                  "the ties region and more than ");
  sw__html_num(h, in->ties_km, 0, true);
  sw__html_raw(h, " km from the ties.");
  if (in->flagged >= SW_REPORT_MIN_PEOPLE) {
    sw__html_raw(h, " Their median distance from ties is ");
    sw__html_num(h, in->median_km_from_ties, 0, true);
    sw__html_raw(h, " km.");
  }
  sw__html_raw(h, "</p><div class=\"kv\">");
  kv(h, "Extra distance, total");
  sw__html_num(h, in->extra_km_total, 0, true);
  sw__html_raw(h, " km</b></div>");
  kv(h, "Extra cost, total");
  if (isfinite(in->extra_cost_total))
    sw__html_num(h, in->extra_cost_total, 2, true);
  else
    sw__html_raw(h, "not recorded");
  sw__html_raw(h, "</b></div></div><p class=\"note\">Extra distance of a "
                  "record: how much farther from the facility it was "
                  "released than its ties are, if at all. Extra cost is in "
                  "the units of the records' cost column.</p>");
  if (in->n_flagged_rows > 0) {
    sw__html_raw(h, "<h3>Records placed away from ties (first ");
    sw__html_num(h,
                 (double)(in->n_flagged_rows < SW_REPORT_MAX_FLAGGED
                              ? in->n_flagged_rows
                              : SW_REPORT_MAX_FLAGGED),
                 0, false);
    sw__html_raw(h, ")</h3>");
    sw__report_flagged_table(h, in);
  }
  sw__html_raw(h, "</section>");
}

static void method_section(sw_html *h, const sw_report_input *in) {
  sw__html_raw(
      h,
      "<section id=\"method\"><h2>Method</h2>"
      "<p>Each accepted record is a choice of release region. A conditional "
      "logit (McFadden) models that choice from the distance to the facility "
      "and to the person's ties, log(1 + km) each, and any covariates of the "
      "regions, plus a steering term \xce\xb3 that is 1 for regions in the "
      "target on the record's date. \xce\xb3 is estimated by maximum "
      "likelihood, with standard errors clustered by facility, and tested "
      "against zero by a likelihood-ratio test; with several targets the "
      "p-values are also adjusted by Holm's method.</p>"
      "<p>The expected number of releases into the target is the sum over "
      "records of the probability of the target under the model fitted with "
      "\xce\xb3 = 0; the excess is the observed count minus it. The weekly "
      "series compares the two week by week; change points are found by "
      "penalised segmentation of the weekly rate (PELT) with intervals for "
      "their dates; each event compares the share in the target in the "
      "weeks before and after it (Fisher's exact test).</p>"
      "<p>Small numbers: counts of 1 to 9 people are printed as "
      "\xe2\x80\x9c"
      "fewer than 10\xe2\x80\x9d, and no share, rate or map "
      "colour is shown for fewer than 10 people.</p>");
  if (in->n_params > 0) {
    sw__html_raw(h, "<h3>Parameters</h3><table><tbody>");
    for (size_t i = 0; i < in->n_params; i++) {
      sw__html_raw(h, "<tr><th><code>");
      sw__html_text(h, in->params[i].key);
      sw__html_raw(h, "</code></th><td><code>");
      sw__html_text(h, in->params[i].value);
      sw__html_raw(h, "</code></td></tr>");
    }
    sw__html_raw(h, "</tbody></table>");
  }
  sw__html_raw(h, "</section>");
}

static void provenance_section(sw_html *h, const sw_report_input *in) {
  sw__html_raw(h,
               "<section id=\"provenance\"><h2>Provenance</h2><p>steerwatch ");
  sw__html_text(h, in->version);
  sw__html_printf(h,
                  ", seed %llu. The same inputs, parameters and seed give "
                  "the same results.json and this same page, byte for "
                  "byte.</p>",
                  (unsigned long long)in->seed);
  if (in->n_inputs > 0) {
    sw__html_raw(
        h, "<table class=\"small\"><thead><tr><th>Input</th>"
           "<th class=\"n\">Bytes</th><th>SHA-256</th></tr></thead><tbody>");
    for (size_t i = 0; i < in->n_inputs; i++) {
      sw__html_raw(h, "<tr><td><code>");
      sw__html_text(h, in->inputs[i].path);
      sw__html_raw(h, "</code></td>");
      sw__html_raw(h, "<td class=\"n\">");
      sw__html_num(h, (double)in->inputs[i].bytes, 0, true);
      sw__html_raw(h, "</td><td><code class=\"hash\">");
      sw__html_text(h, in->inputs[i].sha256);
      sw__html_raw(h, "</code></td></tr>");
    }
    sw__html_raw(h, "</tbody></table>");
  }
  sw__html_raw(h, "</section>");
}

static void page(sw_html *h, const sw_report_input *in,
                 const sw_report_map *map) {
  const char *title = in->title ? in->title : "steerwatch audit";
  sw__html_raw(
      h, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
         "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
         "'none'; style-src 'unsafe-inline'\">"
         "<meta name=\"viewport\" content=\"width=device-width, "
         "initial-scale=1\"><title>");
  sw__html_text(h, title);
  sw__html_raw(h, "</title><style>");
  sw__html_raw(h, CSS);
  sw__html_raw(
      h, "</style></head><body>"
         "<svg width=\"0\" height=\"0\" style=\"position:absolute\" "
         "aria-hidden=\"true\"><defs><pattern id=\"sw-hatch\" "
         "patternUnits=\"userSpaceOnUse\" width=\"40\" height=\"40\" "
         "patternTransform=\"rotate(45)\"><rect width=\"40\" height=\"40\" "
         "fill=\"#f1f1f1\"/><rect width=\"14\" height=\"40\" fill=\"#b9b9b9\"/>"
         "</pattern></defs></svg><main><header><h1>");
  sw__html_text(h, title);
  sw__html_raw(h, "</h1><p class=\"sub\">Were releases steered toward ");
  for (size_t i = 0; i < in->n_targets; i++) {
    if (i > 0) sw__html_raw(h, i + 1 == in->n_targets ? " or " : ", ");
    sw__html_text(h, in->targets[i].name);
  }
  if (in->n_targets == 0) sw__html_raw(h, "a target");
  sw__html_raw(
      h, ", rather than following ties, distance and capacity? \xc2\xb7 ");
  sw__html_num(h, (double)(in->people ? in->people : in->accepted), 0, true);
  sw__html_raw(h, in->people ? " people \xc2\xb7 steerwatch "
                             : " records \xc2\xb7 steerwatch ");
  sw__html_text(h, in->version);
  sw__html_raw(h, "</p>");
  if (in->simulated)
    sw__html_raw(h, "<p class=\"banner\"><b>Simulated records.</b> The "
                    "records audited here were drawn by <code>steerwatch "
                    "simulate</code> with a known steering effect; the "
                    "geography and the political facts are real. Nothing "
                    "on this page is a finding about any real "
                    "agency.</p>");
  if (in->protections) {
    sw__html_raw(h, "<p class=\"banner\">");
    sw__html_text(h, in->protections);
    sw__html_raw(h, "</p>");
  }
  sw__html_raw(h, "</header><section id=\"findings\"><h2>Findings</h2>");
  for (size_t i = 0; i < in->n_targets; i++)
    finding(h, in, &in->targets[i]);
  if (in->n_targets == 0) sw__html_raw(h, "<p>No target was audited.</p>");
  limits(h, in);
  sw__html_raw(h, "<nav><b>Contents</b><ul>");
  for (size_t i = 0; i < in->n_targets; i++) {
    sw__html_printf(h, "<li><a href=\"#target-%zu\">Target: ", i + 1);
    sw__html_text(h, in->targets[i].name);
    sw__html_raw(h, "</a></li>");
  }
  sw__html_raw(h, "<li><a href=\"#records\">Records</a></li>"
                  "<li><a href=\"#displacement\">Displacement and cost</a></li>"
                  "<li><a href=\"#method\">Method</a></li>"
                  "<li><a href=\"#provenance\">Provenance</a></li></ul></nav>"
                  "</section>");
  for (size_t i = 0; i < in->n_targets; i++)
    target_section(h, in, &in->targets[i], i, map);
  records_section(h, in);
  displacement_section(h, in);
  method_section(h, in);
  provenance_section(h, in);
  sw__html_raw(h, "<footer>Written by steerwatch ");
  sw__html_text(h, in->version);
  sw__html_raw(h,
               ". This page is self-contained: it loads nothing from the "
               "network and runs no script.</footer></main></body></html>\n");
}

sw_status sw__report_write(const sw_report_input *in, const char *path,
                           sw_error *err) {
  if (!in || !path)
    return sw__err(err, SW_E_USAGE, "report: no input or no path");
  sw_report_map *map = NULL;
  if (in->regions) {
    sw_status s = sw__report_map_new(in->regions, &map, err);
    if (s != SW_OK) return s;
  }
  sw_html h = {{0}, false};
  page(&h, in, map);
  sw__report_map_free(map);
  if (h.oom) {
    sw__buf_free(&h.b);
    return sw__err(err, SW_E_NOMEM, "out of memory writing the report");
  }
  FILE *f = fopen(path, "wb");
  if (!f) {
    sw__err(err, SW_E_CREATE, "cannot create: %s", strerror(errno));
    sw__err_at(err, path, 0, NULL, 0);
    sw__buf_free(&h.b);
    return SW_E_CREATE;
  }
  size_t len = h.b.len;
  size_t wrote = fwrite(h.b.data, 1, len, f);
  int e = wrote == len ? 0 : (errno ? errno : EIO);
  if (fclose(f) != 0 && e == 0) e = errno ? errno : EIO;
  sw__buf_free(&h.b);
  if (e != 0) {
    sw__err(err, SW_E_IO, "cannot write: %s", strerror(e));
    sw__err_at(err, path, 0, NULL, 0);
    return SW_E_IO;
  }
  return SW_OK;
}
