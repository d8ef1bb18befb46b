/*
 * securityhub.c - the `security.security_hub` part: GetFindings (REST-JSON,
 * every page) in two passes as the reference asks them, findings created
 * in the window and still NEW, and findings updated in the window that are
 * RESOLVED, NOTIFIED or SUPPRESSED (both ACTIVE, this account, severity
 * CRITICAL to LOW); findings are deduplicated by Id and grouped by product,
 * largest group first (document-format.md §4.5).  Security Hub not enabled
 * (InvalidAccessException) marks the part skipped.
 */
#include "sender.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Adds {Value, Comparison EQUALS} filters for each of values to filters[key]. */
static void
add_equals(cJSON *filters, const char *key, const char *const *values)
{
	cJSON *arr = cJSON_AddArrayToObject(filters, key);

	for (; *values; values++) {
		cJSON *f = cJSON_CreateObject();
		cJSON_AddStringToObject(f, "Value", *values);
		cJSON_AddStringToObject(f, "Comparison", "EQUALS");
		cJSON_AddItemToArray(arr, f);
	}
}

/* The request body of one pass: date_key (CreatedAt/UpdatedAt) in the window, the statuses. */
static cJSON *
pass_body(const snd_settings *s, const char *date_key, const char *const *statuses, int page)
{
	static const char *const active[] = {"ACTIVE", NULL};
	static const char *const sev[] = {"CRITICAL", "HIGH", "MEDIUM", "LOW", NULL};
	const char *acct[2] = {s->account, NULL};
	cJSON *b = cJSON_CreateObject(), *f = cJSON_AddObjectToObject(b, "Filters"), *d, *range;
	char start[32], end[32];

	snprintf(start, sizeof(start), "%sT00:00:00Z", s->date_from);
	snprintf(end, sizeof(end), "%sT00:00:00Z", s->ce_end);
	d = cJSON_AddArrayToObject(f, date_key);
	range = cJSON_CreateObject();
	cJSON_AddStringToObject(range, "Start", start);
	cJSON_AddStringToObject(range, "End", end);
	cJSON_AddItemToArray(d, range);
	add_equals(f, "WorkflowStatus", statuses);
	add_equals(f, "RecordState", active);
	add_equals(f, "AwsAccountId", acct);
	add_equals(f, "SeverityLabel", sev);
	cJSON_AddNumberToObject(b, "MaxResults", page);
	return b;
}

/* A string at a/b inside o, or NULL. */
static const char *
jpath2(const cJSON *o, const char *a, const char *b)
{
	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(o, a), b));
}

/* A string or the default. */
static cJSON *
str_or(const char *v, const char *dflt)
{
	return v ? cJSON_CreateString(v) : dflt ? cJSON_CreateString(dflt) : cJSON_CreateNull();
}

/* One finding -> the 20-field row. */
static cJSON *
finding_row(const cJSON *x)
{
	const cJSON *res = cJSON_GetObjectItemCaseSensitive(x, "Resources");
	const cJSON *r0 = cJSON_IsArray(res) ? res->child : NULL;
	const char *rtype = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r0, "Type"));
	const cJSON *rem = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(x, "Remediation"),
														"Recommendation");
	const char *rec = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(rem, "Text"));
	const char *product = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(x, "ProductName"));
	cJSON *row = cJSON_CreateObject();

	cJSON_AddItemToObject(row, "finding_id", snd_jstr(x, "Id"));
	cJSON_AddItemToObject(row, "service", str_or(rtype, NULL));
	cJSON_AddItemToObject(row, "title", snd_jstr(x, "Title"));
	cJSON_AddItemToObject(row, "description", snd_jstr(x, "Description"));
	cJSON_AddItemToObject(row, "severity", str_or(jpath2(x, "Severity", "Label"), "UNKNOWN"));
	cJSON_AddItemToObject(row, "status", str_or(jpath2(x, "Workflow", "Status"), "OPEN"));
	cJSON_AddItemToObject(row, "resource_type", str_or(rtype, NULL));
	cJSON_AddItemToObject(row, "resource_id",
						  str_or(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r0, "Id")), NULL));
	cJSON_AddItemToObject(row, "created_at", snd_jstr(x, "CreatedAt"));
	cJSON_AddItemToObject(row, "updated_at", snd_jstr(x, "UpdatedAt"));
	cJSON_AddItemToObject(row, "recommendation", str_or(rec, NULL));
	cJSON_AddItemToObject(row, "compliance_status", str_or(jpath2(x, "Compliance", "Status"), NULL));
	cJSON_AddItemToObject(row, "region", snd_jstr(x, "Region"));
	cJSON_AddItemToObject(row, "workflow_state",
						  str_or(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(x, "WorkflowState")), ""));
	cJSON_AddItemToObject(row, "record_state",
						  str_or(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(x, "RecordState")), "ACTIVE"));
	cJSON_AddItemToObject(row, "product_name", str_or(product, NULL));
	cJSON_AddItemToObject(row, "company_name", snd_jstr(x, "CompanyName"));
	cJSON_AddItemToObject(row, "product_arn", snd_jstr(x, "ProductArn"));
	cJSON_AddItemToObject(row, "generator_id", snd_jstr(x, "GeneratorId"));
	cJSON_AddItemToObject(row, "generator", str_or(product, ""));
	return row;
}

/* Where one pass's findings go: new ones (by Id) are added to seen and rows. */
typedef struct pass_acc {
	cJSON *seen;
	cJSON *rows;
} pass_acc;

/* A GetFindings page. */
static int
findings_page(snd_task *t, const cJSON *page, void *ctx)
{
	pass_acc *acc = ctx;
	const cJSON *x;

	(void) t;
	cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(page, "Findings")) {
		const char *id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(x, "Id"));
		if (id == NULL || cJSON_GetObjectItemCaseSensitive(acc->seen, id))
			continue;
		cJSON_AddTrueToObject(acc->seen, id);
		cJSON_AddItemToArray(acc->rows, finding_row(x));
	}
	return 0;
}

/* Runs one pass (every page); -1 after a recorded failure. */
static int
run_pass(snd_task *t, const char *date_key, const char *const *statuses, cJSON *seen, cJSON *rows)
{
	static const snd_op get_findings = {"securityhub", NULL, "/findings", "POST", "NextToken", NULL,
										"security_hub", "securityhub:GetFindings"};
	cJSON *body = pass_body(t->s, date_key, statuses, snd_page_size(t, 1, 100));
	pass_acc acc = {seen, rows};
	int rc = snd_pages(t, &get_findings, body, findings_page, &acc);

	cJSON_Delete(body);
	return rc < 0 ? -1 : 0;
}

/* Orders groups by total_findings, largest first. */
static int
by_total_desc(const void *a, const void *b)
{
	int x = cJSON_GetObjectItemCaseSensitive(*(cJSON *const *) a, "total_findings")->valueint;
	int y = cJSON_GetObjectItemCaseSensitive(*(cJSON *const *) b, "total_findings")->valueint;

	return (x < y) - (x > y);
}

/* See sender.h. */
void
snd_collect_security_hub(snd_task *t)
{
	static const char *const new_only[] = {"NEW", NULL};
	static const char *const closed[] = {"RESOLVED", "NOTIFIED", "SUPPRESSED", NULL};
	cJSON *seen = cJSON_CreateObject(), *rows = cJSON_CreateArray(), *groups = cJSON_CreateObject();
	cJSON *out, *row, *g;
	cJSON **v;
	int n, i;

	if (run_pass(t, "CreatedAt", new_only, seen, rows) != 0
		|| run_pass(t, "UpdatedAt", closed, seen, rows) != 0) {
		cJSON_Delete(seen);
		cJSON_Delete(rows);
		cJSON_Delete(groups);
		return;
	}
	/* group by product */
	while ((row = cJSON_DetachItemFromArray(rows, 0)) != NULL) {
		const char *prod = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(row, "product_name"));
		const char *sev = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(row, "severity"));
		const char *st = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(row, "status"));
		cJSON *sc, *c;

		if (prod == NULL)
			prod = "";
		g = cJSON_GetObjectItemCaseSensitive(groups, prod);
		if (g == NULL) {
			g = cJSON_AddObjectToObject(groups, prod);
			cJSON_AddStringToObject(g, "service", prod);
			cJSON_AddNumberToObject(g, "total_findings", 0);
			sc = cJSON_AddObjectToObject(g, "severity_counts");
			cJSON_AddNumberToObject(sc, "CRITICAL", 0);
			cJSON_AddNumberToObject(sc, "HIGH", 0);
			cJSON_AddNumberToObject(sc, "MEDIUM", 0);
			cJSON_AddNumberToObject(sc, "LOW", 0);
			cJSON_AddNumberToObject(sc, "INFORMATIONAL", 0);
			cJSON_AddNumberToObject(g, "open_findings", 0);
			cJSON_AddNumberToObject(g, "resolved_findings", 0);
			cJSON_AddArrayToObject(g, "findings");
		}
		c = cJSON_GetObjectItemCaseSensitive(g, "total_findings");
		cJSON_SetNumberValue(c, c->valuedouble + 1);
		sc = cJSON_GetObjectItemCaseSensitive(g, "severity_counts");
		if (sev && (c = cJSON_GetObjectItemCaseSensitive(sc, sev)) != NULL)
			cJSON_SetNumberValue(c, c->valuedouble + 1);
		c = cJSON_GetObjectItemCaseSensitive(g, st && strcmp(st, "RESOLVED") == 0
											 ? "resolved_findings" : "open_findings");
		cJSON_SetNumberValue(c, c->valuedouble + 1);
		cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(g, "findings"), row);
		t->items++;
	}
	n = cJSON_GetArraySize(groups);
	out = cJSON_CreateArray();
	v = n ? malloc((size_t) n * sizeof(*v)) : NULL;
	if (v != NULL) {
		for (i = 0; i < n; i++) {
			v[i] = groups->child;
			cJSON_DetachItemViaPointer(groups, v[i]);
			free(v[i]->string);
			v[i]->string = NULL;
		}
		qsort(v, (size_t) n, sizeof(*v), by_total_desc);
		for (i = 0; i < n; i++)
			cJSON_AddItemToArray(out, v[i]);
		free(v);
	}
	cJSON_Delete(groups);
	cJSON_Delete(seen);
	cJSON_Delete(rows);
	t->value = out;
}
