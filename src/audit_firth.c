/*
 * audit_firth.c — the headline when its change has no finite
 * maximum-likelihood estimate. If every placement after the split went to
 * target regions (or none did), the likelihood keeps rising as the change
 * grows: an ordinary fit diverges and reports nothing. This module says
 * so in plain words and puts in its place the Firth-penalised estimate of
 * model_firth.c, its penalised likelihood-ratio p-value and its profile
 * penalised-likelihood interval, all finite
 * (docs/design/separation.md).
 */
#include <math.h>
#include <stdio.h>

#include "alloc.h"
#include "audit_state.h"
#include "err.h"

sw_status sw__audit_separation(const sw_audit *a, const audit_target *t,
                               int32_t split, const size_t *idx, size_t n,
                               bool static_membership, char **why,
                               sw_error *err) {
  *why = NULL;
  uint64_t cnt[2][2] = {{0, 0}, {0, 0}}; /* [after][into the target] */
  for (size_t i = 0; i < n; i++) {
    size_t k = idx ? idx[i] : i;
    cnt[a->date[k] >= split][t->in_target[k] != 0] += sw__audit_people(a, k);
  }
  /* After the split the change is the target's only extra pull, so an
   * empty cell there separates it. Before it, the target regions'
   * constants and the change trade off: an empty cell there separates
   * the pair (delta and the constants run off together), but only while
   * the target regions are the same over the span. */
  for (int after = 1; after >= 0; after--) {
    if (!after && !static_membership) break;
    uint64_t in = cnt[after][1], out = cnt[after][0];
    if (in && out) continue;
    /* No count in the words: the headline's counts are withheld when
     * small in a published audit (audit_publish.c), and the words are
     * published as they are. */
    char buf[400];
    if (split == INT32_MIN) {
      snprintf(buf, sizeof buf,
               "%s placed went to a region while it was a target region, so "
               "the ordinary (maximum-likelihood) estimate of the change is "
               "infinite",
               in ? "every person" : "no one");
    } else {
      char d[16];
      sw_date_format(split, d, sizeof d);
      snprintf(buf, sizeof buf,
               "%s placed %s %s went to a target region, so the ordinary "
               "(maximum-likelihood) estimate of the change is infinite",
               in ? "every person" : "no one", after ? "from" : "before", d);
    }
    if (!(*why = sw__strdup(buf)))
      return sw__err(err, SW_E_NOMEM, "out of memory");
    return SW_OK;
  }
  return SW_OK;
}

sw_status sw__audit_firth(const sw_geo_spec *sp, sw_firth_result *out,
                          char **reason, sw_error *err) {
  sw_geo_design *g = NULL;
  sw_status st = sw__geo_design_new(sp, &g, err);
  if (st) return st;
  /* The headline's own terms: the flat ones (no ties, a spline band no
   * distance reaches) held at 0 as in its ordinary fits. */
  const sw_design *d = sw__geo_design_get(g);
  bool *omit = sw__calloc(d->n_features, sizeof *omit);
  if (!omit) {
    sw__geo_design_free(g);
    return sw__err(err, SW_E_NOMEM, "out of memory");
  }
  sw__geo_design_flat(g, omit);
  sw_error e;
  st = sw__firth_fit(d, sp->n_regions, omit, sw__geo_target_feature(sp), out,
                     &e);
  sw__free(omit);
  sw__geo_design_free(g);
  if (st == SW_E_MODEL) {
    if (!(*reason = sw__strdup(e.message)))
      return sw__err(err, SW_E_NOMEM, "out of memory");
    return SW_OK;
  }
  if (st && err) *err = e;
  return st;
}

void sw__audit_firth_infer(audit_headline *h, const sw_firth_result *f,
                           char *separation) {
  h->estimate = f->estimate;
  h->ci_low = f->ci_low;
  h->ci_high = f->ci_high;
  /* The clustered Wald test needs a finite maximum-likelihood estimate:
   * under separation only the penalised likelihood ratio is left. */
  h->p_value = h->p_model = f->p_value;
  h->p_cluster = h->se = h->se_cluster = NAN;
  h->statistic = h->penalised_statistic = f->statistic;
  h->firth_chosen = f->n_chosen;
  h->separation = separation;
}
