/*
 * test_aws_net.c - lib/aws retries, errors and clock skew against
 * test/fakes/fault_server.py.
 *
 * Usage: test_aws_net BASE_URL
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "aws.h"
#include "s3.h"
#include "testutil.h"

#define SECRET "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"

static volatile sig_atomic_t cancel_flag;

/* What the attempt gate saw: entries, exits, and whether they ever nested. */
static struct gate_log {
	int enters, leaves, inside, nested;
} gate;

/* The attempt gate: counts, and notes an entry while already inside. */
static void
count_gate(void *ctx, int enter)
{
	struct gate_log *g = ctx;

	if (enter) {
		g->nested |= g->inside;
		g->inside = 1;
		g->enters++;
	} else {
		g->inside = 0;
		g->leaves++;
	}
}

/* SIGALRM handler: sets the cancel flag. */
static void
on_alarm(int sig)
{
	(void) sig;
	cancel_flag = 1;
}

/* Calls path?query on client c; returns the status and fills resp/err. */
static int
call(mao_aws_client *c, const char *path, const char *query,
	 mao_aws_response *resp, mao_err *err)
{
	mao_aws_request req;
	mao_header h[] = {{"Content-Type", "application/x-amz-json-1.1"},
					  {"X-Amz-Target", "TrentService.Test"}};

	memset(&req, 0, sizeof(req));
	req.service = "kms";
	req.method = "POST";
	req.path = path;
	req.query = query;
	req.headers = h;
	req.n_headers = 2;
	req.body = "{}";
	req.body_len = 2;
	return mao_aws_call(c, &req, resp, err);
}

/* One case: expected status and attempts, and a time bound. */
static void
expect(t_ctx *t, mao_aws_client *c, const char *path, const char *query,
	   int want_rc, int want_attempts, const char *want_code, double max_ms)
{
	mao_aws_response r;
	mao_err err;
	double t0 = t_now_ms(), ms;
	int rc;

	mao_aws_response_init(&r);
	rc = call(c, path, query, &r, &err);
	ms = t_now_ms() - t0;
	T_CHECK(t, rc == want_rc, "%s?%s: status %s, want %s (%s)", path, query,
			mao_status_str(rc), mao_status_str(want_rc), err.msg);
	T_CHECK(t, want_attempts < 0 ? r.attempts <= -want_attempts : r.attempts == want_attempts, "%s?%s: %d attempts, want %d", path, query,
			r.attempts, want_attempts);
	if (want_code != NULL)
		T_STREQ(t, "error code", want_code, r.code);
	T_CHECK(t, ms < max_ms, "%s?%s: %.0f ms, bound %.0f", path, query, ms, max_ms);
	T_CHECK(t, strstr(err.msg, SECRET) == NULL && strstr(err.msg, "Signature=") == NULL,
			"no secret in the message");
	if (rc != MAO_OK)
		printf("  %s?%s -> %s\n", path, query, err.msg);
	mao_aws_response_free(&r);
}

/* Entry point. */
int
main(int argc, char **argv)
{
	t_ctx t = {0, 0};
	mao_aws_creds creds;
	mao_aws_client_options o;
	mao_aws_client *c = NULL;
	mao_aws_response r;
	mao_err err;
	struct itimerval it;
	double t0;

	if (argc != 2) {
		fprintf(stderr, "usage: test_aws_net BASE_URL\n");
		return 2;
	}
	mao_http_global_init(NULL);
	mao_aws_creds_set(&creds, "AKIDEXAMPLE", SECRET, NULL, 0, "test");
	memset(&o, 0, sizeof(o));
	o.region = "us-east-1";
	o.creds_fn = mao_aws_static_creds;
	o.creds_ctx = &creds;
	o.endpoint_url = argv[1];
	o.base_delay_ms = 50;
	o.max_backoff_ms = 400;
	o.timeout_ms = 500;
	o.cancel = &cancel_flag;
	o.attempt_gate = count_gate;
	o.gate_ctx = &gate;
	T_CHECK(&t, mao_aws_client_new(&o, &c, NULL) == MAO_OK, "client");

	/* recovered; the gate is entered and left once per attempt, never across a backoff sleep */
	expect(&t, c, "/status", "code=503&times=2&key=a", MAO_OK, 3, "", 3000);
	T_CHECK(&t, gate.enters == 3 && gate.leaves == 3 && !gate.inside && !gate.nested,
			"attempt gate: %d entries, %d exits for 3 attempts", gate.enters, gate.leaves);
	expect(&t, c, "/status", "code=500&times=1&key=a5", MAO_OK, 2, "", 3000);
	expect(&t, c, "/throttle", "style=json&times=2&key=b", MAO_OK, 3, "", 3000);
	expect(&t, c, "/throttle", "style=xml&times=2&key=c", MAO_OK, 3, "", 3000);
	expect(&t, c, "/throttle", "style=429&times=1&key=d", MAO_OK, 2, "", 3000);
	expect(&t, c, "/throttle", "style=query&times=1&key=e", MAO_OK, 2, "", 3000);
	/* libcurl itself retries once when a reused connection dies before any answer */
	expect(&t, c, "/reset", "times=1&key=f", MAO_OK, -2, "", 3000);
	expect(&t, c, "/reset", "times=2&key=f2", MAO_OK, -3, "", 3000);
	expect(&t, c, "/stall", "secs=3&times=1&key=g", MAO_OK, 2, "", 3000);
	/* reported within bounds */
	expect(&t, c, "/status", "code=503&times=100&key=h", MAO_ERR_AWS, 3, "ServiceUnavailable", 3000);
	expect(&t, c, "/throttle", "style=json&times=100&key=i", MAO_ERR_AWS, 3, "ThrottlingException", 3000);
	expect(&t, c, "/reset", "times=100&key=j", MAO_ERR_NETWORK, 3, NULL, 3000);
	expect(&t, c, "/stall", "secs=3&times=100&key=k", MAO_ERR_TIMEOUT, 3, NULL, 3500);
	/* never retried */
	expect(&t, c, "/sigfail", "key=l", MAO_ERR_AWS, 1, "SignatureDoesNotMatch", 1000);
	expect(&t, c, "/denied", "key=m", MAO_ERR_AWS, 1, "AccessDeniedException", 1000);
	expect(&t, c, "/status", "code=400&times=100&key=n", MAO_ERR_AWS, 1, "InvalidRequest", 1000);
	mao_aws_response_init(&r);
	T_CHECK(&t, call(c, "/hits", "key=l", &r, NULL) == MAO_OK &&
			strstr(mao_buf_cstr(&r.http.body), "\"hits\": 1") != NULL,
			"the server saw one SignatureDoesNotMatch request: %s", mao_buf_cstr(&r.http.body));
	/* clock skew: the server is an hour ahead */
	expect(&t, c, "/skew", "offset=3600&key=o", MAO_OK, 2, "", 2000);
	T_CHECK(&t, labs(mao_aws_client_clock_skew(c) - 3600) < 5, "skew learnt: %ld",
			mao_aws_client_clock_skew(c));
	expect(&t, c, "/skew", "offset=3600&key=o2", MAO_OK, 1, "", 2000);
	mao_aws_client_set_clock_skew(c, 0);
	/* S3 CopyObject answered 200 with an <Error> body: retried like a 500, reported when it persists */
	{
		char etag[MAO_S3_ETAG_MAX];
		int rc = mao_s3_copy_object(c, "src-bucket", "a key", "dst-bucket", "copyerr", NULL, etag, &err);

		T_CHECK(&t, rc == MAO_ERR_AWS && strstr(err.msg, "InternalError") != NULL &&
				strstr(err.msg, "HTTP 200, 3 attempts") != NULL, "200 with an error body: %s", err.msg);
		rc = mao_s3_copy_object(c, "src-bucket", "a key", "dst-bucket", "copyerr1", NULL, etag, &err);
		T_CHECK(&t, rc == MAO_OK, "200 with an error body, then success: %s", err.msg);
		T_STREQ(&t, "copy etag", "\"0123\"", etag);
	}
	/* cancellation during a long backoff */
	mao_aws_client_free(c);
	o.base_delay_ms = 20000;
	o.max_backoff_ms = 20000;
	T_CHECK(&t, mao_aws_client_new(&o, &c, NULL) == MAO_OK, "client 2");
	{
		struct sigaction sa;   /* not signal(): with strict POSIX it resets after one delivery */

		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_alarm;
		sigemptyset(&sa.sa_mask);
		sigaction(SIGALRM, &sa, NULL);
	}
	memset(&it, 0, sizeof(it));
	it.it_value.tv_usec = 400000;
	cancel_flag = 0;
	t0 = t_now_ms();
	setitimer(ITIMER_REAL, &it, NULL);
	/* a 503 then a backoff of up to 20 s; the flag must end it (retry until the sleep is long) */
	{
		int rc = call(c, "/status", "code=503&times=100&key=p", &r, &err);

		T_CHECK(&t, rc == MAO_ERR_CANCELLED || (rc == MAO_ERR_AWS && r.attempts == 3),
				"cancel during backoff: %s", err.msg);
		if (rc == MAO_ERR_CANCELLED)
			T_CHECK(&t, t_now_ms() - t0 < 1500, "cancelled promptly (%.0f ms)", t_now_ms() - t0);
	}
	cancel_flag = 0;
	/* cancellation while an attempt waits on a stalled server */
	mao_aws_client_free(c);
	o.timeout_ms = 20000;
	T_CHECK(&t, mao_aws_client_new(&o, &c, NULL) == MAO_OK, "client 3");
	it.it_value.tv_usec = 400000;
	t0 = t_now_ms();
	setitimer(ITIMER_REAL, &it, NULL);
	T_CHECK(&t, call(c, "/stall", "secs=10&times=100&key=q", &r, &err) == MAO_ERR_CANCELLED &&
			r.attempts == 1, "cancel during an attempt: %s (%d attempts)", err.msg, r.attempts);
	T_CHECK(&t, t_now_ms() - t0 < 1500, "cancelled promptly (%.0f ms)", t_now_ms() - t0);
	cancel_flag = 0;
	mao_aws_response_free(&r);
	mao_aws_client_free(c);
	mao_aws_creds_free(&creds);
	mao_http_global_cleanup();
	return t_summary(&t, "test_aws_net");
}
