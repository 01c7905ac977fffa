/*
 * options.c — the one argument parser of every subcommand. A command
 * describes its options in a table of cli_opt (cli.h); cli_parse reads
 * argv against it: `NAME VALUE` and `NAME=VALUE` alike, flags, the one
 * positional input, the value's check and store, the empty-value rule (no
 * option takes ""), repeated options up to their limit, and required
 * options. Every fault is a usage error (exit 64) in the same words for
 * every command.
 */
#include <assert.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

bool cli_parse_count(const char *s, uint64_t lo, uint64_t hi, uint64_t *out) {
  if (*s == '-' || *s == '+') return false;
  char *end;
  errno = 0;
  unsigned long long v = strtoull(s, &end, 10);
  if (errno || *end || v < lo || v > hi) return false;
  *out = v;
  return true;
}

/* Parse all of s as a finite number in lo..hi. */
static bool parse_number(const char *s, double lo, double hi, double *out) {
  char *end;
  errno = 0;
  double v = strtod(s, &end);
  if (errno || *end || !isfinite(v) || v < lo || v > hi) return false;
  *out = v;
  return true;
}

/* A one-byte delimiter: ",", "|", ";", "\t" or "tab"; never a quote or a
 * line end, which would make the CSV ambiguous. */
static bool parse_delimiter(const char *s, char *out) {
  if (!strcmp(s, "\\t") || !strcmp(s, "tab")) {
    *out = '\t';
    return true;
  }
  if (strlen(s) != 1 || s[0] == '"' || s[0] == '\n' || s[0] == '\r')
    return false;
  *out = s[0];
  return true;
}

/* Check v against o and store it into args; false when it does not
 * qualify. */
static bool store(const cli_opt *o, void *args, const char *v) {
  char *at = (char *)args + o->at;
  uint64_t u;
  size_t attr_len;
  switch (o->kind) {
  case CLI_FLAG: *(bool *)at = true; return true;
  case CLI_TEXT: *(const char **)at = v; return true;
  case CLI_TARGET:
    if (sw_target_split(v, &attr_len, NULL) != SW_OK) return false;
    *(const char **)at = v;
    return true;
  case CLI_LIST:
  case CLI_TARGETS: {
    size_t *n = (size_t *)((char *)args + o->count_at);
    if (o->kind == CLI_TARGETS && sw_target_split(v, &attr_len, NULL) != SW_OK)
      return false;
    ((const char **)at)[(*n)++] = v;
    return true;
  }
  case CLI_U64: return cli_parse_count(v, o->lo, o->hi, (uint64_t *)at);
  case CLI_UINT:
    if (!cli_parse_count(v, o->lo, o->hi, &u)) return false;
    *(unsigned *)at = (unsigned)u;
    return true;
  case CLI_NUMBER: return parse_number(v, o->min, o->max, (double *)at);
  case CLI_DATE: return sw_date_parse(v, strlen(v), (int32_t *)at) == SW_OK;
  case CLI_DELIMITER: return parse_delimiter(v, at);
  case CLI_CUSTOM: return o->parse(args, v);
  }
  return false;
}

/* The table entry named by the argument's name part (len bytes). */
static const cli_opt *find(const cli_syntax *s, const char *name, size_t len) {
  for (size_t k = 0; k < s->n_opts; k++) {
    const cli_opt *o = &s->opts[k];
    for (const char *n = o->name; n; n = n == o->name ? o->alias : NULL)
      if (n[0] == '-' && strlen(n) == len && !strncmp(n, name, len)) return o;
  }
  return NULL;
}

/* The positional input's entry: the one whose name is not an option. */
static const cli_opt *positional(const cli_syntax *s) {
  for (size_t k = 0; k < s->n_opts; k++)
    if (s->opts[k].name[0] != '-') return &s->opts[k];
  return NULL;
}

bool cli_parse(const cli_syntax *s, int argc, char **argv, void *args,
               int *code) {
  bool seen[CLI_MAX_OPTS] = {false};
  assert(s->n_opts <= CLI_MAX_OPTS);
  const cli_opt *input = positional(s);
  *code = EXIT_USAGE;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *v;
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
      s->help();
      *code = EXIT_DONE;
      return false;
    }
    const cli_opt *o;
    if (a[0] != '-' || !a[1]) {
      o = input;
      v = a;
      if (!o) {
        cli_usage_error(s->name, s->usage, "unexpected argument '%s'", a);
        return false;
      }
      if (seen[o - s->opts]) {
        cli_usage_error(s->name, s->usage, "more than one input: '%s'", a);
        return false;
      }
    } else {
      const char *eq = strchr(a, '=');
      size_t len = eq ? (size_t)(eq - a) : strlen(a);
      if (!(o = find(s, a, len))) {
        cli_usage_error(s->name, s->usage, "unknown option '%.*s'", (int)len,
                        a);
        return false;
      }
      if (o->kind == CLI_FLAG) {
        if (eq) {
          cli_usage_error(s->name, s->usage, "%s takes no value", o->name);
          return false;
        }
        v = "";
      } else {
        v = eq ? eq + 1 : i + 1 < argc ? argv[++i] : "";
        if (!*v) {
          cli_usage_error(s->name, s->usage, "%s needs %s", o->name, o->value);
          return false;
        }
      }
    }
    if (o->max_count &&
        *(size_t *)((char *)args + o->count_at) == o->max_count) {
      cli_usage_error(s->name, s->usage, "too many %s options", o->name);
      return false;
    }
    if (!store(o, args, v)) {
      cli_usage_error(s->name, s->usage, "%s needs %s, not '%s'", o->name,
                      o->value, v);
      return false;
    }
    seen[o - s->opts] = true;
  }
  for (size_t k = 0; k < s->n_opts; k++)
    if (s->opts[k].required && !seen[k]) {
      cli_usage_error(s->name, s->usage, "%s is required", s->opts[k].name);
      return false;
    }
  *code = EXIT_DONE;
  return true;
}
