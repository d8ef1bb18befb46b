/*
 * s3.h - Amazon S3: ListObjectsV2, GetObject, HeadObject, PutObject,
 * CopyObject, DeleteObject over a mao_aws_client (REST-XML, SigV4 with
 * x-amz-content-sha256, single URI encoding).
 *
 * Keys are plain UTF-8 strings; this module percent-encodes them for the
 * path (keeping '/'), for the query and for x-amz-copy-source, so any key
 * round-trips (spaces, + % = ~ ? # &, non-ASCII, deep paths).  Addressing
 * (virtual-hosted or path-style) is the AWS layer's (see aws.h).
 *
 * A missing object or bucket gives MAO_ERR_NOT_FOUND (NoSuchKey,
 * NoSuchBucket, or 404 for HEAD); other AWS errors MAO_ERR_AWS with the code
 * in the message.
 */
#ifndef MAO_S3_H
#define MAO_S3_H

#include "aws.h"

#define MAO_S3_ETAG_MAX 128

/* One listed object; key owned by the list result. */
typedef struct mao_s3_object {
	char *key;
	long long size;
	char etag[MAO_S3_ETAG_MAX];   /* with its quotes, as S3 sends it */
	char last_modified[40];       /* ISO 8601 */
} mao_s3_object;

/* One page of ListObjectsV2; owns everything; free with mao_s3_list_result_free(). */
typedef struct mao_s3_list_result {
	mao_s3_object *objects;
	size_t n_objects;
	int is_truncated;
	char *next_continuation_token;  /* NULL when not truncated */
} mao_s3_list_result;

/* Frees what r owns and leaves it empty. */
void mao_s3_list_result_free(mao_s3_list_result *r);

/*
 * ListObjectsV2 of bucket: prefix, continuation_token and start_after may
 * be NULL; max_keys 0 leaves S3's default (1000).  out must be empty (zeroed
 * or freed).  One page per call: call again with
 * out->next_continuation_token while out->is_truncated.
 */
int mao_s3_list_objects_v2(mao_aws_client *client, const char *bucket,
						   const char *prefix, const char *continuation_token,
						   const char *start_after, int max_keys,
						   mao_s3_list_result *out, mao_err *err);

/*
 * GetObject: appends the body to body, refusing (MAO_ERR_TOO_LARGE) one
 * over max_bytes (0: the http client's default cap).  etag (may be NULL)
 * receives the ETag.
 */
int mao_s3_get_object(mao_aws_client *client, const char *bucket,
					  const char *key, size_t max_bytes, mao_buf *body,
					  char etag[MAO_S3_ETAG_MAX], mao_err *err);

/* What HeadObject reports. */
typedef struct mao_s3_head {
	long long size;
	char etag[MAO_S3_ETAG_MAX];
	char content_type[128];
	char sse[32];                 /* x-amz-server-side-encryption, e.g. "aws:kms" */
	char sse_kms_key_id[256];
	char last_modified[64];       /* HTTP date */
} mao_s3_head;

/* HeadObject. */
int mao_s3_head_object(mao_aws_client *client, const char *bucket,
					   const char *key, mao_s3_head *out, mao_err *err);

/* Options of PutObject and CopyObject; NULL fields are left out. */
typedef struct mao_s3_put_options {
	const char *content_type;
	const char *sse;              /* "aws:kms" or "AES256" */
	const char *sse_kms_key_id;   /* with sse "aws:kms" */
	const char *sse_context;      /* x-amz-server-side-encryption-context (base64 JSON) */
	int bucket_key_enabled;
} mao_s3_put_options;

/* PutObject of data[0..len); opts may be NULL; etag (may be NULL) receives the ETag. */
int mao_s3_put_object(mao_aws_client *client, const char *bucket,
					  const char *key, const void *data, size_t len,
					  const mao_s3_put_options *opts,
					  char etag[MAO_S3_ETAG_MAX], mao_err *err);

/*
 * CopyObject from src_bucket/src_key to bucket/key; opts (may be NULL) set
 * the destination's encryption.  A 200 answer whose body is an <Error>
 * (S3 can fail a copy after sending 200) is an error like any other.
 */
int mao_s3_copy_object(mao_aws_client *client, const char *src_bucket,
					   const char *src_key, const char *bucket,
					   const char *key, const mao_s3_put_options *opts,
					   char etag[MAO_S3_ETAG_MAX], mao_err *err);

/* DeleteObject (succeeds for a missing key, as S3 does). */
int mao_s3_delete_object(mao_aws_client *client, const char *bucket,
						 const char *key, mao_err *err);

/* Checks a CopyObject response body: MAO_OK, or MAO_ERR_AWS with the code when it is an <Error>. */
int mao_s3_check_copy_result(mao_aws_response *resp, mao_err *err);

#endif /* MAO_S3_H */
