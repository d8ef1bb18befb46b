/*
 * http.h - HTTP requests on libcurl.
 *
 * A mao_http_client owns one libcurl multi handle (and through it the
 * connection cache, so connections are reused across requests) and a small
 * pool of easy handles.  It belongs to one thread at a time and lives in
 * ordinary process memory: never put it in shared memory or hand it to
 * another process.
 *
 * Every request, single or many at once, goes through the multi interface:
 *   mao_http_perform()       one request, waits for it;
 *   mao_http_perform_many()  n requests with up to max_in_flight at once.
 *
 * Limits per request: a connect timeout, a total timeout and a response
 * size cap (0 in the request means the client's default).  Cancellation:
 * the caller points req->cancel at a flag (e.g. set by a signal handler);
 * it is polled from libcurl's progress callback and between polls of the
 * multi handle (at least every 50 ms), and a request it stops ends with
 * MAO_ERR_CANCELLED.  Callbacks never longjmp or raise.
 *
 * Outcome of one request (mao_http_response.status):
 *   MAO_OK            an HTTP response arrived (any HTTP status; see
 *                     http_status), body and headers are filled;
 *   MAO_ERR_NETWORK   no response: DNS, connect refused, reset, TLS, ...;
 *   MAO_ERR_TIMEOUT   the connect or the total timeout ran out;
 *   MAO_ERR_CANCELLED the cancel flag was set;
 *   MAO_ERR_TOO_LARGE the body exceeded the size cap (body is dropped);
 *   MAO_ERR_NOMEM / MAO_ERR_INVALID.
 * Messages (response.error) name the host and the curl error, never
 * header values or bodies.
 *
 * libcurl needs curl_global_init() once per process before threads start:
 * call mao_http_global_init() early (it is idempotent but not thread-safe).
 */
#ifndef MAO_HTTP_H
#define MAO_HTTP_H

#include <signal.h>
#include <stddef.h>

#include "buf.h"
#include "err.h"
#include "sigv4.h"

#define MAO_HTTP_DEFAULT_CONNECT_TIMEOUT_MS 10000L
#define MAO_HTTP_DEFAULT_TIMEOUT_MS 60000L
#define MAO_HTTP_DEFAULT_MAX_RESPONSE (64UL * 1024 * 1024)

typedef struct mao_http_client mao_http_client; /* opaque */

/* Client-wide defaults; zero fields take the MAO_HTTP_DEFAULT_* values. */
typedef struct mao_http_options {
	long connect_timeout_ms;
	long timeout_ms;
	size_t max_response_bytes;
	int verbose;             /* libcurl's verbose trace to stderr (debugging only: shows headers) */
} mao_http_options;

/* One request; every pointer is borrowed for the duration of the call. */
typedef struct mao_http_request {
	const char *method;        /* "GET", "PUT", "POST", "HEAD", "DELETE" */
	const char *url;           /* full URL, already percent-encoded */
	const mao_header *headers; /* sent as given; no default Content-Type is added */
	size_t n_headers;
	const void *body;          /* may be NULL when body_len is 0 */
	size_t body_len;
	long connect_timeout_ms;   /* 0: the client's default */
	long timeout_ms;           /* 0: the client's default */
	size_t max_response_bytes; /* 0: the client's default */
	const volatile sig_atomic_t *cancel; /* NULL, or non-zero to cancel */
} mao_http_request;

/* A received header; both strings owned by the response. */
typedef struct mao_http_header {
	char *name;
	char *value;
} mao_http_header;

/* The outcome of a request; owns everything; release with mao_http_response_free(). */
typedef struct mao_http_response {
	int status;                /* MAO_OK or MAO_ERR_* (see the file comment) */
	long http_status;          /* e.g. 200; 0 when no response arrived */
	mao_http_header *headers;  /* of the final response only */
	size_t n_headers;
	mao_buf body;
	char error[MAO_ERR_MSG_MAX]; /* "" on MAO_OK */
	int reused_connection;     /* non-zero if an existing connection carried it */
} mao_http_response;

/* Initialises libcurl once for the process (call before starting threads). */
int mao_http_global_init(mao_err *err);

/* Releases libcurl's global state (at process exit, after every client is freed). */
void mao_http_global_cleanup(void);

/* Creates a client; opts may be NULL.  Free with mao_http_client_free(). */
int mao_http_client_new(const mao_http_options *opts, mao_http_client **out,
						mao_err *err);

/* Closes the client's connections and frees it; NULL is ignored. */
void mao_http_client_free(mao_http_client *client);

/* Makes resp empty (safe to free). */
void mao_http_response_init(mao_http_response *resp);

/* Frees what resp owns (the body is wiped) and leaves it empty. */
void mao_http_response_free(mao_http_response *resp);

/*
 * Performs one request.  resp must be initialised (or freed); it is
 * overwritten.  Returns resp->status, with err filled from resp->error.
 */
int mao_http_perform(mao_http_client *client, const mao_http_request *req,
					 mao_http_response *resp, mao_err *err);

/*
 * Performs n requests with at most max_in_flight (0: all) at a time on the
 * client's connection cache.  resps[i] (initialised by the caller) receives
 * the outcome of reqs[i].  Returns MAO_OK when every request was attempted
 * (look at each resps[i].status) or an error that stopped all of them
 * (MAO_ERR_NOMEM, MAO_ERR_INVALID).
 */
int mao_http_perform_many(mao_http_client *client,
						  const mao_http_request *reqs,
						  mao_http_response *resps, size_t n,
						  size_t max_in_flight, mao_err *err);

/* The value of the first response header of this name (any case), or NULL. Borrowed. */
const char *mao_http_response_header(const mao_http_response *resp,
									 const char *name);

/* Number of connections the client has opened so far (for tests and stats). */
long mao_http_client_connects(const mao_http_client *client);

#endif /* MAO_HTTP_H */
