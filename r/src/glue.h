/*
 * glue.h — what the .Call entry points share: reading R arguments into
 * the library's option structs, collecting rejected rows in C memory
 * while the library runs (no R allocation may happen inside a library
 * call, where an R error would jump over its cleanup), and turning an
 * sw_error into the list R makes a steerwatch_error condition of.
 */
#ifndef SW_R_GLUE_H
#define SW_R_GLUE_H

#include <stdbool.h>
#include <stdint.h>

#include <Rinternals.h>
#include <steerwatch.h>

/* Element `name` of the named list `list`, or R_NilValue. */
SEXP sw_r_elt(SEXP list, const char *name);

/* The first string of element `name`, translated for the file system; NULL
 * when the element is NULL, empty or NA. Valid until the .Call returns. */
const char *sw_r_str(SEXP list, const char *name);

/* Every string of element `name`, as sw_r_str; *n is their number. */
const char **sw_r_strs(SEXP list, const char *name, size_t *n);

/* Element `name` as a double, or dflt when it is NULL. */
double sw_r_num(SEXP list, const char *name, double dflt);

/* Element `name` as a single delimiter byte (its first), 0 when NULL. */
char sw_r_delim(SEXP list, const char *name);

/* The reading options every reader takes (docs/input.md), from the list
 * `o`, with the CLI's default gazetteer when none is named. */
void sw_r_read_opts(SEXP o, sw_read_opts *ro);

/* One rejected row, copied out of the library's callback. */
typedef struct sw_r_reject {
  char *file, *column, *reason, *raw;
  size_t raw_len; /* raw may hold a NUL */
  uint64_t line, byte;
  sw_input input;
} sw_r_reject;

/* Rejected rows gathered by sw_r_collect (an sw_reject_fn). nomem is set
 * when a copy failed; the callback then stops the read. */
typedef struct sw_r_rejects {
  sw_r_reject *rows;
  size_t n, cap;
  bool nomem;
} sw_r_rejects;

bool sw_r_collect(void *user, const sw_reject *r);
void sw_r_rejects_free(sw_r_rejects *c);

/* The rows of c from input `which` as a list of columns file, line, byte,
 * column, reason, raw. Allocates: call under R_UnwindProtect. */
SEXP sw_r_rejects_list(const sw_r_rejects *c, sw_input which);

/* list(error = list(code, status, message, file, line, column, byte,
 * text)) for a failed call; allocates. */
SEXP sw_r_error(const sw_error *e);

/* Fill e for a copy that failed in the glue; returns SW_E_NOMEM. */
sw_status sw_r_nomem(sw_error *e);

/* A length-one character vector of s (NULL gives NA), as UTF-8. */
SEXP sw_r_mkstr(const char *s);

/* Run build(data) with R's allocations allowed, calling cleanup(data)
 * afterwards whether or not an R error jumped out of build: the glue's
 * way of freeing library objects before any longjmp passes them. cont is
 * R_MakeUnwindCont()'s, made and protected before the library was called
 * (making it allocates). */
SEXP sw_r_protected(SEXP cont, SEXP (*build)(void *), void (*cleanup)(void *),
                    void *data);

#endif
