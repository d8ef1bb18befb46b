/*
 * lambda.c - mao-runner as an AWS Lambda custom runtime (provided.al2023):
 * when AWS_LAMBDA_RUNTIME_API is set, the same binary asks the Runtime API
 * for the next invocation, handles it, and posts the response or the
 * error, for ever.
 *
 * Events:
 *   S3 notifications  {"Records": [{"eventSource": "aws:s3", "s3": {"bucket":
 *                     {"name": ...}, "object": {"key": <URL-encoded>,
 *                     "size": n, "eTag": ...}}}, ...]}: each record's object
 *                     goes through the shared path; the response lists each
 *                     record's outcome and, as batchItemFailures, those that
 *                     failed or must be retried.
 *   a scheduled sweep {"source": "aws.events", ...} or {"sweep": true}
 *                     (bucket from "bucket" or MAO_BUCKET): drain the prefix
 *                     like `mao-runner run`.
 * Anything else is an invocation error ("malformed event").  The database
 * connection and the receiver live across invocations.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "http.h"
#include "runner.h"

#define RUNTIME_PATH "/2018-06-01/runtime"

/* URL-decodes an S3 event key ('+' is a space there) into out. */
static int
decode_event_key(const char *s, mao_buf *out)
{
	mao_buf plus = MAO_BUF_INIT;
	int rc;

	for (const char *p = s; *p; p++)
		mao_buf_append_char(&plus, *p == '+' ? ' ' : *p);
	rc = mao_buf_status(&plus);
	if (rc == MAO_OK)
		rc = mao_buf_append_uri_decoded(out, mao_buf_cstr(&plus), plus.len);
	mao_buf_free(&plus);
	return rc;
}

/* Adds {"key", "outcome", "reason"} to results and, when it failed, to failures. */
static void
add_result(cJSON *results, cJSON *failures, const char *key, const char *outcome, const char *reason, int failed)
{
	cJSON *r = cJSON_CreateObject();

	cJSON_AddStringToObject(r, "key", key);
	cJSON_AddStringToObject(r, "outcome", outcome);
	if (reason && *reason)
		cJSON_AddStringToObject(r, "reason", reason);
	cJSON_AddItemToArray(results, r);
	if (failed) {
		cJSON *f = cJSON_CreateObject();
		cJSON_AddStringToObject(f, "itemIdentifier", key);
		cJSON_AddItemToArray(failures, f);
	}
}

/* Handles the records of an S3 notification; fills response. */
static int
handle_records(runner_drain *d, const char *prefix, const cJSON *records, cJSON *response, mao_buf *error)
{
	cJSON *results = cJSON_AddArrayToObject(response, "results");
	cJSON *failures = cJSON_AddArrayToObject(response, "batchItemFailures");
	const cJSON *rec;

	cJSON_ArrayForEach(rec, records) {
		const cJSON *s3 = cJSON_GetObjectItemCaseSensitive(rec, "s3");
		const cJSON *bucket = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(s3, "bucket"), "name");
		const cJSON *obj = cJSON_GetObjectItemCaseSensitive(s3, "object");
		const cJSON *key = cJSON_GetObjectItemCaseSensitive(obj, "key");
		const cJSON *etag = cJSON_GetObjectItemCaseSensitive(obj, "eTag");
		const cJSON *size = cJSON_GetObjectItemCaseSensitive(obj, "size");
		mao_buf decoded = MAO_BUF_INIT;
		mao_buf reason = MAO_BUF_INIT;
		mao_s3_object o;
		mao_drain_outcome outcome;
		mao_err err;

		if (!cJSON_IsString(bucket) || !cJSON_IsString(key) || !cJSON_IsString(etag)) {
			add_result(results, failures, cJSON_IsString(key) ? key->valuestring : "(no key)",
					   "malformed", "the record has no s3.bucket.name, s3.object.key or s3.object.eTag", 1);
			continue;
		}
		if (decode_event_key(key->valuestring, &decoded) != MAO_OK) {
			add_result(results, failures, key->valuestring, "malformed", "the key is not URL-encoded text", 1);
			mao_buf_free(&decoded);
			continue;
		}
		if (strncmp(mao_buf_cstr(&decoded), prefix, strlen(prefix)) != 0) {
			add_result(results, failures, mao_buf_cstr(&decoded), "ignored", "not under the prefix", 0);
			mao_buf_free(&decoded);
			continue;
		}
		memset(&o, 0, sizeof(o));
		o.key = (char *) mao_buf_cstr(&decoded);
		o.size = cJSON_IsNumber(size) ? (long long) size->valuedouble : 0;
		/* The ledger keys on the ETag as S3 lists it: with its quotes. */
		snprintf(o.etag, sizeof(o.etag), etag->valuestring[0] == '"' ? "%s" : "\"%s\"", etag->valuestring);
		if (runner_drain_object(d, bucket->valuestring, prefix, &o, &outcome, &reason, &err) != MAO_OK) {
			mao_buf_free(&decoded);
			mao_buf_free(&reason);
			mao_buf_printf(error, "the database failed: %s", err.msg);
			return -1;
		}
		add_result(results, failures, o.key, mao_drain_outcome_name(outcome), mao_buf_cstr(&reason),
				   outcome == MAO_DRAIN_FAILED || outcome == MAO_DRAIN_RETRY || outcome == MAO_DRAIN_WAITING);
		mao_buf_free(&decoded);
		mao_buf_free(&reason);
	}
	return 0;
}

/* Handles one event; fills response, or error (returns -1) for an invocation error. */
static int
handle_event(runner_drain *d, const char *prefix, const char *body, cJSON *response, mao_buf *error)
{
	cJSON *event = cJSON_Parse(body);
	const cJSON *records = cJSON_GetObjectItemCaseSensitive(event, "Records");
	const cJSON *source = cJSON_GetObjectItemCaseSensitive(event, "source");
	const cJSON *sweep = cJSON_GetObjectItemCaseSensitive(event, "sweep");
	const cJSON *bucket = cJSON_GetObjectItemCaseSensitive(event, "bucket");
	int rc = 0;

	if (!cJSON_IsObject(event)) {
		mao_buf_append_str(error, "malformed event: not a JSON object");
		rc = -1;
	} else if (cJSON_IsArray(records)) {
		rc = handle_records(d, prefix, records, response, error);
	} else if ((cJSON_IsString(source) && strcmp(source->valuestring, "aws.events") == 0) || cJSON_IsTrue(sweep)) {
		const char *b = cJSON_IsString(bucket) ? bucket->valuestring : getenv("MAO_BUCKET");
		int counts[MAO_DRAIN_CANCELLED + 1] = {0};
		mao_err err;

		if (!b || !*b) {
			mao_buf_append_str(error, "sweep: no bucket (event \"bucket\" or MAO_BUCKET)");
			rc = -1;
		} else if (runner_drain_all(d, b, prefix, counts, stderr, &err) != MAO_OK) {
			mao_buf_printf(error, "sweep of s3://%s/%s: %s", b, prefix, err.msg);
			rc = -1;
		} else {
			cJSON *s = cJSON_AddObjectToObject(response, "sweep");
			cJSON_AddNumberToObject(s, "loaded", counts[MAO_DRAIN_LOADED]);
			cJSON_AddNumberToObject(s, "failed", counts[MAO_DRAIN_FAILED]);
			cJSON_AddNumberToObject(s, "retry", counts[MAO_DRAIN_RETRY]);
			cJSON_AddNumberToObject(s, "waiting", counts[MAO_DRAIN_WAITING]);
			cJSON_AddNumberToObject(s, "moved", counts[MAO_DRAIN_MOVED]);
		}
	} else {
		mao_buf_append_str(error, "malformed event: neither S3 records (\"Records\") nor a scheduled sweep");
		rc = -1;
	}
	cJSON_Delete(event);
	return rc;
}

/* POSTs body to the Runtime API path; non-zero when it did not get through. */
static int
post(mao_http_client *http, const char *api, const char *path, const char *body, const char *error_type)
{
	char url[1024];
	mao_header h[2] = {{"Content-Type", "application/json"}, {"Lambda-Runtime-Function-Error-Type", error_type}};
	mao_http_request req;
	mao_http_response resp;
	int failed;

	snprintf(url, sizeof(url), "http://%s%s", api, path);
	memset(&req, 0, sizeof(req));
	req.method = "POST";
	req.url = url;
	req.headers = h;
	req.n_headers = error_type ? 2 : 1;
	req.body = body;
	req.body_len = strlen(body);
	mao_http_response_init(&resp);
	failed = mao_http_perform(http, &req, &resp, NULL) != MAO_OK || resp.http_status >= 300;
	if (failed)
		fprintf(stderr, "mao-runner: posting to the Runtime API %s failed: %s (HTTP %ld)\n",
				path, resp.error, resp.http_status);
	mao_http_response_free(&resp);
	return failed;
}

/* Serves invocations until the Runtime API goes away. */
int
runner_lambda(const runner_options *o, const char *prefix)
{
	const char *api = getenv("AWS_LAMBDA_RUNTIME_API");
	mao_http_options hopts = {0, 24L * 3600 * 1000, 16UL * 1024 * 1024, 0};
	mao_http_client *http = NULL;
	runner_drain *d;
	mao_err err;
	char url[1024];

	if (mao_http_client_new(&hopts, &http, &err) != MAO_OK) {
		fprintf(stderr, "mao-runner: %s\n", err.msg);
		return 2;
	}
	d = runner_drain_open(o);
	if (!d) {
		post(http, api, RUNTIME_PATH "/init/error",
			 "{\"errorMessage\": \"mao-runner could not start (see the log)\", \"errorType\": \"Runtime.InitError\"}",
			 "Runtime.InitError");
		mao_http_client_free(http);
		return 2;
	}
	snprintf(url, sizeof(url), "http://%s" RUNTIME_PATH "/invocation/next", api);
	for (;;) {
		mao_http_request req;
		mao_http_response resp;
		const char *request_id = NULL;
		cJSON *response = cJSON_CreateObject();
		mao_buf error = MAO_BUF_INIT;
		char path[512];
		char *text;

		memset(&req, 0, sizeof(req));
		req.method = "GET";
		req.url = url;
		mao_http_response_init(&resp);
		if (mao_http_perform(http, &req, &resp, NULL) != MAO_OK || resp.http_status != 200) {
			fprintf(stderr, "mao-runner: the Runtime API is gone (%s, HTTP %ld); exiting\n",
					resp.error, resp.http_status);
			mao_http_response_free(&resp);
			cJSON_Delete(response);
			break;
		}
		for (size_t i = 0; i < resp.n_headers; i++)
			if (strcasecmp(resp.headers[i].name, "Lambda-Runtime-Aws-Request-Id") == 0)
				request_id = resp.headers[i].value;
		if (!request_id) {
			fprintf(stderr, "mao-runner: an invocation without a request id; exiting\n");
			mao_http_response_free(&resp);
			cJSON_Delete(response);
			break;
		}
		if (handle_event(d, prefix, mao_buf_cstr(&resp.body), response, &error) != 0) {
			cJSON *e = cJSON_CreateObject();
			cJSON_AddStringToObject(e, "errorMessage", mao_buf_cstr(&error));
			cJSON_AddStringToObject(e, "errorType", "MaoRunner.InvocationError");
			text = cJSON_PrintUnformatted(e);
			snprintf(path, sizeof(path), RUNTIME_PATH "/invocation/%s/error", request_id);
			post(http, api, path, text, "MaoRunner.InvocationError");
			cJSON_Delete(e);
		} else {
			text = cJSON_PrintUnformatted(response);
			snprintf(path, sizeof(path), RUNTIME_PATH "/invocation/%s/response", request_id);
			post(http, api, path, text, NULL);
		}
		cJSON_free(text);
		cJSON_Delete(response);
		mao_buf_free(&error);
		mao_http_response_free(&resp);
	}
	runner_drain_close(d);
	mao_http_client_free(http);
	return 0;
}
