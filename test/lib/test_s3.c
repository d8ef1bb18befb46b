/*
 * test_s3.c - lib/s3 against moto_server behind test/fakes/s3_sigv4_proxy.py
 * (which checks every signature with botocore's S3SigV4Auth).
 *
 * Usage: test_s3 ENDPOINT ACCESS_KEY_ID SECRET BUCKET KMS_KEY_ID
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "s3.h"
#include "testutil.h"

static const char *endpoint, *bucket;

/* Lists everything under prefix (all pages) and returns how many keys equal `want` (NULL: 0) and the total. */
static size_t
list_all(t_ctx *t, mao_aws_client *c, const char *prefix, const char *start_after,
		 const char *want, size_t *matches, int *pages)
{
	mao_s3_list_result r;
	char *token = NULL;
	size_t total = 0;
	mao_err err;
	char last[1024] = "";

	*matches = 0;
	*pages = 0;
	for (;;) {
		int rc = mao_s3_list_objects_v2(c, bucket, prefix, token, token ? NULL : start_after,
										0, &r, &err);
		size_t i;

		free(token);
		token = NULL;
		if (!T_CHECK(t, rc == MAO_OK, "list %s: %s", prefix, err.msg))
			break;
		(*pages)++;
		for (i = 0; i < r.n_objects; i++) {
			if (want != NULL && strcmp(r.objects[i].key, want) == 0)
				(*matches)++;
			T_CHECK(t, strcmp(last, r.objects[i].key) < 0, "listing in order");
			snprintf(last, sizeof(last), "%s", r.objects[i].key);
		}
		total += r.n_objects;
		if (r.is_truncated)
			token = strdup(r.next_continuation_token);
		mao_s3_list_result_free(&r);
		if (token == NULL)
			break;
	}
	return total;
}

/* Every awkward key round-trips through put, head, get, list, copy and delete. */
static void
test_keys(t_ctx *t, mao_aws_client *c)
{
	static const char *const keys[] = {
		"a b+c%d=e~f", "plus+plus", "eq=eq==", "tilde~~", "percent%25literal%",
		"sp  ace ", "q?x&y=z#h", "semi;colon,comma:at@dollar$", "star*paren()'!",
		"uni/\xc3\xa9\xe4\xb8\xad\xf0\x9f\x98\x80", "back\\slash\"quote<lt>gt&amp;",
		"dir/sub/deep/very/deep/path/to/x.json", "x/./y/../z", "double//slash/",
		"  leading-space", "brackets[]{}|^`", NULL
	};
	int i;

	for (i = 0; keys[i] != NULL; i++) {
		const char *k = keys[i];
		char body[2048], etag[MAO_S3_ETAG_MAX], etag2[MAO_S3_ETAG_MAX], copy[1200];
		mao_buf got = MAO_BUF_INIT;
		mao_s3_head h;
		mao_s3_put_options po;
		mao_err err;
		size_t matches, n;
		int pages;

		snprintf(body, sizeof(body), "body of [%s]", k);
		memset(&po, 0, sizeof(po));
		po.content_type = "text/plain; charset=utf-8";
		T_CHECK(t, mao_s3_put_object(c, bucket, k, body, strlen(body), &po, etag, &err) == MAO_OK,
				"put [%s]: %s", k, err.msg);
		T_CHECK(t, mao_s3_head_object(c, bucket, k, &h, &err) == MAO_OK, "head [%s]: %s", k, err.msg);
		T_CHECK(t, h.size == (long long) strlen(body) && strcmp(h.etag, etag) == 0,
				"head [%s]: size %lld etag %s/%s", k, h.size, h.etag, etag);
		T_STREQ(t, "content type", "text/plain; charset=utf-8", h.content_type);
		T_CHECK(t, mao_s3_get_object(c, bucket, k, 0, &got, etag2, &err) == MAO_OK, "get [%s]: %s", k, err.msg);
		T_SAME(t, "body", body, strlen(body), got.data ? got.data : "", got.len);
		T_STREQ(t, "get etag", etag, etag2);
		n = list_all(t, c, k, NULL, k, &matches, &pages);
		T_CHECK(t, matches == 1 && n >= 1, "list prefix [%s]: %zu matches of %zu", k, matches, n);
		snprintf(copy, sizeof(copy), "copies/%s.copy", k);
		T_CHECK(t, mao_s3_copy_object(c, bucket, k, bucket, copy, NULL, etag2, &err) == MAO_OK,
				"copy [%s]: %s", k, err.msg);
		mao_buf_reset(&got);
		T_CHECK(t, mao_s3_get_object(c, bucket, copy, 0, &got, NULL, &err) == MAO_OK, "get copy [%s]: %s",
				copy, err.msg);
		T_SAME(t, "copy body", body, strlen(body), got.data ? got.data : "", got.len);
		T_CHECK(t, mao_s3_delete_object(c, bucket, k, &err) == MAO_OK, "delete [%s]: %s", k, err.msg);
		T_CHECK(t, mao_s3_delete_object(c, bucket, copy, &err) == MAO_OK, "delete copy: %s", err.msg);
		T_CHECK(t, mao_s3_head_object(c, bucket, k, &h, &err) == MAO_ERR_NOT_FOUND,
				"gone after delete [%s]: %s", k, err.msg);
		mao_buf_reset(&got);
		T_CHECK(t, mao_s3_get_object(c, bucket, k, 0, &got, NULL, &err) == MAO_ERR_NOT_FOUND &&
				strstr(err.msg, "NoSuchKey") != NULL, "get after delete: %s", err.msg);
		mao_buf_free(&got);
	}
}

/* More than 1000 objects: pages, continuation tokens and start-after. */
static void
test_listing(t_ctx *t, mao_aws_client *c)
{
	enum { N = 1050 };
	char key[64], after[64];
	size_t matches, n;
	int i, ok = 0, pages;
	mao_err err;

	for (i = 0; i < N; i++) {
		snprintf(key, sizeof(key), "many/%05d+=", i);
		ok += mao_s3_put_object(c, bucket, key, "x", 1, NULL, NULL, &err) == MAO_OK;
	}
	T_CHECK(t, ok == N, "%d of %d puts: %s", ok, N, err.msg);
	n = list_all(t, c, "many/", NULL, "many/01049+=", &matches, &pages);
	T_CHECK(t, n == N && matches == 1 && pages == 2, "listed %zu in %d pages", n, pages);
	snprintf(after, sizeof(after), "many/%05d+=", 1000);
	n = list_all(t, c, "many/", after, NULL, &matches, &pages);
	T_CHECK(t, n == N - 1001 && pages == 1, "start-after: %zu", n);
	n = list_all(t, c, "many/0100", NULL, NULL, &matches, &pages);
	T_CHECK(t, n == 10, "prefix many/0100: %zu", n);
	n = list_all(t, c, "nothing-here/", NULL, NULL, &matches, &pages);
	T_CHECK(t, n == 0 && pages == 1, "empty listing");
}

/* Tens of MB up and down, the size cap, SSE-KMS headers, missing things, a wrong secret. */
static void
test_big_and_errors(t_ctx *t, mao_aws_client *c, mao_aws_creds *good, const char *kms_key)
{
	size_t len = 40u * 1024 * 1024, i;
	char *big = malloc(len);
	mao_buf got = MAO_BUF_INIT;
	char etag[MAO_S3_ETAG_MAX], etag2[MAO_S3_ETAG_MAX];
	mao_s3_head h;
	mao_s3_put_options po;
	mao_s3_list_result lr;
	mao_aws_creds bad;
	mao_aws_client *bc;
	mao_err err;

	for (i = 0; i < len; i++)
		big[i] = (char) (i * 2654435761u >> 13);
	T_CHECK(t, mao_s3_put_object(c, bucket, "big/forty MB.bin", big, len, NULL, etag, &err) == MAO_OK,
			"put 40 MB: %s", err.msg);
	T_CHECK(t, mao_s3_head_object(c, bucket, "big/forty MB.bin", &h, &err) == MAO_OK &&
			h.size == (long long) len, "head 40 MB: %lld", h.size);
	T_CHECK(t, mao_s3_get_object(c, bucket, "big/forty MB.bin", len, &got, etag2, &err) == MAO_OK,
			"get 40 MB: %s", err.msg);
	T_CHECK(t, got.len == len && memcmp(got.data, big, len) == 0, "40 MB intact");
	T_STREQ(t, "etag", etag, etag2);
	mao_buf_reset(&got);
	T_CHECK(t, mao_s3_get_object(c, bucket, "big/forty MB.bin", 1024 * 1024, &got, NULL, &err) ==
			MAO_ERR_TOO_LARGE && got.len == 0, "size cap: %s", err.msg);
	T_CHECK(t, mao_s3_delete_object(c, bucket, "big/forty MB.bin", &err) == MAO_OK, "delete big");
	free(big);

	memset(&po, 0, sizeof(po));
	po.sse = "aws:kms";
	po.sse_kms_key_id = kms_key;
	po.content_type = "application/json";
	T_CHECK(t, mao_s3_put_object(c, bucket, "enc/doc.json", "{}", 2, &po, NULL, &err) == MAO_OK,
			"put SSE-KMS: %s", err.msg);
	T_CHECK(t, mao_s3_head_object(c, bucket, "enc/doc.json", &h, &err) == MAO_OK, "head SSE-KMS");
	T_STREQ(t, "sse", "aws:kms", h.sse);
	T_CHECK(t, strstr(h.sse_kms_key_id, kms_key) != NULL, "kms key id %s", h.sse_kms_key_id);
	T_CHECK(t, mao_s3_copy_object(c, bucket, "enc/doc.json", bucket, "enc/copy.json", &po, NULL, &err) == MAO_OK,
			"copy SSE-KMS: %s", err.msg);
	T_CHECK(t, mao_s3_head_object(c, bucket, "enc/copy.json", &h, &err) == MAO_OK &&
			strcmp(h.sse, "aws:kms") == 0, "copy keeps SSE-KMS");
	T_CHECK(t, mao_s3_copy_object(c, bucket, "enc/missing", bucket, "enc/x", NULL, NULL, &err) ==
			MAO_ERR_NOT_FOUND, "copy of a missing key: %s", err.msg);
	T_CHECK(t, mao_s3_list_objects_v2(c, "no-such-bucket-mao", NULL, NULL, NULL, 0, &lr, &err) ==
			MAO_ERR_NOT_FOUND && strstr(err.msg, "NoSuchBucket") != NULL, "missing bucket: %s", err.msg);

	mao_aws_creds_set(&bad, good->access_key_id, "not-the-secret", NULL, 0, "test");
	bc = t_aws_client(endpoint, &bad, 120000);
	mao_buf_reset(&got);
	T_CHECK(t, mao_s3_get_object(bc, bucket, "enc/doc.json", 0, &got, NULL, &err) == MAO_ERR_AWS &&
			strstr(err.msg, "SignatureDoesNotMatch") != NULL && strstr(err.msg, "1 attempt,") != NULL,
			"wrong secret refused once: %s", err.msg);
	T_CHECK(t, mao_s3_put_object(bc, bucket, "enc/evil", "x", 1, NULL, NULL, &err) == MAO_ERR_AWS,
			"wrong secret cannot put");
	T_CHECK(t, mao_s3_head_object(c, bucket, "enc/evil", &h, &err) == MAO_ERR_NOT_FOUND,
			"nothing written with a wrong secret");
	mao_aws_client_free(bc);
	mao_aws_creds_free(&bad);
	mao_buf_free(&got);
}

/* Entry point. */
int
main(int argc, char **argv)
{
	t_ctx t = {0, 0};
	mao_aws_creds good;
	mao_aws_client *c;

	if (argc != 6) {
		fprintf(stderr, "usage: test_s3 ENDPOINT AKID SECRET BUCKET KMS_KEY_ID\n");
		return 2;
	}
	endpoint = argv[1];
	bucket = argv[4];
	mao_http_global_init(NULL);
	mao_aws_creds_set(&good, argv[2], argv[3], NULL, 0, "test");
	c = t_aws_client(endpoint, &good, 120000);
	test_keys(&t, c);
	test_listing(&t, c);
	test_big_and_errors(&t, c, &good, argv[5]);
	mao_aws_client_free(c);
	mao_aws_creds_free(&good);
	mao_http_global_cleanup();
	return t_summary(&t, "test_s3");
}
