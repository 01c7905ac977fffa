/*
 * within_study.c — the headline's calibration and power on simulated
 * worlds that break the audit's model (worlds.c), run whole through
 * sw_audit_run as a user's audit would be.
 *
 *   within_study null N REPS DESIGN   false positives at alpha 0.05 in each
 *       world: REPS audits of N records with no steering; DESIGN is
 *       `event` (--event 2022-01-01), `onset` (none) or `membership` (the
 *       target regions become targets on 2022-01-01, no event). Fails when
 *       a world exceeds 10%, or an audit used another design.
 *   within_study power N REPS DESIGN  steering of 0.8 toward the target
 *       from 2022-01-01 in the SPEC and APPEAL worlds. Fails below 90%.
 *   within_study cross N REPS         the cross-sectional level's false
 *       positives, the failure that the headline exists to avoid, and those
 *       of its randomization p-value (reported, never failed on).
 * Prints one row per world and a closing `N passed, N failed` line.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit_state.h"
#include "worlds.h"

#define ALPHA 0.05
#define STEER 0.8
#define START 18993 /* 2022-01-01 */

static int audit(const char *dir, bool event, sw_headline *h, double *cross,
                 double *shuffled) {
  char rec[4096], att[4096], out[4096];
  snprintf(rec, sizeof rec, "%s/records.csv", dir);
  snprintf(att, sizeof att, "%s/attrs.csv", dir);
  snprintf(out, sizeof out, "%s/out", dir);
  const char *targets[] = {"sanctuary=yes"};
  sw_audit_event ev = {START, "event"};
  sw_audit_opts o = {.records_path = rec,
                     .attrs_path = att,
                     .targets = targets,
                     .n_targets = 1,
                     .events = event ? &ev : NULL,
                     .n_events = event,
                     .seed = 1,
                     .threads = 2};
  sw_audit *a = NULL;
  sw_error e;
  if (sw_audit_run(&o, &a, &e) != SW_OK) {
    fprintf(stderr, "within_study: audit: %s\n", e.message);
    return -1;
  }
  sw_audit_headline(a, 0, h);
  *cross = sw_audit_p_value(a, 0, NULL);
  *shuffled = a->targets[0].randomization_p;
  sw_audit_free(a);
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: within_study null|power|cross N REPS "
                    "[event|onset|membership]\n");
    return 64;
  }
  const char *mode = argv[1];
  size_t n = strtoul(argv[2], NULL, 10);
  int reps = atoi(argv[3]);
  const char *design = argc > 4 ? argv[4] : "onset";
  bool event = strcmp(design, "event") == 0;
  bool membership = strcmp(design, "membership") == 0;
  if (!event && !membership && strcmp(design, "onset") != 0) return 64;
  const char *want = event        ? "within_region_event"
                     : membership ? "within_region_membership"
                                  : "within_region_onset";
  bool power = strcmp(mode, "power") == 0, cross = strcmp(mode, "cross") == 0;
  char dir[] = "/tmp/sw-within-XXXXXX";
  if (!mkdtemp(dir)) return 1;
  int passed = 0, failed = 0;
  printf("%-8s %8s %6s %10s  (%s, %s)\n", "world", "records", "reps",
         power ? "power" : "positives", mode, design);
  for (int w = 0; w < N_WORLDS; w++) {
    if (power && w != WORLD_SPEC && w != WORLD_APPEAL) continue;
    int hits = 0, errors = 0, shuffled_hits = 0;
    for (int k = 0; k < reps; k++) {
      if (world_write(dir, (world_kind)w, n, power ? STEER : 0, START,
                      membership, 1000 + (uint64_t)k)) {
        fprintf(stderr, "within_study: cannot write %s\n", dir);
        return 1;
      }
      sw_headline h;
      double p_cross, p_shuffled;
      if (audit(dir, event, &h, &p_cross, &p_shuffled)) return 1;
      shuffled_hits += p_shuffled < ALPHA;
      double p = cross ? p_cross : h.p_value;
      /* An estimate from another design than asked is no answer. */
      if (isnan(p) || (!cross && (!h.design || strcmp(h.design, want))))
        errors++;
      bool hit = p < ALPHA && (!power || h.estimate > 0);
      hits += hit;
    }
    double rate = (double)hits / reps;
    bool ok = cross || (power ? rate >= 0.9 : rate <= 0.10);
    printf("%-8s %8zu %6d %9.0f%%%s %s", world_names[w], n, reps, 100 * rate,
           errors ? " (some not estimated)" : "",
           cross ? ""
           : ok  ? "ok"
                 : "FAIL");
    if (cross) printf("(randomization: %.0f%%)", 100.0 * shuffled_hits / reps);
    printf("\n");
    ok &= !errors;
    passed += ok;
    failed += !ok;
  }
  char cmd[4200];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  if (system(cmd) != 0) fprintf(stderr, "within_study: left %s\n", dir);
  printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
