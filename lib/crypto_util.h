/*
 * crypto_util.h - hex, SHA-256, HMAC-SHA256 and memory hygiene helpers
 * on top of OpenSSL's libcrypto.
 *
 * All functions write into caller-provided fixed-size arrays; nothing here
 * allocates memory that the caller must free, except the streaming context,
 * which mao_sha256_final() or mao_sha256_abort() releases.
 */
#ifndef MAO_CRYPTO_UTIL_H
#define MAO_CRYPTO_UTIL_H

#include <stddef.h>

#include "err.h"

#define MAO_SHA256_LEN 32
#define MAO_SHA256_HEX_LEN 64

/* Hex SHA-256 of the empty string (the payload hash of a request without body). */
#define MAO_SHA256_EMPTY_HEX \
	"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

/* Writes 2*len lowercase hex digits and a NUL into out (2*len+1 bytes). */
void mao_hex_encode(const void *data, size_t len, char *out);

/* Returns non-zero if s[0..len) is non-empty and all lowercase hex digits. */
int mao_is_lower_hex(const char *s, size_t len);

/* SHA-256 of data[0..len) into out. Returns MAO_OK or MAO_ERR_CRYPTO. */
int mao_sha256(const void *data, size_t len,
			   unsigned char out[MAO_SHA256_LEN]);

/* Lowercase hex SHA-256 of data[0..len) into out (65 bytes with the NUL). */
int mao_sha256_hex(const void *data, size_t len,
				   char out[MAO_SHA256_HEX_LEN + 1]);

/* HMAC-SHA256 of data under key into out. Returns MAO_OK or MAO_ERR_CRYPTO. */
int mao_hmac_sha256(const void *key, size_t key_len,
					const void *data, size_t len,
					unsigned char out[MAO_SHA256_LEN]);

/*
 * Streaming SHA-256 for payloads that are not in memory at once.
 * Usage: init, update..., final.  The context owns an OpenSSL object:
 * final() and abort() release it; after a failed update, call abort().
 */
typedef struct mao_sha256_ctx {
	void *md_ctx; /* EVP_MD_CTX *, owned */
} mao_sha256_ctx;

/* Starts a digest. On failure nothing is left to release. */
int mao_sha256_init(mao_sha256_ctx *ctx);

/* Feeds len bytes. */
int mao_sha256_update(mao_sha256_ctx *ctx, const void *data, size_t len);

/* Finishes into out and releases the context (also on failure). */
int mao_sha256_final(mao_sha256_ctx *ctx, unsigned char out[MAO_SHA256_LEN]);

/* Releases the context without a result; safe to call twice. */
void mao_sha256_abort(mao_sha256_ctx *ctx);

/* Overwrites len bytes at p with zeros in a way the compiler cannot drop. */
void mao_secure_zero(void *p, size_t len);

/* Constant-time comparison: non-zero if a and b hold the same len bytes. */
int mao_mem_equal_ct(const void *a, const void *b, size_t len);

#endif /* MAO_CRYPTO_UTIL_H */
