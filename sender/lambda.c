/*
 * lambda.c - mao-sender as an AWS Lambda custom runtime (provided.al2023,
 * this binary as "bootstrap"): the Runtime API loop (lib/lambda_runtime)
 * and the events it accepts.
 *
 * Events (unknown members are ignored, as the reference's handler does):
 *   {} / a scheduled EventBridge event / {"history": false}
 *                      one document for today (UTC), INTERVAL's interval
 *   {"interval": "WEEKLY"}            today's document with that interval
 *   {"date": "YYYY-MM-DD"}            that run date
 *   {"from": "YYYY-MM-DD", "to": ...} a backfill, as --from/--to
 *   {"history": true | "True", "start": "d-m-yyyy", "end": "d-m-yyyy"}
 *                      the reference's backfill: DAILY from start (default
 *                      1 January of end's year) to end (default today)
 * A malformed event is an invocation error; the runtime keeps serving.  An
 * invocation in which any date failed is an invocation error too (its
 * message names each failed date), so that Lambda's error metrics and
 * retries see it; the dates that worked are uploaded all the same.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dates.h"
#include "jsonlog.h"
#include "lambda_runtime.h"
#include "run.h"

#define MAX_EVENT_DATES 3660

/* The dates and interval an event asks for. */
typedef struct event_plan {
	char interval[16];
	long *dates;              /* owned */
	int n;
} event_plan;

/* A string member, NULL when absent; *bad set when present but not a string. */
static const char *
member(const cJSON *event, const char *key, int *bad)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(event, key);

	if (v == NULL || cJSON_IsNull(v))
		return NULL;
	if (!cJSON_IsString(v)) {
		*bad = 1;
		return NULL;
	}
	return v->valuestring;
}

/* The reference's "history" flag: true or "True" (any case). */
static int
history_on(const cJSON *event)
{
	const cJSON *h = cJSON_GetObjectItemCaseSensitive(event, "history");

	return cJSON_IsTrue(h) || (cJSON_IsString(h) && strcasecmp(h->valuestring, "true") == 0);
}

/* Parses text into plan; -1 with the reason in why. */
static int
plan_event(const snd_settings *s, const char *text, event_plan *plan, char *why, size_t len)
{
	cJSON *event = cJSON_Parse(text);
	const char *interval, *date, *from, *to, *start, *end;
	long d_from, d_to;
	int bad = 0, rc = -1;

	memset(plan, 0, sizeof(*plan));
	if (!cJSON_IsObject(event)) {
		snprintf(why, len, "malformed event: not a JSON object");
		goto out;
	}
	interval = member(event, "interval", &bad);
	date = member(event, "date", &bad);
	from = member(event, "from", &bad);
	to = member(event, "to", &bad);
	start = member(event, "start", &bad);
	end = member(event, "end", &bad);
	if (bad) {
		snprintf(why, len, "malformed event: interval, date, from, to, start and end must be strings");
		goto out;
	}
	snprintf(plan->interval, sizeof(plan->interval), "%s", interval ? interval : s->interval);
	if (!snd_interval_valid(plan->interval)) {
		snprintf(why, len, "malformed event: interval \"%s\" is not DAILY, WEEKLY or MONTHLY", plan->interval);
		goto out;
	}
	snd_parse_date(s->today, &d_to);
	d_from = d_to;
	if (history_on(event)) {
		char first[11];

		if (end && snd_parse_dmy(end, &d_to) != 0) {
			snprintf(why, len, "malformed event: end \"%s\" is not a d-m-yyyy date", end);
			goto out;
		}
		snd_format_date(d_to, first);
		memcpy(first + 4, "-01-01", 7);     /* default start: 1 January of the end's year */
		snd_parse_date(first, &d_from);
		if (start && snd_parse_dmy(start, &d_from) != 0) {
			snprintf(why, len, "malformed event: start \"%s\" is not a d-m-yyyy date", start);
			goto out;
		}
		if (interval == NULL)
			snprintf(plan->interval, sizeof(plan->interval), "DAILY");
	} else if (from || to) {
		if (!from || !to || date) {
			snprintf(why, len, "malformed event: a range needs both \"from\" and \"to\" (YYYY-MM-DD) and no \"date\"");
			goto out;
		}
		if (snd_parse_date(from, &d_from) != 0 || snd_parse_date(to, &d_to) != 0) {
			snprintf(why, len, "malformed event: from \"%s\" or to \"%s\" is not a YYYY-MM-DD date", from, to);
			goto out;
		}
	} else if (date) {
		if (snd_parse_date(date, &d_from) != 0) {
			snprintf(why, len, "malformed event: date \"%s\" is not a YYYY-MM-DD date", date);
			goto out;
		}
		/* one date: the run date as given, whatever the interval */
		d_to = d_from;
	}
	if (!history_on(event) && !from && !to) {
		/* one document: the event's date, or today's (scheduled events and {} alike) */
		plan->dates = malloc(sizeof(long));
		if (plan->dates == NULL) {
			snprintf(why, len, "out of memory");
			goto out;
		}
		plan->dates[0] = d_to;
		plan->n = 1;
		rc = 0;
		goto out;
	}
	if (d_from > d_to) {
		snprintf(why, len, "malformed event: the range starts after it ends");
		goto out;
	}
	if (snd_range_dates(plan->interval, d_from, d_to, MAX_EVENT_DATES, &plan->dates, &plan->n) != 0) {
		snprintf(why, len, "malformed event: the range holds more than %d dates", MAX_EVENT_DATES);
		goto out;
	}
	rc = 0;
out:
	cJSON_Delete(event);
	return rc;
}

/* Posts the error of an invocation; logs what could not be posted. */
static void
post_failure(mao_lambda_runtime *rt, const snd_out *log, const char *type, const char *message)
{
	mao_err err;

	if (mao_lambda_fail(rt, log->request_id, type, message, &err) != MAO_OK)
		snd_log(log, "ERROR", NULL, "posting the invocation error: %s", err.msg);
}

/* The error message of an invocation in which some dates failed. */
static void
failure_message(const cJSON *summary, int failed, mao_buf *msg)
{
	const cJSON *d;
	int n = cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(summary, "dates"));

	mao_buf_printf(msg, "%d of %d dates failed:", failed, n);
	cJSON_ArrayForEach(d, cJSON_GetObjectItemCaseSensitive(summary, "dates")) {
		const cJSON *status = cJSON_GetObjectItemCaseSensitive(d, "status");
		const cJSON *error = cJSON_GetObjectItemCaseSensitive(d, "error");

		if (cJSON_IsString(status) && strcmp(status->valuestring, "uploaded") == 0)
			continue;
		mao_buf_printf(msg, " %s: %s;", cJSON_GetObjectItemCaseSensitive(d, "date")->valuestring,
					   cJSON_IsString(error) ? error->valuestring : "failed");
	}
}

/* Handles one invocation: plan, run, respond. */
static void
serve_one(mao_lambda_runtime *rt, snd_settings *s, const mao_lambda_invocation *inv)
{
	const char *configured = s->interval;
	event_plan plan;
	snd_job job;
	cJSON *summary;
	char why[512];
	char *text;
	int failed;
	mao_err err;

	memset(&job, 0, sizeof(job));
	job.upload = 1;
	job.deadline_ms = inv->deadline_ms;
	job.log.json = 1;
	job.log.request_id = inv->request_id;
	snd_stamp_now(s);    /* a warm runtime lives across days */
	if (plan_event(s, inv->event, &plan, why, sizeof(why)) != 0) {
		snd_log(&job.log, "ERROR", NULL, "%s", why);
		post_failure(rt, &job.log, "MaoSender.BadEvent", why);
		return;
	}
	{
		cJSON *f = cJSON_CreateObject();
		char first[11], last[11];

		snd_format_date(plan.dates[0], first);
		snd_format_date(plan.dates[plan.n - 1], last);
		cJSON_AddStringToObject(f, "interval", plan.interval);
		cJSON_AddStringToObject(f, "from", first);
		cJSON_AddStringToObject(f, "to", last);
		cJSON_AddNumberToObject(f, "dates", plan.n);
		snd_log(&job.log, "INFO", f, "invocation: %d %s document(s)", plan.n, plan.interval);
	}
	s->interval = plan.interval;
	summary = snd_run_dates(s, &job, plan.dates, plan.n, &failed);
	s->interval = configured;
	free(plan.dates);
	if (failed) {
		mao_buf msg = MAO_BUF_INIT;

		failure_message(summary, failed, &msg);
		post_failure(rt, &job.log, "MaoSender.DatesFailed", mao_buf_cstr(&msg));
		mao_buf_free(&msg);
	} else {
		text = cJSON_PrintUnformatted(summary);
		if (text == NULL || mao_lambda_respond(rt, inv->request_id, text, &err) != MAO_OK)
			snd_log(&job.log, "ERROR", NULL, "posting the response: %s", text ? err.msg : "out of memory");
		cJSON_free(text);
	}
	cJSON_Delete(summary);
}

/* See run.h. */
int
snd_lambda_serve(snd_settings *s)
{
	snd_out log = {1, NULL};
	mao_lambda_runtime *rt;
	mao_err err;

	if (mao_lambda_runtime_new(NULL, s->cancel, &rt, &err) != MAO_OK) {
		snd_log(&log, "ERROR", NULL, "%s", err.msg);
		return 1;
	}
	snd_log(&log, "INFO", NULL, "mao-sender " SND_VERSION " serving account %s, region %s", s->account, s->region);
	for (;;) {
		mao_lambda_invocation inv;

		if (mao_lambda_next(rt, &inv, &err) != MAO_OK) {
			snd_log(&log, "INFO", NULL, "no next invocation (%s); exiting", err.msg);
			break;
		}
		serve_one(rt, s, &inv);
		mao_lambda_invocation_free(&inv);
		if (*s->cancel) {
			snd_log(&log, "INFO", NULL, "stopped by a signal; exiting");
			break;
		}
	}
	mao_lambda_runtime_free(rt);
	return 0;
}

/* See run.h. */
int
snd_lambda_init_error(const char *message)
{
	snd_out log = {1, NULL};
	mao_lambda_runtime *rt;
	mao_err err;

	snd_log(&log, "ERROR", NULL, "cannot start: %s", message);
	if (mao_lambda_runtime_new(NULL, NULL, &rt, &err) == MAO_OK) {
		if (mao_lambda_init_error(rt, "MaoSender.InitError", message, &err) != MAO_OK)
			snd_log(&log, "ERROR", NULL, "posting the init error: %s", err.msg);
		mao_lambda_runtime_free(rt);
	} else
		snd_log(&log, "ERROR", NULL, "%s", err.msg);
	return 1;
}
