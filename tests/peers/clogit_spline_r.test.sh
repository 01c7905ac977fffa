#!/usr/bin/env bash
# The headline's default fit, a constant per region with the spline
# distance terms (origin_log1p_km_to50 ... ties_100km_past800, model_design.h), vs R
# clogit(chosen ~ <the same basis columns> + target + factor(region) +
# strata(record)) on a 3,000-record, 60-region design whose regions each
# have an unrecorded appeal (clogit_r.test.sh spline).
exec bash "$(dirname "$0")/clogit_r.test.sh" "$@" spline
