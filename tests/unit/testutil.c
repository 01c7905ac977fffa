/*
 * testutil.c — see testutil.h.
 */
#define _DEFAULT_SOURCE /* mkstemps */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Every temporary file made, removed at exit so tests leave /tmp clean. */
static char made[256][256];
static unsigned n_made;

static void remove_temps(void) {
  for (unsigned i = 0; i < n_made && i < 256; i++)
    unlink(made[i]);
}

const char *tu_write_temp(const void *data, size_t len, const char *suffix) {
  static char paths[8][256];
  static unsigned next;
  char *path = paths[next++ % 8];
  snprintf(path, 256, "/tmp/sw_test_XXXXXX%s", suffix);
  int fd = mkstemps(path, (int)strlen(suffix));
  assert_true(fd >= 0);
  assert_int_equal(write(fd, data, len), (ssize_t)len);
  close(fd);
  if (n_made == 0) atexit(remove_temps);
  if (n_made < 256) snprintf(made[n_made++], 256, "%s", path);
  return path;
}

const char *tu_temp_text(const char *text, const char *suffix) {
  return tu_write_temp(text, strlen(text), suffix);
}

const char *tu_data(const char *name) {
  static char paths[4][512];
  static unsigned next;
  char *path = paths[next++ % 4];
  snprintf(path, 512, "%s/%s", SW_DATA, name);
  FILE *f = fopen(path, "rb");
  if (!f) fail_msg("missing data file %s", path);
  fclose(f);
  return path;
}
