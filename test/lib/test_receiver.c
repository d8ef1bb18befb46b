/*
 * test_receiver.c - lib/receiver against moto_server: S3 (moto with its own
 * check off) behind test/fakes/s3_sigv4_proxy.py, KMS on a second
 * moto_server with SigV4 checking on.  Credentials come from the
 * environment (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY: moto's IAM user,
 * which the proxy also accepts), as the receiver reads them through the
 * credentials chain.
 *
 * Usage: test_receiver S3_ENDPOINT KMS_ENDPOINT BUCKET KMS_KEY_ARN WORKDIR
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "envelope_ctx.h"
#include "esdk_encrypt.h"
#include "esdk_kms.h"
#include "esdk_raw_aes.h"
#include "gzip.h"
#include "kms.h"
#include "receiver.h"
#include "testutil.h"
#include "timeutil.h"

#define ACCT "123456789012"
#define DATA_KEY "data/" ACCT "/eu-west-1/2026-11-26_daily.json.enc"
#define DOC "{\"account\": {\"id\": \"" ACCT "\"}, \"items\": [1, 2.5e3, -0.25, true, false, null, \"\\u00e9\\n\"]}"

static const char *s3_endpoint, *kms_endpoint, *bucket, *kms_arn, *workdir;
static mao_aws_creds creds;

/* Makes a receiver (S3 at endpoint, KMS at kms or AWS) or exits. */
static mao_receiver *
receiver_at(const char *endpoint, const char *kms, const char *keyring, size_t max)
{
	mao_receiver_options o;
	mao_receiver *r = NULL;
	mao_err err;

	memset(&o, 0, sizeof(o));
	o.region = "us-east-1";
	o.endpoint_url = endpoint;
	o.kms_endpoint_url = kms;
	o.keyring = keyring;
	o.max_object_size = max;
	if (mao_receiver_new(&o, &r, &err) != MAO_OK) {
		fprintf(stderr, "receiver (%s): %s\n", keyring ? keyring : "no keyring", err.msg);
		exit(1);
	}
	return r;
}

/* Makes a receiver with S3 at endpoint or exits. */
static mao_receiver *
receiver(const char *endpoint, const char *keyring, size_t max)
{
	return receiver_at(endpoint, NULL, keyring, max);
}

/* Writes n bytes to WORKDIR/name; path receives its name. */
static void
write_file(const char *name, const void *data, size_t n, char *path, size_t len)
{
	FILE *f;

	snprintf(path, len, "%s/%s", workdir, name);
	f = fopen(path, "wb");
	if (f == NULL || fwrite(data, 1, n, f) != n || fclose(f) != 0) {
		fprintf(stderr, "cannot write %s\n", path);
		exit(1);
	}
}

/* Encrypts pt with the raw AES key (namespace "mao", name "test-key") and a MAO context. */
static void
seal_raw(const unsigned char key[32], const char *account, const void *pt, size_t len, mao_buf *out)
{
	mao_keyring *kr = NULL;
	mao_ec ec = MAO_EC_INIT;
	mao_esdk_encrypt_opts o;
	mao_err err;

	if (mao_raw_aes_keyring_new("mao", "test-key", key, 32, &kr, &err) != MAO_OK ||
		mao_envelope_ctx_set(&ec, account, "eu-west-1", "2026-11-26", "daily", &err) != MAO_OK) {
		fprintf(stderr, "seal: %s\n", err.msg);
		exit(1);
	}
	mao_esdk_encrypt_opts_init(&o);
	o.keyrings = &kr;
	o.n_keyrings = 1;
	o.ec = &ec;
	o.frame_length = 64;
	if (mao_esdk_encrypt(&o, pt, len, out, &err) != MAO_OK) {
		fprintf(stderr, "encrypt: %s\n", err.msg);
		exit(1);
	}
	mao_ec_free(&ec);
	mao_keyring_free(kr);
}

/* Gzips a C string or exits. */
static void
gz(const void *s, size_t n, mao_buf *out)
{
	if (mao_gzip_compress(s, n, 6, out, NULL) != MAO_OK)
		exit(1);
}

/* Opens data and expects success with the given kind and document. */
static void
expect_open(t_ctx *t, mao_receiver *r, const char *what, const void *data, size_t len, const char *key,
			const char *kind, const char *doc)
{
	mao_receiver_opened o;
	mao_err err;
	int rc = mao_receiver_open(r, data, len, key, &o, &err);

	if (T_CHECK(t, rc == MAO_OK, "%s: open: %s", what, err.msg)) {
		T_STREQ(t, what, kind, o.kind);
		T_SAME(t, what, doc, strlen(doc), o.document.data, o.document.len);
		if (strcmp(kind, "esdk") == 0) {
			T_STREQ(t, "account", ACCT, o.account);
			T_CHECK(t, strstr(mao_buf_cstr(&o.context_json), "\"mao:account\": \"" ACCT "\"") != NULL &&
					strstr(mao_buf_cstr(&o.context_json), "\"mao:interval\": \"daily\"") != NULL,
					"%s: context %s", what, mao_buf_cstr(&o.context_json));
		} else
			T_CHECK(t, o.context_json.len == 0 && o.account[0] == '\0', "%s: no context", what);
	}
	mao_receiver_opened_free(&o);
}

/* Opens data and expects a permanent failure with code (-1: INVALID or CRYPTO) and a message containing needle. */
static void
expect_reject(t_ctx *t, mao_receiver *r, const char *what, const void *data, size_t len, const char *key,
			  int code, const char *needle)
{
	mao_receiver_opened o;
	mao_err err;
	int rc = mao_receiver_open(r, data, len, key, &o, &err);

	T_CHECK(t, rc == code || (code < 0 && (rc == MAO_ERR_INVALID || rc == MAO_ERR_CRYPTO)),
			"%s: expected %s, got %s (%s)", what, code < 0 ? "invalid or crypto" : mao_status_str(code),
			mao_status_str(rc), err.msg);
	T_CHECK(t, rc != MAO_OK && !mao_receiver_is_transient(rc), "%s: must be permanent", what);
	T_CHECK(t, err.code == rc, "%s: err.code", what);
	T_CHECK(t, needle == NULL || strstr(err.msg, needle) != NULL, "%s: message \"%s\" lacks \"%s\"",
			what, err.msg, needle);
	T_CHECK(t, o.document.len == 0 && o.kind == NULL, "%s: nothing opened", what);
	printf("  rejected %-28s %s\n", what, err.msg);
	mao_receiver_opened_free(&o);
}

/* Envelopes, gzip and JSON with the raw AES keyring; every rejection. */
static void
test_open_raw(t_ctx *t)
{
	unsigned char key[32], other[32];
	char kpath[1024], opath[1024], spec[1200], ospec[1200];
	mao_buf env = MAO_BUF_INIT, g = MAO_BUF_INIT, genv = MAO_BUF_INIT, tmp = MAO_BUF_INIT;
	mao_buf bomb = MAO_BUF_INIT, big = MAO_BUF_INIT;
	mao_receiver *r, *wrong, *nokr, *small, *mid;
	const char *doc = DOC;

	for (int i = 0; i < 32; i++) {
		key[i] = (unsigned char) (i * 7 + 1);
		other[i] = (unsigned char) (i * 11 + 3);
	}
	write_file("key.bin", key, 32, kpath, sizeof(kpath));
	write_file("other.bin", other, 32, opath, sizeof(opath));
	snprintf(spec, sizeof(spec), "raw-aes:mao:test-key:%s", kpath);
	snprintf(ospec, sizeof(ospec), "raw-aes:mao:test-key:%s", opath);
	r = receiver(s3_endpoint, spec, 0);
	wrong = receiver(s3_endpoint, ospec, 0);
	nokr = receiver(s3_endpoint, NULL, 0);
	small = receiver(s3_endpoint, spec, 4096);
	mid = receiver(s3_endpoint, spec, 1024 * 1024);

	seal_raw(key, ACCT, doc, strlen(doc), &env);
	gz(doc, strlen(doc), &g);
	seal_raw(key, ACCT, g.data, g.len, &genv);

	expect_open(t, r, "raw-AES envelope", env.data, env.len, DATA_KEY, "esdk", doc);
	expect_open(t, r, "envelope without key check", env.data, env.len, NULL, "esdk", doc);
	expect_open(t, r, "envelope, other suffix", env.data, env.len,
				"data/" ACCT "/eu-west-1/2026-11-26_daily", "esdk", doc);
	expect_open(t, r, "envelope, other prefix", env.data, env.len,
				"mao/in/" ACCT "/eu-west-1/2026-11-26_daily.json.enc", "esdk", doc);
	expect_open(t, r, "gzip'd JSON", g.data, g.len, DATA_KEY, "gzip", doc);
	expect_open(t, r, "plain JSON", doc, strlen(doc), DATA_KEY, "json", doc);
	mao_buf_append_str(&tmp, "\xef\xbb\xbf \n");
	mao_buf_append_str(&tmp, doc);
	expect_open(t, r, "plain JSON with BOM", tmp.data, tmp.len, NULL, "json", tmp.data + 3);
	expect_open(t, r, "gzip inside an envelope", genv.data, genv.len, DATA_KEY, "esdk", doc);
	expect_open(t, nokr, "gzip without keyring", g.data, g.len, DATA_KEY, "gzip", doc);

	/* tampering: a byte of the header, of a frame, of the end */
	{
		size_t where[3] = {20, env.len / 2, env.len - 1};

		for (int i = 0; i < 3; i++) {
			char what[64];

			mao_buf_reset(&tmp);
			mao_buf_append(&tmp, env.data, env.len);
			tmp.data[where[i]] ^= 0x01;
			snprintf(what, sizeof(what), "tampered byte %zu", where[i]);
			expect_reject(t, r, what, tmp.data, tmp.len, DATA_KEY, -1, NULL);
		}
		mao_buf_reset(&tmp);
		mao_buf_append(&tmp, env.data, env.len - 10);
		expect_reject(t, r, "truncated envelope", tmp.data, tmp.len, DATA_KEY, MAO_ERR_INVALID, "truncated");
	}
	expect_reject(t, wrong, "wrong key", env.data, env.len, DATA_KEY, MAO_ERR_CRYPTO, "does not unwrap");
	expect_reject(t, nokr, "no keyring", env.data, env.len, DATA_KEY, MAO_ERR_INVALID, "mao.keyring");
	expect_reject(t, r, "account disagrees", env.data, env.len,
				  "data/210987654321/eu-west-1/2026-11-26_daily.json.enc", MAO_ERR_INVALID, "mao:account");
	expect_reject(t, r, "region disagrees", env.data, env.len,
				  "data/" ACCT "/us-east-1/2026-11-26_daily.json.enc", MAO_ERR_INVALID, "mao:region");
	expect_reject(t, r, "date disagrees", env.data, env.len,
				  "data/" ACCT "/eu-west-1/2026-11-25_daily.json.enc", MAO_ERR_INVALID, "mao:date");
	expect_reject(t, r, "interval disagrees", env.data, env.len,
				  "data/" ACCT "/eu-west-1/2026-11-26_hourly.json.enc", MAO_ERR_INVALID, "mao:interval");
	expect_reject(t, r, "key not a data key", env.data, env.len, "data/misc/x.json.enc", MAO_ERR_INVALID, NULL);
	expect_reject(t, r, "key under loaded/", env.data, env.len,
				  "loaded/" ACCT "/eu-west-1/2026-11-26_daily.json.enc", MAO_ERR_INVALID, "loaded/");
	expect_reject(t, r, "garbage", "hello, world", 12, DATA_KEY, MAO_ERR_INVALID, "neither");
	expect_reject(t, r, "empty object", "", 0, DATA_KEY, MAO_ERR_INVALID, "empty");
	expect_reject(t, r, "broken JSON", "{\"a\": [1, 2}", 12, DATA_KEY, MAO_ERR_INVALID, "not valid JSON");
	expect_reject(t, r, "JSON with trailing text", "{} x", 4, DATA_KEY, MAO_ERR_INVALID, "not valid JSON");
	expect_reject(t, r, "JSON bad escape", "{\"a\": \"\\x\"}", 11, NULL, MAO_ERR_INVALID, "not valid JSON");
	expect_reject(t, r, "JSON not UTF-8", "{\"a\": \"\xff\"}", 10, NULL, MAO_ERR_INVALID, "UTF-8");
	mao_buf_reset(&tmp);
	gz("not json at all", 15, &tmp);
	expect_reject(t, r, "gzip of garbage", tmp.data, tmp.len, DATA_KEY, MAO_ERR_INVALID, "not a JSON document");
	tmp.data[tmp.len - 6] ^= 0x40;  /* CRC */
	expect_reject(t, r, "corrupt gzip", tmp.data, tmp.len, DATA_KEY, MAO_ERR_INVALID, "gzip");
	mao_buf_reset(&tmp);
	seal_raw(key, ACCT, "garbage inside", 14, &tmp);
	expect_reject(t, r, "envelope of garbage", tmp.data, tmp.len, DATA_KEY, MAO_ERR_INVALID, "not a JSON document");

	/* depth: 1000 nested arrays open, 1001 do not */
	mao_buf_reset(&tmp);
	for (int i = 0; i < 1000; i++)
		mao_buf_append_char(&tmp, '[');
	for (int i = 0; i < 1000; i++)
		mao_buf_append_char(&tmp, ']');
	expect_open(t, r, "1000 nested arrays", tmp.data, tmp.len, NULL, "json", tmp.data);
	mao_buf_reset(&big);
	mao_buf_append_char(&big, '[');
	mao_buf_append(&big, tmp.data, tmp.len);
	mao_buf_append_char(&big, ']');
	expect_reject(t, r, "1001 nested arrays", big.data, big.len, NULL, MAO_ERR_INVALID, "not valid JSON");

	/* size caps: the object itself, a decompressed document, inside an envelope */
	mao_buf_reset(&big);
	mao_buf_append_str(&big, "{\"pad\": \"");
	for (int i = 0; i < 5000; i++)
		mao_buf_append_char(&big, 'x');
	mao_buf_append_str(&big, "\"}");
	expect_reject(t, small, "oversize JSON", big.data, big.len, NULL, MAO_ERR_TOO_LARGE, "limit");
	mao_buf_reset(&tmp);
	mao_buf_append_str(&tmp, "{\"pad\": \"");
	for (int i = 0; i < 10 * 1024 * 1024; i++)
		mao_buf_append_char(&tmp, ' ');
	mao_buf_append_str(&tmp, "\"}");
	gz(tmp.data, tmp.len, &bomb);
	T_CHECK(t, bomb.len < 16384, "the bomb is small (%zu bytes)", bomb.len);
	expect_reject(t, mid, "gzip bomb", bomb.data, bomb.len, NULL, MAO_ERR_TOO_LARGE, "decompressed size exceeds");
	mao_buf_reset(&tmp);
	seal_raw(key, ACCT, bomb.data, bomb.len, &tmp);
	expect_reject(t, mid, "gzip bomb in an envelope", tmp.data, tmp.len, DATA_KEY, MAO_ERR_TOO_LARGE,
				  "decompressed size exceeds");
	mao_buf_reset(&tmp);
	seal_raw(key, ACCT, big.data, big.len - 2000, &tmp);   /* over 4096 with the envelope's overhead */
	expect_reject(t, small, "oversize envelope", tmp.data, tmp.len, DATA_KEY, MAO_ERR_TOO_LARGE, "limit");

	mao_receiver_free(r);
	mao_receiver_free(wrong);
	mao_receiver_free(nokr);
	mao_receiver_free(small);
	mao_receiver_free(mid);
	mao_buf_free(&env);
	mao_buf_free(&g);
	mao_buf_free(&genv);
	mao_buf_free(&tmp);
	mao_buf_free(&bomb);
	mao_buf_free(&big);
}

/* What the test's own KMS keyring needs (encrypting through lib/kms). */
typedef struct test_kms {
	mao_aws_client *c;
	int corrupt;                  /* flip the last byte of each blob */
} test_kms;

/* GenerateDataKey through lib/kms. */
static int
tk_generate(void *ctx, const char *key_id, const mao_ec *ec, size_t n_bytes, mao_buf *pt, mao_buf *blob,
			mao_buf *key_arn, mao_err *err)
{
	test_kms *k = ctx;
	mao_header h[16];
	char arn[256];
	int rc;

	(void) n_bytes;
	for (size_t i = 0; i < ec->n && i < 16; i++) {
		h[i].name = ec->entries[i].key;
		h[i].value = ec->entries[i].value;
	}
	rc = mao_kms_generate_data_key(k->c, key_id, h, ec->n, pt, blob, arn, sizeof(arn), err);
	if (rc == MAO_OK) {
		mao_buf_append_str(key_arn, arn);
		if (k->corrupt)
			blob->data[blob->len - 1] ^= 0x01;
	}
	return rc;
}

/* Not used: the tests make one EDK per message. */
static int
tk_encrypt(void *ctx, const char *key_id, const mao_ec *ec, const unsigned char *pt, size_t len,
		   mao_buf *blob, mao_buf *key_arn, mao_err *err)
{
	(void) ctx, (void) key_id, (void) ec, (void) pt, (void) len, (void) blob, (void) key_arn;
	return mao_err_set(err, MAO_ERR_INVALID, "unused");
}

/* Not used by the tests' encrypting keyring. */
static int
tk_decrypt(void *ctx, const char *key_id, const mao_ec *ec, const unsigned char *blob, size_t len,
		   mao_buf *pt, mao_buf *key_arn, mao_err *err)
{
	(void) ctx, (void) key_id, (void) ec, (void) blob, (void) len, (void) pt, (void) key_arn;
	return mao_err_set(err, MAO_ERR_INVALID, "unused");
}

/* Seals pt under the KMS key with the MAO context. */
static void
seal_kms(t_ctx *t, test_kms *k, const void *pt, size_t len, mao_buf *out)
{
	mao_kms_ops ops = {k, tk_generate, tk_encrypt, tk_decrypt};
	mao_keyring *kr = NULL;
	mao_ec ec = MAO_EC_INIT;
	mao_esdk_encrypt_opts o;
	mao_err err;

	mao_kms_keyring_new(&ops, &kms_arn, 1, &kr, NULL);
	mao_envelope_ctx_set(&ec, ACCT, "eu-west-1", "2026-11-26", "daily", NULL);
	mao_esdk_encrypt_opts_init(&o);
	o.keyrings = &kr;
	o.n_keyrings = 1;
	o.ec = &ec;
	T_CHECK(t, mao_esdk_encrypt(&o, pt, len, out, &err) == MAO_OK, "KMS encrypt: %s", err.msg);
	mao_ec_free(&ec);
	mao_keyring_free(kr);
}

/* KMS envelopes against moto's KMS (signature checking on). */
static void
test_open_kms(t_ctx *t, const char *refused)
{
	char spec[600], other_spec[600];
	test_kms k = {t_aws_client(kms_endpoint, &creds, 120000), 0};
	mao_buf env = MAO_BUF_INIT, bad = MAO_BUF_INIT, g = MAO_BUF_INIT;
	mao_receiver *r, *down, *other;
	mao_receiver_opened o;
	mao_err err;
	int rc;

	snprintf(spec, sizeof(spec), "aws-kms:%s", kms_arn);
	snprintf(other_spec, sizeof(other_spec), "aws-kms:arn:aws:kms:us-east-1:%s:key/00000000-0000-0000-0000-000000000000,%s",
			 ACCT, kms_arn);
	r = receiver_at(NULL, kms_endpoint, spec, 0);
	other = receiver_at(NULL, kms_endpoint, other_spec, 0);
	down = receiver_at(NULL, refused, spec, 0);
	gz(DOC, strlen(DOC), &g);
	seal_kms(t, &k, g.data, g.len, &env);
	k.corrupt = 1;
	seal_kms(t, &k, DOC, strlen(DOC), &bad);
	expect_open(t, r, "KMS envelope", env.data, env.len, DATA_KEY, "esdk", DOC);
	expect_open(t, other, "KMS envelope, two ARNs", env.data, env.len, DATA_KEY, "esdk", DOC);
	expect_reject(t, r, "KMS: account disagrees", env.data, env.len,
				  "data/210987654321/eu-west-1/2026-11-26_daily.json.enc", MAO_ERR_INVALID, "mao:account");
	expect_reject(t, r, "KMS: blob does not decrypt", bad.data, bad.len, DATA_KEY, MAO_ERR_CRYPTO,
				  "InvalidCiphertextException");
	/* KMS unreachable: transient */
	rc = mao_receiver_open(down, env.data, env.len, DATA_KEY, &o, &err);
	T_CHECK(t, rc != MAO_OK && mao_receiver_is_transient(rc), "KMS unreachable must be transient: %s (%s)",
			mao_status_str(rc), err.msg);
	T_CHECK(t, rc == MAO_ERR_NETWORK, "KMS unreachable: %s", mao_status_str(rc));
	T_CHECK(t, o.document.len == 0, "KMS unreachable: nothing opened");
	printf("  transient KMS unreachable: %s\n", err.msg);
	mao_receiver_opened_free(&o);
	mao_receiver_free(r);
	mao_receiver_free(other);
	mao_receiver_free(down);
	mao_aws_client_free(k.c);
	mao_buf_free(&env);
	mao_buf_free(&bad);
	mao_buf_free(&g);
}

/* Puts data at key or exits. */
static void
put(mao_aws_client *c, const char *key, const void *data, size_t len)
{
	mao_err err;

	if (mao_s3_put_object(c, bucket, key, data, len, NULL, NULL, &err) != MAO_OK) {
		fprintf(stderr, "put %s: %s\n", key, err.msg);
		exit(1);
	}
}

/* Non-zero if key exists. */
static int
exists(mao_aws_client *c, const char *key)
{
	mao_s3_head h;

	return mao_s3_head_object(c, bucket, key, &h, NULL) == MAO_OK;
}

/* Parses LastModified into milliseconds. */
static long long
lm_ms(const char *s)
{
	time_t t = 0;
	const char *dot = strchr(s, '.');
	long long ms = 0;
	int scale = 100;

	mao_time_parse_iso8601(s, &t);
	for (const char *p = dot ? dot + 1 : ""; *p >= '0' && *p <= '9' && scale > 0; p++, scale /= 10)
		ms += (*p - '0') * scale;
	return (long long) t * 1000 + ms;
}

/* More than 1000 objects across pages, oldest first; loaded/, failed/ and directories left out. */
static void
test_list(t_ctx *t, mao_receiver *r, mao_aws_client *c)
{
	mao_s3_list_result l;
	mao_err err;
	char key[256];
	int rc, bad_order = 0, n_first = -1, n_last = -1;
	const int n = 1030;
	struct timespec ts = {1, 200000000};

	put(c, "data/list/zzz-oldest", "{}", 2);
	nanosleep(&ts, NULL);
	for (int i = 0; i < n; i++) {
		/* keys in an order unrelated to time */
		snprintf(key, sizeof(key), "data/list/%04d", (i * 389) % n);
		put(c, key, "{}", 2);
	}
	nanosleep(&ts, NULL);
	put(c, "data/list/aaa-newest", "{}", 2);
	put(c, "data/list/dir/", "", 0);
	put(c, "loaded/list/x", "{}", 2);
	put(c, "failed/list/y", "{}", 2);

	rc = mao_receiver_list(r, bucket, "data/list/", &l, &err);
	if (T_CHECK(t, rc == MAO_OK, "list: %s", err.msg)) {
		T_CHECK(t, l.n_objects == (size_t) n + 2, "listed %zu objects, want %d", l.n_objects, n + 2);
		T_CHECK(t, l.is_truncated == 0 && l.next_continuation_token == NULL, "one result");
		for (size_t i = 0; i < l.n_objects; i++) {
			if (strcmp(l.objects[i].key, "data/list/zzz-oldest") == 0)
				n_first = (int) i;
			if (strcmp(l.objects[i].key, "data/list/aaa-newest") == 0)
				n_last = (int) i;
			if (i > 0) {
				long long a = lm_ms(l.objects[i - 1].last_modified), b = lm_ms(l.objects[i].last_modified);

				if (a > b || (a == b && strcmp(l.objects[i - 1].key, l.objects[i].key) >= 0))
					bad_order++;
			}
			T_CHECK(t, l.objects[i].key[strlen(l.objects[i].key) - 1] != '/', "directory listed");
		}
		T_CHECK(t, n_first == 0, "oldest first (at %d)", n_first);
		T_CHECK(t, n_last == (int) l.n_objects - 1, "newest last (at %d)", n_last);
		T_CHECK(t, bad_order == 0, "%d objects out of order", bad_order);
		if (l.n_objects > 1)
			printf("  listed %zu objects: %s %s ... %s %s\n", l.n_objects, l.objects[0].key,
				   l.objects[0].last_modified, l.objects[l.n_objects - 1].key,
				   l.objects[l.n_objects - 1].last_modified);
	}
	mao_s3_list_result_free(&l);

	/* the whole bucket: still nothing under loaded/ or failed/ */
	rc = mao_receiver_list(r, bucket, "", &l, &err);
	if (T_CHECK(t, rc == MAO_OK, "list all: %s", err.msg)) {
		int bad = 0;

		for (size_t i = 0; i < l.n_objects; i++)
			if (strncmp(l.objects[i].key, "loaded/", 7) == 0 || strncmp(l.objects[i].key, "failed/", 7) == 0 ||
				l.objects[i].key[strlen(l.objects[i].key) - 1] == '/')
				bad++;
		T_CHECK(t, bad == 0, "%d objects under loaded/ or failed/ or directories listed", bad);
		T_CHECK(t, l.n_objects >= (size_t) n + 2, "whole bucket: %zu", l.n_objects);
	}
	mao_s3_list_result_free(&l);
	rc = mao_receiver_list(r, bucket, "data/nothing-here/", &l, &err);
	T_CHECK(t, rc == MAO_OK && l.n_objects == 0 && l.objects == NULL, "empty list: %s", err.msg);
	mao_s3_list_result_free(&l);
}

/* fetch -> open -> move with awkward keys; the crash cases of move. */
static void
test_fetch_move(t_ctx *t, mao_receiver *r, mao_aws_client *c)
{
	static const char *keys[] = {
		"data/" ACCT "/eu-west-1/2026-11-26_daily.json.enc",
		"data/" ACCT "/eu-west-1/2026-11-26_daily.a b.json.enc",
		"data/" ACCT "/eu-west-1/2026-11-26_daily.a+b=c d.json.enc",
		"data/" ACCT "/eu-west-1/2026-11-26_daily.\xc3\xa9\xe4\xb8\xad\xf0\x9f\x98\x80 %2F~.json.enc",
	};
	unsigned char key[32];
	char spec[1200], kpath[1024], dest[512], etag[MAO_S3_ETAG_MAX];
	mao_receiver *small;
	mao_buf env = MAO_BUF_INIT, body = MAO_BUF_INIT;
	mao_err err;
	int rc;

	for (int i = 0; i < 32; i++)
		key[i] = (unsigned char) (i * 7 + 1);
	snprintf(kpath, sizeof(kpath), "%s/key.bin", workdir);
	snprintf(spec, sizeof(spec), "raw-aes:mao:test-key:%s", kpath);
	small = receiver(s3_endpoint, spec, 1000);
	seal_raw(key, ACCT, DOC, strlen(DOC), &env);
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const char *dp = i % 2 ? "failed/" : "loaded/";
		mao_receiver_opened o;

		put(c, keys[i], env.data, env.len);
		mao_buf_reset(&body);
		rc = mao_receiver_fetch(r, bucket, keys[i], &body, etag, &err);
		T_CHECK(t, rc == MAO_OK, "fetch %s: %s", keys[i], err.msg);
		T_CHECK(t, etag[0] == '"' && strlen(etag) > 2 && etag[strlen(etag) - 1] == '"', "etag %s", etag);
		T_SAME(t, "fetched", env.data, env.len, body.data, body.len);
		rc = mao_receiver_open(r, body.data, body.len, keys[i], &o, &err);
		T_CHECK(t, rc == MAO_OK, "open %s: %s", keys[i], err.msg);
		mao_receiver_opened_free(&o);
		rc = mao_receiver_move(r, bucket, keys[i], "data/", dp, &err);
		T_CHECK(t, rc == MAO_OK, "move %s: %s", keys[i], err.msg);
		snprintf(dest, sizeof(dest), "%s%s", dp, keys[i] + 5);
		T_CHECK(t, !exists(c, keys[i]), "%s still there", keys[i]);
		T_CHECK(t, exists(c, dest), "%s not there", dest);
		mao_buf_reset(&body);
		T_CHECK(t, mao_s3_get_object(c, bucket, dest, 0, &body, NULL, NULL) == MAO_OK &&
				body.len == env.len && memcmp(body.data, env.data, env.len) == 0, "moved bytes of %s", dest);
	}

	/* a crash after the copy, before the delete: both exist; move completes */
	put(c, "data/crash/a+b c", "{}", 2);
	put(c, "loaded/crash/a+b c", "{}", 2);
	rc = mao_receiver_move(r, bucket, "data/crash/a+b c", "data/", "loaded/", &err);
	T_CHECK(t, rc == MAO_OK && !exists(c, "data/crash/a+b c") && exists(c, "loaded/crash/a+b c"),
			"move after copy: %s", err.msg);
	/* moved already (source gone, destination there): counts as moved */
	rc = mao_receiver_move(r, bucket, "data/crash/a+b c", "data/", "loaded/", &err);
	T_CHECK(t, rc == MAO_OK, "move again: %s", err.msg);
	/* neither there: not found, transient (nothing to move) */
	rc = mao_receiver_move(r, bucket, "data/crash/never", "data/", "loaded/", &err);
	T_CHECK(t, rc == MAO_ERR_NOT_FOUND && mao_receiver_is_transient(rc), "move of nothing: %s (%s)",
			mao_status_str(rc), err.msg);
	/* bad arguments */
	rc = mao_receiver_move(r, bucket, "other/x", "data/", "loaded/", &err);
	T_CHECK(t, rc == MAO_ERR_INVALID, "key outside the prefix: %s", err.msg);
	rc = mao_receiver_move(r, bucket, "data/x", "data/", "data/", &err);
	T_CHECK(t, rc == MAO_ERR_INVALID, "move onto itself: %s", err.msg);
	/* fetch: missing object, oversize object */
	mao_buf_reset(&body);
	rc = mao_receiver_fetch(r, bucket, "data/crash/never", &body, etag, &err);
	T_CHECK(t, rc == MAO_ERR_NOT_FOUND && mao_receiver_is_transient(rc), "fetch missing: %s", err.msg);
	mao_buf_reset(&body);
	for (int i = 0; i < 1001; i++)
		mao_buf_append_char(&body, ' ');
	put(c, "data/big/x.json", body.data, body.len);
	mao_buf_reset(&body);
	rc = mao_receiver_fetch(small, bucket, "data/big/x.json", &body, etag, &err);
	T_CHECK(t, rc == MAO_ERR_TOO_LARGE && !mao_receiver_is_transient(rc), "fetch oversize: %s (%s)",
			mao_status_str(rc), err.msg);
	mao_receiver_free(small);
	mao_buf_free(&env);
	mao_buf_free(&body);
}

/* An endpoint that refuses connections, or a cancel: transient everywhere, nothing moved. */
static void
test_unreachable(t_ctx *t, mao_aws_client *c, const char *refused)
{
	mao_receiver *down = receiver(refused, NULL, 0);
	mao_s3_list_result l;
	mao_buf body = MAO_BUF_INIT;
	mao_err err;
	int rc;

	put(c, "data/down/x.json", "{}", 2);
	rc = mao_receiver_list(down, bucket, "data/", &l, &err);
	T_CHECK(t, rc == MAO_ERR_NETWORK && mao_receiver_is_transient(rc), "list: %s (%s)", mao_status_str(rc), err.msg);
	T_CHECK(t, l.n_objects == 0 && l.objects == NULL, "nothing listed");
	mao_s3_list_result_free(&l);
	rc = mao_receiver_fetch(down, bucket, "data/down/x.json", &body, NULL, &err);
	T_CHECK(t, rc == MAO_ERR_NETWORK && mao_receiver_is_transient(rc), "fetch: %s (%s)", mao_status_str(rc), err.msg);
	printf("  transient fetch: %s\n", err.msg);
	rc = mao_receiver_move(down, bucket, "data/down/x.json", "data/", "failed/", &err);
	T_CHECK(t, rc == MAO_ERR_NETWORK && mao_receiver_is_transient(rc), "move: %s (%s)", mao_status_str(rc), err.msg);
	T_CHECK(t, exists(c, "data/down/x.json") && !exists(c, "failed/down/x.json"), "nothing moved");
	mao_receiver_free(down);

	/* the caller's cancel flag: transient too */
	{
		static volatile sig_atomic_t stop = 1;
		mao_receiver_options o;
		mao_receiver *rc_r = NULL;

		memset(&o, 0, sizeof(o));
		o.region = "us-east-1";
		o.endpoint_url = s3_endpoint;
		o.cancel = &stop;
		if (mao_receiver_new(&o, &rc_r, &err) != MAO_OK)
			exit(1);
		rc = mao_receiver_move(rc_r, bucket, "data/down/x.json", "data/", "failed/", &err);
		T_CHECK(t, rc == MAO_ERR_CANCELLED && mao_receiver_is_transient(rc), "cancelled move: %s (%s)",
				mao_status_str(rc), err.msg);
		rc = mao_receiver_list(rc_r, bucket, "data/", &l, &err);
		T_CHECK(t, rc == MAO_ERR_CANCELLED, "cancelled list: %s (%s)", mao_status_str(rc), err.msg);
		mao_s3_list_result_free(&l);
		T_CHECK(t, exists(c, "data/down/x.json") && !exists(c, "failed/down/x.json"), "nothing moved");
		mao_receiver_free(rc_r);
	}
	mao_buf_free(&body);
}

/* Malformed keyring specs and key files are clear errors at creation. */
static void
test_bad_specs(t_ctx *t)
{
	static const struct {
		const char *spec;
		const char *needle;
	} cases[] = {
		{"raw-aes:mao:test-key", "raw-aes:NAMESPACE:NAME:KEYFILE"},
		{"raw-aes::name:/x", "raw-aes:NAMESPACE:NAME:KEYFILE"},
		{"raw-aes:ns::/x", "raw-aes:NAMESPACE:NAME:KEYFILE"},
		{"raw-aes:ns:name:", "raw-aes:NAMESPACE:NAME:KEYFILE"},
		{"raw-aes:aws-kms:name:@KEY@", "aws-kms"},
		{"raw-aes:ns:name:/nonexistent/mao/key.bin", "cannot read key file /nonexistent/mao/key.bin"},
		{"raw-aes:ns:name:@SHORT@", "holds 31 bytes"},
		{"raw-aes:ns:name:@LONG@", "holds more than 32 bytes"},
		{"raw-aes:ns:name:@EMPTY@", "holds 0 bytes"},
		{"aws-kms:", "empty key ARN"},
		{"aws-kms:alias/mao", "is not a KMS key ARN"},
		{"aws-kms:arn:aws:kms:eu-west-1:123456789012:key/abc,", "empty key ARN"},
		{"aws-kms:arn:aws:s3:::bucket", "is not a KMS key ARN"},
		{"kms:arn:aws:kms:eu-west-1:123456789012:key/abc", "expected \"aws-kms:"},
		{"rawaes", "expected"},
	};
	unsigned char bytes[40];
	char shortp[1024], longp[1024], emptyp[1024], keyp[1024];

	memset(bytes, 0xA5, sizeof(bytes));
	write_file("short.bin", bytes, 31, shortp, sizeof(shortp));
	write_file("long.bin", bytes, 33, longp, sizeof(longp));
	write_file("empty.bin", bytes, 0, emptyp, sizeof(emptyp));
	write_file("any.bin", bytes, 32, keyp, sizeof(keyp));
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char spec[2048];
		const char *at = strchr(cases[i].spec, '@');
		mao_receiver_options o;
		mao_receiver *r = NULL;
		mao_err err;
		int rc;

		if (at != NULL) {
			const char *p = strstr(at, "SHORT") ? shortp : strstr(at, "LONG") ? longp
				: strstr(at, "EMPTY") ? emptyp : keyp;

			snprintf(spec, sizeof(spec), "%.*s%s", (int) (at - cases[i].spec), cases[i].spec, p);
		} else
			snprintf(spec, sizeof(spec), "%s", cases[i].spec);
		memset(&o, 0, sizeof(o));
		o.region = "us-east-1";
		o.keyring = spec;
		rc = mao_receiver_new(&o, &r, &err);
		T_CHECK(t, rc == MAO_ERR_INVALID && r == NULL, "spec %s: %s", spec, mao_status_str(rc));
		T_CHECK(t, strstr(err.msg, cases[i].needle) != NULL, "spec %s: message \"%s\" lacks \"%s\"",
				spec, err.msg, cases[i].needle);
		/* never the key bytes (0xA5 or their hex) */
		T_CHECK(t, strchr(err.msg, (char) 0xA5) == NULL && strstr(err.msg, "a5a5") == NULL, "key bytes in message");
		printf("  spec %-40.40s -> %s\n", spec, err.msg);
		mao_receiver_free(r);
	}
}

/* No credentials anywhere: a transient failure. */
static void
test_no_credentials(t_ctx *t)
{
	mao_receiver *r;
	mao_s3_list_result l;
	mao_err err;
	int rc;

	unsetenv("AWS_ACCESS_KEY_ID");
	unsetenv("AWS_SECRET_ACCESS_KEY");
	unsetenv("AWS_SESSION_TOKEN");
	setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/mao/credentials", 1);
	setenv("AWS_CONFIG_FILE", "/nonexistent/mao/config", 1);
	setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
	r = receiver(s3_endpoint, NULL, 0);
	rc = mao_receiver_list(r, bucket, "data/", &l, &err);
	T_CHECK(t, rc == MAO_ERR_CREDENTIALS && mao_receiver_is_transient(rc), "no credentials: %s (%s)",
			mao_status_str(rc), err.msg);
	printf("  transient no credentials: %.120s\n", err.msg);
	mao_s3_list_result_free(&l);
	mao_receiver_free(r);
}

/* Classification of every status code. */
static void
test_classes(t_ctx *t)
{
	static const int transient[] = {MAO_ERR_NOMEM, MAO_ERR_NETWORK, MAO_ERR_TIMEOUT, MAO_ERR_CANCELLED,
									MAO_ERR_AWS, MAO_ERR_CREDENTIALS, MAO_ERR_NOT_FOUND};
	static const int permanent[] = {MAO_OK, MAO_ERR_INVALID, MAO_ERR_CRYPTO, MAO_ERR_TOO_LARGE};

	for (size_t i = 0; i < sizeof(transient) / sizeof(transient[0]); i++)
		T_CHECK(t, mao_receiver_is_transient(transient[i]), "%s transient", mao_status_str(transient[i]));
	for (size_t i = 0; i < sizeof(permanent) / sizeof(permanent[0]); i++)
		T_CHECK(t, !mao_receiver_is_transient(permanent[i]), "%s not transient", mao_status_str(permanent[i]));
}

/* Runs everything. */
int
main(int argc, char **argv)
{
	t_ctx t = {0, 0};
	mao_aws_client *c;
	mao_receiver *r;
	char refused[64];

	if (argc != 7) {
		fprintf(stderr, "usage: %s S3_ENDPOINT KMS_ENDPOINT BUCKET KMS_KEY_ARN WORKDIR REFUSED_PORT\n", argv[0]);
		return 2;
	}
	s3_endpoint = argv[1];
	kms_endpoint = argv[2];
	bucket = argv[3];
	kms_arn = argv[4];
	workdir = argv[5];
	snprintf(refused, sizeof(refused), "http://127.0.0.1:%s", argv[6]);
	if (getenv("AWS_ACCESS_KEY_ID") == NULL || getenv("AWS_SECRET_ACCESS_KEY") == NULL) {
		fprintf(stderr, "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set\n");
		return 2;
	}
	mao_aws_creds_set(&creds, getenv("AWS_ACCESS_KEY_ID"), getenv("AWS_SECRET_ACCESS_KEY"), NULL, 0, "test");
	mao_http_global_init(NULL);
	c = t_aws_client(s3_endpoint, &creds, 120000);

	test_classes(&t);
	puts("== bad keyring specs");
	test_bad_specs(&t);
	puts("== open (raw AES, gzip, JSON)");
	test_open_raw(&t);
	puts("== open (KMS)");
	test_open_kms(&t, refused);
	r = receiver(s3_endpoint, NULL, 0);
	puts("== list");
	test_list(&t, r, c);
	mao_receiver_free(r);
	{
		char spec[1200];

		snprintf(spec, sizeof(spec), "raw-aes:mao:test-key:%s/key.bin", workdir);
		r = receiver(s3_endpoint, spec, 0);
	}
	puts("== fetch, open, move");
	test_fetch_move(&t, r, c);
	mao_receiver_free(r);
	puts("== unreachable");
	test_unreachable(&t, c, refused);
	puts("== no credentials");
	test_no_credentials(&t);

	mao_aws_client_free(c);
	mao_aws_creds_free(&creds);
	mao_http_global_cleanup();
	return t_summary(&t, "test_receiver");
}
