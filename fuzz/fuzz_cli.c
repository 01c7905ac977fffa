/*
 * fuzz_cli.c — libFuzzer target for the command line's argument handling:
 * each input is an argument list, one argument per line, run through
 * cli_run (the same path as main) against a small real data set. Any
 * argument list must end in one of SPEC's exit codes; 70 (internal error or
 * out of memory on inputs this small) is a finding.
 *
 * Fuzzed arguments name files, and the commands create what they name, so
 * every run is confined: it runs in a scratch directory that is emptied and
 * restocked with the inputs before each run, and an argument list that
 * could reach outside it (a '/', a "..") is skipped. So is any number of
 * more than four digits, so that a run cannot legitimately ask for hours of
 * work (`simulate --n 999999999`): those would be timeouts, not bugs.
 *
 * Run it with -close_fd_mask=3 (scripts/fuzz does): the commands' messages
 * would otherwise drown libFuzzer's own.
 */
#define _DEFAULT_SOURCE /* mkdtemp */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

#ifndef SW_SOURCE_DIR
#error "SW_SOURCE_DIR must name the source tree (CMake defines it)"
#endif

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_ARGS 32
#define MAX_ARG 256

/* The inputs a run may name, copied from the golden audit's data set. */
static const char *const fixtures[][2] = {
    {"records.csv", SW_SOURCE_DIR "/tests/golden/audit_small/records.csv"},
    {"regions.geojson",
     SW_SOURCE_DIR "/tests/golden/audit_small/regions.geojson"},
    {"attrs.csv", SW_SOURCE_DIR "/tests/golden/audit_small/attrs.csv"},
};
static const char facilities[] = "facility,lat,lon,weight\n"
                                 "North Camp,41.5,-98.5,2\n"
                                 "\"South, Annex\",40.5,-97.5,1\n";

static char *fixture_text[3];
static size_t fixture_len[3];
static char root[64];

static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  char *s = NULL;
  if (fseek(f, 0, SEEK_END) == 0) {
    long n = ftell(f);
    if (n >= 0 && fseek(f, 0, SEEK_SET) == 0 && (s = malloc((size_t)n + 1))) {
      *len = fread(s, 1, (size_t)n, f);
      s[*len] = 0;
    }
  }
  fclose(f);
  return s;
}

static void put(const char *name, const char *text, size_t len) {
  FILE *f = fopen(name, "wb");
  if (!f || fwrite(text, 1, len, f) != len) abort();
  fclose(f);
}

/* Empty the working directory, and one level of subdirectories (what
 * --out DIR makes). */
static void empty_cwd(void) {
  DIR *d = opendir(".");
  if (!d) abort();
  struct dirent *e;
  while ((e = readdir(d))) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
    if (unlink(e->d_name) == 0) continue;
    DIR *sub = opendir(e->d_name);
    if (sub) {
      struct dirent *f;
      char path[2 * MAX_ARG];
      while ((f = readdir(sub))) {
        snprintf(path, sizeof path, "%s/%s", e->d_name, f->d_name);
        unlink(path);
      }
      closedir(sub);
    }
    rmdir(e->d_name);
  }
  closedir(d);
}

static void restock(void) {
  empty_cwd();
  for (size_t i = 0; i < 3; i++)
    put(fixtures[i][0], fixture_text[i], fixture_len[i]);
  put("facilities.csv", facilities, sizeof facilities - 1);
}

static void remove_root(void) {
  if (chdir(root) == 0) empty_cwd();
  if (chdir("/") == 0) rmdir(root);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc, (void)argv;
  /* "-" names standard input: an empty one, never a terminal to wait on. */
  if (!freopen("/dev/null", "rb", stdin)) abort();
  for (size_t i = 0; i < 3; i++)
    if (!(fixture_text[i] = slurp(fixtures[i][1], &fixture_len[i]))) {
      perror(fixtures[i][1]);
      abort();
    }
  snprintf(root, sizeof root, "/tmp/sw_fuzz_cli_XXXXXX");
  if (!mkdtemp(root) || chdir(root) != 0) abort();
  atexit(remove_root);
  if (!freopen("/dev/null", "r", stdin)) abort();
  return 0;
}

/* Would this argument list stay inside the scratch directory and within
 * minutes of work? */
static bool confined(char **args, int n) {
  for (int i = 0; i < n; i++) {
    if (strchr(args[i], '/') || strstr(args[i], "..")) return false;
    int digits = 0;
    for (const char *c = args[i]; *c; c++)
      if ((digits = *c >= '0' && *c <= '9' ? digits + 1 : 0) > 4) return false;
  }
  return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static char text[MAX_ARGS * (MAX_ARG + 1)];
  if (size >= sizeof text || memchr(data, 0, size)) return 0;
  memcpy(text, data, size);
  text[size] = 0;
  char *argv[MAX_ARGS + 2] = {"steerwatch"};
  int argc = 1;
  for (char *s = text, *nl; s; s = nl ? nl + 1 : NULL) {
    if ((nl = strchr(s, '\n'))) *nl = 0;
    if (argc > MAX_ARGS || strlen(s) > MAX_ARG) return 0;
    argv[argc++] = s;
  }
  if (!confined(argv + 1, argc - 1)) return 0;
  restock();
  argv[argc] = NULL;
  int code = cli_run(argc, argv);
  fflush(stdout);
  if (code != EXIT_DONE && code != EXIT_USAGE && code != EXIT_DATA &&
      code != EXIT_NOINPUT && code != EXIT_CANTCREAT && code != EXIT_IOERR)
    abort();
  return 0;
}
