/*
 * threats.c - the `security.guard_duty` and `security.inspector` parts.
 * GuardDuty (REST-JSON): ListDetectors, then per detector ListFindings with
 * updatedAt inside the window (epoch milliseconds) and GetFindings by 50,
 * every page (the reference read the first 50 ids only).  Inspector
 * (REST-JSON): ListFindings, every page, keeping findings first or last
 * observed or updated inside the window (document-format.md §4.5).
 */
#include "sender.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Seconds since 1970 of YYYY-MM-DD 00:00 UTC (proleptic Gregorian). */
static long long
date_epoch(const char *ymd)
{
	int y = 1970, m = 1, d = 1;
	long long era, yoe, doy, doe;

	sscanf(ymd, "%4d-%2d-%2d", &y, &m, &d);
	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (era * 146097 + doe - 719468) * 86400;
}

/* GetFindings for ids (at most 50) of detector; rows appended; -1 after a recorded failure. */
static int
gd_get(snd_task *t, const char *detector, cJSON *ids, cJSON *rows)
{
	char path[160];
	cJSON *body = cJSON_CreateObject(), *r = NULL, *x;
	char *text;
	snd_fail f;
	int rc;

	cJSON_AddItemToObject(body, "findingIds", ids);
	text = cJSON_PrintUnformatted(body);
	snprintf(path, sizeof(path), "/detector/%s/findings/get", detector);
	rc = snd_call_rest_json(t, "guardduty", "POST", path, NULL, text ? text : "{}", &r, &f);
	free(text);
	cJSON_Delete(body);
	if (rc != MAO_OK) {
		snd_task_fail(t, "guard_duty", "guardduty:GetFindings", &f);
		return -1;
	}
	cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(r, "findings")) {
		cJSON *row = cJSON_CreateObject();

		cJSON_AddItemToObject(row, "id", snd_jstr(x, "id"));
		cJSON_AddItemToObject(row, "type", snd_jstr(x, "type"));
		cJSON_AddItemToObject(row, "severity", snd_jcopy(x, "severity"));
		cJSON_AddItemToObject(row, "title", snd_jstr(x, "title"));
		cJSON_AddItemToObject(row, "description", snd_jstr(x, "description"));
		cJSON_AddItemToObject(row, "created_at", snd_jstr(x, "createdAt"));
		cJSON_AddItemToObject(row, "updated_at", snd_jstr(x, "updatedAt"));
		cJSON_AddItemToObject(row, "confidence", snd_jcopy(x, "confidence"));
		cJSON_AddItemToObject(row, "region", snd_jstr(x, "region"));
		cJSON_AddItemToArray(rows, row);
	}
	cJSON_Delete(r);
	return 0;
}

/* Every finding of one detector updated inside the window; -1 after a recorded failure. */
static int
gd_detector(snd_task *t, const char *detector, cJSON *rows)
{
	char path[160];
	cJSON *body = cJSON_CreateObject(), *crit, *upd;

	snprintf(path, sizeof(path), "/detector/%s/findings", detector);
	crit = cJSON_AddObjectToObject(cJSON_AddObjectToObject(body, "findingCriteria"), "criterion");
	upd = cJSON_AddObjectToObject(crit, "updatedAt");
	cJSON_AddNumberToObject(upd, "gte", (double) date_epoch(t->s->date_from) * 1000.0);
	cJSON_AddNumberToObject(upd, "lt", (double) date_epoch(t->s->ce_end) * 1000.0);
	cJSON_AddNumberToObject(body, "maxResults", 50);
	for (;;) {
		cJSON *r = NULL, *ids;
		const cJSON *next;
		char *text = cJSON_PrintUnformatted(body);
		snd_fail f;
		int rc;

		rc = snd_call_rest_json(t, "guardduty", "POST", path, NULL, text ? text : "{}", &r, &f);
		free(text);
		if (rc != MAO_OK) {
			snd_task_fail(t, "guard_duty", "guardduty:ListFindings", &f);
			cJSON_Delete(body);
			return -1;
		}
		ids = cJSON_DetachItemFromObjectCaseSensitive(r, "findingIds");
		if (cJSON_GetArraySize(ids) > 0) {
			if (gd_get(t, detector, ids, rows) != 0) {
				cJSON_Delete(r);
				cJSON_Delete(body);
				return -1;
			}
		} else
			cJSON_Delete(ids);
		next = cJSON_GetObjectItemCaseSensitive(r, "nextToken");
		cJSON_DeleteItemFromObjectCaseSensitive(body, "nextToken");
		if (!cJSON_IsString(next) || *next->valuestring == '\0') {
			cJSON_Delete(r);
			cJSON_Delete(body);
			return 0;
		}
		cJSON_AddStringToObject(body, "nextToken", next->valuestring);
		cJSON_Delete(r);
	}
}

/* See sender.h. */
void
snd_collect_guard_duty(snd_task *t)
{
	cJSON *rows = cJSON_CreateArray();
	char *token = NULL;
	int failed = 0;

	for (;;) {
		mao_buf q = MAO_BUF_INIT;
		cJSON *r = NULL, *d;
		const cJSON *next;
		snd_fail f;

		mao_buf_append_str(&q, "maxResults=50");
		if (token) {
			mao_buf_append_str(&q, "&nextToken=");
			mao_buf_append_uri_encoded(&q, token, strlen(token), 1);
		}
		if (snd_call_rest_json(t, "guardduty", "GET", "/detector", mao_buf_cstr(&q), NULL, &r, &f) != MAO_OK) {
			snd_task_fail(t, "guard_duty", "guardduty:ListDetectors", &f);
			mao_buf_free(&q);
			free(token);
			cJSON_Delete(rows);
			return;
		}
		mao_buf_free(&q);
		cJSON_ArrayForEach(d, cJSON_GetObjectItemCaseSensitive(r, "detectorIds"))
			if (cJSON_IsString(d))
				failed |= gd_detector(t, d->valuestring, rows) != 0;
		next = cJSON_GetObjectItemCaseSensitive(r, "nextToken");
		free(token);
		token = cJSON_IsString(next) && *next->valuestring ? strdup(next->valuestring) : NULL;
		cJSON_Delete(r);
		if (token == NULL)
			break;
	}
	t->items = cJSON_GetArraySize(rows);
	t->value = rows;
	if (failed)
		t->status = SND_PARTIAL;
}

/* Non-zero if epoch-seconds member key of x falls in [from, to). */
static int
in_window(const cJSON *x, const char *key, double from, double to)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(x, key);

	return cJSON_IsNumber(v) && v->valuedouble >= from && v->valuedouble < to;
}

/* See sender.h. */
void
snd_collect_inspector(snd_task *t)
{
	cJSON *rows = cJSON_CreateArray(), *body = cJSON_CreateObject();
	double from = (double) date_epoch(t->s->date_from), to = (double) date_epoch(t->s->ce_end);
	int page = t->s->page_size > 0 ? (t->s->page_size > 100 ? 100 : t->s->page_size) : 100;

	cJSON_AddNumberToObject(body, "maxResults", page);
	for (;;) {
		cJSON *r = NULL, *x;
		const cJSON *next;
		char *text = cJSON_PrintUnformatted(body);
		snd_fail f;
		int rc;

		rc = snd_call_rest_json(t, "inspector2", "POST", "/findings/list", NULL, text ? text : "{}", &r, &f);
		free(text);
		if (rc != MAO_OK) {
			snd_task_fail(t, "inspector", "inspector2:ListFindings", &f);
			cJSON_Delete(body);
			cJSON_Delete(rows);
			return;
		}
		cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(r, "findings")) {
			cJSON *row;

			if (!in_window(x, "firstObservedAt", from, to) && !in_window(x, "lastObservedAt", from, to)
				&& !in_window(x, "updatedAt", from, to))
				continue;
			row = cJSON_CreateObject();
			cJSON_AddItemToObject(row, "finding_arn", snd_jstr(x, "findingArn"));
			cJSON_AddItemToObject(row, "severity", snd_jstr(x, "severity"));
			cJSON_AddItemToObject(row, "status", snd_jstr(x, "status"));
			cJSON_AddItemToObject(row, "type", snd_jstr(x, "type"));
			cJSON_AddItemToObject(row, "title", snd_jstr(x, "title"));
			cJSON_AddItemToObject(row, "description", snd_jstr(x, "description"));
			cJSON_AddItemToObject(row, "first_observed_at", snd_jepoch(x, "firstObservedAt"));
			cJSON_AddItemToObject(row, "last_observed_at", snd_jepoch(x, "lastObservedAt"));
			cJSON_AddItemToObject(row, "updated_at", snd_jepoch(x, "updatedAt"));
			cJSON_AddItemToArray(rows, row);
		}
		next = cJSON_GetObjectItemCaseSensitive(r, "nextToken");
		cJSON_DeleteItemFromObjectCaseSensitive(body, "nextToken");
		if (!cJSON_IsString(next) || *next->valuestring == '\0') {
			cJSON_Delete(r);
			break;
		}
		cJSON_AddStringToObject(body, "nextToken", next->valuestring);
		cJSON_Delete(r);
	}
	cJSON_Delete(body);
	t->items = cJSON_GetArraySize(rows);
	t->value = rows;
}
