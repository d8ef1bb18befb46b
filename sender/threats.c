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

/* One detector's findings pages go to rows. */
typedef struct gd_acc {
	const char *detector;
	cJSON *rows;
} gd_acc;

/* A ListFindings page: its ids fetched with GetFindings. */
static int
gd_findings_page(snd_task *t, const cJSON *page, void *ctx)
{
	gd_acc *acc = ctx;
	const cJSON *ids = cJSON_GetObjectItemCaseSensitive(page, "findingIds");

	if (cJSON_GetArraySize(ids) == 0)
		return 0;
	return gd_get(t, acc->detector, cJSON_Duplicate(ids, 1), acc->rows) == 0 ? 0 : -1;
}

/* Every finding of one detector updated inside the window; -1 after a recorded failure. */
static int
gd_detector(snd_task *t, const char *detector, cJSON *rows)
{
	snd_op op = {"guardduty", NULL, NULL, "POST", "nextToken", NULL, "guard_duty", "guardduty:ListFindings"};
	gd_acc acc;
	char path[160];
	cJSON *body = cJSON_CreateObject(), *crit, *upd;
	int rc;

	snprintf(path, sizeof(path), "/detector/%s/findings", detector);
	crit = cJSON_AddObjectToObject(cJSON_AddObjectToObject(body, "findingCriteria"), "criterion");
	upd = cJSON_AddObjectToObject(crit, "updatedAt");
	cJSON_AddNumberToObject(upd, "gte", (double) snd_date_epoch(t->s->date_from) * 1000.0);
	cJSON_AddNumberToObject(upd, "lt", (double) snd_date_epoch(t->s->ce_end) * 1000.0);
	cJSON_AddNumberToObject(body, "maxResults", 50);
	op.target = path;
	acc.detector = detector;
	acc.rows = rows;
	rc = snd_pages(t, &op, body, gd_findings_page, &acc);
	cJSON_Delete(body);
	return rc < 0 ? -1 : 0;
}

/* The rows of every detector, and whether one of them failed. */
typedef struct gd_all {
	cJSON *rows;
	int failed;
} gd_all;

/* A ListDetectors page: each detector's findings. */
static int
detectors_page(snd_task *t, const cJSON *page, void *ctx)
{
	gd_all *all = ctx;
	const cJSON *d;

	cJSON_ArrayForEach(d, cJSON_GetObjectItemCaseSensitive(page, "detectorIds"))
		if (cJSON_IsString(d))
			all->failed |= gd_detector(t, d->valuestring, all->rows) != 0;
	return 0;
}

/* See sender.h. */
void
snd_collect_guard_duty(snd_task *t)
{
	static const snd_op list_detectors = {"guardduty", NULL, "/detector", "GET", "nextToken", NULL,
										  "guard_duty", "guardduty:ListDetectors"};
	gd_all all = {cJSON_CreateArray(), 0};
	cJSON *body = cJSON_CreateObject();

	cJSON_AddNumberToObject(body, "maxResults", 50);
	if (snd_pages(t, &list_detectors, body, detectors_page, &all) < 0) {
		cJSON_Delete(body);
		cJSON_Delete(all.rows);
		return;
	}
	cJSON_Delete(body);
	t->items = cJSON_GetArraySize(all.rows);
	t->value = all.rows;
	if (all.failed)
		t->status = SND_PARTIAL;
}

/* Non-zero if epoch-seconds member key of x falls in [from, to). */
static int
in_window(const cJSON *x, const char *key, double from, double to)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(x, key);

	return cJSON_IsNumber(v) && v->valuedouble >= from && v->valuedouble < to;
}

/* The window and the rows of an inspector collection. */
typedef struct inspector_acc {
	cJSON *rows;
	double from, to;
} inspector_acc;

/* A ListFindings page: the findings first/last observed or updated inside the window. */
static int
inspector_page(snd_task *t, const cJSON *page, void *ctx)
{
	inspector_acc *w = ctx;
	const cJSON *x;

	(void) t;
	cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(page, "findings")) {
		cJSON *row;

		if (!in_window(x, "firstObservedAt", w->from, w->to) && !in_window(x, "lastObservedAt", w->from, w->to)
			&& !in_window(x, "updatedAt", w->from, w->to))
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
		cJSON_AddItemToArray(w->rows, row);
	}
	return 0;
}

/* See sender.h. */
void
snd_collect_inspector(snd_task *t)
{
	static const snd_op list_findings = {"inspector2", NULL, "/findings/list", "POST", "nextToken", NULL,
										 "inspector", "inspector2:ListFindings"};
	inspector_acc w = {cJSON_CreateArray(), (double) snd_date_epoch(t->s->date_from),
					   (double) snd_date_epoch(t->s->ce_end)};
	cJSON *body = cJSON_CreateObject();

	cJSON_AddNumberToObject(body, "maxResults", snd_page_size(t, 1, 100));
	if (snd_pages(t, &list_findings, body, inspector_page, &w) < 0) {
		cJSON_Delete(body);
		cJSON_Delete(w.rows);
		return;
	}
	cJSON_Delete(body);
	t->items = cJSON_GetArraySize(w.rows);
	t->value = w.rows;
}
