/*
 * receiver.c - list, fetch, open, verify and move S3 objects for the
 * background worker and mao-runner (see receiver.h).
 *
 * Classification of failures (mao_receiver_is_transient): MAO_ERR_INVALID,
 * MAO_ERR_CRYPTO and MAO_ERR_TOO_LARGE are the object's fault and
 * permanent; every other code (network, timeout, cancel, AWS answers such
 * as 5xx, throttling or AccessDenied, missing credentials or region, a
 * vanished object, out of memory) is transient.  The functions below map
 * what the lower layers report into that convention: e.g. a KMS
 * InvalidCiphertextException becomes MAO_ERR_CRYPTO, while a local
 * configuration problem met while fetching is reported as MAO_ERR_AWS so
 * that the object is never moved because of it.
 *
 * AWS clients (S3, and KMS per key region) are made on first use, so that
 * mao_receiver_new() makes no network call and a region or credentials
 * that are not available yet are a transient failure of the call that
 * needed them.
 */
#include "receiver.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "codec.h"
#include "creds.h"
#include "crypto_util.h"
#include "envelope_ctx.h"
#include "esdk_decrypt.h"
#include "esdk_kms.h"
#include "esdk_kms_aws.h"
#include "esdk_raw_aes.h"
#include "gzip.h"
#include "payload_kind.h"
#include "timeutil.h"

#define DEFAULT_MAX_OBJECT (256UL * 1024 * 1024)
#define S3_TIMEOUT_MS 300000L
#define JSON_MAX_DEPTH 1000
#define RAW_AES_KEY_LEN 32

/*
 * The KMS keyring's operations: lib's adapter (esdk_kms_aws, sharing the
 * receiver's HTTP client, credentials and cancel flag) for the calls, and
 * here the sorting of a failed Decrypt into the object's fault or a reason
 * to retry later.
 */
typedef struct kms_adapter {
	mao_kms_aws *aws;             /* owned; NULL until an aws-kms keyring is parsed */
	mao_kms_ops calls;            /* aws's operations */
	int transient;                /* a Decrypt failed in a way worth retrying */
	mao_err transient_err;        /* the first such failure */
} kms_adapter;

struct mao_receiver {
	char *region;                 /* NULL until resolved */
	char *endpoint_url;           /* S3's; NULL: AWS */
	char *kms_endpoint_url;       /* KMS's; NULL: AWS */
	size_t max_object_size;
	const volatile sig_atomic_t *cancel;
	mao_http_client *http;
	mao_creds_provider *creds;
	mao_aws_client *s3;           /* made on first use */
	mao_keyring *keyring;         /* NULL: envelopes cannot be opened */
	kms_adapter kms;
};

/* ---------------------------------------------------------------- helpers */

/* Non-zero when code says the object itself is at fault. */
static int
is_permanent(int code)
{
	return code == MAO_ERR_INVALID || code == MAO_ERR_CRYPTO || code == MAO_ERR_TOO_LARGE;
}

/* Transient unless permanent (see the file comment). */
int
mao_receiver_is_transient(int code)
{
	return code != MAO_OK && !is_permanent(code);
}

/* Duplicates s, or returns NULL for NULL or "" (sets *failed when out of memory). */
static char *
dup_nonempty(const char *s, int *failed)
{
	char *p;

	if (s == NULL || s[0] == '\0')
		return NULL;
	p = strdup(s);
	if (p == NULL)
		*failed = 1;
	return p;
}

/* Re-records err's message under a new code (message kept). */
static int
recode(mao_err *err, int code, const mao_err *src)
{
	return mao_err_set(err, code, "%s", src->msg);
}

/* The region to use: the option, else the credentials chain's (may reach IMDS). */
static int
ensure_region(mao_receiver *r, mao_err *err)
{
	char buf[64];
	mao_err e;

	if (r->region != NULL)
		return MAO_OK;
	if (mao_creds_resolve_region(NULL, r->http, buf, sizeof(buf), &e) != MAO_OK)
		return mao_err_set(err, MAO_ERR_CREDENTIALS,
						   "no AWS region: set the receiver's region or AWS_REGION (%s)", e.msg);
	r->region = strdup(buf);
	if (r->region == NULL)
		return mao_err_set(err, MAO_ERR_NOMEM, "out of memory");
	return MAO_OK;
}

/*
 * Makes an AWS client for region with the receiver's credentials and cancel
 * flag, sending to endpoint (NULL: AWS, or AWS_ENDPOINT_URL[_<SERVICE>]).
 */
static int
make_client(mao_receiver *r, const char *region, const char *endpoint, long timeout_ms,
			mao_aws_client **out, mao_err *err)
{
	mao_aws_client_options o;

	memset(&o, 0, sizeof(o));
	o.region = region;
	o.creds_fn = mao_creds_get;
	o.creds_ctx = r->creds;
	o.http = r->http;
	o.timeout_ms = timeout_ms;
	o.cancel = r->cancel;
	o.endpoint_url = endpoint;
	o.s3_path_style = endpoint != NULL;
	return mao_aws_client_new(&o, out, err);
}

/* The S3 client, made on first use. */
static int
ensure_s3(mao_receiver *r, mao_err *err)
{
	int rc;

	if (r->s3 != NULL)
		return MAO_OK;
	if ((rc = ensure_region(r, err)) != MAO_OK)
		return rc;
	rc = make_client(r, r->region, r->endpoint_url, S3_TIMEOUT_MS, &r->s3, err);
	/* a client that cannot be made is a setting problem, never the object's */
	return rc == MAO_OK || !is_permanent(rc) ? rc : mao_err_set(err, MAO_ERR_AWS, "s3: %s", err ? err->msg : "");
}

/* Shortens a key for messages (keys are not secret, but may be long). */
static int
key_width(const char *key)
{
	size_t n = strlen(key);

	return n > 120 ? 120 : (int) n;
}

/* ------------------------------------------------------------- KMS ops */

/* The AWS error code in a lib/kms message ("kms Decrypt: CODE (HTTP ..."), into out. */
static void
kms_error_code(const char *msg, char *out, size_t len)
{
	const char *p = strstr(msg, "kms Decrypt: ");
	size_t n;

	out[0] = '\0';
	if (p == NULL)
		return;
	p += strlen("kms Decrypt: ");
	n = strcspn(p, " (");
	if (n < len) {
		memcpy(out, p, n);
		out[n] = '\0';
	}
}

/* mao_kms_ops.decrypt through lib's adapter; sorts failures into permanent and transient. */
static int
kms_op_decrypt(void *ctx, const char *key_id, const mao_ec *ec, const unsigned char *blob,
			   size_t len, mao_buf *plaintext, mao_buf *key_arn, mao_err *err)
{
	kms_adapter *a = ctx;
	mao_err e;
	char code[128];
	int rc;

	mao_err_clear(&e);
	rc = a->calls.decrypt(a->calls.ctx, key_id, ec, blob, len, plaintext, key_arn, &e);
	if (rc == MAO_OK)
		return MAO_OK;
	kms_error_code(e.msg, code, sizeof(code));
	if (rc == MAO_ERR_AWS && (strcmp(code, "InvalidCiphertextException") == 0 ||
							  strcmp(code, "IncorrectKeyException") == 0))
		rc = MAO_ERR_CRYPTO;      /* this data key does not open under this key and context */
	else if (rc == MAO_ERR_INVALID && len == 0)
		;                         /* an empty blob: the envelope's fault */
	else if (is_permanent(rc))
		rc = MAO_ERR_AWS;         /* a client that cannot be made, an unreadable answer: not the object's fault */
	if (!is_permanent(rc) && !a->transient) {
		a->transient = 1;
		mao_err_set(&a->transient_err, rc, "%s", e.msg);
	}
	return recode(err, rc, &e);
}

/* mao_kms_ops.generate_data_key: the receiver never encrypts. */
static int
kms_op_generate(void *ctx, const char *key_id, const mao_ec *ec, size_t n_bytes,
				mao_buf *plaintext, mao_buf *blob, mao_buf *key_arn, mao_err *err)
{
	(void) ctx, (void) key_id, (void) ec, (void) n_bytes, (void) plaintext, (void) blob, (void) key_arn;
	return mao_err_set(err, MAO_ERR_INVALID, "the receiver's KMS keyring only decrypts");
}

/* mao_kms_ops.encrypt: the receiver never encrypts. */
static int
kms_op_encrypt(void *ctx, const char *key_id, const mao_ec *ec, const unsigned char *pt,
			   size_t len, mao_buf *blob, mao_buf *key_arn, mao_err *err)
{
	(void) ctx, (void) key_id, (void) ec, (void) pt, (void) len, (void) blob, (void) key_arn;
	return mao_err_set(err, MAO_ERR_INVALID, "the receiver's KMS keyring only decrypts");
}

/* ------------------------------------------------------------ keyrings */

/* "aws-kms:ARN[,ARN...]": every entry a KMS key ARN. */
static int
keyring_kms(mao_receiver *r, const char *list, mao_err *err)
{
	mao_kms_ops ops = {&r->kms, kms_op_generate, kms_op_encrypt, kms_op_decrypt};
	char *copy = strdup(list), *save = NULL, *tok;
	char **ids = NULL;
	size_t n = 0, cap = 0;
	int rc = MAO_OK;

	if (copy == NULL)
		return mao_err_set(err, MAO_ERR_NOMEM, "out of memory");
	if (list[0] == '\0' || list[strlen(list) - 1] == ',' || list[0] == ',' || strstr(list, ",,") != NULL)
		rc = mao_err_set(err, MAO_ERR_INVALID, "keyring \"aws-kms:...\": an empty key ARN in the list");
	for (tok = strtok_r(copy, ",", &save); rc == MAO_OK && tok != NULL; tok = strtok_r(NULL, ",", &save)) {
		char region[64];

		if (strncmp(tok, "arn:", 4) != 0 || strstr(tok, ":kms:") == NULL || strstr(tok, ":key/") == NULL ||
			!mao_arn_region(tok, region, sizeof(region))) {
			rc = mao_err_set(err, MAO_ERR_INVALID,
							 "keyring \"aws-kms:...\": \"%.100s\" is not a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID)",
							 tok);
			break;
		}
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 4;
			char **nids = realloc(ids, ncap * sizeof(*nids));

			if (nids == NULL) {
				rc = mao_err_set(err, MAO_ERR_NOMEM, "out of memory");
				break;
			}
			ids = nids;
			cap = ncap;
		}
		ids[n++] = tok;
	}
	if (rc == MAO_OK) {
		mao_kms_aws_options ko;

		memset(&ko, 0, sizeof(ko));
		ko.region = r->region;
		ko.http = r->http;
		ko.creds = r->creds;
		ko.endpoint_url = r->kms_endpoint_url;
		ko.cancel = r->cancel;
		rc = mao_kms_aws_new_with(&ko, &r->kms.aws, err);
	}
	if (rc == MAO_OK) {
		mao_kms_aws_ops(r->kms.aws, &r->kms.calls);
		rc = mao_kms_keyring_new(&ops, (const char *const *) ids, n, &r->keyring, err);
	}
	free(ids);
	free(copy);
	return rc;
}

/* Reads the 32-byte key file path into key; any other size is an error. */
static int
read_key_file(const char *path, unsigned char key[RAW_AES_KEY_LEN], mao_err *err)
{
	unsigned char tmp[RAW_AES_KEY_LEN + 1];
	FILE *f = fopen(path, "rb");
	size_t n;
	int bad;

	if (f == NULL)
		return mao_err_set(err, MAO_ERR_INVALID, "keyring \"raw-aes:...\": cannot read key file %.150s: %s",
						   path, strerror(errno));
	n = fread(tmp, 1, sizeof(tmp), f);
	bad = ferror(f);
	fclose(f);
	if (bad) {
		mao_secure_zero(tmp, sizeof(tmp));
		return mao_err_set(err, MAO_ERR_INVALID, "keyring \"raw-aes:...\": cannot read key file %.150s", path);
	}
	if (n != RAW_AES_KEY_LEN) {
		mao_secure_zero(tmp, sizeof(tmp));
		return mao_err_set(err, MAO_ERR_INVALID,
						   "keyring \"raw-aes:...\": key file %.150s holds %s%zu bytes; it must hold exactly %d raw key bytes",
						   path, n > RAW_AES_KEY_LEN ? "more than " : "", n > RAW_AES_KEY_LEN ? (size_t) RAW_AES_KEY_LEN : n,
						   RAW_AES_KEY_LEN);
	}
	memcpy(key, tmp, RAW_AES_KEY_LEN);
	mao_secure_zero(tmp, sizeof(tmp));
	return MAO_OK;
}

/* "raw-aes:NAMESPACE:NAME:KEYFILE" (KEYFILE is the rest, colons allowed). */
static int
keyring_raw_aes(mao_receiver *r, const char *spec, mao_err *err)
{
	const char *c1 = strchr(spec, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
	unsigned char key[RAW_AES_KEY_LEN];
	char *ns, *name;
	int rc;

	if (c1 == NULL || c2 == NULL || c1 == spec || c2 == c1 + 1 || c2[1] == '\0')
		return mao_err_set(err, MAO_ERR_INVALID,
						   "keyring \"raw-aes:...\" must be raw-aes:NAMESPACE:NAME:KEYFILE (none of them empty)");
	ns = strndup(spec, (size_t) (c1 - spec));
	name = strndup(c1 + 1, (size_t) (c2 - c1 - 1));
	if (ns == NULL || name == NULL)
		rc = mao_err_set(err, MAO_ERR_NOMEM, "out of memory");
	else
		rc = read_key_file(c2 + 1, key, err);
	if (rc == MAO_OK) {
		rc = mao_raw_aes_keyring_new(ns, name, key, sizeof(key), &r->keyring, err);
		mao_secure_zero(key, sizeof(key));
	}
	free(ns);
	free(name);
	return rc;
}

/* Parses a keyring spec (see receiver.h) into r->keyring. */
static int
parse_keyring(mao_receiver *r, const char *spec, mao_err *err)
{
	if (strncmp(spec, "aws-kms:", 8) == 0)
		return keyring_kms(r, spec + 8, err);
	if (strncmp(spec, "raw-aes:", 8) == 0)
		return keyring_raw_aes(r, spec + 8, err);
	return mao_err_set(err, MAO_ERR_INVALID,
					   "keyring \"%.40s%s\": expected \"aws-kms:ARN[,ARN...]\" or \"raw-aes:NAMESPACE:NAME:KEYFILE\"",
					   spec, strlen(spec) > 40 ? "..." : "");
}

/* ---------------------------------------------------------- life cycle */

/* Copies the options, parses the keyring, creates the HTTP client and the credentials provider. */
int
mao_receiver_new(const mao_receiver_options *opts, mao_receiver **out, mao_err *err)
{
	mao_receiver_options none;
	mao_creds_options co;
	mao_receiver *r;
	int failed = 0, rc;

	*out = NULL;
	if (opts == NULL) {
		memset(&none, 0, sizeof(none));
		opts = &none;
	}
	r = calloc(1, sizeof(*r));
	if (r == NULL)
		return mao_err_set(err, MAO_ERR_NOMEM, "out of memory");
	r->region = dup_nonempty(opts->region, &failed);
	r->endpoint_url = dup_nonempty(opts->endpoint_url, &failed);
	r->kms_endpoint_url = dup_nonempty(opts->kms_endpoint_url, &failed);
	r->max_object_size = opts->max_object_size ? opts->max_object_size : DEFAULT_MAX_OBJECT;
	r->cancel = opts->cancel;
	if (failed) {
		mao_receiver_free(r);
		return mao_err_set(err, MAO_ERR_NOMEM, "out of memory");
	}
	if ((rc = mao_http_client_new(NULL, &r->http, err)) != MAO_OK) {
		mao_receiver_free(r);
		return rc;
	}
	memset(&co, 0, sizeof(co));
	co.region = r->region;
	co.http = r->http;
	co.cancel = r->cancel;
	if ((rc = mao_creds_provider_new(&co, &r->creds, err)) != MAO_OK) {
		mao_receiver_free(r);
		return rc;
	}
	/* after the HTTP client and credentials, which a KMS keyring shares */
	if (opts->keyring != NULL && opts->keyring[0] != '\0' &&
		(rc = parse_keyring(r, opts->keyring, err)) != MAO_OK) {
		mao_receiver_free(r);
		return rc;
	}
	*out = r;
	return MAO_OK;
}

/* Frees clients, keyring (wiping its key), provider and strings. */
void
mao_receiver_free(mao_receiver *r)
{
	if (r == NULL)
		return;
	mao_keyring_free(r->keyring);
	mao_kms_aws_free(r->kms.aws);
	mao_aws_client_free(r->s3);
	mao_creds_provider_free(r->creds);
	mao_http_client_free(r->http);
	free(r->region);
	free(r->endpoint_url);
	free(r->kms_endpoint_url);
	free(r);
}

/* ---------------------------------------------------------------- list */

/* One listed object with its parsed time, for sorting. */
typedef struct sort_item {
	mao_s3_object o;
	time_t secs;
	long frac;                    /* nanoseconds */
} sort_item;

/* Oldest first, then key (bytewise). */
static int
cmp_items(const void *pa, const void *pb)
{
	const sort_item *a = pa, *b = pb;

	if (a->secs != b->secs)
		return a->secs < b->secs ? -1 : 1;
	if (a->frac != b->frac)
		return a->frac < b->frac ? -1 : 1;
	return strcmp(a->o.key, b->o.key);
}

/* Parses LastModified (ISO 8601 with optional fraction); unparseable sorts first. */
static void
parse_time(sort_item *it)
{
	const char *dot = strchr(it->o.last_modified, '.');
	long scale = 100000000L;

	it->secs = 0;
	it->frac = 0;
	if (mao_time_parse_iso8601(it->o.last_modified, &it->secs) != MAO_OK)
		it->secs = 0;
	if (dot != NULL)
		for (const char *p = dot + 1; *p >= '0' && *p <= '9' && scale > 0; p++, scale /= 10)
			it->frac += (*p - '0') * scale;
}

/* Non-zero for keys the receiver never lists: directories, loaded/ and failed/. */
static int
skip_key(const char *key)
{
	size_t n = strlen(key);

	return n == 0 || key[n - 1] == '/' || strncmp(key, "loaded/", 7) == 0 ||
		strncmp(key, "failed/", 7) == 0;
}

/* Appends the kept objects of page to *items (taking their keys). */
static int
take_page(mao_s3_list_result *page, sort_item **items, size_t *n, size_t *cap, mao_err *err)
{
	for (size_t i = 0; i < page->n_objects; i++) {
		mao_s3_object *o = &page->objects[i];

		if (skip_key(o->key))
			continue;
		if (*n == *cap) {
			size_t ncap = *cap ? *cap * 2 : 256;
			sort_item *ni = realloc(*items, ncap * sizeof(*ni));

			if (ni == NULL)
				return mao_err_set(err, MAO_ERR_NOMEM, "out of memory");
			*items = ni;
			*cap = ncap;
		}
		(*items)[*n].o = *o;
		o->key = NULL;
		parse_time(&(*items)[(*n)++]);
	}
	return MAO_OK;
}

/* Every page of ListObjectsV2, filtered and sorted. */
int
mao_receiver_list(mao_receiver *r, const char *bucket, const char *prefix,
				  mao_s3_list_result *out, mao_err *err)
{
	sort_item *items = NULL;
	size_t n = 0, cap = 0;
	char *token = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if (bucket == NULL || bucket[0] == '\0')
		return mao_err_set(err, MAO_ERR_INVALID, "list: no bucket");
	if ((rc = ensure_s3(r, err)) != MAO_OK)
		return rc;
	for (;;) {
		mao_s3_list_result page;

		rc = mao_s3_list_objects_v2(r->s3, bucket, prefix && prefix[0] ? prefix : NULL, token, NULL, 0,
									&page, err);
		if (rc == MAO_OK)
			rc = take_page(&page, &items, &n, &cap, err);
		if (rc == MAO_OK && page.is_truncated && token != NULL &&
			strcmp(token, page.next_continuation_token) == 0)
			rc = mao_err_set(err, MAO_ERR_AWS, "s3 ListObjectsV2 %s: the same continuation token twice", bucket);
		free(token);
		token = NULL;
		if (rc == MAO_OK && page.is_truncated) {
			token = page.next_continuation_token;
			page.next_continuation_token = NULL;
		}
		mao_s3_list_result_free(&page);
		if (rc != MAO_OK || token == NULL)
			break;
	}
	free(token);
	if (rc == MAO_OK && n > 0) {
		qsort(items, n, sizeof(*items), cmp_items);
		out->objects = malloc(n * sizeof(*out->objects));
		if (out->objects == NULL)
			rc = mao_err_set(err, MAO_ERR_NOMEM, "out of memory");
	}
	for (size_t i = 0; i < n; i++) {
		if (rc == MAO_OK)
			out->objects[out->n_objects++] = items[i].o;
		else
			free(items[i].o.key);
	}
	free(items);
	if (rc != MAO_OK) {
		mao_s3_list_result_free(out);
		/* a listing never fails because of one object: keep it transient */
		if (is_permanent(rc))
			rc = mao_err_set(err, MAO_ERR_AWS, "%s", err ? err->msg : "list failed");
	}
	return rc;
}

/* --------------------------------------------------------------- fetch */

/* GetObject with the receiver's cap. */
int
mao_receiver_fetch(mao_receiver *r, const char *bucket, const char *key,
				   mao_buf *body, char etag[MAO_S3_ETAG_MAX], mao_err *err)
{
	mao_err e;
	int rc;

	if (etag != NULL)
		etag[0] = '\0';
	if (bucket == NULL || key == NULL || key[0] == '\0')
		return mao_err_set(err, MAO_ERR_AWS, "fetch: a bucket and a key are required");
	if ((rc = ensure_s3(r, err)) != MAO_OK)
		return rc;
	mao_err_clear(&e);
	rc = mao_s3_get_object(r->s3, bucket, key, r->max_object_size, body, etag, &e);
	if (rc == MAO_OK)
		return MAO_OK;
	if (rc == MAO_ERR_TOO_LARGE)
		return mao_err_set(err, rc, "object %.*s is larger than the limit of %zu bytes",
						   key_width(key), key, r->max_object_size);
	/* anything else is not the object's fault (see the file comment) */
	return mao_err_set(err, is_permanent(rc) ? MAO_ERR_AWS : rc, "fetching %.*s: %s",
					   key_width(key), key, e.msg);
}

/* ---------------------------------------------------------------- open */

/* Frees what o owns. */
void
mao_receiver_opened_free(mao_receiver_opened *o)
{
	mao_buf_free(&o->document);
	mao_buf_free(&o->context_json);
	o->kind = NULL;
	o->account[0] = '\0';
}

/* Skips JSON whitespace from *i. */
static void
skip_ws(const unsigned char *s, size_t n, size_t *i)
{
	while (*i < n && (s[*i] == ' ' || s[*i] == '\t' || s[*i] == '\n' || s[*i] == '\r'))
		(*i)++;
}

/* Checks a JSON string starting at s[*i] == '"'; leaves *i after the closing quote. */
static int
json_string(const unsigned char *s, size_t n, size_t *i)
{
	(*i)++;
	while (*i < n) {
		unsigned char c = s[(*i)++];

		if (c == '"')
			return 1;
		if (c < 0x20)
			return 0;
		if (c == '\\') {
			if (*i >= n)
				return 0;
			c = s[(*i)++];
			if (c == 'u') {
				for (int k = 0; k < 4; k++, (*i)++)
					if (*i >= n || !((s[*i] >= '0' && s[*i] <= '9') || (s[*i] >= 'a' && s[*i] <= 'f') ||
									 (s[*i] >= 'A' && s[*i] <= 'F')))
						return 0;
			} else if (strchr("\"\\/bfnrt", c) == NULL || c == '\0')
				return 0;
		}
	}
	return 0;
}

/* Checks a JSON number at s[*i] (RFC 8259 grammar). */
static int
json_number(const unsigned char *s, size_t n, size_t *i)
{
	size_t d;

	if (*i < n && s[*i] == '-')
		(*i)++;
	if (*i < n && s[*i] == '0')
		(*i)++;
	else {
		for (d = 0; *i < n && s[*i] >= '0' && s[*i] <= '9'; d++)
			(*i)++;
		if (d == 0)
			return 0;
	}
	if (*i < n && s[*i] == '.') {
		(*i)++;
		for (d = 0; *i < n && s[*i] >= '0' && s[*i] <= '9'; d++)
			(*i)++;
		if (d == 0)
			return 0;
	}
	if (*i < n && (s[*i] == 'e' || s[*i] == 'E')) {
		(*i)++;
		if (*i < n && (s[*i] == '+' || s[*i] == '-'))
			(*i)++;
		for (d = 0; *i < n && s[*i] >= '0' && s[*i] <= '9'; d++)
			(*i)++;
		if (d == 0)
			return 0;
	}
	return 1;
}

/*
 * Checks that s[0..n) is one JSON value (objects and arrays nested at most
 * JSON_MAX_DEPTH deep) without building it; *bad gets the offset of the
 * first error.
 */
static int
json_valid(const unsigned char *s, size_t n, size_t *bad)
{
	char stack[JSON_MAX_DEPTH];   /* '{' or '[' of each open container */
	int depth = 0;
	size_t i = 0;

	skip_ws(s, n, &i);
	for (;;) {
		/* a value at s[i] */
		if (i >= n)
			goto fail;
		if (s[i] == '{' || s[i] == '[') {
			if (depth == JSON_MAX_DEPTH)
				goto fail;
			stack[depth++] = (char) s[i++];
			skip_ws(s, n, &i);
			if (i < n && s[i] == (stack[depth - 1] == '{' ? '}' : ']')) {
				i++;
				depth--;
				goto after_value;
			}
			if (stack[depth - 1] == '{')
				goto member;
			continue;
		} else if (s[i] == '"') {
			if (!json_string(s, n, &i))
				goto fail;
		} else if (s[i] == '-' || (s[i] >= '0' && s[i] <= '9')) {
			if (!json_number(s, n, &i))
				goto fail;
		} else if (n - i >= 4 && memcmp(s + i, "true", 4) == 0)
			i += 4;
		else if (n - i >= 5 && memcmp(s + i, "false", 5) == 0)
			i += 5;
		else if (n - i >= 4 && memcmp(s + i, "null", 4) == 0)
			i += 4;
		else
			goto fail;
after_value:
		skip_ws(s, n, &i);
		if (depth == 0) {
			if (i != n)
				goto fail;
			return 1;
		}
		if (i < n && s[i] == ',') {
			i++;
			skip_ws(s, n, &i);
			if (stack[depth - 1] == '{')
				goto member;
			continue;
		}
		if (i < n && s[i] == (stack[depth - 1] == '{' ? '}' : ']')) {
			i++;
			depth--;
			goto after_value;
		}
		goto fail;
member:
		/* "name" : then the value */
		if (i >= n || s[i] != '"' || !json_string(s, n, &i))
			goto fail;
		skip_ws(s, n, &i);
		if (i >= n || s[i] != ':')
			goto fail;
		i++;
		skip_ws(s, n, &i);
	}
fail:
	*bad = i;
	return 0;
}

/* Moves plain JSON bytes into doc after dropping a BOM and checking UTF-8 and syntax. */
static int
take_json(const void *data, size_t len, const char *what, mao_buf *doc, mao_err *err)
{
	const unsigned char *s = data;
	size_t bad;

	if (len >= 3 && s[0] == 0xef && s[1] == 0xbb && s[2] == 0xbf) {
		s += 3;
		len -= 3;
	}
	if (mao_payload_detect(s, len) != MAO_PAYLOAD_JSON)
		return mao_err_set(err, MAO_ERR_INVALID, "%s is not a JSON document", what);
	if (!mao_utf8_valid((const char *) s, len))
		return mao_err_set(err, MAO_ERR_INVALID, "%s is not valid UTF-8", what);
	if (!json_valid(s, len, &bad))
		return mao_err_set(err, MAO_ERR_INVALID, "%s is not valid JSON (error at byte %zu of %zu)",
						   what, bad, len);
	if (mao_buf_append(doc, s, len) != MAO_OK)
		return mao_err_set(err, MAO_ERR_NOMEM, "out of memory");
	return MAO_OK;
}

/* JSON text (gzip'd or plain) in data: decompress with the cap, then check. */
static int
open_inner(mao_receiver *r, const void *data, size_t len, const char *what, mao_buf *doc, mao_err *err)
{
	mao_buf plain = MAO_BUF_INIT;
	char what2[64];
	int rc;

	if (mao_payload_detect(data, len) != MAO_PAYLOAD_GZIP)
		return take_json(data, len, what, doc, err);
	rc = mao_gzip_decompress(data, len, r->max_object_size, &plain, err);
	if (rc == MAO_OK) {
		snprintf(what2, sizeof(what2), "the decompressed %s", what);
		rc = take_json(plain.data, plain.len, what2, doc, err);
	} else if (rc == MAO_ERR_NOMEM)
		;
	else if (rc != MAO_ERR_TOO_LARGE)
		rc = MAO_ERR_INVALID;
	mao_buf_free(&plain);
	return rc;
}

/* The envelope's context as a JSON object, and its account. */
static int
context_to_json(const mao_ec *ec, mao_receiver_opened *out, mao_err *err)
{
	const mao_ec_entry *acct = mao_ec_get(ec, MAO_EC_ACCOUNT);

	mao_buf_append_char(&out->context_json, '{');
	for (size_t i = 0; i < ec->n; i++) {
		if (i > 0)
			mao_buf_append_str(&out->context_json, ", ");
		mao_json_append_string(&out->context_json, ec->entries[i].key);
		mao_buf_append_str(&out->context_json, ": ");
		mao_json_append_string(&out->context_json, ec->entries[i].value);
	}
	mao_buf_append_char(&out->context_json, '}');
	if (mao_buf_status(&out->context_json) != MAO_OK)
		return mao_err_set(err, MAO_ERR_NOMEM, "out of memory");
	if (acct != NULL && acct->value_len < sizeof(out->account))
		memcpy(out->account, acct->value, acct->value_len + 1);
	return MAO_OK;
}

/*
 * The key mao_envelope_ctx_check understands: the key itself under data/,
 * else "data/" + its last three components (for another mao.prefix);
 * keys under loaded/ or failed/ are passed as they are (and rejected).
 */
static int
check_key(const mao_ec *ec, const char *key, mao_err *err)
{
	const char *p = key + strlen(key);
	mao_buf k = MAO_BUF_INIT;
	int slashes = 0, rc;

	if (strncmp(key, "data/", 5) == 0 || strncmp(key, "loaded/", 7) == 0 || strncmp(key, "failed/", 7) == 0)
		return mao_envelope_ctx_check(ec, key, err);
	while (p > key && slashes < 3)
		if (*--p == '/')
			slashes++;
	if (slashes < 3)
		return mao_envelope_ctx_check(ec, key, err);
	mao_buf_append_str(&k, "data");
	mao_buf_append_str(&k, p);
	rc = mao_buf_status(&k) != MAO_OK ? mao_err_set(err, MAO_ERR_NOMEM, "out of memory")
		: mao_envelope_ctx_check(ec, k.data, err);
	mao_buf_free(&k);
	return rc;
}

/* Decrypts an envelope, checks its context against key, opens what it holds. */
static int
open_envelope(mao_receiver *r, const void *data, size_t len, const char *key,
			  mao_receiver_opened *out, mao_err *err)
{
	mao_esdk_decrypt_opts o;
	mao_esdk_header h;
	mao_buf plain = MAO_BUF_INIT;
	mao_err e;
	int rc;

	if (r->keyring == NULL)
		return mao_err_set(err, MAO_ERR_INVALID,
						   "the object is an envelope but no keyring is configured (mao.keyring)");
	mao_esdk_decrypt_opts_init(&o);
	o.keyrings = &r->keyring;
	o.n_keyrings = 1;
	o.limits.max_body = r->max_object_size;
	r->kms.transient = 0;
	mao_err_clear(&r->kms.transient_err);
	mao_err_clear(&e);
	rc = mao_esdk_decrypt(&o, data, len, &plain, &h, &e);
	if (rc != MAO_OK) {
		if (r->kms.transient)  /* e.g. KMS unreachable for one data key: retry later */
			rc = mao_err_set(err, r->kms.transient_err.code, "envelope: KMS: %s", r->kms.transient_err.msg);
		else
			rc = mao_err_set(err, rc == MAO_ERR_NOMEM ? rc : (is_permanent(rc) ? rc : MAO_ERR_CRYPTO),
							 "envelope does not decrypt: %s", e.msg);
		mao_buf_free(&plain);
		return rc;
	}
	rc = MAO_OK;
	if (key != NULL && (rc = check_key(&h.ec, key, &e)) != MAO_OK)
		rc = mao_err_set(err, rc == MAO_ERR_NOMEM ? rc : MAO_ERR_INVALID, "%s", e.msg);
	if (rc == MAO_OK)
		rc = context_to_json(&h.ec, out, err);
	if (rc == MAO_OK)
		rc = open_inner(r, plain.data, plain.len, "envelope's content", &out->document, err);
	mao_esdk_header_free(&h);
	mao_buf_free(&plain);
	return rc;
}

/* Detects the kind and opens it; out is left empty on failure. */
int
mao_receiver_open(mao_receiver *r, const void *data, size_t len, const char *key,
				  mao_receiver_opened *out, mao_err *err)
{
	mao_payload_kind kind;
	int rc;

	memset(out, 0, sizeof(*out));
	if (data == NULL && len > 0)
		return mao_err_set(err, MAO_ERR_INVALID, "open: no data");
	if (len > r->max_object_size)
		return mao_err_set(err, MAO_ERR_TOO_LARGE, "object of %zu bytes is larger than the limit of %zu bytes",
						   len, r->max_object_size);
	kind = mao_payload_detect(data, len);
	switch (kind) {
	case MAO_PAYLOAD_ESDK:
		rc = open_envelope(r, data, len, key, out, err);
		break;
	case MAO_PAYLOAD_GZIP:
		rc = open_inner(r, data, len, "gzip'd document", &out->document, err);
		break;
	case MAO_PAYLOAD_JSON:
		rc = take_json(data, len, "document", &out->document, err);
		break;
	default:
		rc = mao_err_set(err, MAO_ERR_INVALID, "%s", len == 0 ? "the object is empty"
						 : "the object is neither an envelope, gzip nor JSON");
		break;
	}
	if (rc != MAO_OK) {
		mao_receiver_opened_free(out);
		return rc;
	}
	out->kind = mao_payload_kind_name(kind);
	return MAO_OK;
}

/* ---------------------------------------------------------------- move */

/* CopyObject to the new place, then DeleteObject; a half-done earlier move completes. */
int
mao_receiver_move(mao_receiver *r, const char *bucket, const char *key,
				  const char *prefix, const char *dest_prefix, mao_err *err)
{
	size_t plen = prefix ? strlen(prefix) : 0;
	mao_buf dest = MAO_BUF_INIT;
	mao_s3_head head;
	mao_err e;
	int rc;

	if (bucket == NULL || key == NULL || dest_prefix == NULL || strncmp(key, prefix ? prefix : "", plen) != 0)
		return mao_err_set(err, MAO_ERR_INVALID, "move: key %.*s does not start with prefix \"%.60s\"",
						   key ? key_width(key) : 0, key ? key : "", prefix ? prefix : "");
	mao_buf_append_str(&dest, dest_prefix);
	mao_buf_append_str(&dest, key + plen);
	if (mao_buf_status(&dest) != MAO_OK)
		return mao_err_set(err, MAO_ERR_NOMEM, "out of memory");
	if (strcmp(dest.data, key) == 0 || key[plen] == '\0') {
		mao_buf_free(&dest);
		return mao_err_set(err, MAO_ERR_INVALID, "move: %.*s would be moved onto itself", key_width(key), key);
	}
	if ((rc = ensure_s3(r, err)) != MAO_OK) {
		mao_buf_free(&dest);
		return rc;
	}
	mao_err_clear(&e);
	rc = mao_s3_copy_object(r->s3, bucket, key, bucket, dest.data, NULL, NULL, &e);
	if (rc == MAO_ERR_NOT_FOUND) {
		/* gone from its old place: moved already if the new one is there */
		mao_err e2;

		if (mao_s3_head_object(r->s3, bucket, dest.data, &head, &e2) == MAO_OK) {
			mao_buf_free(&dest);
			return MAO_OK;
		}
	}
	if (rc == MAO_OK)
		rc = mao_s3_delete_object(r->s3, bucket, key, &e);
	if (rc != MAO_OK)
		rc = mao_err_set(err, is_permanent(rc) ? MAO_ERR_AWS : rc, "moving %.*s to %.*s: %s",
						 key_width(key), key, key_width(dest.data), dest.data, e.msg);
	mao_buf_free(&dest);
	return rc;
}
