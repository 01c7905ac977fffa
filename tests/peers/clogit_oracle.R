# clogit_oracle.R — R survival::clogit as the oracle for steerwatch's choice
# model. Reads the long-format design written by model_peer and steerwatch's
# fit of it, refits with clogit (exact conditional likelihood) and compares.
#
#   Rscript clogit_oracle.R LONG.csv SW.csv          compare; exit 1 on mismatch
#   Rscript clogit_oracle.R LONG.csv SW.csv fe       the same, for the
#       within-region design (model_peer ... fe): a constant per region,
#       factor(alt), and no covariate
#   Rscript clogit_oracle.R LONG.csv SW.csv spline   the within-region
#       design with the spline distance terms (model_peer ... spline): the
#       basis columns as written, factor(alt), no covariate
#   Rscript clogit_oracle.R LONG.csv - REPS          print median fit seconds
#
# Tolerances: estimates 1e-6 relative, model-based SEs 1e-5 relative (SPEC);
# cluster-robust SEs 1e-5 relative after removing steerwatch's G/(G-1)
# small-sample factor, which coxph's robust variance does not apply.
suppressMessages(library(survival))
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1])
ctl <- coxph.control(eps = 1e-12, toler.chol = 1e-15, iter.max = 100)
spline <- length(args) > 2 && args[3] == "spline"
fe <- spline || (length(args) > 2 && args[3] == "fe")
basis <- setdiff(names(d), c("rec", "alt", "choice", "facility", "target"))
form <- if (spline) {
  reformulate(c(basis, "target", "factor(alt)", "strata(rec)"), "choice")
} else if (fe) {
  choice ~ log1p_km_origin + log1p_km_ties + target + factor(alt) + strata(rec)
} else {
  choice ~ log1p_km_origin + log1p_km_ties + target + income + strata(rec)
}
# With one chosen alternative per record there are no tied events, so
# Efron's likelihood is the exact one; the constants' fits use it because
# coxph's exact method takes minutes over 60 levels.
method <- if (fe) "efron" else "exact"

if (args[2] == "-") {
  reps <- as.integer(args[3])
  t <- replicate(reps, system.time(
    clogit(form, data = d, method = "exact", control = ctl))[["elapsed"]])
  cat(sprintf("%.6f\n", median(t)))
  quit(status = 0)
}

sw <- read.csv(args[2], stringsAsFactors = FALSE)
val <- function(name) as.numeric(sw$estimate[sw$name == name])
fit <- clogit(form, data = d, method = method, control = ctl)
# coxph offers robust (dfbeta) variances only for Efron's and Breslow's.
rob <- clogit(update(form, . ~ . + cluster(facility)), data = d,
              method = "efron", control = ctl)
null <- clogit(update(form, . ~ . - target), data = d, method = method,
               control = ctl)

fails <- 0
check <- function(what, got, want, tol) {
  rel <- abs(got - want) / abs(want)
  ok <- is.finite(rel) && rel <= tol
  cat(sprintf("%-32s steerwatch %.12g  R %.12g  rel %.2e %s\n", what, got,
              want, rel, if (ok) "ok" else "MISMATCH"))
  if (!ok) fails <<- fails + 1
}
G <- length(unique(d$facility))
stopifnot(val("n_clusters") == G)
for (k in grep("^factor", names(coef(fit)), invert = TRUE, value = TRUE)) {
  row <- sw[sw$name == k, ]
  check(paste(k, "estimate"), row$estimate, coef(fit)[[k]], 1e-6)
  check(paste(k, "se"), row$se, sqrt(diag(vcov(fit)))[[k]], 1e-5)
  check(paste(k, "robust se"), row$se_cluster * sqrt((G - 1) / G),
        sqrt(diag(vcov(rob)))[[k]], 1e-5)
}
check("log-likelihood", val("log_likelihood"), fit$loglik[2], 1e-10)
check("null log-likelihood", val("null_log_likelihood"), null$loglik[2], 1e-10)
lr <- 2 * (fit$loglik[2] - null$loglik[2])
check("LR statistic", val("lr_statistic"), lr, 1e-6)
check("LR p-value", val("p_value"), pchisq(lr, 1, lower.tail = FALSE), 1e-5)
if (fails > 0) quit(status = 1)
