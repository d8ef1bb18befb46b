/*
 * cost.c - the `service` and `cost` sections from Cost Explorer (global
 * endpoint, us-east-1): GetCostAndUsage grouped by SERVICE for the window
 * (every page; the `service` rows and cost.top_services), the window's and
 * the previous window's totals, and GetCostForecast for the next 30 days.
 * One task makes the calls in a fixed order.  The window's end is passed
 * exclusive, as Cost Explorer wants it (the reference drops a MONTHLY
 * window's last day); WEEKLY asks for DAILY granularity (CE has no WEEKLY).
 * A forecast that fails leaves `forecast` [] with a "Forecast unavailable"
 * message, as the reference does.
 */
#include "sender.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CE_TARGET "AWSInsightsIndexService."
#define JSON11 "application/x-amz-json-1.1"

/* The granularity Cost Explorer accepts for the run's interval. */
static const char *
ce_granularity(const snd_settings *s)
{
	return strcmp(s->interval, "MONTHLY") == 0 ? "MONTHLY" : "DAILY";
}

/* A GetCostAndUsage request body for [start, end); by_service adds the SERVICE grouping. */
static cJSON *
usage_request(const snd_settings *s, const char *start, const char *end, int by_service)
{
	cJSON *b = cJSON_CreateObject(), *tp, *f, *d, *v, *m, *g;

	tp = cJSON_AddObjectToObject(b, "TimePeriod");
	cJSON_AddStringToObject(tp, "Start", start);
	cJSON_AddStringToObject(tp, "End", end);
	cJSON_AddStringToObject(b, "Granularity", ce_granularity(s));
	m = cJSON_AddArrayToObject(b, "Metrics");
	cJSON_AddItemToArray(m, cJSON_CreateString("UnblendedCost"));
	if (by_service) {
		g = cJSON_CreateObject();
		cJSON_AddStringToObject(g, "Type", "DIMENSION");
		cJSON_AddStringToObject(g, "Key", "SERVICE");
		cJSON_AddItemToArray(cJSON_AddArrayToObject(b, "GroupBy"), g);
	}
	f = cJSON_AddObjectToObject(b, "Filter");
	d = cJSON_AddObjectToObject(f, "Dimensions");
	cJSON_AddStringToObject(d, "Key", "LINKED_ACCOUNT");
	v = cJSON_AddArrayToObject(d, "Values");
	cJSON_AddItemToArray(v, cJSON_CreateString(s->account));
	return b;
}

/* A GetCostAndUsage page: its ResultsByTime appended to the periods array. */
static int
usage_page(snd_task *t, const cJSON *page, void *ctx)
{
	const cJSON *e;

	(void) t;
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(page, "ResultsByTime"))
		cJSON_AddItemToArray((cJSON *) ctx, cJSON_Duplicate(e, 1));
	return 0;
}

/* Every page of GetCostAndUsage for body into periods; -1 after a failure recorded under area. */
static int
usage_all(snd_task *t, cJSON *body, cJSON *periods, const char *area)
{
	snd_op op = {"ce", JSON11, CE_TARGET "GetCostAndUsage", NULL, "NextPageToken", NULL,
				 area, "ce:GetCostAndUsage"};

	return snd_pages(t, &op, body, usage_page, periods) < 0 ? -1 : 0;
}

/* The UnblendedCost amount of a metrics object (0 when absent). */
static double
amount(const cJSON *metrics, const char **unit)
{
	const cJSON *u = cJSON_GetObjectItemCaseSensitive(metrics, "UnblendedCost");
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(u, "Amount");
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(u, "Unit");

	if (unit)
		*unit = cJSON_IsString(n) ? n->valuestring : "USD";
	return cJSON_IsString(a) ? strtod(a->valuestring, NULL) : 0.0;
}

/* Sum of Total.UnblendedCost over periods. */
static double
total_of(const cJSON *periods)
{
	const cJSON *p;
	double sum = 0;

	cJSON_ArrayForEach(p, periods)
		sum += amount(cJSON_GetObjectItemCaseSensitive(p, "Total"), NULL);
	return sum;
}

/* Orders service rows by cost, highest first. */
static int
by_cost_desc(const void *a, const void *b)
{
	double x = cJSON_GetObjectItemCaseSensitive(*(cJSON *const *) a, "cost")->valuedouble;
	double y = cJSON_GetObjectItemCaseSensitive(*(cJSON *const *) b, "cost")->valuedouble;

	return x < y ? 1 : x > y ? -1 : 0;
}

/* Sorts the items of arr with cmp (detach, qsort, re-attach). */
static void
sort_array(cJSON *arr, int (*cmp)(const void *, const void *))
{
	int n = cJSON_GetArraySize(arr), i;
	cJSON **v;

	if (n < 2 || (v = malloc((size_t) n * sizeof(*v))) == NULL)
		return;
	for (i = 0; i < n; i++)
		v[i] = cJSON_DetachItemFromArray(arr, 0);
	qsort(v, (size_t) n, sizeof(*v), cmp);
	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(arr, v[i]);
	free(v);
}

/* Rounds to two decimals, as the reference's percentages are. */
static double
round2(double x)
{
	return floor(x * 100.0 + 0.5) / 100.0;
}

/* The day n days before YYYY-MM-DD date into out (computed via the C library in UTC). */
static void
date_minus(const char *date, int n, char out[11])
{
	struct tm tm;
	time_t when;

	memset(&tm, 0, sizeof(tm));
	sscanf(date, "%4d-%2d-%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday);
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	tm.tm_mday -= n;
	tm.tm_hour = 12;               /* away from any DST edge of the local zone */
	when = mktime(&tm);
	localtime_r(&when, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

/* Days between two YYYY-MM-DD dates (b - a). */
static int
days_between(const char *a, const char *b)
{
	struct tm ta, tb;

	memset(&ta, 0, sizeof(ta));
	memset(&tb, 0, sizeof(tb));
	sscanf(a, "%4d-%2d-%2d", &ta.tm_year, &ta.tm_mon, &ta.tm_mday);
	sscanf(b, "%4d-%2d-%2d", &tb.tm_year, &tb.tm_mon, &tb.tm_mday);
	ta.tm_year -= 1900;
	tb.tm_year -= 1900;
	ta.tm_mon -= 1;
	tb.tm_mon -= 1;
	ta.tm_hour = 12;
	tb.tm_hour = 12;
	return (int) ((difftime(mktime(&tb), mktime(&ta)) + 43200) / 86400);
}

/* GetCostForecast for the next 30 days; returns the forecast array ([] and *failed set on failure). */
static cJSON *
forecast(snd_task *t, int *failed)
{
	const snd_settings *s = t->s;
	cJSON *b = cJSON_CreateObject(), *tp, *fl, *d, *r = NULL, *out = cJSON_CreateArray(), *p;
	char end[11];
	snd_fail f;

	date_minus(s->today, -30, end);
	tp = cJSON_AddObjectToObject(b, "TimePeriod");
	cJSON_AddStringToObject(tp, "Start", s->today);
	cJSON_AddStringToObject(tp, "End", end);
	cJSON_AddStringToObject(b, "Metric", "UNBLENDED_COST");
	cJSON_AddStringToObject(b, "Granularity", "MONTHLY");
	fl = cJSON_AddObjectToObject(b, "Filter");
	d = cJSON_AddObjectToObject(fl, "Dimensions");
	cJSON_AddStringToObject(d, "Key", "LINKED_ACCOUNT");
	cJSON_AddItemToArray(cJSON_AddArrayToObject(d, "Values"), cJSON_CreateString(s->account));
	if (snd_call_json(t, "ce", JSON11, CE_TARGET "GetCostForecast", b, &r, &f) != MAO_OK) {
		char text[MAO_ERR_MSG_MAX + 64];

		snprintf(text, sizeof(text), "ce:GetCostForecast: %s", f.msg);
		snd_task_message(t, "Forecast unavailable", text);
		*failed = 1;
		cJSON_Delete(b);
		return out;
	}
	cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(r, "ForecastResultsByTime")) {
		const cJSON *ptp = cJSON_GetObjectItemCaseSensitive(p, "TimePeriod");
		const cJSON *mv = cJSON_GetObjectItemCaseSensitive(p, "MeanValue");
		cJSON *e = cJSON_CreateObject(), *per = cJSON_AddObjectToObject(e, "period");

		cJSON_AddItemToObject(per, "start", snd_jstr(ptp, "Start"));
		cJSON_AddItemToObject(per, "end", snd_jstr(ptp, "End"));
		cJSON_AddNumberToObject(e, "amount", cJSON_IsString(mv) ? strtod(mv->valuestring, NULL) : 0.0);
		cJSON_AddItemToArray(out, e);
	}
	cJSON_Delete(r);
	cJSON_Delete(b);
	return out;
}

/* See sender.h. */
void
snd_collect_cost(snd_task *t)
{
	const snd_settings *s = t->s;
	cJSON *by_service = cJSON_CreateArray(), *cur = cJSON_CreateArray(), *prev = cJSON_CreateArray();
	cJSON *body, *rows, *cost, *top, *per, *p, *last = NULL;
	char prev_start[11];
	double current, previous;
	int days, n, forecast_failed = 0;

	t->status = SND_FAILED;
	t->status2 = SND_FAILED;
	body = usage_request(s, s->date_from, s->ce_end, 1);
	n = usage_all(t, body, by_service, "services_data");
	cJSON_Delete(body);
	if (n != 0) {
		snd_task_message(t, "cost_analysis", "not collected: Cost Explorer failed (see services_data)");
		t->status2 = t->status;
		goto out;
	}
	/* service: one row per service per period, highest cost first */
	rows = cJSON_CreateArray();
	cJSON_ArrayForEach(p, by_service) {
		const cJSON *tp = cJSON_GetObjectItemCaseSensitive(p, "TimePeriod"), *g;

		cJSON_ArrayForEach(g, cJSON_GetObjectItemCaseSensitive(p, "Groups")) {
			const cJSON *keys = cJSON_GetObjectItemCaseSensitive(g, "Keys");
			const char *unit;
			double c = amount(cJSON_GetObjectItemCaseSensitive(g, "Metrics"), &unit);
			cJSON *row = cJSON_CreateObject();

			cJSON_AddStringToObject(row, "service", cJSON_IsArray(keys) && cJSON_IsString(keys->child)
									? keys->child->valuestring : "");
			cJSON_AddStringToObject(row, "usage_types", "Aggregated");
			cJSON_AddItemToObject(row, "date_from", snd_jstr(tp, "Start"));
			cJSON_AddItemToObject(row, "date_to", snd_jstr(tp, "End"));
			cJSON_AddNumberToObject(row, "cost", c);
			cJSON_AddStringToObject(row, "currency", unit);
			cJSON_AddNullToObject(row, "utilization");
			cJSON_AddNullToObject(row, "utilization_unit");
			cJSON_AddItemToArray(rows, row);
		}
		last = p;
	}
	sort_array(rows, by_cost_desc);
	t->items = cJSON_GetArraySize(rows);
	t->value = rows;
	t->status = SND_OK;

	/* cost: the window's total, the previous window of the same length, forecast */
	body = usage_request(s, s->date_from, s->ce_end, 0);
	n = usage_all(t, body, cur, "cost_analysis");
	cJSON_Delete(body);
	days = days_between(s->date_from, s->ce_end);
	date_minus(s->date_from, days, prev_start);
	if (n == 0) {
		body = usage_request(s, prev_start, s->date_from, 0);
		n = usage_all(t, body, prev, "cost_analysis");
		cJSON_Delete(body);
	}
	if (n != 0) {
		t->status2 = t->status;
		t->status = SND_OK;          /* the service rows stand */
		goto out;
	}
	current = total_of(cur);
	previous = total_of(prev);
	cost = cJSON_CreateObject();
	cJSON_AddStringToObject(cost, "account_id", s->account);
	cJSON_AddNumberToObject(cost, "current_period_cost", current);
	cJSON_AddNumberToObject(cost, "previous_period_cost", previous);
	cJSON_AddNumberToObject(cost, "cost_difference", current - previous);
	cJSON_AddNumberToObject(cost, "cost_difference_percentage",
							previous > 0 ? round2((current - previous) / previous * 100.0) : 0);
	top = cJSON_AddArrayToObject(cost, "top_services");
	if (last != NULL) {
		/* a long group list comes over several pages, each with its own
		 * ResultsByTime entry for the same period: take them all */
		const char *last_start = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
			cJSON_GetObjectItemCaseSensitive(last, "TimePeriod"), "Start"));
		cJSON *tmp = cJSON_CreateArray(), *g, *e;
		int k = 0;

		cJSON_ArrayForEach(p, by_service) {
			const char *start = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
				cJSON_GetObjectItemCaseSensitive(p, "TimePeriod"), "Start"));

			if (start == NULL || last_start == NULL || strcmp(start, last_start) != 0)
				continue;
			cJSON_ArrayForEach(g, cJSON_GetObjectItemCaseSensitive(p, "Groups")) {
				const cJSON *keys = cJSON_GetObjectItemCaseSensitive(g, "Keys");
				e = cJSON_CreateObject();
				cJSON_AddStringToObject(e, "service", cJSON_IsArray(keys) && cJSON_IsString(keys->child)
										? keys->child->valuestring : "");
				cJSON_AddNumberToObject(e, "cost", amount(cJSON_GetObjectItemCaseSensitive(g, "Metrics"), NULL));
				cJSON_AddItemToArray(tmp, e);
			}
		}
		sort_array(tmp, by_cost_desc);
		while (k++ < 5 && (e = cJSON_DetachItemFromArray(tmp, 0)) != NULL)
			cJSON_AddItemToArray(top, e);
		cJSON_Delete(tmp);
	}
	per = cJSON_AddObjectToObject(cost, "period");
	cJSON_AddStringToObject(per, "start", s->date_from);
	cJSON_AddStringToObject(per, "end", s->date_to);
	cJSON_AddStringToObject(per, "granularity", s->interval);
	cJSON_AddItemToObject(cost, "forecast", forecast(t, &forecast_failed));
	t->value2 = cost;
	t->items2 = 1;
	t->status2 = forecast_failed ? SND_PARTIAL : SND_OK;
out:
	cJSON_Delete(by_service);
	cJSON_Delete(cur);
	cJSON_Delete(prev);
}
