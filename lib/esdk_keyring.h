/*
 * esdk_keyring.h - the keyring interface: how a message's data key is
 * produced and wrapped (encrypt) or unwrapped from one of its encrypted data
 * keys (decrypt).  Implementations: esdk_raw_aes.h, esdk_kms.h.
 *
 * A keyring is a struct whose first member is a mao_keyring; it is created
 * by its constructor and released with mao_keyring_free().  Keyrings hold
 * no per-message state and may be used for many messages (one at a time).
 */
#ifndef MAO_ESDK_KEYRING_H
#define MAO_ESDK_KEYRING_H

#include <stddef.h>

#include "err.h"
#include "esdk_ec.h"
#include "esdk_header.h"
#include "esdk_kdf.h"
#include "esdk_suite.h"

/* The materials of one message while keyrings work on them. */
typedef struct mao_esdk_materials {
	const mao_esdk_suite *suite;
	const mao_ec *ec;                 /* borrowed: the whole encryption context */
	unsigned char data_key[MAO_ESDK_MAX_KEY_LEN]; /* suite->key_len bytes used */
	int has_data_key;
	mao_esdk_edk *edks;               /* encrypt: owned, appended by keyrings */
	size_t n_edks;
} mao_esdk_materials;

/* Appends a copy of an EDK to m->edks. */
int mao_esdk_materials_add_edk(mao_esdk_materials *m, const char *provider_id,
							   const void *info, size_t info_len,
							   const void *ct, size_t ct_len);

/* Wipes the data key and frees the EDKs. */
void mao_esdk_materials_clear(mao_esdk_materials *m);

typedef struct mao_keyring mao_keyring;

struct mao_keyring {
	const char *kind; /* "raw-aes", "aws-kms": for messages */
	/*
	 * Encrypt: if m has no data key yet, generate one (and set
	 * has_data_key); then wrap it and append the EDK.
	 */
	int (*on_encrypt)(mao_keyring *kr, mao_esdk_materials *m, mao_err *err);
	/*
	 * Decrypt: try the EDKs meant for this keyring; on success fill
	 * m->data_key and set has_data_key.  Returns MAO_OK without a key when
	 * none of them opened (err says why), or an error for a local failure.
	 */
	int (*on_decrypt)(mao_keyring *kr, mao_esdk_materials *m,
					  const mao_esdk_edk *edks, size_t n, mao_err *err);
	void (*destroy)(mao_keyring *kr);
};

/* Releases a keyring (NULL is ignored). */
void mao_keyring_free(mao_keyring *kr);

#endif /* MAO_ESDK_KEYRING_H */
