/*
 * kms.h - AWS KMS: GenerateDataKey (AES_256), Encrypt, Decrypt with an
 * encryption context and a key id (JSON 1.1 protocol) over a
 * mao_aws_client.
 *
 * Plaintext (data keys, decrypted data) is secret: it goes only into the
 * caller's mao_buf (which wipes on free), the request and response buffers
 * are wiped, and it never appears in a message.  Ciphertext blobs are raw
 * bytes (not base64).
 */
#ifndef MAO_KMS_H
#define MAO_KMS_H

#include "aws.h"

/*
 * GenerateDataKey with KeySpec AES_256 under key_id (id, ARN or alias),
 * binding the encryption context ctx[0..n_ctx) (name/value pairs; may be
 * empty).  plaintext receives the 32-byte data key, ciphertext the
 * encrypted blob; key_arn (may be NULL) the key's ARN (up to len bytes).
 */
int mao_kms_generate_data_key(mao_aws_client *client, const char *key_id,
							  const mao_header *ctx, size_t n_ctx,
							  mao_buf *plaintext, mao_buf *ciphertext,
							  char *key_arn, size_t key_arn_len, mao_err *err);

/* Encrypt of data[0..len) (at most 4096 bytes) under key_id with ctx; appends the blob to ciphertext. */
int mao_kms_encrypt(mao_aws_client *client, const char *key_id,
					const mao_header *ctx, size_t n_ctx,
					const void *data, size_t len, mao_buf *ciphertext,
					mao_err *err);

/*
 * Decrypt of blob[0..len) with ctx; key_id may be NULL (else KMS checks
 * that the blob was made under it).  Appends the plaintext to plaintext.
 */
int mao_kms_decrypt(mao_aws_client *client, const char *key_id,
					const mao_header *ctx, size_t n_ctx,
					const void *blob, size_t len, mao_buf *plaintext,
					mao_err *err);

#endif /* MAO_KMS_H */
