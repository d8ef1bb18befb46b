/*
 * esdk_gcm.c - AES-GCM on OpenSSL's EVP interface (see esdk_gcm.h).
 */
#include "esdk_gcm.h"

#include <limits.h>

#include <openssl/evp.h>

/* Picks the cipher for the key size and loads the key. */
int
mao_gcm_init(mao_gcm *g, int encrypt, const unsigned char *key, size_t key_len)
{
	const EVP_CIPHER *c = key_len == 16 ? EVP_aes_128_gcm() :
		key_len == 24 ? EVP_aes_192_gcm() : key_len == 32 ? EVP_aes_256_gcm() : NULL;
	EVP_CIPHER_CTX *ctx;

	g->ctx = NULL;
	g->encrypt = encrypt;
	if (c == NULL)
		return MAO_ERR_INVALID;
	ctx = EVP_CIPHER_CTX_new();
	if (ctx == NULL)
		return MAO_ERR_NOMEM;
	if (EVP_CipherInit_ex(ctx, c, NULL, NULL, NULL, encrypt ? 1 : 0) != 1 ||
		EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, 12, NULL) != 1 ||
		EVP_CipherInit_ex(ctx, NULL, NULL, key, NULL, -1) != 1) {
		EVP_CIPHER_CTX_free(ctx);
		return MAO_ERR_CRYPTO;
	}
	g->ctx = ctx;
	return MAO_OK;
}

/* Runs the cipher over a byte range in int-sized pieces. */
static int
run_chunks(EVP_CIPHER_CTX *ctx, const unsigned char *in, size_t len, unsigned char *out)
{
	while (len > 0) {
		int n = len > (size_t) (INT_MAX / 2) ? INT_MAX / 2 : (int) len;
		int outl = 0;

		if (EVP_CipherUpdate(ctx, out, &outl, in, n) != 1 || outl != n)
			return 0;
		in += n;
		out += n;
		len -= (size_t) n;
	}
	return 1;
}

/* New IV, AAD, data, then tag out or tag check. */
int
mao_gcm_run(mao_gcm *g, const unsigned char iv[12], const void *aad, size_t aad_len,
			const unsigned char *in, size_t len, unsigned char *out, unsigned char tag[16])
{
	EVP_CIPHER_CTX *ctx = g->ctx;
	int outl = 0;
	unsigned char fin[16];

	if (ctx == NULL || aad_len > INT_MAX)
		return MAO_ERR_INVALID;
	if (EVP_CipherInit_ex(ctx, NULL, NULL, NULL, iv, -1) != 1)
		return MAO_ERR_CRYPTO;
	if (aad_len > 0 && EVP_CipherUpdate(ctx, NULL, &outl, aad, (int) aad_len) != 1)
		return MAO_ERR_CRYPTO;
	if (!run_chunks(ctx, in, len, out))
		return MAO_ERR_CRYPTO;
	if (!g->encrypt && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, 16, tag) != 1)
		return MAO_ERR_CRYPTO;
	if (EVP_CipherFinal_ex(ctx, fin, &outl) != 1)
		return MAO_ERR_CRYPTO;
	if (g->encrypt && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, tag) != 1)
		return MAO_ERR_CRYPTO;
	return MAO_OK;
}

/* Frees the context. */
void
mao_gcm_free(mao_gcm *g)
{
	EVP_CIPHER_CTX_free(g->ctx);
	g->ctx = NULL;
}
