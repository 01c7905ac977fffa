/*
 * replay_main.c — runs a fuzz target's LLVMFuzzerTestOneInput over every
 * file of a corpus directory, so the corpus (seeds and past crashers) is a
 * regression test under gcc and the sanitizers without libFuzzer.
 */
#define _DEFAULT_SOURCE /* realpath */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
/* Optional, as in libFuzzer: a target that needs set-up defines it. */
__attribute__((weak)) int LLVMFuzzerInitialize(int *argc, char ***argv);

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
    return 64;
  }
  /* Absolute, since a target's set-up may change directory. */
  char *dir = realpath(argv[1], NULL);
  DIR *d = dir ? opendir(dir) : NULL;
  if (!d) {
    perror(argv[1]);
    free(dir);
    return 66;
  }
  if (LLVMFuzzerInitialize) LLVMFuzzerInitialize(&argc, &argv);
  struct dirent *e;
  unsigned n = 0;
  while ((e = readdir(d))) {
    if (e->d_name[0] == '.') continue;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    FILE *f = fopen(path, "rb");
    if (!f) continue;
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *buf = malloc(len > 0 ? (size_t)len : 1);
    size_t got = len > 0 ? fread(buf, 1, (size_t)len, f) : 0;
    fclose(f);
    LLVMFuzzerTestOneInput(buf, got);
    free(buf);
    n++;
  }
  closedir(d);
  free(dir);
  if (n == 0) {
    fprintf(stderr, "%s: empty corpus\n", argv[1]);
    return 1;
  }
  printf("replayed %u inputs\n", n);
  return 0;
}
