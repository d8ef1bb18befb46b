/*
 * advisor.c - the `trusted_advisor` section: AWS Support
 * DescribeTrustedAdvisorChecks (language en, us-east-1), then
 * DescribeTrustedAdvisorCheckResult for every check, keeping the checks
 * whose current result is warning or error with at least one flagged
 * resource (document-format.md §4.7).
 *
 * The per-check calls (hundreds on a Business plan) go through a small
 * worker pool (snd_fanout) rather than one sequential chain: each call
 * is independent and the run's limiter already bounds what is in flight.
 *
 * Unlike the reference, a check is kept whatever the time of its last
 * refresh: Trusted Advisor refreshes checks on its own schedule (weekly
 * for many), so the reference's one-day filter dropped most findings on
 * most days; the row carries the result's timestamp instead.
 *
 * No support plan: SubscriptionRequiredException, the section is skipped.
 * A result that cannot be read is said under `trusted_advisor` and the
 * section is partial; a denied or not-subscribed answer stops the other
 * per-check calls (every one would get it).
 */
#include "sender.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JSON11 "application/x-amz-json-1.1"
#define TA_TARGET "AWSSupport_20130415."

/* The checks and what each per-check call produced (slot i is item i's). */
typedef struct ta_run {
	const cJSON *checks;      /* borrowed: DescribeTrustedAdvisorChecks' checks[] */
	cJSON **rows;             /* a kept check's row, or NULL */
	char *done;               /* 1: the result was read (kept or not) */
} ta_run;

/* A string member or "". */
static const char *
str_of(const cJSON *obj, const char *key)
{
	const char *s = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(obj, key));

	return s ? s : "";
}

/* The row of a check whose result is kept, or NULL. */
static cJSON *
check_row(const cJSON *check, const cJSON *result)
{
	const char *status = str_of(result, "status");
	const cJSON *sum = cJSON_GetObjectItemCaseSensitive(result, "resourcesSummary");
	const cJSON *flagged = cJSON_GetObjectItemCaseSensitive(sum, "resourcesFlagged");
	const cJSON *cost = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(result, "categorySpecificSummary"), "costOptimizing");
	const cJSON *savings = cJSON_GetObjectItemCaseSensitive(cost, "estimatedMonthlySavings");
	cJSON *row;
	double n;

	/* the API's own count; the list itself when the summary lacks it */
	n = cJSON_IsNumber(flagged) ? flagged->valuedouble
		: (double) cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(result, "flaggedResources"));
	if ((strcmp(status, "warning") != 0 && strcmp(status, "error") != 0) || n < 1)
		return NULL;
	row = cJSON_CreateObject();
	cJSON_AddItemToObject(row, "check_name", snd_jstr(check, "name"));
	cJSON_AddItemToObject(row, "category", snd_jstr(check, "category"));
	cJSON_AddStringToObject(row, "severity", status);
	cJSON_AddItemToObject(row, "recommendation", snd_jstr(check, "description"));
	cJSON_AddNumberToObject(row, "affected_resources_count", n);
	cJSON_AddItemToObject(row, "potential_savings",
						  cJSON_IsNumber(savings) ? cJSON_CreateNumber(savings->valuedouble) : cJSON_CreateNull());
	cJSON_AddItemToObject(row, "timestamp", snd_ts_iso(cJSON_GetStringValue(
		cJSON_GetObjectItemCaseSensitive(result, "timestamp"))));
	return row;
}

/* One check's result (a fan-out item); non-zero stops the others after a denial. */
static int
check_result(snd_task *w, int i, void *ctx)
{
	ta_run *run = ctx;
	const cJSON *check = cJSON_GetArrayItem(run->checks, i);
	cJSON *body = cJSON_CreateObject(), *r = NULL;
	char what[320];
	snd_fail f;

	cJSON_AddStringToObject(body, "checkId", str_of(check, "id"));
	cJSON_AddStringToObject(body, "language", "en");
	if (snd_call_json(w, "support", JSON11, TA_TARGET "DescribeTrustedAdvisorCheckResult", body, &r, &f) != MAO_OK) {
		cJSON_Delete(body);
		snprintf(what, sizeof(what), "support:DescribeTrustedAdvisorCheckResult (%s, \"%.200s\")",
				 str_of(check, "id"), str_of(check, "name"));
		snd_task_fail(w, "trusted_advisor", what, &f);
		return snd_fail_is_denied(&f) || snd_fail_is_not_enabled(&f) ? SND_ITEM_STOP : -1;
	}
	cJSON_Delete(body);
	run->rows[i] = check_row(check, cJSON_GetObjectItemCaseSensitive(r, "result"));
	run->done[i] = 1;
	cJSON_Delete(r);
	return 0;
}

/* See sender.h. */
void
snd_collect_trusted_advisor(snd_task *t)
{
	cJSON *body = cJSON_CreateObject(), *r = NULL, *rows;
	ta_run run;
	snd_fail f;
	int n, i, read = 0, worst;

	cJSON_AddStringToObject(body, "language", "en");
	if (snd_call_json(t, "support", JSON11, TA_TARGET "DescribeTrustedAdvisorChecks", body, &r, &f) != MAO_OK) {
		cJSON_Delete(body);
		snd_task_fail(t, "trusted_advisor", "support:DescribeTrustedAdvisorChecks", &f);
		return;
	}
	cJSON_Delete(body);
	run.checks = cJSON_GetObjectItemCaseSensitive(r, "checks");
	n = cJSON_GetArraySize(run.checks);
	run.rows = calloc((size_t) n + 1, sizeof(*run.rows));
	run.done = calloc((size_t) n + 1, 1);
	if (run.rows == NULL || run.done == NULL) {
		free(run.rows);
		free(run.done);
		cJSON_Delete(r);
		snd_task_message(t, "trusted_advisor", "out of memory");
		t->status = SND_FAILED;
		return;
	}
	snd_fanout(t, n, check_result, &run, &worst);
	rows = cJSON_CreateArray();
	for (i = 0; i < n; i++) {
		read += run.done[i];
		if (run.rows[i] != NULL)
			cJSON_AddItemToArray(rows, run.rows[i]);
	}
	free(run.rows);
	free(run.done);
	cJSON_Delete(r);
	/* some results read: partial; none: the per-check calls' own outcome */
	if (read < n)
		t->status = read > 0 ? SND_PARTIAL : worst;
	t->items = cJSON_GetArraySize(rows);
	t->value = rows;
}
