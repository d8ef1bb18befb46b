/*
 * aws.h - the AWS call layer: endpoints, signing, retries, errors.
 *
 * A mao_aws_client sends one AWS API request at a time through a
 * mao_http_client (borrowed, or its own): it resolves the endpoint, signs
 * every attempt with SigV4 (lib/sigv4) using credentials from a provider
 * callback, retries the way the SDKs' "standard" retry mode does, corrects
 * its clock from the Date header when AWS says the request time is skewed,
 * and parses AWS errors (JSON and XML bodies) into code, message and
 * request id.
 *
 * Endpoints (mao_aws_resolve_endpoint):
 *   - AWS_ENDPOINT_URL_<SERVICE> (service id upper-cased, '-' and ' ' as
 *     '_', e.g. AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL_STS), then
 *     AWS_ENDPOINT_URL, unless AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true;
 *     the URL may carry a port and a base path;
 *   - otherwise https://<service>.<region>.amazonaws.com (".com.cn" in
 *     China regions); global services: IAM at iam.amazonaws.com signed for
 *     us-east-1 (iam.us-gov.amazonaws.com / us-gov-west-1,
 *     iam.cn-north-1.amazonaws.com.cn / cn-north-1); STS regional, or
 *     sts.amazonaws.com / us-east-1 with AWS_STS_REGIONAL_ENDPOINTS=legacy;
 *     Savings Plans at savingsplans.amazonaws.com / us-east-1 (regional in
 *     China); Cost Explorer at ce.us-east-1.amazonaws.com / us-east-1
 *     (ce.cn-northwest-1.amazonaws.com.cn in China), whatever the region;
 *     Cost Explorer's variable is AWS_ENDPOINT_URL_COST_EXPLORER (its
 *     service id), as in the SDKs.
 *   - S3: virtual-hosted (<bucket>.s3.<region>.amazonaws.com) for AWS
 *     endpoints and DNS-compatible bucket names without dots; path-style
 *     (/<bucket>/<key>) for custom endpoints and other names.
 *
 * Retries ("standard" mode): at most max_attempts (AWS_MAX_ATTEMPTS, else
 * 3) attempts; before attempt n+1 a delay of random(0,1) *
 * min(base * 2^(n-1), max_backoff) ("full jitter"); retried: network
 * errors and timeouts, HTTP 500/502/503/504 and 429, throttling codes
 * (Throttling, ThrottlingException, ThrottledException,
 * RequestThrottledException, TooManyRequestsException,
 * ProvisionedThroughputExceededException, TransactionInProgressException,
 * RequestLimitExceeded, BandwidthLimitExceeded, LimitExceededException,
 * RequestThrottled, SlowDown, PriorRequestNotComplete,
 * EC2ThrottledException) and transient codes (RequestTimeout,
 * RequestTimeoutException, InternalError, ServiceUnavailable).  A retry
 * quota of 500 tokens (5 per retry, 10 after a timeout, 1 back per
 * success) stops retry storms.  Never retried: everything else, in
 * particular SignatureDoesNotMatch, InvalidSignatureException,
 * AccessDenied(Exception), IncompleteSignature and 4xx client errors.
 *
 * Clock skew: on RequestTimeTooSkewed, RequestExpired, RequestInTheFuture
 * (and on InvalidSignatureException / SignatureDoesNotMatch / AuthFailure
 * only when the response's Date header is more than 4 minutes from the
 * client's clock) the offset to the server's Date is recorded, applied to
 * every later signature, and the request is retried.
 *
 * Ownership: the client copies the strings of its options except the
 * borrowed http client, cancel flag and credentials context.  Not
 * thread-safe: one thread at a time per client.
 */
#ifndef MAO_AWS_H
#define MAO_AWS_H

#include <signal.h>
#include <stddef.h>
#include <time.h>

#include "err.h"
#include "http.h"
#include "sigv4.h"

/* Credentials with owned strings; release with mao_aws_creds_free() (wipes). */
typedef struct mao_aws_creds {
	char *access_key_id;
	char *secret_access_key;
	char *session_token;     /* NULL when there is none */
	time_t expiration;       /* 0: does not expire */
	char source[32];         /* where they came from: "env", "profile", ... */
} mao_aws_creds;

/* Wipes and frees the strings of c and leaves it empty. */
void mao_aws_creds_free(mao_aws_creds *c);

/* Sets c to copies of the given strings (token may be NULL); c must be empty or freed. */
int mao_aws_creds_set(mao_aws_creds *c, const char *akid, const char *secret,
					  const char *token, time_t expiration, const char *source);

/*
 * A credentials provider: sets *out to credentials that stay valid (and
 * owned by the provider) until the next call on ctx.  Returns MAO_OK or an
 * error (MAO_ERR_CREDENTIALS when none can be found).
 */
typedef int (*mao_aws_creds_fn)(void *ctx, const mao_aws_creds **out,
								mao_err *err);

/* A provider for fixed credentials: ctx is a const mao_aws_creds *. */
int mao_aws_static_creds(void *ctx, const mao_aws_creds **out, mao_err *err);

/* A resolved endpoint (fixed-size, no heap). */
typedef struct mao_aws_endpoint {
	char scheme[8];          /* "https" or "http" */
	char host[256];          /* Host header: host[:port] (port only when not the default) */
	char base_path[256];     /* "" or a path prefix without trailing '/', e.g. "/svc" */
	char signing_region[64];
	int custom;              /* from AWS_ENDPOINT_URL[_<SERVICE>] */
} mao_aws_endpoint;

/*
 * Resolves the endpoint of service ("s3", "kms", "sts", "iam", ...) in
 * region (see the file comment); override, if not NULL, is used instead of
 * the environment.  Returns MAO_OK or MAO_ERR_INVALID.
 */
int mao_aws_resolve_endpoint(const char *service, const char *region,
							 const char *override, mao_aws_endpoint *out,
							 mao_err *err);

/* Options of a client; zero fields take defaults. */
typedef struct mao_aws_client_options {
	const char *region;          /* required */
	mao_aws_creds_fn creds_fn;   /* required unless every request is anonymous */
	void *creds_ctx;             /* borrowed */
	mao_http_client *http;       /* borrowed; NULL: the client makes its own */
	int max_attempts;            /* 0: AWS_MAX_ATTEMPTS or 3 */
	long base_delay_ms;          /* 0: 1000 (as botocore) */
	long max_backoff_ms;         /* 0: 20000 */
	long connect_timeout_ms;     /* 0: the http client's default */
	long timeout_ms;             /* per attempt; 0: the http client's default */
	const volatile sig_atomic_t *cancel; /* borrowed; stops requests and backoff sleeps */
	int s3_path_style;           /* force path-style S3 addressing */
	const char *endpoint_url;    /* overrides AWS_ENDPOINT_URL* for every service */
	/*
	 * Called with 1 before each attempt goes out and 0 once its answer is
	 * in (NULL: none), from the calling thread: a caller that bounds the
	 * requests in flight then counts attempts, not the backoff sleeps
	 * between them.
	 */
	void (*attempt_gate)(void *gate_ctx, int enter);
	void *gate_ctx;              /* borrowed */
} mao_aws_client_options;

typedef struct mao_aws_client mao_aws_client; /* opaque */

/* Creates a client (copies the options).  Free with mao_aws_client_free(). */
int mao_aws_client_new(const mao_aws_client_options *opts,
					   mao_aws_client **out, mao_err *err);

/* Frees the client (and its own http client, if it made one); NULL is ignored. */
void mao_aws_client_free(mao_aws_client *client);

/* The client's region (borrowed). */
const char *mao_aws_client_region(const mao_aws_client *client);

/* Seconds added to the local clock when signing (learnt from Date headers). */
long mao_aws_client_clock_skew(const mao_aws_client *client);

/* Sets the clock offset (for tests and for callers that know better). */
void mao_aws_client_set_clock_skew(mao_aws_client *client, long seconds);

/* One API request; every pointer borrowed for the call. */
typedef struct mao_aws_request {
	const char *service;       /* signing name and endpoint key: "s3", "kms", ... */
	const char *method;
	const char *bucket;        /* S3 only: addressing per the file comment; else NULL */
	const char *path;          /* wire path (percent-encoded), '/' or starting with '/';
								* for S3 with a bucket: "/<encoded key>" or "/" */
	const char *query;         /* wire query without '?', or NULL */
	const mao_header *headers; /* extra headers (Content-Type, X-Amz-Target, x-amz-*) */
	size_t n_headers;
	const void *body;
	size_t body_len;
	size_t max_response_bytes; /* 0: the http client's default */
	int no_retry;              /* single attempt (e.g. the caller retries itself) */
	int anonymous;             /* send unsigned (e.g. STS AssumeRoleWithWebIdentity) */
	int error_in_200;          /* a 2xx whose body is an XML <Error> is an error, retried
								* by its code (S3 CopyObject, as the SDKs do) */
} mao_aws_request;

/* The outcome; owns everything; release with mao_aws_response_free(). */
typedef struct mao_aws_response {
	mao_http_response http;    /* the last attempt's response */
	char code[128];            /* AWS error code, "" on success */
	char message[MAO_ERR_MSG_MAX];
	char request_id[128];
	int attempts;              /* attempts made */
} mao_aws_response;

/* Makes resp empty. */
void mao_aws_response_init(mao_aws_response *resp);

/* Frees what resp owns and leaves it empty. */
void mao_aws_response_free(mao_aws_response *resp);

/*
 * Sends req with signing and retries.  Returns MAO_OK for a 2xx answer;
 * MAO_ERR_AWS for an AWS error answer (resp->code/message/request_id and
 * resp->http hold the details); MAO_ERR_NETWORK / MAO_ERR_TIMEOUT when no
 * answer came in any attempt; MAO_ERR_CANCELLED, MAO_ERR_TOO_LARGE,
 * MAO_ERR_CREDENTIALS, MAO_ERR_NOMEM, MAO_ERR_INVALID.  err's message names
 * the service, the operation's method, the code, the message, the request
 * id and the attempts, never credentials.
 */
int mao_aws_call(mao_aws_client *client, const mao_aws_request *req,
				 mao_aws_response *resp, mao_err *err);

/*
 * Parses an AWS error body (JSON "__type"/"code" + "message", or XML
 * <Code>/<Message>/<RequestId>) and headers (x-amzn-ErrorType,
 * x-amzn-RequestId, x-amz-request-id) of resp->http into resp->code,
 * message and request_id; a body without a code gets one from the HTTP
 * status (e.g. 404 -> "NotFound").  Exposed for tests and for S3's
 * 200-with-error-body case.
 */
void mao_aws_parse_error(mao_aws_response *resp);

/*
 * The region field of an ARN (arn:PARTITION:SERVICE:REGION:ACCOUNT:...),
 * copied into out; returns 0 when arn has none.
 */
int mao_arn_region(const char *arn, char *out, size_t len);

/* Non-zero if code (an AWS error code) is a throttling error. */
int mao_aws_is_throttling(const char *code);

/* Parses an RFC 1123 date ("Sun, 06 Nov 1994 08:49:37 GMT"). Returns MAO_OK or MAO_ERR_INVALID. */
int mao_time_parse_http(const char *s, time_t *out);

/* Sleeps ms milliseconds in short slices; returns MAO_ERR_CANCELLED early if *cancel is set. */
int mao_sleep_ms(long ms, const volatile sig_atomic_t *cancel);

#endif /* MAO_AWS_H */
