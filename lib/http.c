/*
 * http.c - HTTP requests on libcurl's multi interface (see http.h).
 */
#include "http.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <curl/curl.h>

#include "crypto_util.h"

#define POOL_MAX 16
#define POLL_MS 50

struct mao_http_client {
	CURLM *multi;             /* owns the connection cache */
	CURL *pool[POOL_MAX];     /* idle easy handles, reset */
	size_t n_pool;
	mao_http_options opts;
	long connects;            /* connections opened so far */
	char ca_file[512];        /* CA bundle to verify TLS with; "" = libcurl's built-in default */
};

/* One request in flight. */
typedef struct xfer {
	CURL *easy;
	struct curl_slist *hdrs;
	const mao_http_request *req;
	mao_http_response *resp;
	size_t cap;
	int too_large;
	int nomem;
	int cancelled;
	size_t n_hdr_alloc;
	char errbuf[CURL_ERROR_SIZE];
} xfer;

/* Initialises libcurl once for the process. */
int
mao_http_global_init(mao_err *err)
{
	CURLcode rc = curl_global_init(CURL_GLOBAL_DEFAULT);

	if (rc != CURLE_OK)
		return mao_err_set(err, MAO_ERR_NETWORK, "curl_global_init: %s",
						   curl_easy_strerror(rc));
	return MAO_OK;
}

/* Releases libcurl's global state. */
void
mao_http_global_cleanup(void)
{
	curl_global_cleanup();
}

/*
 * The CA bundle for TLS: AWS_CA_BUNDLE (as the SDKs), else libcurl's
 * built-in default when that file exists, else the first system bundle
 * found.  A binary built on one distribution and run on another (a Debian
 * build on Amazon Linux 2023, whose bundle lives under /etc/pki) would
 * otherwise fail every TLS handshake.
 */
static void
choose_ca_file(char *out, size_t len)
{
	static const char *const known[] = {
		"/etc/pki/tls/certs/ca-bundle.crt",       /* Amazon Linux, RHEL, Fedora */
		"/etc/ssl/certs/ca-certificates.crt",     /* Debian, Ubuntu, Alpine */
		"/etc/ssl/cert.pem",                      /* macOS, BSDs */
		NULL};
	const curl_version_info_data *v = curl_version_info(CURLVERSION_NOW);
	const char *env = getenv("AWS_CA_BUNDLE");
	size_t i;

	out[0] = '\0';
	if (env != NULL && env[0] != '\0') {
		snprintf(out, len, "%s", env);
		return;
	}
	if (v->cainfo == NULL || access(v->cainfo, R_OK) == 0)
		return;
	for (i = 0; known[i]; i++)
		if (access(known[i], R_OK) == 0) {
			snprintf(out, len, "%s", known[i]);
			return;
		}
}

/* Creates a client with its multi handle. */
int
mao_http_client_new(const mao_http_options *opts, mao_http_client **out,
					mao_err *err)
{
	mao_http_client *c;

	*out = NULL;
	c = calloc(1, sizeof(*c));
	if (c == NULL)
		return mao_err_set(err, MAO_ERR_NOMEM, "out of memory");
	if (opts != NULL)
		c->opts = *opts;
	if (c->opts.connect_timeout_ms <= 0)
		c->opts.connect_timeout_ms = MAO_HTTP_DEFAULT_CONNECT_TIMEOUT_MS;
	if (c->opts.timeout_ms <= 0)
		c->opts.timeout_ms = MAO_HTTP_DEFAULT_TIMEOUT_MS;
	if (c->opts.max_response_bytes == 0)
		c->opts.max_response_bytes = MAO_HTTP_DEFAULT_MAX_RESPONSE;
	choose_ca_file(c->ca_file, sizeof(c->ca_file));
	c->multi = curl_multi_init();
	if (c->multi == NULL) {
		free(c);
		return mao_err_set(err, MAO_ERR_NOMEM, "curl_multi_init failed");
	}
	*out = c;
	return MAO_OK;
}

/* Frees the pooled handles and the multi handle (closing connections). */
void
mao_http_client_free(mao_http_client *client)
{
	size_t i;

	if (client == NULL)
		return;
	for (i = 0; i < client->n_pool; i++)
		curl_easy_cleanup(client->pool[i]);
	curl_multi_cleanup(client->multi);
	free(client);
}

/* Number of connections opened by the client so far. */
long
mao_http_client_connects(const mao_http_client *client)
{
	return client->connects;
}

/* Makes resp empty. */
void
mao_http_response_init(mao_http_response *resp)
{
	memset(resp, 0, sizeof(*resp));
	mao_buf_init(&resp->body);
}

/* Frees what resp owns and leaves it empty. */
void
mao_http_response_free(mao_http_response *resp)
{
	size_t i;

	for (i = 0; i < resp->n_headers; i++) {
		free(resp->headers[i].name);
		free(resp->headers[i].value);
	}
	free(resp->headers);
	mao_buf_free(&resp->body);
	mao_http_response_init(resp);
}

/* First header of this name (case-insensitive), or NULL. */
const char *
mao_http_response_header(const mao_http_response *resp, const char *name)
{
	size_t i;

	for (i = 0; i < resp->n_headers; i++)
		if (strcasecmp(resp->headers[i].name, name) == 0)
			return resp->headers[i].value;
	return NULL;
}

/* Drops the headers collected so far (a new status line started). */
static void
clear_headers(mao_http_response *resp)
{
	size_t i;

	for (i = 0; i < resp->n_headers; i++) {
		free(resp->headers[i].name);
		free(resp->headers[i].value);
	}
	resp->n_headers = 0;
}

/* Copies s[0..n) into a new NUL-terminated string. */
static char *
dup_n(const char *s, size_t n)
{
	char *p = malloc(n + 1);

	if (p != NULL) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

/* libcurl header callback: collects "Name: value" lines of the last response. */
static size_t
on_header(char *data, size_t size, size_t nitems, void *userdata)
{
	xfer *x = userdata;
	mao_http_response *r = x->resp;
	size_t n = size * nitems, len = n, nl, vs, ve;
	const char *colon;

	while (len > 0 && (data[len - 1] == '\r' || data[len - 1] == '\n'))
		len--;
	if (len >= 5 && memcmp(data, "HTTP/", 5) == 0) {
		clear_headers(r);
		return n;
	}
	if (len == 0)
		return n;
	colon = memchr(data, ':', len);
	if (colon == NULL)
		return n;               /* folded or malformed line: ignored */
	nl = (size_t) (colon - data);
	vs = nl + 1;
	while (vs < len && (data[vs] == ' ' || data[vs] == '\t'))
		vs++;
	ve = len;
	while (ve > vs && (data[ve - 1] == ' ' || data[ve - 1] == '\t'))
		ve--;
	if (r->n_headers == x->n_hdr_alloc) {
		size_t na = x->n_hdr_alloc ? x->n_hdr_alloc * 2 : 16;
		mao_http_header *nh = realloc(r->headers, na * sizeof(*nh));

		if (nh == NULL) {
			x->nomem = 1;
			return 0;
		}
		r->headers = nh;
		x->n_hdr_alloc = na;
	}
	r->headers[r->n_headers].name = dup_n(data, nl);
	r->headers[r->n_headers].value = dup_n(data + vs, ve - vs);
	if (r->headers[r->n_headers].name == NULL ||
		r->headers[r->n_headers].value == NULL) {
		free(r->headers[r->n_headers].name);
		free(r->headers[r->n_headers].value);
		x->nomem = 1;
		return 0;
	}
	r->n_headers++;
	return n;
}

/* libcurl write callback: appends to the body up to the size cap. */
static size_t
on_body(char *data, size_t size, size_t nmemb, void *userdata)
{
	xfer *x = userdata;
	size_t n = size * nmemb;

	if (x->resp->body.len + n > x->cap) {
		x->too_large = 1;
		return 0;               /* libcurl ends the transfer with a write error */
	}
	if (mao_buf_append(&x->resp->body, data, n) != MAO_OK) {
		x->nomem = 1;
		return 0;
	}
	return n;
}

/* libcurl progress callback: a non-zero return aborts; only reads the flag. */
static int
on_progress(void *userdata, curl_off_t dltotal, curl_off_t dlnow,
			curl_off_t ultotal, curl_off_t ulnow)
{
	xfer *x = userdata;

	(void) dltotal;
	(void) dlnow;
	(void) ultotal;
	(void) ulnow;
	if (x->req->cancel != NULL && *x->req->cancel) {
		x->cancelled = 1;
		return 1;
	}
	return 0;
}

/* Copies "scheme://host[:port]" of url into out (never the path or query). */
static void
url_origin(const char *url, char *out, size_t outlen)
{
	const char *p = strstr(url, "://");
	size_t n;

	p = p ? p + 3 : url;
	n = strcspn(p, "/?#");
	n += (size_t) (p - url);
	if (n >= outlen)
		n = outlen - 1;
	memcpy(out, url, n);
	out[n] = '\0';
}

/* Returns non-zero if the request carries a header of this name. */
static int
has_header(const mao_http_request *req, const char *name)
{
	size_t i;

	for (i = 0; i < req->n_headers; i++)
		if (strcasecmp(req->headers[i].name, name) == 0)
			return 1;
	return 0;
}

/* Appends "Name: value" (or "Name;" for an empty value) to the curl list. */
static int
add_header(struct curl_slist **list, const char *name, const char *value)
{
	mao_buf b = MAO_BUF_INIT;
	struct curl_slist *nl;

	if (value[0] == '\0')
		mao_buf_printf(&b, "%s;", name);
	else
		mao_buf_printf(&b, "%s: %s", name, value);
	if (mao_buf_status(&b) != MAO_OK)
		return MAO_ERR_NOMEM;
	nl = curl_slist_append(*list, mao_buf_cstr(&b));
	mao_buf_free(&b);
	if (nl == NULL)
		return MAO_ERR_NOMEM;
	*list = nl;
	return MAO_OK;
}

/* Appends a literal header line to the curl list. */
static int
append_raw(struct curl_slist **list, const char *line)
{
	struct curl_slist *nl = curl_slist_append(*list, line);

	if (nl == NULL)
		return MAO_ERR_NOMEM;
	*list = nl;
	return MAO_OK;
}

/* Takes an easy handle from the pool or makes one. */
static CURL *
take_easy(mao_http_client *c)
{
	if (c->n_pool > 0)
		return c->pool[--c->n_pool];
	return curl_easy_init();
}

/* Resets an easy handle and returns it to the pool (or frees it). */
static void
give_easy(mao_http_client *c, CURL *e)
{
	curl_easy_reset(e);
	if (c->n_pool < POOL_MAX)
		c->pool[c->n_pool++] = e;
	else
		curl_easy_cleanup(e);
}

/* Records an outcome in the response of x. */
static void
set_outcome(xfer *x, int status, const char *what)
{
	char origin[128];

	x->resp->status = status;
	if (status == MAO_OK) {
		x->resp->error[0] = '\0';
		return;
	}
	url_origin(x->req->url ? x->req->url : "", origin, sizeof(origin));
	snprintf(x->resp->error, sizeof(x->resp->error), "%s %s: %s",
			 x->req->method ? x->req->method : "?", origin, what);
}

/* Configures x->easy for x->req; returns MAO_OK or an error (recorded in x->resp). */
static int
setup_xfer(mao_http_client *c, xfer *x)
{
	const mao_http_request *req = x->req;
	const char *m = req->method ? req->method : "GET";
	CURL *e = x->easy;
	size_t i;
	int rc = MAO_OK;
	long cto = req->connect_timeout_ms > 0 ? req->connect_timeout_ms : c->opts.connect_timeout_ms;
	long to = req->timeout_ms > 0 ? req->timeout_ms : c->opts.timeout_ms;

	if (req->url == NULL || (req->body == NULL && req->body_len > 0)) {
		set_outcome(x, MAO_ERR_INVALID, "invalid request");
		return MAO_ERR_INVALID;
	}
	x->cap = req->max_response_bytes > 0 ? req->max_response_bytes : c->opts.max_response_bytes;
	for (i = 0; i < req->n_headers && rc == MAO_OK; i++) {
		const char *n = req->headers[i].name, *v = req->headers[i].value;

		if (n == NULL || v == NULL || strpbrk(n, "\r\n:") != NULL ||
			strpbrk(v, "\r\n") != NULL) {
			set_outcome(x, MAO_ERR_INVALID, "invalid header");
			return MAO_ERR_INVALID;
		}
		rc = add_header(&x->hdrs, n, v);
	}
	/* No "Expect: 100-continue" round trip; no default form Content-Type
	 * ("Name:" with nothing after the colon removes a libcurl default). */
	if (rc == MAO_OK && !has_header(req, "Expect"))
		rc = append_raw(&x->hdrs, "Expect:");
	if (rc == MAO_OK && !has_header(req, "Content-Type"))
		rc = append_raw(&x->hdrs, "Content-Type:");
	if (rc != MAO_OK) {
		set_outcome(x, MAO_ERR_NOMEM, "out of memory");
		return MAO_ERR_NOMEM;
	}
	curl_easy_setopt(e, CURLOPT_URL, req->url);
	if (c->ca_file[0])
		curl_easy_setopt(e, CURLOPT_CAINFO, c->ca_file);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	/* Send the path exactly as given (and as signed): no dot-segment squashing. */
	curl_easy_setopt(e, CURLOPT_PATH_AS_IS, 1L);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, cto);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, to);
	curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t) x->cap);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, x->hdrs);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, x);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(e, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(e, CURLOPT_XFERINFODATA, x);
	curl_easy_setopt(e, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, x->errbuf);
	curl_easy_setopt(e, CURLOPT_PRIVATE, x);
	curl_easy_setopt(e, CURLOPT_VERBOSE, c->opts.verbose ? 1L : 0L);
	if (strcmp(m, "HEAD") == 0) {
		curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
	} else if (strcmp(m, "GET") == 0 && req->body_len == 0) {
		curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
	} else if (strcmp(m, "DELETE") == 0 && req->body_len == 0) {
		curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, m);
	} else {
		curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t) req->body_len);
		curl_easy_setopt(e, CURLOPT_POSTFIELDS, req->body_len ? req->body : "");
		if (strcmp(m, "POST") != 0)
			curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, m);
	}
	return MAO_OK;
}

/* Turns the curl result of a finished transfer into the response status. */
static void
finish_xfer(mao_http_client *c, xfer *x, CURLcode cc)
{
	long code = 0, nconn = 0;
	char what[CURL_ERROR_SIZE + 64];

	curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &code);
	curl_easy_getinfo(x->easy, CURLINFO_NUM_CONNECTS, &nconn);
	c->connects += nconn;
	x->resp->reused_connection = (nconn == 0 && cc == CURLE_OK);
	if (cc == CURLE_OK) {
		x->resp->http_status = code;
		set_outcome(x, MAO_OK, "");
		return;
	}
	x->resp->http_status = 0;
	snprintf(what, sizeof(what), "%s", x->errbuf[0] ? x->errbuf : curl_easy_strerror(cc));
	if (x->cancelled || cc == CURLE_ABORTED_BY_CALLBACK)
		set_outcome(x, MAO_ERR_CANCELLED, "cancelled");
	else if (x->too_large || cc == CURLE_FILESIZE_EXCEEDED) {
		char msg[96];

		snprintf(msg, sizeof(msg), "response larger than %zu bytes", x->cap);
		set_outcome(x, MAO_ERR_TOO_LARGE, msg);
	} else if (x->nomem || cc == CURLE_OUT_OF_MEMORY)
		set_outcome(x, MAO_ERR_NOMEM, "out of memory");
	else if (cc == CURLE_OPERATION_TIMEDOUT)
		set_outcome(x, MAO_ERR_TIMEOUT, what);
	else
		set_outcome(x, MAO_ERR_NETWORK, what);
	if (x->resp->status != MAO_OK)
		mao_buf_free(&x->resp->body);
}

/* Detaches x from the multi handle and releases its resources. */
static void
release_xfer(mao_http_client *c, xfer *x)
{
	curl_multi_remove_handle(c->multi, x->easy);
	give_easy(c, x->easy);
	curl_slist_free_all(x->hdrs);
	x->easy = NULL;
	x->hdrs = NULL;
}

/* Runs n requests through the multi handle, at most max_in_flight at once. */
int
mao_http_perform_many(mao_http_client *client, const mao_http_request *reqs,
					  mao_http_response *resps, size_t n,
					  size_t max_in_flight, mao_err *err)
{
	xfer *xs;
	size_t next = 0, in_flight = 0, i;
	int running = 0;

	if (n == 0)
		return MAO_OK;
	if (max_in_flight == 0 || max_in_flight > n)
		max_in_flight = n;
	xs = calloc(n, sizeof(*xs));
	if (xs == NULL)
		return mao_err_set(err, MAO_ERR_NOMEM, "out of memory");
	for (;;) {
		CURLMsg *msg;
		int left;

		while (in_flight < max_in_flight && next < n) {
			xfer *x = &xs[next];

			mao_http_response_free(&resps[next]);
			x->req = &reqs[next];
			x->resp = &resps[next];
			next++;
			x->easy = take_easy(client);
			if (x->easy == NULL) {
				set_outcome(x, MAO_ERR_NOMEM, "out of memory");
				continue;
			}
			if (setup_xfer(client, x) != MAO_OK ||
				curl_multi_add_handle(client->multi, x->easy) != CURLM_OK) {
				if (x->resp->status == MAO_OK)
					set_outcome(x, MAO_ERR_NOMEM, "curl_multi_add_handle failed");
				give_easy(client, x->easy);
				curl_slist_free_all(x->hdrs);
				x->easy = NULL;
				x->hdrs = NULL;
				continue;
			}
			in_flight++;
		}
		if (in_flight == 0 && next >= n)
			break;
		curl_multi_perform(client->multi, &running);
		while ((msg = curl_multi_info_read(client->multi, &left)) != NULL) {
			xfer *x = NULL;

			if (msg->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **) &x);
			finish_xfer(client, x, msg->data.result);
			release_xfer(client, x);
			in_flight--;
		}
		/* A cancel flag set while curl is waiting on a socket ends the request now. */
		for (i = 0; i < next; i++) {
			xfer *x = &xs[i];

			if (x->easy != NULL && x->req->cancel != NULL && *x->req->cancel) {
				x->cancelled = 1;
				finish_xfer(client, x, CURLE_ABORTED_BY_CALLBACK);
				release_xfer(client, x);
				in_flight--;
			}
		}
		if (in_flight > 0)
			curl_multi_poll(client->multi, NULL, 0, POLL_MS, NULL);
	}
	free(xs);
	return MAO_OK;
}

/* Performs one request and waits for it. */
int
mao_http_perform(mao_http_client *client, const mao_http_request *req,
				 mao_http_response *resp, mao_err *err)
{
	int rc = mao_http_perform_many(client, req, resp, 1, 1, err);

	if (rc != MAO_OK)
		return rc;
	if (resp->status != MAO_OK)
		return mao_err_set(err, resp->status, "%s", resp->error);
	mao_err_clear(err);
	return MAO_OK;
}
