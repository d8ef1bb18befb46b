/*
 * application.c - the `application` section, which the reference never
 * collected: CloudWatch Application Signals ListServices (REST-JSON GET,
 * in the run's region), the services seen during the window, every page.
 *
 * The element shape is what the loader reads into application_signals:
 * service_name (KeyAttributes.Name, else its Identifier), namespace (the
 * service's Environment, e.g. "eks:cluster/namespace" or
 * "lambda:default": with the name it identifies the service, as the
 * table's key expects) and key_attributes (the KeyAttributes map as it
 * came).
 *
 * ListServices answers for at most a day at a time, so a longer window
 * (WEEKLY, MONTHLY) is asked for day by day and a service seen on several
 * days is kept once; a window reaching into the future ends now.
 */
#include "sender.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define SPAN (24 * 3600)

/* The services kept so far, and the keys that make them distinct. */
typedef struct app_acc {
	cJSON *rows;
	cJSON *seen;              /* object: "name\nenvironment" -> true */
} app_acc;

/* A ListServices page: each service not seen yet becomes a row. */
static int
services_page(snd_task *t, const cJSON *page, void *ctx)
{
	app_acc *acc = ctx;
	const cJSON *s;

	(void) t;
	cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(page, "ServiceSummaries")) {
		const cJSON *ka = cJSON_GetObjectItemCaseSensitive(s, "KeyAttributes");
		const char *name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ka, "Name"));
		const char *env = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ka, "Environment"));
		char key[1024];
		cJSON *row;

		if (name == NULL)
			name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ka, "Identifier"));
		if (name == NULL)
			continue;   /* nothing to key the row on */
		snprintf(key, sizeof(key), "%s\n%s", name, env ? env : "");
		if (cJSON_GetObjectItemCaseSensitive(acc->seen, key) != NULL)
			continue;
		cJSON_AddTrueToObject(acc->seen, key);
		row = cJSON_CreateObject();
		cJSON_AddStringToObject(row, "service_name", name);
		cJSON_AddItemToObject(row, "namespace", env ? cJSON_CreateString(env) : cJSON_CreateNull());
		cJSON_AddItemToObject(row, "key_attributes", cJSON_Duplicate(ka, 1));
		cJSON_AddItemToArray(acc->rows, row);
	}
	return 0;
}

/* Epoch seconds as YYYY-MM-DDTHH:MM:SSZ (as the SDKs send query timestamps). */
static void
iso_z(long long epoch, char out[32])
{
	time_t s = (time_t) epoch;
	struct tm tm;

	gmtime_r(&s, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* See sender.h. */
void
snd_collect_application(snd_task *t)
{
	static const snd_op list_services = {"application-signals", NULL, "/services", "GET", "NextToken", NULL,
										 "application_signals", "application-signals:ListServices"};
	long long from = snd_date_epoch(t->s->date_from), to = snd_date_epoch(t->s->ce_end);
	long long now = (long long) time(NULL), start;
	app_acc acc = {cJSON_CreateArray(), cJSON_CreateObject()};

	if (to > now)
		to = now;
	for (start = from; start < to; start += SPAN) {
		cJSON *body = cJSON_CreateObject();
		char a[32], b[32];
		int rc;

		iso_z(start, a);
		iso_z(start + SPAN < to ? start + SPAN : to, b);
		cJSON_AddStringToObject(body, "StartTime", a);
		cJSON_AddStringToObject(body, "EndTime", b);
		cJSON_AddNumberToObject(body, "MaxResults", snd_page_size(t, 1, 100));
		rc = snd_pages(t, &list_services, body, services_page, &acc);
		cJSON_Delete(body);
		if (rc < 0) {
			cJSON_Delete(acc.rows);
			cJSON_Delete(acc.seen);
			return;
		}
	}
	cJSON_Delete(acc.seen);
	t->items = cJSON_GetArraySize(acc.rows);
	t->value = acc.rows;
}
