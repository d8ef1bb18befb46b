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

#include <cjson/cJSON.h>

#include "jsonlog.h"
#include "lambda_runtime.h"
#include "runner.h"

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

/* A log line of the runtime loop (structured: Lambda's logs are read by machines). */
static void
log_line(const char *level, const char *request_id, const char *message)
{
	mao_jsonlog(stderr, level, request_id, message, NULL);
}

/* Serves invocations until the Runtime API goes away. */
int
runner_lambda(const runner_options *o, const char *prefix)
{
	mao_lambda_runtime *rt = NULL;
	runner_drain *d;
	mao_err err;

	if (mao_lambda_runtime_new(NULL, NULL, &rt, &err) != MAO_OK) {
		log_line("ERROR", NULL, err.msg);
		return 2;
	}
	d = runner_drain_open(o);
	if (!d) {
		if (mao_lambda_init_error(rt, "Runtime.InitError",
								  "mao-runner could not start (see the log)", &err) != MAO_OK)
			log_line("ERROR", NULL, err.msg);
		mao_lambda_runtime_free(rt);
		return 2;
	}
	for (;;) {
		mao_lambda_invocation inv;
		cJSON *response;
		mao_buf error = MAO_BUF_INIT;
		char *text;
		int rc;

		if (mao_lambda_next(rt, &inv, &err) != MAO_OK) {
			mao_buf msg = MAO_BUF_INIT;

			mao_buf_printf(&msg, "no next invocation (%s); exiting", err.msg);
			log_line("INFO", NULL, mao_buf_cstr(&msg));
			mao_buf_free(&msg);
			break;
		}
		response = cJSON_CreateObject();
		if (handle_event(d, prefix, inv.event, response, &error) != 0) {
			log_line("ERROR", inv.request_id, mao_buf_cstr(&error));
			rc = mao_lambda_fail(rt, inv.request_id, "MaoRunner.InvocationError",
								 mao_buf_cstr(&error), &err);
		} else {
			text = cJSON_PrintUnformatted(response);
			rc = text ? mao_lambda_respond(rt, inv.request_id, text, &err)
				: mao_err_set(&err, MAO_ERR_NOMEM, "out of memory");
			cJSON_free(text);
		}
		if (rc != MAO_OK)
			log_line("ERROR", inv.request_id, err.msg);
		cJSON_Delete(response);
		mao_buf_free(&error);
		mao_lambda_invocation_free(&inv);
	}
	runner_drain_close(d);
	mao_lambda_runtime_free(rt);
	return 0;
}
