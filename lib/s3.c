/*
 * s3.c - S3 object operations (see s3.h).
 */
#include "s3.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xml.h"

#define MAX_HEADERS 8

/* Builds "/<encoded key>" into path. */
static int
key_path(mao_buf *path, const char *key, mao_err *err)
{
	if (key == NULL || key[0] == '\0')
		return mao_err_set(err, MAO_ERR_INVALID, "s3: an object key is required");
	mao_buf_append_char(path, '/');
	mao_buf_append_uri_encoded(path, key, strlen(key), 0);
	return mao_buf_status(path) == MAO_OK ? MAO_OK : mao_err_set(err, MAO_ERR_NOMEM, "out of memory");
}

/* Copies a response header into dst (empty when absent). */
static void
copy_header(const mao_aws_response *r, const char *name, char *dst, size_t len)
{
	const char *v = mao_http_response_header(&r->http, name);

	snprintf(dst, len, "%s", v ? v : "");
}

/* Sends one S3 request; maps missing objects to MAO_ERR_NOT_FOUND and names the operation in err. */
static int
s3_call(mao_aws_client *c, const char *op, const char *method,
		const char *bucket, const char *path, const char *query,
		const mao_header *h, size_t nh, const void *body, size_t len,
		size_t max_bytes, mao_aws_response *r, mao_err *err)
{
	mao_aws_request req;
	int rc;

	memset(&req, 0, sizeof(req));
	req.error_in_200 = strcmp(op, "CopyObject") == 0;
	req.service = "s3";
	req.method = method;
	req.bucket = bucket;
	req.path = path;
	req.query = query;
	req.headers = h;
	req.n_headers = nh;
	req.body = body;
	req.body_len = len;
	req.max_response_bytes = max_bytes;
	rc = mao_aws_call(c, &req, r, err);
	if (rc == MAO_ERR_AWS) {
		if (strcmp(r->code, "NoSuchKey") == 0 || strcmp(r->code, "NoSuchBucket") == 0 ||
			strcmp(r->code, "NotFound") == 0)
			rc = MAO_ERR_NOT_FOUND;
		mao_err_set(err, rc, "s3 %s %s: %s (HTTP %ld, %d attempt%s, request id %s): %s",
					op, bucket, r->code, r->http.http_status, r->attempts,
					r->attempts == 1 ? "" : "s",
					r->request_id[0] ? r->request_id : "none",
					r->message[0] ? r->message : "no message");
	} else if (rc != MAO_OK) {
		char inner[MAO_ERR_MSG_MAX];

		snprintf(inner, sizeof(inner), "%s", err ? err->msg : "");
		mao_err_set(err, rc, "s3 %s %s: %s", op, bucket, inner);
	}
	return rc;
}

/* Adds the encryption and content-type headers of opts to h; returns the new count. */
static size_t
put_headers(const mao_s3_put_options *o, mao_header *h, size_t n)
{
	if (o == NULL)
		return n;
	if (o->content_type) {
		h[n].name = "Content-Type";
		h[n++].value = o->content_type;
	}
	if (o->sse) {
		h[n].name = "x-amz-server-side-encryption";
		h[n++].value = o->sse;
	}
	if (o->sse_kms_key_id) {
		h[n].name = "x-amz-server-side-encryption-aws-kms-key-id";
		h[n++].value = o->sse_kms_key_id;
	}
	if (o->sse_context) {
		h[n].name = "x-amz-server-side-encryption-context";
		h[n++].value = o->sse_context;
	}
	if (o->bucket_key_enabled) {
		h[n].name = "x-amz-server-side-encryption-bucket-key-enabled";
		h[n++].value = "true";
	}
	return n;
}

/* Frees a list result. */
void
mao_s3_list_result_free(mao_s3_list_result *r)
{
	size_t i;

	for (i = 0; i < r->n_objects; i++)
		free(r->objects[i].key);
	free(r->objects);
	free(r->next_continuation_token);
	memset(r, 0, sizeof(*r));
}

/* Appends "&name=value" with the value encoded, unless value is NULL. */
static void
add_query(mao_buf *q, const char *name, const char *value)
{
	if (value == NULL)
		return;
	mao_buf_printf(q, "&%s=", name);
	mao_buf_append_uri_encoded(q, value, strlen(value), 1);
}

/* Copies the decoded text of element name within [s, s+len) into dst. */
static void
xml_copy(const char *s, size_t len, const char *name, char *dst, size_t dlen)
{
	char *t = mao_xml_text_dup(s, len, name);

	snprintf(dst, dlen, "%s", t ? t : "");
	free(t);
}

/* Parses a ListBucketResult page into out. */
static int
parse_list(const mao_buf *body, mao_s3_list_result *out, mao_err *err)
{
	const char *doc = body->data ? body->data : "", *end = doc + body->len, *p = doc, *c;
	size_t cl, cap = 0;
	char tmp[32];

	while (mao_xml_next(&p, end, "Contents", &c, &cl)) {
		mao_s3_object *o;

		if (out->n_objects == cap) {
			size_t ncap = cap ? cap * 2 : 64;
			mao_s3_object *no = realloc(out->objects, ncap * sizeof(*no));

			if (no == NULL)
				return mao_err_set(err, MAO_ERR_NOMEM, "out of memory");
			out->objects = no;
			cap = ncap;
		}
		o = &out->objects[out->n_objects];
		memset(o, 0, sizeof(*o));
		o->key = mao_xml_text_dup(c, cl, "Key");
		if (o->key == NULL)
			return mao_err_set(err, MAO_ERR_INVALID, "s3 ListObjectsV2: an entry without a Key");
		out->n_objects++;
		xml_copy(c, cl, "Size", tmp, sizeof(tmp));
		o->size = strtoll(tmp, NULL, 10);
		xml_copy(c, cl, "ETag", o->etag, sizeof(o->etag));
		xml_copy(c, cl, "LastModified", o->last_modified, sizeof(o->last_modified));
	}
	/* the page's own fields come after the last Contents */
	xml_copy(doc, body->len, "IsTruncated", tmp, sizeof(tmp));
	out->is_truncated = strcmp(tmp, "true") == 0;
	if (out->is_truncated) {
		out->next_continuation_token = mao_xml_text_dup(doc, body->len, "NextContinuationToken");
		if (out->next_continuation_token == NULL)
			return mao_err_set(err, MAO_ERR_INVALID, "s3 ListObjectsV2: truncated without a continuation token");
	}
	return MAO_OK;
}

/* ListObjectsV2, one page. */
int
mao_s3_list_objects_v2(mao_aws_client *c, const char *bucket,
					   const char *prefix, const char *token,
					   const char *start_after, int max_keys,
					   mao_s3_list_result *out, mao_err *err)
{
	mao_buf q = MAO_BUF_INIT;
	mao_aws_response r;
	int rc;

	memset(out, 0, sizeof(*out));
	mao_buf_append_str(&q, "list-type=2");
	add_query(&q, "prefix", prefix);
	add_query(&q, "continuation-token", token);
	add_query(&q, "start-after", start_after);
	if (max_keys > 0)
		mao_buf_printf(&q, "&max-keys=%d", max_keys);
	if (mao_buf_status(&q) != MAO_OK)
		return mao_err_set(err, MAO_ERR_NOMEM, "out of memory");
	mao_aws_response_init(&r);
	rc = s3_call(c, "ListObjectsV2", "GET", bucket, "/", mao_buf_cstr(&q), NULL, 0,
				 NULL, 0, 0, &r, err);
	if (rc == MAO_OK) {
		rc = parse_list(&r.http.body, out, err);
		if (rc != MAO_OK)
			mao_s3_list_result_free(out);
	}
	mao_aws_response_free(&r);
	mao_buf_free(&q);
	return rc;
}

/* GetObject. */
int
mao_s3_get_object(mao_aws_client *c, const char *bucket, const char *key,
				  size_t max_bytes, mao_buf *body, char etag[MAO_S3_ETAG_MAX],
				  mao_err *err)
{
	mao_buf path = MAO_BUF_INIT;
	mao_aws_response r;
	int rc = key_path(&path, key, err);

	mao_aws_response_init(&r);
	if (rc == MAO_OK)
		rc = s3_call(c, "GetObject", "GET", bucket, mao_buf_cstr(&path), NULL, NULL, 0,
					 NULL, 0, max_bytes, &r, err);
	if (rc == MAO_OK) {
		if (etag != NULL)
			copy_header(&r, "ETag", etag, MAO_S3_ETAG_MAX);
		if (mao_buf_append(body, r.http.body.data, r.http.body.len) != MAO_OK)
			rc = mao_err_set(err, MAO_ERR_NOMEM, "out of memory");
	}
	mao_aws_response_free(&r);
	mao_buf_free(&path);
	return rc;
}

/* HeadObject. */
int
mao_s3_head_object(mao_aws_client *c, const char *bucket, const char *key,
				   mao_s3_head *out, mao_err *err)
{
	mao_buf path = MAO_BUF_INIT;
	mao_aws_response r;
	int rc = key_path(&path, key, err);

	memset(out, 0, sizeof(*out));
	mao_aws_response_init(&r);
	if (rc == MAO_OK)
		rc = s3_call(c, "HeadObject", "HEAD", bucket, mao_buf_cstr(&path), NULL, NULL, 0,
					 NULL, 0, 0, &r, err);
	if (rc == MAO_OK) {
		const char *len = mao_http_response_header(&r.http, "Content-Length");

		out->size = len ? strtoll(len, NULL, 10) : -1;
		copy_header(&r, "ETag", out->etag, sizeof(out->etag));
		copy_header(&r, "Content-Type", out->content_type, sizeof(out->content_type));
		copy_header(&r, "x-amz-server-side-encryption", out->sse, sizeof(out->sse));
		copy_header(&r, "x-amz-server-side-encryption-aws-kms-key-id", out->sse_kms_key_id,
					sizeof(out->sse_kms_key_id));
		copy_header(&r, "Last-Modified", out->last_modified, sizeof(out->last_modified));
	}
	mao_aws_response_free(&r);
	mao_buf_free(&path);
	return rc;
}

/* PutObject. */
int
mao_s3_put_object(mao_aws_client *c, const char *bucket, const char *key,
				  const void *data, size_t len, const mao_s3_put_options *opts,
				  char etag[MAO_S3_ETAG_MAX], mao_err *err)
{
	mao_buf path = MAO_BUF_INIT;
	mao_aws_response r;
	mao_header h[MAX_HEADERS];
	size_t nh = put_headers(opts, h, 0);
	int rc = key_path(&path, key, err);

	mao_aws_response_init(&r);
	if (rc == MAO_OK)
		rc = s3_call(c, "PutObject", "PUT", bucket, mao_buf_cstr(&path), NULL, h, nh,
					 data, len, 0, &r, err);
	if (rc == MAO_OK && etag != NULL)
		copy_header(&r, "ETag", etag, MAO_S3_ETAG_MAX);
	mao_aws_response_free(&r);
	mao_buf_free(&path);
	return rc;
}

/* Checks a CopyObject body for the 200-with-<Error> case. */
int
mao_s3_check_copy_result(mao_aws_response *r, mao_err *err)
{
	const mao_buf *b = &r->http.body;
	const char *c;
	size_t cl;

	if (b->len > 0 && !mao_xml_find(b->data, b->len, "CopyObjectResult", &c, &cl) &&
		mao_xml_find(b->data, b->len, "Error", &c, &cl)) {
		mao_aws_parse_error(r);
		return mao_err_set(err, MAO_ERR_AWS,
						   "s3 CopyObject: %s (HTTP %ld with an error body, request id %s): %s",
						   r->code, r->http.http_status,
						   r->request_id[0] ? r->request_id : "none",
						   r->message[0] ? r->message : "no message");
	}
	if (b->len == 0 || !mao_xml_find(b->data, b->len, "CopyObjectResult", &c, &cl))
		return mao_err_set(err, MAO_ERR_AWS, "s3 CopyObject: HTTP %ld without a CopyObjectResult",
						   r->http.http_status);
	return MAO_OK;
}

/* CopyObject. */
int
mao_s3_copy_object(mao_aws_client *c, const char *src_bucket,
				   const char *src_key, const char *bucket, const char *key,
				   const mao_s3_put_options *opts, char etag[MAO_S3_ETAG_MAX],
				   mao_err *err)
{
	mao_buf path = MAO_BUF_INIT, src = MAO_BUF_INIT;
	mao_aws_response r;
	mao_header h[MAX_HEADERS];
	size_t nh = 0;
	int rc = key_path(&path, key, err);

	if (rc == MAO_OK && (src_bucket == NULL || src_key == NULL || src_key[0] == '\0'))
		rc = mao_err_set(err, MAO_ERR_INVALID, "s3 CopyObject: a source bucket and key are required");
	mao_buf_append_uri_encoded(&src, src_bucket ? src_bucket : "", src_bucket ? strlen(src_bucket) : 0, 1);
	mao_buf_append_char(&src, '/');
	mao_buf_append_uri_encoded(&src, src_key ? src_key : "", src_key ? strlen(src_key) : 0, 0);
	h[nh].name = "x-amz-copy-source";
	h[nh++].value = mao_buf_cstr(&src);
	nh = put_headers(opts, h, nh);
	mao_aws_response_init(&r);
	if (rc == MAO_OK && mao_buf_status(&src) != MAO_OK)
		rc = mao_err_set(err, MAO_ERR_NOMEM, "out of memory");
	if (rc == MAO_OK)
		rc = s3_call(c, "CopyObject", "PUT", bucket, mao_buf_cstr(&path), NULL, h, nh,
					 NULL, 0, 0, &r, err);
	if (rc == MAO_OK)
		rc = mao_s3_check_copy_result(&r, err);
	if (rc == MAO_OK && etag != NULL)
		xml_copy(r.http.body.data, r.http.body.len, "ETag", etag, MAO_S3_ETAG_MAX);
	mao_aws_response_free(&r);
	mao_buf_free(&path);
	mao_buf_free(&src);
	return rc;
}

/* DeleteObject. */
int
mao_s3_delete_object(mao_aws_client *c, const char *bucket, const char *key,
					 mao_err *err)
{
	mao_buf path = MAO_BUF_INIT;
	mao_aws_response r;
	int rc = key_path(&path, key, err);

	mao_aws_response_init(&r);
	if (rc == MAO_OK)
		rc = s3_call(c, "DeleteObject", "DELETE", bucket, mao_buf_cstr(&path), NULL, NULL, 0,
					 NULL, 0, 0, &r, err);
	mao_aws_response_free(&r);
	mao_buf_free(&path);
	return rc;
}
