/*
 * esdk_kms_aws.c - KMS keyring operations over lib/kms (see esdk_kms_aws.h).
 */
#include "esdk_kms_aws.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "creds.h"
#include "http.h"
#include "kms.h"

#define MAX_REGIONS 8

struct mao_kms_aws {
	char *region;                /* NULL until needed and resolved */
	char *endpoint_url;          /* NULL: AWS or the environment's */
	const volatile sig_atomic_t *cancel;
	mao_http_client *http;
	mao_creds_provider *creds;
	int own_http, own_creds;     /* made here (freed here) or borrowed */
	struct {
		char region[64];
		mao_aws_client *client;
	} clients[MAX_REGIONS];
	size_t n_clients;
};

/* Copies s into *dst (NULL stays NULL); non-zero when out of memory. */
static int
copy_opt(const char *s, char **dst)
{
	*dst = NULL;
	return s != NULL && s[0] != '\0' && (*dst = strdup(s)) == NULL;
}

/* See esdk_kms_aws.h. */
int
mao_kms_aws_new_with(const mao_kms_aws_options *o, mao_kms_aws **out, mao_err *err)
{
	mao_kms_aws_options none;
	mao_kms_aws *a;
	mao_creds_options co;
	int rc = MAO_OK;

	*out = NULL;
	if (o == NULL) {
		memset(&none, 0, sizeof(none));
		o = &none;
	}
	a = calloc(1, sizeof(*a));
	if (a == NULL)
		return mao_err_set(err, MAO_ERR_NOMEM, "out of memory");
	a->cancel = o->cancel;
	a->http = o->http;
	a->creds = o->creds;
	if (copy_opt(o->region, &a->region) || copy_opt(o->endpoint_url, &a->endpoint_url))
		rc = mao_err_set(err, MAO_ERR_NOMEM, "out of memory");
	if (rc == MAO_OK && a->http == NULL) {
		rc = mao_http_client_new(NULL, &a->http, err);
		a->own_http = rc == MAO_OK;
	}
	if (rc == MAO_OK && a->creds == NULL) {
		memset(&co, 0, sizeof(co));
		co.http = a->http;
		co.region = a->region;
		co.cancel = a->cancel;
		rc = mao_creds_provider_new(&co, &a->creds, err);
		a->own_creds = rc == MAO_OK;
	}
	if (rc != MAO_OK) {
		mao_kms_aws_free(a);
		return rc;
	}
	*out = a;
	return MAO_OK;
}

/* Makes the HTTP client and the credentials chain. */
int
mao_kms_aws_new(const char *region, mao_kms_aws **out, mao_err *err)
{
	mao_kms_aws_options o;

	memset(&o, 0, sizeof(o));
	o.region = region;
	return mao_kms_aws_new_with(&o, out, err);
}

/* Frees clients, credentials, HTTP. */
void
mao_kms_aws_free(mao_kms_aws *a)
{
	if (a == NULL)
		return;
	for (size_t i = 0; i < a->n_clients; i++)
		mao_aws_client_free(a->clients[i].client);
	if (a->own_creds)
		mao_creds_provider_free(a->creds);
	if (a->own_http)
		mao_http_client_free(a->http);
	free(a->region);
	free(a->endpoint_url);
	free(a);
}

/* The client for key_id's region, made on first use. */
static int
client_for(mao_kms_aws *a, const char *key_id, mao_aws_client **out, mao_err *err)
{
	mao_aws_client_options o;
	char region[64];
	int rc;

	if (!mao_arn_region(key_id, region, sizeof(region))) {
		if (a->region == NULL) {
			if (mao_creds_resolve_region(NULL, a->http, region, sizeof(region), err) != MAO_OK)
				return mao_err_set(err, MAO_ERR_CREDENTIALS, "kms: no region for key %s (set AWS_REGION or use a key ARN)",
								   key_id);
			if ((a->region = strdup(region)) == NULL)
				return mao_err_set(err, MAO_ERR_NOMEM, "out of memory");
		}
		snprintf(region, sizeof(region), "%s", a->region);
	}
	for (size_t i = 0; i < a->n_clients; i++)
		if (strcmp(a->clients[i].region, region) == 0) {
			*out = a->clients[i].client;
			return MAO_OK;
		}
	if (a->n_clients == MAX_REGIONS)
		return mao_err_set(err, MAO_ERR_INVALID, "kms: keys in more than %d regions", MAX_REGIONS);
	memset(&o, 0, sizeof(o));
	o.region = region;
	o.creds_fn = mao_creds_get;
	o.creds_ctx = a->creds;
	o.http = a->http;
	o.endpoint_url = a->endpoint_url;
	o.cancel = a->cancel;
	rc = mao_aws_client_new(&o, out, err);
	if (rc != MAO_OK)
		return rc;
	snprintf(a->clients[a->n_clients].region, sizeof(a->clients[0].region), "%s", region);
	a->clients[a->n_clients++].client = *out;
	return MAO_OK;
}

/* The context as name/value pairs for lib/kms (borrowing ec's strings); caller frees. */
static int
ec_pairs(const mao_ec *ec, mao_header **out, mao_err *err)
{
	*out = NULL;
	if (ec == NULL || ec->n == 0)
		return MAO_OK;
	*out = calloc(ec->n, sizeof(**out));
	if (*out == NULL)
		return mao_err_set(err, MAO_ERR_NOMEM, "out of memory");
	for (size_t i = 0; i < ec->n; i++) {
		(*out)[i].name = ec->entries[i].key;
		(*out)[i].value = ec->entries[i].value;
	}
	return MAO_OK;
}

/* GenerateDataKey (lib/kms makes AES_256 keys: 32 bytes). */
static int
op_generate(void *ctx, const char *key_id, const mao_ec *ec, size_t n_bytes,
			mao_buf *plaintext, mao_buf *blob, mao_buf *key_arn, mao_err *err)
{
	mao_kms_aws *a = ctx;
	mao_aws_client *c;
	mao_header *h;
	char arn[2048];
	int rc;

	if (n_bytes != 32)
		return mao_err_set(err, MAO_ERR_INVALID, "kms: only 32-byte data keys (AES-256 suites)");
	if ((rc = client_for(a, key_id, &c, err)) != MAO_OK || (rc = ec_pairs(ec, &h, err)) != MAO_OK)
		return rc;
	arn[0] = '\0';
	rc = mao_kms_generate_data_key(c, key_id, h, ec ? ec->n : 0, plaintext, blob, arn, sizeof(arn), err);
	free(h);
	if (rc == MAO_OK && arn[0] != '\0' && mao_buf_append_str(key_arn, arn) != MAO_OK)
		rc = mao_err_set(err, MAO_ERR_NOMEM, "out of memory");
	return rc;
}

/* Encrypt of an existing data key under a further key. */
static int
op_encrypt(void *ctx, const char *key_id, const mao_ec *ec, const unsigned char *pt,
		   size_t len, mao_buf *blob, mao_buf *key_arn, mao_err *err)
{
	mao_kms_aws *a = ctx;
	mao_aws_client *c;
	mao_header *h;
	int rc;

	(void) key_arn; /* lib/kms does not report the key used; the keyring then records key_id */
	if ((rc = client_for(a, key_id, &c, err)) != MAO_OK || (rc = ec_pairs(ec, &h, err)) != MAO_OK)
		return rc;
	rc = mao_kms_encrypt(c, key_id, h, ec ? ec->n : 0, pt, len, blob, err);
	free(h);
	return rc;
}

/* Decrypt with KeyId set, so KMS refuses a blob made under another key. */
static int
op_decrypt(void *ctx, const char *key_id, const mao_ec *ec, const unsigned char *blob,
		   size_t len, mao_buf *plaintext, mao_buf *key_arn, mao_err *err)
{
	mao_kms_aws *a = ctx;
	mao_aws_client *c;
	mao_header *h;
	int rc;

	(void) key_arn;
	if ((rc = client_for(a, key_id, &c, err)) != MAO_OK || (rc = ec_pairs(ec, &h, err)) != MAO_OK)
		return rc;
	rc = mao_kms_decrypt(c, key_id, h, ec ? ec->n : 0, blob, len, plaintext, err);
	free(h);
	return rc;
}

/* The three operations over this adapter. */
void
mao_kms_aws_ops(mao_kms_aws *a, mao_kms_ops *ops)
{
	ops->ctx = a;
	ops->generate_data_key = op_generate;
	ops->encrypt = op_encrypt;
	ops->decrypt = op_decrypt;
}
