/*
 * kms.c - KMS JSON 1.1 calls (see kms.h).
 */
#include "kms.h"

#include <stdio.h>
#include <string.h>

#include <cJSON.h>

#include "codec.h"
#include "crypto_util.h"

/* Appends ,"EncryptionContext":{...} when there is a context. */
static void
add_context(mao_buf *b, const mao_header *ctx, size_t n)
{
	size_t i;

	if (n == 0)
		return;
	mao_buf_append_str(b, ",\"EncryptionContext\":{");
	for (i = 0; i < n; i++) {
		if (i > 0)
			mao_buf_append_char(b, ',');
		mao_json_append_string(b, ctx[i].name);
		mao_buf_append_char(b, ':');
		mao_json_append_string(b, ctx[i].value);
	}
	mao_buf_append_char(b, '}');
}

/* POSTs a JSON body to KMS operation op; on success *json is the parsed response (caller deletes). */
static int
kms_post(mao_aws_client *c, const char *op, mao_buf *body, cJSON **json,
		 mao_err *err)
{
	char target[64];
	mao_header h[2];
	mao_aws_request req;
	mao_aws_response r;
	int rc;

	*json = NULL;
	if (mao_buf_status(body) != MAO_OK)
		return mao_err_set(err, MAO_ERR_NOMEM, "out of memory");
	snprintf(target, sizeof(target), "TrentService.%s", op);
	h[0].name = "Content-Type";
	h[0].value = "application/x-amz-json-1.1";
	h[1].name = "X-Amz-Target";
	h[1].value = target;
	memset(&req, 0, sizeof(req));
	req.service = "kms";
	req.method = "POST";
	req.path = "/";
	req.headers = h;
	req.n_headers = 2;
	req.body = body->data;
	req.body_len = body->len;
	mao_aws_response_init(&r);
	rc = mao_aws_call(c, &req, &r, err);
	if (rc == MAO_OK) {
		*json = cJSON_ParseWithLength(r.http.body.data ? r.http.body.data : "", r.http.body.len);
		if (*json == NULL)
			rc = mao_err_set(err, MAO_ERR_INVALID, "kms %s: the response is not JSON", op);
	} else if (rc == MAO_ERR_AWS) {
		mao_err_set(err, rc, "kms %s: %s (HTTP %ld, %d attempt%s, request id %s): %s", op, r.code,
					r.http.http_status, r.attempts, r.attempts == 1 ? "" : "s",
					r.request_id[0] ? r.request_id : "none",
					r.message[0] ? r.message : "no message");
	}
	mao_aws_response_free(&r);   /* wipes the body */
	return rc;
}

/* Decodes the base64 string member `name` of j into out; wipes the JSON copy. */
static int
take_b64(cJSON *j, const char *name, mao_buf *out, const char *op, mao_err *err)
{
	cJSON *v = cJSON_GetObjectItemCaseSensitive(j, name);
	int rc;

	if (!cJSON_IsString(v) || v->valuestring == NULL)
		return mao_err_set(err, MAO_ERR_INVALID, "kms %s: no %s in the response", op, name);
	rc = mao_base64_decode(out, v->valuestring, strlen(v->valuestring));
	mao_secure_zero(v->valuestring, strlen(v->valuestring));
	if (rc != MAO_OK)
		return mao_err_set(err, rc, "kms %s: bad base64 in %s", op, name);
	return MAO_OK;
}

/* Starts a JSON body with the key id (if any). */
static void
start_body(mao_buf *b, const char *key_id)
{
	mao_buf_append_char(b, '{');
	if (key_id != NULL) {
		mao_buf_append_str(b, "\"KeyId\":");
		mao_json_append_string(b, key_id);
	}
}

/* GenerateDataKey AES_256. */
int
mao_kms_generate_data_key(mao_aws_client *c, const char *key_id,
						  const mao_header *ctx, size_t n_ctx,
						  mao_buf *plaintext, mao_buf *ciphertext,
						  char *key_arn, size_t key_arn_len, mao_err *err)
{
	mao_buf body = MAO_BUF_INIT;
	cJSON *j;
	int rc;

	if (key_id == NULL)
		return mao_err_set(err, MAO_ERR_INVALID, "kms GenerateDataKey: a key id is required");
	start_body(&body, key_id);
	mao_buf_append_str(&body, ",\"KeySpec\":\"AES_256\"");
	add_context(&body, ctx, n_ctx);
	mao_buf_append_char(&body, '}');
	rc = kms_post(c, "GenerateDataKey", &body, &j, err);
	if (rc == MAO_OK) {
		rc = take_b64(j, "Plaintext", plaintext, "GenerateDataKey", err);
		if (rc == MAO_OK)
			rc = take_b64(j, "CiphertextBlob", ciphertext, "GenerateDataKey", err);
		if (rc == MAO_OK && plaintext->len != 32)
			rc = mao_err_set(err, MAO_ERR_INVALID, "kms GenerateDataKey: data key is not 32 bytes");
		if (rc == MAO_OK && key_arn != NULL && key_arn_len > 0) {
			cJSON *k = cJSON_GetObjectItemCaseSensitive(j, "KeyId");

			snprintf(key_arn, key_arn_len, "%s", cJSON_IsString(k) ? k->valuestring : "");
		}
		cJSON_Delete(j);
	}
	mao_buf_free(&body);
	return rc;
}

/* Encrypt. */
int
mao_kms_encrypt(mao_aws_client *c, const char *key_id, const mao_header *ctx,
				size_t n_ctx, const void *data, size_t len, mao_buf *ciphertext,
				mao_err *err)
{
	mao_buf body = MAO_BUF_INIT;
	cJSON *j;
	int rc;

	if (key_id == NULL || len == 0 || len > 4096)
		return mao_err_set(err, MAO_ERR_INVALID, "kms Encrypt: a key id and 1..4096 bytes are required");
	start_body(&body, key_id);
	mao_buf_append_str(&body, ",\"Plaintext\":\"");
	mao_base64_encode(&body, data, len);
	mao_buf_append_char(&body, '"');
	add_context(&body, ctx, n_ctx);
	mao_buf_append_char(&body, '}');
	rc = kms_post(c, "Encrypt", &body, &j, err);
	mao_buf_free(&body);         /* wipes the plaintext */
	if (rc == MAO_OK) {
		rc = take_b64(j, "CiphertextBlob", ciphertext, "Encrypt", err);
		cJSON_Delete(j);
	}
	return rc;
}

/* Decrypt. */
int
mao_kms_decrypt(mao_aws_client *c, const char *key_id, const mao_header *ctx,
				size_t n_ctx, const void *blob, size_t len, mao_buf *plaintext,
				mao_err *err)
{
	mao_buf body = MAO_BUF_INIT;
	cJSON *j;
	int rc;

	if (len == 0)
		return mao_err_set(err, MAO_ERR_INVALID, "kms Decrypt: empty ciphertext");
	start_body(&body, key_id);
	mao_buf_append_str(&body, key_id != NULL ? ",\"CiphertextBlob\":\"" : "\"CiphertextBlob\":\"");
	mao_base64_encode(&body, blob, len);
	mao_buf_append_char(&body, '"');
	add_context(&body, ctx, n_ctx);
	mao_buf_append_char(&body, '}');
	rc = kms_post(c, "Decrypt", &body, &j, err);
	if (rc == MAO_OK) {
		rc = take_b64(j, "Plaintext", plaintext, "Decrypt", err);
		cJSON_Delete(j);
	}
	mao_buf_free(&body);
	return rc;
}
