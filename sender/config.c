/*
 * config.c - the `config` section (AWS Config rules and their evaluation
 * results, document-format.md §4.2) and the `config_inventory` section (the
 * resources AWS Config records, in the config_inventory table's shape).  All
 * AWS Config calls are JSON 1.1 (StarlingDoveService.<Op>), every page.
 *
 * Both first ask DescribeConfigurationRecorders: an account without a
 * configuration recorder in the region has not enabled AWS Config, and the
 * other operations would answer empty lists (not an error), so that is the
 * one place the API says "not enabled"; both sections are then skipped with
 * the reason in logs.message.
 *
 * config: the rule-to-pack map (DescribeConformancePacks, then
 * DescribeConformancePackCompliance per pack), the rules whose compliance is
 * COMPLIANT or NON_COMPLIANT (DescribeComplianceByConfigRule), and per rule
 * GetComplianceDetailsByConfigRule for the rule's current compliance type
 * (as the reference asks it), every page instead of the reference's first
 * 50, keeping the results recorded inside the window [date_from, ce_end):
 * for DAILY that is the window's one day (the reference's start_date
 * 00:00:00..23:59:59), for WEEKLY and MONTHLY the whole window, so that a
 * weekly or monthly document covers its period and consecutive ones neither
 * overlap nor leave gaps.  Per-pack and per-rule calls are fanned out.
 *
 * config_inventory: SelectResourceConfig (advanced query) over every
 * recorded resource type except Config's own compliance records, one row
 * per current, not deleted resource.
 */
#include "sender.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JSON11 "application/x-amz-json-1.1"
#define CFG "StarlingDoveService."

/*
 * 1 when a configuration recorder exists; 0 when none does (the task is
 * skipped, the reason said under area); -1 after a recorded failure.
 */
static int
recorder_present(snd_task *t, const char *area)
{
	cJSON *r = NULL;
	snd_fail f;
	int n;
	char text[256];

	if (snd_call_json(t, "config", JSON11, CFG "DescribeConfigurationRecorders", NULL, &r, &f) != MAO_OK) {
		if (strcmp(f.code, "NoSuchConfigurationRecorderException") != 0) {
			snd_task_fail(t, area, "config:DescribeConfigurationRecorders", &f);
			return -1;
		}
		n = 0;
	} else {
		n = cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r, "ConfigurationRecorders"));
		cJSON_Delete(r);
	}
	if (n > 0)
		return 1;
	snprintf(text, sizeof(text), "config:DescribeConfigurationRecorders: AWS Config is not enabled in %s "
			 "(no configuration recorder); not collected", t->s->region);
	snd_task_message(t, area, text);
	t->status = SND_SKIPPED;
	return 0;
}

/* ---- config ---------------------------------------------------------------- */

/* The conformance packs (names) and, per pack, its rules. */
typedef struct packs {
	cJSON *names;             /* array of pack names */
	cJSON **rules;            /* per pack: array of rule names (NULL: its listing failed) */
} packs;

/* A DescribeConformancePacks page: the pack names. */
static int
packs_page(snd_task *t, const cJSON *page, void *ctx)
{
	const cJSON *p;

	(void) t;
	cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(page, "ConformancePackDetails")) {
		const char *name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(p, "ConformancePackName"));
		if (name)
			cJSON_AddItemToArray((cJSON *) ctx, cJSON_CreateString(name));
	}
	return 0;
}

/* A DescribeConformancePackCompliance page: the pack's rule names. */
static int
pack_rules_page(snd_task *t, const cJSON *page, void *ctx)
{
	const cJSON *r;

	(void) t;
	cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(page, "ConformancePackRuleComplianceList")) {
		const char *name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r, "ConfigRuleName"));
		if (name)
			cJSON_AddItemToArray((cJSON *) ctx, cJSON_CreateString(name));
	}
	return 0;
}

/* One pack's rules (fan-out item). */
static int
pack_item(snd_task *w, int i, void *ctx)
{
	static const snd_op op = {"config", JSON11, CFG "DescribeConformancePackCompliance", NULL, "NextToken",
							  NULL, "config", "config:DescribeConformancePackCompliance"};
	packs *p = ctx;
	cJSON *body = cJSON_CreateObject(), *rules = cJSON_CreateArray();
	int rc;

	cJSON_AddStringToObject(body, "ConformancePackName", cJSON_GetArrayItem(p->names, i)->valuestring);
	cJSON_AddNumberToObject(body, "Limit", snd_page_size(w, 1, 1000));
	rc = snd_item_pages(w, &op, body, "NoSuchConformancePackException", pack_rules_page, rules);
	cJSON_Delete(body);
	if (rc < 0) {
		cJSON_Delete(rules);
		return -1;
	}
	p->rules[i] = rules;
	return 0;
}

/* A rule, its current compliance and what was found for it. */
typedef struct rule {
	char *name;
	int compliant;            /* 1 COMPLIANT, 0 NON_COMPLIANT */
	const char *pack;         /* borrowed from the pack list; NULL: standalone */
	cJSON *rows;              /* its evaluation results inside the window */
	int failed;
} rule;

/* What the per-rule items share. */
typedef struct rules {
	rule *v;
	int n, cap;
	double from, to;          /* the window, epoch seconds, [from, to) */
	int packs_known;          /* every pack's rules could be listed */
} rules;

/* A DescribeComplianceByConfigRule page: the rules. */
static int
compliance_page(snd_task *t, const cJSON *page, void *ctx)
{
	rules *rs = ctx;
	const cJSON *c;

	(void) t;
	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(page, "ComplianceByConfigRules")) {
		const char *name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "ConfigRuleName"));
		const cJSON *cp = cJSON_GetObjectItemCaseSensitive(c, "Compliance");
		const char *type = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(cp, "ComplianceType"));

		if (name == NULL || type == NULL
			|| (strcmp(type, "COMPLIANT") != 0 && strcmp(type, "NON_COMPLIANT") != 0))
			continue;
		if (rs->n == rs->cap) {
			int cap = rs->cap ? rs->cap * 2 : 64;
			rule *v = realloc(rs->v, (size_t) cap * sizeof(*v));

			if (v == NULL)
				return -1;
			rs->v = v;
			rs->cap = cap;
		}
		memset(&rs->v[rs->n], 0, sizeof(rs->v[rs->n]));
		rs->v[rs->n].name = strdup(name);
		rs->v[rs->n].compliant = strcmp(type, "COMPLIANT") == 0;
		if (rs->v[rs->n].name == NULL)
			return -1;
		rs->n++;
	}
	return 0;
}

/* One page of a rule's evaluation results. */
typedef struct details_acc {
	rules *rs;
	rule *r;
} details_acc;

/* A GetComplianceDetailsByConfigRule page: the results recorded inside the window. */
static int
details_page(snd_task *t, const cJSON *page, void *ctx)
{
	details_acc *a = ctx;
	const cJSON *x;

	(void) t;
	cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(page, "EvaluationResults")) {
		const cJSON *when = cJSON_GetObjectItemCaseSensitive(x, "ResultRecordedTime");
		const cJSON *q = cJSON_GetObjectItemCaseSensitive(
			cJSON_GetObjectItemCaseSensitive(x, "EvaluationResultIdentifier"), "EvaluationResultQualifier");
		cJSON *row;

		if (!cJSON_IsNumber(when) || when->valuedouble < a->rs->from || when->valuedouble >= a->rs->to)
			continue;
		row = cJSON_CreateObject();
		cJSON_AddItemToObject(row, "rule_name", snd_fit(a->r->name, 255));
		cJSON_AddItemToObject(row, "resource_id", snd_jfit(q, "ResourceId", 1024));
		cJSON_AddItemToObject(row, "resource_type", snd_jfit(q, "ResourceType", 255));
		cJSON_AddItemToObject(row, "config_rule_invoked_time", snd_jepoch(x, "ResultRecordedTime"));
		cJSON_AddItemToObject(row, "conformance_pack",
							  a->r->pack ? cJSON_CreateString(a->r->pack)
							  : a->rs->packs_known ? cJSON_CreateString("Standalone") : cJSON_CreateNull());
		cJSON_AddItemToObject(row, "compliance_type", snd_jfit(x, "ComplianceType", 50));
		cJSON_AddItemToObject(row, "annotation", snd_jstr(x, "Annotation"));
		cJSON_AddItemToObject(row, "evaluation_mode", snd_jstr(q, "EvaluationMode"));
		cJSON_AddItemToArray(a->r->rows, row);
	}
	return 0;
}

/* One rule's evaluation results (fan-out item). */
static int
rule_item(snd_task *w, int i, void *ctx)
{
	static const snd_op op = {"config", JSON11, CFG "GetComplianceDetailsByConfigRule", NULL, "NextToken",
							  NULL, "config", "config:GetComplianceDetailsByConfigRule"};
	rules *rs = ctx;
	rule *r = &rs->v[i];
	details_acc a = {rs, r};
	cJSON *body = cJSON_CreateObject();
	int rc;

	r->rows = cJSON_CreateArray();
	cJSON_AddStringToObject(body, "ConfigRuleName", r->name);
	cJSON_AddItemToArray(cJSON_AddArrayToObject(body, "ComplianceTypes"),
						 cJSON_CreateString(r->compliant ? "COMPLIANT" : "NON_COMPLIANT"));
	cJSON_AddNumberToObject(body, "Limit", snd_page_size(w, 1, 100));
	rc = snd_item_pages(w, &op, body, "NoSuchConfigRuleException", details_page, &a);
	cJSON_Delete(body);
	r->failed = rc < 0;
	return rc < 0 ? -1 : 0;
}

/* Frees the rule list. */
static void
rules_free(rules *rs)
{
	int i;

	for (i = 0; i < rs->n; i++) {
		free(rs->v[i].name);
		cJSON_Delete(rs->v[i].rows);
	}
	free(rs->v);
}

/* See sender.h. */
void
snd_collect_config(snd_task *t)
{
	static const snd_op list_packs = {"config", JSON11, CFG "DescribeConformancePacks", NULL, "NextToken",
									  NULL, "config", "config:DescribeConformancePacks"};
	static const snd_op list_rules = {"config", JSON11, CFG "DescribeComplianceByConfigRule", NULL,
									  "NextToken", NULL, "config", "config:DescribeComplianceByConfigRule"};
	const snd_settings *s = t->s;
	packs p = {cJSON_CreateArray(), NULL};
	rules rs;
	cJSON *body, *out, *rows;
	int i, k, n_packs, compliant = 0, non_compliant = 0, curr_c = 0, curr_nc = 0, partial = 0;

	memset(&rs, 0, sizeof(rs));
	rs.from = (double) snd_date_epoch(s->date_from);
	rs.to = (double) snd_date_epoch(s->ce_end);
	if (recorder_present(t, "config") <= 0) {
		cJSON_Delete(p.names);
		return;
	}

	/* the rule-to-pack map; if it cannot be read, rows name no pack (null) instead of a wrong one */
	body = cJSON_CreateObject();
	cJSON_AddNumberToObject(body, "Limit", snd_page_size(t, 1, 20));
	{
		snd_task pt = *t;     /* its failure is said, but makes the section partial, not failed */

		rs.packs_known = snd_pages(&pt, &list_packs, body, packs_page, p.names) >= 0;
	}
	cJSON_Delete(body);
	n_packs = cJSON_GetArraySize(p.names);
	p.rules = n_packs ? calloc((size_t) n_packs, sizeof(*p.rules)) : NULL;
	if (n_packs && p.rules == NULL)
		n_packs = 0, rs.packs_known = 0;
	if (snd_fanout(t, n_packs, pack_item, &p, NULL) > 0)
		rs.packs_known = 0;
	partial |= !rs.packs_known;

	/* the rules, COMPLIANT or NON_COMPLIANT now */
	body = cJSON_CreateObject();
	{
		cJSON *types = cJSON_AddArrayToObject(body, "ComplianceTypes");

		cJSON_AddItemToArray(types, cJSON_CreateString("COMPLIANT"));
		cJSON_AddItemToArray(types, cJSON_CreateString("NON_COMPLIANT"));
	}
	if (snd_pages(t, &list_rules, body, compliance_page, &rs) < 0) {
		cJSON_Delete(body);
		if (t->status == SND_OK) {   /* stopped by the page callback: out of memory */
			snd_task_message(t, "config", "config:DescribeComplianceByConfigRule: out of memory");
			t->status = SND_FAILED;
		}
		goto done;
	}
	cJSON_Delete(body);
	for (i = 0; i < rs.n; i++) {
		for (k = 0; k < n_packs && rs.v[i].pack == NULL; k++) {
			const cJSON *r;

			cJSON_ArrayForEach(r, p.rules[k])
				if (strcmp(r->valuestring, rs.v[i].name) == 0) {
					rs.v[i].pack = cJSON_GetArrayItem(p.names, k)->valuestring;
					break;
				}
		}
		if (rs.v[i].compliant)
			compliant++;
		else
			non_compliant++;
	}

	/* every rule's results inside the window */
	partial |= snd_fanout(t, rs.n, rule_item, &rs, NULL) > 0;
	rows = cJSON_CreateArray();
	for (i = 0; i < rs.n; i++) {
		cJSON *row;

		if (cJSON_GetArraySize(rs.v[i].rows) > 0) {
			if (rs.v[i].compliant)
				curr_c++;
			else
				curr_nc++;
		}
		while (rs.v[i].rows && (row = cJSON_DetachItemFromArray(rs.v[i].rows, 0)) != NULL)
			cJSON_AddItemToArray(rows, row);
	}
	out = cJSON_CreateObject();
	cJSON_AddStringToObject(out, "date_from", s->date_from);
	cJSON_AddStringToObject(out, "date_to", s->date_to);
	cJSON_AddNumberToObject(out, "compliance_score", compliant + non_compliant == 0 ? 0
							: round(100.0 * compliant / (compliant + non_compliant) * 100.0) / 100.0);
	cJSON_AddNumberToObject(out, "total_rules", compliant + non_compliant);
	cJSON_AddNumberToObject(out, "compliant_rules", compliant);
	cJSON_AddNumberToObject(out, "non_compliant_rules", non_compliant);
	cJSON_AddNumberToObject(out, "curr_non_compliant", curr_nc);
	cJSON_AddNumberToObject(out, "curr_compliant", curr_c);
	t->items = cJSON_GetArraySize(rows);
	cJSON_AddItemToObject(out, "non_compliant_resources", rows);
	t->value = out;
	if (partial && t->status < SND_PARTIAL)
		t->status = SND_PARTIAL;
done:
	for (k = 0; k < n_packs; k++)
		cJSON_Delete(p.rules[k]);
	free(p.rules);
	cJSON_Delete(p.names);
	rules_free(&rs);
}

/* ---- config_inventory ------------------------------------------------------ */

/*
 * The advanced query: the table's columns from the properties that carry
 * them (AWS Config resource schema): EC2 instances, EBS volumes, subnets,
 * VPCs, RDS instances, load balancers, Auto Scaling groups, and the common
 * ones of every type.  A property a type does not have is simply absent
 * from its result.
 */
static const char inventory_query[] =
	"SELECT resourceId, resourceType, resourceName, awsRegion, availabilityZone, resourceCreationTime, "
	"configurationItemStatus, configuration.instanceType, configuration.state.name, "
	"configuration.state.value, configuration.state.code, configuration.dBInstanceStatus, "
	"configuration.status, configuration.vpcId, configuration.dBSubnetGroup.vpcId, "
	"configuration.dBInstanceClass, configuration.engine, configuration.multiAZ, "
	"configuration.allocatedStorage, configuration.size, configuration.volumeType, configuration.scheme, "
	"configuration.type, configuration.instances.instanceId, configuration.minSize, configuration.maxSize, "
	"configuration.availableIpAddressCount "
	"WHERE NOT resourceType = 'AWS::Config::ResourceCompliance' "
	"AND NOT resourceType = 'AWS::Config::ConformancePackCompliance'";

/* A string member, or NULL. */
static const char *
jget(const cJSON *o, const char *key)
{
	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, key));
}

/* A whole number member that fits an int4 column, as a JSON number, or null. */
static cJSON *
jint4(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	double d;

	if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble))
		return cJSON_CreateNull();
	d = round(v->valuedouble);
	return d >= -2147483648.0 && d <= 2147483647.0 ? cJSON_CreateNumber(d) : cJSON_CreateNull();
}

/* Non-zero if s is an ISO-8601 date-time the loader reads (YYYY-MM-DDTHH:MM[:SS[.f]][Z|±HH[:]MM]). */
static int
iso_datetime(const char *s)
{
	int y, mo, d, h, mi, n = 0;

	if (s == NULL || sscanf(s, "%4d-%2d-%2dT%2d:%2d%n", &y, &mo, &d, &h, &mi, &n) != 5 || n != 16)
		return 0;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59)
		return 0;
	s += n;
	if (*s == ':') {
		if (!(s[1] >= '0' && s[1] <= '5' && s[2] >= '0' && s[2] <= '9'))
			return 0;
		s += 3;
		if (*s == '.') {
			int k = 0;

			for (s++; *s >= '0' && *s <= '9'; s++)
				k++;
			if (k < 1 || k > 9)
				return 0;
		}
	}
	if (*s == 'Z')
		return s[1] == '\0';
	if (*s == '+' || *s == '-') {
		if (strlen(s) == 6 && s[3] == ':')
			return s[1] >= '0' && s[1] <= '1' && s[4] >= '0' && s[4] <= '5';
		if (strlen(s) == 5)
			return s[1] >= '0' && s[1] <= '1' && s[3] >= '0' && s[3] <= '5';
		return 0;
	}
	return *s == '\0';
}

/* The inventory's rows and what was left out. */
typedef struct inv_acc {
	cJSON *rows;
	int long_ids;
} inv_acc;

/* One advanced-query result (a JSON text) -> a config_inventory row, or NULL (left out). */
static cJSON *
inventory_row(const cJSON *res, inv_acc *acc)
{
	const cJSON *c = cJSON_GetObjectItemCaseSensitive(res, "configuration");
	const cJSON *st = cJSON_GetObjectItemCaseSensitive(c, "state");
	const cJSON *insts = cJSON_GetObjectItemCaseSensitive(c, "instances");
	const char *type = jget(res, "resourceType"), *id = jget(res, "resourceId");
	const char *status = jget(res, "configurationItemStatus"), *state = NULL, *vpc, *created;
	cJSON *row;

	if (type == NULL || *type == '\0' || id == NULL || *id == '\0')
		return NULL;
	if (strncmp(type, "AWS::Config::", 13) == 0
		&& (strcmp(type + 13, "ResourceCompliance") == 0 || strcmp(type + 13, "ConformancePackCompliance") == 0))
		return NULL;          /* compliance records, not resources */
	if (status && (strcmp(status, "ResourceDeleted") == 0 || strcmp(status, "ResourceDeletedNotRecorded") == 0))
		return NULL;
	if (strlen(id) > 255 || strlen(type) > 255) {   /* the key would not fit: leave it out, say how many */
		acc->long_ids++;
		return NULL;
	}
	if (cJSON_IsString(st))
		state = st->valuestring;
	else if (cJSON_IsObject(st)) {
		state = jget(st, "name");
		if (state == NULL)
			state = jget(st, "value");
		if (state == NULL)
			state = jget(st, "code");
	}
	if (state == NULL)
		state = jget(c, "dBInstanceStatus");
	if (state == NULL)
		state = jget(c, "status");
	vpc = jget(c, "vpcId");
	if (vpc == NULL)
		vpc = jget(cJSON_GetObjectItemCaseSensitive(c, "dBSubnetGroup"), "vpcId");
	created = jget(res, "resourceCreationTime");

	row = cJSON_CreateObject();
	cJSON_AddItemToObject(row, "resource_type", cJSON_CreateString(type));
	cJSON_AddNullToObject(row, "resource_subtype");
	cJSON_AddItemToObject(row, "resource_id", cJSON_CreateString(id));
	cJSON_AddItemToObject(row, "resource_name", snd_jfit(res, "resourceName", 255));
	cJSON_AddItemToObject(row, "region", snd_jfit(res, "awsRegion", 50));
	cJSON_AddItemToObject(row, "availability_zone", snd_jfit(res, "availabilityZone", 50));
	cJSON_AddItemToObject(row, "state", snd_fit(state, 50));
	cJSON_AddItemToObject(row, "instance_type", snd_jfit(c, "instanceType", 50));
	cJSON_AddItemToObject(row, "instance_class", snd_jfit(c, "dBInstanceClass", 100));
	cJSON_AddItemToObject(row, "engine", snd_jfit(c, "engine", 100));
	cJSON_AddItemToObject(row, "vpc_id", snd_fit(vpc, 255));
	cJSON_AddItemToObject(row, "size_gb", strcmp(type, "AWS::EC2::Volume") == 0 ? jint4(c, "size")
						  : strcmp(type, "AWS::RDS::DBInstance") == 0 ? jint4(c, "allocatedStorage")
						  : cJSON_CreateNull());
	cJSON_AddItemToObject(row, "volume_type", snd_jfit(c, "volumeType", 50));
	cJSON_AddItemToObject(row, "creation_date", iso_datetime(created) ? cJSON_CreateString(created)
						  : cJSON_CreateNull());
	cJSON_AddItemToObject(row, "multi_az", cJSON_IsBool(cJSON_GetObjectItemCaseSensitive(c, "multiAZ"))
						  ? cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(c, "multiAZ"), 0)
						  : cJSON_CreateNull());
	cJSON_AddItemToObject(row, "scheme", snd_jfit(c, "scheme", 50));
	cJSON_AddItemToObject(row, "type", snd_jfit(c, "type", 100));
	cJSON_AddItemToObject(row, "instance_count", cJSON_IsArray(insts) ? cJSON_CreateNumber(cJSON_GetArraySize(insts))
						  : strcmp(type, "AWS::AutoScaling::AutoScalingGroup") == 0 ? cJSON_CreateNumber(0)
						  : cJSON_CreateNull());
	cJSON_AddItemToObject(row, "min_size", jint4(c, "minSize"));
	cJSON_AddItemToObject(row, "max_size", jint4(c, "maxSize"));
	cJSON_AddItemToObject(row, "available_ip_count", jint4(c, "availableIpAddressCount"));
	return row;
}

/* A SelectResourceConfig page: its results (JSON texts). */
static int
select_page(snd_task *t, const cJSON *page, void *ctx)
{
	inv_acc *acc = ctx;
	const cJSON *x;

	(void) t;
	cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(page, "Results")) {
		cJSON *res, *row;

		if (!cJSON_IsString(x) || (res = cJSON_Parse(x->valuestring)) == NULL)
			continue;
		row = inventory_row(res, acc);
		cJSON_Delete(res);
		if (row)
			cJSON_AddItemToArray(acc->rows, row);
	}
	return 0;
}

/* See sender.h. */
void
snd_collect_config_inventory(snd_task *t)
{
	static const snd_op select = {"config", JSON11, CFG "SelectResourceConfig", NULL, "NextToken", NULL,
								  "config_inventory", "config:SelectResourceConfig"};
	inv_acc acc = {NULL, 0};
	cJSON *body;

	if (recorder_present(t, "config_inventory") <= 0)
		return;
	acc.rows = cJSON_CreateArray();
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "Expression", inventory_query);
	cJSON_AddNumberToObject(body, "Limit", snd_page_size(t, 1, 100));
	if (snd_pages(t, &select, body, select_page, &acc) < 0) {
		cJSON_Delete(body);
		cJSON_Delete(acc.rows);
		return;
	}
	cJSON_Delete(body);
	if (acc.long_ids > 0) {
		char text[160];

		snprintf(text, sizeof(text), "config:SelectResourceConfig: %d resource(s) left out: resource id or type "
				 "longer than the table's 255 characters", acc.long_ids);
		snd_task_message(t, "config_inventory", text);
	}
	t->items = cJSON_GetArraySize(acc.rows);
	t->value = acc.rows;
}
