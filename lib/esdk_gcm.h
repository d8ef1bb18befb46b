/*
 * esdk_gcm.h - AES-GCM (128/192/256-bit keys, 12-byte IV, 16-byte tag)
 * with a reusable key schedule, for the message body, the header
 * authentication and the raw AES keyring.
 *
 * Ownership: a mao_gcm owns an OpenSSL context (which holds the key);
 * release with mao_gcm_free() (safe on a zeroed struct and twice).
 */
#ifndef MAO_ESDK_GCM_H
#define MAO_ESDK_GCM_H

#include <stddef.h>

#include "err.h"

typedef struct mao_gcm {
	void *ctx; /* EVP_CIPHER_CTX *, owned */
	int encrypt;
} mao_gcm;

/* Sets up encryption (encrypt != 0) or decryption under key (16, 24 or 32 bytes). */
int mao_gcm_init(mao_gcm *g, int encrypt, const unsigned char *key, size_t key_len);

/*
 * One GCM operation under the stored key: in[0..len) to out (out may equal
 * in).  Encrypting writes the tag; decrypting checks it and returns
 * MAO_ERR_CRYPTO if it does not match (out then holds unauthenticated bytes
 * that the caller must discard).
 */
int mao_gcm_run(mao_gcm *g, const unsigned char iv[12], const void *aad, size_t aad_len,
				const unsigned char *in, size_t len, unsigned char *out,
				unsigned char tag[16]);

/* Releases the context (and with it the key schedule). */
void mao_gcm_free(mao_gcm *g);

#endif /* MAO_ESDK_GCM_H */
