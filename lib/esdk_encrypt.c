/*
 * esdk_encrypt.c - writing ESDK messages (see esdk_encrypt.h; layout from
 * the ESDK specification, data-format/).
 */
#include "esdk_encrypt.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/rand.h>

#include "crypto_util.h"
#include "esdk_gcm.h"
#include "esdk_header.h"
#include "esdk_kdf.h"
#include "esdk_sig.h"

struct mao_esdk_encryptor {
	mao_esdk_header h;     /* owns the context (with the public key) and the EDKs */
	mao_buf header_bytes;  /* serialised header, written on the first output */
	int header_written;
	int finished;
	mao_gcm gcm;
	int is_signed;
	mao_esdk_sig sig;
	uint32_t seq;
	mao_buf pending;       /* plaintext not yet in a frame */
	int nonframed;
};

/* Defaults. */
void
mao_esdk_encrypt_opts_init(mao_esdk_encrypt_opts *o)
{
	memset(o, 0, sizeof(*o));
}

/* Releases everything. */
void
mao_esdk_encryptor_free(mao_esdk_encryptor *e)
{
	if (e == NULL)
		return;
	mao_esdk_header_free(&e->h);
	mao_buf_free(&e->header_bytes);
	mao_buf_free(&e->pending);
	mao_gcm_free(&e->gcm);
	mao_esdk_sig_free(&e->sig);
	free(e);
}

/* Materials from the keyrings, then keys, then the serialised header. */
int
mao_esdk_encryptor_new(const mao_esdk_encrypt_opts *o, mao_esdk_encryptor **out, mao_err *err)
{
	mao_esdk_encryptor *e;
	const mao_esdk_suite *suite;
	mao_esdk_materials m;
	unsigned char key[MAO_ESDK_MAX_KEY_LEN];
	mao_gcm hg = {NULL, 1};
	int rc;

	*out = NULL;
	suite = mao_esdk_suite_by_id(o->suite_id ? o->suite_id : MAO_ESDK_SUITE_DEFAULT);
	if (suite == NULL)
		return mao_err_set(err, MAO_ERR_INVALID, "encrypt: unknown algorithm suite 0x%04x", o->suite_id);
	if (o->n_keyrings == 0 || o->keyrings == NULL)
		return mao_err_set(err, MAO_ERR_INVALID, "encrypt: no keyring given");
	if (o->ec != NULL && mao_ec_get(o->ec, MAO_ESDK_PUBKEY_EC_KEY) != NULL)
		return mao_err_set(err, MAO_ERR_INVALID, "encrypt: the context key \"%s\" is reserved",
						   MAO_ESDK_PUBKEY_EC_KEY);
	e = calloc(1, sizeof(*e));
	if (e == NULL)
		return mao_err_set(err, MAO_ERR_NOMEM, "out of memory");
	memset(&m, 0, sizeof(m));
	mao_esdk_header_init(&e->h);
	mao_buf_init(&e->header_bytes);
	mao_buf_init(&e->pending);
	e->seq = 1;
	e->nonframed = o->nonframed;
	e->h.version = suite->version;
	e->h.suite = suite;
	e->h.content_type = o->nonframed ? MAO_ESDK_CONTENT_NONFRAMED : MAO_ESDK_CONTENT_FRAMED;
	e->h.frame_length = o->nonframed ? 0 : o->frame_length ? o->frame_length : MAO_ESDK_DEFAULT_FRAME;
	e->h.message_id_len = mao_esdk_message_id_len(suite->version);
	if (RAND_bytes(e->h.message_id, (int) e->h.message_id_len) != 1) {
		rc = mao_err_set(err, MAO_ERR_CRYPTO, "random message id generation failed");
		goto fail;
	}
	if (o->ec != NULL && (rc = mao_ec_merge(&e->h.ec, o->ec, err)) != MAO_OK)
		goto fail;
	if (suite->signature != MAO_SIG_NONE) {
		mao_buf pub = MAO_BUF_INIT;

		rc = mao_esdk_sig_sign_init(&e->sig, suite, &pub, err);
		if (rc == MAO_OK)
			rc = mao_ec_set(&e->h.ec, MAO_ESDK_PUBKEY_EC_KEY, strlen(MAO_ESDK_PUBKEY_EC_KEY),
							pub.data, pub.len, err);
		mao_buf_free(&pub);
		if (rc != MAO_OK)
			goto fail;
		e->is_signed = 1;
	}
	m.suite = suite;
	m.ec = &e->h.ec;
	for (size_t i = 0; i < o->n_keyrings; i++) {
		rc = o->keyrings[i]->on_encrypt(o->keyrings[i], &m, err);
		if (rc != MAO_OK)
			goto fail;
	}
	if (!m.has_data_key || m.n_edks == 0) {
		rc = mao_err_set(err, MAO_ERR_INVALID, "encrypt: the keyrings produced no data key");
		goto fail;
	}
	e->h.edks = m.edks;
	e->h.n_edks = m.n_edks;
	m.edks = NULL;
	m.n_edks = 0;
	if (suite->commitment &&
		(rc = mao_esdk_commit_key(suite, m.data_key, e->h.message_id, e->h.message_id_len,
								  e->h.commitment)) != MAO_OK) {
		mao_err_set(err, rc, "key commitment derivation failed");
		goto fail;
	}
	rc = mao_esdk_derive_key(suite, m.data_key, e->h.message_id, e->h.message_id_len, key);
	if (rc == MAO_OK)
		rc = mao_gcm_init(&e->gcm, 1, key, suite->key_len);
	mao_secure_zero(key, sizeof(key));
	if (rc != MAO_OK) {
		mao_err_set(err, rc, "content key setup failed");
		goto fail;
	}
	/* header IV: zeros (v2 requires it; v1 keys are unique per message too) */
	memset(e->h.iv, 0, sizeof(e->h.iv));
	rc = mao_esdk_header_serialize_body(&e->h, &e->header_bytes, err);
	if (rc != MAO_OK)
		goto fail;
	rc = mao_gcm_run(&e->gcm, e->h.iv, e->header_bytes.data, e->header_bytes.len, NULL, 0, NULL, e->h.tag);
	if (rc != MAO_OK) {
		mao_err_set(err, rc, "header authentication failed");
		goto fail;
	}
	rc = mao_esdk_header_serialize_auth(&e->h, &e->header_bytes, err);
	if (rc != MAO_OK)
		goto fail;
	if (e->is_signed && (rc = mao_esdk_sig_update(&e->sig, e->header_bytes.data, e->header_bytes.len, err)) != MAO_OK)
		goto fail;
	(void) hg;
	mao_esdk_materials_clear(&m);
	*out = e;
	return MAO_OK;
fail:
	mao_esdk_materials_clear(&m);
	mao_esdk_encryptor_free(e);
	return rc;
}

/*
 * Appends one unit: [0xffffffff] seq IV [length] ciphertext tag for frames
 * (kind 0 regular, 1 final), IV length(8) ciphertext tag for a single block
 * (kind 2).
 */
static int
write_unit(mao_esdk_encryptor *e, int kind, const unsigned char *in, size_t len,
		   mao_buf *out, mao_err *err)
{
	static const char *const what[] = {"AWSKMSEncryptionClient Frame",
		"AWSKMSEncryptionClient Final Frame", "AWSKMSEncryptionClient Single Block"};
	unsigned char iv[12] = {0}, aad[32 + 40 + 12], tag[16];
	size_t start = out->len, aad_len = 0, wl = strlen(what[kind]);
	uint32_t seq = e->seq;
	unsigned char *dst;

	for (int i = 0; i < 4; i++)
		iv[8 + i] = (unsigned char) (seq >> (8 * (3 - i)));
	memcpy(aad, e->h.message_id, e->h.message_id_len);
	aad_len = e->h.message_id_len;
	memcpy(aad + aad_len, what[kind], wl);
	aad_len += wl;
	for (int i = 3; i >= 0; i--)
		aad[aad_len++] = (unsigned char) (seq >> (8 * i));
	for (int i = 7; i >= 0; i--)
		aad[aad_len++] = (unsigned char) ((uint64_t) len >> (8 * i));
	if (kind == 2 && (uint64_t) len > MAO_ESDK_NONFRAMED_MAX)
		return mao_err_set(err, MAO_ERR_INVALID, "encrypt: a non-framed body is limited to 64 GiB");
	if (kind == 1)
		mao_buf_append_be(out, 0xffffffffu, 4);
	if (kind != 2)
		mao_buf_append_be(out, seq, 4);
	mao_buf_append(out, iv, 12);
	if (kind == 1)
		mao_buf_append_be(out, len, 4);
	else if (kind == 2)
		mao_buf_append_be(out, len, 8);
	if (mao_buf_reserve(out, len + 16) != MAO_OK)
		return mao_err_set(err, MAO_ERR_NOMEM, "out of memory");
	dst = (unsigned char *) out->data + out->len;
	if (mao_gcm_run(&e->gcm, iv, aad, aad_len, in, len, dst, tag) != MAO_OK)
		return mao_err_set(err, MAO_ERR_CRYPTO, "frame encryption failed");
	out->len += len;
	mao_buf_append(out, tag, 16);
	if (mao_buf_status(out) != MAO_OK)
		return mao_err_set(err, MAO_ERR_NOMEM, "out of memory");
	if (e->is_signed && mao_esdk_sig_update(&e->sig, out->data + start, out->len - start, err) != MAO_OK)
		return MAO_ERR_CRYPTO;
	if (kind == 0) {
		if (e->seq == 0xfffffffeu)
			return mao_err_set(err, MAO_ERR_INVALID, "encrypt: too many frames for one message");
		e->seq++;
	}
	return MAO_OK;
}

/* Writes the header once. */
static int
emit_header(mao_esdk_encryptor *e, mao_buf *out, mao_err *err)
{
	if (e->header_written)
		return MAO_OK;
	if (mao_buf_append(out, e->header_bytes.data, e->header_bytes.len) != MAO_OK)
		return mao_err_set(err, MAO_ERR_NOMEM, "out of memory");
	e->header_written = 1;
	return MAO_OK;
}

/* Frames everything beyond the last (possibly full) frame; keeps that one back. */
int
mao_esdk_encrypt_update(mao_esdk_encryptor *e, const void *in, size_t len,
						mao_buf *out, mao_err *err)
{
	const unsigned char *p = in;
	size_t fl = e->h.frame_length;
	int rc;

	if (e->finished)
		return mao_err_set(err, MAO_ERR_INVALID, "encrypt: message already finished");
	if ((rc = emit_header(e, out, err)) != MAO_OK)
		return rc;
	if (e->nonframed) {
		if (mao_buf_append(&e->pending, in, len) != MAO_OK)
			return mao_err_set(err, MAO_ERR_NOMEM, "out of memory");
		return MAO_OK;
	}
	/* complete the pending frame first */
	if (e->pending.len > 0 && len > 0) {
		size_t take = fl - e->pending.len;

		if (take > len)
			take = len;
		if (mao_buf_append(&e->pending, p, take) != MAO_OK)
			return mao_err_set(err, MAO_ERR_NOMEM, "out of memory");
		p += take;
		len -= take;
		if (len == 0)
			return MAO_OK;
		rc = write_unit(e, 0, (const unsigned char *) e->pending.data, fl, out, err);
		mao_buf_reset(&e->pending);
		if (rc != MAO_OK)
			return rc;
	}
	while (len > fl) {
		if ((rc = write_unit(e, 0, p, fl, out, err)) != MAO_OK)
			return rc;
		p += fl;
		len -= fl;
	}
	if (len > 0 && mao_buf_append(&e->pending, p, len) != MAO_OK)
		return mao_err_set(err, MAO_ERR_NOMEM, "out of memory");
	return MAO_OK;
}

/* Final frame (or single block), then the footer of a signed suite. */
int
mao_esdk_encrypt_finish(mao_esdk_encryptor *e, mao_buf *out, mao_err *err)
{
	int rc;

	if (e->finished)
		return mao_err_set(err, MAO_ERR_INVALID, "encrypt: message already finished");
	if ((rc = emit_header(e, out, err)) != MAO_OK)
		return rc;
	rc = write_unit(e, e->nonframed ? 2 : 1, (const unsigned char *) e->pending.data,
					e->pending.len, out, err);
	mao_buf_reset(&e->pending);
	if (rc != MAO_OK)
		return rc;
	if (e->is_signed) {
		mao_buf sig = MAO_BUF_INIT;

		rc = mao_esdk_sig_sign_final(&e->sig, &sig, err);
		if (rc == MAO_OK) {
			mao_buf_append_be(out, sig.len, 2);
			mao_buf_append(out, sig.data, sig.len);
			if (mao_buf_status(out) != MAO_OK)
				rc = mao_err_set(err, MAO_ERR_NOMEM, "out of memory");
		}
		mao_buf_free(&sig);
		if (rc != MAO_OK)
			return rc;
	}
	e->finished = 1;
	return MAO_OK;
}

/* Whole message in one call. */
int
mao_esdk_encrypt(const mao_esdk_encrypt_opts *o, const void *in, size_t len,
				 mao_buf *out, mao_err *err)
{
	mao_esdk_encryptor *e;
	int rc = mao_esdk_encryptor_new(o, &e, err);

	if (rc != MAO_OK)
		return rc;
	if (mao_buf_reserve(out, len + len / 64 + 1024) != MAO_OK)
		rc = mao_err_set(err, MAO_ERR_NOMEM, "out of memory");
	if (rc == MAO_OK)
		rc = mao_esdk_encrypt_update(e, in, len, out, err);
	if (rc == MAO_OK)
		rc = mao_esdk_encrypt_finish(e, out, err);
	mao_esdk_encryptor_free(e);
	return rc;
}
