/*
 * test_sigv4.c - lib/sigv4 against the official AWS SigV4 test suite and
 * against botocore's S3 signers.
 *
 * Usage: test_sigv4 [VECTORS_DIR]   (default: test/vectors/sigv4/v4)
 *
 * Part 1, the suite: for each of the 38 case folders, reads context.json
 * and request.txt, signs the request in the header form and the presigned
 * form, and compares canonical request, string to sign, signature and the
 * whole signed request byte for byte with the expected files.
 *
 * Part 2, S3: every case of sigv4_s3_expected.h (generated from botocore by
 * gen_sigv4_s3_expected.py) is built from the raw key and query values with
 * lib/'s encoders and signed with the S3 options; wire path, wire query,
 * canonical request, string to sign and signature must match botocore's.
 *
 * Part 3, focused checks: path and query canonicalisation, UNSIGNED-PAYLOAD,
 * session tokens, the signing-key cache, and input errors (whose messages
 * must never contain the secret key or the session token).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "crypto_util.h"
#include "mini_json.h"
#include "sigv4.h"
#include "testutil.h"
#include "timeutil.h"

#define SUITE_CASES 38

/* ------------------------------------------------------------ part 1 */

/* One suite case, parsed.  Owns every string it points to. */
typedef struct vcase {
	mj_value *ctx;        /* context.json */
	char *raw;            /* request.txt; body points into it */
	char *method;
	char *target;         /* request target as in the request line */
	char *path;
	char *query;          /* NULL when the target has no '?' */
	char *version;
	char **names;
	char **values;        /* may contain folded lines ("\n  ") */
	mao_header *headers;  /* borrowed views of names/values */
	size_t n_headers;
	const char *body;
	size_t body_len;
} vcase;

/* Frees everything a vcase owns. */
static void
vcase_free(vcase *vc)
{
	size_t i;

	mj_free(vc->ctx);
	free(vc->raw);
	free(vc->method);
	free(vc->target);
	free(vc->path);
	free(vc->query);
	free(vc->version);
	for (i = 0; i < vc->n_headers; i++) {
		free(vc->names[i]);
		free(vc->values[i]);
	}
	free(vc->names);
	free(vc->values);
	free(vc->headers);
	memset(vc, 0, sizeof(*vc));
}

/* Returns a malloc'd copy of s[0..n). */
static char *
dup_n(const char *s, size_t n)
{
	char *d = malloc(n + 1);

	if (d != NULL) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

/*
 * Parses request.txt: "METHOD TARGET VERSION" (the target may hold
 * spaces), "Name:value" lines, lines starting with whitespace continuing
 * the previous value, an empty line, then the body.
 */
static int
parse_request(vcase *vc)
{
	const char *p = vc->raw, *eol = strchr(p, '\n'), *sp1, *sp2, *q;
	size_t cap = 0;

	if (eol == NULL)
		eol = p + strlen(p);
	sp1 = memchr(p, ' ', (size_t) (eol - p));
	for (sp2 = eol; sp2 > p && sp2[-1] != ' '; sp2--)
		;
	if (sp1 == NULL || sp2 <= sp1 + 1)
		return 0;
	vc->method = dup_n(p, (size_t) (sp1 - p));
	vc->target = dup_n(sp1 + 1, (size_t) (sp2 - 1 - (sp1 + 1)));
	vc->version = dup_n(sp2, (size_t) (eol - sp2));
	q = strchr(vc->target, '?');
	if (q != NULL) {
		vc->path = dup_n(vc->target, (size_t) (q - vc->target));
		vc->query = dup_n(q + 1, strlen(q + 1));
	} else
		vc->path = dup_n(vc->target, strlen(vc->target));
	p = *eol != '\0' ? eol + 1 : eol;
	while (*p != '\0' && *p != '\n') {
		size_t len;
		const char *colon;

		eol = strchr(p, '\n');
		if (eol == NULL)
			eol = p + strlen(p);
		len = (size_t) (eol - p);
		if ((*p == ' ' || *p == '\t') && vc->n_headers > 0) {
			/* Folded continuation of the previous value. */
			char **v = &vc->values[vc->n_headers - 1];
			size_t old = strlen(*v);
			char *nv = realloc(*v, old + 1 + len + 1);

			if (nv == NULL)
				return 0;
			nv[old] = '\n';
			memcpy(nv + old + 1, p, len);
			nv[old + 1 + len] = '\0';
			*v = nv;
		} else {
			colon = memchr(p, ':', len);
			if (colon == NULL)
				return 0;
			if (vc->n_headers == cap) {
				cap = cap ? cap * 2 : 8;
				vc->names = realloc(vc->names, cap * sizeof(char *));
				vc->values = realloc(vc->values, cap * sizeof(char *));
				if (vc->names == NULL || vc->values == NULL)
					return 0;
			}
			vc->names[vc->n_headers] = dup_n(p, (size_t) (colon - p));
			vc->values[vc->n_headers] = dup_n(colon + 1, (size_t) (eol - colon - 1));
			vc->n_headers++;
		}
		p = *eol != '\0' ? eol + 1 : eol;
	}
	if (*p == '\n')
		p++;
	vc->body = p;
	vc->body_len = strlen(p);
	vc->headers = calloc(vc->n_headers + 1, sizeof(mao_header));
	if (vc->headers == NULL)
		return 0;
	for (cap = 0; cap < vc->n_headers; cap++) {
		vc->headers[cap].name = vc->names[cap];
		vc->headers[cap].value = vc->values[cap];
	}
	return vc->method && vc->target && vc->version && vc->path;
}

/* Builds "dir/name/file" into out. */
static void
case_path(char *out, size_t n, const char *dir, const char *name,
		  const char *file)
{
	snprintf(out, n, "%s/%s/%s", dir, name, file);
}

/* Compares actual with the contents of one expected file of a case. */
static int
expect_file(t_ctx *t, const char *dir, const char *name, const char *file,
			const char *actual, size_t actual_len)
{
	char path[4096], what[512];
	size_t len;
	char *expected;
	int ok;

	case_path(path, sizeof(path), dir, name, file);
	expected = t_read_file(path, &len);
	if (expected == NULL)
		return T_CHECK(t, 0, "%s: cannot read %s", name, file);
	snprintf(what, sizeof(what), "%s/%s", name, file);
	ok = T_SAME(t, what, expected, len, actual, actual_len);
	free(expected);
	return ok;
}

/* Appends the request line and the original headers of vc to b. */
static void
append_original(mao_buf *b, const vcase *vc, const char *target)
{
	size_t i;

	mao_buf_printf(b, "%s %s %s\n", vc->method, target, vc->version);
	for (i = 0; i < vc->n_headers; i++)
		mao_buf_printf(b, "%s:%s\n", vc->names[i], vc->values[i]);
}

/* Fills a signing request from a parsed case. */
static int
case_request(t_ctx *t, const char *name, const vcase *vc,
			 mao_sigv4_credentials *creds, mao_sigv4_request *req)
{
	const mj_value *c = mj_get(vc->ctx, "credentials");
	const char *ts = mj_get_string(vc->ctx, "timestamp");

	creds->access_key_id = mj_get_string(c, "access_key_id");
	creds->secret_access_key = mj_get_string(c, "secret_access_key");
	creds->session_token = mj_get_string(c, "token");
	mao_sigv4_request_init(req);
	req->method = vc->method;
	req->path = vc->path;
	req->query = vc->query;
	req->headers = vc->headers;
	req->n_headers = vc->n_headers;
	req->payload = vc->body;
	req->payload_len = vc->body_len;
	req->creds = creds;
	req->region = mj_get_string(vc->ctx, "region");
	req->service = mj_get_string(vc->ctx, "service");
	req->normalize_path = mj_get_bool(vc->ctx, "normalize", 1);
	req->sign_body = mj_get_bool(vc->ctx, "sign_body", 0);
	req->omit_session_token = mj_get_bool(vc->ctx, "omit_session_token", 0);
	req->expires = (long) mj_get_number(vc->ctx, "expiration_in_seconds", 0);
	return T_CHECK(t, ts != NULL && mao_time_parse_iso8601(ts, &req->timestamp) == MAO_OK &&
				   creds->access_key_id != NULL && creds->secret_access_key != NULL &&
				   req->region != NULL && req->service != NULL,
				   "%s: context.json lacks a field or has a bad timestamp", name);
}

/* Signs one suite case both ways and compares all eight expected files. */
static int
run_case(t_ctx *t, const char *dir, const char *name)
{
	char path[4096], errbuf[256];
	mao_sigv4_credentials creds;
	mao_sigv4_request req;
	mao_sigv4_result res;
	mao_err err;
	mao_buf signed_req = MAO_BUF_INIT;
	vcase vc;
	size_t len, i;
	char *text;
	int before = t->failures, rc;

	memset(&vc, 0, sizeof(vc));
	mao_sigv4_result_init(&res);
	case_path(path, sizeof(path), dir, name, "context.json");
	text = t_read_file(path, &len);
	snprintf(errbuf, sizeof(errbuf), "unreadable");
	if (text != NULL) {
		vc.ctx = mj_parse(text, len, errbuf, sizeof(errbuf));
		free(text);
	}
	if (!T_CHECK(t, vc.ctx != NULL, "%s: context.json: %s", name, errbuf))
		goto done;
	case_path(path, sizeof(path), dir, name, "request.txt");
	vc.raw = t_read_file(path, &len);
	if (!T_CHECK(t, vc.raw != NULL && parse_request(&vc), "%s: bad request.txt", name))
		goto done;
	if (!case_request(t, name, &vc, &creds, &req))
		goto done;

	/* Authorization header form. */
	rc = mao_sigv4_sign(&req, &res, &err);
	if (!T_CHECK(t, rc == MAO_OK, "%s: sign failed: %s", name, err.msg))
		goto done;
	expect_file(t, dir, name, "header-canonical-request.txt",
				res.canonical_request, strlen(res.canonical_request));
	expect_file(t, dir, name, "header-string-to-sign.txt",
				res.string_to_sign, strlen(res.string_to_sign));
	expect_file(t, dir, name, "header-signature.txt", res.signature,
				strlen(res.signature));
	append_original(&signed_req, &vc, vc.target);
	for (i = 0; i < res.n_headers; i++)
		mao_buf_printf(&signed_req, "%s:%s\n", res.headers[i].name,
					   res.headers[i].value);
	mao_buf_append_char(&signed_req, '\n');
	mao_buf_append(&signed_req, vc.body, vc.body_len);
	T_CHECK(t, mao_buf_status(&signed_req) == MAO_OK, "%s: out of memory", name);
	expect_file(t, dir, name, "header-signed-request.txt", signed_req.data,
				signed_req.len);
	mao_sigv4_result_free(&res);
	mao_buf_reset(&signed_req);

	/* Presigned (query string) form. */
	rc = mao_sigv4_presign(&req, &res, &err);
	if (!T_CHECK(t, rc == MAO_OK, "%s: presign failed: %s", name, err.msg))
		goto done;
	expect_file(t, dir, name, "query-canonical-request.txt",
				res.canonical_request, strlen(res.canonical_request));
	expect_file(t, dir, name, "query-string-to-sign.txt",
				res.string_to_sign, strlen(res.string_to_sign));
	expect_file(t, dir, name, "query-signature.txt", res.signature,
				strlen(res.signature));
	{
		mao_buf target = MAO_BUF_INIT;

		mao_buf_printf(&target, "%s?%s", vc.path, res.query);
		append_original(&signed_req, &vc, mao_buf_cstr(&target));
		mao_buf_free(&target);
	}
	mao_buf_append_char(&signed_req, '\n');
	mao_buf_append(&signed_req, vc.body, vc.body_len);
	expect_file(t, dir, name, "query-signed-request.txt", signed_req.data,
				signed_req.len);

done:
	mao_sigv4_result_free(&res);
	mao_buf_free(&signed_req);
	vcase_free(&vc);
	printf("  %-4s %s\n", t->failures == before ? "ok" : "FAIL", name);
	return t->failures == before;
}

/* Orders case names for a stable report. */
static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *) a, *(char *const *) b);
}

/* Runs every case folder of the suite; exactly SUITE_CASES must exist. */
static void
run_suite(t_ctx *t, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL, path[4096];
	size_t n = 0, cap = 0, i, passed = 0;

	if (!T_CHECK(t, d != NULL, "cannot open the vector directory %s", dir))
		return;
	while ((de = readdir(d)) != NULL) {
		struct stat st;

		if (de->d_name[0] == '.')
			continue;
		case_path(path, sizeof(path), dir, de->d_name, "context.json");
		if (stat(path, &st) != 0)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			names = realloc(names, cap * sizeof(*names));
			if (names == NULL)
				break;
		}
		names[n++] = dup_n(de->d_name, strlen(de->d_name));
	}
	closedir(d);
	if (!T_CHECK(t, names != NULL, "no case found in %s", dir))
		return;
	qsort(names, n, sizeof(*names), name_cmp);
	printf("official SigV4 suite (%s):\n", dir);
	for (i = 0; i < n; i++) {
		passed += (size_t) run_case(t, dir, names[i]);
		free(names[i]);
	}
	free(names);
	printf("suite: %zu of %zu cases passed\n", passed, n);
	T_CHECK(t, n == SUITE_CASES, "expected %d cases, found %zu", SUITE_CASES, n);
}

/* ------------------------------------------------------------ part 2 */

typedef struct s3x_pair {
	const char *name;
	const char *value;
} s3x_pair;

typedef struct s3x_case {
	const char *name, *method, *bucket, *key;
	s3x_pair params[8];
	s3x_pair headers[8];
	const char *body;
	size_t body_len;
	int unsigned_payload, token;
	long presign;
	const char *wire_path, *wire_query, *canonical_request, *string_to_sign,
		*signature;
} s3x_case;

#include "sigv4_s3_expected.h"

/* Returns the value of the added header `name`, or NULL. */
static const char *
added_header(const mao_sigv4_result *res, const char *name)
{
	size_t i;

	for (i = 0; i < res->n_headers; i++)
		if (strcmp(res->headers[i].name, name) == 0)
			return res->headers[i].value;
	return NULL;
}

/* Signs one botocore-derived S3 case and compares every intermediate. */
static void
run_s3_case(t_ctx *t, const s3x_case *c)
{
	mao_buf path = MAO_BUF_INIT, query = MAO_BUF_INIT, what = MAO_BUF_INIT;
	mao_header headers[10];
	mao_sigv4_credentials creds = { S3X_ACCESS_KEY, S3X_SECRET_KEY, NULL };
	mao_sigv4_request req;
	mao_sigv4_result res;
	mao_err err;
	size_t n = 0, i;
	int before = t->failures, rc;

	/* The wire path and query, built from raw values with lib/'s encoders. */
	mao_buf_printf(&path, "/%s", c->bucket);
	if (c->key != NULL) {
		mao_buf_append_char(&path, '/');
		mao_buf_append_uri_encoded(&path, c->key, strlen(c->key), 0);
	}
	for (i = 0; c->params[i].name != NULL; i++) {
		if (i > 0)
			mao_buf_append_char(&query, '&');
		mao_buf_append_uri_encoded(&query, c->params[i].name,
								   strlen(c->params[i].name), 1);
		mao_buf_append_char(&query, '=');
		mao_buf_append_uri_encoded(&query, c->params[i].value,
								   strlen(c->params[i].value), 1);
	}
	mao_buf_printf(&what, "s3 %s: wire path", c->name);
	T_STREQ(t, mao_buf_cstr(&what), c->wire_path, mao_buf_cstr(&path));
	mao_buf_reset(&what);
	mao_buf_printf(&what, "s3 %s: wire query", c->name);
	T_STREQ(t, mao_buf_cstr(&what), c->wire_query, mao_buf_cstr(&query));

	headers[n].name = "Host";
	headers[n++].value = S3X_HOST;
	for (i = 0; c->headers[i].name != NULL; i++) {
		headers[n].name = c->headers[i].name;
		headers[n++].value = c->headers[i].value;
	}

	mao_sigv4_request_init_s3(&req);
	if (c->token)
		creds.session_token = S3X_TOKEN;
	req.method = c->method;
	req.path = mao_buf_cstr(&path);
	req.query = mao_buf_cstr(&query);
	req.headers = headers;
	req.n_headers = n;
	req.payload = c->body;
	req.payload_len = c->body_len;
	req.creds = &creds;
	req.region = S3X_REGION;
	T_CHECK(t, mao_time_parse_iso8601(S3X_TIMESTAMP, &req.timestamp) == MAO_OK,
			"timestamp");
	/* Presigned S3 URLs default to UNSIGNED-PAYLOAD: leave the hash unset. */
	if (c->unsigned_payload)
		req.payload_hash = MAO_SIGV4_UNSIGNED_PAYLOAD;
	if (c->presign > 0) {
		req.expires = c->presign;
		rc = mao_sigv4_presign(&req, &res, &err);
	} else
		rc = mao_sigv4_sign(&req, &res, &err);
	if (T_CHECK(t, rc == MAO_OK, "s3 %s: signing failed: %s", c->name, err.msg)) {
		mao_buf_reset(&what);
		mao_buf_printf(&what, "s3 %s: canonical request", c->name);
		T_STREQ(t, mao_buf_cstr(&what), c->canonical_request, res.canonical_request);
		mao_buf_reset(&what);
		mao_buf_printf(&what, "s3 %s: string to sign", c->name);
		T_STREQ(t, mao_buf_cstr(&what), c->string_to_sign, res.string_to_sign);
		mao_buf_reset(&what);
		mao_buf_printf(&what, "s3 %s: signature", c->name);
		T_STREQ(t, mao_buf_cstr(&what), c->signature, res.signature);
		if (c->presign > 0) {
			const char *tail = strstr(res.query, "&X-Amz-Signature=");

			T_CHECK(t, strncmp(res.query, c->wire_query, strlen(c->wire_query)) == 0,
					"s3 %s: presigned query keeps the original parameters first", c->name);
			T_CHECK(t, tail != NULL && strcmp(tail + 17, c->signature) == 0,
					"s3 %s: presigned query ends with the signature", c->name);
		} else {
			const char *sha = added_header(&res, "x-amz-content-sha256");
			const char *auth = added_header(&res, "Authorization");

			T_CHECK(t, sha != NULL && strstr(c->canonical_request, sha) != NULL,
					"s3 %s: x-amz-content-sha256 header matches the signed one", c->name);
			T_CHECK(t, auth != NULL && strstr(auth, c->signature) != NULL,
					"s3 %s: Authorization carries the signature", c->name);
			T_CHECK(t, (added_header(&res, "X-Amz-Security-Token") != NULL) == c->token,
					"s3 %s: token header present exactly when there is a token", c->name);
		}
	}
	mao_sigv4_result_free(&res);
	mao_buf_free(&path);
	mao_buf_free(&query);
	mao_buf_free(&what);
	printf("  %-4s s3 %s\n", t->failures == before ? "ok" : "FAIL", c->name);
}

/* Runs all botocore-derived S3 cases. */
static void
run_s3_cases(t_ctx *t)
{
	size_t i, n = sizeof(s3x_cases) / sizeof(s3x_cases[0]);

	printf("S3 single encoding against botocore:\n");
	for (i = 0; i < n; i++)
		run_s3_case(t, &s3x_cases[i]);
}

/* ------------------------------------------------------------ part 3 */

/* Checks one canonical URI. */
static void
check_uri(t_ctx *t, const char *path, int normalize, int dbl, const char *expect)
{
	mao_buf b = MAO_BUF_INIT;
	char what[256];
	int rc = mao_sigv4_canonical_uri(path, normalize, dbl, &b);

	snprintf(what, sizeof(what), "canonical uri of \"%s\" (normalize %d, double %d)",
			 path != NULL ? path : "(null)", normalize, dbl);
	if (T_CHECK(t, rc == MAO_OK, "%s: rc %d", what, rc))
		T_STREQ(t, what, expect, mao_buf_cstr(&b));
	mao_buf_free(&b);
}

/* Checks one canonical query. */
static void
check_query(t_ctx *t, const char *query, const char *expect)
{
	mao_buf b = MAO_BUF_INIT;
	char what[256];
	int rc = mao_sigv4_canonical_query(query, NULL, 0, &b);

	snprintf(what, sizeof(what), "canonical query of \"%s\"", query ? query : "(null)");
	if (T_CHECK(t, rc == MAO_OK, "%s: rc %d", what, rc))
		T_STREQ(t, what, expect, mao_buf_cstr(&b));
	mao_buf_free(&b);
}

/* Path and query canonicalisation rules, one by one. */
static void
test_canonical_pieces(t_ctx *t)
{
	mao_buf canon = MAO_BUF_INIT, names = MAO_BUF_INIT;
	mao_header h[] = {
		{"Host", "example.com"}, {"X-B", "  two\t words  "}, {"x-a", "1"},
		{"X-A", "2"}, {"User-Agent", "curl"}, {"Content-Type", "a/b"},
		{"x-folded", "line1\r\n  line2"},
	};
	mao_header bad_name[] = {{"Bad Name", "x"}};
	mao_header injected[] = {{"X-Evil", "a\r\nAuthorization: x"}};
	mao_err err;

	/* S3: no normalisation, decode + encode once (idempotent on encoded keys). */
	check_uri(t, "/b/a%2bb%7Euser/%C3%A9 x", 0, 0, "/b/a%2Bb~user/%C3%A9%20x");
	check_uri(t, "/b//a/./../k", 0, 0, "/b//a/./../k");
	check_uri(t, "/b/100%", 0, 0, "/b/100%25");
	/* Other services: normalise, then encode the wire path again. */
	check_uri(t, "/a%20b", 1, 1, "/a%2520b");
	check_uri(t, "/a/b/../c/./d//", 1, 1, "/a/c/d/");
	check_uri(t, "/a/b/..", 1, 1, "/a");
	check_uri(t, "/../..", 1, 1, "/");
	check_uri(t, "", 1, 1, "/");
	check_uri(t, NULL, 0, 0, "/");
	check_uri(t, "/a b", 0, 1, "/a%20b");
	{
		mao_buf b = MAO_BUF_INIT;

		T_CHECK(t, mao_sigv4_canonical_uri("relative", 1, 1, &b) == MAO_ERR_INVALID,
				"a path without a leading '/' is rejected");
		mao_buf_free(&b);
	}

	check_query(t, NULL, "");
	check_query(t, "", "");
	check_query(t, "b=2&a=1&a=0&c", "a=0&a=1&b=2&c=");
	check_query(t, "a=1&&b=&", "a=1&b=");
	check_query(t, "k=a+b&x=%7e&y=%2f&z=~", "k=a%2Bb&x=~&y=%2F&z=~");
	check_query(t, "B=1&a=1&_=1", "B=1&_=1&a=1");
	check_query(t, "x=a=b", "x=a%3Db");

	T_CHECK(t, mao_sigv4_canonical_headers(h, sizeof(h) / sizeof(h[0]), &canon,
										   &names, &err) == MAO_OK,
			"canonical headers: %s", err.msg);
	T_STREQ(t, "canonical header block",
			"content-type:a/b\nhost:example.com\nx-a:1,2\nx-b:two words\n"
			"x-folded:line1 line2\n", mao_buf_cstr(&canon));
	T_STREQ(t, "signed header names", "content-type;host;x-a;x-b;x-folded",
			mao_buf_cstr(&names));
	mao_buf_reset(&canon);
	mao_buf_reset(&names);
	T_CHECK(t, mao_sigv4_canonical_headers(bad_name, 1, &canon, &names, &err) ==
			MAO_ERR_INVALID, "a header name with a space is rejected");
	T_CHECK(t, mao_sigv4_canonical_headers(injected, 1, &canon, &names, &err) ==
			MAO_ERR_INVALID, "a value with CRLF not followed by whitespace is rejected");
	T_CHECK(t, strstr(err.msg, "Authorization: x") == NULL,
			"the error does not quote the header value");
	T_CHECK(t, mao_sigv4_header_is_unsigned("USER-AGENT") &&
			mao_sigv4_header_is_unsigned("Transfer-Encoding") &&
			!mao_sigv4_header_is_unsigned("host"), "unsigned header list");
	mao_buf_free(&canon);
	mao_buf_free(&names);
}

/* A request used by the focused tests: GET https://kms... with a token. */
static void
basic_request(mao_sigv4_request *req, mao_sigv4_credentials *creds,
			  const mao_header *headers, size_t n)
{
	creds->access_key_id = S3X_ACCESS_KEY;
	creds->secret_access_key = S3X_SECRET_KEY;
	creds->session_token = S3X_TOKEN;
	mao_sigv4_request_init(req);
	req->method = "POST";
	req->path = "/";
	req->headers = headers;
	req->n_headers = n;
	req->payload = "{}";
	req->payload_len = 2;
	req->creds = creds;
	req->region = "eu-west-1";
	req->service = "kms";
	req->timestamp = 1715934615; /* 2024-05-17T08:30:15Z */
}

/* Session tokens: signed by default, appended unsigned on request. */
static void
test_session_token(t_ctx *t)
{
	mao_header h[] = {{"Host", "kms.eu-west-1.amazonaws.com"},
					  {"X-Amz-Target", "TrentService.Decrypt"}};
	mao_sigv4_credentials creds;
	mao_sigv4_request req;
	mao_sigv4_result res;
	mao_err err;

	basic_request(&req, &creds, h, 2);
	T_CHECK(t, mao_sigv4_sign(&req, &res, &err) == MAO_OK, "token sign: %s", err.msg);
	T_STREQ(t, "signed headers with a token",
			"host;x-amz-date;x-amz-security-token;x-amz-target", res.signed_headers);
	T_CHECK(t, res.n_headers == 3 && strcmp(res.headers[0].name, "X-Amz-Security-Token") == 0 &&
			strcmp(res.headers[0].value, S3X_TOKEN) == 0,
			"the token header comes first, with the token");
	T_CHECK(t, strstr(res.canonical_request, "x-amz-security-token:" S3X_TOKEN "\n") != NULL,
			"the token is in the canonical request");
	mao_sigv4_result_free(&res);

	req.omit_session_token = 1;
	T_CHECK(t, mao_sigv4_sign(&req, &res, &err) == MAO_OK, "omit sign: %s", err.msg);
	T_STREQ(t, "signed headers without the token", "host;x-amz-date;x-amz-target",
			res.signed_headers);
	T_CHECK(t, added_header(&res, "X-Amz-Security-Token") != NULL &&
			strstr(res.canonical_request, "security-token") == NULL,
			"omitted token: still sent, not signed");
	mao_sigv4_result_free(&res);

	T_CHECK(t, mao_sigv4_presign(&req, &res, &err) == MAO_OK, "omit presign: %s", err.msg);
	T_CHECK(t, strstr(res.canonical_request, "Security-Token") == NULL &&
			strstr(res.query, "&X-Amz-Security-Token=FQoGZXIvYXdzEXAMPLE%2F%2Fsession%2Btoken"
				   "%2Fwith%3Dpadding%3D%3D&X-Amz-Signature=") != NULL,
			"omitted token in a presigned URL: appended, encoded, not signed");
	mao_sigv4_result_free(&res);

	creds.session_token = "";
	req.omit_session_token = 0;
	T_CHECK(t, mao_sigv4_sign(&req, &res, &err) == MAO_OK && res.n_headers == 2 &&
			added_header(&res, "X-Amz-Security-Token") == NULL,
			"an empty token counts as none");
	mao_sigv4_result_free(&res);
}

/* UNSIGNED-PAYLOAD and precomputed hashes. */
static void
test_payload_hash(t_ctx *t)
{
	mao_header h[] = {{"Host", "s3.amazonaws.com"}};
	mao_sigv4_credentials creds;
	mao_sigv4_request req;
	mao_sigv4_result res, res2;
	mao_err err;
	char hex[MAO_SHA256_HEX_LEN + 1];
	const char *cr;

	basic_request(&req, &creds, h, 1);
	mao_sigv4_request_init_s3(&req);
	req.method = "PUT";
	req.path = "/b/k";
	req.headers = h;
	req.n_headers = 1;
	req.creds = &creds;
	req.region = "us-east-1";
	req.timestamp = 1715934615;
	req.payload = "data";
	req.payload_len = 4;
	req.payload_hash = MAO_SIGV4_UNSIGNED_PAYLOAD;
	T_CHECK(t, mao_sigv4_sign(&req, &res, &err) == MAO_OK, "unsigned: %s", err.msg);
	cr = res.canonical_request;
	T_CHECK(t, strlen(cr) > 17 && strcmp(cr + strlen(cr) - 17, "\nUNSIGNED-PAYLOAD") == 0,
			"canonical request ends with UNSIGNED-PAYLOAD");
	T_CHECK(t, strstr(cr, "x-amz-content-sha256:UNSIGNED-PAYLOAD\n") != NULL,
			"x-amz-content-sha256 is signed as UNSIGNED-PAYLOAD");
	T_STREQ(t, "x-amz-content-sha256 header", MAO_SIGV4_UNSIGNED_PAYLOAD,
			added_header(&res, "x-amz-content-sha256"));
	mao_sigv4_result_free(&res);

	/* A precomputed hash gives the same signature as hashing the body. */
	mao_sha256_hex("data", 4, hex);
	req.payload_hash = NULL;
	T_CHECK(t, mao_sigv4_sign(&req, &res, &err) == MAO_OK, "hashed: %s", err.msg);
	req.payload = NULL;
	req.payload_len = 0;
	req.payload_hash = hex;
	T_CHECK(t, mao_sigv4_sign(&req, &res2, &err) == MAO_OK, "precomputed: %s", err.msg);
	T_STREQ(t, "signature with a precomputed hash", res.signature, res2.signature);
	mao_sigv4_result_free(&res);
	mao_sigv4_result_free(&res2);
}

/* The signing key: AWS's documented example, and the cache. */
static void
test_signing_key(t_ctx *t)
{
	mao_sigv4_credentials creds = { "AKIDEXAMPLE", S3X_SECRET_KEY, NULL };
	mao_sigv4_credentials other = { "AKIDEXAMPLE", "another-secret", NULL };
	mao_sigv4_key_cache cache;
	unsigned char key[MAO_SHA256_LEN], key2[MAO_SHA256_LEN];
	char hex[2 * MAO_SHA256_LEN + 1];
	mao_header h[] = {{"Host", "sts.amazonaws.com"}};
	mao_sigv4_request req;
	mao_sigv4_result a, b;
	mao_err err;

	/* From the AWS documentation on deriving a SigV4 signing key. */
	T_CHECK(t, mao_sigv4_signing_key(&creds, "20120215", "us-east-1", "iam", NULL,
									 key, &err) == MAO_OK, "derive: %s", err.msg);
	mao_hex_encode(key, sizeof(key), hex);
	T_STREQ(t, "documented signing key",
			"f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d", hex);

	mao_sigv4_key_cache_init(&cache);
	T_CHECK(t, mao_sigv4_signing_key(&creds, "20120215", "us-east-1", "iam", &cache,
									 key2, &err) == MAO_OK &&
			memcmp(key, key2, sizeof(key)) == 0 && cache.misses == 1 && cache.hits == 0,
			"first use of the cache derives");
	T_CHECK(t, mao_sigv4_signing_key(&creds, "20120215", "us-east-1", "iam", &cache,
									 key2, &err) == MAO_OK &&
			memcmp(key, key2, sizeof(key)) == 0 && cache.hits == 1,
			"second use of the cache hits");
	T_CHECK(t, mao_sigv4_signing_key(&creds, "20120215", "us-west-2", "iam", &cache,
									 key2, &err) == MAO_OK &&
			memcmp(key, key2, sizeof(key)) != 0 && cache.misses == 2,
			"another region derives a new key");
	T_CHECK(t, mao_sigv4_signing_key(&creds, "20120215", "us-west-2", "sts", &cache,
									 key, &err) == MAO_OK &&
			memcmp(key, key2, sizeof(key)) != 0 && cache.misses == 3,
			"another service derives a new key");
	T_CHECK(t, mao_sigv4_signing_key(&creds, "20120216", "us-west-2", "sts", &cache,
									 key2, &err) == MAO_OK &&
			memcmp(key, key2, sizeof(key)) != 0 && cache.misses == 4,
			"a new day derives a new key");
	T_CHECK(t, mao_sigv4_signing_key(&other, "20120216", "us-west-2", "sts", &cache,
									 key, &err) == MAO_OK &&
			memcmp(key, key2, sizeof(key)) != 0 && cache.misses == 5,
			"a rotated secret derives a new key");
	T_CHECK(t, cache.hits == 1, "no false hits");
	T_CHECK(t, mao_sigv4_signing_key(&creds, "2012021", "us-east-1", "iam", &cache,
									 key, &err) == MAO_ERR_INVALID, "a bad date is rejected");

	/* Signing through the cache gives the same signature as without it. */
	mao_sigv4_request_init(&req);
	req.method = "GET";
	req.query = "Action=GetCallerIdentity&Version=2011-06-15";
	req.headers = h;
	req.n_headers = 1;
	req.creds = &creds;
	req.region = "us-east-1";
	req.service = "sts";
	req.timestamp = 1715934615;
	T_CHECK(t, mao_sigv4_sign(&req, &a, &err) == MAO_OK, "uncached sign");
	req.key_cache = &cache;
	T_CHECK(t, mao_sigv4_sign(&req, &b, &err) == MAO_OK, "cached sign (miss)");
	mao_sigv4_result_free(&b);
	T_CHECK(t, mao_sigv4_sign(&req, &b, &err) == MAO_OK && cache.hits == 2,
			"cached sign (hit)");
	T_STREQ(t, "cached signature", a.signature, b.signature);
	mao_sigv4_result_free(&a);
	mao_sigv4_result_free(&b);
	mao_sigv4_key_cache_clear(&cache);
	T_CHECK(t, !cache.valid, "a cleared cache is empty");
	mao_secure_zero(key, sizeof(key));
	mao_secure_zero(key2, sizeof(key2));
}

/* Expects a signing failure whose message holds no secret. */
static void
expect_invalid(t_ctx *t, const char *what, const mao_sigv4_request *req, int presign)
{
	mao_sigv4_result res;
	mao_err err;
	int rc = presign ? mao_sigv4_presign(req, &res, &err)
		: mao_sigv4_sign(req, &res, &err);

	T_CHECK(t, rc == MAO_ERR_INVALID, "%s: expected MAO_ERR_INVALID, got %d", what, rc);
	T_CHECK(t, err.code == rc && err.msg[0] != '\0', "%s: error has a message", what);
	T_CHECK(t, strstr(err.msg, S3X_SECRET_KEY) == NULL &&
			strstr(err.msg, "wJalrXUtnFEMI") == NULL &&
			strstr(err.msg, S3X_TOKEN) == NULL && strstr(err.msg, "FQoGZXIv") == NULL,
			"%s: message holds no secret (%s)", what, err.msg);
	T_CHECK(t, res.canonical_request == NULL && res.n_headers == 0 && res.query == NULL,
			"%s: result left empty", what);
	mao_sigv4_result_free(&res);
}

/* Malformed requests are refused with clear, secret-free messages. */
static void
test_errors(t_ctx *t)
{
	mao_header ok[] = {{"Host", "kms.eu-west-1.amazonaws.com"}};
	mao_header no_host[] = {{"X-Amz-Target", "TrentService.Decrypt"}};
	mao_header auth[] = {{"Host", "h"}, {"Authorization", S3X_SECRET_KEY}};
	mao_header date[] = {{"Host", "h"}, {"x-amz-date", "20240517T083015Z"}};
	mao_header crlf[] = {{"Host", "h"}, {"X-A", "1\r\nX-Injected: " S3X_TOKEN}};
	mao_sigv4_credentials creds, bad_creds;
	mao_sigv4_request req, r;

	basic_request(&req, &creds, ok, 1);
	r = req;
	r.headers = no_host;
	expect_invalid(t, "no Host", &r, 0);
	r = req;
	r.headers = auth;
	r.n_headers = 2;
	expect_invalid(t, "Authorization given", &r, 0);
	r.headers = date;
	expect_invalid(t, "X-Amz-Date given", &r, 1);
	r.headers = crlf;
	expect_invalid(t, "header injection", &r, 0);
	r = req;
	r.path = "no-slash";
	expect_invalid(t, "relative path", &r, 0);
	r.path = "/a?b";
	expect_invalid(t, "path with '?'", &r, 0);
	r = req;
	r.query = "?a=b";
	expect_invalid(t, "query with '?'", &r, 0);
	r = req;
	r.method = "GE T";
	expect_invalid(t, "bad method", &r, 0);
	r = req;
	r.region = "us-east-1/x";
	expect_invalid(t, "bad region", &r, 0);
	r = req;
	r.service = "";
	expect_invalid(t, "empty service", &r, 0);
	r = req;
	r.payload_hash = "ABCDEF";
	expect_invalid(t, "bad payload hash", &r, 0);
	r = req;
	r.expires = 0;
	expect_invalid(t, "expiry 0", &r, 1);
	r.expires = MAO_SIGV4_MAX_EXPIRES + 1;
	expect_invalid(t, "expiry over seven days", &r, 1);
	r = req;
	r.query = "a=1&X-Amz-Signature=abc";
	expect_invalid(t, "presign query with X-Amz-Signature", &r, 1);
	r = req;
	bad_creds = creds;
	bad_creds.secret_access_key = "";
	r.creds = &bad_creds;
	expect_invalid(t, "empty secret", &r, 0);
	bad_creds = creds;
	bad_creds.access_key_id = "AKID/" S3X_SECRET_KEY;
	expect_invalid(t, "malformed key id", &r, 0);
	bad_creds = creds;
	bad_creds.session_token = "tok\r\nen";
	expect_invalid(t, "token with CRLF", &r, 0);
	r = req;
	r.creds = NULL;
	expect_invalid(t, "no credentials", &r, 0);
	r = req;
	r.timestamp = (time_t) 400000000000LL; /* year 14645 */
	expect_invalid(t, "timestamp out of range", &r, 0);
	{
		mao_sigv4_result res;
		mao_err err;

		T_CHECK(t, mao_sigv4_sign(NULL, &res, &err) == MAO_ERR_INVALID &&
				mao_sigv4_sign(&req, NULL, &err) == MAO_ERR_INVALID,
				"NULL request or result is rejected");
		T_CHECK(t, mao_sigv4_sign(&req, &res, NULL) == MAO_OK, "err may be NULL");
		mao_sigv4_result_free(&res);
	}
}

/* Runs the three parts and reports. */
int
main(int argc, char **argv)
{
	t_ctx t = {0, 0};
	const char *dir = argc > 1 ? argv[1] : "test/vectors/sigv4/v4";

	run_suite(&t, dir);
	run_s3_cases(&t);
	printf("focused checks:\n");
	test_canonical_pieces(&t);
	test_session_token(&t);
	test_payload_hash(&t);
	test_signing_key(&t);
	test_errors(&t);
	return t_summary(&t, "test_sigv4");
}
