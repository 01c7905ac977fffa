/*
 * progress.c — a one-line progress bar on stderr for long work, drawn only
 * when stderr is a terminal so that logs and pipes stay clean.
 */
#include <unistd.h>

#include "cli.h"

void cli_progress_init(cli_progress *p, const char *label) {
  p->label = label;
  p->enabled = isatty(STDERR_FILENO) != 0;
  p->last_permille = -1;
}

void cli_progress_cb(void *user, uint64_t done, uint64_t total) {
  cli_progress *p = user;
  if (!p->enabled) return;
  if (total == 0) {
    /* Unknown size (a gzip stream): show the amount read. */
    fprintf(stderr, "\r%s: %.1f MB read", p->label, (double)done / 1e6);
    return;
  }
  int permille = (int)(done * 1000 / total);
  if (permille == p->last_permille) return;
  p->last_permille = permille;
  int width = 30, filled = permille * width / 1000;
  fprintf(stderr, "\r%s [", p->label);
  for (int i = 0; i < width; i++)
    fputc(i < filled ? '#' : ' ', stderr);
  fprintf(stderr, "] %3d%%", permille / 10);
}

void cli_progress_done(cli_progress *p) {
  if (p->enabled && p->last_permille != -2) fputs("\r\033[K", stderr);
  p->last_permille = -2;
}
