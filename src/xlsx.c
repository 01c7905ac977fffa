/*
 * xlsx.c — Excel workbooks (.xlsx, Office Open XML) as a table: the rows of
 * one sheet, or of every sheet in order (agencies split tables at Excel's
 * 1,048,576 rows), handed to the table readers through the sw_csv row
 * interface (csv.h), so records from a workbook are validated exactly as
 * from a CSV.
 *
 * A workbook is a ZIP (libzip, BSD) of XML parts (expat, MIT): the sheet
 * list (xl/workbook.xml) and where each sheet lives (its .rels), the
 * shared strings that text cells point into, the cell styles that say
 * which numbers are dates, and the sheets themselves, which are streamed:
 * the XML is fed to expat 64 KiB at a time and finished rows wait in a
 * queue, so memory is the shared strings plus a chunk's rows, not the
 * sheet. The file itself is held in memory (a ZIP is read from its end,
 * and standard input cannot seek).
 *
 * A row's line is its row number in the sheet and the file name in errors
 * is `book.xlsx[Sheet1]`. Cells styled as dates are written as ISO dates
 * (date-times when they have a time), so that the records reader never
 * sees an Excel serial it would have to guess about; the workbook's 1904
 * date system is honoured. Atop every sheet after the first, rows down to
 * a repeat of the first sheet's header are dropped, as that sheet's
 * preamble and header.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <expat.h>
#include <zip.h>

#include "alloc.h"
#include "buf.h"
#include "csv.h"
#include "date.h"
#include "datefmt.h"
#include "err.h"
#include "source.h"

#define CHUNK (64u << 10)    /* sheet XML fed to expat per step */
#define HEADER_LOOKAHEAD 100 /* rows atop a later sheet searched for */
#define MAX_COLUMNS SW_CSV_MAX_FIELDS

typedef struct sheet_ref {
  char *name;
  char *part; /* e.g. "xl/worksheets/sheet1.xml" */
} sheet_ref;

/* A finished row in the queue: its number and its cells, padded. */
typedef struct qrow {
  uint64_t line;
  size_t first_cell; /* index into the cell arrays */
  size_t n_cells;
} qrow;

typedef struct xlsx {
  char *data; /* the whole file */
  size_t len;
  zip_t *zip;
  char *book_name; /* path as errors name it, without the sheet */
  bool date1904;
  /* Shared strings: one buffer, NUL-separated, with offsets. */
  sw_buf sst;
  size_t *sst_off;
  size_t n_sst, cap_sst;
  /* Cell styles (cellXfs, by index): is it a date? */
  bool *xf_date;
  size_t n_xf;
  sheet_ref *sheets;
  size_t n_sheets;
  size_t *order; /* the sheets to read, in order */
  size_t n_order, at;
  /* The sheet being streamed. */
  zip_file_t *zf;
  XML_Parser xp;
  bool sheet_done;
  char *chunk;
  /* Parse state inside the sheet. */
  int depth_v, depth_t; /* inside <v>, <is><t> */
  bool in_is;
  bool in_row;
  uint64_t row_num;
  long cell_col;
  char cell_type; /* 's', 'n', 'b', 'e', 'i' (inline), 't' (str) */
  bool cell_date;
  sw_buf text; /* the current cell's text */
  /* Cells of the current row: column and text. */
  sw_buf row_text;
  size_t *row_off, *row_len;
  long *row_col;
  size_t n_row, cap_row;
  /* Finished rows. */
  sw_buf q_text;
  size_t *q_off, *q_len;
  size_t n_qcells, cap_qcells;
  qrow *q;
  size_t n_q, cap_q, q_at;
  bool fault_nomem;
  char fault[96];
  /* The header, to pad rows to and find again atop later sheets. */
  size_t header_width;
  char **header;
  size_t n_header;
  bool seek_header; /* at the top of a later sheet */
} xlsx;

/* ---- the ZIP parts ---- */

/* The whole part named name, NUL-terminated; NULL when absent. */
static char *read_part(xlsx *x, const char *name, size_t *len, sw_error *err,
                       bool *nomem) {
  *nomem = false;
  zip_stat_t st;
  if (zip_stat(x->zip, name, 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE))
    return NULL;
  if (st.size > ((zip_uint64_t)1 << 31)) return NULL;
  zip_file_t *f = zip_fopen(x->zip, name, 0);
  if (!f) return NULL;
  char *p = sw__malloc((size_t)st.size + 1);
  if (!p) {
    zip_fclose(f);
    *nomem = true;
    return NULL;
  }
  zip_int64_t got = zip_fread(f, p, st.size);
  zip_fclose(f);
  if (got < 0 || (zip_uint64_t)got != st.size) {
    sw__free(p);
    return NULL;
  }
  p[st.size] = '\0';
  *len = (size_t)st.size;
  (void)err;
  return p;
}

/* The local part of an XML name ("x:row" -> "row"). */
static const char *local(const char *name) {
  const char *c = strrchr(name, ':');
  return c ? c + 1 : name;
}

static const char *attr(const char **atts, const char *name) {
  for (size_t i = 0; atts[i]; i += 2)
    if (!strcmp(local(atts[i]), name)) return atts[i + 1];
  return NULL;
}

/* Parse a whole small part with the given callbacks; false when it is
 * not well-formed. */
static bool parse_part(const char *text, size_t len, void *user,
                       XML_StartElementHandler start, XML_EndElementHandler end,
                       XML_CharacterDataHandler chars) {
  XML_Parser p = XML_ParserCreate(NULL);
  if (!p) return false;
  XML_SetUserData(p, user);
  XML_SetElementHandler(p, start, end);
  if (chars) XML_SetCharacterDataHandler(p, chars);
  bool ok = XML_Parse(p, text, (int)len, 1) == XML_STATUS_OK;
  XML_ParserFree(p);
  return ok;
}

/* workbook.xml: sheet names and relationship ids, and the date system. */
typedef struct book_ctx {
  xlsx *x;
  char **rids;
  bool nomem;
} book_ctx;

static void book_start(void *u, const char *name, const char **atts) {
  book_ctx *b = u;
  xlsx *x = b->x;
  const char *l = local(name);
  if (!strcmp(l, "workbookPr")) {
    const char *v = attr(atts, "date1904");
    x->date1904 = v && (!strcmp(v, "1") || !strcasecmp(v, "true"));
  } else if (!strcmp(l, "sheet")) {
    const char *n = attr(atts, "name"), *rid = attr(atts, "id");
    if (!n || !rid || b->nomem) return;
    void *p = x->sheets, *q = b->rids;
    size_t cap = x->n_sheets, cap2 = x->n_sheets;
    if (!sw__grow(&p, &cap, x->n_sheets + 1, sizeof *x->sheets) ||
        (x->sheets = p,
         !sw__grow(&q, &cap2, x->n_sheets + 1, sizeof(char *)))) {
      b->nomem = true;
      return;
    }
    b->rids = q;
    x->sheets[x->n_sheets].name = sw__strdup(n);
    x->sheets[x->n_sheets].part = NULL;
    b->rids[x->n_sheets] = sw__strdup(rid);
    x->n_sheets++;
    if (!x->sheets[x->n_sheets - 1].name || !b->rids[x->n_sheets - 1])
      b->nomem = true;
  }
}

static void no_end(void *u, const char *name) { (void)u, (void)name; }

/* workbook.xml.rels: relationship id -> part. */
typedef struct rels_ctx {
  xlsx *x;
  char **rids;
  bool nomem;
} rels_ctx;

static void rels_start(void *u, const char *name, const char **atts) {
  rels_ctx *r = u;
  if (strcmp(local(name), "Relationship")) return;
  const char *id = attr(atts, "Id"), *target = attr(atts, "Target");
  if (!id || !target) return;
  for (size_t i = 0; i < r->x->n_sheets; i++) {
    if (!r->rids[i] || strcmp(r->rids[i], id) || r->x->sheets[i].part) continue;
    /* Relative to xl/, or absolute from the package root. */
    size_t n = strlen(target) + 4;
    char *p = sw__malloc(n);
    if (!p) {
      r->nomem = true;
      return;
    }
    if (target[0] == '/')
      snprintf(p, n, "%s", target + 1);
    else
      snprintf(p, n, "xl/%s", target);
    r->x->sheets[i].part = p;
  }
}

/* sharedStrings.xml: the text of each <si>, runs joined, phonetic runs
 * (<rPh>) left out. */
typedef struct sst_ctx {
  xlsx *x;
  int in_t, in_rph;
  bool in_si, nomem;
} sst_ctx;

static void sst_start(void *u, const char *name, const char **atts) {
  (void)atts;
  sst_ctx *s = u;
  const char *l = local(name);
  if (!strcmp(l, "si")) {
    s->in_si = true;
    xlsx *x = s->x;
    void *p = x->sst_off;
    if (!sw__grow(&p, &x->cap_sst, x->n_sst + 1, sizeof *x->sst_off)) {
      s->nomem = true;
      return;
    }
    x->sst_off = p;
    x->sst_off[x->n_sst++] = x->sst.len;
  } else if (!strcmp(l, "rPh")) {
    s->in_rph++;
  } else if (!strcmp(l, "t") && s->in_si) {
    s->in_t++;
  }
}

static void sst_end(void *u, const char *name) {
  sst_ctx *s = u;
  const char *l = local(name);
  if (!strcmp(l, "si")) {
    s->in_si = false;
    if (!sw__buf_putc(&s->x->sst, '\0')) s->nomem = true;
  } else if (!strcmp(l, "rPh")) {
    s->in_rph--;
  } else if (!strcmp(l, "t") && s->in_t) {
    s->in_t--;
  }
}

static void sst_chars(void *u, const char *text, int len) {
  sst_ctx *s = u;
  if (s->in_t && !s->in_rph && s->in_si &&
      !sw__buf_append(&s->x->sst, text, (size_t)len))
    s->nomem = true;
}

/* styles.xml: which cellXfs use a date number format. */
typedef struct style_ctx {
  xlsx *x;
  bool in_xfs, nomem;
  int custom_ids[256]; /* custom formats that are dates */
  size_t n_custom;
} style_ctx;

/* Is an Excel number format code a date or time? Its letters outside
 * quotes, brackets and escapes include d, m, y, h or s (not "General"). */
static bool date_code(const char *f) {
  bool quoted = false;
  for (; *f; f++) {
    if (*f == '"') quoted = !quoted;
    if (quoted) continue;
    if (*f == '\\' && f[1]) {
      f++;
      continue;
    }
    if (*f == '[') { /* [Red], [$-409]; [h] is elapsed time */
      const char *e = strchr(f, ']');
      if (!e) return false;
      f = e;
      continue;
    }
    char c = (char)(*f | 32);
    if (c == 'd' || c == 'y' || c == 'm' || c == 'h' || c == 's') {
      if (!strncasecmp(f, "general", 7)) return false;
      return true;
    }
  }
  return false;
}

static bool builtin_date(int id) {
  return (id >= 14 && id <= 22) || (id >= 45 && id <= 47) ||
         (id >= 27 && id <= 36) || (id >= 50 && id <= 58);
}

static void style_start(void *u, const char *name, const char **atts) {
  style_ctx *s = u;
  const char *l = local(name);
  if (!strcmp(l, "numFmt")) {
    const char *id = attr(atts, "numFmtId"), *code = attr(atts, "formatCode");
    if (id && code && date_code(code) && s->n_custom < 256)
      s->custom_ids[s->n_custom++] = atoi(id);
  } else if (!strcmp(l, "cellXfs")) {
    s->in_xfs = true;
  } else if (!strcmp(l, "xf") && s->in_xfs) {
    xlsx *x = s->x;
    void *p = x->xf_date;
    size_t cap = x->n_xf;
    if (!sw__grow(&p, &cap, x->n_xf + 1, sizeof *x->xf_date)) {
      s->nomem = true;
      return;
    }
    x->xf_date = p;
    const char *v = attr(atts, "numFmtId");
    int id = v ? atoi(v) : 0;
    bool date = builtin_date(id);
    for (size_t k = 0; k < s->n_custom && !date; k++)
      date = s->custom_ids[k] == id;
    x->xf_date[x->n_xf++] = date;
  }
}

static void style_end(void *u, const char *name) {
  style_ctx *s = u;
  if (!strcmp(local(name), "cellXfs")) s->in_xfs = false;
}

/* ---- the sheet stream ---- */

/* Column index of a cell reference ("BC12" -> 54); -1 when malformed. */
static long ref_col(const char *r) {
  long c = 0;
  int n = 0;
  for (; *r >= 'A' && *r <= 'Z'; r++, n++) {
    c = c * 26 + (*r - 'A' + 1);
    if (c > 1000000) return -1;
  }
  return n ? c - 1 : -1;
}

static void set_fault(xlsx *x, const char *msg) {
  if (!x->fault[0]) snprintf(x->fault, sizeof x->fault, "%s", msg);
}

static void sheet_start(void *u, const char *name, const char **atts) {
  xlsx *x = u;
  if (x->fault_nomem) return; /* feed() reports it after this chunk */
  const char *l = local(name);
  if (!strcmp(l, "row")) {
    const char *r = attr(atts, "r");
    x->row_num = r ? strtoull(r, NULL, 10) : x->row_num + 1;
    x->in_row = true;
    x->n_row = 0;
    sw__buf_clear(&x->row_text);
    x->cell_col = -1;
    x->fault[0] = '\0';
  } else if (!strcmp(l, "c") && x->in_row) {
    const char *r = attr(atts, "r"), *t = attr(atts, "t"),
               *st = attr(atts, "s");
    long col = r ? ref_col(r) : x->cell_col + 1;
    if (col < 0) col = x->cell_col + 1;
    x->cell_col = col;
    x->cell_type = !t                        ? 'n'
                   : !strcmp(t, "s")         ? 's'
                   : !strcmp(t, "inlineStr") ? 'i'
                   : !strcmp(t, "str")       ? 't'
                   : !strcmp(t, "b")         ? 'b'
                   : !strcmp(t, "e")         ? 'e'
                   : !strcmp(t, "d")         ? 'd'
                                             : 'n';
    size_t xf = st ? strtoul(st, NULL, 10) : 0;
    x->cell_date = xf < x->n_xf && x->xf_date[xf];
    sw__buf_clear(&x->text);
  } else if (!strcmp(l, "v")) {
    x->depth_v++;
  } else if (!strcmp(l, "is")) {
    x->in_is = true;
  } else if (!strcmp(l, "t") && x->in_is) {
    x->depth_t++;
  }
}

static void sheet_chars(void *u, const char *s, int len) {
  xlsx *x = u;
  if (x->fault_nomem) return;
  if ((x->depth_v || x->depth_t) && !sw__buf_append(&x->text, s, (size_t)len))
    x->fault_nomem = true;
}

/* A serial day number (with its fraction, the time) as ISO text. */
static size_t serial_text(double v, bool date1904, char out[32]) {
  if (date1904) v += 1462;
  double day = floor(v);
  /* 1900 system: serial 60 is the 29th of February 1900 that never was
   * (a Lotus bug Excel kept); earlier serials are one day off. */
  if (!date1904 && day < 61) day += 1;
  int32_t days = (int32_t)(day - 25569);
  int64_t y, m, d;
  sw__civil_from_days(days, &y, &m, &d);
  long secs = lround((v - floor(v)) * 86400.0);
  if (secs >= 86400) secs = 86399;
  if (y < 1000 || y > 9999) return (size_t)snprintf(out, 32, "%.17g", v);
  if (!secs)
    return (size_t)snprintf(out, 32, "%04d-%02d-%02d", (int)y, (int)m, (int)d);
  return (size_t)snprintf(out, 32, "%04d-%02d-%02d %02ld:%02ld:%02ld", (int)y,
                          (int)m, (int)d, secs / 3600, secs / 60 % 60,
                          secs % 60);
}

/* Add the finished cell's text to the row. */
static void end_cell(xlsx *x) {
  const char *s = x->text.data ? x->text.data : "";
  size_t len = x->text.len;
  char tmp[32];
  if (x->cell_type == 's') {
    char *end;
    unsigned long i = strtoul(s, &end, 10);
    if (!len || *end || i >= x->n_sst) {
      set_fault(x, "a text cell points past the shared strings");
      return;
    }
    s = x->sst.data + x->sst_off[i];
    len = strlen(s);
  } else if (x->cell_type == 'b') {
    s = len && s[0] == '1' ? "TRUE" : "FALSE";
    len = strlen(s);
  } else if (x->cell_type == 'n' && x->cell_date && len) {
    char *end;
    double v = strtod(s, &end);
    if (!*end && isfinite(v) && v >= 0 && v < 2958466) {
      len = serial_text(v, x->date1904, tmp);
      s = tmp;
    }
  }
  if (!len) return; /* an empty cell is no cell */
  if (x->cell_col >= MAX_COLUMNS) {
    set_fault(x, "a cell beyond the last column read");
    return;
  }
  if (x->n_row == x->cap_row) {
    size_t c1 = x->cap_row, c2 = x->cap_row, c3 = x->cap_row;
    void *a = x->row_off, *b = x->row_len, *c = x->row_col;
    if (!sw__grow(&a, &c1, x->n_row + 1, sizeof(size_t)) ||
        (x->row_off = a, !sw__grow(&b, &c2, x->n_row + 1, sizeof(size_t))) ||
        (x->row_len = b, !sw__grow(&c, &c3, x->n_row + 1, sizeof(long)))) {
      x->fault_nomem = true;
      return;
    }
    x->row_col = c;
    x->cap_row = c1 < c2 ? (c1 < c3 ? c1 : c3) : (c2 < c3 ? c2 : c3);
  }
  x->row_off[x->n_row] = x->row_text.len;
  x->row_len[x->n_row] = len;
  x->row_col[x->n_row] = x->cell_col;
  x->n_row++;
  if (!sw__buf_append(&x->row_text, s, len)) x->fault_nomem = true;
}

/* Queue the finished row: its cells by column, gaps empty. */
static void end_row(xlsx *x) {
  x->in_row = false;
  if (!x->n_row && !x->fault[0]) return; /* a blank row is no row */
  long width = 0;
  for (size_t i = 0; i < x->n_row; i++)
    if (x->row_col[i] + 1 > width) width = x->row_col[i] + 1;
  if ((size_t)width < x->header_width) width = (long)x->header_width;
  void *p = x->q;
  if (!sw__grow(&p, &x->cap_q, x->n_q + 1, sizeof *x->q)) {
    x->fault_nomem = true;
    return;
  }
  x->q = p;
  qrow *r = &x->q[x->n_q++];
  r->line = x->row_num;
  r->first_cell = x->n_qcells;
  r->n_cells = (size_t)width;
  size_t need = x->n_qcells + (size_t)width;
  size_t c1 = x->cap_qcells, c2 = x->cap_qcells;
  void *a = x->q_off, *b = x->q_len;
  if (!sw__grow(&a, &c1, need + 1, sizeof(size_t)) ||
      (x->q_off = a, !sw__grow(&b, &c2, need + 1, sizeof(size_t)))) {
    x->fault_nomem = true;
    return;
  }
  x->q_len = b;
  x->cap_qcells = c1 < c2 ? c1 : c2;
  for (long c = 0; c < width; c++) {
    x->q_off[x->n_qcells + (size_t)c] = 0;
    x->q_len[x->n_qcells + (size_t)c] = 0;
  }
  /* Cells out of order or repeated: the later one wins, as Excel. */
  for (size_t i = 0; i < x->n_row; i++) {
    size_t k = x->n_qcells + (size_t)x->row_col[i];
    x->q_off[k] = x->q_text.len;
    x->q_len[k] = x->row_len[i];
    if (!sw__buf_append(&x->q_text, x->row_text.data + x->row_off[i],
                        x->row_len[i])) {
      x->fault_nomem = true;
      return;
    }
  }
  x->n_qcells = need;
  if (x->fault[0]) { /* the fault's text rides in one more slot */
    x->q_off[x->n_qcells++] = x->q_text.len;
    r->n_cells |= (size_t)1 << (sizeof(size_t) * 8 - 1);
    if (!sw__buf_append(&x->q_text, x->fault, strlen(x->fault) + 1))
      x->fault_nomem = true;
  }
}

static void sheet_end(void *u, const char *name) {
  xlsx *x = u;
  if (x->fault_nomem) return;
  const char *l = local(name);
  if (!strcmp(l, "c") && x->in_row) {
    end_cell(x);
    sw__buf_clear(&x->text);
  } else if (!strcmp(l, "row") && x->in_row) {
    end_row(x);
  } else if (!strcmp(l, "v") && x->depth_v) {
    x->depth_v--;
  } else if (!strcmp(l, "is")) {
    x->in_is = false;
  } else if (!strcmp(l, "t") && x->depth_t) {
    x->depth_t--;
  }
}

static void close_sheet(xlsx *x) {
  if (x->zf) zip_fclose(x->zf);
  x->zf = NULL;
  if (x->xp) XML_ParserFree(x->xp);
  x->xp = NULL;
}

static sw_status fail(sw_csv *c, sw_status code, const char *msg,
                      sw_error *err) {
  sw__err(err, code, "%s", msg);
  sw__err_at(err, sw__csv_path(c), 0, NULL, 0);
  return code;
}

/* Start streaming sheet order[at]; names errors after it. */
static sw_status open_sheet(xlsx *x, sw_csv *c, sw_error *err) {
  close_sheet(x);
  sheet_ref *s = &x->sheets[x->order[x->at]];
  size_t n = strlen(x->book_name) + strlen(s->name) + 3;
  char *name = sw__malloc(n);
  if (!name) return sw__err(err, SW_E_NOMEM, "out of memory");
  snprintf(name, n, "%s[%s]", x->book_name, s->name);
  bool ok = sw__csv_set_path(c, name);
  sw__free(name);
  if (!ok) return sw__err(err, SW_E_NOMEM, "out of memory");
  if (!s->part || !(x->zf = zip_fopen(x->zip, s->part, 0)))
    return fail(c, SW_E_PARSE, "the sheet's part is missing from the workbook",
                err);
  if (!(x->xp = XML_ParserCreate(NULL)))
    return sw__err(err, SW_E_NOMEM, "out of memory");
  XML_SetUserData(x->xp, x);
  XML_SetElementHandler(x->xp, sheet_start, sheet_end);
  XML_SetCharacterDataHandler(x->xp, sheet_chars);
  x->sheet_done = false;
  x->in_row = false;
  x->depth_v = x->depth_t = 0;
  x->in_is = false;
  x->row_num = 0;
  x->seek_header = x->at > 0 && x->n_header > 0;
  return SW_OK;
}

/* Parse more of the sheet; at its end, move to the next. */
static sw_status feed(xlsx *x, sw_csv *c, sw_error *err) {
  zip_int64_t got = zip_fread(x->zf, x->chunk, CHUNK);
  if (got < 0)
    return fail(c, SW_E_IO, "cannot decompress the sheet (corrupt workbook)",
                err);
  if (XML_Parse(x->xp, x->chunk, (int)got, got == 0) != XML_STATUS_OK) {
    char msg[160];
    snprintf(msg, sizeof msg, "the sheet's XML is malformed: %s (XML line %lu)",
             XML_ErrorString(XML_GetErrorCode(x->xp)),
             (unsigned long)XML_GetCurrentLineNumber(x->xp));
    return fail(c, SW_E_PARSE, msg, err);
  }
  if (x->fault_nomem) return sw__err(err, SW_E_NOMEM, "out of memory");
  if (got == 0) x->sheet_done = true;
  return SW_OK;
}

static bool row_is_header(const xlsx *x, const qrow *r) {
  size_t n = r->n_cells & ~((size_t)1 << (sizeof(size_t) * 8 - 1));
  size_t w = n < x->n_header ? x->n_header : n;
  for (size_t k = 0; k < w; k++) {
    const char *h = k < x->n_header ? x->header[k] : "";
    size_t len = k < n ? x->q_len[r->first_cell + k] : 0;
    if (strlen(h) != len ||
        (len && memcmp(h, x->q_text.data + x->q_off[r->first_cell + k], len)))
      return false;
  }
  return true;
}

static sw_status xlsx_next(void *state, sw_csv *c, bool *got, sw_error *err) {
  xlsx *x = state;
  *got = false;
  for (;;) {
    if (x->seek_header) {
      /* Hold a later sheet's first rows until its header shows (drop to
       * it) or does not (keep them all). */
      for (size_t i = x->q_at; i < x->n_q; i++)
        if (row_is_header(x, &x->q[i])) {
          x->q_at = i + 1;
          x->seek_header = false;
          break;
        }
      if (x->seek_header &&
          (x->n_q - x->q_at >= HEADER_LOOKAHEAD || x->sheet_done))
        x->seek_header = false;
    }
    if (x->q_at < x->n_q && !x->seek_header) {
      qrow *r = &x->q[x->q_at++];
      size_t top = (size_t)1 << (sizeof(size_t) * 8 - 1);
      size_t n = r->n_cells & ~top;
      sw__csv_row_begin(c, r->line, 0);
      for (size_t k = 0; k < n; k++)
        if (!sw__csv_row_field(c,
                               x->q_text.data ? x->q_text.data +
                                                    x->q_off[r->first_cell + k]
                                              : "",
                               x->q_len[r->first_cell + k]))
          return sw__err(err, SW_E_NOMEM, "out of memory");
      if (r->n_cells & top)
        sw__csv_row_fault(c, x->q_text.data + x->q_off[r->first_cell + n]);
      sw__csv_row_end(c);
      *got = true;
      return SW_OK;
    }
    if (x->q_at == x->n_q) { /* all handed out: start the queue afresh */
      x->n_q = x->q_at = x->n_qcells = 0;
      sw__buf_clear(&x->q_text);
    }
    if (x->sheet_done) {
      if (x->q_at < x->n_q) continue;
      if (++x->at >= x->n_order) return SW_OK;
      sw_status s = open_sheet(x, c, err);
      if (s != SW_OK) return s;
      continue;
    }
    sw_status s = feed(x, c, err);
    if (s != SW_OK) return s;
  }
}

static bool xlsx_header(void *state, const sw_csv *c) {
  xlsx *x = state;
  if (x->n_header) return true;
  size_t n = sw__csv_n_fields(c);
  x->header = sw__calloc(n ? n : 1, sizeof *x->header);
  if (!x->header) return false;
  for (size_t k = 0; k < n; k++) {
    size_t len;
    const char *f = sw__csv_field(c, k, &len);
    if (!(x->header[k] = sw__strndup(f, len))) return false;
    x->n_header = k + 1;
  }
  x->header_width = n;
  return true;
}

static void xlsx_close(void *state) {
  xlsx *x = state;
  if (!x) return;
  close_sheet(x);
  if (x->zip) zip_discard(x->zip);
  sw__free(x->data);
  sw__free(x->book_name);
  sw__buf_free(&x->sst);
  sw__free(x->sst_off);
  sw__free(x->xf_date);
  for (size_t i = 0; i < x->n_sheets; i++) {
    sw__free(x->sheets[i].name);
    sw__free(x->sheets[i].part);
  }
  sw__free(x->sheets);
  sw__free(x->order);
  sw__free(x->chunk);
  sw__buf_free(&x->text);
  sw__buf_free(&x->row_text);
  sw__free(x->row_off);
  sw__free(x->row_len);
  sw__free(x->row_col);
  sw__buf_free(&x->q_text);
  sw__free(x->q_off);
  sw__free(x->q_len);
  sw__free(x->q);
  for (size_t i = 0; i < x->n_header; i++)
    sw__free(x->header[i]);
  sw__free(x->header);
  sw__free(x);
}

/* Read the workbook's parts and choose the sheets. */
static sw_status load(xlsx *x, const sw_csv_opts *o, sw_csv *c, sw_error *err) {
  zip_error_t ze;
  zip_error_init(&ze);
  zip_source_t *src = zip_source_buffer_create(x->data, x->len, 0, &ze);
  if (!src) return sw__err(err, SW_E_NOMEM, "out of memory");
  x->zip = zip_open_from_source(src, ZIP_RDONLY, &ze);
  zip_error_fini(&ze);
  if (!x->zip) {
    zip_source_free(src);
    return fail(c, SW_E_PARSE, "not a workbook: the ZIP container is damaged",
                err);
  }
  size_t len;
  bool nomem;
  char *book = read_part(x, "xl/workbook.xml", &len, err, &nomem);
  if (!book)
    return nomem ? sw__err(err, SW_E_NOMEM, "out of memory")
                 : fail(c, SW_E_PARSE,
                        "not an .xlsx workbook: no xl/workbook.xml", err);
  book_ctx b = {x, NULL, false};
  bool ok = parse_part(book, len, &b, book_start, no_end, NULL);
  sw__free(book);
  sw_status st = SW_OK;
  if (b.nomem)
    st = sw__err(err, SW_E_NOMEM, "out of memory");
  else if (!ok || !x->n_sheets)
    st = fail(c, SW_E_PARSE, "the workbook lists no sheets", err);
  char *rels =
      st ? NULL : read_part(x, "xl/_rels/workbook.xml.rels", &len, err, &nomem);
  if (!st && nomem) st = sw__err(err, SW_E_NOMEM, "out of memory");
  if (!st && rels) {
    rels_ctx r = {x, b.rids, false};
    parse_part(rels, len, &r, rels_start, no_end, NULL);
    if (r.nomem) st = sw__err(err, SW_E_NOMEM, "out of memory");
  }
  sw__free(rels);
  for (size_t i = 0; i < x->n_sheets; i++)
    if (b.rids) sw__free(b.rids[i]);
  sw__free(b.rids);
  if (st) return st;
  char *sst = read_part(x, "xl/sharedStrings.xml", &len, err, &nomem);
  if (nomem) return sw__err(err, SW_E_NOMEM, "out of memory");
  if (sst) {
    sst_ctx s = {x, 0, 0, false, false};
    ok = parse_part(sst, len, &s, sst_start, sst_end, sst_chars);
    sw__free(sst);
    if (s.nomem) return sw__err(err, SW_E_NOMEM, "out of memory");
    if (!ok)
      return fail(c, SW_E_PARSE, "the workbook's shared strings are malformed",
                  err);
  }
  char *styles = read_part(x, "xl/styles.xml", &len, err, &nomem);
  if (nomem) return sw__err(err, SW_E_NOMEM, "out of memory");
  if (styles) {
    style_ctx s = {0};
    s.x = x;
    parse_part(styles, len, &s, style_start, style_end, NULL);
    sw__free(styles);
    if (s.nomem) return sw__err(err, SW_E_NOMEM, "out of memory");
  }
  x->order = sw__calloc(x->n_sheets, sizeof *x->order);
  if (!x->order) return sw__err(err, SW_E_NOMEM, "out of memory");
  if (!o->sheet) {
    for (size_t i = 0; i < x->n_sheets; i++)
      x->order[i] = i;
    x->n_order = x->n_sheets;
  } else {
    /* By name, else by number (1 = the first). */
    for (size_t i = 0; i < x->n_sheets && !x->n_order; i++)
      if (!strcmp(x->sheets[i].name, o->sheet)) x->order[x->n_order++] = i;
    char *end;
    unsigned long k = strtoul(o->sheet, &end, 10);
    if (!x->n_order && *o->sheet && !*end && k >= 1 && k <= x->n_sheets)
      x->order[x->n_order++] = k - 1;
    if (!x->n_order) {
      char names[160] = "";
      for (size_t i = 0; i < x->n_sheets; i++) {
        size_t at = strlen(names);
        snprintf(names + at, sizeof names - at, "%s\"%s\"", i ? ", " : "",
                 x->sheets[i].name);
      }
      sw__err(err, SW_E_USAGE,
              "--sheet \"%.48s\": no such sheet (the workbook has %s)",
              o->sheet, names);
      sw__err_at(err, x->book_name, 0, NULL, 0);
      return SW_E_USAGE;
    }
  }
  if (!(x->chunk = sw__malloc(CHUNK)))
    return sw__err(err, SW_E_NOMEM, "out of memory");
  return open_sheet(x, c, err);
}

static sw_status xlsx_open(sw_source *src, const sw_csv_opts *o, sw_csv *c,
                           void **state, sw_error *err) {
  xlsx *x = sw__calloc(1, sizeof *x);
  if (!x) return sw__err(err, SW_E_NOMEM, "out of memory");
  *state = x;
  sw_status st = SW_OK;
  if (!(x->book_name = sw__strdup(sw__source_name(src))))
    st = sw__err(err, SW_E_NOMEM, "out of memory");
  if (st == SW_OK) st = sw__source_slurp(src, &x->data, &x->len, err);
  if (st == SW_OK) st = load(x, o, c, err);
  if (st != SW_OK) {
    xlsx_close(x);
    *state = NULL;
  }
  return st;
}

const sw_rows_backend sw__xlsx_backend = {xlsx_open, xlsx_next, xlsx_header,
                                          xlsx_close, false};
