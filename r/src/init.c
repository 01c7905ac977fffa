/*
 * init.c — registers the .Call entry points, so that R finds them by
 * symbol (useDynLib(.registration = TRUE)) and no other symbol of the
 * package or the library can be called from R by name.
 */
#include <R_ext/Rdynload.h>

#include "glue.h"

SEXP sw_r_check(SEXP path, SEXP opts);
SEXP sw_r_assign(SEXP opts);
SEXP sw_r_audit(SEXP opts);

static const R_CallMethodDef calls[] = {
    {"sw_r_check", (DL_FUNC)&sw_r_check, 2},
    {"sw_r_assign", (DL_FUNC)&sw_r_assign, 1},
    {"sw_r_audit", (DL_FUNC)&sw_r_audit, 1},
    {NULL, NULL, 0}};

void R_init_steerwatch(DllInfo *dll) {
  R_registerRoutines(dll, NULL, calls, NULL, NULL);
  R_useDynamicSymbols(dll, FALSE);
  R_forceSymbols(dll, TRUE);
}
