/*
 * esdk_kdf.c - key derivation and key commitment (see esdk_kdf.h), with
 * OpenSSL's EVP_KDF "HKDF".
 */
#include "esdk_kdf.h"

#include <string.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include "crypto_util.h"

/* One HKDF extract-and-expand. */
int
mao_hkdf(int kdf, const unsigned char *salt, size_t salt_len,
		 const unsigned char *ikm, size_t ikm_len,
		 const unsigned char *info, size_t info_len,
		 unsigned char *out, size_t out_len)
{
	const char *md = kdf == MAO_KDF_HKDF_SHA256 ? "SHA256" :
		kdf == MAO_KDF_HKDF_SHA384 ? "SHA384" :
		kdf == MAO_KDF_HKDF_SHA512 ? "SHA512" : NULL;
	EVP_KDF *k;
	EVP_KDF_CTX *ctx;
	OSSL_PARAM params[5], *p = params;
	int ok;

	if (md == NULL)
		return MAO_ERR_INVALID;
	k = EVP_KDF_fetch(NULL, "HKDF", NULL);
	if (k == NULL)
		return MAO_ERR_CRYPTO;
	ctx = EVP_KDF_CTX_new(k);
	EVP_KDF_free(k);
	if (ctx == NULL)
		return MAO_ERR_CRYPTO;
	*p++ = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, (char *) md, 0);
	*p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, (void *) ikm, ikm_len);
	if (salt != NULL && salt_len > 0)
		*p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, (void *) salt, salt_len);
	*p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, (void *) info, info_len);
	*p = OSSL_PARAM_construct_end();
	ok = EVP_KDF_derive(ctx, out, out_len, params) == 1;
	EVP_KDF_CTX_free(ctx);
	return ok ? MAO_OK : MAO_ERR_CRYPTO;
}

/* Identity for the NO_KDF suites; HKDF with suite-specific salt and info otherwise. */
int
mao_esdk_derive_key(const mao_esdk_suite *suite, const unsigned char *data_key,
					const unsigned char *message_id, size_t message_id_len,
					unsigned char out[MAO_ESDK_MAX_KEY_LEN])
{
	unsigned char info[2 + 32];
	size_t info_len;

	if (suite->kdf == MAO_KDF_IDENTITY) {
		memcpy(out, data_key, suite->key_len);
		return MAO_OK;
	}
	info[0] = (unsigned char) (suite->id >> 8);
	info[1] = (unsigned char) suite->id;
	if (suite->commitment) {
		/* v2: salt is the message id, info is the suite id and a fixed label */
		memcpy(info + 2, "DERIVEKEY", 9);
		info_len = 11;
		return mao_hkdf(suite->kdf, message_id, message_id_len, data_key, suite->key_len,
						info, info_len, out, suite->key_len);
	}
	/* v1: no salt, info is the suite id and the message id */
	if (message_id_len > 32)
		return MAO_ERR_INVALID;
	memcpy(info + 2, message_id, message_id_len);
	info_len = 2 + message_id_len;
	return mao_hkdf(suite->kdf, NULL, 0, data_key, suite->key_len, info, info_len,
					out, suite->key_len);
}

/* HKDF with the message id as salt and a fixed label as info. */
int
mao_esdk_commit_key(const mao_esdk_suite *suite, const unsigned char *data_key,
					const unsigned char *message_id, size_t message_id_len,
					unsigned char out[MAO_ESDK_COMMIT_LEN])
{
	static const unsigned char label[] = "COMMITKEY";

	if (!suite->commitment)
		return MAO_ERR_INVALID;
	return mao_hkdf(suite->kdf, message_id, message_id_len, data_key, suite->key_len,
					label, sizeof(label) - 1, out, MAO_ESDK_COMMIT_LEN);
}
