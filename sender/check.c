/*
 * check.c - `mao-sender check`: one read call per implemented service,
 * printed as a table (service, operation, result).  A call that AWS
 * answers with "not found" still proves the permission.
 */
#include "check.h"

#include <stdio.h>
#include <string.h>

enum probe_kind { PROBE_JSON, PROBE_QUERY, PROBE_REST, PROBE_XML };

typedef struct probe {
	const char *service;
	const char *operation;
	int kind;
	const char *a;            /* JSON: target; Query: action; REST: method */
	const char *b;            /* JSON: content type; Query: version; REST: path */
	const char *c;            /* JSON: body (NULL: built from the window); REST-XML: query; Query: extra
							   * parameters; REST: body, or for GET the query ("@window": the
							   * window as StartTime/EndTime) */
	const char *region;       /* NULL: the run's region; global services: their own */
} probe;

static const probe probes[] = {
	{"account", "GetAlternateContact", PROBE_REST, "POST", "/getAlternateContact",
	 "{\"AlternateContactType\":\"BILLING\"}", NULL},
	{"ec2", "DescribeInstances", PROBE_QUERY, "DescribeInstances", "2016-11-15", "MaxResults=5", NULL},
	{"ec2", "DescribeVolumes", PROBE_QUERY, "DescribeVolumes", "2016-11-15", "MaxResults=5", NULL},
	{"ec2", "DescribeSubnets", PROBE_QUERY, "DescribeSubnets", "2016-11-15", "MaxResults=5", NULL},
	{"rds", "DescribeDBInstances", PROBE_QUERY, "DescribeDBInstances", "2014-10-31", "MaxRecords=20", NULL},
	{"elasticloadbalancing", "DescribeLoadBalancers", PROBE_QUERY, "DescribeLoadBalancers",
	 "2015-12-01", "PageSize=1", NULL},
	{"autoscaling", "DescribeAutoScalingGroups", PROBE_QUERY, "DescribeAutoScalingGroups",
	 "2011-01-01", "MaxRecords=1", NULL},
	{"lambda", "ListFunctions", PROBE_REST, "GET", "/2015-03-31/functions/", NULL, NULL},
	{"s3", "ListBuckets", PROBE_XML, "GET", "/", "max-buckets=1", NULL},
	{"kms", "ListKeys", PROBE_JSON, "TrentService.ListKeys", "application/x-amz-json-1.1", "{\"Limit\":1}", NULL},
	{"secretsmanager", "ListSecrets", PROBE_JSON, "secretsmanager.ListSecrets",
	 "application/x-amz-json-1.1", "{\"MaxResults\":1}", NULL},
	{"acm", "ListCertificates", PROBE_JSON, "CertificateManager.ListCertificates",
	 "application/x-amz-json-1.1", "{\"MaxItems\":1}", NULL},
	{"cloudtrail", "DescribeTrails", PROBE_JSON,
	 "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.DescribeTrails",
	 "application/x-amz-json-1.1", "{}", NULL},
	{"wafv2", "ListWebACLs", PROBE_JSON, "AWSWAF_20190729.ListWebACLs", "application/x-amz-json-1.1",
	 "{\"Scope\":\"REGIONAL\",\"Limit\":1}", NULL},
	{"securityhub", "GetFindings", PROBE_REST, "POST", "/findings", "{\"MaxResults\":1}", NULL},
	{"guardduty", "ListDetectors", PROBE_REST, "GET", "/detector", NULL, NULL},
	{"inspector2", "ListFindings", PROBE_REST, "POST", "/findings/list", "{\"maxResults\":1}", NULL},
	/* the first call of `config` and `config_inventory`: denied, neither collects anything */
	{"config", "DescribeConfigurationRecorders", PROBE_JSON, "StarlingDoveService.DescribeConfigurationRecorders",
	 "application/x-amz-json-1.1", "{}", NULL},
	{"ssm", "DescribeInstanceInformation", PROBE_JSON, "AmazonSSM.DescribeInstanceInformation",
	 "application/x-amz-json-1.1", "{\"MaxResults\":5}", NULL},
	{"support", "DescribeCases", PROBE_JSON, "AWSSupport_20130415.DescribeCases",
	 "application/x-amz-json-1.1", "{\"maxResults\":10}", "us-east-1"},
	{"ce", "GetCostAndUsage", PROBE_JSON, "AWSInsightsIndexService.GetCostAndUsage",
	 "application/x-amz-json-1.1", NULL, "us-east-1"},
	{"compute-optimizer", "GetEC2InstanceRecommendations", PROBE_JSON,
	 "ComputeOptimizerService.GetEC2InstanceRecommendations", "application/x-amz-json-1.0",
	 "{\"maxResults\":1}", NULL},
	{"ec2", "DescribeReservedInstances", PROBE_QUERY, "DescribeReservedInstances", "2016-11-15",
	 "Filter.1.Name=state&Filter.1.Value.1=active", NULL},
	{"rds", "DescribeReservedDBInstances", PROBE_QUERY, "DescribeReservedDBInstances", "2014-10-31",
	 "MaxRecords=20", NULL},
	{"savingsplans", "DescribeSavingsPlans", PROBE_REST, "POST", "/DescribeSavingsPlans",
	 "{\"states\":[\"active\"],\"maxResults\":1}", "us-east-1"},
	{"ce", "GetReservationUtilization", PROBE_JSON, "AWSInsightsIndexService.GetReservationUtilization",
	 "application/x-amz-json-1.1", NULL, "us-east-1"},
	{"ce", "GetSavingsPlansUtilization", PROBE_JSON, "AWSInsightsIndexService.GetSavingsPlansUtilization",
	 "application/x-amz-json-1.1", NULL, "us-east-1"},
	{"support", "DescribeTrustedAdvisorChecks", PROBE_JSON, "AWSSupport_20130415.DescribeTrustedAdvisorChecks",
	 "application/x-amz-json-1.1", "{\"language\":\"en\"}", "us-east-1"},
	{"health", "DescribeEvents", PROBE_JSON, "AWSHealth_20160804.DescribeEvents",
	 "application/x-amz-json-1.1", "{\"maxResults\":10}", "us-east-1"},
	{"resiliencehub", "ListApps", PROBE_REST, "GET", "/list-apps", "maxResults=1", NULL},
	{"application-signals", "ListServices", PROBE_REST, "GET", "/services", "@window", NULL},
};

/* Runs one probe; returns MAO_OK when the permission works. */
static int
run_probe(snd_task *t, const probe *p, snd_fail *f)
{
	int rc;

	if (p->kind == PROBE_JSON) {
		cJSON *body = p->c ? cJSON_Parse(p->c) : cJSON_CreateObject(), *out = NULL;

		if (p->c == NULL) {   /* Cost Explorer: the run's window (and one metric for GetCostAndUsage) */
			cJSON *tp = cJSON_AddObjectToObject(body, "TimePeriod");

			cJSON_AddStringToObject(tp, "Start", t->s->date_from);
			cJSON_AddStringToObject(tp, "End", t->s->ce_end);
			cJSON_AddStringToObject(body, "Granularity", "DAILY");
			if (strcmp(p->operation, "GetCostAndUsage") == 0)
				cJSON_AddItemToArray(cJSON_AddArrayToObject(body, "Metrics"),
									 cJSON_CreateString("UnblendedCost"));
		}
		rc = snd_call_json(t, p->service, p->b, p->a, body, &out, f);
		cJSON_Delete(body);
		cJSON_Delete(out);
	} else if (p->kind == PROBE_QUERY) {
		snd_xml *x = NULL;

		rc = snd_call_query(t, p->service, p->a, p->b, p->c, &x, f);
		snd_xml_free(x);
	} else if (p->kind == PROBE_XML) {
		snd_xml *x = NULL;

		rc = snd_call_rest_xml(t, p->service, p->b, p->c, &x, f);
		snd_xml_free(x);
	} else if (strcmp(p->a, "GET") == 0) {
		cJSON *out = NULL;
		char q[128];

		if (p->c != NULL && strcmp(p->c, "@window") == 0)   /* Application Signals wants a time range */
			snprintf(q, sizeof(q), "StartTime=%sT00:00:00Z&EndTime=%sT00:00:00Z&MaxResults=1",
					 t->s->date_from, t->s->ce_end);
		else
			snprintf(q, sizeof(q), "%s", p->c ? p->c : "");
		rc = snd_call_rest_json(t, p->service, "GET", p->b, *q ? q : NULL, NULL, &out, f);
		cJSON_Delete(out);
	} else {
		cJSON *out = NULL;

		rc = snd_call_rest_json(t, p->service, p->a, p->b, NULL, p->c, &out, f);
		cJSON_Delete(out);
	}
	/* "nothing there" answers still prove the permission (no reservations: DataUnavailableException) */
	if (rc != MAO_OK && (strcmp(f->code, "ResourceNotFoundException") == 0
						 || strcmp(f->code, "DataUnavailableException") == 0))
		rc = MAO_OK;
	return rc;
}

/* See check.h. */
int
snd_check(snd_task *t, FILE *out)
{
	size_t i;
	int bad = 0;

	fprintf(out, "%-22s %-30s %s\n", "SERVICE", "OPERATION", "RESULT");
	fprintf(out, "%-22s %-30s %s\n", "sts", "GetCallerIdentity", "ok");
	for (i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
		snd_fail f;
		const char *what;
		int rc;

		memset(&f, 0, sizeof(f));
		if (probes[i].region != NULL) {
			snd_task g = *t;
			mao_err err;

			g.client = NULL;
			if (snd_task_client(&g, probes[i].region, &err) != MAO_OK) {
				f.rc = err.code;
				snprintf(f.msg, sizeof(f.msg), "%s", err.msg);
				rc = err.code;
			} else
				rc = run_probe(&g, &probes[i], &f);
			mao_aws_client_free(g.client);
		} else
			rc = run_probe(t, &probes[i], &f);
		if (rc == MAO_OK)
			what = "ok";
		else if (snd_fail_is_denied(&f))
			what = "DENIED";
		else if (snd_fail_is_not_enabled(&f))
			what = "NOT ENABLED";
		else
			what = "FAILED";
		if (strcmp(what, "ok") != 0)
			bad++;
		fprintf(out, "%-22s %-30s %s%s%s%s\n", probes[i].service, probes[i].operation, what,
				f.code[0] ? " (" : "", f.code, f.code[0] ? ")" : "");
	}
	fprintf(out, "%d of %d checks failed\n", bad, (int) (sizeof(probes) / sizeof(probes[0])) + 1);
	return bad;
}
