/*
 * esdk_decrypt.h - decrypting AWS Encryption SDK messages (format versions
 * 1 and 2, every ESDK suite, framed and non-framed bodies), one-shot or
 * streaming.
 *
 * Plaintext is only ever handed out after it has been authenticated: a
 * frame once its GCM tag verifies; with a signed suite, the final frame (or
 * a non-framed body) only once the footer's signature verifies.  Every
 * length read from the message is checked against the limits before
 * anything is allocated or awaited for it.
 *
 * Ownership: keyrings and the reproduced context in the options are
 * borrowed and must outlive the decryptor.  Output is appended to the
 * caller's mao_buf.
 */
#ifndef MAO_ESDK_DECRYPT_H
#define MAO_ESDK_DECRYPT_H

#include <stddef.h>

#include "buf.h"
#include "err.h"
#include "esdk_header.h"
#include "esdk_keyring.h"

typedef struct mao_esdk_decrypt_opts {
	mao_keyring *const *keyrings; /* tried in order until one yields the data key */
	size_t n_keyrings;
	/*
	 * Context the caller expects (NULL: none).  Keys also stored in the
	 * message must carry the same values; keys not stored are added for
	 * unwrapping and authenticated with the header.
	 */
	const mao_ec *reproduced_ec;
	mao_esdk_limits limits;
	int require_commitment;       /* non-zero: accept only committing suites */
} mao_esdk_decrypt_opts;

/* Zeroes o and sets the default limits. */
void mao_esdk_decrypt_opts_init(mao_esdk_decrypt_opts *o);

typedef struct mao_esdk_decryptor mao_esdk_decryptor;

/* Creates a streaming decryptor; free with mao_esdk_decryptor_free(). */
int mao_esdk_decryptor_new(const mao_esdk_decrypt_opts *o, mao_esdk_decryptor **out, mao_err *err);

/*
 * Feeds len bytes of the message; appends whatever plaintext has become
 * authenticated to out.  After an error the decryptor stays failed.
 */
int mao_esdk_decrypt_update(mao_esdk_decryptor *d, const void *in, size_t len,
							mao_buf *out, mao_err *err);

/* Declares the end of the message: fails if it was incomplete. */
int mao_esdk_decrypt_finish(mao_esdk_decryptor *d, mao_buf *out, mao_err *err);

/* The verified header once it has been read (NULL before).  Borrowed. */
const mao_esdk_header *mao_esdk_decryptor_header(const mao_esdk_decryptor *d);

/* Frees the decryptor, wiping keys and held plaintext (NULL is ignored). */
void mao_esdk_decryptor_free(mao_esdk_decryptor *d);

/*
 * One-shot: decrypts the whole message in[0..len) and appends the plaintext
 * to out, all or nothing (on failure out is as it was).  If header is not
 * NULL it receives the verified header (caller frees with
 * mao_esdk_header_free()); it is left empty on failure.
 */
int mao_esdk_decrypt(const mao_esdk_decrypt_opts *o, const void *in, size_t len,
					 mao_buf *out, mao_esdk_header *header, mao_err *err);

#endif /* MAO_ESDK_DECRYPT_H */
