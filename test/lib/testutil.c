/*
 * testutil.c - minimal check harness (see testutil.h).
 */
#include "testutil.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http.h"

/* Records a check and reports it when it failed. */
int
t_check_at(t_ctx *t, int ok, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	t->checks++;
	if (ok)
		return 1;
	t->failures++;
	fprintf(stderr, "FAIL %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 0;
}

/* Prints up to `max` bytes of s from `from`, escaping non-printables. */
static void
print_escaped(const char *s, size_t len, size_t from, size_t max)
{
	size_t i;

	for (i = from; i < len && i < from + max; i++) {
		unsigned char c = (unsigned char) s[i];

		if (c == '\n')
			fputs("\\n", stderr);
		else if (c == '\\')
			fputs("\\\\", stderr);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(stderr, "\\x%02x", c);
		else
			fputc(c, stderr);
	}
	if (i < len)
		fputs("...", stderr);
}

/* Compares byte strings and shows the first difference. */
int
t_same_bytes_at(t_ctx *t, const char *file, int line, const char *what,
				const char *expected, size_t expected_len,
				const char *actual, size_t actual_len)
{
	size_t i = 0, from;

	t->checks++;
	if (actual != NULL && expected_len == actual_len &&
		memcmp(expected, actual, expected_len) == 0)
		return 1;
	t->failures++;
	fprintf(stderr, "FAIL %s:%d: %s differs", file, line, what);
	if (actual == NULL) {
		fputs(" (got nothing)\n", stderr);
		return 0;
	}
	while (i < expected_len && i < actual_len && expected[i] == actual[i])
		i++;
	from = i > 40 ? i - 40 : 0;
	fprintf(stderr, " at byte %zu (expected %zu bytes, got %zu)\n  expected: ",
			i, expected_len, actual_len);
	print_escaped(expected, expected_len, from, 120);
	fputs("\n  actual:   ", stderr);
	print_escaped(actual, actual_len, from, 120);
	fputc('\n', stderr);
	return 0;
}

/* Compares C strings exactly. */
int
t_same_str_at(t_ctx *t, const char *file, int line, const char *what,
			  const char *expected, const char *actual)
{
	return t_same_bytes_at(t, file, line, what, expected, strlen(expected),
						   actual, actual != NULL ? strlen(actual) : 0);
}

/* Reads a whole file into a NUL-terminated malloc'd buffer. */
char *
t_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *data = NULL;
	size_t cap = 0, n = 0;

	if (f == NULL) {
		fprintf(stderr, "cannot open %s: %s\n", path, strerror(errno));
		return NULL;
	}
	for (;;) {
		size_t got;

		if (cap - n < 4096) {
			char *p = realloc(data, cap + 65536);

			if (p == NULL) {
				free(data);
				fclose(f);
				fprintf(stderr, "out of memory reading %s\n", path);
				return NULL;
			}
			data = p;
			cap += 65536;
		}
		got = fread(data + n, 1, cap - n - 1, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		fprintf(stderr, "cannot read %s\n", path);
		free(data);
		fclose(f);
		return NULL;
	}
	fclose(f);
	data[n] = '\0';
	*len = n;
	return data;
}

/* Prints the totals; returns the exit status. */
int
t_summary(const t_ctx *t, const char *name)
{
	printf("%s: %d checks, %d failed\n", name, t->checks, t->failures);
	return t->failures == 0 && t->checks > 0 ? 0 : 1;
}

/* See testutil.h. */
double
t_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

/* See testutil.h. */
int
t_moto_open_auth(const char *endpoint, int n)
{
	mao_http_client *h = NULL;
	mao_http_request req;
	mao_http_response r;
	mao_header hd[] = {{"Content-Type", "text/plain"}};
	char url[512], body[16];
	int ok;

	snprintf(url, sizeof(url), "%s/moto-api/reset-auth", endpoint);
	snprintf(body, sizeof(body), "%d", n);
	memset(&req, 0, sizeof(req));
	req.method = "POST";
	req.url = url;
	req.headers = hd;
	req.n_headers = 1;
	req.body = body;
	req.body_len = strlen(body);
	mao_http_response_init(&r);
	mao_http_client_new(NULL, &h, NULL);
	ok = mao_http_perform(h, &req, &r, NULL) == MAO_OK && r.http_status == 200;
	mao_http_response_free(&r);
	mao_http_client_free(h);
	return ok;
}

/* See testutil.h. */
mao_aws_client *
t_aws_client(const char *endpoint, mao_aws_creds *creds, long timeout_ms)
{
	mao_aws_client_options o;
	mao_aws_client *c = NULL;
	mao_err err;

	memset(&o, 0, sizeof(o));
	o.region = "us-east-1";
	o.creds_fn = creds ? mao_aws_static_creds : NULL;
	o.creds_ctx = creds;
	o.endpoint_url = endpoint;
	o.base_delay_ms = 50;
	o.timeout_ms = timeout_ms;
	if (mao_aws_client_new(&o, &c, &err) != MAO_OK) {
		fprintf(stderr, "client: %s\n", err.msg);
		exit(1);
	}
	return c;
}
