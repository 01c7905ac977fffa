/*
 * report_fmt.c — text for the report page: the one HTML-escaping function
 * for every string that comes from data, and locale-free number formats.
 *
 * Numbers are formatted from integers (rounded scaled values) rather than
 * with printf's %f, whose decimal point follows LC_NUMERIC: a program that
 * calls setlocale must still get byte-identical pages.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "report.h"

void sw__html_raw(sw_html *h, const char *s) {
  if (!h->oom && !sw__buf_append(&h->b, s, strlen(s))) h->oom = true;
}

void sw__html_printf(sw_html *h, const char *fmt, ...) {
  if (h->oom) return;
  char small[256];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(small, sizeof small, fmt, ap);
  va_end(ap);
  if (n < 0) {
    h->oom = true;
    return;
  }
  char *text = small;
  if ((size_t)n >= sizeof small) {
    text = sw__malloc((size_t)n + 1);
    if (!text) {
      h->oom = true;
      return;
    }
    va_start(ap, fmt);
    vsnprintf(text, (size_t)n + 1, fmt, ap);
    va_end(ap);
  }
  if (!sw__buf_append(&h->b, text, (size_t)n)) h->oom = true;
  if (text != small) sw__free(text);
}

void sw__html_text(sw_html *h, const char *s) {
  if (!s) {
    sw__html_raw(h, "\xe2\x80\x94");
    return;
  }
  const char *run = s;
  for (const char *p = s;; p++) {
    unsigned char c = (unsigned char)*p;
    const char *rep = NULL;
    switch (c) {
    case '&': rep = "&amp;"; break;
    case '<': rep = "&lt;"; break;
    case '>': rep = "&gt;"; break;
    case '"': rep = "&quot;"; break;
    case '\'': rep = "&#39;"; break;
    default:
      if (c != 0 && (c >= 0x20 || c == '\t') && c != 0x7f) continue;
      if (c != 0) rep = "\xef\xbf\xbd";
    }
    if (!h->oom && !sw__buf_append(&h->b, run, (size_t)(p - run)))
      h->oom = true;
    if (c == 0) return;
    sw__html_raw(h, rep);
    run = p + 1;
  }
}

size_t sw__fmt_num(char *buf, double x, int decimals, bool grouped) {
  if (!isfinite(x)) return (size_t)snprintf(buf, 64, "n/a");
  if (decimals < 0) decimals = 0;
  if (decimals > 9) decimals = 9;
  double scale = 1;
  for (int i = 0; i < decimals; i++)
    scale *= 10;
  double r = round(fabs(x) * scale);
  /* Beyond 64-bit integers no digit after the point means anything; %.0f
   * prints no decimal point, so it too is free of the locale. */
  if (r >= 9e18) return (size_t)snprintf(buf, 64, "%.0f", x);
  unsigned long long v = (unsigned long long)r;
  unsigned long long ip = v / (unsigned long long)scale;
  unsigned long long fp = v % (unsigned long long)scale;
  char digits[32];
  int nd = snprintf(digits, sizeof digits, "%llu", ip);
  size_t k = 0;
  /* A value that rounds to zero is printed without a sign. */
  if (x < 0 && v != 0) {
    memcpy(buf, "\xe2\x88\x92", 3);
    k = 3;
  }
  for (int i = 0; i < nd; i++) {
    if (grouped && i > 0 && (nd - i) % 3 == 0) buf[k++] = ',';
    buf[k++] = digits[i];
  }
  if (decimals > 0) {
    k += (size_t)snprintf(buf + k, 64 - k, ".%0*llu", decimals, fp);
  }
  buf[k] = '\0';
  return k;
}

void sw__html_num(sw_html *h, double x, int decimals, bool grouped) {
  char buf[64];
  sw__fmt_num(buf, x, decimals, grouped);
  sw__html_raw(h, buf);
}

void sw__html_people(sw_html *h, uint64_t n) {
  if (n == SW__SUPPRESSED) {
    sw__html_raw(h, "withheld");
    return;
  }
  if (n > 0 && n < SW_REPORT_MIN_PEOPLE) {
    sw__html_raw(h, "fewer than 10");
    return;
  }
  sw__html_num(h, (double)n, 0, true);
}

void sw__html_p(sw_html *h, double p) {
  if (!isfinite(p)) {
    sw__html_raw(h, "p n/a");
  } else if (p < 0.001) {
    sw__html_raw(h, "p &lt; 0.001");
  } else {
    sw__html_raw(h, "p = ");
    sw__html_num(h, p, p < 0.01 ? 4 : 3, false);
  }
}

void sw__html_date(sw_html *h, int32_t days) {
  char buf[16];
  sw_date_format(days, buf, sizeof buf);
  sw__html_raw(h, buf);
}

void sw__html_pct(sw_html *h, double share) {
  sw__html_num(h, share * 100, 1, false);
  if (isfinite(share)) sw__html_raw(h, "%");
}

void sw__html_estimate(sw_html *h, double estimate, double ci_low,
                       double ci_high) {
  sw__html_num(h, estimate, 2, false);
  sw__html_raw(h, " (95% CI ");
  sw__html_num(h, ci_low, 2, false);
  sw__html_raw(h, " to ");
  sw__html_num(h, ci_high, 2, false);
  sw__html_raw(h, ")");
}
