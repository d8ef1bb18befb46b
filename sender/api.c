/*
 * api.c - the AWS protocols as collectors use them: JSON 1.0/1.1 (POST with
 * X-Amz-Target), REST-JSON (GET), Query/EC2 (form POST, XML answer), every
 * call bounded by the run's limiter; failure classification; small JSON
 * and XML field helpers.
 */
#include "sender.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "creds_shared.h"

/* Takes a slot, in the order threads asked for one. */
static void
limiter_take(snd_limiter *l)
{
	unsigned long ticket;

	pthread_mutex_lock(&l->mu);
	ticket = l->next_ticket++;
	while (ticket != l->serving || l->free_slots == 0)
		pthread_cond_wait(&l->cv, &l->mu);
	l->serving++;
	l->free_slots--;
	l->calls++;
	pthread_cond_broadcast(&l->cv);   /* the next ticket may go if a slot is free */
	pthread_mutex_unlock(&l->mu);
}

/* Gives a slot back. */
static void
limiter_give(snd_limiter *l)
{
	pthread_mutex_lock(&l->mu);
	l->free_slots++;
	pthread_cond_broadcast(&l->cv);
	pthread_mutex_unlock(&l->mu);
}

/* lib/aws's attempt gate over the run's limiter. */
static void
limiter_gate(void *ctx, int enter)
{
	if (enter)
		limiter_take(ctx);
	else
		limiter_give(ctx);
}

/* See sender.h. */
int
snd_task_client(snd_task *t, const char *region, mao_err *err)
{
	mao_aws_client_options o;

	memset(&o, 0, sizeof(o));
	o.region = region ? region : t->s->region;
	o.creds_fn = mao_creds_shared_get;
	o.creds_ctx = t->s->creds;
	o.cancel = t->s->cancel;
	if (t->lim != NULL) {         /* the run's own calls before collecting have none */
		o.attempt_gate = limiter_gate;
		o.gate_ctx = t->lim;
	}
	return mao_aws_client_new(&o, &t->client, err);
}

/* See sender.h. */
void
snd_limiter_init(snd_limiter *l, int n)
{
	pthread_mutex_init(&l->mu, NULL);
	pthread_cond_init(&l->cv, NULL);
	l->free_slots = n < 1 ? 1 : n;
	l->next_ticket = l->serving = 0;
	l->calls = 0;
}

/* See sender.h. */
void
snd_limiter_destroy(snd_limiter *l)
{
	pthread_cond_destroy(&l->cv);
	pthread_mutex_destroy(&l->mu);
}

/* Sends req (its attempts gated by the limiter); fills f on failure; on success resp holds the answer. */
static int
bounded_call(snd_task *t, const mao_aws_request *req, mao_aws_response *resp, snd_fail *f)
{
	mao_err err;
	int rc;

	mao_err_clear(&err);
	rc = mao_aws_call(t->client, req, resp, &err);
	memset(f, 0, sizeof(*f));
	f->rc = rc;
	if (rc != MAO_OK) {
		snprintf(f->code, sizeof(f->code), "%s", resp->code);
		snprintf(f->msg, sizeof(f->msg), "%s", err.msg[0] ? err.msg : mao_status_str(rc));
	}
	return rc;
}

/* Parses resp's body as JSON into *out (an empty body is {}). */
static int
parse_json_body(const mao_aws_response *resp, cJSON **out, snd_fail *f)
{
	if (resp->http.body.len == 0) {
		*out = cJSON_CreateObject();
		return MAO_OK;
	}
	*out = cJSON_ParseWithLength((const char *) resp->http.body.data, resp->http.body.len);
	if (*out == NULL) {
		f->rc = MAO_ERR_INVALID;
		snprintf(f->msg, sizeof(f->msg), "the answer is not JSON");
		return MAO_ERR_INVALID;
	}
	return MAO_OK;
}

/* See sender.h. */
int
snd_call_json(snd_task *t, const char *service, const char *content_type,
			  const char *target, const cJSON *body, cJSON **out, snd_fail *f)
{
	mao_header h[2] = {{"Content-Type", content_type}, {"X-Amz-Target", target}};
	mao_aws_request req;
	mao_aws_response resp;
	char *text = body ? cJSON_PrintUnformatted(body) : NULL;
	int rc;

	*out = NULL;
	memset(&req, 0, sizeof(req));
	req.service = service;
	req.method = "POST";
	req.path = "/";
	req.headers = h;
	req.n_headers = 2;
	req.body = text ? text : "{}";
	req.body_len = strlen(req.body);
	mao_aws_response_init(&resp);
	rc = bounded_call(t, &req, &resp, f);
	if (rc == MAO_OK)
		rc = parse_json_body(&resp, out, f);
	mao_aws_response_free(&resp);
	free(text);
	return rc;
}

/* See sender.h. */
int
snd_call_rest_json(snd_task *t, const char *service, const char *method,
				   const char *path, const char *query, const char *body,
				   cJSON **out, snd_fail *f)
{
	mao_header h[1] = {{"Content-Type", "application/json"}};
	mao_aws_request req;
	mao_aws_response resp;
	int rc;

	*out = NULL;
	memset(&req, 0, sizeof(req));
	req.service = service;
	req.method = method;
	req.path = path;
	req.query = query;
	if (body != NULL) {
		req.headers = h;
		req.n_headers = 1;
		req.body = body;
		req.body_len = strlen(body);
	}
	mao_aws_response_init(&resp);
	rc = bounded_call(t, &req, &resp, f);
	if (rc == MAO_OK)
		rc = parse_json_body(&resp, out, f);
	mao_aws_response_free(&resp);
	return rc;
}

/* See sender.h. */
int
snd_call_rest_xml(snd_task *t, const char *service, const char *path,
				  const char *query, snd_xml **out, snd_fail *f)
{
	mao_aws_request req;
	mao_aws_response resp;
	int rc;

	*out = NULL;
	memset(&req, 0, sizeof(req));
	req.service = service;
	req.method = "GET";
	req.path = path;
	req.query = query;
	mao_aws_response_init(&resp);
	rc = bounded_call(t, &req, &resp, f);
	if (rc == MAO_OK) {
		*out = snd_xml_parse((const char *) resp.http.body.data, resp.http.body.len);
		if (*out == NULL) {
			f->rc = rc = MAO_ERR_INVALID;
			snprintf(f->msg, sizeof(f->msg), "%s GET %s: the answer is not XML", service, path);
		}
	}
	mao_aws_response_free(&resp);
	return rc;
}

/* See sender.h. */
int
snd_call_query(snd_task *t, const char *service, const char *action,
			   const char *version, const char *rest, snd_xml **out, snd_fail *f)
{
	mao_header h[1] = {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}};
	mao_aws_request req;
	mao_aws_response resp;
	mao_buf body = MAO_BUF_INIT;
	int rc;

	*out = NULL;
	mao_buf_printf(&body, "Action=%s&Version=%s%s%s", action, version,
				   rest && *rest ? "&" : "", rest ? rest : "");
	if (mao_buf_status(&body) != MAO_OK)
		return snd_fail_nomem(f);
	memset(&req, 0, sizeof(req));
	req.service = service;
	req.method = "POST";
	req.path = "/";
	req.headers = h;
	req.n_headers = 1;
	req.body = body.data;
	req.body_len = body.len;
	mao_aws_response_init(&resp);
	rc = bounded_call(t, &req, &resp, f);
	if (rc == MAO_OK) {
		*out = snd_xml_parse((const char *) resp.http.body.data, resp.http.body.len);
		if (*out == NULL) {
			f->rc = rc = MAO_ERR_INVALID;
			snprintf(f->msg, sizeof(f->msg), "%s %s: the answer is not XML", service, action);
		}
	}
	mao_aws_response_free(&resp);
	mao_buf_free(&body);
	return rc;
}

/* See sender.h. */
int
snd_fail_nomem(snd_fail *f)
{
	memset(f, 0, sizeof(*f));
	f->rc = MAO_ERR_NOMEM;
	snprintf(f->msg, sizeof(f->msg), "out of memory");
	return MAO_ERR_NOMEM;
}

/* See sender.h. */
int
snd_fail_is_denied(const snd_fail *f)
{
	static const char *const codes[] = {
		"AccessDenied", "AccessDeniedException", "UnauthorizedOperation",
		"UnauthorizedAccess", "AuthorizationError", "UnrecognizedClientException",
		"InvalidClientTokenId", NULL};
	size_t i;

	for (i = 0; codes[i]; i++)
		if (strcmp(f->code, codes[i]) == 0)
			return 1;
	return 0;
}

/* See sender.h. */
int
snd_fail_is_not_enabled(const snd_fail *f)
{
	static const char *const codes[] = {
		"SubscriptionRequiredException", "OptInRequired", "OptInRequiredException",
		"SubscriptionRequired", "InvalidAccessException",
		"NotSignedUp", "DataUnavailableException", NULL};
	size_t i;

	for (i = 0; codes[i]; i++)
		if (strcmp(f->code, codes[i]) == 0)
			return 1;
	return 0;
}

/* See sender.h. */
void
snd_task_message(snd_task *t, const char *area, const char *text)
{
	cJSON *m = cJSON_CreateObject();

	if (m == NULL)
		return;
	cJSON_AddStringToObject(m, area, text);
	cJSON_AddItemToArray(t->messages, m);
}

/* See sender.h. */
void
snd_task_fail(snd_task *t, const char *area, const char *what, const snd_fail *f)
{
	char text[MAO_ERR_MSG_MAX + 160];
	int st;

	if (snd_fail_is_denied(f)) {
		snprintf(text, sizeof(text), "%s: access denied (%s)", what, f->msg);
		st = SND_FAILED;
	} else if (snd_fail_is_not_enabled(f)) {
		snprintf(text, sizeof(text), "%s: service not enabled or not subscribed (%s)", what, f->msg);
		st = SND_SKIPPED;
	} else {
		snprintf(text, sizeof(text), "%s: %s", what, f->msg);
		st = SND_FAILED;
	}
	snd_task_message(t, area, text);
	if (st > t->status)
		t->status = st;
}

/* See sender.h. */
cJSON *
snd_jstr(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	return cJSON_IsString(v) ? cJSON_CreateString(v->valuestring) : cJSON_CreateNull();
}

/* See sender.h. */
cJSON *
snd_jcopy(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	return v ? cJSON_Duplicate(v, 1) : cJSON_CreateNull();
}

/* See sender.h. */
void
snd_iso8601(double epoch, char *out, size_t len)
{
	time_t s = (time_t) epoch;
	long us = (long) ((epoch - (double) s) * 1e6 + 0.5);
	struct tm tm;
	char base[32];

	if (us >= 1000000) {
		s++;
		us = 0;
	}
	gmtime_r(&s, &tm);
	strftime(base, sizeof(base), "%Y-%m-%dT%H:%M:%S", &tm);
	if (us > 0)
		snprintf(out, len, "%s.%06ld+00:00", base, us);
	else
		snprintf(out, len, "%s+00:00", base);
}

/* See sender.h. */
cJSON *
snd_jepoch(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	char ts[48];

	if (cJSON_IsNumber(v)) {
		snd_iso8601(v->valuedouble, ts, sizeof(ts));
		return cJSON_CreateString(ts);
	}
	if (cJSON_IsString(v))
		return cJSON_CreateString(v->valuestring);
	return cJSON_CreateNull();
}

/* See sender.h. */
cJSON *
snd_xstr(const snd_xml *x, const char *path)
{
	const char *s = snd_xml_get(x, path);

	return s ? cJSON_CreateString(s) : cJSON_CreateNull();
}

/* See sender.h. */
cJSON *
snd_xts(const snd_xml *x, const char *path)
{
	return snd_ts_iso(snd_xml_get(x, path));
}

/* See sender.h. */
cJSON *
snd_ts_iso(const char *s)
{
	char out[48];
	size_t n;

	if (s == NULL || *s == '\0')
		return cJSON_CreateNull();
	/* 2024-01-02T03:04:05.000Z -> 2024-01-02T03:04:05+00:00 (microseconds kept when non-zero) */
	n = strlen(s);
	if (n >= 20 && s[n - 1] == 'Z' && n < 40) {
		char frac[16] = "";
		const char *dot = strchr(s, '.');

		if (dot != NULL && dot < s + n - 1) {
			size_t k = (size_t) (s + n - 1 - dot - 1), i;
			int nonzero = 0;

			for (i = 0; i < k; i++)
				nonzero |= dot[1 + i] != '0';
			if (nonzero && k <= 6)
				snprintf(frac, sizeof(frac), ".%.*s%.*s", (int) k, dot + 1, (int) (6 - k), "000000");
		}
		snprintf(out, sizeof(out), "%.19s%s+00:00", s, frac);
		return cJSON_CreateString(out);
	}
	return cJSON_CreateString(s);
}
