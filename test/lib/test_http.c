/*
 * test_http.c - lib/http against test/fakes/fault_server.py.
 *
 * Usage: test_http BASE_URL CLOSED_PORT
 *   BASE_URL     e.g. http://127.0.0.1:40123 (the fault server)
 *   CLOSED_PORT  a loopback port nothing listens on
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "http.h"
#include "testutil.h"

static const char *base;
static volatile sig_atomic_t cancel_flag;

/* SIGALRM handler: sets the cancel flag (the only thing it does). */
static void
on_alarm(int sig)
{
	(void) sig;
	cancel_flag = 1;
}

/* Builds base + path into buf. */
static const char *
url(char *buf, size_t len, const char *path)
{
	snprintf(buf, len, "%s%s", base, path);
	return buf;
}

/* Runs one GET (or method) with optional limits; returns the status. */
static int
run(mao_http_client *c, const char *method, const char *path, long timeout_ms,
	size_t cap, mao_http_response *resp)
{
	char u[512];
	mao_http_request req;

	memset(&req, 0, sizeof(req));
	req.method = method;
	req.url = url(u, sizeof(u), path);
	req.timeout_ms = timeout_ms;
	req.max_response_bytes = cap;
	req.cancel = &cancel_flag;
	mao_http_response_free(resp);
	return mao_http_perform(c, &req, resp, NULL);
}

/* Two GETs on one client share a connection. */
static void
test_reuse(t_ctx *t, mao_http_client *c)
{
	mao_http_response r;
	long before = mao_http_client_connects(c);

	mao_http_response_init(&r);
	T_CHECK(t, run(c, "GET", "/ok?key=reuse", 0, 0, &r) == MAO_OK, "GET /ok: %s", r.error);
	T_CHECK(t, r.http_status == 200, "status %ld", r.http_status);
	T_CHECK(t, strstr(mao_buf_cstr(&r.body), "\"conn\"") != NULL, "body");
	T_CHECK(t, mao_http_response_header(&r, "x-amzn-requestid") != NULL, "response header");
	T_CHECK(t, run(c, "GET", "/ok?key=reuse", 0, 0, &r) == MAO_OK, "second GET");
	T_CHECK(t, r.reused_connection, "second request reused the connection");
	T_CHECK(t, mao_http_client_connects(c) - before == 1, "one connection for two requests (%ld)",
			mao_http_client_connects(c) - before);
	mao_http_response_free(&r);
}

/* A PUT body arrives intact; no default Content-Type; our headers are sent. */
static void
test_echo(t_ctx *t, mao_http_client *c)
{
	char u[512];
	static char body[300000];
	mao_header h[] = {{"X-Test", "v a l"}, {"x-amz-meta-empty", ""}};
	mao_http_request req;
	mao_http_response r;
	char hex[65];

	memset(body, 'b', sizeof(body));
	mao_sha256_hex(body, sizeof(body), hex);
	memset(&req, 0, sizeof(req));
	req.method = "PUT";
	req.url = url(u, sizeof(u), "/echo");
	req.headers = h;
	req.n_headers = 2;
	req.body = body;
	req.body_len = sizeof(body);
	mao_http_response_init(&r);
	T_CHECK(t, mao_http_perform(c, &req, &r, NULL) == MAO_OK, "PUT /echo: %s", r.error);
	T_CHECK(t, strstr(mao_buf_cstr(&r.body), "\"method\": \"PUT\"") != NULL, "method PUT");
	T_CHECK(t, strstr(mao_buf_cstr(&r.body), hex) != NULL, "body sha256 matches");
	T_CHECK(t, strstr(mao_buf_cstr(&r.body), "\"body_len\": 300000") != NULL, "body length");
	T_CHECK(t, strstr(mao_buf_cstr(&r.body), "Content-Type") == NULL, "no default Content-Type");
	T_CHECK(t, strstr(mao_buf_cstr(&r.body), "Expect") == NULL, "no Expect: 100-continue");
	T_CHECK(t, strstr(mao_buf_cstr(&r.body), "[\"X-Test\", \"v a l\"]") != NULL, "header sent");
	T_CHECK(t, strstr(mao_buf_cstr(&r.body), "x-amz-meta-empty") != NULL, "empty header sent");
	/* POST with no body and DELETE */
	req.method = "POST";
	req.body = NULL;
	req.body_len = 0;
	req.n_headers = 0;
	T_CHECK(t, mao_http_perform(c, &req, &r, NULL) == MAO_OK, "POST /echo");
	T_CHECK(t, strstr(mao_buf_cstr(&r.body), "\"method\": \"POST\"") != NULL, "method POST");
	req.method = "DELETE";
	T_CHECK(t, mao_http_perform(c, &req, &r, NULL) == MAO_OK, "DELETE /echo");
	T_CHECK(t, strstr(mao_buf_cstr(&r.body), "\"method\": \"DELETE\"") != NULL, "method DELETE");
	/* a header value with CR/LF is refused */
	h[0].value = "a\r\nInjected: 1";
	req.headers = h;
	req.n_headers = 1;
	T_CHECK(t, mao_http_perform(c, &req, &r, NULL) == MAO_ERR_INVALID, "CRLF in header refused");
	mao_http_response_free(&r);
}

/* Size cap, HEAD, big bodies. */
static void
test_sizes(t_ctx *t, mao_http_client *c)
{
	mao_http_response r;
	mao_err err;
	char u[512];
	mao_http_request req;

	mao_http_response_init(&r);
	T_CHECK(t, run(c, "GET", "/big?bytes=5000000", 0, 0, &r) == MAO_OK, "5 MB body");
	T_CHECK(t, r.body.len == 5000000, "5 MB length %zu", r.body.len);
	T_CHECK(t, run(c, "GET", "/big?bytes=1000", 0, 999, &r) == MAO_ERR_TOO_LARGE,
			"cap 999 < 1000: %s", r.error);
	T_CHECK(t, r.body.len == 0, "no partial body kept");
	T_CHECK(t, run(c, "GET", "/big?bytes=1000", 0, 1000, &r) == MAO_OK, "cap 1000 == 1000");
	T_CHECK(t, run(c, "HEAD", "/big?bytes=1234", 0, 0, &r) == MAO_OK, "HEAD");
	T_CHECK(t, r.body.len == 0, "HEAD has no body");
	T_STREQ(t, "HEAD Content-Length", "1234", mao_http_response_header(&r, "content-length"));
	memset(&req, 0, sizeof(req));
	req.method = "GET";
	req.url = url(u, sizeof(u), "/big?bytes=1000");
	req.max_response_bytes = 10;
	T_CHECK(t, mao_http_perform(c, &req, &r, &err) == MAO_ERR_TOO_LARGE, "err code");
	T_CHECK(t, strstr(err.msg, "larger than 10 bytes") != NULL && strstr(err.msg, "bytes=") == NULL,
			"message names the cap, not the query: %s", err.msg);
	mao_http_response_free(&r);
}

/* Timeouts, resets, refused connections and cancellation end in time. */
static void
test_failures(t_ctx *t, mao_http_client *c, const char *closed_port)
{
	mao_http_response r;
	double t0;
	char u[128];
	mao_http_request req;
	struct itimerval it;

	mao_http_response_init(&r);
	t0 = t_now_ms();
	T_CHECK(t, run(c, "GET", "/stall?secs=5&key=st1", 400, 0, &r) == MAO_ERR_TIMEOUT,
			"stall -> timeout: %s", r.error);
	T_CHECK(t, t_now_ms() - t0 < 2000, "timeout within its bound (%.0f ms)", t_now_ms() - t0);
	T_CHECK(t, run(c, "GET", "/reset?key=rs1", 0, 0, &r) == MAO_ERR_NETWORK,
			"reset -> network error: %s", r.error);
	memset(&req, 0, sizeof(req));
	snprintf(u, sizeof(u), "http://127.0.0.1:%s/x", closed_port);
	req.method = "GET";
	req.url = u;
	t0 = t_now_ms();
	T_CHECK(t, mao_http_perform(c, &req, &r, NULL) == MAO_ERR_NETWORK, "refused -> network error");
	T_CHECK(t, t_now_ms() - t0 < 2000, "refused quickly");
	/* cancellation from a signal handler while the server stalls */
	{
		struct sigaction sa;   /* not signal(): with strict POSIX it resets after one delivery */

		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_alarm;
		sigemptyset(&sa.sa_mask);
		sigaction(SIGALRM, &sa, NULL);
	}
	memset(&it, 0, sizeof(it));
	it.it_value.tv_usec = 300000;
	cancel_flag = 0;
	setitimer(ITIMER_REAL, &it, NULL);
	t0 = t_now_ms();
	T_CHECK(t, run(c, "GET", "/stall?secs=10&key=st2", 20000, 0, &r) == MAO_ERR_CANCELLED,
			"cancel -> cancelled: %s", r.error);
	T_CHECK(t, t_now_ms() - t0 < 1500, "cancelled promptly (%.0f ms)", t_now_ms() - t0);
	cancel_flag = 1;
	T_CHECK(t, run(c, "GET", "/ok", 0, 0, &r) == MAO_ERR_CANCELLED, "already cancelled");
	cancel_flag = 0;
	T_CHECK(t, run(c, "GET", "/ok", 0, 0, &r) == MAO_OK, "works again after a cancel");
	mao_http_response_free(&r);
}

/* Many requests in flight at once finish in about the time of one. */
static void
test_many(t_ctx *t, mao_http_client *c)
{
	enum { N = 8 };
	mao_http_request reqs[N];
	mao_http_response resps[N];
	char urls[N][256];
	double t0;
	int i, ok = 0;

	for (i = 0; i < N; i++) {
		memset(&reqs[i], 0, sizeof(reqs[i]));
		snprintf(urls[i], sizeof(urls[i]), "%s/stall?secs=1&key=many%d", base, i);
		reqs[i].method = "GET";
		reqs[i].url = urls[i];
		mao_http_response_init(&resps[i]);
	}
	t0 = t_now_ms();
	T_CHECK(t, mao_http_perform_many(c, reqs, resps, N, 0, NULL) == MAO_OK, "perform_many");
	for (i = 0; i < N; i++) {
		ok += resps[i].status == MAO_OK && resps[i].http_status == 200;
		mao_http_response_free(&resps[i]);
	}
	T_CHECK(t, ok == N, "%d of %d ok", ok, N);
	T_CHECK(t, t_now_ms() - t0 < 2500, "concurrent: %.0f ms for 8 x 1 s", t_now_ms() - t0);
	/* two at a time: about four rounds */
	t0 = t_now_ms();
	for (i = 0; i < N; i++)
		mao_http_response_init(&resps[i]);
	T_CHECK(t, mao_http_perform_many(c, reqs, resps, N, 2, NULL) == MAO_OK, "perform_many 2");
	for (i = 0; i < N; i++)
		mao_http_response_free(&resps[i]);
	T_CHECK(t, t_now_ms() - t0 >= 3500, "max_in_flight 2 bounds concurrency: %.0f ms", t_now_ms() - t0);
}

/* Entry point. */
int
main(int argc, char **argv)
{
	t_ctx t = {0, 0};
	mao_http_client *c = NULL;
	mao_http_options o;

	if (argc != 3) {
		fprintf(stderr, "usage: test_http BASE_URL CLOSED_PORT\n");
		return 2;
	}
	base = argv[1];
	T_CHECK(&t, mao_http_global_init(NULL) == MAO_OK, "global init");
	memset(&o, 0, sizeof(o));
	o.connect_timeout_ms = 2000;
	T_CHECK(&t, mao_http_client_new(&o, &c, NULL) == MAO_OK, "client");
	test_reuse(&t, c);
	test_echo(&t, c);
	test_sizes(&t, c);
	test_failures(&t, c, argv[2]);
	test_many(&t, c);
	mao_http_client_free(c);
	mao_http_global_cleanup();
	return t_summary(&t, "test_http");
}
