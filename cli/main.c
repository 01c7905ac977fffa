/*
 * main.c — the steerwatch program's entry point; cli_run (dispatch.c)
 * does the work.
 */
#include "cli.h"

int main(int argc, char **argv) { return cli_run(argc, argv); }
