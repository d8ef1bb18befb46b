/*
 * esdk_header.c - parse and serialise ESDK message headers (see
 * esdk_header.h; layout from the ESDK specification,
 * data-format/message-header.md).
 */
#include "esdk_header.h"

#include <stdlib.h>
#include <string.h>

#include "crypto_util.h"

/* Sets the default reading limits. */
void
mao_esdk_limits_default(mao_esdk_limits *l)
{
	l->max_edks = 16;
	l->max_header = 1u << 20;
	l->max_frame_length = 16u << 20;
	l->max_body = ((uint64_t) 4) << 30;
}

/* Frees one EDK's fields. */
void
mao_esdk_edk_clear(mao_esdk_edk *edk)
{
	free(edk->provider_id);
	free(edk->provider_info);
	if (edk->ciphertext != NULL)
		mao_secure_zero(edk->ciphertext, edk->ciphertext_len);
	free(edk->ciphertext);
	memset(edk, 0, sizeof(*edk));
}

/* Copies n bytes plus a NUL into a new block. */
static void *
copy_nul(const void *p, size_t n)
{
	unsigned char *d = malloc(n + 1);

	if (d == NULL)
		return NULL;
	if (n > 0)
		memcpy(d, p, n);
	d[n] = 0;
	return d;
}

/* Copies the three EDK fields into dst (cleared first). */
int
mao_esdk_edk_set(mao_esdk_edk *dst, const char *provider_id, size_t id_len,
				 const void *info, size_t info_len, const void *ct, size_t ct_len)
{
	memset(dst, 0, sizeof(*dst));
	dst->provider_id = copy_nul(provider_id, id_len);
	dst->provider_info = copy_nul(info, info_len);
	dst->ciphertext = copy_nul(ct, ct_len);
	if (dst->provider_id == NULL || dst->provider_info == NULL || dst->ciphertext == NULL) {
		mao_esdk_edk_clear(dst);
		return MAO_ERR_NOMEM;
	}
	dst->provider_id_len = id_len;
	dst->provider_info_len = info_len;
	dst->ciphertext_len = ct_len;
	return MAO_OK;
}

/* Empty header. */
void
mao_esdk_header_init(mao_esdk_header *h)
{
	memset(h, 0, sizeof(*h));
	mao_ec_init(&h->ec);
}

/* Frees the context and the EDKs. */
void
mao_esdk_header_free(mao_esdk_header *h)
{
	mao_ec_free(&h->ec);
	for (size_t i = 0; i < h->n_edks; i++)
		mao_esdk_edk_clear(&h->edks[i]);
	free(h->edks);
	mao_esdk_header_init(h);
}

/* A bounds-checked reader over the input. */
typedef struct rd {
	const unsigned char *p;
	size_t len;
	size_t pos;
	int short_input; /* set when a read ran past the end of the input */
} rd;

/* Takes n bytes, or records that the input is too short. */
static const unsigned char *
take(rd *r, size_t n)
{
	const unsigned char *s;

	if (r->short_input || r->len - r->pos < n) {
		r->short_input = 1;
		return NULL;
	}
	s = r->p + r->pos;
	r->pos += n;
	return s;
}

/* Reads a big-endian integer of n bytes (n <= 4). */
static int
take_uint(rd *r, size_t n, uint32_t *v)
{
	const unsigned char *s = take(r, n);

	if (s == NULL)
		return 0;
	*v = 0;
	for (size_t i = 0; i < n; i++)
		*v = (*v << 8) | s[i];
	return 1;
}

/*
 * Parses the fields; on a short input returns MAO_OK with *consumed 0.
 * Structural checks come before the copies they would justify.
 */
int
mao_esdk_header_parse(const unsigned char *in, size_t len,
					  const mao_esdk_limits *lim, mao_esdk_header *h,
					  size_t *consumed, mao_err *err)
{
	rd r = {in, len > lim->max_header ? lim->max_header : len, 0, 0};
	const unsigned char *s;
	uint32_t v, aad_len, n_edks;
	int rc = MAO_OK;

	*consumed = 0;
	mao_esdk_header_init(h);
	if (!take_uint(&r, 1, &v))
		goto short_input;
	if (v != 1 && v != 2)
		return mao_err_set(err, MAO_ERR_INVALID, "not an ESDK message: unknown format version 0x%02x", (unsigned) v);
	h->version = (int) v;
	if (h->version == 1) {
		if (!take_uint(&r, 1, &v))
			goto short_input;
		if (v != 0x80)
			return mao_err_set(err, MAO_ERR_INVALID, "ESDK header: unknown message type 0x%02x", (unsigned) v);
	}
	if (!take_uint(&r, 2, &v))
		goto short_input;
	h->suite = mao_esdk_suite_by_id((uint16_t) v);
	if (h->suite == NULL)
		return mao_err_set(err, MAO_ERR_INVALID, "ESDK header: unknown algorithm suite 0x%04x", (unsigned) v);
	if (h->suite->version != h->version)
		return mao_err_set(err, MAO_ERR_INVALID, "ESDK header: suite 0x%04x is not allowed in format version %d",
						   (unsigned) v, h->version);
	h->message_id_len = mao_esdk_message_id_len(h->version);
	if ((s = take(&r, h->message_id_len)) == NULL)
		goto short_input;
	memcpy(h->message_id, s, h->message_id_len);
	if (!take_uint(&r, 2, &aad_len))
		goto short_input;
	if ((s = take(&r, aad_len)) == NULL)
		goto short_input;
	if (!take_uint(&r, 2, &n_edks))
		goto short_input;
	if (n_edks == 0)
		return mao_err_set(err, MAO_ERR_INVALID, "ESDK header: no encrypted data keys");
	if (n_edks > lim->max_edks)
		return mao_err_set(err, MAO_ERR_INVALID, "ESDK header: %u encrypted data keys, more than the limit of %zu",
						   (unsigned) n_edks, lim->max_edks);
	/* First pass over the EDKs: lengths only, so nothing is allocated for a truncated header. */
	{
		rd scan = r;
		for (uint32_t i = 0; i < n_edks; i++)
			for (int f = 0; f < 3; f++) {
				if (!take_uint(&scan, 2, &v) || take(&scan, v) == NULL)
					goto short_input;
			}
	}
	rc = mao_ec_parse(s, aad_len, &h->ec, err);
	if (rc != MAO_OK)
		return rc;
	h->edks = calloc(n_edks, sizeof(mao_esdk_edk));
	if (h->edks == NULL) {
		rc = mao_err_set(err, MAO_ERR_NOMEM, "out of memory");
		goto fail;
	}
	for (uint32_t i = 0; i < n_edks; i++) {
		uint32_t il, fl, cl;
		const unsigned char *id, *info, *ct;

		take_uint(&r, 2, &il);
		id = take(&r, il);
		take_uint(&r, 2, &fl);
		info = take(&r, fl);
		take_uint(&r, 2, &cl);
		ct = take(&r, cl);
		if (!mao_utf8_valid((const char *) id, il)) {
			rc = mao_err_set(err, MAO_ERR_INVALID, "ESDK header: key provider id is not UTF-8");
			goto fail;
		}
		if (mao_esdk_edk_set(&h->edks[i], (const char *) id, il, info, fl, ct, cl) != MAO_OK) {
			rc = mao_err_set(err, MAO_ERR_NOMEM, "out of memory");
			goto fail;
		}
		h->n_edks = i + 1;
	}
	if (!take_uint(&r, 1, &v))
		goto short_fail;
	if (v != MAO_ESDK_CONTENT_NONFRAMED && v != MAO_ESDK_CONTENT_FRAMED) {
		rc = mao_err_set(err, MAO_ERR_INVALID, "ESDK header: unknown content type %u", (unsigned) v);
		goto fail;
	}
	h->content_type = (int) v;
	if (h->version == 1) {
		if (!take_uint(&r, 4, &v))
			goto short_fail;
		if (v != 0) {
			rc = mao_err_set(err, MAO_ERR_INVALID, "ESDK header: reserved field is not zero");
			goto fail;
		}
		if (!take_uint(&r, 1, &v))
			goto short_fail;
		if (v != h->suite->iv_len) {
			rc = mao_err_set(err, MAO_ERR_INVALID, "ESDK header: IV length %u does not match the suite", (unsigned) v);
			goto fail;
		}
	}
	if (!take_uint(&r, 4, &h->frame_length))
		goto short_fail;
	if (h->content_type == MAO_ESDK_CONTENT_NONFRAMED && h->frame_length != 0) {
		rc = mao_err_set(err, MAO_ERR_INVALID, "ESDK header: non-framed message with a frame length");
		goto fail;
	}
	if (h->content_type == MAO_ESDK_CONTENT_FRAMED && h->frame_length == 0) {
		rc = mao_err_set(err, MAO_ERR_INVALID, "ESDK header: framed message with frame length 0");
		goto fail;
	}
	if (h->frame_length > lim->max_frame_length) {
		rc = mao_err_set(err, MAO_ERR_INVALID, "ESDK header: frame length %u exceeds the limit of %u",
						 (unsigned) h->frame_length, (unsigned) lim->max_frame_length);
		goto fail;
	}
	if (h->suite->commitment) {
		if ((s = take(&r, 32)) == NULL)
			goto short_fail;
		memcpy(h->commitment, s, 32);
	}
	h->body_len = r.pos;
	if (h->version == 1) {
		if ((s = take(&r, h->suite->iv_len)) == NULL)
			goto short_fail;
		memcpy(h->iv, s, h->suite->iv_len);
	}
	if ((s = take(&r, MAO_ESDK_TAG_LEN)) == NULL)
		goto short_fail;
	memcpy(h->tag, s, MAO_ESDK_TAG_LEN);
	h->total_len = r.pos;
	*consumed = r.pos;
	return MAO_OK;

short_fail:
	mao_esdk_header_free(h);
short_input:
	mao_esdk_header_free(h);
	if (len >= lim->max_header)
		return mao_err_set(err, MAO_ERR_INVALID, "ESDK header longer than the limit of %zu bytes", lim->max_header);
	return MAO_OK;
fail:
	mao_esdk_header_free(h);
	return rc;
}

/* Appends a 2-byte length and the bytes; fails over 65535. */
static int
put_field(mao_buf *out, const void *p, size_t n, mao_err *err)
{
	if (n > 65535)
		return mao_err_set(err, MAO_ERR_INVALID, "ESDK header field longer than 65535 bytes");
	mao_buf_append_be(out, (uint32_t) n, 2);
	mao_buf_append(out, p, n);
	return MAO_OK;
}

/* Header body in the field order of h->version. */
int
mao_esdk_header_serialize_body(const mao_esdk_header *h, mao_buf *out, mao_err *err)
{
	mao_buf aad = MAO_BUF_INIT;
	int rc;

	if (h->suite == NULL || h->suite->version != h->version)
		return mao_err_set(err, MAO_ERR_INVALID, "ESDK header: suite and version disagree");
	if (h->n_edks == 0 || h->n_edks > 65535)
		return mao_err_set(err, MAO_ERR_INVALID, "ESDK header: need 1 to 65535 encrypted data keys");
	mao_buf_append_be(out, (uint32_t) h->version, 1);
	if (h->version == 1)
		mao_buf_append_be(out, 0x80, 1);
	mao_buf_append_be(out, h->suite->id, 2);
	mao_buf_append(out, h->message_id, h->message_id_len);
	rc = mao_ec_serialize(&h->ec, &aad, err);
	if (rc == MAO_OK)
		rc = put_field(out, aad.data, aad.len, err);
	mao_buf_free(&aad);
	if (rc != MAO_OK)
		return rc;
	mao_buf_append_be(out, (uint32_t) h->n_edks, 2);
	for (size_t i = 0; i < h->n_edks; i++) {
		const mao_esdk_edk *e = &h->edks[i];

		if ((rc = put_field(out, e->provider_id, e->provider_id_len, err)) != MAO_OK ||
			(rc = put_field(out, e->provider_info, e->provider_info_len, err)) != MAO_OK ||
			(rc = put_field(out, e->ciphertext, e->ciphertext_len, err)) != MAO_OK)
			return rc;
	}
	mao_buf_append_be(out, (uint32_t) h->content_type, 1);
	if (h->version == 1) {
		mao_buf_append_be(out, 0, 4);
		mao_buf_append_be(out, (uint32_t) h->suite->iv_len, 1);
	}
	mao_buf_append_be(out, h->frame_length, 4);
	if (h->suite->commitment)
		mao_buf_append(out, h->commitment, 32);
	if (mao_buf_status(out) != MAO_OK)
		return mao_err_set(err, MAO_ERR_NOMEM, "out of memory");
	return MAO_OK;
}

/* v1: IV then tag; v2: tag only (its IV is all zeros). */
int
mao_esdk_header_serialize_auth(const mao_esdk_header *h, mao_buf *out, mao_err *err)
{
	if (h->version == 1)
		mao_buf_append(out, h->iv, h->suite->iv_len);
	mao_buf_append(out, h->tag, MAO_ESDK_TAG_LEN);
	if (mao_buf_status(out) != MAO_OK)
		return mao_err_set(err, MAO_ERR_NOMEM, "out of memory");
	return MAO_OK;
}
