/*
 * esdk_raw_aes.c - the raw AES keyring (see esdk_raw_aes.h; wrapping per
 * the ESDK specification, framework/raw-aes-keyring.md).
 *
 * EDK provider info: key name, tag length in bits (uint32), IV length
 * (uint32), IV.  EDK ciphertext: wrapped data key, then the tag.  AAD: the
 * serialised encryption context.
 */
#include "esdk_raw_aes.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/rand.h>

#include "buf.h"
#include "crypto_util.h"
#include "esdk_gcm.h"

typedef struct raw_aes {
	mao_keyring base;
	char *ns;
	char *name;
	size_t name_len;
	unsigned char key[32];
	size_t key_len;
} raw_aes;

/* Wipes the key and frees the keyring. */
static void
raw_aes_destroy(mao_keyring *kr)
{
	raw_aes *r = (raw_aes *) kr;

	mao_secure_zero(r->key, sizeof(r->key));
	free(r->ns);
	free(r->name);
	free(r);
}

/* Generates a data key if needed and wraps it under the wrapping key. */
static int
raw_aes_encrypt(mao_keyring *kr, mao_esdk_materials *m, mao_err *err)
{
	raw_aes *r = (raw_aes *) kr;
	mao_buf aad = MAO_BUF_INIT, info = MAO_BUF_INIT;
	unsigned char iv[12], ct[MAO_ESDK_MAX_KEY_LEN + 16];
	unsigned char lens[8] = {0, 0, 0, 128, 0, 0, 0, 12};
	mao_gcm g;
	int rc;

	if (!m->has_data_key) {
		if (RAND_bytes(m->data_key, (int) m->suite->key_len) != 1)
			return mao_err_set(err, MAO_ERR_CRYPTO, "random data key generation failed");
		m->has_data_key = 1;
	}
	if (RAND_bytes(iv, sizeof(iv)) != 1)
		return mao_err_set(err, MAO_ERR_CRYPTO, "random IV generation failed");
	rc = mao_ec_serialize(m->ec, &aad, err);
	if (rc != MAO_OK)
		return rc;
	rc = mao_gcm_init(&g, 1, r->key, r->key_len);
	if (rc == MAO_OK)
		rc = mao_gcm_run(&g, iv, aad.data, aad.len, m->data_key, m->suite->key_len,
						 ct, ct + m->suite->key_len);
	mao_gcm_free(&g);
	mao_buf_free(&aad);
	if (rc != MAO_OK)
		return mao_err_set(err, rc, "raw AES keyring: wrapping the data key failed");
	mao_buf_append(&info, r->name, r->name_len);
	mao_buf_append(&info, lens, sizeof(lens));
	mao_buf_append(&info, iv, sizeof(iv));
	rc = mao_buf_status(&info);
	if (rc == MAO_OK)
		rc = mao_esdk_materials_add_edk(m, r->ns, info.data, info.len, ct, m->suite->key_len + 16);
	mao_buf_free(&info);
	mao_secure_zero(ct, sizeof(ct));
	if (rc != MAO_OK)
		return mao_err_set(err, rc, "out of memory");
	return MAO_OK;
}

/* Tries every EDK whose provider id and info name this keyring's key. */
static int
raw_aes_decrypt(mao_keyring *kr, mao_esdk_materials *m,
				const mao_esdk_edk *edks, size_t n, mao_err *err)
{
	raw_aes *r = (raw_aes *) kr;
	mao_buf aad = MAO_BUF_INIT;
	size_t want_info = r->name_len + 20, kl = m->suite->key_len;
	int tried = 0, rc;

	rc = mao_ec_serialize(m->ec, &aad, err);
	if (rc != MAO_OK)
		return rc;
	for (size_t i = 0; i < n && !m->has_data_key; i++) {
		const mao_esdk_edk *e = &edks[i];
		const unsigned char *info = e->provider_info;
		unsigned char plain[MAO_ESDK_MAX_KEY_LEN];
		unsigned char tag[16];
		mao_gcm g;

		if (strcmp(e->provider_id, r->ns) != 0 || e->provider_id_len != strlen(r->ns) ||
			e->provider_info_len != want_info || memcmp(info, r->name, r->name_len) != 0)
			continue;
		info += r->name_len;
		/* tag length 128 bits, IV length 12 */
		if (memcmp(info, "\0\0\0\x80\0\0\0\x0c", 8) != 0 || e->ciphertext_len != kl + 16)
			continue;
		tried++;
		memcpy(tag, e->ciphertext + kl, 16);
		if (mao_gcm_init(&g, 0, r->key, r->key_len) != MAO_OK) {
			mao_buf_free(&aad);
			return mao_err_set(err, MAO_ERR_CRYPTO, "raw AES keyring: cannot set up AES-GCM");
		}
		if (mao_gcm_run(&g, info + 8, aad.data, aad.len, e->ciphertext, kl, plain, tag) == MAO_OK) {
			memcpy(m->data_key, plain, kl);
			m->has_data_key = 1;
		}
		mao_gcm_free(&g);
		mao_secure_zero(plain, sizeof(plain));
	}
	mao_buf_free(&aad);
	if (!m->has_data_key) {
		if (tried)
			mao_err_set(err, MAO_ERR_CRYPTO, "raw AES keyring %s/%s: data key does not unwrap "
						"(wrong wrapping key or encryption context)", r->ns, r->name);
		else
			mao_err_set(err, MAO_ERR_INVALID, "raw AES keyring %s/%s: no encrypted data key for this key",
						r->ns, r->name);
	}
	return MAO_OK;
}

/* Validates and copies the configuration. */
int
mao_raw_aes_keyring_new(const char *namespace_, const char *name,
						const unsigned char *key, size_t key_len,
						mao_keyring **out, mao_err *err)
{
	raw_aes *r;

	*out = NULL;
	if (key_len != 16 && key_len != 24 && key_len != 32)
		return mao_err_set(err, MAO_ERR_INVALID, "raw AES keyring: wrapping key must be 16, 24 or 32 bytes, not %zu", key_len);
	if (namespace_ == NULL || name == NULL || !mao_utf8_valid(namespace_, strlen(namespace_)) ||
		!mao_utf8_valid(name, strlen(name)) || strlen(namespace_) > 65535 || strlen(name) > 65000)
		return mao_err_set(err, MAO_ERR_INVALID, "raw AES keyring: namespace and name must be UTF-8");
	if (strcmp(namespace_, "aws-kms") == 0 || strncmp(namespace_, "aws-kms", 7) == 0)
		return mao_err_set(err, MAO_ERR_INVALID, "raw AES keyring: namespace must not start with \"aws-kms\"");
	r = calloc(1, sizeof(*r));
	if (r == NULL)
		return mao_err_set(err, MAO_ERR_NOMEM, "out of memory");
	r->ns = strdup(namespace_);
	r->name = strdup(name);
	if (r->ns == NULL || r->name == NULL) {
		raw_aes_destroy(&r->base);
		return mao_err_set(err, MAO_ERR_NOMEM, "out of memory");
	}
	r->name_len = strlen(name);
	memcpy(r->key, key, key_len);
	r->key_len = key_len;
	r->base.kind = "raw-aes";
	r->base.on_encrypt = raw_aes_encrypt;
	r->base.on_decrypt = raw_aes_decrypt;
	r->base.destroy = raw_aes_destroy;
	*out = &r->base;
	return MAO_OK;
}
