/*
 * source.c — the byte stream under every table reader (see source.h).
 *
 * Why not gzopen: on a pipe, sniffing gzip must not consume what it looks
 * at, and a second open of /dev/stdin to sniff first (what `check` used to
 * do) loses those bytes for good. Here the first read fills a buffer that
 * the sniffers look into and the reader then consumes, so nothing is read
 * twice or lost. Plain input is read straight into the caller's block (one
 * read() per 1 MiB block, as gzread did); gzip goes through inflate,
 * member after member as gzip(1) writes them; a legacy character set goes
 * through iconv(3). Hashing is incremental (libcrypto's EVP), so a pipe
 * can be read once and still be named by its SHA-256 in provenance.
 */
#include "source.h"

#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <openssl/evp.h>

#include "alloc.h"
#include "err.h"

#define RAW_BYTES (256u << 10) /* compressed or peeked bytes per read() */
#define MID_BYTES (256u << 10) /* decompressed bytes awaiting iconv */

struct sw_source {
  int fd;
  bool own_fd;
  char *name;
  uint64_t size;      /* regular file size; 0 unknown */
  uint64_t raw_total; /* raw bytes read */
  unsigned char magic[8];
  size_t n_magic;
  unsigned char *raw; /* raw bytes not yet consumed: raw[raw_pos..raw_end) */
  size_t raw_pos, raw_end;
  bool raw_eof;
  bool gzip, z_init, z_end;
  z_stream z;
  iconv_t cd;
  bool conv;
  char *mid; /* decompressed, not yet converted: mid[mid_pos..mid_end) */
  size_t mid_pos, mid_end;
  bool mid_eof;
  EVP_MD_CTX *md;
  sw_progress_fn on_progress;
  void *progress_user;
};

bool sw__encoding_is_utf8(const char *e) {
  return !e || !*e || !strcasecmp(e, "utf-8") || !strcasecmp(e, "utf8");
}

static sw_status io_error(sw_source *s, const char *what, sw_error *err) {
  sw__err(err, SW_E_IO, "read error: %s", what);
  sw__err_at(err, s->name, 0, NULL, s->raw_total);
  return SW_E_IO;
}

/* read() all of n bytes or to the end; hashes and counts what came. */
static sw_status raw_read(sw_source *s, void *buf, size_t n, size_t *got,
                          sw_error *err) {
  *got = 0;
  while (*got < n) {
    ssize_t r = read(s->fd, (char *)buf + *got, n - *got);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return io_error(s, strerror(errno), err);
    if (r == 0) {
      s->raw_eof = true;
      break;
    }
    *got += (size_t)r;
    /* A pipe gives what it has; return it rather than wait for more. */
    if (!s->size) break;
  }
  if (*got && s->md) EVP_DigestUpdate(s->md, buf, *got);
  s->raw_total += *got;
  if (s->on_progress) s->on_progress(s->progress_user, s->raw_total, s->size);
  return SW_OK;
}

/* Refill the raw buffer (it is empty). */
static sw_status raw_fill(sw_source *s, sw_error *err) {
  s->raw_pos = s->raw_end = 0;
  if (s->raw_eof) return SW_OK;
  return raw_read(s, s->raw, RAW_BYTES, &s->raw_end, err);
}

sw_status sw__source_open(const char *path, const sw_source_opts *opts,
                          sw_source **out, sw_error *err) {
  static const sw_source_opts defaults;
  const sw_source_opts *o = opts ? opts : &defaults;
  *out = NULL;
  if (!path) return sw__err(err, SW_E_USAGE, "no input path");
  sw_source *s = sw__calloc(1, sizeof *s);
  if (!s) return sw__err(err, SW_E_NOMEM, "out of memory opening an input");
  s->fd = -1;
  s->cd = (iconv_t)-1;
  bool is_stdin = !strcmp(path, "-");
  s->name = sw__strdup(is_stdin ? SW_STDIN_NAME : path);
  s->raw = sw__malloc(RAW_BYTES);
  if (!s->name || !s->raw) goto nomem;
  s->on_progress = o->on_progress;
  s->progress_user = o->progress_user;
  if (!sw__encoding_is_utf8(o->encoding)) {
    s->cd = iconv_open("UTF-8", o->encoding);
    if (s->cd == (iconv_t)-1) {
      sw__source_close(s);
      return sw__err(err, SW_E_USAGE,
                     "unknown encoding \"%.64s\" (try latin1, windows-1252)",
                     o->encoding);
    }
    s->conv = true;
    if (!(s->mid = sw__malloc(MID_BYTES))) goto nomem;
  }
  if (o->sha256) {
    if (!(s->md = EVP_MD_CTX_new())) goto nomem;
    if (EVP_DigestInit_ex(s->md, EVP_sha256(), NULL) != 1) {
      sw__source_close(s);
      return sw__err(err, SW_E_INTERNAL, "SHA-256 unavailable in libcrypto");
    }
  }
  if (is_stdin) {
    s->fd = STDIN_FILENO;
  } else {
    errno = 0;
    s->fd = open(path, O_RDONLY);
    if (s->fd < 0) {
      sw__err(err, SW_E_OPEN, "cannot open: %s", strerror(errno));
      sw__err_at(err, path, 0, NULL, 0);
      sw__source_close(s);
      return SW_E_OPEN;
    }
    s->own_fd = true;
  }
  struct stat st;
  if (fstat(s->fd, &st) == 0 && S_ISREG(st.st_mode))
    s->size = (uint64_t)st.st_size;
  if (s->size == 0 && fstat(s->fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    sw__err(err, SW_E_OPEN, "cannot open: is a directory");
    sw__err_at(err, s->name, 0, NULL, 0);
    sw__source_close(s);
    return SW_E_OPEN;
  }
  /* Peek: at least the magic bytes, however a pipe splits its writes. */
  sw_status st2;
  while (!s->raw_eof && s->raw_end < sizeof s->magic) {
    size_t got;
    if ((st2 = raw_read(s, s->raw + s->raw_end, RAW_BYTES - s->raw_end, &got,
                        err)) != SW_OK) {
      sw__source_close(s);
      return st2;
    }
    s->raw_end += got;
  }
  s->n_magic = s->raw_end < sizeof s->magic ? s->raw_end : sizeof s->magic;
  memcpy(s->magic, s->raw, s->n_magic);
  s->gzip = s->n_magic >= 2 && s->magic[0] == 0x1f && s->magic[1] == 0x8b;
  *out = s;
  return SW_OK;
nomem:
  sw__source_close(s);
  return sw__err(err, SW_E_NOMEM, "out of memory opening an input");
}

void sw__source_close(sw_source *s) {
  if (!s) return;
  if (s->own_fd && s->fd >= 0) close(s->fd);
  if (s->z_init) inflateEnd(&s->z);
  if (s->conv) iconv_close(s->cd);
  if (s->md) EVP_MD_CTX_free(s->md);
  sw__free(s->name);
  sw__free(s->raw);
  sw__free(s->mid);
  sw__free(s);
}

/* Inflate into buf: gzip members one after another, as gzip(1) and
 * gzread read them. */
static sw_status inflate_some(sw_source *s, char *buf, size_t n, size_t *got,
                              sw_error *err) {
  *got = 0;
  if (!s->z_init) {
    if (inflateInit2(&s->z, 16 + MAX_WBITS) != Z_OK)
      return sw__err(err, SW_E_NOMEM, "out of memory starting gzip");
    s->z_init = true;
  }
  if (n > UINT32_MAX) n = UINT32_MAX;
  while (*got == 0 && !s->z_end) {
    if (s->raw_pos == s->raw_end) {
      sw_status st = raw_fill(s, err);
      if (st != SW_OK) return st;
      if (s->raw_end == 0) return io_error(s, "gzip input cut short", err);
    }
    s->z.next_in = s->raw + s->raw_pos;
    s->z.avail_in = (uInt)(s->raw_end - s->raw_pos);
    s->z.next_out = (Bytef *)buf;
    s->z.avail_out = (uInt)n;
    int r = inflate(&s->z, Z_NO_FLUSH);
    s->raw_pos = s->raw_end - s->z.avail_in;
    *got = n - s->z.avail_out;
    if (r == Z_STREAM_END) {
      /* Another member may follow; anything else after one is an error. */
      if (s->raw_pos == s->raw_end) {
        sw_status st = raw_fill(s, err);
        if (st != SW_OK) return st;
      }
      if (s->raw_pos == s->raw_end) {
        s->z_end = true;
      } else if (s->raw_end - s->raw_pos >= 2 && s->raw[s->raw_pos] == 0x1f &&
                 s->raw[s->raw_pos + 1] == 0x8b) {
        inflateReset(&s->z);
      } else {
        return io_error(s, "bytes after the end of the gzip data", err);
      }
    } else if (r == Z_MEM_ERROR) {
      return sw__err(err, SW_E_NOMEM, "out of memory in gzip");
    } else if (r != Z_OK && r != Z_BUF_ERROR) {
      return io_error(s, s->z.msg ? s->z.msg : "bad gzip data", err);
    }
  }
  return SW_OK;
}

/* Bytes before character decoding. */
static sw_status read_decompressed(sw_source *s, char *buf, size_t n,
                                   size_t *got, sw_error *err) {
  if (s->gzip) return inflate_some(s, buf, n, got, err);
  if (s->raw_pos < s->raw_end) {
    size_t k = s->raw_end - s->raw_pos;
    if (k > n) k = n;
    memcpy(buf, s->raw + s->raw_pos, k);
    s->raw_pos += k;
    *got = k;
    return SW_OK;
  }
  *got = 0;
  if (s->raw_eof) return SW_OK;
  return raw_read(s, buf, n, got, err);
}

sw_status sw__source_read(sw_source *s, char *buf, size_t n, size_t *got,
                          sw_error *err) {
  if (!s->conv) return read_decompressed(s, buf, n, got, err);
  *got = 0;
  /* An output smaller than one character could never be filled. */
  if (n < 16) return sw__err(err, SW_E_INTERNAL, "source read of %zu bytes", n);
  bool top_up = false;
  while (*got == 0) {
    if (s->mid_pos == s->mid_end || top_up) {
      /* Keep what is left (a sequence cut at the block's end), then
       * read more behind it. */
      size_t keep = s->mid_end - s->mid_pos;
      memmove(s->mid, s->mid + s->mid_pos, keep);
      s->mid_pos = 0;
      s->mid_end = keep;
      size_t k = 0;
      if (!s->mid_eof) {
        sw_status st =
            read_decompressed(s, s->mid + keep, MID_BYTES - keep, &k, err);
        if (st != SW_OK) return st;
        if (k == 0) s->mid_eof = true;
      }
      s->mid_end = keep + k;
      top_up = false;
      if (s->mid_end == 0) return SW_OK;
    }
    char *in = s->mid + s->mid_pos, *outp = buf + *got;
    size_t in_left = s->mid_end - s->mid_pos, out_left = n - *got;
    size_t r = iconv(s->cd, &in, &in_left, &outp, &out_left);
    int e = errno;
    s->mid_pos = s->mid_end - in_left;
    *got = n - out_left;
    if (r != (size_t)-1 || e == E2BIG) continue;
    if (e == EINVAL && !s->mid_eof) {
      /* A character cut at the end of what was read: with output made,
       * return it; either way read more before converting again. */
      top_up = true;
      continue;
    }
    /* A byte the encoding does not define (or a sequence cut short at
     * the very end): passed through as it is, so that the row holding it
     * is rejected as invalid UTF-8 rather than silently altered. */
    if (out_left == 0) continue;
    buf[(*got)++] = s->mid[s->mid_pos++];
  }
  return SW_OK;
}

size_t sw__source_magic(const sw_source *s, unsigned char magic[8]) {
  memcpy(magic, s->magic, s->n_magic);
  return s->n_magic;
}

bool sw__source_is_gzip(const sw_source *s) { return s->gzip; }
const char *sw__source_name(const sw_source *s) { return s->name; }
uint64_t sw__source_raw_bytes(const sw_source *s) { return s->raw_total; }
uint64_t sw__source_size(const sw_source *s) { return s->size; }

void sw__source_sha256(sw_source *s, char hex[65]) {
  hex[0] = '\0';
  if (!s->md) return;
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int md_len = 0;
  EVP_DigestFinal_ex(s->md, md, &md_len);
  for (unsigned i = 0; i < md_len && i < 32; i++)
    snprintf(hex + 2 * i, 3, "%02x", md[i]);
  EVP_MD_CTX_free(s->md);
  s->md = NULL;
}

sw_status sw__source_slurp(sw_source *s, char **data, size_t *len,
                           sw_error *err) {
  *data = NULL;
  *len = 0;
  size_t cap = s->size ? (size_t)s->size + 1 : RAW_BYTES, n = 0;
  char *p = sw__malloc(cap);
  if (!p) return sw__err(err, SW_E_NOMEM, "out of memory reading the input");
  memcpy(p, s->raw + s->raw_pos, s->raw_end - s->raw_pos);
  n = s->raw_end - s->raw_pos;
  s->raw_pos = s->raw_end;
  while (!s->raw_eof) {
    if (n == cap) {
      void *q = p;
      if (!sw__grow(&q, &cap, n + 1, 1)) {
        sw__free(p);
        return sw__err(err, SW_E_NOMEM, "out of memory reading the input");
      }
      p = q;
    }
    size_t got;
    sw_status st = raw_read(s, p + n, cap - n, &got, err);
    if (st != SW_OK) {
      sw__free(p);
      return st;
    }
    n += got;
  }
  *data = p;
  *len = n;
  return SW_OK;
}
