/*
 * sigv4.c - AWS Signature Version 4: signing key, canonical request,
 * string to sign, Authorization header and presigned query (see sigv4.h).
 */
#include "sigv4.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "timeutil.h"

#define TERMINATOR "aws4_request"

/* Names of the presign query parameters the signer owns. */
static const char *const presign_params[] = {
	"X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires",
	"X-Amz-SignedHeaders", "X-Amz-Security-Token", "X-Amz-Signature", NULL
};

/* Sets the defaults for every service except S3. */
void
mao_sigv4_request_init(mao_sigv4_request *req)
{
	memset(req, 0, sizeof(*req));
	req->normalize_path = 1;
	req->double_encode_path = 1;
	req->expires = MAO_SIGV4_DEFAULT_EXPIRES;
}

/* Sets the defaults for S3. */
void
mao_sigv4_request_init_s3(mao_sigv4_request *req)
{
	memset(req, 0, sizeof(*req));
	req->service = "s3";
	req->sign_body = 1;
	req->expires = MAO_SIGV4_DEFAULT_EXPIRES;
}

/* Makes res empty. */
void
mao_sigv4_result_init(mao_sigv4_result *res)
{
	memset(res, 0, sizeof(*res));
}

/* Frees every string res owns and empties it. */
void
mao_sigv4_result_free(mao_sigv4_result *res)
{
	size_t i;

	free(res->canonical_request);
	free(res->string_to_sign);
	free(res->credential_scope);
	free(res->signed_headers);
	for (i = 0; i < res->n_headers && i < MAO_SIGV4_MAX_ADDED_HEADERS; i++)
		free(res->headers[i].value);
	free(res->query);
	mao_sigv4_result_init(res);
}

/* ---------------------------------------------------------- key cache */

/* Empties a key cache. */
void
mao_sigv4_key_cache_init(mao_sigv4_key_cache *cache)
{
	memset(cache, 0, sizeof(*cache));
}

/* Wipes a key cache, including the cached key. */
void
mao_sigv4_key_cache_clear(mao_sigv4_key_cache *cache)
{
	mao_secure_zero(cache, sizeof(*cache));
}

/*
 * Digest identifying a credential pair, so that a cache notices rotation
 * without keeping the secret: SHA-256(key id, NUL, secret).
 */
static int
creds_digest(const mao_sigv4_credentials *creds,
			 unsigned char out[MAO_SHA256_LEN])
{
	mao_buf b = MAO_BUF_INIT;
	int rc;

	mao_buf_append_str(&b, creds->access_key_id);
	mao_buf_append_char(&b, '\0');
	mao_buf_append_str(&b, creds->secret_access_key);
	rc = mao_buf_status(&b);
	if (rc == MAO_OK)
		rc = mao_sha256(b.data, b.len, out);
	mao_buf_free(&b); /* wipes */
	return rc;
}

/* Derives (or fetches from the cache) the signing key for date/region/service. */
int
mao_sigv4_signing_key(const mao_sigv4_credentials *creds, const char *date,
					  const char *region, const char *service,
					  mao_sigv4_key_cache *cache,
					  unsigned char key[MAO_SHA256_LEN], mao_err *err)
{
	unsigned char digest[MAO_SHA256_LEN], k1[MAO_SHA256_LEN], k2[MAO_SHA256_LEN];
	mao_buf secret = MAO_BUF_INIT;
	int rc, i;

	if (creds == NULL || creds->access_key_id == NULL ||
		creds->secret_access_key == NULL || creds->secret_access_key[0] == '\0')
		return mao_err_set(err, MAO_ERR_INVALID, "credentials are missing");
	if (date == NULL || strlen(date) != 8 || region == NULL || service == NULL)
		return mao_err_set(err, MAO_ERR_INVALID,
						   "signing key needs a YYYYMMDD date, a region and a service");
	for (i = 0; i < 8; i++)
		if (date[i] < '0' || date[i] > '9')
			return mao_err_set(err, MAO_ERR_INVALID,
							   "signing key needs a YYYYMMDD date");
	if (cache != NULL) {
		rc = creds_digest(creds, digest);
		if (rc != MAO_OK)
			return mao_err_set(err, rc, "cannot hash the credentials");
		if (cache->valid && strcmp(cache->date, date) == 0 &&
			strcmp(cache->region, region) == 0 &&
			strcmp(cache->service, service) == 0 &&
			mao_mem_equal_ct(cache->creds_digest, digest, sizeof(digest))) {
			memcpy(key, cache->key, MAO_SHA256_LEN);
			cache->hits++;
			return MAO_OK;
		}
	}

	mao_buf_append_str(&secret, "AWS4");
	mao_buf_append_str(&secret, creds->secret_access_key);
	rc = mao_buf_status(&secret);
	if (rc == MAO_OK)
		rc = mao_hmac_sha256(secret.data, secret.len, date, 8, k1);
	if (rc == MAO_OK)
		rc = mao_hmac_sha256(k1, sizeof(k1), region, strlen(region), k2);
	if (rc == MAO_OK)
		rc = mao_hmac_sha256(k2, sizeof(k2), service, strlen(service), k1);
	if (rc == MAO_OK)
		rc = mao_hmac_sha256(k1, sizeof(k1), TERMINATOR, strlen(TERMINATOR), key);
	mao_buf_free(&secret);
	mao_secure_zero(k1, sizeof(k1));
	mao_secure_zero(k2, sizeof(k2));
	if (rc != MAO_OK)
		return mao_err_set(err, rc, "cannot derive the signing key");

	if (cache != NULL) {
		unsigned long hits = cache->hits, misses = cache->misses;

		mao_sigv4_key_cache_clear(cache);
		cache->hits = hits;
		cache->misses = misses + 1;
		if (strlen(region) < sizeof(cache->region) &&
			strlen(service) < sizeof(cache->service)) {
			memcpy(cache->date, date, 9);
			strcpy(cache->region, region);
			strcpy(cache->service, service);
			memcpy(cache->creds_digest, digest, sizeof(digest));
			memcpy(cache->key, key, MAO_SHA256_LEN);
			cache->valid = 1;
		}
	}
	mao_secure_zero(digest, sizeof(digest));
	return MAO_OK;
}

/* --------------------------------------------------------- validation */

/* True if s is non-empty and made of letters, digits, '-', '_' and '.'. */
static int
is_scope_word(const char *s)
{
	if (s == NULL || *s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
			  (*s >= '0' && *s <= '9') || *s == '-' || *s == '_' || *s == '.'))
			return 0;
	return 1;
}

/* True if s holds a control character (below 0x20, or DEL). */
static int
has_ctl(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char) *s < 0x20 || *s == 0x7f)
			return 1;
	return 0;
}

/* True if s is a usable HTTP method (a token). */
static int
is_method(const char *s)
{
	if (s == NULL || *s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
			  (*s >= '0' && *s <= '9') || *s == '-' || *s == '_' || *s == '.'))
			return 0;
	return 1;
}

/* True if h is an acceptable payload hash: 64 hex digits or a special token. */
static int
is_payload_hash(const char *h)
{
	size_t n = strlen(h), i;

	if (n == MAO_SHA256_HEX_LEN && mao_is_lower_hex(h, n))
		return 1;
	if (strcmp(h, MAO_SIGV4_UNSIGNED_PAYLOAD) == 0)
		return 1;
	if (strncmp(h, "STREAMING-", 10) != 0)
		return 0;
	for (i = 10; i < n; i++)
		if (!((h[i] >= 'A' && h[i] <= 'Z') || (h[i] >= '0' && h[i] <= '9') ||
			  h[i] == '-'))
			return 0;
	return 1;
}

/* Case-insensitive ASCII equality. */
static int
name_ieq(const char *a, const char *b)
{
	for (; *a != '\0' && *b != '\0'; a++, b++) {
		char x = (*a >= 'A' && *a <= 'Z') ? (char) (*a + 32) : *a;
		char y = (*b >= 'A' && *b <= 'Z') ? (char) (*b + 32) : *b;

		if (x != y)
			return 0;
	}
	return *a == *b;
}

/* True if the wire query has a parameter whose decoded key is name. */
static int
query_has_key(const char *query, const char *name)
{
	const char *p = query;

	while (p != NULL && *p != '\0') {
		const char *amp = strchr(p, '&');
		size_t len = amp != NULL ? (size_t) (amp - p) : strlen(p);
		const char *eq = memchr(p, '=', len);
		mao_buf key = MAO_BUF_INIT;
		int match;

		mao_buf_append_uri_decoded(&key, p, eq != NULL ? (size_t) (eq - p) : len);
		match = mao_buf_status(&key) == MAO_OK &&
			strcmp(mao_buf_cstr(&key), name) == 0;
		mao_buf_free(&key);
		if (match)
			return 1;
		p = amp != NULL ? amp + 1 : NULL;
	}
	return 0;
}

/* Checks everything in req that does not depend on the headers. */
static int
validate_request(const mao_sigv4_request *req, int presign, mao_err *err)
{
	const mao_sigv4_credentials *c = req->creds;
	size_t i;

	if (!is_method(req->method))
		return mao_err_set(err, MAO_ERR_INVALID, "request method is missing or invalid");
	if (req->path != NULL && req->path[0] != '\0' &&
		(req->path[0] != '/' || has_ctl(req->path) ||
		 strpbrk(req->path, "?#") != NULL))
		return mao_err_set(err, MAO_ERR_INVALID,
						   "request path must start with '/' and hold no '?', '#' or control characters");
	if (req->query != NULL &&
		(req->query[0] == '?' || has_ctl(req->query) || strchr(req->query, '#') != NULL))
		return mao_err_set(err, MAO_ERR_INVALID,
						   "request query must come without '?' and hold no '#' or control characters");
	if (c == NULL || c->access_key_id == NULL || c->secret_access_key == NULL ||
		c->secret_access_key[0] == '\0')
		return mao_err_set(err, MAO_ERR_INVALID, "credentials are missing");
	if (!is_scope_word(c->access_key_id))
		return mao_err_set(err, MAO_ERR_INVALID, "access key id is empty or malformed");
	if (c->session_token != NULL && has_ctl(c->session_token))
		return mao_err_set(err, MAO_ERR_INVALID, "session token holds control characters");
	if (!is_scope_word(req->region))
		return mao_err_set(err, MAO_ERR_INVALID, "region is empty or malformed");
	if (!is_scope_word(req->service))
		return mao_err_set(err, MAO_ERR_INVALID, "service is empty or malformed");
	if (req->payload_hash != NULL && !is_payload_hash(req->payload_hash))
		return mao_err_set(err, MAO_ERR_INVALID,
						   "payload hash must be 64 lowercase hex digits or UNSIGNED-PAYLOAD");
	if (req->payload_hash == NULL && req->payload == NULL && req->payload_len > 0)
		return mao_err_set(err, MAO_ERR_INVALID, "payload length without payload");
	if (req->headers == NULL && req->n_headers > 0)
		return mao_err_set(err, MAO_ERR_INVALID, "header count without headers");
	if (presign) {
		if (req->expires < 1 || req->expires > MAO_SIGV4_MAX_EXPIRES)
			return mao_err_set(err, MAO_ERR_INVALID,
							   "presign expiry must be 1 to %ld seconds, not %ld",
							   MAO_SIGV4_MAX_EXPIRES, req->expires);
		for (i = 0; presign_params[i] != NULL; i++)
			if (query_has_key(req->query, presign_params[i]))
				return mao_err_set(err, MAO_ERR_INVALID,
								   "query already holds %s; it is set by the signer",
								   presign_params[i]);
	}
	return MAO_OK;
}

/*
 * Checks the caller's headers: a Host is required, and the headers the
 * signer sets itself must not be given.
 */
static int
validate_headers(const mao_sigv4_request *req, int presign, mao_err *err)
{
	int has_host = 0;
	size_t i;

	for (i = 0; i < req->n_headers; i++) {
		const char *name = req->headers[i].name;

		if (name == NULL)
			continue; /* reported by the canonicaliser */
		if (name_ieq(name, "host"))
			has_host = 1;
		else if (name_ieq(name, "authorization") || name_ieq(name, "x-amz-date") ||
				 name_ieq(name, "x-amz-security-token") ||
				 (!presign && req->sign_body &&
				  name_ieq(name, "x-amz-content-sha256")))
			return mao_err_set(err, MAO_ERR_INVALID,
							   "header %.64s is set by the signer; do not pass it", name);
	}
	if (!has_host)
		return mao_err_set(err, MAO_ERR_INVALID, "request has no Host header");
	return MAO_OK;
}

/* ------------------------------------------------------------ signing */

/* Everything built while signing one request; freed by sign_state_free(). */
typedef struct sign_state {
	char amz_date[MAO_AMZ_DATE_LEN + 1];
	char date[9];
	char payload_hex[MAO_SHA256_HEX_LEN + 1];
	const char *payload_hash;
	const char *token;   /* NULL when no session token */
	int sign_token;      /* token goes into the canonical request */
	char expires[24];
	mao_buf scope, credential, canon_headers, signed_names, canon_query,
		canon_uri, creq, sts, out_query;
} sign_state;

/* Releases the buffers of a sign_state. */
static void
sign_state_free(sign_state *st)
{
	mao_buf_free(&st->scope);
	mao_buf_free(&st->credential);
	mao_buf_free(&st->canon_headers);
	mao_buf_free(&st->signed_names);
	mao_buf_free(&st->canon_query);
	mao_buf_free(&st->canon_uri);
	mao_buf_free(&st->creq);
	mao_buf_free(&st->sts);
	mao_buf_free(&st->out_query);
}

/* Fills the date, payload hash, token and scope parts of st. */
static int
prepare_state(const mao_sigv4_request *req, int presign, sign_state *st,
			  mao_err *err)
{
	const char *tok = req->creds->session_token;
	int rc;

	if (mao_time_format_amz(req->timestamp, st->amz_date) != MAO_OK)
		return mao_err_set(err, MAO_ERR_INVALID, "timestamp is out of range");
	memcpy(st->date, st->amz_date, 8);
	st->date[8] = '\0';
	if (req->payload_hash != NULL)
		st->payload_hash = req->payload_hash;
	else if (presign && strcmp(req->service, "s3") == 0)
		/* A presigned S3 URL never covers the body. */
		st->payload_hash = MAO_SIGV4_UNSIGNED_PAYLOAD;
	else {
		rc = mao_sha256_hex(req->payload != NULL ? req->payload : "",
							req->payload_len, st->payload_hex);
		if (rc != MAO_OK)
			return mao_err_set(err, rc, "cannot hash the payload");
		st->payload_hash = st->payload_hex;
	}
	st->token = (tok != NULL && tok[0] != '\0') ? tok : NULL;
	st->sign_token = st->token != NULL && !req->omit_session_token;
	snprintf(st->expires, sizeof(st->expires), "%ld", req->expires);
	mao_buf_printf(&st->scope, "%s/%s/%s/" TERMINATOR, st->date, req->region,
				   req->service);
	mao_buf_printf(&st->credential, "%s/%s", req->creds->access_key_id,
				   mao_buf_cstr(&st->scope));
	if (mao_buf_status(&st->scope) != MAO_OK ||
		mao_buf_status(&st->credential) != MAO_OK)
		return mao_err_set(err, MAO_ERR_NOMEM, "out of memory");
	return MAO_OK;
}

/* Builds the canonical headers from the caller's headers plus the signer's. */
static int
build_headers(const mao_sigv4_request *req, int presign, sign_state *st,
			  mao_err *err)
{
	mao_header *all;
	size_t n = 0, i;
	int rc;

	all = malloc((req->n_headers + 3) * sizeof(*all));
	if (all == NULL)
		return mao_err_set(err, MAO_ERR_NOMEM, "out of memory");
	for (i = 0; i < req->n_headers; i++)
		all[n++] = req->headers[i];
	if (!presign) {
		all[n].name = "x-amz-date";
		all[n++].value = st->amz_date;
		if (st->sign_token) {
			all[n].name = "x-amz-security-token";
			all[n++].value = st->token;
		}
		if (req->sign_body) {
			all[n].name = "x-amz-content-sha256";
			all[n++].value = st->payload_hash;
		}
	}
	rc = mao_sigv4_canonical_headers(all, n, &st->canon_headers,
									 &st->signed_names, err);
	free(all);
	return rc;
}

/* Builds the canonical query, adding the X-Amz-* parameters when presigning. */
static int
build_query(const mao_sigv4_request *req, int presign, sign_state *st)
{
	mao_header extra[6];
	size_t n = 0;

	if (presign) {
		extra[n].name = "X-Amz-Algorithm";
		extra[n++].value = MAO_SIGV4_ALGORITHM;
		extra[n].name = "X-Amz-Credential";
		extra[n++].value = mao_buf_cstr(&st->credential);
		extra[n].name = "X-Amz-Date";
		extra[n++].value = st->amz_date;
		extra[n].name = "X-Amz-Expires";
		extra[n++].value = st->expires;
		extra[n].name = "X-Amz-SignedHeaders";
		extra[n++].value = mao_buf_cstr(&st->signed_names);
		if (st->sign_token) {
			extra[n].name = "X-Amz-Security-Token";
			extra[n++].value = st->token;
		}
	}
	return mao_sigv4_canonical_query(req->query, extra, n, &st->canon_query);
}

/* Assembles the canonical request and the string to sign. */
static int
build_strings(const mao_sigv4_request *req, sign_state *st, mao_err *err)
{
	char hash[MAO_SHA256_HEX_LEN + 1];
	int rc;

	mao_buf_printf(&st->creq, "%s\n%s\n%s\n%s\n%s\n%s", req->method,
				   mao_buf_cstr(&st->canon_uri), mao_buf_cstr(&st->canon_query),
				   mao_buf_cstr(&st->canon_headers),
				   mao_buf_cstr(&st->signed_names), st->payload_hash);
	if (mao_buf_status(&st->creq) != MAO_OK)
		return mao_err_set(err, MAO_ERR_NOMEM, "out of memory");
	rc = mao_sha256_hex(st->creq.data, st->creq.len, hash);
	if (rc != MAO_OK)
		return mao_err_set(err, rc, "cannot hash the canonical request");
	mao_buf_printf(&st->sts, MAO_SIGV4_ALGORITHM "\n%s\n%s\n%s", st->amz_date,
				   mao_buf_cstr(&st->scope), hash);
	if (mao_buf_status(&st->sts) != MAO_OK)
		return mao_err_set(err, MAO_ERR_NOMEM, "out of memory");
	return MAO_OK;
}

/* Computes the hex signature of the string to sign into res->signature. */
static int
compute_signature(const mao_sigv4_request *req, sign_state *st,
				  mao_sigv4_result *res, mao_err *err)
{
	unsigned char key[MAO_SHA256_LEN], mac[MAO_SHA256_LEN];
	int rc;

	rc = mao_sigv4_signing_key(req->creds, st->date, req->region, req->service,
							   req->key_cache, key, err);
	if (rc != MAO_OK)
		return rc;
	rc = mao_hmac_sha256(key, sizeof(key), st->sts.data, st->sts.len, mac);
	mao_secure_zero(key, sizeof(key));
	if (rc != MAO_OK)
		return mao_err_set(err, rc, "cannot compute the signature");
	mao_hex_encode(mac, sizeof(mac), res->signature);
	mao_secure_zero(mac, sizeof(mac));
	return MAO_OK;
}

/* Adds one owned header to the result; value is copied. */
static int
add_result_header(mao_sigv4_result *res, const char *name, const char *value)
{
	char *copy;
	size_t n = strlen(value);

	if (res->n_headers >= MAO_SIGV4_MAX_ADDED_HEADERS)
		return MAO_ERR_INVALID;
	copy = malloc(n + 1);
	if (copy == NULL)
		return MAO_ERR_NOMEM;
	memcpy(copy, value, n + 1);
	res->headers[res->n_headers].name = name;
	res->headers[res->n_headers].value = copy;
	res->n_headers++;
	return MAO_OK;
}

/* Fills the header-form outputs: token, date, content hash, Authorization. */
static int
emit_headers(const mao_sigv4_request *req, sign_state *st,
			 mao_sigv4_result *res)
{
	mao_buf auth = MAO_BUF_INIT;
	int rc = MAO_OK;

	if (st->token != NULL)
		rc = add_result_header(res, "X-Amz-Security-Token", st->token);
	if (rc == MAO_OK)
		rc = add_result_header(res, "X-Amz-Date", st->amz_date);
	if (rc == MAO_OK && req->sign_body)
		rc = add_result_header(res, "x-amz-content-sha256", st->payload_hash);
	if (rc == MAO_OK) {
		mao_buf_printf(&auth,
					   MAO_SIGV4_ALGORITHM " Credential=%s, SignedHeaders=%s, Signature=%s",
					   mao_buf_cstr(&st->credential),
					   mao_buf_cstr(&st->signed_names), res->signature);
		rc = mao_buf_status(&auth);
	}
	if (rc == MAO_OK)
		rc = add_result_header(res, "Authorization", auth.data);
	mao_buf_free(&auth);
	return rc;
}

/* Appends "&name=" + encoded value (no '&' before the first parameter). */
static void
append_query_param(mao_buf *q, const char *name, const char *value)
{
	if (q->len > 0)
		mao_buf_append_char(q, '&');
	mao_buf_append_str(q, name);
	mao_buf_append_char(q, '=');
	mao_buf_append_uri_encoded(q, value, strlen(value), 1);
}

/* Fills res->query for the presigned form. */
static int
emit_query(const mao_sigv4_request *req, sign_state *st, mao_sigv4_result *res)
{
	mao_buf *q = &st->out_query;

	if (req->query != NULL)
		mao_buf_append_str(q, req->query);
	append_query_param(q, "X-Amz-Algorithm", MAO_SIGV4_ALGORITHM);
	append_query_param(q, "X-Amz-Credential", mao_buf_cstr(&st->credential));
	append_query_param(q, "X-Amz-Date", st->amz_date);
	append_query_param(q, "X-Amz-SignedHeaders", mao_buf_cstr(&st->signed_names));
	append_query_param(q, "X-Amz-Expires", st->expires);
	if (st->token != NULL)
		append_query_param(q, "X-Amz-Security-Token", st->token);
	append_query_param(q, "X-Amz-Signature", res->signature);
	res->query = mao_buf_detach(q);
	return res->query != NULL ? MAO_OK : MAO_ERR_NOMEM;
}

/* Moves the intermediate strings of st into res. */
static int
emit_intermediates(sign_state *st, mao_sigv4_result *res)
{
	res->canonical_request = mao_buf_detach(&st->creq);
	res->string_to_sign = mao_buf_detach(&st->sts);
	res->credential_scope = mao_buf_detach(&st->scope);
	res->signed_headers = mao_buf_detach(&st->signed_names);
	if (res->canonical_request == NULL || res->string_to_sign == NULL ||
		res->credential_scope == NULL || res->signed_headers == NULL)
		return MAO_ERR_NOMEM;
	return MAO_OK;
}

/* Signs req in either form; shared by mao_sigv4_sign() and mao_sigv4_presign(). */
static int
sign_common(const mao_sigv4_request *req, int presign, mao_sigv4_result *res,
			mao_err *err)
{
	sign_state st;
	int rc;

	if (res == NULL)
		return mao_err_set(err, MAO_ERR_INVALID, "no result to fill");
	mao_sigv4_result_init(res);
	if (req == NULL)
		return mao_err_set(err, MAO_ERR_INVALID, "no request to sign");
	memset(&st, 0, sizeof(st));
	rc = validate_request(req, presign, err);
	if (rc == MAO_OK)
		rc = validate_headers(req, presign, err);
	if (rc == MAO_OK)
		rc = prepare_state(req, presign, &st, err);
	if (rc == MAO_OK)
		rc = build_headers(req, presign, &st, err);
	if (rc == MAO_OK && (rc = build_query(req, presign, &st)) != MAO_OK)
		mao_err_set(err, rc, "cannot build the canonical query");
	if (rc == MAO_OK &&
		(rc = mao_sigv4_canonical_uri(req->path, req->normalize_path,
									  req->double_encode_path,
									  &st.canon_uri)) != MAO_OK)
		mao_err_set(err, rc, "cannot build the canonical URI");
	if (rc == MAO_OK)
		rc = build_strings(req, &st, err);
	if (rc == MAO_OK)
		rc = compute_signature(req, &st, res, err);
	if (rc == MAO_OK &&
		(rc = presign ? emit_query(req, &st, res) : emit_headers(req, &st, res)) != MAO_OK)
		mao_err_set(err, rc, "out of memory");
	if (rc == MAO_OK && (rc = emit_intermediates(&st, res)) != MAO_OK)
		mao_err_set(err, rc, "out of memory");
	sign_state_free(&st);
	if (rc != MAO_OK)
		mao_sigv4_result_free(res);
	else
		mao_err_clear(err);
	return rc;
}

/* Signs req for the Authorization header form. */
int
mao_sigv4_sign(const mao_sigv4_request *req, mao_sigv4_result *res,
			   mao_err *err)
{
	return sign_common(req, 0, res, err);
}

/* Signs req as a presigned URL. */
int
mao_sigv4_presign(const mao_sigv4_request *req, mao_sigv4_result *res,
				  mao_err *err)
{
	return sign_common(req, 1, res, err);
}
