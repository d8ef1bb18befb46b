/*
 * crypto_util.c - hex, SHA-256, HMAC-SHA256 and memory hygiene (see crypto_util.h).
 */
#include "crypto_util.h"

#include <limits.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

/* Lowercase hex of data into out, NUL-terminated. */
void
mao_hex_encode(const void *data, size_t len, char *out)
{
	static const char digits[] = "0123456789abcdef";
	const unsigned char *p = data;
	size_t i;

	for (i = 0; i < len; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 0x0f];
	}
	out[2 * len] = '\0';
}

/* True if s[0..len) is non-empty lowercase hex. */
int
mao_is_lower_hex(const char *s, size_t len)
{
	size_t i;

	if (len == 0)
		return 0;
	for (i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

/* One-shot SHA-256. */
int
mao_sha256(const void *data, size_t len, unsigned char out[MAO_SHA256_LEN])
{
	unsigned int out_len = 0;

	if (EVP_Digest(data, len, out, &out_len, EVP_sha256(), NULL) != 1 ||
		out_len != MAO_SHA256_LEN)
		return MAO_ERR_CRYPTO;
	return MAO_OK;
}

/* One-shot SHA-256 as lowercase hex. */
int
mao_sha256_hex(const void *data, size_t len, char out[MAO_SHA256_HEX_LEN + 1])
{
	unsigned char md[MAO_SHA256_LEN];
	int rc = mao_sha256(data, len, md);

	if (rc == MAO_OK)
		mao_hex_encode(md, sizeof(md), out);
	return rc;
}

/* One-shot HMAC-SHA256. */
int
mao_hmac_sha256(const void *key, size_t key_len, const void *data, size_t len,
				unsigned char out[MAO_SHA256_LEN])
{
	unsigned int out_len = 0;
	static const unsigned char empty = 0;

	if (key_len > INT_MAX)
		return MAO_ERR_CRYPTO;
	/* OpenSSL treats a NULL key as "reuse the previous key"; never pass NULL. */
	if (key == NULL)
		key = &empty;
	if (data == NULL)
		data = &empty;
	if (HMAC(EVP_sha256(), key, (int) key_len, data, len, out, &out_len) == NULL ||
		out_len != MAO_SHA256_LEN)
		return MAO_ERR_CRYPTO;
	return MAO_OK;
}

/* Starts a streaming SHA-256. */
int
mao_sha256_init(mao_sha256_ctx *ctx)
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();

	ctx->md_ctx = NULL;
	if (md == NULL)
		return MAO_ERR_NOMEM;
	if (EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1) {
		EVP_MD_CTX_free(md);
		return MAO_ERR_CRYPTO;
	}
	ctx->md_ctx = md;
	return MAO_OK;
}

/* Feeds bytes to a streaming SHA-256. */
int
mao_sha256_update(mao_sha256_ctx *ctx, const void *data, size_t len)
{
	if (ctx->md_ctx == NULL)
		return MAO_ERR_INVALID;
	if (len == 0)
		return MAO_OK;
	if (EVP_DigestUpdate(ctx->md_ctx, data, len) != 1)
		return MAO_ERR_CRYPTO;
	return MAO_OK;
}

/* Finishes a streaming SHA-256 and releases its context. */
int
mao_sha256_final(mao_sha256_ctx *ctx, unsigned char out[MAO_SHA256_LEN])
{
	unsigned int out_len = 0;
	int rc = MAO_OK;

	if (ctx->md_ctx == NULL)
		return MAO_ERR_INVALID;
	if (EVP_DigestFinal_ex(ctx->md_ctx, out, &out_len) != 1 ||
		out_len != MAO_SHA256_LEN)
		rc = MAO_ERR_CRYPTO;
	mao_sha256_abort(ctx);
	return rc;
}

/* Releases a streaming SHA-256 context. */
void
mao_sha256_abort(mao_sha256_ctx *ctx)
{
	EVP_MD_CTX_free(ctx->md_ctx);
	ctx->md_ctx = NULL;
}

/* Wipes memory (OpenSSL_cleanse cannot be optimised away). */
void
mao_secure_zero(void *p, size_t len)
{
	if (p != NULL && len > 0)
		OPENSSL_cleanse(p, len);
}

/* Constant-time equality of two byte ranges. */
int
mao_mem_equal_ct(const void *a, const void *b, size_t len)
{
	return CRYPTO_memcmp(a, b, len) == 0;
}
