/*
 * digest.c — file hashing through OpenSSL's EVP interface (see digest.h).
 * libcrypto is used rather than a hand-written SHA-256: it is vetted,
 * hardware-accelerated, and an auditor can trust it.
 */
#include "digest.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#include "alloc.h"
#include "err.h"

sw_status sw__sha256_file(const char *path, char hex[65], uint64_t *bytes,
                          sw_error *err) {
  hex[0] = '\0';
  *bytes = 0;
  FILE *f = fopen(path, "rb");
  if (!f) {
    sw__err(err, SW_E_OPEN, "cannot open: %s", strerror(errno));
    sw__err_at(err, path, 0, NULL, 0);
    return SW_E_OPEN;
  }
  enum { CHUNK = 1 << 16 };
  unsigned char *buf = sw__malloc(CHUNK);
  EVP_MD_CTX *ctx = EVP_MD_CTX_new();
  sw_status st = SW_OK;
  if (!buf || !ctx) {
    st = sw__err(err, SW_E_NOMEM, "out of memory hashing");
    goto done;
  }
  if (EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
    st = sw__err(err, SW_E_INTERNAL, "SHA-256 unavailable in libcrypto");
    goto done;
  }
  size_t n;
  uint64_t total = 0;
  while ((n = fread(buf, 1, CHUNK, f)) > 0) {
    EVP_DigestUpdate(ctx, buf, n);
    total += n;
  }
  if (ferror(f)) {
    st = sw__err(err, SW_E_IO, "read error: %s", strerror(errno));
    sw__err_at(err, path, 0, NULL, 0);
    goto done;
  }
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int md_len = 0;
  EVP_DigestFinal_ex(ctx, md, &md_len);
  for (unsigned i = 0; i < md_len && i < 32; i++)
    snprintf(hex + 2 * i, 3, "%02x", md[i]);
  *bytes = total;
done:
  EVP_MD_CTX_free(ctx);
  sw__free(buf);
  fclose(f);
  return st;
}
