/*
 * esdk_sig.c - ECDSA signatures of the signed ESDK suites (see esdk_sig.h).
 */
#include "esdk_sig.h"

#include "codec.h"

#include <string.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

/* Curve and digest names of a suite, or 0 if it is unsigned. */
static int
suite_curve(const mao_esdk_suite *suite, const char **curve, const EVP_MD **md)
{
	if (suite->signature == MAO_SIG_ECDSA_P256) {
		*curve = "P-256";
		*md = EVP_sha256();
		return 1;
	}
	if (suite->signature == MAO_SIG_ECDSA_P384) {
		*curve = "P-384";
		*md = EVP_sha384();
		return 1;
	}
	return 0;
}

/* Strict base64 (length a multiple of 4, '=' only at the end) for the public key. */
static int
b64_decode_strict(const char *s, size_t len, mao_buf *out)
{
	size_t pad = 0;
	int n, rc;

	if (len % 4 != 0 || len > (1u << 30))
		return MAO_ERR_INVALID;
	if (len == 0)
		return MAO_OK;
	if (s[len - 1] == '=')
		pad++;
	if (s[len - 2] == '=')
		pad++;
	for (size_t i = 0; i < len - pad; i++) {
		char c = s[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
			  c == '+' || c == '/'))
			return MAO_ERR_INVALID;
	}
	rc = mao_buf_reserve(out, len / 4 * 3 + 1);
	if (rc != MAO_OK)
		return rc;
	n = EVP_DecodeBlock((unsigned char *) out->data + out->len, (const unsigned char *) s, (int) len);
	if (n < 0 || (size_t) n < pad)
		return MAO_ERR_INVALID;
	out->len += (size_t) n - pad;
	out->data[out->len] = '\0';
	return MAO_OK;
}

/* Releases the key and the digest context. */
void
mao_esdk_sig_free(mao_esdk_sig *s)
{
	EVP_MD_CTX_free(s->md_ctx);
	EVP_PKEY_free(s->pkey);
	s->md_ctx = NULL;
	s->pkey = NULL;
}

/* Builds an EVP_PKEY from the compressed point and starts a DigestVerify. */
int
mao_esdk_sig_verify_init(mao_esdk_sig *s, const mao_esdk_suite *suite,
						 const char *b64, size_t len, mao_err *err)
{
	const char *curve;
	const EVP_MD *md;
	mao_buf point = MAO_BUF_INIT;
	EVP_PKEY_CTX *pctx = NULL;
	OSSL_PARAM params[3];
	int rc = MAO_ERR_INVALID;

	memset(s, 0, sizeof(*s));
	if (!suite_curve(suite, &curve, &md))
		return mao_err_set(err, MAO_ERR_INVALID, "suite 0x%04x is not signed", suite->id);
	if (b64_decode_strict(b64, len, &point) != MAO_OK || point.len == 0) {
		mao_buf_free(&point);
		return mao_err_set(err, MAO_ERR_INVALID, "ESDK message: malformed signature public key");
	}
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, (char *) curve, 0);
	params[1] = OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, point.data, point.len);
	params[2] = OSSL_PARAM_construct_end();
	pctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	if (pctx == NULL || EVP_PKEY_fromdata_init(pctx) != 1 ||
		EVP_PKEY_fromdata(pctx, (EVP_PKEY **) &s->pkey, EVP_PKEY_PUBLIC_KEY, params) != 1) {
		rc = mao_err_set(err, MAO_ERR_INVALID, "ESDK message: signature public key is not a %s point", curve);
		goto done;
	}
	EVP_PKEY_CTX_free(pctx);
	/* fromdata does not check the point: do it here */
	pctx = EVP_PKEY_CTX_new_from_pkey(NULL, s->pkey, NULL);
	if (pctx == NULL || EVP_PKEY_public_check(pctx) != 1) {
		rc = mao_err_set(err, MAO_ERR_INVALID, "ESDK message: signature public key is not a %s point", curve);
		goto done;
	}
	s->md_ctx = EVP_MD_CTX_new();
	if (s->md_ctx == NULL || EVP_DigestVerifyInit(s->md_ctx, NULL, md, NULL, s->pkey) != 1) {
		rc = mao_err_set(err, MAO_ERR_CRYPTO, "ESDK message: cannot start signature verification");
		goto done;
	}
	rc = MAO_OK;
done:
	EVP_PKEY_CTX_free(pctx);
	mao_buf_free(&point);
	if (rc != MAO_OK)
		mao_esdk_sig_free(s);
	return rc;
}

/* Generates a key pair on the suite's curve and starts a DigestSign. */
int
mao_esdk_sig_sign_init(mao_esdk_sig *s, const mao_esdk_suite *suite,
					   mao_buf *pub_b64, mao_err *err)
{
	const char *curve;
	const EVP_MD *md;
	unsigned char *pub = NULL;
	size_t pub_len;
	int rc;

	memset(s, 0, sizeof(*s));
	s->signing = 1;
	if (!suite_curve(suite, &curve, &md))
		return mao_err_set(err, MAO_ERR_INVALID, "suite 0x%04x is not signed", suite->id);
	s->pkey = EVP_PKEY_Q_keygen(NULL, NULL, "EC", curve);
	if (s->pkey == NULL ||
		EVP_PKEY_set_utf8_string_param(s->pkey, OSSL_PKEY_PARAM_EC_POINT_CONVERSION_FORMAT,
									   "compressed") != 1 ||
		(pub_len = EVP_PKEY_get1_encoded_public_key(s->pkey, &pub)) == 0) {
		mao_esdk_sig_free(s);
		return mao_err_set(err, MAO_ERR_CRYPTO, "cannot generate the signing key");
	}
	/* compress by hand if OpenSSL handed out 04 || X || Y */
	if (pub_len > 1 && pub[0] == 0x04 && pub_len % 2 == 1) {
		size_t n = (pub_len - 1) / 2;

		pub[0] = (unsigned char) (0x02 | (pub[pub_len - 1] & 1));
		pub_len = 1 + n;
	}
	rc = mao_base64_encode(pub_b64, pub, pub_len);
	OPENSSL_free(pub);
	if (rc != MAO_OK) {
		mao_esdk_sig_free(s);
		return mao_err_set(err, rc, "out of memory");
	}
	s->md_ctx = EVP_MD_CTX_new();
	if (s->md_ctx == NULL || EVP_DigestSignInit(s->md_ctx, NULL, md, NULL, s->pkey) != 1) {
		mao_esdk_sig_free(s);
		return mao_err_set(err, MAO_ERR_CRYPTO, "cannot start signing");
	}
	return MAO_OK;
}

/* Feeds bytes to the digest. */
int
mao_esdk_sig_update(mao_esdk_sig *s, const void *data, size_t len, mao_err *err)
{
	int ok = s->signing ? EVP_DigestSignUpdate(s->md_ctx, data, len)
		: EVP_DigestVerifyUpdate(s->md_ctx, data, len);

	if (ok != 1)
		return mao_err_set(err, MAO_ERR_CRYPTO, "signature digest failed");
	return MAO_OK;
}

/* Checks the signature. */
int
mao_esdk_sig_verify_final(mao_esdk_sig *s, const unsigned char *sig, size_t len, mao_err *err)
{
	if (EVP_DigestVerifyFinal(s->md_ctx, sig, len) != 1)
		return mao_err_set(err, MAO_ERR_CRYPTO, "ESDK message: signature does not verify");
	return MAO_OK;
}

/* Produces the DER signature. */
int
mao_esdk_sig_sign_final(mao_esdk_sig *s, mao_buf *out, mao_err *err)
{
	size_t len = 0;

	if (EVP_DigestSignFinal(s->md_ctx, NULL, &len) != 1 ||
		mao_buf_reserve(out, len + 1) != MAO_OK ||
		EVP_DigestSignFinal(s->md_ctx, (unsigned char *) out->data + out->len, &len) != 1)
		return mao_err_set(err, MAO_ERR_CRYPTO, "signing failed");
	out->len += len;
	out->data[out->len] = '\0';
	return MAO_OK;
}
