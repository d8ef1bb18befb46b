/*
 * support.c - the `support_tickets` section: AWS Support DescribeCases
 * (us-east-1, every page), the cases created inside the window, resolved
 * ones included (the reference never asked for them and crashed on the
 * ones it got, see document-format.md §4.13 and §7).  Accounts without a
 * support plan answer SubscriptionRequiredException: the section is then
 * skipped, with the reason in logs.message.
 */
#include "sender.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JSON11 "application/x-amz-json-1.1"

/* Non-zero if an API time string's date (its first 10 characters) is inside [from, to). */
static int
created_in_window(const char *ts, const char *from, const char *to)
{
	return ts != NULL && strlen(ts) >= 10 && strncmp(ts, from, 10) >= 0 && strncmp(ts, to, 10) < 0;
}

/* A DescribeCases page: the cases created inside the window. */
static int
cases_page(snd_task *t, const cJSON *page, void *ctx)
{
	const snd_settings *s = t->s;
	const cJSON *c;

	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(page, "cases")) {
		const char *created = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "timeCreated"));
		const char *lang = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "language"));
		cJSON *row;

		if (!created_in_window(created, s->date_from, s->ce_end))
			continue;
		row = cJSON_CreateObject();
		cJSON_AddItemToObject(row, "case_id", snd_jstr(c, "caseId"));
		cJSON_AddItemToObject(row, "display_id", snd_jstr(c, "displayId"));
		cJSON_AddItemToObject(row, "subject", snd_jstr(c, "subject"));
		cJSON_AddItemToObject(row, "status", snd_jstr(c, "status"));
		cJSON_AddItemToObject(row, "severity_code", snd_jstr(c, "severityCode"));
		cJSON_AddItemToObject(row, "service_code", snd_jstr(c, "serviceCode"));
		cJSON_AddItemToObject(row, "category_code", snd_jstr(c, "categoryCode"));
		cJSON_AddStringToObject(row, "time_created", created);
		cJSON_AddItemToObject(row, "submitted_by", snd_jstr(c, "submittedBy"));
		cJSON_AddStringToObject(row, "language", lang && *lang ? lang : "en");
		cJSON_AddStringToObject(row, "date_from", s->date_from);
		cJSON_AddStringToObject(row, "date_to", s->date_to);
		cJSON_AddItemToArray((cJSON *) ctx, row);
	}
	return 0;
}

/* See sender.h. */
void
snd_collect_support_tickets(snd_task *t)
{
	static const snd_op describe_cases = {"support", JSON11, "AWSSupport_20130415.DescribeCases", NULL,
										  "nextToken", NULL, "support_tickets", "support:DescribeCases"};
	const snd_settings *s = t->s;
	cJSON *body = cJSON_CreateObject();
	char after[32], before[32];

	snprintf(after, sizeof(after), "%sT00:00:00Z", s->date_from);
	snprintf(before, sizeof(before), "%sT00:00:00Z", s->ce_end);
	cJSON_AddStringToObject(body, "afterTime", after);
	cJSON_AddStringToObject(body, "beforeTime", before);
	cJSON_AddTrueToObject(body, "includeResolvedCases");
	cJSON_AddNumberToObject(body, "maxResults", snd_page_size(t, 10, 100));
	cJSON_AddStringToObject(body, "language", "en");
	snd_collect_pages(t, &describe_cases, body, cases_page);
}
