/*
 * esdk_encrypt.h - writing AWS Encryption SDK messages: format version 2
 * with suite 0x0478 by default (any ESDK suite on request; v1 suites give
 * v1 headers), framed bodies with a configurable frame length, one-shot or
 * streaming.
 *
 * Ownership: keyrings and the context in the options are borrowed for the
 * life of the encryptor; ciphertext is appended to the caller's mao_buf.
 */
#ifndef MAO_ESDK_ENCRYPT_H
#define MAO_ESDK_ENCRYPT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "err.h"
#include "esdk_ec.h"
#include "esdk_keyring.h"

#define MAO_ESDK_DEFAULT_FRAME 4096

typedef struct mao_esdk_encrypt_opts {
	mao_keyring *const *keyrings; /* the first generates the data key; all wrap it */
	size_t n_keyrings;
	const mao_ec *ec;             /* NULL: empty context */
	uint16_t suite_id;            /* 0: MAO_ESDK_SUITE_DEFAULT (0x0478) */
	uint32_t frame_length;        /* 0: MAO_ESDK_DEFAULT_FRAME */
	int nonframed;                /* non-zero: one non-framed body (buffered until finish) */
} mao_esdk_encrypt_opts;

/* Zeroes o (defaults everywhere). */
void mao_esdk_encrypt_opts_init(mao_esdk_encrypt_opts *o);

typedef struct mao_esdk_encryptor mao_esdk_encryptor;

/* Creates an encryptor: data key, header.  Free with mao_esdk_encryptor_free(). */
int mao_esdk_encryptor_new(const mao_esdk_encrypt_opts *o, mao_esdk_encryptor **out, mao_err *err);

/* Feeds plaintext; appends the header and every complete frame to out. */
int mao_esdk_encrypt_update(mao_esdk_encryptor *e, const void *in, size_t len,
							mao_buf *out, mao_err *err);

/* Ends the message: final frame (or the body) and, for signed suites, the footer. */
int mao_esdk_encrypt_finish(mao_esdk_encryptor *e, mao_buf *out, mao_err *err);

/* Frees the encryptor, wiping keys and buffered plaintext (NULL is ignored). */
void mao_esdk_encryptor_free(mao_esdk_encryptor *e);

/* One-shot: encrypts in[0..len) and appends the whole message to out. */
int mao_esdk_encrypt(const mao_esdk_encrypt_opts *o, const void *in, size_t len,
					 mao_buf *out, mao_err *err);

#endif /* MAO_ESDK_ENCRYPT_H */
