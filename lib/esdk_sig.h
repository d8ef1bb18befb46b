/*
 * esdk_sig.h - ECDSA message signatures of the signed ESDK suites
 * (P-256 with SHA-256, P-384 with SHA-384): the public key travels in the
 * encryption context as a base64 compressed point under
 * "aws-crypto-public-key"; the footer holds a DER signature over the header
 * and the body.
 *
 * Ownership: a mao_esdk_sig owns OpenSSL objects; release it with
 * mao_esdk_sig_free() (safe on a zeroed struct and twice).
 */
#ifndef MAO_ESDK_SIG_H
#define MAO_ESDK_SIG_H

#include <stddef.h>

#include "buf.h"
#include "err.h"
#include "esdk_suite.h"

#define MAO_ESDK_PUBKEY_EC_KEY "aws-crypto-public-key"

typedef struct mao_esdk_sig {
	void *pkey;   /* EVP_PKEY *, owned */
	void *md_ctx; /* EVP_MD_CTX *, owned */
	int signing;
} mao_esdk_sig;

/*
 * Starts verification for suite with the base64 compressed public key
 * b64[0..len).  A malformed or off-curve key is MAO_ERR_INVALID.
 */
int mao_esdk_sig_verify_init(mao_esdk_sig *s, const mao_esdk_suite *suite,
							 const char *b64, size_t len, mao_err *err);

/*
 * Starts signing for suite with a fresh key pair; appends the base64
 * compressed public key (for the encryption context) to pub_b64.
 */
int mao_esdk_sig_sign_init(mao_esdk_sig *s, const mao_esdk_suite *suite,
						   mao_buf *pub_b64, mao_err *err);

/* Feeds message bytes to the signature. */
int mao_esdk_sig_update(mao_esdk_sig *s, const void *data, size_t len, mao_err *err);

/* Verifies the DER signature sig[0..len); MAO_ERR_CRYPTO if it does not match. */
int mao_esdk_sig_verify_final(mao_esdk_sig *s, const unsigned char *sig, size_t len, mao_err *err);

/* Appends the DER signature to out. */
int mao_esdk_sig_sign_final(mao_esdk_sig *s, mao_buf *out, mao_err *err);

/* Releases the OpenSSL objects. */
void mao_esdk_sig_free(mao_esdk_sig *s);

#endif /* MAO_ESDK_SIG_H */
