/*
 * esdk_raw_aes.h - the raw AES keyring: a data key wrapped with AES-GCM
 * under a locally held wrapping key, identified by a key namespace (the
 * EDK provider id) and a key name.  Compatible with the official SDKs'
 * raw AES keyrings.
 */
#ifndef MAO_ESDK_RAW_AES_H
#define MAO_ESDK_RAW_AES_H

#include <stddef.h>

#include "esdk_keyring.h"

/*
 * Creates a keyring.  namespace_ and name are copied (UTF-8; the namespace
 * must not be "aws-kms"); key (16, 24 or 32 bytes) is copied and wiped on
 * free.  *out is released with mao_keyring_free().
 */
int mao_raw_aes_keyring_new(const char *namespace_, const char *name,
							const unsigned char *key, size_t key_len,
							mao_keyring **out, mao_err *err);

#endif /* MAO_ESDK_RAW_AES_H */
