/*
 * health.c - the `health` section: AWS Health DescribeEvents (JSON 1.1,
 * the global endpoint in us-east-1), the events whose start time falls in
 * the window, every page (the reference read the first one).  Accounts
 * without a Business or Enterprise support plan answer
 * SubscriptionRequiredException: the section is skipped with the reason
 * (document-format.md §4.8).
 */
#include "sender.h"

#include <stdio.h>
#include <string.h>

#define JSON11 "application/x-amz-json-1.1"

/* A DescribeEvents page: one row per event (the filter already chose them). */
static int
events_page(snd_task *t, const cJSON *page, void *ctx)
{
	const cJSON *e;

	(void) t;
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(page, "events")) {
		cJSON *row = cJSON_CreateObject();

		cJSON_AddItemToObject(row, "arn", snd_jstr(e, "arn"));
		cJSON_AddItemToObject(row, "service", snd_jstr(e, "service"));
		cJSON_AddItemToObject(row, "event_type_code", snd_jstr(e, "eventTypeCode"));
		cJSON_AddItemToObject(row, "event_type_category", snd_jstr(e, "eventTypeCategory"));
		cJSON_AddItemToObject(row, "region", snd_jstr(e, "region"));
		cJSON_AddItemToObject(row, "availability_zone", snd_jstr(e, "availabilityZone"));
		cJSON_AddItemToObject(row, "start_time", snd_jepoch(e, "startTime"));
		cJSON_AddItemToObject(row, "end_time", snd_jepoch(e, "endTime"));
		cJSON_AddItemToObject(row, "last_updated_time", snd_jepoch(e, "lastUpdatedTime"));
		cJSON_AddItemToObject(row, "status_code", snd_jstr(e, "statusCode"));
		cJSON_AddItemToObject(row, "event_scope_code", snd_jstr(e, "eventScopeCode"));
		cJSON_AddItemToArray((cJSON *) ctx, row);
	}
	return 0;
}

/* See sender.h. */
void
snd_collect_health(snd_task *t)
{
	static const snd_op describe_events = {"health", JSON11, "AWSHealth_20160804.DescribeEvents", NULL,
										   "nextToken", NULL, "health", "health:DescribeEvents"};
	cJSON *body = cJSON_CreateObject(), *range;

	range = cJSON_CreateObject();
	cJSON_AddNumberToObject(range, "from", (double) snd_date_epoch(t->s->date_from));
	cJSON_AddNumberToObject(range, "to", (double) snd_date_epoch(t->s->ce_end));
	cJSON_AddItemToArray(cJSON_AddArrayToObject(cJSON_AddObjectToObject(body, "filter"), "startTimes"), range);
	cJSON_AddNumberToObject(body, "maxResults", snd_page_size(t, 10, 100));
	snd_collect_pages(t, &describe_events, body, events_page);
}
