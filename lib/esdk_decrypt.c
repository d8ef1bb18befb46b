/*
 * esdk_decrypt.c - the decrypting state machine (see esdk_decrypt.h;
 * message layout from the ESDK specification, data-format/).
 *
 * Input that does not yet form a complete unit (header, frame, footer) is
 * kept in `pending`; when nothing is pending, units are decrypted straight
 * from the caller's input without a copy.
 */
#include "esdk_decrypt.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto_util.h"
#include "esdk_gcm.h"
#include "esdk_kdf.h"
#include "esdk_sig.h"

enum { ST_HEADER, ST_BODY, ST_FOOTER, ST_DONE, ST_FAILED };

#define FRAME_AAD_FRAME "AWSKMSEncryptionClient Frame"
#define FRAME_AAD_FINAL "AWSKMSEncryptionClient Final Frame"
#define FRAME_AAD_SINGLE "AWSKMSEncryptionClient Single Block"

struct mao_esdk_decryptor {
	mao_esdk_decrypt_opts o;
	int state;
	mao_buf pending;      /* input not consumed yet */
	mao_esdk_header h;
	int have_header;
	mao_gcm gcm;          /* under the derived content key */
	int is_signed;
	mao_esdk_sig sig;
	uint32_t seq;         /* next expected frame sequence number */
	uint64_t plain_total; /* plaintext bytes decrypted so far */
	mao_buf held;         /* final plaintext of a signed message, until the footer verifies */
};

/* Default options. */
void
mao_esdk_decrypt_opts_init(mao_esdk_decrypt_opts *o)
{
	memset(o, 0, sizeof(*o));
	mao_esdk_limits_default(&o->limits);
}

/* Allocates a decryptor in the header state. */
int
mao_esdk_decryptor_new(const mao_esdk_decrypt_opts *o, mao_esdk_decryptor **out, mao_err *err)
{
	mao_esdk_decryptor *d;

	*out = NULL;
	if (o->n_keyrings == 0 || o->keyrings == NULL)
		return mao_err_set(err, MAO_ERR_INVALID, "decrypt: no keyring given");
	d = calloc(1, sizeof(*d));
	if (d == NULL)
		return mao_err_set(err, MAO_ERR_NOMEM, "out of memory");
	d->o = *o;
	d->state = ST_HEADER;
	d->seq = 1;
	mao_buf_init(&d->pending);
	mao_buf_init(&d->held);
	mao_esdk_header_init(&d->h);
	*out = d;
	return MAO_OK;
}

/* Releases everything, wiping secrets. */
void
mao_esdk_decryptor_free(mao_esdk_decryptor *d)
{
	if (d == NULL)
		return;
	mao_buf_free(&d->pending);
	mao_buf_free(&d->held);
	mao_esdk_header_free(&d->h);
	mao_gcm_free(&d->gcm);
	mao_esdk_sig_free(&d->sig);
	free(d);
}

/* The header after verification. */
const mao_esdk_header *
mao_esdk_decryptor_header(const mao_esdk_decryptor *d)
{
	return d->have_header ? &d->h : NULL;
}

/* Reads a big-endian uint32. */
static uint32_t
be32(const unsigned char *p)
{
	return ((uint32_t) p[0] << 24) | ((uint32_t) p[1] << 16) | ((uint32_t) p[2] << 8) | p[3];
}

/* Reads a big-endian uint64. */
static uint64_t
be64(const unsigned char *p)
{
	return ((uint64_t) be32(p) << 32) | be32(p + 4);
}

/* Marks the decryptor failed and drops held plaintext. */
static int
fail(mao_esdk_decryptor *d, int rc)
{
	d->state = ST_FAILED;
	mao_buf_free(&d->held);
	mao_gcm_free(&d->gcm);
	return rc;
}

/*
 * Builds the full context (stored plus reproduced) and the part of it that
 * is authenticated only (reproduced keys not stored), serialised.
 */
static int
merge_context(mao_esdk_decryptor *d, mao_ec *full, mao_buf *auth_only, mao_err *err)
{
	const mao_ec *rep = d->o.reproduced_ec;
	mao_ec extra = MAO_EC_INIT;
	int rc;

	rc = mao_ec_merge(full, &d->h.ec, err);
	if (rc != MAO_OK || rep == NULL)
		return rc;
	for (size_t i = 0; i < rep->n; i++) {
		const mao_ec_entry *r = &rep->entries[i];
		const mao_ec_entry *s = mao_ec_get(&d->h.ec, r->key);

		if (s != NULL && strlen(r->key) == r->key_len) {
			if (s->value_len != r->value_len || memcmp(s->value, r->value, r->value_len) != 0) {
				mao_ec_free(&extra);
				return mao_err_set(err, MAO_ERR_INVALID,
								   "encryption context mismatch: the message has a different value for \"%s\"",
								   r->key);
			}
			continue;
		}
		if ((rc = mao_ec_set(&extra, r->key, r->key_len, r->value, r->value_len, err)) != MAO_OK ||
			(rc = mao_ec_set(full, r->key, r->key_len, r->value, r->value_len, err)) != MAO_OK) {
			mao_ec_free(&extra);
			return rc;
		}
	}
	rc = mao_ec_serialize(&extra, auth_only, err);
	mao_ec_free(&extra);
	return rc;
}

/*
 * With the parsed header: data key from the keyrings, commitment check,
 * content key, header authentication, signature start.
 */
static int
open_header(mao_esdk_decryptor *d, const unsigned char *hdr, mao_err *err)
{
	mao_esdk_header *h = &d->h;
	const mao_esdk_suite *suite = h->suite;
	const mao_ec_entry *pub;
	mao_ec full = MAO_EC_INIT;
	mao_buf aad = MAO_BUF_INIT;
	mao_esdk_materials m;
	unsigned char key[MAO_ESDK_MAX_KEY_LEN], commit[MAO_ESDK_COMMIT_LEN];
	mao_gcm hg = {NULL, 0};
	int rc;

	memset(&m, 0, sizeof(m));
	if (d->o.require_commitment && !suite->commitment)
		return mao_err_set(err, MAO_ERR_INVALID, "ESDK message: suite 0x%04x has no key commitment, "
						   "which this caller requires", suite->id);
	pub = mao_ec_get(&h->ec, MAO_ESDK_PUBKEY_EC_KEY);
	if (suite->signature != MAO_SIG_NONE && pub == NULL)
		return mao_err_set(err, MAO_ERR_INVALID, "ESDK message: signed suite without a public key in its context");
	if (suite->signature == MAO_SIG_NONE && pub != NULL)
		return mao_err_set(err, MAO_ERR_INVALID, "ESDK message: unsigned suite with a signature public key in its context");
	rc = mao_buf_append(&aad, hdr, h->body_len);
	if (rc == MAO_OK)
		rc = merge_context(d, &full, &aad, err);
	if (rc != MAO_OK)
		goto done;
	m.suite = suite;
	m.ec = &full;
	for (size_t i = 0; i < d->o.n_keyrings && !m.has_data_key; i++) {
		rc = d->o.keyrings[i]->on_decrypt(d->o.keyrings[i], &m, h->edks, h->n_edks, err);
		if (rc != MAO_OK)
			goto done;
	}
	if (!m.has_data_key) {
		if (d->o.n_keyrings > 1)
			mao_err_set(err, MAO_ERR_CRYPTO, "ESDK message: no keyring could decrypt any of its %zu data keys",
						h->n_edks);
		rc = err != NULL && err->code != MAO_OK ? err->code : MAO_ERR_CRYPTO;
		if (err == NULL || err->code == MAO_OK)
			mao_err_set(err, rc, "ESDK message: no data key could be decrypted");
		goto done;
	}
	if (suite->commitment) {
		rc = mao_esdk_commit_key(suite, m.data_key, h->message_id, h->message_id_len, commit);
		if (rc != MAO_OK) {
			mao_err_set(err, rc, "key commitment derivation failed");
			goto done;
		}
		if (!mao_mem_equal_ct(commit, h->commitment, MAO_ESDK_COMMIT_LEN)) {
			rc = mao_err_set(err, MAO_ERR_CRYPTO, "ESDK message: key commitment does not match (invalid commitment)");
			goto done;
		}
	}
	rc = mao_esdk_derive_key(suite, m.data_key, h->message_id, h->message_id_len, key);
	if (rc == MAO_OK)
		rc = mao_gcm_init(&hg, 0, key, suite->key_len);
	if (rc == MAO_OK)
		rc = mao_gcm_run(&hg, h->iv, aad.data, aad.len, NULL, 0, NULL, h->tag);
	if (rc != MAO_OK) {
		rc = mao_err_set(err, MAO_ERR_CRYPTO, "ESDK message: header authentication failed "
						 "(tampered header or wrong encryption context)");
		goto done;
	}
	/* the header key schedule serves the body too */
	d->gcm = hg;
	hg.ctx = NULL;
	if (suite->signature != MAO_SIG_NONE) {
		rc = mao_esdk_sig_verify_init(&d->sig, suite, pub->value, pub->value_len, err);
		if (rc == MAO_OK)
			rc = mao_esdk_sig_update(&d->sig, hdr, h->total_len, err);
		if (rc != MAO_OK)
			goto done;
		d->is_signed = 1;
	}
	d->have_header = 1;
done:
	mao_gcm_free(&hg);
	mao_secure_zero(key, sizeof(key));
	mao_secure_zero(commit, sizeof(commit));
	mao_esdk_materials_clear(&m);
	mao_ec_free(&full);
	mao_buf_free(&aad);
	return rc;
}

/* Body AAD: message id, content string, sequence number, content length. */
static size_t
body_aad(const mao_esdk_header *h, const char *what, uint32_t seq, uint64_t len,
		 unsigned char *out)
{
	size_t n = 0, wl = strlen(what);

	memcpy(out, h->message_id, h->message_id_len);
	n += h->message_id_len;
	memcpy(out + n, what, wl);
	n += wl;
	for (int i = 3; i >= 0; i--)
		out[n++] = (unsigned char) (seq >> (8 * i));
	for (int i = 7; i >= 0; i--)
		out[n++] = (unsigned char) (len >> (8 * i));
	return n;
}

/*
 * Decrypts one unit of ciphertext ct[0..len) and appends it to dst only if
 * its tag verifies; nothing of it stays in dst otherwise.
 */
static int
decrypt_unit(mao_esdk_decryptor *d, const char *what, uint32_t seq,
			 const unsigned char *iv, const unsigned char *ct, uint64_t len,
			 const unsigned char *tag, mao_buf *dst, mao_err *err)
{
	unsigned char aad[32 + 40 + 12], tagc[16];
	size_t aad_len = body_aad(&d->h, what, seq, len, aad);
	unsigned char *o;
	int rc;

	if (mao_buf_reserve(dst, (size_t) len) != MAO_OK)
		return mao_err_set(err, MAO_ERR_NOMEM, "out of memory");
	o = (unsigned char *) dst->data + dst->len;
	memcpy(tagc, tag, 16);
	rc = mao_gcm_run(&d->gcm, iv, aad, aad_len, ct, (size_t) len, o, tagc);
	if (rc != MAO_OK) {
		mao_secure_zero(o, (size_t) len);
		return mao_err_set(err, MAO_ERR_CRYPTO, "ESDK message: %s %u does not authenticate",
						   d->h.content_type == MAO_ESDK_CONTENT_FRAMED ? "frame" : "body", (unsigned) seq);
	}
	dst->len += (size_t) len;
	dst->data[dst->len] = '\0';
	d->plain_total += len;
	return MAO_OK;
}

/* Adds bytes to the signature, if the suite is signed. */
static int
sig_feed(mao_esdk_decryptor *d, const unsigned char *p, size_t n, mao_err *err)
{
	return d->is_signed ? mao_esdk_sig_update(&d->sig, p, n, err) : MAO_OK;
}

/* Checks that body_total more plaintext bytes stay under the body limit. */
static int
body_fits(const mao_esdk_decryptor *d, uint64_t more)
{
	return more <= d->o.limits.max_body && d->plain_total <= d->o.limits.max_body - more;
}

/*
 * Processes as many complete units of p[0..len) as possible.  Returns
 * MAO_OK with *used the bytes consumed; an error fails the decryptor.
 */
static int
process(mao_esdk_decryptor *d, const unsigned char *p, size_t len, mao_buf *out,
		size_t *used, mao_err *err)
{
	size_t pos = 0;
	int rc = MAO_OK;

	*used = 0;
	while (d->state != ST_FAILED) {
		const unsigned char *u = p + pos;
		size_t avail = len - pos;

		if (d->state == ST_HEADER) {
			size_t n;

			rc = mao_esdk_header_parse(u, avail, &d->o.limits, &d->h, &n, err);
			if (rc != MAO_OK)
				return fail(d, rc);
			if (n == 0)
				break;
			rc = open_header(d, u, err);
			if (rc != MAO_OK)
				return fail(d, rc);
			pos += n;
			d->state = ST_BODY;
		} else if (d->state == ST_BODY && d->h.content_type == MAO_ESDK_CONTENT_NONFRAMED) {
			uint64_t clen;
			size_t need;

			if (avail < 20)
				break;
			clen = be64(u + 12);
			if (clen > MAO_ESDK_NONFRAMED_MAX || !body_fits(d, clen))
				return fail(d, mao_err_set(err, MAO_ERR_INVALID, "ESDK message: body of %llu bytes exceeds the limit",
										   (unsigned long long) clen));
			need = 20 + (size_t) clen + 16;
			if (avail < need)
				break;
			rc = sig_feed(d, u, need, err);
			if (rc == MAO_OK)
				rc = decrypt_unit(d, FRAME_AAD_SINGLE, 1, u, u + 20, clen, u + 20 + clen,
								  d->is_signed ? &d->held : out, err);
			if (rc != MAO_OK)
				return fail(d, rc);
			pos += need;
			d->state = d->is_signed ? ST_FOOTER : ST_DONE;
		} else if (d->state == ST_BODY) {
			uint32_t fl = d->h.frame_length, seq;
			int final;

			if (avail < 4)
				break;
			final = be32(u) == 0xffffffffu;
			if (!final) {
				size_t need = 4 + 12 + (size_t) fl + 16;

				seq = be32(u);
				if (seq != d->seq)
					return fail(d, mao_err_set(err, MAO_ERR_INVALID, "ESDK message: frame %u out of order (expected %u)",
											   (unsigned) seq, (unsigned) d->seq));
				if (!body_fits(d, fl))
					return fail(d, mao_err_set(err, MAO_ERR_INVALID, "ESDK message: body exceeds the limit of %llu bytes",
											   (unsigned long long) d->o.limits.max_body));
				if (avail < need)
					break;
				rc = sig_feed(d, u, need, err);
				if (rc == MAO_OK)
					rc = decrypt_unit(d, FRAME_AAD_FRAME, seq, u + 4, u + 16, fl, u + 16 + fl, out, err);
				if (rc != MAO_OK)
					return fail(d, rc);
				if (d->seq == 0xfffffffeu)
					return fail(d, mao_err_set(err, MAO_ERR_INVALID, "ESDK message: too many frames"));
				d->seq++;
				pos += need;
			} else {
				uint32_t clen;
				size_t need;

				if (avail < 24)
					break;
				seq = be32(u + 4);
				if (seq != d->seq)
					return fail(d, mao_err_set(err, MAO_ERR_INVALID, "ESDK message: final frame %u out of order (expected %u)",
											   (unsigned) seq, (unsigned) d->seq));
				clen = be32(u + 20);
				if (clen > fl)
					return fail(d, mao_err_set(err, MAO_ERR_INVALID, "ESDK message: final frame longer than the frame length"));
				if (!body_fits(d, clen))
					return fail(d, mao_err_set(err, MAO_ERR_INVALID, "ESDK message: body exceeds the limit of %llu bytes",
											   (unsigned long long) d->o.limits.max_body));
				need = 24 + (size_t) clen + 16;
				if (avail < need)
					break;
				rc = sig_feed(d, u, need, err);
				if (rc == MAO_OK)
					rc = decrypt_unit(d, FRAME_AAD_FINAL, seq, u + 8, u + 24, clen, u + 24 + clen,
									  d->is_signed ? &d->held : out, err);
				if (rc != MAO_OK)
					return fail(d, rc);
				pos += need;
				d->state = d->is_signed ? ST_FOOTER : ST_DONE;
			}
		} else if (d->state == ST_FOOTER) {
			size_t slen;

			if (avail < 2)
				break;
			slen = ((size_t) u[0] << 8) | u[1];
			if (avail < 2 + slen)
				break;
			rc = mao_esdk_sig_verify_final(&d->sig, u + 2, slen, err);
			if (rc != MAO_OK)
				return fail(d, rc);
			pos += 2 + slen;
			if (mao_buf_append(out, d->held.data, d->held.len) != MAO_OK)
				return fail(d, mao_err_set(err, MAO_ERR_NOMEM, "out of memory"));
			mao_buf_free(&d->held);
			d->state = ST_DONE;
		} else if (d->state == ST_DONE) {
			if (avail > 0)
				return fail(d, mao_err_set(err, MAO_ERR_INVALID, "ESDK message: %zu bytes after the end of the message",
										   avail));
			break;
		}
	}
	if (d->state == ST_FAILED)
		return MAO_ERR_INVALID;
	*used = pos;
	return MAO_OK;
}

/*
 * Bytes the unit starting at p[0..n) needs in all, 0 when that is not known
 * yet, or (size_t) -1 in the header state (where everything is taken).
 */
static size_t
unit_size(const mao_esdk_decryptor *d, const unsigned char *p, size_t n)
{
	if (d->state == ST_HEADER)
		return (size_t) -1;
	if (d->state == ST_BODY && d->h.content_type == MAO_ESDK_CONTENT_NONFRAMED)
		return n < 20 ? 0 : 20 + (size_t) be64(p + 12) + 16;
	if (d->state == ST_BODY) {
		if (n < 4)
			return 0;
		if (be32(p) != 0xffffffffu)
			return 4 + 12 + (size_t) d->h.frame_length + 16;
		return n < 24 ? 0 : 24 + (size_t) be32(p + 20) + 16;
	}
	if (d->state == ST_FOOTER)
		return n < 2 ? 0 : 2 + (((size_t) p[0] << 8) | p[1]);
	return (size_t) -1;
}

/*
 * Completes the pending unit from the input a little at a time (so that a
 * large input is not copied), then decrypts the rest of the input in place
 * and keeps only its incomplete tail.
 */
int
mao_esdk_decrypt_update(mao_esdk_decryptor *d, const void *in, size_t len,
						mao_buf *out, mao_err *err)
{
	const unsigned char *p = in;
	size_t used;
	int rc;

	if (d->state == ST_FAILED)
		return mao_err_set(err, MAO_ERR_INVALID, "decrypt: the decryptor failed earlier");
	while (len > 0 && d->pending.len > 0) {
		size_t want = unit_size(d, (const unsigned char *) d->pending.data, d->pending.len), take;

		if (want == (size_t) -1 || want > d->pending.len + len)
			take = len;              /* all of it: the unit is still incomplete (or a header) */
		else if (want == 0)
			take = 24 - (d->pending.len < 24 ? d->pending.len : 23);
		else
			take = want - d->pending.len;
		if (take > len)
			take = len;
		if (mao_buf_append(&d->pending, p, take) != MAO_OK)
			return fail(d, mao_err_set(err, MAO_ERR_NOMEM, "out of memory"));
		p += take;
		len -= take;
		rc = process(d, (const unsigned char *) d->pending.data, d->pending.len, out, &used, err);
		if (rc != MAO_OK)
			return rc;
		if (used > 0) {
			memmove(d->pending.data, d->pending.data + used, d->pending.len - used);
			d->pending.len -= used;
			d->pending.data[d->pending.len] = '\0';
		}
	}
	if (len == 0)
		return MAO_OK;
	rc = process(d, p, len, out, &used, err);
	if (rc != MAO_OK)
		return rc;
	if (used < len && mao_buf_append(&d->pending, p + used, len - used) != MAO_OK)
		return fail(d, mao_err_set(err, MAO_ERR_NOMEM, "out of memory"));
	return MAO_OK;
}

/* The message must have ended exactly. */
int
mao_esdk_decrypt_finish(mao_esdk_decryptor *d, mao_buf *out, mao_err *err)
{
	(void) out;
	if (d->state == ST_FAILED)
		return mao_err_set(err, MAO_ERR_INVALID, "decrypt: the decryptor failed earlier");
	if (d->state != ST_DONE || d->pending.len != 0) {
		const char *where = d->state == ST_HEADER ? "header" : d->state == ST_BODY ? "body" : "footer";

		fail(d, MAO_ERR_INVALID);
		return mao_err_set(err, MAO_ERR_INVALID, "ESDK message truncated (ends in the %s)", where);
	}
	return MAO_OK;
}

/* Decrypts in one go; rolls the output back on failure. */
int
mao_esdk_decrypt(const mao_esdk_decrypt_opts *o, const void *in, size_t len,
				 mao_buf *out, mao_esdk_header *header, mao_err *err)
{
	mao_esdk_decryptor *d;
	size_t orig = out->len;
	int rc;

	if (header != NULL)
		mao_esdk_header_init(header);
	rc = mao_esdk_decryptor_new(o, &d, err);
	if (rc != MAO_OK)
		return rc;
	/* the plaintext is shorter than the message: one allocation, no regrowth */
	if (mao_buf_reserve(out, len) != MAO_OK) {
		mao_esdk_decryptor_free(d);
		return mao_err_set(err, MAO_ERR_NOMEM, "out of memory");
	}
	rc = mao_esdk_decrypt_update(d, in, len, out, err);
	if (rc == MAO_OK)
		rc = mao_esdk_decrypt_finish(d, out, err);
	if (rc != MAO_OK) {
		if (out->data != NULL && out->len > orig) {
			mao_secure_zero(out->data + orig, out->len - orig);
			out->len = orig;
			out->data[orig] = '\0';
		}
	} else if (header != NULL) {
		*header = d->h;
		mao_esdk_header_init(&d->h);
	}
	mao_esdk_decryptor_free(d);
	return rc;
}
