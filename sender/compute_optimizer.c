/*
 * compute_optimizer.c - the `compute_optimizer` section: AWS Compute
 * Optimizer's EC2 instance, EBS volume and Lambda function recommendations
 * in the run's region (JSON 1.0, every page), one row of 19 fields per
 * resource from its first recommendation option (document-format.md §4.11).
 *
 * Where we differ from the reference: every page rather than the first;
 * cpu_utilization_max and memory_utilization_avg are the instance's
 * utilizationMetrics entries Cpu/Maximum and Memory/Average (null when the
 * API has none) where the reference always wrote 0; a Lambda row's
 * resource_name is the function's name taken from its ARN (the API has no
 * functionName member, so the reference's was always null).
 *
 * An account that has not opted in answers OptInRequiredException: the
 * section is skipped, with the reason in logs.message. A list that is
 * denied or fails leaves the other two (status partial).
 */
#include "sender.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define CO_TARGET "ComputeOptimizerService."
#define JSON10 "application/x-amz-json-1.0"

static const char *const row_keys[] = {
	"account_id", "resource_type", "resource_arn", "resource_name", "finding",
	"current_instance_type", "current_memory_size", "current_volume_type", "current_volume_size",
	"recommended_instance_type", "recommended_memory_size", "recommended_volume_type",
	"recommended_volume_size", "savings_opportunity_percentage", "estimated_monthly_savings_usd",
	"performance_risk", "cpu_utilization_max", "memory_utilization_avg", "migration_effort", NULL};

/* Member key of o. */
static const cJSON *
jget(const cJSON *o, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(o, key);
}

/* A number member of o as a new JSON number, or null. */
static cJSON *
jnum(const cJSON *o, const char *key)
{
	const cJSON *v = jget(o, key);

	return cJSON_IsNumber(v) ? cJSON_CreateNumber(v->valuedouble) : cJSON_CreateNull();
}

/* The first element of array member key of o, or NULL. */
static const cJSON *
first_of(const cJSON *o, const char *key)
{
	const cJSON *a = jget(o, key);

	return cJSON_IsArray(a) && cJSON_IsObject(a->child) ? a->child : NULL;
}

/* Sets field key of row r to v (takes v). */
static void
row_set(cJSON *r, const char *key, cJSON *v)
{
	cJSON_ReplaceItemInObjectCaseSensitive(r, key, v);
}

/*
 * A row with every field null but the resource's own; NULL (nothing to
 * write) when the recommendation has no ARN, the table's key.
 */
static cJSON *
row_new(const snd_task *t, const char *type, const cJSON *rec, const char *arn_key)
{
	const cJSON *arn = jget(rec, arn_key);
	cJSON *r;
	size_t i;

	if (!cJSON_IsString(arn) || *arn->valuestring == '\0')
		return NULL;
	r = cJSON_CreateObject();
	for (i = 0; row_keys[i]; i++)
		cJSON_AddNullToObject(r, row_keys[i]);
	row_set(r, "account_id", cJSON_CreateString(t->s->account));
	row_set(r, "resource_type", cJSON_CreateString(type));
	row_set(r, "resource_arn", cJSON_CreateString(arn->valuestring));
	row_set(r, "finding", snd_jstr(rec, "finding"));
	return r;
}

/* Savings of an option (NULL: no option): percentage and monthly USD; null when absent. */
static void
row_savings(cJSON *r, const cJSON *opt)
{
	const cJSON *so = jget(opt, "savingsOpportunity");

	row_set(r, "savings_opportunity_percentage", jnum(so, "savingsOpportunityPercentage"));
	row_set(r, "estimated_monthly_savings_usd", jnum(jget(so, "estimatedMonthlySavings"), "value"));
}

/* The value of the utilisation metric name/statistic (case-insensitive), or null. */
static cJSON *
metric(const cJSON *rec, const char *name, const char *statistic)
{
	const cJSON *m;

	cJSON_ArrayForEach(m, jget(rec, "utilizationMetrics")) {
		const char *n = cJSON_GetStringValue(jget(m, "name"));
		const char *s = cJSON_GetStringValue(jget(m, "statistic"));
		const cJSON *v = jget(m, "value");

		if (n && s && cJSON_IsNumber(v) && strcasecmp(n, name) == 0 && strcasecmp(s, statistic) == 0)
			return cJSON_CreateNumber(v->valuedouble);
	}
	return cJSON_CreateNull();
}

/* A GetEC2InstanceRecommendations page -> EC2 rows. */
static int
ec2_page(snd_task *t, const cJSON *page, void *ctx)
{
	const cJSON *rec;

	cJSON_ArrayForEach(rec, jget(page, "instanceRecommendations")) {
		const cJSON *opt = first_of(rec, "recommendationOptions");
		cJSON *r = row_new(t, "EC2", rec, "instanceArn");

		if (r == NULL)
			continue;
		row_set(r, "resource_name", snd_jstr(rec, "instanceName"));
		row_set(r, "current_instance_type", snd_jstr(rec, "currentInstanceType"));
		if (opt) {
			row_set(r, "recommended_instance_type", snd_jstr(opt, "instanceType"));
			row_savings(r, opt);
			row_set(r, "performance_risk", jnum(opt, "performanceRisk"));
		}
		row_set(r, "cpu_utilization_max", metric(rec, "Cpu", "Maximum"));
		row_set(r, "memory_utilization_avg", metric(rec, "Memory", "Average"));
		cJSON_AddItemToArray((cJSON *) ctx, r);
	}
	return 0;
}

/* A GetEBSVolumeRecommendations page -> EBS rows. */
static int
ebs_page(snd_task *t, const cJSON *page, void *ctx)
{
	const cJSON *rec;

	cJSON_ArrayForEach(rec, jget(page, "volumeRecommendations")) {
		const cJSON *opt = first_of(rec, "volumeRecommendationOptions");
		const cJSON *cur = jget(rec, "currentConfiguration");
		cJSON *r = row_new(t, "EBS", rec, "volumeArn");

		if (r == NULL)
			continue;
		row_set(r, "current_volume_type", snd_jstr(cur, "volumeType"));
		row_set(r, "current_volume_size", jnum(cur, "volumeSize"));
		if (opt) {
			const cJSON *conf = jget(opt, "configuration");

			row_set(r, "recommended_volume_type", snd_jstr(conf, "volumeType"));
			row_set(r, "recommended_volume_size", jnum(conf, "volumeSize"));
			row_savings(r, opt);
			row_set(r, "performance_risk", jnum(opt, "performanceRisk"));
		}
		cJSON_AddItemToArray((cJSON *) ctx, r);
	}
	return 0;
}

/* A Lambda function's name: functionName if the API gave one, else the ARN's function segment. */
static cJSON *
lambda_name(const cJSON *rec)
{
	const char *n = cJSON_GetStringValue(jget(rec, "functionName"));
	const char *arn = cJSON_GetStringValue(jget(rec, "functionArn"));
	const char *p, *end;

	if (n)
		return cJSON_CreateString(n);
	/* arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER] */
	p = arn ? strstr(arn, ":function:") : NULL;
	if (p == NULL)
		return cJSON_CreateNull();
	p += strlen(":function:");
	end = strchr(p, ':');
	{
		size_t len = end ? (size_t) (end - p) : strlen(p);
		char *name = malloc(len + 1);
		cJSON *v;

		if (name == NULL)
			return cJSON_CreateNull();
		memcpy(name, p, len);
		name[len] = '\0';
		v = cJSON_CreateString(name);
		free(name);
		return v;
	}
}

/* A GetLambdaFunctionRecommendations page -> Lambda rows. */
static int
lambda_page(snd_task *t, const cJSON *page, void *ctx)
{
	const cJSON *rec;

	cJSON_ArrayForEach(rec, jget(page, "lambdaFunctionRecommendations")) {
		const cJSON *opt = first_of(rec, "memorySizeRecommendationOptions");
		cJSON *r = row_new(t, "Lambda", rec, "functionArn");

		if (r == NULL)
			continue;
		row_set(r, "resource_name", lambda_name(rec));
		row_set(r, "current_memory_size", jnum(rec, "currentMemorySize"));
		if (opt) {
			row_set(r, "recommended_memory_size", jnum(opt, "memorySize"));
			row_savings(r, opt);
		}
		cJSON_AddItemToArray((cJSON *) ctx, r);
	}
	return 0;
}

/* See sender.h. */
void
snd_collect_compute_optimizer(snd_task *t)
{
	static const struct {
		snd_op op;
		snd_page_fn fn;
	} lists[] = {
		{{"compute-optimizer", JSON10, CO_TARGET "GetEC2InstanceRecommendations", NULL, "nextToken", NULL,
		  "compute_optimizer", "compute-optimizer:GetEC2InstanceRecommendations"}, ec2_page},
		{{"compute-optimizer", JSON10, CO_TARGET "GetEBSVolumeRecommendations", NULL, "nextToken", NULL,
		  "compute_optimizer", "compute-optimizer:GetEBSVolumeRecommendations"}, ebs_page},
		{{"compute-optimizer", JSON10, CO_TARGET "GetLambdaFunctionRecommendations", NULL, "nextToken", NULL,
		  "compute_optimizer", "compute-optimizer:GetLambdaFunctionRecommendations"}, lambda_page},
	};
	const int n = (int) (sizeof(lists) / sizeof(lists[0]));
	cJSON *rows = cJSON_CreateArray();
	int i, failed = 0, not_enabled = 0;

	for (i = 0; i < n && !not_enabled; i++) {
		cJSON *body = cJSON_CreateObject();

		cJSON_AddNumberToObject(body, "maxResults", snd_page_size(t, 1, 1000));
		t->status = SND_OK;
		if (snd_pages(t, &lists[i].op, body, lists[i].fn, rows) < 0) {
			/* snd_task_fail said why; SKIPPED means not opted in (the whole service) */
			if (t->status == SND_SKIPPED)
				not_enabled = 1;
			else
				failed++;
		}
		cJSON_Delete(body);
	}
	if (not_enabled || failed == n) {
		cJSON_Delete(rows);
		t->status = not_enabled ? SND_SKIPPED : SND_FAILED;
		return;
	}
	t->items = cJSON_GetArraySize(rows);
	t->value = rows;
	t->status = failed ? SND_PARTIAL : SND_OK;
}
