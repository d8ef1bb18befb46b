/*
 * waf.c - the `security.waf` and `security.waf_rules` parts from WAFv2, in
 * both scopes: REGIONAL in the run's region and CLOUDFRONT in us-east-1.
 * ListWebACLs (every page), then per web ACL GetWebACL,
 * ListResourcesForWebACL (REGIONAL: load balancers; CloudFront
 * associations live on the distributions, so [] there) and
 * GetLoggingConfiguration (WAFNonexistentItemException = no logging, the
 * normal case, which does not wipe the associations as the reference's did).
 * document-format.md §4.5.
 */
#include "sender.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WAF_TARGET "AWSWAF_20190729."
#define JSON11 "application/x-amz-json-1.1"

/* A WAFv2 operation with body. */
static int
waf(snd_task *t, const char *op, const cJSON *body, cJSON **out, snd_fail *f)
{
	char target[64];

	snprintf(target, sizeof(target), WAF_TARGET "%s", op);
	return snd_call_json(t, "wafv2", JSON11, target, body, out, f);
}

/* The first key of a statement object, or "Unknown". */
static const char *
statement_type(const cJSON *st)
{
	return cJSON_IsObject(st) && st->child && st->child->string ? st->child->string : "Unknown";
}

/* Non-zero if the JSON text of v contains needle. */
static int
json_mentions(const cJSON *v, const char *needle)
{
	char *text = v ? cJSON_PrintUnformatted(v) : NULL;
	int found = text && strstr(text, needle) != NULL;

	free(text);
	return found;
}

/* A boolean member of o (false when absent). */
static int
jtrue(const cJSON *o, const char *key)
{
	return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, key));
}

/* Appends one waf_rules row for rule r of acl. */
static void
rule_row(cJSON *rows, const char *acl_name, const char *scope, const cJSON *r, int logging)
{
	const cJSON *st = cJSON_GetObjectItemCaseSensitive(r, "Statement");
	const cJSON *vc = cJSON_GetObjectItemCaseSensitive(r, "VisibilityConfig");
	const cJSON *mg = cJSON_GetObjectItemCaseSensitive(st, "ManagedRuleGroupStatement");
	const cJSON *action = cJSON_GetObjectItemCaseSensitive(r, "Action");
	const char *type = statement_type(st);
	const char *mg_name = mg ? cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(mg, "Name")) : NULL;
	const char *vendor = mg ? cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(mg, "VendorName")) : NULL;
	static const char *const compliant_types[] = {
		"RateBasedStatement", "ManagedRuleGroupStatement", "SqliMatchStatement", "XssMatchStatement",
		"GeoMatchStatement", "IPSetReferenceStatement", "RuleGroupReferenceStatement", NULL};
	cJSON *row = cJSON_CreateObject();
	int managed = mg != NULL, compliant = 0;
	size_t i;

	if (!cJSON_IsObject(action))
		action = cJSON_GetObjectItemCaseSensitive(r, "OverrideAction");
	if (!cJSON_IsObject(action))
		action = NULL;
	for (i = 0; compliant_types[i]; i++)
		compliant |= strcmp(type, compliant_types[i]) == 0;
	if (managed && vendor && (strstr(vendor, "AWS") || strstr(vendor, "Amazon")))
		compliant = 1;
	cJSON_AddStringToObject(row, "web_acl_name", acl_name);
	cJSON_AddItemToObject(row, "rule_name", snd_jstr(r, "Name"));
	cJSON_AddItemToObject(row, "priority", snd_jcopy(r, "Priority"));
	cJSON_AddItemToObject(row, "action", action ? cJSON_Duplicate(action, 1) : cJSON_CreateObject());
	cJSON_AddStringToObject(row, "statement_type", type);
	cJSON_AddBoolToObject(row, "is_managed_rule", managed);
	cJSON_AddBoolToObject(row, "is_custom_rule", !managed);
	cJSON_AddBoolToObject(row, "rate_limit", strcmp(type, "RateBasedStatement") == 0);
	cJSON_AddBoolToObject(row, "logging_enabled", logging);
	cJSON_AddBoolToObject(row, "geo_blocking", json_mentions(st, "GeoMatchStatement"));
	cJSON_AddBoolToObject(row, "sql_injection", json_mentions(st, "SqliMatchStatement")
						  || (mg_name && strstr(mg_name, "SQLi")));
	cJSON_AddBoolToObject(row, "sample_request_enabled", jtrue(vc, "SampledRequestsEnabled"));
	cJSON_AddBoolToObject(row, "cloudwatch_enabled", jtrue(vc, "CloudWatchMetricsEnabled"));
	cJSON_AddBoolToObject(row, "has_xss_protection", json_mentions(st, "XssMatchStatement")
						  || (mg_name && strstr(mg_name, "XSS")));
	cJSON_AddStringToObject(row, "waf_version", "v2");
	cJSON_AddBoolToObject(row, "is_compliant", compliant);
	cJSON_AddStringToObject(row, "scope", scope);
	cJSON_AddItemToArray(rows, row);
}

/* One web ACL summary -> a waf row and its waf_rules rows; returns -1 after a recorded failure. */
static int
acl_rows(snd_task *t, const char *scope, const cJSON *summary, cJSON *acls, cJSON *rules)
{
	cJSON *body = cJSON_CreateObject(), *got = NULL, *res = NULL, *lc = NULL, *row;
	cJSON *assoc, *dests, *countries, *ipsets;
	const cJSON *acl, *r;
	const char *name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(summary, "Name"));
	const char *arn;
	int managed = 0, rate = 0, custom = 0, sampled = 0, metrics = 0, geo = 0, logging = 0;
	snd_fail f;

	cJSON_AddItemToObject(body, "Name", snd_jstr(summary, "Name"));
	cJSON_AddStringToObject(body, "Scope", scope);
	cJSON_AddItemToObject(body, "Id", snd_jstr(summary, "Id"));
	if (waf(t, "GetWebACL", body, &got, &f) != MAO_OK) {
		snd_task_fail(t, "waf", "wafv2:GetWebACL", &f);
		cJSON_Delete(body);
		return -1;
	}
	cJSON_Delete(body);
	acl = cJSON_GetObjectItemCaseSensitive(got, "WebACL");
	arn = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(acl, "ARN"));
	assoc = cJSON_CreateArray();
	dests = cJSON_CreateArray();
	countries = cJSON_CreateArray();
	ipsets = cJSON_CreateArray();
	if (arn && strcmp(scope, "REGIONAL") == 0) {
		body = cJSON_CreateObject();
		cJSON_AddStringToObject(body, "WebACLArn", arn);
		cJSON_AddStringToObject(body, "ResourceType", "APPLICATION_LOAD_BALANCER");
		if (waf(t, "ListResourcesForWebACL", body, &res, &f) == MAO_OK) {
			cJSON *a;
			cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(res, "ResourceArns"))
				cJSON_AddItemToArray(assoc, cJSON_Duplicate(a, 1));
		} else
			snd_task_fail(t, "waf", "wafv2:ListResourcesForWebACL", &f);
		cJSON_Delete(body);
	}
	if (arn) {
		body = cJSON_CreateObject();
		cJSON_AddStringToObject(body, "ResourceArn", arn);
		if (waf(t, "GetLoggingConfiguration", body, &lc, &f) == MAO_OK) {
			cJSON *d;
			logging = 1;
			cJSON_ArrayForEach(d, cJSON_GetObjectItemCaseSensitive(
								   cJSON_GetObjectItemCaseSensitive(lc, "LoggingConfiguration"),
								   "LogDestinationConfigs"))
				cJSON_AddItemToArray(dests, cJSON_Duplicate(d, 1));
		} else if (strcmp(f.code, "WAFNonexistentItemException") != 0)
			snd_task_fail(t, "waf", "wafv2:GetLoggingConfiguration", &f);
		cJSON_Delete(body);
	}
	cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(acl, "Rules")) {
		const cJSON *st = cJSON_GetObjectItemCaseSensitive(r, "Statement");
		const cJSON *vc = cJSON_GetObjectItemCaseSensitive(r, "VisibilityConfig");
		const cJSON *g = cJSON_GetObjectItemCaseSensitive(st, "GeoMatchStatement");
		const cJSON *ip = cJSON_GetObjectItemCaseSensitive(st, "IPSetReferenceStatement");

		if (cJSON_GetObjectItemCaseSensitive(st, "ManagedRuleGroupStatement"))
			managed++;
		else if (cJSON_GetObjectItemCaseSensitive(st, "RateBasedStatement"))
			rate++;
		else
			custom++;
		sampled |= jtrue(vc, "SampledRequestsEnabled");
		metrics |= jtrue(vc, "CloudWatchMetricsEnabled");
		if (g) {
			const cJSON *c;
			geo = 1;
			cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(g, "CountryCodes"))
				cJSON_AddItemToArray(countries, cJSON_Duplicate(c, 1));
		}
		if (ip && cJSON_IsString(cJSON_GetObjectItemCaseSensitive(ip, "ARN")))
			cJSON_AddItemToArray(ipsets, cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(ip, "ARN"), 1));
	}
	row = cJSON_CreateObject();
	cJSON_AddStringToObject(row, "name", name ? name : "");
	cJSON_AddItemToObject(row, "id", snd_jstr(summary, "Id"));
	cJSON_AddStringToObject(row, "arn", arn ? arn : "");
	cJSON_AddStringToObject(row, "scope", scope);
	cJSON_AddStringToObject(row, "description",
							cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(acl, "Description"))
							? cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(acl, "Description")) : "");
	cJSON_AddItemToObject(row, "default_action", cJSON_GetObjectItemCaseSensitive(acl, "DefaultAction")
						  ? snd_jcopy(acl, "DefaultAction") : cJSON_CreateObject());
	cJSON_AddNumberToObject(row, "rules_count", cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(acl, "Rules")));
	cJSON_AddItemToObject(row, "capacity", cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(acl, "Capacity"))
						  ? snd_jcopy(acl, "Capacity") : cJSON_CreateNumber(0));
	cJSON_AddNumberToObject(row, "managed_rules_count", managed);
	cJSON_AddNumberToObject(row, "custom_rules_count", custom);
	cJSON_AddNumberToObject(row, "rate_limit_rules_count", rate);
	cJSON_AddNumberToObject(row, "associated_resources_count", cJSON_GetArraySize(assoc));
	cJSON_AddItemToObject(row, "associated_resources", assoc);
	cJSON_AddBoolToObject(row, "logging_enabled", logging);
	cJSON_AddItemToObject(row, "log_destinations", dests);
	cJSON_AddBoolToObject(row, "geo_blocking_enabled", geo);
	cJSON_AddItemToObject(row, "blocked_countries", countries);
	cJSON_AddItemToObject(row, "ip_sets", ipsets);
	cJSON_AddNullToObject(row, "created_date");
	cJSON_AddNullToObject(row, "last_modified");
	cJSON_AddItemToObject(row, "tags", cJSON_CreateArray());
	cJSON_AddBoolToObject(row, "sampled_requests_enabled", sampled);
	cJSON_AddBoolToObject(row, "cloudwatch_metrics_enabled", metrics);
	cJSON_AddItemToArray(acls, row);
	cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(acl, "Rules"))
		rule_row(rules, name ? name : "", scope, r, logging);
	cJSON_Delete(got);
	cJSON_Delete(res);
	cJSON_Delete(lc);
	return 0;
}

/* One scope's web ACL summaries, then each ACL's rows side by side (slot i: ACL i). */
typedef struct scope_acls {
	const char *scope;
	cJSON *summaries;         /* ListWebACLs' elements, in list order */
	cJSON **acls, **rules;    /* per ACL: its waf row(s) and its waf_rules rows */
} scope_acls;

/* A ListWebACLs page. WAFv2 returns a marker even on the last page: an empty page ends the walk. */
static int
acls_page(snd_task *t, const cJSON *page, void *ctx)
{
	scope_acls *sa = ctx;
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(page, "WebACLs"), *a;

	(void) t;
	cJSON_ArrayForEach(a, list)
		cJSON_AddItemToArray(sa->summaries, cJSON_Duplicate(a, 1));
	return cJSON_GetArraySize(list) > 0 ? 0 : 1;
}

/* One web ACL of the fan-out: GetWebACL and its companions, rows into its slots. */
static int
acl_item(snd_task *w, int i, void *ctx)
{
	scope_acls *sa = ctx;

	sa->acls[i] = cJSON_CreateArray();
	sa->rules[i] = cJSON_CreateArray();
	return acl_rows(w, sa->scope, cJSON_GetArrayItem(sa->summaries, i), sa->acls[i], sa->rules[i]) < 0 ? -1 : 0;
}

/* Moves every element of from (deleted) to the end of to. */
static void
append_all(cJSON *to, cJSON *from)
{
	cJSON *e;

	while (from != NULL && (e = cJSON_DetachItemFromArray(from, 0)) != NULL)
		cJSON_AddItemToArray(to, e);
	cJSON_Delete(from);
}

/*
 * Every web ACL of one scope, its calls made by clients of region (the
 * scope's home); returns -1 if the list failed.
 */
static int
scope_rows(snd_task *t, const char *scope, cJSON *acls, cJSON *rules, int *failed)
{
	char what[64];
	snd_op op = {"wafv2", JSON11, WAF_TARGET "ListWebACLs", NULL,
				 "NextMarker", NULL, "waf", what};
	scope_acls sa = {scope, cJSON_CreateArray(), NULL, NULL};
	cJSON *body = cJSON_CreateObject();
	int rc, n, i;

	snprintf(what, sizeof(what), "wafv2:ListWebACLs (%s)", scope);
	cJSON_AddStringToObject(body, "Scope", scope);
	cJSON_AddNumberToObject(body, "Limit", snd_page_size(t, 1, 100));
	rc = snd_pages(t, &op, body, acls_page, &sa);
	cJSON_Delete(body);
	n = cJSON_GetArraySize(sa.summaries);
	if (rc >= 0 && n > 0) {
		sa.acls = calloc((size_t) n, sizeof(*sa.acls));
		sa.rules = calloc((size_t) n, sizeof(*sa.rules));
		if (sa.acls == NULL || sa.rules == NULL) {
			snd_task_message(t, "waf", "out of memory");
			rc = -1;
		} else {
			int worst;

			/* a companion call that failed (recorded on a worker) leaves the part partial too */
			*failed |= snd_fanout(t, n, acl_item, &sa, &worst) > 0 || worst != SND_OK;
			for (i = 0; i < n; i++) {
				append_all(acls, sa.acls[i]);
				append_all(rules, sa.rules[i]);
			}
		}
		free(sa.acls);
		free(sa.rules);
	}
	cJSON_Delete(sa.summaries);
	return rc < 0 ? -1 : 0;
}

/* See sender.h. */
void
snd_collect_waf(snd_task *t)
{
	cJSON *acls = cJSON_CreateArray(), *rules = cJSON_CreateArray();
	mao_aws_client *regional = t->client;
	mao_err err;
	int lists_failed = 0, failed = 0;

	lists_failed += scope_rows(t, "REGIONAL", acls, rules, &failed) < 0;
	/* CloudFront's web ACLs live in us-east-1 */
	if (snd_task_client(t, "us-east-1", &err) != MAO_OK) {
		snd_task_message(t, "waf", err.msg);
		lists_failed++;
	} else {
		const char *home = t->client_region;

		t->client_region = "us-east-1";   /* for the fan-out's own clients too */
		lists_failed += scope_rows(t, "CLOUDFRONT", acls, rules, &failed) < 0;
		t->client_region = home;
		mao_aws_client_free(t->client);
	}
	t->client = regional;
	if (lists_failed == 2) {
		cJSON_Delete(acls);
		cJSON_Delete(rules);
		t->status2 = t->status;
		return;
	}
	t->value = acls;
	t->items = cJSON_GetArraySize(acls);
	t->value2 = rules;
	t->items2 = cJSON_GetArraySize(rules);
	/* a call that failed on the way (recorded in t->status) leaves the part partial */
	t->status = t->status2 = (lists_failed || failed || t->status != SND_OK) ? SND_PARTIAL : SND_OK;
}
