/*
 * marketplace.c - the `marketplace` section, which the reference never
 * collected: the account's AWS Marketplace charges per product and day,
 * from Cost Explorer (global endpoint, us-east-1), in the element shape
 * the loader reads into marketplace_usage.
 *
 * GetCostAndUsage over the window, DAILY, UnblendedCost, filtered on the
 * BILLING_ENTITY "AWS Marketplace" and on this account (LINKED_ACCOUNT, so
 * a management account reports only its own charges), grouped by SERVICE,
 * every page.  Cost Explorer names a Marketplace product by its title in
 * SERVICE (the reference's filter SERVICE = "AWS Marketplace" matches no
 * product) and has no product-code dimension to group by, so that title is
 * both product_code and product_name.  status says whether Cost Explorer
 * still calls the day's amount estimated ("estimated") or not ("final").
 * marketplace-entitlement GetEntitlements needs a product code and is
 * meant for sellers, so it cannot list a buyer's subscriptions: not used.
 */
#include "sender.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JSON11 "application/x-amz-json-1.1"

/* A {Dimensions: {Key: key, Values: [value]}} expression. */
static cJSON *
dimension_is(const char *key, const char *value)
{
	cJSON *e = cJSON_CreateObject(), *d = cJSON_AddObjectToObject(e, "Dimensions");

	cJSON_AddStringToObject(d, "Key", key);
	cJSON_AddItemToArray(cJSON_AddArrayToObject(d, "Values"), cJSON_CreateString(value));
	return e;
}

/* A GetCostAndUsage page: one row per product and day. */
static int
usage_page(snd_task *t, const cJSON *page, void *ctx)
{
	const cJSON *p, *g;

	(void) t;
	cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(page, "ResultsByTime")) {
		const cJSON *tp = cJSON_GetObjectItemCaseSensitive(p, "TimePeriod");
		int estimated = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(p, "Estimated"));

		cJSON_ArrayForEach(g, cJSON_GetObjectItemCaseSensitive(p, "Groups")) {
			const char *product = cJSON_GetStringValue(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(g, "Keys"), 0));
			const cJSON *m = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(g, "Metrics"),
															  "UnblendedCost");
			const char *amount = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(m, "Amount"));
			const char *unit = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(m, "Unit"));
			cJSON *row;

			if (product == NULL)
				continue;
			row = cJSON_CreateObject();
			cJSON_AddStringToObject(row, "product_code", product);
			cJSON_AddStringToObject(row, "product_name", product);
			cJSON_AddNumberToObject(row, "cost_consumed", amount ? strtod(amount, NULL) : 0.0);
			cJSON_AddStringToObject(row, "currency", unit ? unit : "USD");
			cJSON_AddItemToObject(row, "period_start", snd_jstr(tp, "Start"));
			cJSON_AddItemToObject(row, "period_end", snd_jstr(tp, "End"));
			cJSON_AddStringToObject(row, "status", estimated ? "estimated" : "final");
			cJSON_AddItemToArray((cJSON *) ctx, row);
		}
	}
	return 0;
}

/* See sender.h. */
void
snd_collect_marketplace(snd_task *t)
{
	static const snd_op usage = {"ce", JSON11, "AWSInsightsIndexService.GetCostAndUsage", NULL,
								 "NextPageToken", NULL, "marketplace", "ce:GetCostAndUsage"};
	cJSON *body = cJSON_CreateObject(), *tp, *both, *g;

	tp = cJSON_AddObjectToObject(body, "TimePeriod");
	cJSON_AddStringToObject(tp, "Start", t->s->date_from);
	cJSON_AddStringToObject(tp, "End", t->s->ce_end);
	cJSON_AddStringToObject(body, "Granularity", "DAILY");
	cJSON_AddItemToArray(cJSON_AddArrayToObject(body, "Metrics"), cJSON_CreateString("UnblendedCost"));
	g = cJSON_CreateObject();
	cJSON_AddStringToObject(g, "Type", "DIMENSION");
	cJSON_AddStringToObject(g, "Key", "SERVICE");
	cJSON_AddItemToArray(cJSON_AddArrayToObject(body, "GroupBy"), g);
	both = cJSON_AddArrayToObject(cJSON_AddObjectToObject(body, "Filter"), "And");
	cJSON_AddItemToArray(both, dimension_is("BILLING_ENTITY", "AWS Marketplace"));
	cJSON_AddItemToArray(both, dimension_is("LINKED_ACCOUNT", t->s->account));
	snd_collect_pages(t, &usage, body, usage_page);
}
