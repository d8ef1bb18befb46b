/*
 * sigv4.h - AWS Signature Version 4 (AWS4-HMAC-SHA256).
 *
 * Two forms:
 *   mao_sigv4_sign()    - returns the headers to add to the request
 *                         (X-Amz-Security-Token, X-Amz-Date,
 *                         x-amz-content-sha256, Authorization);
 *   mao_sigv4_presign() - returns the query string of a presigned URL
 *                         (X-Amz-Algorithm ... X-Amz-Signature).
 * Both also return the intermediate canonical request and string to sign.
 *
 * Inputs are described by a mao_sigv4_request whose strings are all
 * borrowed: the signer reads them during the call and keeps no pointer.
 * Outputs go to a mao_sigv4_result that owns its strings; release it with
 * mao_sigv4_result_free().
 *
 * The path and query are the *wire* forms, i.e. exactly what will be sent
 * in the request line (already percent-encoded by the caller; build them
 * with mao_buf_append_uri_encoded()).  Canonicalisation then follows AWS:
 *   - services other than S3 (mao_sigv4_request_init): dot segments and
 *     duplicate slashes are removed and the wire path is URI-encoded again
 *     ("double encoding": a wire "%20" is signed as "%2520");
 *   - S3 (mao_sigv4_request_init_s3): the path is not normalised and is
 *     encoded once: the wire path is decoded and re-encoded, so a correctly
 *     encoded key is signed exactly as sent;
 *   - the query is split on '&' and the first '=', each key and value is
 *     decoded and re-encoded (RFC 3986 unreserved characters stay; '+' is a
 *     literal plus), pairs are sorted by encoded key, then value.
 *
 * Canonical headers: names lowercased; values trimmed, inner runs of
 * whitespace (including folded continuation lines) collapsed to one space;
 * repeated names merged with ',' in the order given.  Hop-by-hop headers,
 * User-Agent and X-Amzn-Trace-Id are never signed (as botocore does).
 * A Host header is required.
 *
 * Secrets: the secret access key and derived keys never leave this module
 * and never appear in an error message.  The session token appears, by
 * necessity, in the output headers or query and in the canonical request:
 * do not log those.
 *
 * No global state: everything lives in the request, the result and the
 * optional caller-owned key cache.  Not thread-safe per cache.
 */
#ifndef MAO_SIGV4_H
#define MAO_SIGV4_H

#include <stddef.h>
#include <time.h>

#include "buf.h"
#include "crypto_util.h"
#include "err.h"

#define MAO_SIGV4_ALGORITHM "AWS4-HMAC-SHA256"
#define MAO_SIGV4_UNSIGNED_PAYLOAD "UNSIGNED-PAYLOAD"
#define MAO_SIGV4_DEFAULT_EXPIRES 3600L
#define MAO_SIGV4_MAX_EXPIRES 604800L /* seven days, AWS's limit */
#define MAO_SIGV4_SIGNATURE_HEX_LEN 64
#define MAO_SIGV4_MAX_ADDED_HEADERS 4

/* One HTTP header; both strings borrowed. */
typedef struct mao_header {
	const char *name;
	const char *value;
} mao_header;

/* Credentials to sign with; all strings borrowed. */
typedef struct mao_sigv4_credentials {
	const char *access_key_id;
	const char *secret_access_key;
	const char *session_token; /* NULL or "" when there is none */
} mao_sigv4_credentials;

/*
 * A caller-owned cache of one derived signing key.  The key depends on the
 * secret, the date (YYYYMMDD), the region and the service only, so it can
 * be reused for a whole day of requests to one service.  A change of any of
 * them (including credential rotation) derives a new key.  Initialise with
 * mao_sigv4_key_cache_init(); wipe with mao_sigv4_key_cache_clear() before
 * discarding.  No heap memory inside.
 */
typedef struct mao_sigv4_key_cache {
	int valid;
	char date[9];
	char region[64];
	char service[64];
	unsigned char creds_digest[MAO_SHA256_LEN]; /* SHA-256(key id, NUL, secret) */
	unsigned char key[MAO_SHA256_LEN];
	unsigned long hits;   /* statistics, for tests */
	unsigned long misses;
} mao_sigv4_key_cache;

/* A request to sign.  Initialise with mao_sigv4_request_init[_s3]() and then set fields. */
typedef struct mao_sigv4_request {
	/* What is sent. */
	const char *method;        /* "GET", "PUT", ... */
	const char *path;          /* wire path, starts with '/'; NULL or "" means "/" */
	const char *query;         /* wire query without '?'; NULL or "" for none */
	const mao_header *headers; /* must include Host */
	size_t n_headers;
	const void *payload;       /* body hashed when payload_hash is NULL */
	size_t payload_len;
	const char *payload_hash;  /* lowercase hex SHA-256 of the body, or
								* MAO_SIGV4_UNSIGNED_PAYLOAD, or NULL: hash
								* the payload (UNSIGNED-PAYLOAD when
								* presigning for service "s3") */
	/* Who and where. */
	const mao_sigv4_credentials *creds;
	const char *region;        /* e.g. "us-east-1" */
	const char *service;       /* e.g. "s3", "kms", "sts" */
	time_t timestamp;          /* signing time, UTC seconds */
	/* How. */
	int normalize_path;        /* remove dot segments and duplicate slashes */
	int double_encode_path;    /* encode the wire path again (all but S3) */
	int sign_body;             /* header form: add and sign x-amz-content-sha256 */
	int omit_session_token;    /* add the token after signing, unsigned */
	long expires;              /* presign: validity in seconds, 1..604800 */
	mao_sigv4_key_cache *key_cache; /* optional, caller-owned */
} mao_sigv4_request;

/* A header added by the signer: name is a static string, value is owned. */
typedef struct mao_sigv4_added_header {
	const char *name;
	char *value;
} mao_sigv4_added_header;

/*
 * The outcome of signing.  All pointers are owned by the result and freed
 * by mao_sigv4_result_free().
 */
typedef struct mao_sigv4_result {
	char *canonical_request;  /* may contain the session token: do not log */
	char *string_to_sign;
	char *credential_scope;   /* "YYYYMMDD/region/service/aws4_request" */
	char *signed_headers;     /* "host;x-amz-date" */
	char signature[MAO_SIGV4_SIGNATURE_HEX_LEN + 1];
	/* mao_sigv4_sign(): headers to add, in this order:
	 * X-Amz-Security-Token (when there is a token), X-Amz-Date,
	 * x-amz-content-sha256 (when sign_body), Authorization. */
	mao_sigv4_added_header headers[MAO_SIGV4_MAX_ADDED_HEADERS];
	size_t n_headers;
	/* mao_sigv4_presign(): the full query string to send, without '?':
	 * the original query, then X-Amz-Algorithm, X-Amz-Credential,
	 * X-Amz-Date, X-Amz-SignedHeaders, X-Amz-Expires,
	 * X-Amz-Security-Token (when there is a token), X-Amz-Signature. */
	char *query;
} mao_sigv4_result;

/*
 * Defaults for every service but S3: normalize_path and double_encode_path
 * on, sign_body off, expires 3600; everything else zero/NULL.
 */
void mao_sigv4_request_init(mao_sigv4_request *req);

/*
 * Defaults for S3: no normalisation, single encoding, sign_body on (S3
 * requires x-amz-content-sha256), service "s3", expires 3600.  For an
 * unsigned body set payload_hash = MAO_SIGV4_UNSIGNED_PAYLOAD.  Presigned
 * S3 URLs use UNSIGNED-PAYLOAD whenever payload_hash is NULL.
 */
void mao_sigv4_request_init_s3(mao_sigv4_request *req);

/* Makes res empty; safe to pass to mao_sigv4_result_free() afterwards. */
void mao_sigv4_result_init(mao_sigv4_result *res);

/* Frees everything res owns and leaves it empty. */
void mao_sigv4_result_free(mao_sigv4_result *res);

/*
 * Signs req for the Authorization header form.  res is overwritten (it must
 * not hold allocations: init or free it first); on failure it is left
 * empty and err says why.  Returns MAO_OK, MAO_ERR_INVALID, MAO_ERR_NOMEM
 * or MAO_ERR_CRYPTO.
 */
int mao_sigv4_sign(const mao_sigv4_request *req, mao_sigv4_result *res,
				   mao_err *err);

/*
 * Signs req as a presigned URL valid for req->expires seconds.  Only the
 * caller's headers are signed (Host at least).  Same contract as
 * mao_sigv4_sign(); the query to send is res->query.
 */
int mao_sigv4_presign(const mao_sigv4_request *req, mao_sigv4_result *res,
					  mao_err *err);

/* Empties a key cache. */
void mao_sigv4_key_cache_init(mao_sigv4_key_cache *cache);

/* Wipes a key cache (call before discarding it). */
void mao_sigv4_key_cache_clear(mao_sigv4_key_cache *cache);

/*
 * Derives the SigV4 signing key
 *   HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request")
 * into key.  date is "YYYYMMDD".  With a cache (may be NULL) a matching
 * cached key is returned without recomputation, and a new one is stored.
 * The caller should wipe key (mao_secure_zero) when done.
 */
int mao_sigv4_signing_key(const mao_sigv4_credentials *creds,
						  const char *date, const char *region,
						  const char *service, mao_sigv4_key_cache *cache,
						  unsigned char key[MAO_SHA256_LEN], mao_err *err);

/* ---- building blocks (exposed for tests and for checking signatures) ---- */

/*
 * Appends the canonical URI of a wire path to out (see the file comment).
 * Returns MAO_OK, MAO_ERR_NOMEM, or MAO_ERR_INVALID for a path that does
 * not start with '/'.
 */
int mao_sigv4_canonical_uri(const char *path, int normalize,
							int double_encode, mao_buf *out);

/*
 * Appends the canonical query string of a wire query plus extra parameters
 * (raw, unencoded names and values, e.g. the X-Amz-* presign parameters;
 * may be NULL when n_extra is 0).  Empty pieces ("a=1&&b=2") are skipped;
 * a key without '=' gets an empty value.
 */
int mao_sigv4_canonical_query(const char *query, const mao_header *extra,
							  size_t n_extra, mao_buf *out);

/*
 * Appends the canonical header block ("name:value\n" per distinct name, in
 * order) to canonical and the signed header list ("a;b;c") to signed_names.
 * Unsigned headers (see the file comment) are skipped.  Rejects invalid
 * names and bare CR/LF in values with MAO_ERR_INVALID (values are never
 * quoted in err).
 */
int mao_sigv4_canonical_headers(const mao_header *headers, size_t n,
								mao_buf *canonical, mao_buf *signed_names,
								mao_err *err);

/* Non-zero if a header of this name (any case) is never signed. */
int mao_sigv4_header_is_unsigned(const char *name);

#endif /* MAO_SIGV4_H */
