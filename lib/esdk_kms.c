/*
 * esdk_kms.c - the AWS KMS keyring over mao_kms_ops (see esdk_kms.h;
 * behaviour after the ESDK specification, framework/aws-kms/).
 */
#include "esdk_kms.h"

#include <stdlib.h>
#include <string.h>

#include "crypto_util.h"

typedef struct kms_kr {
	mao_keyring base;
	mao_kms_ops ops;
	char **ids;
	size_t n;
} kms_kr;

/* Frees the key id copies and the keyring. */
static void
kms_destroy(mao_keyring *kr)
{
	kms_kr *k = (kms_kr *) kr;

	for (size_t i = 0; i < k->n; i++)
		free(k->ids[i]);
	free(k->ids);
	free(k);
}

/* The ARN KMS reported, or the key id asked for when it reported none. */
static const char *
arn_or(const mao_buf *arn, const char *id)
{
	return arn->len > 0 ? arn->data : id;
}

/* Generator first (unless a key exists already), then every key wraps the data key. */
static int
kms_encrypt(mao_keyring *kr, mao_esdk_materials *m, mao_err *err)
{
	kms_kr *k = (kms_kr *) kr;
	size_t kl = m->suite->key_len;
	int rc = MAO_OK;

	for (size_t i = 0; i < k->n && rc == MAO_OK; i++) {
		mao_buf pt = MAO_BUF_INIT, blob = MAO_BUF_INIT, arn = MAO_BUF_INIT;

		if (i == 0 && !m->has_data_key) {
			rc = k->ops.generate_data_key(k->ops.ctx, k->ids[0], m->ec, kl, &pt, &blob, &arn, err);
			if (rc == MAO_OK && pt.len != kl)
				rc = mao_err_set(err, MAO_ERR_INVALID, "KMS GenerateDataKey returned %zu key bytes, not %zu",
								 pt.len, kl);
			if (rc == MAO_OK) {
				memcpy(m->data_key, pt.data, kl);
				m->has_data_key = 1;
			}
		} else
			rc = k->ops.encrypt(k->ops.ctx, k->ids[i], m->ec, m->data_key, kl, &blob, &arn, err);
		if (rc == MAO_OK && blob.len == 0)
			rc = mao_err_set(err, MAO_ERR_INVALID, "KMS returned an empty ciphertext blob");
		if (rc == MAO_OK &&
			mao_esdk_materials_add_edk(m, MAO_KMS_PROVIDER_ID, arn_or(&arn, k->ids[i]),
									   strlen(arn_or(&arn, k->ids[i])), blob.data, blob.len) != MAO_OK)
			rc = mao_err_set(err, MAO_ERR_NOMEM, "out of memory");
		mao_buf_free(&pt);
		mao_buf_free(&blob);
		mao_buf_free(&arn);
	}
	return rc;
}

/* Index of the configured key whose ARN equals info[0..len), or -1. */
static int
configured(const kms_kr *k, const unsigned char *info, size_t len)
{
	for (size_t i = 0; i < k->n; i++)
		if (strlen(k->ids[i]) == len && memcmp(k->ids[i], info, len) == 0)
			return (int) i;
	return -1;
}

/* Sends each matching EDK to KMS until one opens. */
static int
kms_decrypt(mao_keyring *kr, mao_esdk_materials *m, const mao_esdk_edk *edks, size_t n, mao_err *err)
{
	kms_kr *k = (kms_kr *) kr;
	size_t kl = m->suite->key_len;
	int tried = 0;
	mao_err last;

	mao_err_clear(&last);
	for (size_t i = 0; i < n && !m->has_data_key; i++) {
		const mao_esdk_edk *e = &edks[i];
		mao_buf pt = MAO_BUF_INIT, arn = MAO_BUF_INIT;
		int idx, rc;

		if (strcmp(e->provider_id, MAO_KMS_PROVIDER_ID) != 0 || e->provider_id_len != 7)
			continue;
		idx = configured(k, e->provider_info, e->provider_info_len);
		if (idx < 0)
			continue;
		tried++;
		rc = k->ops.decrypt(k->ops.ctx, k->ids[idx], m->ec, e->ciphertext, e->ciphertext_len,
							&pt, &arn, &last);
		if (rc == MAO_OK && arn.len > 0 && strcmp(arn.data, k->ids[idx]) != 0)
			rc = mao_err_set(&last, MAO_ERR_INVALID, "KMS Decrypt used key %s, not the requested %s",
							 arn.data, k->ids[idx]);
		if (rc == MAO_OK && pt.len != kl)
			rc = mao_err_set(&last, MAO_ERR_INVALID, "KMS Decrypt returned %zu key bytes, not %zu", pt.len, kl);
		if (rc == MAO_OK) {
			memcpy(m->data_key, pt.data, kl);
			m->has_data_key = 1;
		}
		mao_buf_free(&pt);
		mao_buf_free(&arn);
	}
	if (!m->has_data_key) {
		if (tried)
			mao_err_set(err, last.code ? last.code : MAO_ERR_CRYPTO, "KMS keyring: %d data key(s) did not decrypt: %s",
						tried, last.msg);
		else
			mao_err_set(err, MAO_ERR_INVALID, "KMS keyring: no encrypted data key for the configured key ARN(s)");
	}
	return MAO_OK;
}

/* Copies the configuration. */
int
mao_kms_keyring_new(const mao_kms_ops *ops, const char *const *key_ids, size_t n,
					mao_keyring **out, mao_err *err)
{
	kms_kr *k;

	*out = NULL;
	if (ops == NULL || ops->generate_data_key == NULL || ops->encrypt == NULL || ops->decrypt == NULL)
		return mao_err_set(err, MAO_ERR_INVALID, "KMS keyring: incomplete KMS operations");
	if (n == 0 || key_ids == NULL)
		return mao_err_set(err, MAO_ERR_INVALID, "KMS keyring: no key id");
	for (size_t i = 0; i < n; i++)
		if (key_ids[i] == NULL || key_ids[i][0] == '\0' || strlen(key_ids[i]) > 2048)
			return mao_err_set(err, MAO_ERR_INVALID, "KMS keyring: empty or overlong key id");
	k = calloc(1, sizeof(*k));
	if (k == NULL || (k->ids = calloc(n, sizeof(char *))) == NULL) {
		free(k);
		return mao_err_set(err, MAO_ERR_NOMEM, "out of memory");
	}
	for (size_t i = 0; i < n; i++) {
		k->ids[i] = strdup(key_ids[i]);
		k->n = i + 1;
		if (k->ids[i] == NULL) {
			kms_destroy(&k->base);
			return mao_err_set(err, MAO_ERR_NOMEM, "out of memory");
		}
	}
	k->ops = *ops;
	k->base.kind = "aws-kms";
	k->base.on_encrypt = kms_encrypt;
	k->base.on_decrypt = kms_decrypt;
	k->base.destroy = kms_destroy;
	*out = &k->base;
	return MAO_OK;
}
