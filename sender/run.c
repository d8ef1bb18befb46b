/*
 * run.c - see run.h.
 */
#define _DEFAULT_SOURCE
#include "run.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dates.h"
#include "jsonlog.h"
#include "ship.h"

/* Cost Explorer's daily history: 14 months, counted generously. */
#define CE_DAILY_DAYS 426

/* See run.h. */
void
snd_log(const snd_out *o, const char *level, cJSON *fields, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (o->json)
		mao_jsonlog(stderr, level, o->request_id, msg, fields);
	else {
		cJSON_Delete(fields);
		fprintf(stderr, "%s\n", msg);
	}
}

/* A number member of obj, or 0. */
static double
num(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	return cJSON_IsNumber(v) ? v->valuedouble : 0;
}

/* A string member of obj, or "". */
static const char *
str(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	return cJSON_IsString(v) ? v->valuestring : "";
}

/*
 * Reports the document's sections (one line each) and the collection's
 * totals; adds {name: status} to statuses.
 */
static void
report_sections(const snd_out *o, const snd_settings *s, const cJSON *doc, cJSON *statuses)
{
	const cJSON *meta = cJSON_GetObjectItemCaseSensitive(doc, "metadata");
	const cJSON *e;
	const cJSON *msgs = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(doc, "logs"), "message");

	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(meta, "sections")) {
		cJSON_AddStringToObject(statuses, e->string, str(e, "status"));
		if (o->json) {
			cJSON *f = cJSON_CreateObject();

			cJSON_AddStringToObject(f, "date", s->run_date);
			cJSON_AddStringToObject(f, "section", e->string);
			cJSON_AddStringToObject(f, "status", str(e, "status"));
			cJSON_AddNumberToObject(f, "items", num(e, "items"));
			cJSON_AddNumberToObject(f, "ms", num(e, "ms"));
			mao_jsonlog(stderr, strcmp(str(e, "status"), "ok") == 0 ? "INFO" : "WARN",
						o->request_id, "section", f);
		} else
			fprintf(stderr, "  %-20s %-16s %6.0f items %7.0f ms\n", e->string, str(e, "status"),
					num(e, "items"), num(e, "ms"));
	}
	if (o->json) {
		cJSON *f = cJSON_CreateObject();

		cJSON_AddStringToObject(f, "date", s->run_date);
		cJSON_AddStringToObject(f, "window_start", s->date_from);
		cJSON_AddStringToObject(f, "window_end", s->date_to);
		cJSON_AddNumberToObject(f, "ms", num(meta, "duration_ms"));
		cJSON_AddNumberToObject(f, "requests", num(meta, "requests"));
		cJSON_AddNumberToObject(f, "messages", cJSON_GetArraySize(msgs));
		mao_jsonlog(stderr, "INFO", o->request_id, "collected", f);
	} else
		fprintf(stderr, "collected %s/%s %s..%s in %.0f ms, %.0f requests, %d messages\n", s->account,
				s->region, s->date_from, s->date_to, num(meta, "duration_ms"), num(meta, "requests"),
				cJSON_GetArraySize(msgs));
}

/* See run.h. */
int
snd_out_per_date(const char *out)
{
	size_t n = strlen(out);

	return strstr(out, "{date}") != NULL || (n > 0 && out[n - 1] == '/');
}

/* The file of s's document for out ("{date}" replaced, DIR/ + <date>_<INTERVAL>.json). */
static void
out_path(const char *out, const snd_settings *s, char *path, size_t len)
{
	const char *at = strstr(out, "{date}");
	size_t n = strlen(out);

	if (at)
		snprintf(path, len, "%.*s%s%s", (int) (at - out), out, s->run_date, at + 6);
	else if (n > 0 && out[n - 1] == '/')
		snprintf(path, len, "%s%s_%s.json", out, s->run_date, s->interval);
	else
		snprintf(path, len, "%s", out);
}

/* Writes text to path ("-": stdout); 0 or -1 with the reason in why. */
static int
write_file(const char *path, const char *text, char *why, size_t len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdout : fopen(path, "w");
	int bad;

	if (f == NULL) {
		snprintf(why, len, "%s: %s", path, strerror(errno));
		return -1;
	}
	bad = fputs(text, f) == EOF || fputc('\n', f) == EOF;
	if (f != stdout)
		bad |= fclose(f) != 0;
	else
		bad |= fflush(f) != 0;
	if (bad)
		snprintf(why, len, "%s: write error", path);
	return bad ? -1 : 0;
}

/* Milliseconds since the epoch. */
static long long
epoch_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * One date: collect, then write or seal and upload.  Fills entry (status,
 * key/file, bytes, sections, error); returns 0 when done.
 */
static int
run_one(snd_settings *s, const snd_job *job, const char *progress, cJSON *entry)
{
	cJSON *doc, *statuses;
	char *text;
	char why[1200] = "";
	int rc = -1;

	snd_stamp_now(s);
	if (snd_set_window(s) != 0) {
		snprintf(why, sizeof(why), "bad date or interval");
		goto done;
	}
	{
		long today, from;

		/* said before, not hidden after: the sections will carry Cost Explorer's own error */
		if (snd_parse_date(s->today, &today) == 0 && snd_parse_date(s->date_from, &from) == 0
			&& today - from > CE_DAILY_DAYS)
			snd_log(&job->log, "WARN", NULL, "%s %s: Cost Explorer keeps daily data for 14 months only; "
					"the service and cost sections of this date will likely fail", progress, s->run_date);
	}
	doc = snd_collect_document(s);
	statuses = cJSON_AddObjectToObject(entry, "sections");
	if (doc)
		report_sections(&job->log, s, doc, statuses);
	text = doc ? cJSON_Print(doc) : NULL;
	cJSON_Delete(doc);
	if (text == NULL) {
		snprintf(why, sizeof(why), "out of memory");
		goto done;
	}
	if (!job->upload) {
		char path[1024];

		out_path(job->out, s, path, sizeof(path));
		cJSON_AddStringToObject(entry, "file", path);
		if (write_file(path, text, why, sizeof(why)) == 0) {
			cJSON_AddNumberToObject(entry, "bytes", (double) strlen(text));
			cJSON_AddStringToObject(entry, "status", "written");
			snd_log(&job->log, "INFO", NULL, "%s %s written %s", progress, s->run_date, path);
			rc = 0;
		}
	} else {
		mao_buf sealed = MAO_BUF_INIT;
		char key[256];
		mao_err err;

		snd_object_key(s, key, sizeof(key));
		cJSON_AddStringToObject(entry, "key", key);
		if (snd_seal(s, text, strlen(text), &sealed, &err) != MAO_OK)
			snprintf(why, sizeof(why), "seal: %s", err.msg);
		else if (snd_ship(s, &sealed, key, sizeof(key), &err) != MAO_OK)
			snprintf(why, sizeof(why), "upload to s3://%s/%s: %s", s->bucket, key, err.msg);
		else {
			cJSON *f = NULL;

			cJSON_AddNumberToObject(entry, "bytes", (double) sealed.len);
			cJSON_AddStringToObject(entry, "status", "uploaded");
			if (job->log.json) {
				f = cJSON_CreateObject();
				cJSON_AddStringToObject(f, "date", s->run_date);
				cJSON_AddStringToObject(f, "key", key);
				cJSON_AddNumberToObject(f, "bytes", (double) sealed.len);
			}
			snd_log(&job->log, "INFO", f, "%s %s uploaded s3://%s/%s (%zu bytes sealed, %zu bytes of JSON)",
					progress, s->run_date, s->bucket, key, sealed.len, strlen(text));
			rc = 0;
		}
		mao_buf_free(&sealed);
	}
	free(text);
done:
	if (rc != 0) {
		cJSON *f = NULL;

		cJSON_DeleteItemFromObjectCaseSensitive(entry, "status");
		cJSON_AddStringToObject(entry, "status", "failed");
		cJSON_AddStringToObject(entry, "error", why);
		if (job->log.json) {
			f = cJSON_CreateObject();
			cJSON_AddStringToObject(f, "date", s->run_date);
			cJSON_AddStringToObject(f, "error", why);
		}
		snd_log(&job->log, "ERROR", f, "%s %s FAILED: %s", progress, s->run_date, why);
	}
	return rc;
}

/* See run.h. */
cJSON *
snd_run_dates(snd_settings *s, const snd_job *job, const long *dates, int n, int *failed)
{
	cJSON *summary = cJSON_CreateObject();
	cJSON *list;
	long long slowest = 0;
	int i, done = 0;
	const char *stop = NULL;

	cJSON_AddStringToObject(summary, "account", s->account);
	cJSON_AddStringToObject(summary, "region", s->region);
	cJSON_AddStringToObject(summary, "interval", s->interval);
	list = cJSON_AddArrayToObject(summary, "dates");
	*failed = 0;
	for (i = 0; i < n; i++) {
		cJSON *entry = cJSON_CreateObject();
		char progress[32];
		long long start = epoch_ms();

		snd_format_date(dates[i], s->run_date);
		cJSON_AddStringToObject(entry, "date", s->run_date);
		cJSON_AddItemToArray(list, entry);
		if (stop == NULL && s->cancel && *s->cancel)
			stop = "not attempted: interrupted by a signal";
		/* a date that would not finish before the deadline is left for the next invocation */
		if (stop == NULL && job->deadline_ms > 0 && i > 0
			&& start + slowest * 3 / 2 + 5000 > job->deadline_ms)
			stop = "not attempted: the invocation's deadline is near (invoke again from this date)";
		if (stop) {
			cJSON_AddStringToObject(entry, "status", "not attempted");
			cJSON_AddStringToObject(entry, "error", stop);
			(*failed)++;
			continue;
		}
		snprintf(progress, sizeof(progress), "%d/%d", i + 1, n);
		if (run_one(s, job, progress, entry) == 0)
			done++;
		else
			(*failed)++;
		if (epoch_ms() - start > slowest)
			slowest = epoch_ms() - start;
	}
	cJSON_AddNumberToObject(summary, "done", done);
	cJSON_AddNumberToObject(summary, "failed", *failed);
	if (stop)
		snd_log(&job->log, "WARN", NULL, "%s", stop);
	return summary;
}
