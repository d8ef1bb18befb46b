/*
 * aws.c - endpoints, signing, standard-mode retries, clock skew and error
 * parsing for AWS API calls (see aws.h).
 */
#include "aws.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cJSON.h>
#include <openssl/rand.h>

#include "crypto_util.h"
#include "timeutil.h"
#include "xml.h"

#define RETRY_QUOTA 500
#define RETRY_COST 5
#define TIMEOUT_RETRY_COST 10

struct mao_aws_client {
	char *region;
	mao_aws_creds_fn creds_fn;
	void *creds_ctx;
	mao_http_client *http;
	int own_http;
	int max_attempts;
	long base_delay_ms;
	long max_backoff_ms;
	long connect_timeout_ms;
	long timeout_ms;
	const volatile sig_atomic_t *cancel;
	int s3_path_style;
	char *endpoint_url;
	long skew;                /* seconds to add to time(NULL) */
	int quota;                /* retry tokens left */
	uint64_t rng;             /* xorshift64* state */
	void (*attempt_gate)(void *, int);
	void *gate_ctx;
};

/* ---------------------------------------------------------------- creds */

/* Duplicates s (NULL stays NULL); *failed is set when out of memory. */
static char *
dup_or_null(const char *s, int *failed)
{
	char *p;

	if (s == NULL)
		return NULL;
	p = strdup(s);
	if (p == NULL)
		*failed = 1;
	return p;
}

/* Wipes and frees one string. */
static void
free_secret(char *s)
{
	if (s != NULL) {
		mao_secure_zero(s, strlen(s));
		free(s);
	}
}

/* Wipes and frees the strings of c. */
void
mao_aws_creds_free(mao_aws_creds *c)
{
	free_secret(c->access_key_id);
	free_secret(c->secret_access_key);
	free_secret(c->session_token);
	memset(c, 0, sizeof(*c));
}

/* Sets c to copies of the given strings. */
int
mao_aws_creds_set(mao_aws_creds *c, const char *akid, const char *secret,
				  const char *token, time_t expiration, const char *source)
{
	int failed = 0;

	memset(c, 0, sizeof(*c));
	if (akid == NULL || secret == NULL || akid[0] == '\0' || secret[0] == '\0')
		return MAO_ERR_INVALID;
	c->access_key_id = dup_or_null(akid, &failed);
	c->secret_access_key = dup_or_null(secret, &failed);
	c->session_token = (token && token[0]) ? dup_or_null(token, &failed) : NULL;
	c->expiration = expiration;
	snprintf(c->source, sizeof(c->source), "%s", source ? source : "");
	if (failed) {
		mao_aws_creds_free(c);
		return MAO_ERR_NOMEM;
	}
	return MAO_OK;
}

/* The fixed-credentials provider. */
int
mao_aws_static_creds(void *ctx, const mao_aws_creds **out, mao_err *err)
{
	const mao_aws_creds *c = ctx;

	if (c == NULL || c->access_key_id == NULL || c->secret_access_key == NULL)
		return mao_err_set(err, MAO_ERR_CREDENTIALS, "no static credentials");
	*out = c;
	return MAO_OK;
}

/* ------------------------------------------------------------- endpoints */

/* The SDKs' service id for the AWS_ENDPOINT_URL_<ID> variable. */
static void
service_env_name(const char *service, char *out, size_t outlen)
{
	static const struct {
		const char *name, *id;
	} special[] = {
		{"secretsmanager", "SECRETS_MANAGER"},
		{"config", "CONFIG_SERVICE"},
		{"elasticloadbalancing", "ELASTIC_LOAD_BALANCING_V2"},
		{"monitoring", "CLOUDWATCH"},
		{"logs", "CLOUDWATCH_LOGS"},
		{"events", "EVENTBRIDGE"},
		{"states", "SFN"},
		{"email", "SES"},
		{"ce", "COST_EXPLORER"},
	};
	size_t i, n;

	for (i = 0; i < sizeof(special) / sizeof(special[0]); i++)
		if (strcmp(service, special[i].name) == 0) {
			snprintf(out, outlen, "AWS_ENDPOINT_URL_%s", special[i].id);
			return;
		}
	n = (size_t) snprintf(out, outlen, "AWS_ENDPOINT_URL_");
	for (i = 0; service[i] != '\0' && n + 1 < outlen; i++, n++) {
		unsigned char c = (unsigned char) service[i];

		out[n] = (c == '-' || c == ' ') ? '_' : (char) toupper(c);
	}
	out[n] = '\0';
}

/* Parses scheme://host[:port][/path] into ep. */
static int
parse_endpoint_url(const char *url, mao_aws_endpoint *ep, mao_err *err)
{
	const char *p = strstr(url, "://"), *hs, *he;
	size_t sl, hl, pl;

	if (p == NULL)
		return mao_err_set(err, MAO_ERR_INVALID, "endpoint URL lacks a scheme");
	sl = (size_t) (p - url);
	if (!((sl == 4 && strncasecmp(url, "http", 4) == 0) ||
		  (sl == 5 && strncasecmp(url, "https", 5) == 0)))
		return mao_err_set(err, MAO_ERR_INVALID, "endpoint URL scheme must be http or https");
	memcpy(ep->scheme, url, sl);
	ep->scheme[sl] = '\0';
	for (hl = 0; hl < sl; hl++)
		ep->scheme[hl] = (char) tolower((unsigned char) ep->scheme[hl]);
	hs = p + 3;
	he = hs + strcspn(hs, "/?#");
	hl = (size_t) (he - hs);
	if (hl == 0 || hl >= sizeof(ep->host))
		return mao_err_set(err, MAO_ERR_INVALID, "endpoint URL has a bad host");
	memcpy(ep->host, hs, hl);
	ep->host[hl] = '\0';
	pl = strcspn(he, "?#");
	while (pl > 0 && he[pl - 1] == '/')
		pl--;
	if (pl >= sizeof(ep->base_path))
		return mao_err_set(err, MAO_ERR_INVALID, "endpoint URL path too long");
	memcpy(ep->base_path, he, pl);
	ep->base_path[pl] = '\0';
	return MAO_OK;
}

/* Non-zero if getenv(name) is "true" (any case). */
static int
env_true(const char *name)
{
	const char *v = getenv(name);

	return v != NULL && strcasecmp(v, "true") == 0;
}

/* Resolves the endpoint of a service in a region. */
int
mao_aws_resolve_endpoint(const char *service, const char *region,
						 const char *override, mao_aws_endpoint *out,
						 mao_err *err)
{
	char envname[96];
	const char *url = override, *suffix;
	const char *sts_mode;

	memset(out, 0, sizeof(*out));
	if (service == NULL || service[0] == '\0' || region == NULL || region[0] == '\0')
		return mao_err_set(err, MAO_ERR_INVALID, "service and region are required");
	if (strlen(region) >= sizeof(out->signing_region) ||
		strspn(region, "abcdefghijklmnopqrstuvwxyz0123456789-") != strlen(region))
		return mao_err_set(err, MAO_ERR_INVALID, "invalid region name");
	snprintf(out->signing_region, sizeof(out->signing_region), "%s", region);
	if (url == NULL && !env_true("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")) {
		service_env_name(service, envname, sizeof(envname));
		url = getenv(envname);
		if (url == NULL || url[0] == '\0')
			url = getenv("AWS_ENDPOINT_URL");
		if (url != NULL && url[0] == '\0')
			url = NULL;
	}
	if (url != NULL) {
		out->custom = 1;
		return parse_endpoint_url(url, out, err);
	}
	strcpy(out->scheme, "https");
	suffix = strncmp(region, "cn-", 3) == 0 ? "amazonaws.com.cn" : "amazonaws.com";
	if (strcmp(service, "iam") == 0) {
		if (strncmp(region, "cn-", 3) == 0) {
			snprintf(out->host, sizeof(out->host), "iam.cn-north-1.%s", suffix);
			strcpy(out->signing_region, "cn-north-1");
		} else if (strncmp(region, "us-gov-", 7) == 0) {
			strcpy(out->host, "iam.us-gov.amazonaws.com");
			strcpy(out->signing_region, "us-gov-west-1");
		} else {
			strcpy(out->host, "iam.amazonaws.com");
			strcpy(out->signing_region, "us-east-1");
		}
		return MAO_OK;
	}
	/* partition-global services (botocore's endpoints.json): one endpoint whatever the region */
	if (strcmp(service, "savingsplans") == 0 && strncmp(region, "cn-", 3) != 0) {
		strcpy(out->host, "savingsplans.amazonaws.com");
		strcpy(out->signing_region, "us-east-1");
		return MAO_OK;
	}
	if (strcmp(service, "ce") == 0) {
		const char *home = strncmp(region, "cn-", 3) == 0 ? "cn-northwest-1" : "us-east-1";

		snprintf(out->host, sizeof(out->host), "ce.%s.%s", home, suffix);
		strcpy(out->signing_region, home);
		return MAO_OK;
	}
	sts_mode = getenv("AWS_STS_REGIONAL_ENDPOINTS");
	if (strcmp(service, "sts") == 0 && sts_mode != NULL &&
		strcasecmp(sts_mode, "legacy") == 0 &&
		strncmp(region, "cn-", 3) != 0 && strncmp(region, "us-gov-", 7) != 0) {
		strcpy(out->host, "sts.amazonaws.com");
		strcpy(out->signing_region, "us-east-1");
		return MAO_OK;
	}
	snprintf(out->host, sizeof(out->host), "%s.%s.%s", service, region, suffix);
	return MAO_OK;
}

/* Non-zero if bucket can be a DNS label for virtual-hosted addressing. */
static int
bucket_dns_ok(const char *b)
{
	size_t n = strlen(b), i;

	if (n < 3 || n > 63 || b[0] == '-' || b[n - 1] == '-')
		return 0;
	for (i = 0; i < n; i++)
		if (!(islower((unsigned char) b[i]) || isdigit((unsigned char) b[i]) || b[i] == '-'))
			return 0;
	return 1;
}

/* ---------------------------------------------------------------- client */

/* Next pseudo-random number in [0, 1) (xorshift64*; jitter only, not crypto). */
static double
next_random(mao_aws_client *c)
{
	uint64_t x = c->rng;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	c->rng = x;
	return (double) ((x * UINT64_C(2685821657736338717)) >> 11) / 9007199254740992.0;
}

/* Creates a client. */
int
mao_aws_client_new(const mao_aws_client_options *o, mao_aws_client **out,
				   mao_err *err)
{
	mao_aws_client *c;
	const char *env;
	int rc;

	*out = NULL;
	if (o == NULL || o->region == NULL || o->region[0] == '\0')
		return mao_err_set(err, MAO_ERR_INVALID, "an AWS client needs a region");
	c = calloc(1, sizeof(*c));
	if (c == NULL)
		return mao_err_set(err, MAO_ERR_NOMEM, "out of memory");
	c->region = strdup(o->region);
	c->endpoint_url = o->endpoint_url ? strdup(o->endpoint_url) : NULL;
	if (c->region == NULL || (o->endpoint_url && c->endpoint_url == NULL)) {
		mao_aws_client_free(c);
		return mao_err_set(err, MAO_ERR_NOMEM, "out of memory");
	}
	c->creds_fn = o->creds_fn;
	c->creds_ctx = o->creds_ctx;
	c->http = o->http;
	if (c->http == NULL) {
		rc = mao_http_client_new(NULL, &c->http, err);
		if (rc != MAO_OK) {
			mao_aws_client_free(c);
			return rc;
		}
		c->own_http = 1;
	}
	c->max_attempts = o->max_attempts;
	env = getenv("AWS_MAX_ATTEMPTS");
	if (c->max_attempts <= 0 && env != NULL && atoi(env) > 0)
		c->max_attempts = atoi(env);
	if (c->max_attempts <= 0)
		c->max_attempts = 3;
	c->base_delay_ms = o->base_delay_ms > 0 ? o->base_delay_ms : 1000;
	c->max_backoff_ms = o->max_backoff_ms > 0 ? o->max_backoff_ms : 20000;
	c->attempt_gate = o->attempt_gate;
	c->gate_ctx = o->gate_ctx;
	c->connect_timeout_ms = o->connect_timeout_ms;
	c->timeout_ms = o->timeout_ms;
	c->cancel = o->cancel;
	c->s3_path_style = o->s3_path_style;
	c->quota = RETRY_QUOTA;
	if (RAND_bytes((unsigned char *) &c->rng, sizeof(c->rng)) != 1 || c->rng == 0)
		c->rng = (uint64_t) time(NULL) * UINT64_C(6364136223846793005) + 1;
	*out = c;
	return MAO_OK;
}

/* Frees the client. */
void
mao_aws_client_free(mao_aws_client *c)
{
	if (c == NULL)
		return;
	if (c->own_http)
		mao_http_client_free(c->http);
	free(c->region);
	free(c->endpoint_url);
	free(c);
}

/* The client's region. */
const char *
mao_aws_client_region(const mao_aws_client *c)
{
	return c->region;
}

/* The learnt clock offset. */
long
mao_aws_client_clock_skew(const mao_aws_client *c)
{
	return c->skew;
}

/* Sets the clock offset. */
void
mao_aws_client_set_clock_skew(mao_aws_client *c, long seconds)
{
	c->skew = seconds;
}

/* Makes resp empty. */
void
mao_aws_response_init(mao_aws_response *resp)
{
	memset(resp, 0, sizeof(*resp));
	mao_http_response_init(&resp->http);
}

/* Frees what resp owns. */
void
mao_aws_response_free(mao_aws_response *resp)
{
	mao_http_response_free(&resp->http);
	mao_aws_response_init(resp);
}

/* ---------------------------------------------------------------- errors */

/* Copies s[0..n) into a fixed array, truncating, replacing control characters. */
static void
copy_field(char *dst, size_t dstlen, const char *s, size_t n)
{
	size_t i;

	if (n >= dstlen)
		n = dstlen - 1;
	for (i = 0; i < n; i++)
		dst[i] = ((unsigned char) s[i] < 0x20) ? ' ' : s[i];
	dst[n] = '\0';
}

/* Copies the decoded text of the first XML element `name` into dst; returns non-zero if found. */
static int
xml_field(const mao_buf *body, const char *name, char *dst, size_t dstlen)
{
	char *t = mao_xml_text_dup(body->data ? body->data : "", body->len, name);

	if (t == NULL)
		return 0;
	copy_field(dst, dstlen, t, strlen(t));
	free(t);
	return 1;
}

/* Sets code from a JSON or header type name ("ns#Code:extra" -> "Code"). */
static void
set_code_from_type(char *dst, size_t dstlen, const char *type)
{
	const char *hash = strrchr(type, '#');
	size_t n;

	if (hash != NULL)
		type = hash + 1;
	n = strcspn(type, ":");
	copy_field(dst, dstlen, type, n);
}

/* Parses the error of an AWS response (see aws.h). */
void
mao_aws_parse_error(mao_aws_response *r)
{
	const mao_buf *b = &r->http.body;
	const char *h;
	size_t i = 0;

	r->code[0] = r->message[0] = '\0';
	h = mao_http_response_header(&r->http, "x-amzn-RequestId");
	if (h == NULL)
		h = mao_http_response_header(&r->http, "x-amz-request-id");
	if (h != NULL)
		copy_field(r->request_id, sizeof(r->request_id), h, strlen(h));
	while (i < b->len && isspace((unsigned char) b->data[i]))
		i++;
	if (i < b->len && b->data[i] == '{') {
		cJSON *j = cJSON_ParseWithLength(b->data, b->len);

		if (j != NULL) {
			cJSON *t = cJSON_GetObjectItemCaseSensitive(j, "__type");
			cJSON *m = cJSON_GetObjectItemCaseSensitive(j, "message");

			if (!cJSON_IsString(t))
				t = cJSON_GetObjectItemCaseSensitive(j, "code");
			if (!cJSON_IsString(t))
				t = cJSON_GetObjectItemCaseSensitive(j, "Code");
			if (!cJSON_IsString(m))
				m = cJSON_GetObjectItemCaseSensitive(j, "Message");
			if (cJSON_IsString(t))
				set_code_from_type(r->code, sizeof(r->code), t->valuestring);
			if (cJSON_IsString(m))
				copy_field(r->message, sizeof(r->message), m->valuestring, strlen(m->valuestring));
			cJSON_Delete(j);
		}
	} else if (i < b->len && b->data[i] == '<') {
		xml_field(b, "Code", r->code, sizeof(r->code));
		xml_field(b, "Message", r->message, sizeof(r->message));
		if (r->request_id[0] == '\0')
			xml_field(b, "RequestId", r->request_id, sizeof(r->request_id));
	}
	h = mao_http_response_header(&r->http, "x-amzn-ErrorType");
	if (r->code[0] == '\0' && h != NULL)
		set_code_from_type(r->code, sizeof(r->code), h);
	if (r->code[0] == '\0') {
		switch (r->http.http_status) {
		case 301: strcpy(r->code, "PermanentRedirect"); break;
		case 304: strcpy(r->code, "NotModified"); break;
		case 400: strcpy(r->code, "BadRequest"); break;
		case 403: strcpy(r->code, "Forbidden"); break;
		case 404: strcpy(r->code, "NotFound"); break;
		case 412: strcpy(r->code, "PreconditionFailed"); break;
		default:
			snprintf(r->code, sizeof(r->code), "HTTP%ld", r->http.http_status);
		}
	}
}

/* Non-zero if code is one of the names in list (NULL-terminated). */
static int
code_in(const char *code, const char *const *list)
{
	for (; *list != NULL; list++)
		if (strcmp(code, *list) == 0)
			return 1;
	return 0;
}

static const char *const throttling_codes[] = {
	"Throttling", "ThrottlingException", "ThrottledException",
	"RequestThrottledException", "TooManyRequestsException",
	"ProvisionedThroughputExceededException", "TransactionInProgressException",
	"RequestLimitExceeded", "BandwidthLimitExceeded", "LimitExceededException",
	"RequestThrottled", "SlowDown", "PriorRequestNotComplete",
	"EC2ThrottledException", NULL
};
static const char *const transient_codes[] = {
	"RequestTimeout", "RequestTimeoutException", "InternalError",
	"ServiceUnavailable", NULL
};
static const char *const skew_codes[] = {
	"RequestTimeTooSkewed", "RequestExpired", "RequestInTheFuture", NULL
};
static const char *const signature_codes[] = {
	"InvalidSignatureException", "SignatureDoesNotMatch", "AuthFailure", NULL
};

/* Non-zero if code is a throttling error code. */
int
mao_aws_is_throttling(const char *code)
{
	return code_in(code, throttling_codes);
}

/* ------------------------------------------------------------------ time */

/* Parses an RFC 1123 HTTP date. */
int
mao_time_parse_http(const char *s, time_t *out)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	char mon[4];
	int d, y, hh, mm, ss, n = 0;
	const char *p;

	if (s == NULL)
		return MAO_ERR_INVALID;
	p = strchr(s, ',');
	p = p ? p + 1 : s;
	if (sscanf(p, " %d %3s %d %d:%d:%d GMT%n", &d, mon, &y, &hh, &mm, &ss, &n) != 6 || n == 0)
		return MAO_ERR_INVALID;
	p = strstr(months, mon);
	if (p == NULL || strlen(mon) != 3 || (p - months) % 3 != 0 ||
		d < 1 || d > 31 || hh > 23 || mm > 59 || ss > 60 || y < 1970)
		return MAO_ERR_INVALID;
	*out = mao_time_from_civil(y, (int) (p - months) / 3 + 1, d, hh, mm, ss);
	return MAO_OK;
}

/* Sleeps in slices of at most 50 ms, watching the cancel flag. */
int
mao_sleep_ms(long ms, const volatile sig_atomic_t *cancel)
{
	while (ms > 0) {
		long slice = ms > 50 ? 50 : ms;
		struct timespec ts;

		if (cancel != NULL && *cancel)
			return MAO_ERR_CANCELLED;
		ts.tv_sec = 0;
		ts.tv_nsec = slice * 1000000L;
		while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
			if (cancel != NULL && *cancel)
				return MAO_ERR_CANCELLED;
		}
		ms -= slice;
	}
	return (cancel != NULL && *cancel) ? MAO_ERR_CANCELLED : MAO_OK;
}

/* ------------------------------------------------------------------ call */

/* Non-zero if an XML body's root element is <Error> (after an XML declaration). */
static int
body_is_error(const mao_buf *b)
{
	const char *p = b->data, *end = b->data + b->len;

	if (p == NULL)
		return 0;
	while (p < end && isspace((unsigned char) *p))
		p++;
	if (end - p >= 5 && memcmp(p, "<?xml", 5) == 0) {
		const char *q = memchr(p, '>', (size_t) (end - p));

		if (q == NULL)
			return 0;
		p = q + 1;
		while (p < end && isspace((unsigned char) *p))
			p++;
	}
	return end - p >= 7 && memcmp(p, "<Error", 6) == 0 && (p[6] == '>' || isspace((unsigned char) p[6]));
}

/* Builds the URL and the signed path of req on ep into url and path. */
static int
build_target(const mao_aws_client *c, const mao_aws_request *req,
			 mao_aws_endpoint *ep, mao_buf *url, mao_buf *path, mao_err *err)
{
	const char *rp = (req->path && req->path[0]) ? req->path : "/";

	if (rp[0] != '/')
		return mao_err_set(err, MAO_ERR_INVALID, "request path must start with '/'");
	mao_buf_append_str(path, ep->base_path);
	if (req->bucket != NULL) {
		if (req->bucket[0] == '\0' || strchr(req->bucket, '/') != NULL)
			return mao_err_set(err, MAO_ERR_INVALID, "invalid bucket name");
		if (!ep->custom && !c->s3_path_style && bucket_dns_ok(req->bucket)) {
			char host[sizeof(ep->host)];

			if (snprintf(host, sizeof(host), "%s.%s", req->bucket, ep->host) >= (int) sizeof(host))
				return mao_err_set(err, MAO_ERR_INVALID, "bucket name too long");
			strcpy(ep->host, host);
		} else {
			mao_buf_append_char(path, '/');
			mao_buf_append_uri_encoded(path, req->bucket, strlen(req->bucket), 1);
			if (strcmp(rp, "/") == 0)
				rp = "";
		}
	}
	mao_buf_append_str(path, rp);
	if (path->len == 0)
		mao_buf_append_char(path, '/');
	mao_buf_printf(url, "%s://%s%s", ep->scheme, ep->host, mao_buf_cstr(path));
	if (req->query != NULL && req->query[0] != '\0')
		mao_buf_printf(url, "?%s", req->query);
	return mao_buf_status(url) == MAO_OK && mao_buf_status(path) == MAO_OK
		? MAO_OK : mao_err_set(err, MAO_ERR_NOMEM, "out of memory");
}

/* Signs and sends one attempt; fills resp->http. */
static int
attempt(mao_aws_client *c, const mao_aws_request *req, const mao_aws_endpoint *ep,
		const char *url, const char *path, const char *payload_hash,
		mao_aws_response *resp, mao_err *err)
{
	const mao_aws_creds *cr = NULL;
	mao_sigv4_credentials sc;
	mao_sigv4_request sr;
	mao_sigv4_result res;
	mao_header *hs;
	mao_http_request hr;
	size_t i, n = 0;
	int rc, is_s3 = strcmp(req->service, "s3") == 0;

	if (!req->anonymous) {
		if (c->creds_fn == NULL)
			return mao_err_set(err, MAO_ERR_CREDENTIALS, "no credentials provider");
		rc = c->creds_fn(c->creds_ctx, &cr, err);
		if (rc != MAO_OK)
			return rc;
	}
	hs = calloc(req->n_headers + 1 + MAO_SIGV4_MAX_ADDED_HEADERS, sizeof(*hs));
	if (hs == NULL)
		return mao_err_set(err, MAO_ERR_NOMEM, "out of memory");
	hs[n].name = "Host";
	hs[n++].value = ep->host;
	for (i = 0; i < req->n_headers; i++)
		hs[n++] = req->headers[i];
	mao_sigv4_result_init(&res);
	if (req->anonymous)
		goto send;
	sc.access_key_id = cr->access_key_id;
	sc.secret_access_key = cr->secret_access_key;
	sc.session_token = cr->session_token;
	if (is_s3)
		mao_sigv4_request_init_s3(&sr);
	else
		mao_sigv4_request_init(&sr);
	sr.method = req->method;
	sr.path = path;
	sr.query = req->query;
	sr.headers = hs;
	sr.n_headers = n;
	sr.payload = req->body;
	sr.payload_len = req->body_len;
	sr.payload_hash = payload_hash;
	sr.creds = &sc;
	sr.region = ep->signing_region;
	sr.service = req->service;
	sr.timestamp = time(NULL) + c->skew;
	rc = mao_sigv4_sign(&sr, &res, err);
	if (rc != MAO_OK) {
		free(hs);
		return rc;
	}
	for (i = 0; i < res.n_headers; i++) {
		hs[n].name = res.headers[i].name;
		hs[n++].value = res.headers[i].value;
	}
send:
	memset(&hr, 0, sizeof(hr));
	hr.method = req->method;
	hr.url = url;
	hr.headers = hs;
	hr.n_headers = n;
	hr.body = req->body;
	hr.body_len = req->body_len;
	hr.connect_timeout_ms = c->connect_timeout_ms;
	hr.timeout_ms = c->timeout_ms;
	hr.max_response_bytes = req->max_response_bytes;
	hr.cancel = c->cancel;
	mao_http_response_free(&resp->http);
	rc = mao_http_perform(c->http, &hr, &resp->http, NULL);
	mao_sigv4_result_free(&res);
	free(hs);
	return rc;
}

/* Sends an AWS request with signing and retries. */
int
mao_aws_call(mao_aws_client *c, const mao_aws_request *req,
			 mao_aws_response *resp, mao_err *err)
{
	mao_aws_endpoint ep;
	mao_buf url = MAO_BUF_INIT, path = MAO_BUF_INIT;
	char payload_hash[MAO_SHA256_HEX_LEN + 1];
	int rc, max = req->no_retry ? 1 : c->max_attempts, skew_fixed = 0;
	mao_aws_response_free(resp);
	if (req->service == NULL || req->method == NULL)
		return mao_err_set(err, MAO_ERR_INVALID, "service and method are required");
	rc = mao_aws_resolve_endpoint(req->service, c->region, c->endpoint_url, &ep, err);
	if (rc == MAO_OK)
		rc = build_target(c, req, &ep, &url, &path, err);
	if (rc == MAO_OK && mao_sha256_hex(req->body, req->body_len, payload_hash) != MAO_OK)
		rc = mao_err_set(err, MAO_ERR_CRYPTO, "sha256 failed");
	while (rc == MAO_OK) {
		int retry = 0, cost = RETRY_COST;
		long st;

		resp->attempts++;
		resp->code[0] = resp->message[0] = resp->request_id[0] = '\0';
		if (c->attempt_gate != NULL)
			c->attempt_gate(c->gate_ctx, 1);
		rc = attempt(c, req, &ep, mao_buf_cstr(&url), mao_buf_cstr(&path),
					 payload_hash, resp, err);
		if (c->attempt_gate != NULL)
			c->attempt_gate(c->gate_ctx, 0);
		st = resp->http.http_status;
		if (rc == MAO_OK && st >= 200 && st < 300 &&
			!(req->error_in_200 && body_is_error(&resp->http.body))) {
			const char *h = mao_http_response_header(&resp->http, "x-amzn-RequestId");

			if (h == NULL)
				h = mao_http_response_header(&resp->http, "x-amz-request-id");
			if (h != NULL)
				copy_field(resp->request_id, sizeof(resp->request_id), h, strlen(h));
			if (c->quota < RETRY_QUOTA)
				c->quota++;
			break;
		}
		if (rc == MAO_ERR_NETWORK || rc == MAO_ERR_TIMEOUT) {
			retry = 1;
			if (rc == MAO_ERR_TIMEOUT)
				cost = TIMEOUT_RETRY_COST;
		} else if (rc == MAO_OK) {
			const char *date = mao_http_response_header(&resp->http, "Date");
			time_t server;

			mao_aws_parse_error(resp);
			rc = MAO_ERR_AWS;
			mao_err_set(err, MAO_ERR_AWS, "%s %s: %s (HTTP %ld, %d attempt%s, request id %s): %s",
						req->service, req->method, resp->code, st,
						resp->attempts, resp->attempts == 1 ? "" : "s",
						resp->request_id[0] ? resp->request_id : "none",
						resp->message[0] ? resp->message : "no message");
			if (st == 500 || st == 502 || st == 503 || st == 504 || st == 429 ||
				code_in(resp->code, throttling_codes) || code_in(resp->code, transient_codes))
				retry = 1;
			if (!skew_fixed && date != NULL && mao_time_parse_http(date, &server) == MAO_OK) {
				long off = (long) (server - time(NULL));
				long diff = labs(off - c->skew);

				if ((code_in(resp->code, skew_codes) && diff > 60) ||
					(code_in(resp->code, signature_codes) && diff > 240)) {
					c->skew = off;
					skew_fixed = 1;
					retry = 1;
					cost = 0;
				}
			}
		} else
			break;              /* cancelled, too large, credentials, ... */
		if (!retry || resp->attempts >= max)
			break;
		if (c->quota < cost)
			break;
		c->quota -= cost;
		if (cost > 0) {
			double cap = (double) c->base_delay_ms;
			int k;

			for (k = 1; k < resp->attempts && cap < c->max_backoff_ms; k++)
				cap *= 2;
			if (cap > c->max_backoff_ms)
				cap = (double) c->max_backoff_ms;
			if (mao_sleep_ms((long) (next_random(c) * cap), c->cancel) != MAO_OK) {
				rc = mao_err_set(err, MAO_ERR_CANCELLED, "%s %s: cancelled", req->service, req->method);
				break;
			}
		}
		rc = MAO_OK;
	}
	if (rc == MAO_ERR_NETWORK || rc == MAO_ERR_TIMEOUT)
		mao_err_set(err, rc, "%s (%d attempt%s)", resp->http.error, resp->attempts,
					resp->attempts == 1 ? "" : "s");
	else if (rc == MAO_ERR_CANCELLED || rc == MAO_ERR_TOO_LARGE)
		mao_err_set(err, rc, "%s", resp->http.error[0] ? resp->http.error : "cancelled");
	else if (rc == MAO_OK)
		mao_err_clear(err);
	mao_buf_free(&url);
	mao_buf_free(&path);
	return rc;
}

/* The region field of an ARN (arn:PARTITION:SERVICE:REGION:ACCOUNT:...) into out; 0 if none. */
int
mao_arn_region(const char *arn, char *out, size_t len)
{
	const char *p = arn;
	size_t n;

	if (strncmp(arn, "arn:", 4) != 0)
		return 0;
	for (int i = 0; i < 3; i++) {
		p = strchr(p, ':');
		if (p == NULL)
			return 0;
		p++;
	}
	n = strcspn(p, ":");
	if (n == 0 || n >= len || p[n] != ':')
		return 0;
	memcpy(out, p, n);
	out[n] = '\0';
	return 1;
}
