#!/usr/bin/env bash
# The Firth-penalised within-region fit (src/model_firth.c) vs the
# penalised conditional-logit likelihood written out in plain R and
# maximised with optim(), on a design under separation (every placement
# after the midpoint went to a target region; firth_peer.c): the estimate,
# the penalised likelihood-ratio statistic and p-value and the profile
# interval's ends, each to 1e-6 relative. No R package for Firth's
# conditional logit is in Debian (r-cran-logistf, r-cran-coxphf: none).
# Usage: firth_r.test.sh STEERWATCH_BIN SOURCE_DIR SCRATCH_DIR
set -euo pipefail
bin=$1 scratch=$3
command -v Rscript >/dev/null || { echo "skip: no Rscript"; exit 77; }
peer=$(dirname "$bin")/tests/firth_peer
[ -x "$peer" ] || { echo "firth_peer not built: $peer"; exit 1; }
mkdir -p "$scratch"
"$peer" "$scratch" 120 6 1
Rscript - "$scratch/long.csv" "$scratch/sw.csv" <<'R'
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1])
sw <- read.csv(args[2])
sw <- setNames(sw$value, sw$name)
# A region never chosen has constant -inf: it leaves the choice sets.
ids <- sort(unique(d$alt[d$choice == 1]))
d <- d[d$alt %in% ids, ]
X <- cbind(sapply(ids[-1], function(j) as.numeric(d$alt == j)), d$x, d$target)
P <- ncol(X)
rec <- d$rec
# log L + 0.5 log det I, I summed over records of sum_j p_j dx_j dx_j'.
pl <- function(theta) {
  v <- as.vector(X %*% theta)
  v <- v - ave(v, rec, FUN = max)
  e <- exp(v)
  p <- e / ave(e, rec, FUN = sum)
  ll <- sum(log(p[d$choice == 1]))
  xb <- apply(X, 2, function(col) ave(p * col, rec, FUN = sum))
  dx <- (X - xb) * sqrt(p)
  ll + 0.5 * as.numeric(determinant(crossprod(dx), logarithm = TRUE)$modulus)
}
fit <- function(start, free) {
  f <- function(t) { th <- start; th[free] <- t; pl(th) }
  o <- list(par = start[free])
  for (k in 1:3) # restarts polish BFGS's last digits
    o <- optim(o$par, f, method = "BFGS",
               control = list(fnscale = -1, reltol = 1e-16, maxit = 5000,
                              ndeps = rep(1e-6, length(free))))
  th <- start; th[free] <- o$par
  list(theta = th, value = o$value)
}
start <- c(rep(0, P))
hat <- fit(start, 1:P)
est <- hat$theta[P]
prof <- function(c) { s <- hat$theta; s[P] <- c; fit(s, 1:(P - 1))$value }
lr <- 2 * (hat$value - prof(0))
goal <- function(c) 2 * (hat$value - prof(c)) - qchisq(0.95, 1)
lo <- uniroot(goal, c(est - 20, est), tol = 1e-12)$root
hi <- uniroot(goal, c(est, est + 20), tol = 1e-12)$root
got <- c(estimate = est, statistic = lr, p_value = pchisq(lr, 1, lower.tail = FALSE),
         ci_low = lo, ci_high = hi, penalised_ll = hat$value)
print(rbind(R = got, steerwatch = sw[names(got)]), digits = 12)
rel <- abs(got - sw[names(got)]) / pmax(abs(got), 1e-300)
if (any(!is.finite(sw[names(got)])) || any(rel > 1e-6)) {
  print(rel)
  stop("Firth fit differs from the R oracle")
}
if (sw[["estimate"]] < 1) stop("separation should give a large positive change")
cat("firth vs R: max relative difference", format(max(rel), digits = 3), "\n")
R
