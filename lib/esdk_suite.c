/*
 * esdk_suite.c - the algorithm suite table (see esdk_suite.h).  Values
 * follow the ESDK specification, framework/algorithm-suites.md.
 */
#include "esdk_suite.h"

static const mao_esdk_suite suites[] = {
	{0x0014, 1, 16, 12, 16, MAO_KDF_IDENTITY, 0, MAO_SIG_NONE, "AES_128_GCM_IV12_TAG16_NO_KDF"},
	{0x0046, 1, 24, 12, 16, MAO_KDF_IDENTITY, 0, MAO_SIG_NONE, "AES_192_GCM_IV12_TAG16_NO_KDF"},
	{0x0078, 1, 32, 12, 16, MAO_KDF_IDENTITY, 0, MAO_SIG_NONE, "AES_256_GCM_IV12_TAG16_NO_KDF"},
	{0x0114, 1, 16, 12, 16, MAO_KDF_HKDF_SHA256, 0, MAO_SIG_NONE, "AES_128_GCM_IV12_TAG16_HKDF_SHA256"},
	{0x0146, 1, 24, 12, 16, MAO_KDF_HKDF_SHA256, 0, MAO_SIG_NONE, "AES_192_GCM_IV12_TAG16_HKDF_SHA256"},
	{0x0178, 1, 32, 12, 16, MAO_KDF_HKDF_SHA256, 0, MAO_SIG_NONE, "AES_256_GCM_IV12_TAG16_HKDF_SHA256"},
	{0x0214, 1, 16, 12, 16, MAO_KDF_HKDF_SHA256, 0, MAO_SIG_ECDSA_P256, "AES_128_GCM_IV12_TAG16_HKDF_SHA256_ECDSA_P256"},
	{0x0346, 1, 24, 12, 16, MAO_KDF_HKDF_SHA384, 0, MAO_SIG_ECDSA_P384, "AES_192_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384"},
	{0x0378, 1, 32, 12, 16, MAO_KDF_HKDF_SHA384, 0, MAO_SIG_ECDSA_P384, "AES_256_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384"},
	{0x0478, 2, 32, 12, 16, MAO_KDF_HKDF_SHA512, 1, MAO_SIG_NONE, "AES_256_GCM_HKDF_SHA512_COMMIT_KEY"},
	{0x0578, 2, 32, 12, 16, MAO_KDF_HKDF_SHA512, 1, MAO_SIG_ECDSA_P384, "AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384"},
};

/* Linear search of the small table. */
const mao_esdk_suite *
mao_esdk_suite_by_id(uint16_t id)
{
	for (size_t i = 0; i < sizeof(suites) / sizeof(suites[0]); i++)
		if (suites[i].id == id)
			return &suites[i];
	return NULL;
}

/* Table row n, or NULL. */
const mao_esdk_suite *
mao_esdk_suite_at(size_t n)
{
	return n < sizeof(suites) / sizeof(suites[0]) ? &suites[n] : NULL;
}

/* 16 bytes for v1 messages, 32 for v2. */
size_t
mao_esdk_message_id_len(int version)
{
	return version == 1 ? 16 : 32;
}
