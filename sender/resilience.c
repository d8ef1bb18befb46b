/*
 * resilience.c - the `resilience_hub` section (document-format.md §4.9):
 * Resilience Hub ListApps (REST-JSON GET, every page; the reference read
 * one), keeping the applications created or assessed inside the window;
 * per application DescribeApp (its resiliency policy) and the newest
 * successful assessment (ListAppAssessments, newest first); per distinct
 * policy DescribeResiliencyPolicy, whose AZ-disruption targets are the
 * rpo and rto.  The per-application and per-policy calls go through the
 * worker pool (snd_fanout).
 *
 * Where the reference read attributes the APIs do not have:
 *   - last_assessment_time: AppSummary has no lastAssessmentTime; its
 *     lastAppComplianceEvaluationTime is the time of the last assessment
 *     (ListApps' own from/toLastAssessmentTime filters use it);
 *   - cost: the newest successful assessment's cost estimate
 *     ({amount, currency, frequency}), as a monthly amount;
 *   - last_drill: no Resilience Hub API records a drill having been run
 *     (test recommendations only propose them), so it stays null.
 */
#include "sender.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The kept applications and what the per-item calls found (slot i is item i's). */
typedef struct rh_run {
	cJSON *apps;              /* owned: kept AppSummary objects */
	double from, to;          /* the window, epoch seconds */
	char **policy;            /* per app: its policy ARN, or NULL */
	cJSON **cost;             /* per app: monthly cost estimate (number), or NULL */
	char **policies;          /* distinct policy ARNs */
	int n_policies;
	cJSON **rpo, **rto;       /* per distinct policy: AZ targets, or NULL */
} rh_run;

/* Non-zero if epoch-seconds member key of x falls in [from, to). */
static int
in_window(const cJSON *x, const char *key, double from, double to)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(x, key);

	return cJSON_IsNumber(v) && v->valuedouble >= from && v->valuedouble < to;
}

/* A ListApps page: the applications created or assessed inside the window. */
static int
apps_page(snd_task *t, const cJSON *page, void *ctx)
{
	rh_run *run = ctx;
	const cJSON *a;

	(void) t;
	cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(page, "appSummaries"))
		if (in_window(a, "creationTime", run->from, run->to)
			|| in_window(a, "lastAppComplianceEvaluationTime", run->from, run->to))
			cJSON_AddItemToArray(run->apps, cJSON_Duplicate(a, 1));
	return 0;
}

/* An assessment cost {amount, currency, frequency} as a monthly amount (730 hours a month), or NULL. */
static cJSON *
monthly_cost(const cJSON *cost)
{
	const cJSON *amount = cJSON_GetObjectItemCaseSensitive(cost, "amount");
	const char *freq = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(cost, "frequency"));
	double k;

	if (!cJSON_IsNumber(amount) || freq == NULL)
		return NULL;
	if (strcmp(freq, "Monthly") == 0)
		k = 1;
	else if (strcmp(freq, "Hourly") == 0)
		k = 730;
	else if (strcmp(freq, "Daily") == 0)
		k = 730.0 / 24.0;
	else if (strcmp(freq, "Yearly") == 0)
		k = 1.0 / 12.0;
	else
		return NULL;
	return cJSON_CreateNumber(amount->valuedouble * k);
}

/* A ListAppAssessments page (newest first): the first assessment with a cost ends the walk. */
static int
assessments_page(snd_task *t, const cJSON *page, void *ctx)
{
	cJSON **cost = ctx;
	const cJSON *a;

	(void) t;
	cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(page, "assessmentSummaries"))
		if ((*cost = monthly_cost(cJSON_GetObjectItemCaseSensitive(a, "cost"))) != NULL)
			return 1;
	return 0;
}

/* One application's policy ARN and cost (a fan-out item); non-zero after a denial. */
static int
app_details(snd_task *w, int i, void *ctx)
{
	static const snd_op list_assessments = {"resiliencehub", NULL, "/list-app-assessments", "GET",
											"nextToken", NULL, "resilience_hub",
											"resiliencehub:ListAppAssessments"};
	rh_run *run = ctx;
	const char *arn = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(run->apps, i),
																			  "appArn"));
	cJSON *body = cJSON_CreateObject(), *r = NULL;
	const char *policy;
	char *text;
	snd_fail f;
	int rc;

	cJSON_AddStringToObject(body, "appArn", arn ? arn : "");
	text = cJSON_PrintUnformatted(body);
	rc = snd_call_rest_json(w, "resiliencehub", "POST", "/describe-app", NULL, text ? text : "{}", &r, &f);
	free(text);
	if (rc != MAO_OK) {
		cJSON_Delete(body);
		snd_task_fail(w, "resilience_hub", "resiliencehub:DescribeApp", &f);
		return snd_fail_is_denied(&f) ? SND_ITEM_STOP : -1;
	}
	policy = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(r, "app"),
																	"policyArn"));
	if (policy != NULL && *policy)
		run->policy[i] = strdup(policy);
	cJSON_Delete(r);
	cJSON_AddItemToArray(cJSON_AddArrayToObject(body, "assessmentStatus"), cJSON_CreateString("Success"));
	cJSON_AddTrueToObject(body, "reverseOrder");
	cJSON_AddNumberToObject(body, "maxResults", snd_page_size(w, 1, 100));
	/* a failure is recorded on w by snd_pages; the cost then stays null */
	snd_pages(w, &list_assessments, body, assessments_page, &run->cost[i]);
	cJSON_Delete(body);
	return 0;
}

/* One distinct policy's AZ-disruption targets (a fan-out item); non-zero after a denial. */
static int
policy_targets(snd_task *w, int i, void *ctx)
{
	rh_run *run = ctx;
	cJSON *body = cJSON_CreateObject(), *r = NULL;
	const cJSON *az;
	char *text;
	snd_fail f;
	int rc;

	cJSON_AddStringToObject(body, "policyArn", run->policies[i]);
	text = cJSON_PrintUnformatted(body);
	cJSON_Delete(body);
	rc = snd_call_rest_json(w, "resiliencehub", "POST", "/describe-resiliency-policy", NULL, text ? text : "{}",
							&r, &f);
	free(text);
	if (rc != MAO_OK) {
		snd_task_fail(w, "resilience_hub", "resiliencehub:DescribeResiliencyPolicy", &f);
		return snd_fail_is_denied(&f) ? SND_ITEM_STOP : -1;
	}
	az = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(r, "policy"), "policy"), "AZ");
	if (cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(az, "rpoInSecs")))
		run->rpo[i] = snd_jcopy(az, "rpoInSecs");
	if (cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(az, "rtoInSecs")))
		run->rto[i] = snd_jcopy(az, "rtoInSecs");
	cJSON_Delete(r);
	return 0;
}

/* The index of policy arn among the distinct ones, or -1. */
static int
policy_index(const rh_run *run, const char *arn)
{
	int k;

	for (k = 0; arn != NULL && k < run->n_policies; k++)
		if (strcmp(run->policies[k], arn) == 0)
			return k;
	return -1;
}

/* An application's row. */
static cJSON *
app_row(const rh_run *run, int i)
{
	const cJSON *a = cJSON_GetArrayItem(run->apps, i);
	const cJSON *score = cJSON_GetObjectItemCaseSensitive(a, "resiliencyScore");
	int k = policy_index(run, run->policy[i]);
	cJSON *row = cJSON_CreateObject();

	cJSON_AddItemToObject(row, "app_arn", snd_jstr(a, "appArn"));
	cJSON_AddItemToObject(row, "name", snd_jstr(a, "name"));
	cJSON_AddItemToObject(row, "description", snd_jstr(a, "description"));
	cJSON_AddItemToObject(row, "creation_time", snd_jepoch(a, "creationTime"));
	cJSON_AddItemToObject(row, "last_assessment_time", snd_jepoch(a, "lastAppComplianceEvaluationTime"));
	cJSON_AddItemToObject(row, "compliance_status", snd_jstr(a, "complianceStatus"));
	cJSON_AddItemToObject(row, "resiliency_score",
						  cJSON_IsNumber(score) ? cJSON_CreateNumber(score->valuedouble) : cJSON_CreateNull());
	cJSON_AddItemToObject(row, "status", snd_jstr(a, "status"));
	cJSON_AddItemToObject(row, "rpo", k >= 0 && run->rpo[k] ? cJSON_Duplicate(run->rpo[k], 1) : cJSON_CreateNull());
	cJSON_AddItemToObject(row, "rto", k >= 0 && run->rto[k] ? cJSON_Duplicate(run->rto[k], 1) : cJSON_CreateNull());
	cJSON_AddNullToObject(row, "last_drill");
	cJSON_AddItemToObject(row, "cost", run->cost[i] ? cJSON_Duplicate(run->cost[i], 1) : cJSON_CreateNull());
	return row;
}

/* Frees what run owns. */
static void
run_free(rh_run *run, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		free(run->policy ? run->policy[i] : NULL);
		cJSON_Delete(run->cost ? run->cost[i] : NULL);
	}
	for (i = 0; i < run->n_policies; i++) {
		cJSON_Delete(run->rpo[i]);
		cJSON_Delete(run->rto[i]);
	}
	free(run->policy);
	free(run->cost);
	free(run->policies);   /* borrowed strings: they are run->policy's */
	free(run->rpo);
	free(run->rto);
	cJSON_Delete(run->apps);
}

/* See sender.h. */
void
snd_collect_resilience_hub(snd_task *t)
{
	static const snd_op list_apps = {"resiliencehub", NULL, "/list-apps", "GET", "nextToken", NULL,
									 "resilience_hub", "resiliencehub:ListApps"};
	cJSON *body = cJSON_CreateObject(), *rows;
	rh_run run;
	int n, i, worst = SND_OK;

	memset(&run, 0, sizeof(run));
	run.apps = cJSON_CreateArray();
	run.from = (double) snd_date_epoch(t->s->date_from);
	run.to = (double) snd_date_epoch(t->s->ce_end);
	cJSON_AddNumberToObject(body, "maxResults", snd_page_size(t, 1, 100));
	if (snd_pages(t, &list_apps, body, apps_page, &run) < 0) {
		cJSON_Delete(body);
		run_free(&run, 0);
		return;
	}
	cJSON_Delete(body);
	n = cJSON_GetArraySize(run.apps);
	run.policy = calloc((size_t) n + 1, sizeof(*run.policy));
	run.cost = calloc((size_t) n + 1, sizeof(*run.cost));
	run.policies = calloc((size_t) n + 1, sizeof(*run.policies));
	run.rpo = calloc((size_t) n + 1, sizeof(*run.rpo));
	run.rto = calloc((size_t) n + 1, sizeof(*run.rto));
	if (!run.policy || !run.cost || !run.policies || !run.rpo || !run.rto) {
		run_free(&run, 0);
		snd_task_message(t, "resilience_hub", "out of memory");
		t->status = SND_FAILED;
		return;
	}
	if (n > 0)
		snd_fanout(t, n, app_details, &run, &worst);
	for (i = 0; i < n; i++)   /* many applications share a policy: ask for each once */
		if (run.policy[i] != NULL && policy_index(&run, run.policy[i]) < 0)
			run.policies[run.n_policies++] = run.policy[i];
	if (run.n_policies > 0) {
		int w;

		snd_fanout(t, run.n_policies, policy_targets, &run, &w);

		if (w > worst)
			worst = w;
	}
	rows = cJSON_CreateArray();
	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(rows, app_row(&run, i));
	run_free(&run, n);
	/* the list is complete; details that could not be read leave nulls: partial */
	if (worst != SND_OK)
		t->status = SND_PARTIAL;
	t->items = cJSON_GetArraySize(rows);
	t->value = rows;
}
