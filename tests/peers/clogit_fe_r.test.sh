#!/usr/bin/env bash
# The within-region choice model (a constant per region, profiled out by
# model_fe.c) vs R clogit(chosen ~ ... + factor(region) + strata(record)) on
# a 3,000-record, 60-region design whose regions each have an unrecorded
# appeal (clogit_r.test.sh fe).
exec bash "$(dirname "$0")/clogit_r.test.sh" "$@" fe
