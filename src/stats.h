/*
 * stats.h — the distribution functions and multiplicity adjustment that
 * turn the choice model's statistics into p-values and intervals: the
 * chi-square survival function for likelihood-ratio tests, the normal
 * quantile for confidence intervals, Student's t for tests with few
 * clusters, Holm's step-down adjustment across
 * targets.
 */
#ifndef SW_STATS_H
#define SW_STATS_H

#include <stddef.h>

#include "steerwatch.h"

/* P(X > x) for X chi-square with df degrees of freedom (df >= 1), in closed
 * form through erfc and a finite series; accurate to a few ulps of the
 * terms. x <= 0 gives 1; NaN gives NaN. */
double sw__chisq_sf(double x, unsigned df);

/* Standard normal distribution function, P(Z <= z). */
double sw__normal_cdf(double z);

/* The p-quantile of the standard normal, 0 < p < 1 (0 and 1 give -inf and
 * +inf, others NaN): Acklam's rational approximation polished by one
 * Halley step, good to about 1e-15 relative. */
double sw__normal_quantile(double p);

/* P(|T| > t) for T Student's t with df > 0 degrees of freedom, through
 * the regularized incomplete beta I_{df/(df+t^2)}(df/2, 1/2); NaN in, NaN
 * out. */
double sw__t_sf2(double t, double df);

/* The p-quantile of Student's t with df degrees of freedom, 0.5 <= p < 1,
 * by bisection on sw__t_sf2 to 1e-12. */
double sw__t_quantile(double p, double df);

/* Holm's step-down adjustment of n p-values: the i-th smallest p becomes
 * max over j <= i of min(1, (m - j + 1) p_(j)), m the number of non-NaN
 * p-values. NaN stays NaN (excluded from m, as R's p.adjust does). adj may
 * alias p. Fails only with SW_E_NOMEM. */
sw_status sw__holm(size_t n, const double *p, double *adj, sw_error *err);

#endif
