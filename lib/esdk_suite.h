/*
 * esdk_suite.h - the AWS Encryption SDK algorithm suites this library
 * reads (all eleven ESDK suites) and writes (any of them; 0x0478 by default).
 *
 * Suites are static, read-only table rows: never freed.
 */
#ifndef MAO_ESDK_SUITE_H
#define MAO_ESDK_SUITE_H

#include <stddef.h>
#include <stdint.h>

#define MAO_ESDK_SUITE_DEFAULT 0x0478

enum mao_esdk_kdf_kind { MAO_KDF_IDENTITY, MAO_KDF_HKDF_SHA256, MAO_KDF_HKDF_SHA384, MAO_KDF_HKDF_SHA512 };
enum mao_esdk_sig_kind { MAO_SIG_NONE, MAO_SIG_ECDSA_P256, MAO_SIG_ECDSA_P384 };

typedef struct mao_esdk_suite {
	uint16_t id;
	int version;           /* message format version: 1 or 2 */
	size_t key_len;        /* data key and encryption key length: 16, 24 or 32 */
	size_t iv_len;         /* 12 */
	size_t tag_len;        /* 16 */
	int kdf;               /* enum mao_esdk_kdf */
	int commitment;        /* non-zero: 32-byte commit key in the header (v2) */
	int signature;         /* enum mao_esdk_sig_kind */
	const char *name;      /* e.g. "AES_256_GCM_HKDF_SHA512_COMMIT_KEY" */
} mao_esdk_suite;

/* Returns the suite with this id, or NULL if it is not an ESDK suite. */
const mao_esdk_suite *mao_esdk_suite_by_id(uint16_t id);

/* Returns the n-th suite of the table (NULL past the end), for tests and listings. */
const mao_esdk_suite *mao_esdk_suite_at(size_t n);

/* Message ID length for a format version: 16 (v1) or 32 (v2). */
size_t mao_esdk_message_id_len(int version);

#endif /* MAO_ESDK_SUITE_H */
