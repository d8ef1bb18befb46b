/*
 * ship.c - see ship.h.
 */
#include "ship.h"

#include <stdio.h>
#include <string.h>

#include "creds_shared.h"
#include "envelope_ctx.h"
#include "esdk_encrypt.h"
#include "esdk_kms.h"
#include "esdk_kms_aws.h"
#include "gzip.h"
#include "s3.h"

/* See ship.h. */
void
snd_object_key(const snd_settings *s, char *out, size_t len)
{
	snprintf(out, len, "data/%s/%s/%s_%s.json.enc", s->account, s->region, s->run_date, s->interval);
}

/* See ship.h. */
int
snd_seal(const snd_settings *s, const char *json, size_t len, mao_buf *sealed, mao_err *err)
{
	mao_buf gz = MAO_BUF_INIT;
	mao_kms_aws *adapter = NULL;
	mao_kms_ops ops;
	mao_keyring *kr = NULL;
	mao_esdk_encrypt_opts eo;
	mao_ec ec;
	const char *keys[1];
	int rc;

	mao_ec_init(&ec);
	rc = mao_gzip_compress(json, len, 6, &gz, err);
	if (rc == MAO_OK)
		rc = mao_envelope_ctx_set(&ec, s->account, s->region, s->run_date, s->interval, err);
	if (rc == MAO_OK)
		rc = mao_kms_aws_new(s->region, &adapter, err);
	if (rc == MAO_OK) {
		mao_kms_aws_ops(adapter, &ops);
		keys[0] = s->kms_key;
		rc = mao_kms_keyring_new(&ops, keys, 1, &kr, err);
	}
	if (rc == MAO_OK) {
		mao_esdk_encrypt_opts_init(&eo);
		eo.keyrings = &kr;
		eo.n_keyrings = 1;
		eo.ec = &ec;
		eo.frame_length = 65536;
		rc = mao_esdk_encrypt(&eo, gz.data, gz.len, sealed, err);
	}
	mao_keyring_free(kr);
	mao_kms_aws_free(adapter);
	mao_ec_free(&ec);
	mao_buf_free(&gz);
	return rc;
}

/* See ship.h. */
int
snd_ship(const snd_settings *s, const mao_buf *sealed, char *key_out, size_t key_len, mao_err *err)
{
	mao_aws_client_options o;
	mao_aws_client *c = NULL;
	mao_s3_put_options po;
	int rc;

	snd_object_key(s, key_out, key_len);
	memset(&o, 0, sizeof(o));
	o.region = s->region;
	o.creds_fn = mao_creds_shared_get;
	o.creds_ctx = s->creds;
	o.cancel = s->cancel;
	rc = mao_aws_client_new(&o, &c, err);
	if (rc != MAO_OK)
		return rc;
	memset(&po, 0, sizeof(po));
	po.content_type = "application/octet-stream";
	po.sse = "aws:kms";
	po.sse_kms_key_id = s->kms_key;
	rc = mao_s3_put_object(c, s->bucket, key_out, sealed->data, sealed->len, &po, NULL, err);
	mao_aws_client_free(c);
	return rc;
}
