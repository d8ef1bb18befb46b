/*
 * esdk_kms.h - the AWS KMS keyring, written against a small callback
 * interface so that it does not depend on how KMS is reached (the lib/kms
 * client, or an in-process fake in tests).
 *
 * Encrypt: GenerateDataKey under the first key id (the generator), then
 * Encrypt of the same data key under each further key id; each result is an
 * EDK with provider id "aws-kms" and the key ARN as provider info.
 * Decrypt: only EDKs with provider id "aws-kms" whose provider info is one
 * of the configured key ARNs are sent to KMS, with that ARN as KeyId; the
 * first that opens (and whose returned key ARN, if any, matches) wins.
 *
 * Ownership: ops is copied (ops->ctx stays borrowed and must outlive the
 * keyring); key ids are copied.
 */
#ifndef MAO_ESDK_KMS_H
#define MAO_ESDK_KMS_H

#include <stddef.h>

#include "buf.h"
#include "esdk_keyring.h"

#define MAO_KMS_PROVIDER_ID "aws-kms"

typedef struct mao_kms_ops {
	void *ctx;
	/*
	 * GenerateDataKey: n_bytes of fresh key into plaintext, the encrypted
	 * blob into blob, the key's ARN into key_arn (may be left empty).
	 */
	int (*generate_data_key)(void *ctx, const char *key_id, const mao_ec *ec, size_t n_bytes,
							 mao_buf *plaintext, mao_buf *blob, mao_buf *key_arn, mao_err *err);
	/* Encrypt of pt[0..len) under key_id. */
	int (*encrypt)(void *ctx, const char *key_id, const mao_ec *ec, const unsigned char *pt,
				   size_t len, mao_buf *blob, mao_buf *key_arn, mao_err *err);
	/* Decrypt of blob[0..len) with KeyId key_id; key_arn gets the key KMS used (may be left empty). */
	int (*decrypt)(void *ctx, const char *key_id, const mao_ec *ec, const unsigned char *blob,
				   size_t len, mao_buf *plaintext, mao_buf *key_arn, mao_err *err);
} mao_kms_ops;

/*
 * Creates a KMS keyring for key_ids[0..n) (n >= 1; the first generates data
 * keys).  For decryption the ids must be key ARNs ("arn:...:key/...").
 */
int mao_kms_keyring_new(const mao_kms_ops *ops, const char *const *key_ids, size_t n,
						mao_keyring **out, mao_err *err);

#endif /* MAO_ESDK_KMS_H */
