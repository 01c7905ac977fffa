/*
 * publish.c — `audit --publish`'s key: read from the file the user names,
 * so that it never sits in the shell's history or the process list, and
 * handed to sw_audit_write_published as bytes (docs/publish.md).
 */
#include <errno.h>
#include <string.h>

#include "cli.h"

int cli_publish_key(const char *path, cli_key *key) {
  key->len = 0;
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "steerwatch: %s: cannot open the key: %s\n", path,
            strerror(errno));
    return EXIT_NOINPUT;
  }
  key->len = fread(key->bytes, 1, sizeof key->bytes, f);
  bool more = fgetc(f) != EOF, bad = ferror(f);
  fclose(f);
  if (bad) {
    fprintf(stderr, "steerwatch: %s: cannot read the key\n", path);
    return EXIT_IOERR;
  }
  if (more) {
    fprintf(stderr,
            "steerwatch: %s: a key file of more than %zu bytes is not a key\n",
            path, sizeof key->bytes);
    return EXIT_USAGE;
  }
  return EXIT_DONE;
}
