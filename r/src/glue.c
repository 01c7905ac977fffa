/*
 * glue.c — argument reading, reject collection and error lists shared by
 * the .Call entry points (see glue.h for why they are shaped so).
 */
#include <stdlib.h>
#include <string.h>

#include "glue.h"

SEXP sw_r_elt(SEXP list, const char *name) {
  SEXP names = getAttrib(list, R_NamesSymbol);
  for (R_xlen_t i = 0; i < xlength(list); i++)
    if (!strcmp(CHAR(STRING_ELT(names, i)), name)) return VECTOR_ELT(list, i);
  return R_NilValue;
}

const char *sw_r_str(SEXP list, const char *name) {
  SEXP v = sw_r_elt(list, name);
  if (!isString(v) || xlength(v) < 1 || STRING_ELT(v, 0) == NA_STRING)
    return NULL;
  return translateChar(STRING_ELT(v, 0));
}

const char **sw_r_strs(SEXP list, const char *name, size_t *n) {
  SEXP v = sw_r_elt(list, name);
  *n = isString(v) ? (size_t)xlength(v) : 0;
  const char **out = (const char **)R_alloc(*n + 1, sizeof *out);
  for (size_t i = 0; i < *n; i++)
    out[i] =
        STRING_ELT(v, i) == NA_STRING ? "" : translateChar(STRING_ELT(v, i));
  return out;
}

double sw_r_num(SEXP list, const char *name, double dflt) {
  SEXP v = sw_r_elt(list, name);
  return isNumeric(v) && xlength(v) > 0 ? asReal(v) : dflt;
}

char sw_r_delim(SEXP list, const char *name) {
  const char *s = sw_r_str(list, name);
  return s ? s[0] : 0;
}

void sw_r_read_opts(SEXP o, sw_read_opts *ro) {
  ro->delimiter = sw_r_delim(o, "delimiter");
  ro->columns = sw_r_strs(o, "columns", &ro->n_columns);
  ro->columns_path = sw_r_str(o, "columns_file");
  ro->date_format = sw_r_str(o, "date_format");
  ro->facilities_path = sw_r_str(o, "facilities");
  ro->encoding = sw_r_str(o, "encoding");
  ro->sheet = sw_r_str(o, "sheet");
  ro->gazetteer_path = sw_r_str(o, "gazetteer");
  if (!ro->gazetteer_path) ro->gazetteer_path = sw_gazetteer_default();
  double skip = sw_r_num(o, "skip_rows", -1);
  ro->skip_rows_set = skip >= 0;
  ro->skip_rows = ro->skip_rows_set ? (size_t)skip : 0;
}

static char *copy(const char *s, size_t len) {
  char *c = malloc(len + 1);
  if (c) {
    memcpy(c, s, len);
    c[len] = '\0';
  }
  return c;
}

bool sw_r_collect(void *user, const sw_reject *r) {
  sw_r_rejects *c = user;
  if (c->n == c->cap) {
    size_t cap = c->cap ? 2 * c->cap : 64;
    sw_r_reject *rows = realloc(c->rows, cap * sizeof *rows);
    if (!rows) {
      c->nomem = true;
      return false;
    }
    c->rows = rows;
    c->cap = cap;
  }
  sw_r_reject *k = &c->rows[c->n];
  *k = (sw_r_reject){.raw_len = r->raw_len,
                     .line = r->line,
                     .byte = r->byte,
                     .input = r->input};
  k->file = copy(r->file, strlen(r->file));
  k->column = copy(r->column, strlen(r->column));
  k->reason = copy(r->reason, strlen(r->reason));
  k->raw = copy(r->raw, r->raw_len);
  c->n++;
  if (!k->file || !k->column || !k->reason || !k->raw) {
    c->nomem = true;
    return false;
  }
  return true;
}

void sw_r_rejects_free(sw_r_rejects *c) {
  for (size_t i = 0; i < c->n; i++) {
    free(c->rows[i].file);
    free(c->rows[i].column);
    free(c->rows[i].reason);
    free(c->rows[i].raw);
  }
  free(c->rows);
  *c = (sw_r_rejects){0};
}

SEXP sw_r_mkstr(const char *s) {
  return s ? ScalarString(mkCharCE(s, CE_UTF8)) : ScalarString(NA_STRING);
}

SEXP sw_r_rejects_list(const sw_r_rejects *c, sw_input which) {
  size_t n = 0;
  for (size_t i = 0; i < c->n; i++)
    n += c->rows[i].input == which;
  static const char *names[] = {"file",   "line", "byte", "column",
                                "reason", "raw",  ""};
  SEXP out = PROTECT(mkNamed(VECSXP, names));
  SEXP file = PROTECT(allocVector(STRSXP, n));
  SEXP line = PROTECT(allocVector(REALSXP, n));
  SEXP byte = PROTECT(allocVector(REALSXP, n));
  SEXP column = PROTECT(allocVector(STRSXP, n));
  SEXP reason = PROTECT(allocVector(STRSXP, n));
  SEXP raw = PROTECT(allocVector(STRSXP, n));
  for (size_t i = 0, j = 0; i < c->n; i++) {
    const sw_r_reject *k = &c->rows[i];
    if (k->input != which) continue;
    SET_STRING_ELT(file, j, mkCharCE(k->file, CE_UTF8));
    REAL(line)[j] = (double)k->line;
    REAL(byte)[j] = (double)k->byte;
    SET_STRING_ELT(column, j, mkCharCE(k->column, CE_UTF8));
    SET_STRING_ELT(reason, j, mkCharCE(k->reason, CE_UTF8));
    /* A raw row is verbatim bytes: up to a NUL, which R strings cannot
     * hold, and not declared UTF-8, which it need not be. */
    SET_STRING_ELT(raw, j, mkChar(k->raw));
    j++;
  }
  SEXP cols[] = {file, line, byte, column, reason, raw};
  for (int i = 0; i < 6; i++)
    SET_VECTOR_ELT(out, i, cols[i]);
  UNPROTECT(7);
  return out;
}

/* The enum's own names, which R code can match on without knowing its
 * values. */
static const char *code_name(sw_status s) {
  static const char *names[] = {"SW_OK",         "SW_E_NOMEM", "SW_E_OPEN",
                                "SW_E_IO",       "SW_E_PARSE", "SW_E_SCHEMA",
                                "SW_E_RANGE",    "SW_E_USAGE", "SW_E_MODEL",
                                "SW_E_INTERNAL", "SW_E_CREATE"};
  return (unsigned)s < sizeof names / sizeof *names ? names[s]
                                                    : "SW_E_INTERNAL";
}

SEXP sw_r_error(const sw_error *e) {
  char text[1024];
  sw_error_format(e, text, sizeof text);
  static const char *names[] = {"code",   "status", "message", "file", "line",
                                "column", "byte",   "text",    ""};
  SEXP err = PROTECT(mkNamed(VECSXP, names));
  SET_VECTOR_ELT(err, 0, mkString(code_name(e->code)));
  SET_VECTOR_ELT(err, 1, mkString(sw_status_str(e->code)));
  SET_VECTOR_ELT(err, 2, sw_r_mkstr(e->message));
  SET_VECTOR_ELT(err, 3, sw_r_mkstr(e->file));
  SET_VECTOR_ELT(err, 4, ScalarReal((double)e->line));
  SET_VECTOR_ELT(err, 5, sw_r_mkstr(e->column));
  SET_VECTOR_ELT(err, 6, ScalarReal((double)e->byte));
  SET_VECTOR_ELT(err, 7, sw_r_mkstr(text));
  static const char *outer[] = {"error", ""};
  SEXP out = PROTECT(mkNamed(VECSXP, outer));
  SET_VECTOR_ELT(out, 0, err);
  UNPROTECT(2);
  return out;
}

sw_status sw_r_nomem(sw_error *e) {
  *e = (sw_error){.code = SW_E_NOMEM};
  strcpy(e->message, "out of memory");
  return SW_E_NOMEM;
}

typedef struct protected_call {
  SEXP (*build)(void *);
  void (*cleanup)(void *);
  void *data;
} protected_call;

static SEXP run_build(void *p) {
  protected_call *c = p;
  return c->build(c->data);
}

static void run_cleanup(void *p, Rboolean jump) {
  (void)jump;
  protected_call *c = p;
  c->cleanup(c->data);
}

SEXP sw_r_protected(SEXP cont, SEXP (*build)(void *), void (*cleanup)(void *),
                    void *data) {
  protected_call c = {build, cleanup, data};
  return R_UnwindProtect(run_build, &c, run_cleanup, &c, cont);
}
