/*
 * esdk_kdf.h - data key to content key derivation (identity or HKDF) and
 * the key commitment of the committing suites.
 *
 * Outputs go to caller-provided arrays; callers wipe them with
 * mao_secure_zero() when done.
 */
#ifndef MAO_ESDK_KDF_H
#define MAO_ESDK_KDF_H

#include <stddef.h>

#include "err.h"
#include "esdk_suite.h"

#define MAO_ESDK_COMMIT_LEN 32
#define MAO_ESDK_MAX_KEY_LEN 32

/*
 * HKDF (RFC 5869) with SHA-256/384/512 (kdf is enum mao_esdk_kdf, not
 * identity).  salt may be NULL (a zero salt).  Returns MAO_OK or MAO_ERR_CRYPTO.
 */
int mao_hkdf(int kdf, const unsigned char *salt, size_t salt_len,
			 const unsigned char *ikm, size_t ikm_len,
			 const unsigned char *info, size_t info_len,
			 unsigned char *out, size_t out_len);

/*
 * Derives the content encryption key (suite->key_len bytes) of a message
 * from its plaintext data key and message id.
 */
int mao_esdk_derive_key(const mao_esdk_suite *suite, const unsigned char *data_key,
						const unsigned char *message_id, size_t message_id_len,
						unsigned char out[MAO_ESDK_MAX_KEY_LEN]);

/* Derives the 32-byte commit key of a committing suite. */
int mao_esdk_commit_key(const mao_esdk_suite *suite, const unsigned char *data_key,
						const unsigned char *message_id, size_t message_id_len,
						unsigned char out[MAO_ESDK_COMMIT_LEN]);

#endif /* MAO_ESDK_KDF_H */
