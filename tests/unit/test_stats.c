/*
 * test_stats.c — chi-square tail, normal quantile and Holm adjustment
 * against values computed by R (pchisq, qnorm, p.adjust).
 */
#include <math.h>

#include "stats.h"
#include "testutil.h"

static void assert_rel(double got, double want, double tol) {
  double rel = fabs(got - want) / fabs(want);
  if (!(rel <= tol))
    fail_msg("got %.17g, want %.17g (relative error %.3g > %.3g)", got, want,
             rel, tol);
}

static void test_chisq_sf_one_df_matches_r(void **state) {
  (void)state;
  assert_rel(sw__chisq_sf(3.841458820694124, 1), 0.05, 1e-13);
  assert_rel(sw__chisq_sf(1, 1), 3.1731050786291415e-01, 1e-14);
  assert_rel(sw__chisq_sf(10, 1), 1.5654022580025519e-03, 1e-13);
  assert_rel(sw__chisq_sf(0.5, 1), 4.7950012218695348e-01, 1e-14);
  /* Far tail keeps relative precision (1 - cdf would give 0). */
  assert_rel(sw__chisq_sf(100, 1), 1.5239706048321054e-23, 1e-12);
}

static void test_chisq_sf_more_df_matches_r(void **state) {
  (void)state;
  assert_rel(sw__chisq_sf(5.991464547107979, 2), 0.05, 1e-13);
  assert_rel(sw__chisq_sf(3, 2), 0.223130160148429818, 1e-14);
  assert_rel(sw__chisq_sf(7.814727903251178, 3), 0.05, 1e-13);
  assert_rel(sw__chisq_sf(20, 3), 0.00016974243555282649, 1e-12);
  assert_rel(sw__chisq_sf(12, 7), 0.10055886850835885, 1e-13);
}

static void test_chisq_sf_edges(void **state) {
  (void)state;
  assert_true(sw__chisq_sf(0, 1) == 1.0);
  assert_true(sw__chisq_sf(-3, 2) == 1.0);
  assert_true(sw__chisq_sf(INFINITY, 1) == 0.0);
  assert_true(isnan(sw__chisq_sf(NAN, 1)));
  assert_true(isnan(sw__chisq_sf(1, 0)));
}

static void test_normal_quantile_matches_r(void **state) {
  (void)state;
  assert_rel(sw__normal_quantile(0.975), 1.95996398454005361, 1e-15);
  assert_rel(sw__normal_quantile(1e-10), -6.36134090240405570, 1e-14);
  assert_rel(sw__normal_quantile(0.3), -0.52440051270804067, 1e-14);
  assert_rel(sw__normal_quantile(0.999999), 4.75342430881708911, 1e-12);
  assert_rel(sw__normal_quantile(1e-300), -37.04709629936120052, 1e-14);
  assert_true(sw__normal_quantile(0.5) == 0.0);
  assert_true(isinf(sw__normal_quantile(0)) && sw__normal_quantile(0) < 0);
  assert_true(isnan(sw__normal_quantile(1.5)));
}

/* Values from R: 2 * pt(-|t|, df) and qt(p, df). */
static void test_t_matches_r(void **state) {
  (void)state;
  assert_rel(sw__t_sf2(2.5, 7), 0.040992218585752874, 1e-12);
  assert_rel(sw__t_sf2(-0.3, 12.5), 0.76910774396853465, 1e-12);
  assert_rel(sw__t_sf2(6, 3), 0.0092727148922846607, 1e-12);
  assert_rel(sw__t_sf2(40, 4), 2.3340163226012694e-06, 1e-10);
  /* df 1 and 2 have closed forms: 2 atan(1/t) / pi, 1 - t / sqrt(2 + t^2) */
  assert_rel(sw__t_sf2(1, 1), 0.5, 1e-14);
  assert_rel(sw__t_sf2(2, 2), 1 - 2 / sqrt(6.0), 1e-14);
  assert_rel(sw__t_quantile(0.975, 7), 2.3646242515927844, 1e-10);
  assert_rel(sw__t_quantile(0.975, 1), 12.706204736174694, 1e-10);
  assert_rel(sw__t_quantile(0.995, 30), 2.7499956535672254, 1e-10);
  assert_true(sw__t_sf2(0, 5) == 1);
  assert_true(isnan(sw__t_sf2(NAN, 5)) && isnan(sw__t_sf2(1, 0)));
  assert_true(isnan(sw__t_quantile(0.3, 5)));
}

static void test_holm_textbook_example(void **state) {
  (void)state;
  const double p[4] = {0.01, 0.04, 0.03, 0.005};
  const double want[4] = {0.03, 0.06, 0.06, 0.02}; /* R p.adjust "holm" */
  double adj[4];
  assert_int_equal(sw__holm(4, p, adj, NULL), SW_OK);
  for (int i = 0; i < 4; i++)
    assert_rel(adj[i], want[i], 1e-15);
}

static void test_holm_ties_nan_and_aliasing(void **state) {
  (void)state;
  double p[5] = {0.02, NAN, 0.5, 0.02, 0.001};
  const double want[5] = {0.06, NAN, 0.5, 0.06, 0.004};
  assert_int_equal(sw__holm(5, p, p, NULL), SW_OK); /* in place */
  for (int i = 0; i < 5; i++) {
    if (isnan(want[i]))
      assert_true(isnan(p[i]));
    else
      assert_rel(p[i], want[i], 1e-15);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_chisq_sf_one_df_matches_r),
      cmocka_unit_test(test_chisq_sf_more_df_matches_r),
      cmocka_unit_test(test_chisq_sf_edges),
      cmocka_unit_test(test_normal_quantile_matches_r),
      cmocka_unit_test(test_holm_textbook_example),
      cmocka_unit_test(test_holm_ties_nan_and_aliasing),
      cmocka_unit_test(test_t_matches_r),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
