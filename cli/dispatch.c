/*
 * dispatch.c — the steerwatch command's top level: the table of
 * subcommands, the global options, and dispatch to one subcommand. Apart
 * from main() so that the CLI fuzz target drives the same path.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

typedef struct command {
  const char *name;
  int (*run)(int argc, char **argv);
  const char *summary;
} command;

static const command commands[] = {
    {"check", cmd_check, "validate placement records and count rejects"},
    {"assign", cmd_assign, "append the region containing each point of a CSV"},
    {"audit", cmd_audit, "audit placement records for steering"},
    {"simulate", cmd_simulate, "draw synthetic records with known steering"},
    {"transfers", cmd_transfers, "turn detention stays into transfer records"},
};

static void usage(FILE *f) {
  fprintf(f, "usage: steerwatch COMMAND [ARGS]\n\ncommands:\n");
  for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
    fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
  fprintf(f,
          "\n'steerwatch COMMAND --help' describes one; see steerwatch(1).\n");
}

int cli_run(int argc, char **argv) {
  if (argc < 2) {
    usage(stderr);
    return EXIT_USAGE;
  }
  if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
    usage(stdout);
    return EXIT_DONE;
  }
  if (!strcmp(argv[1], "--version")) {
    printf("steerwatch %s (choice-model kernel: %s)\n", sw_version(),
           sw_model_kernel_name());
    return EXIT_DONE;
  }
  for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
    if (!strcmp(argv[1], commands[i].name))
      return commands[i].run(argc - 1, argv + 1);
  fprintf(stderr, "steerwatch: unknown command '%s'\n\n", argv[1]);
  usage(stderr);
  return EXIT_USAGE;
}
