/*
 * resources.c - the `service_resources` section: EC2 instances, EBS
 * volumes and subnets (EC2 protocol), RDS instances, ELBv2 load balancers,
 * Auto Scaling groups (Query protocol, XML), Lambda functions (REST-JSON)
 * and S3 buckets (REST-XML; global, so every region's document lists them,
 * as the reference's do), every list followed to its last page.  One row of 21 fields
 * per resource (document-format.md §4.10).  A list that fails is said in
 * logs.message; the others are still written (status "partial").
 */
#include "sender.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const row_keys[] = {
	"service_name", "resource_type", "resource_id", "resource_name", "region",
	"availability_zone", "state", "instance_type", "vpc_id", "engine", "instance_class",
	"multi_az", "size_gb", "volume_type", "creation_date", "type", "scheme",
	"instance_count", "min_size", "max_size", "available_ip_count", NULL};

/* A row with the common fields set and the optional ones null. */
static cJSON *
row_new(const snd_task *t, const char *svc, const char *type, const char *id,
		const char *name, cJSON *az, cJSON *state)
{
	cJSON *r = cJSON_CreateObject();
	size_t i;

	for (i = 0; row_keys[i]; i++)
		cJSON_AddNullToObject(r, row_keys[i]);
	cJSON_ReplaceItemInObjectCaseSensitive(r, "service_name", cJSON_CreateString(svc));
	cJSON_ReplaceItemInObjectCaseSensitive(r, "resource_type", cJSON_CreateString(type));
	cJSON_ReplaceItemInObjectCaseSensitive(r, "resource_id", cJSON_CreateString(id ? id : ""));
	cJSON_ReplaceItemInObjectCaseSensitive(r, "resource_name", cJSON_CreateString(name ? name : ""));
	cJSON_ReplaceItemInObjectCaseSensitive(r, "region", cJSON_CreateString(t->s->region));
	cJSON_ReplaceItemInObjectCaseSensitive(r, "availability_zone", az);
	cJSON_ReplaceItemInObjectCaseSensitive(r, "state", state);
	return r;
}

/* Sets field key of row r to v (takes v). */
static void
row_set(cJSON *r, const char *key, cJSON *v)
{
	cJSON_ReplaceItemInObjectCaseSensitive(r, key, v);
}

/* The Name tag of an EC2 item (tagSet/item{key,value}), or "". */
static const char *
ec2_name_tag(const snd_xml *item)
{
	const snd_xml *tags = snd_xml_child(item, "tagSet"), *c;

	for (c = tags ? tags->child : NULL; c; c = c->next) {
		const char *k = snd_xml_get(c, "key");
		if (k && strcmp(k, "Name") == 0) {
			const char *v = snd_xml_get(c, "value");
			return v ? v : "";
		}
	}
	return "";
}

/* A number from XML text, or null. */
static cJSON *
xnum(const snd_xml *x, const char *path)
{
	const char *s = snd_xml_get(x, path);

	return s && *s ? cJSON_CreateNumber(strtod(s, NULL)) : cJSON_CreateNull();
}

/* A boolean from XML text, or null. */
static cJSON *
xbool(const snd_xml *x, const char *path)
{
	const char *s = snd_xml_get(x, path);

	return s ? cJSON_CreateBool(strcmp(s, "true") == 0) : cJSON_CreateNull();
}

/* Members of a list element joined by ", " (e.g. AZ names), as a JSON string. */
static cJSON *
xjoin(const snd_xml *list, const char *field)
{
	mao_buf b = MAO_BUF_INIT;
	const snd_xml *c;
	cJSON *out;

	for (c = list ? list->child : NULL; c; c = c->next) {
		const char *v = field ? snd_xml_get(c, field) : c->text;
		if (v == NULL)
			continue;
		if (b.len)
			mao_buf_append_str(&b, ", ");
		mao_buf_append_str(&b, v);
	}
	out = cJSON_CreateString(mao_buf_cstr(&b));
	mao_buf_free(&b);
	return out;
}

/* Appends "&Name=<encoded token>" to b when token is set. */
static void
add_token(mao_buf *b, const char *name, const char *token)
{
	if (token == NULL || *token == '\0')
		return;
	mao_buf_printf(b, "&%s=", name);
	mao_buf_append_uri_encoded(b, token, strlen(token), 1);
}

/* A paginated Query/EC2 list: calls action until no token; on_page turns each page into rows. */
typedef void (*page_fn)(snd_task *t, const snd_xml *result, cJSON *rows);

/* Runs one paginated list; returns 0 on success, -1 after recording a failure. */
static int
query_list(snd_task *t, cJSON *rows, const char *service, const char *action,
		   const char *version, const char *result_el, const char *size_param,
		   int size, const char *token_in, const char *token_out, page_fn fn)
{
	char *token = NULL;
	int pages = 0;

	for (;;) {
		mao_buf q = MAO_BUF_INIT;
		snd_xml *x = NULL;
		snd_fail f;
		const snd_xml *res;
		const char *next;
		char what[128];

		mao_buf_printf(&q, "%s=%d", size_param, size);
		add_token(&q, token_in, token);
		if (snd_call_query(t, service, action, version, mao_buf_cstr(&q), &x, &f) != MAO_OK) {
			snprintf(what, sizeof(what), "%s:%s", service, action);
			snd_task_fail(t, "service_resources", what, &f);
			mao_buf_free(&q);
			free(token);
			return -1;
		}
		mao_buf_free(&q);
		res = result_el ? snd_xml_child(x, result_el) : x;
		fn(t, res, rows);
		next = snd_xml_get(res, token_out);
		free(token);
		token = next && *next ? strdup(next) : NULL;
		snd_xml_free(x);
		if (token == NULL || ++pages > 100000)
			break;
	}
	free(token);
	return 0;
}

/* DescribeInstances page -> EC2/Instance rows. */
static void
ec2_instances_page(snd_task *t, const snd_xml *res, cJSON *rows)
{
	const snd_xml *rs = snd_xml_child(res, "reservationSet"), *r, *i;

	for (r = rs ? rs->child : NULL; r; r = r->next) {
		const snd_xml *is = snd_xml_child(r, "instancesSet");
		for (i = is ? is->child : NULL; i; i = i->next) {
			cJSON *row = row_new(t, "EC2", "Instance", snd_xml_get(i, "instanceId"), ec2_name_tag(i),
								 snd_xstr(i, "placement/availabilityZone"), snd_xstr(i, "instanceState/name"));
			row_set(row, "instance_type", snd_xstr(i, "instanceType"));
			row_set(row, "vpc_id", snd_xstr(i, "vpcId"));
			cJSON_AddItemToArray(rows, row);
		}
	}
}

/* DescribeVolumes page -> EBS/Volume rows. */
static void
ec2_volumes_page(snd_task *t, const snd_xml *res, cJSON *rows)
{
	const snd_xml *vs = snd_xml_child(res, "volumeSet"), *v;

	for (v = vs ? vs->child : NULL; v; v = v->next) {
		cJSON *row = row_new(t, "EBS", "Volume", snd_xml_get(v, "volumeId"), ec2_name_tag(v),
							 snd_xstr(v, "availabilityZone"), snd_xstr(v, "status"));
		row_set(row, "size_gb", xnum(v, "size"));
		row_set(row, "volume_type", snd_xstr(v, "volumeType"));
		cJSON_AddItemToArray(rows, row);
	}
}

/* DescribeSubnets page -> VPC/Subnet rows. */
static void
ec2_subnets_page(snd_task *t, const snd_xml *res, cJSON *rows)
{
	const snd_xml *ss = snd_xml_child(res, "subnetSet"), *s;

	for (s = ss ? ss->child : NULL; s; s = s->next) {
		cJSON *row = row_new(t, "VPC", "Subnet", snd_xml_get(s, "subnetId"), ec2_name_tag(s),
							 snd_xstr(s, "availabilityZone"), snd_xstr(s, "state"));
		row_set(row, "available_ip_count", xnum(s, "availableIpAddressCount"));
		row_set(row, "vpc_id", snd_xstr(s, "vpcId"));
		cJSON_AddItemToArray(rows, row);
	}
}

/* DescribeDBInstances page -> RDS/DBInstance rows. */
static void
rds_page(snd_task *t, const snd_xml *res, cJSON *rows)
{
	const snd_xml *list = snd_xml_child(res, "DBInstances"), *d;

	for (d = list ? list->child : NULL; d; d = d->next) {
		const char *id = snd_xml_get(d, "DBInstanceIdentifier");
		cJSON *row = row_new(t, "RDS", "DBInstance", id, id, snd_xstr(d, "AvailabilityZone"),
							 snd_xstr(d, "DBInstanceStatus"));
		row_set(row, "engine", snd_xstr(d, "Engine"));
		row_set(row, "instance_class", snd_xstr(d, "DBInstanceClass"));
		row_set(row, "multi_az", xbool(d, "MultiAZ"));
		cJSON_AddItemToArray(rows, row);
	}
}

/* DescribeLoadBalancers page -> ELB/LoadBalancer rows. */
static void
elb_page(snd_task *t, const snd_xml *res, cJSON *rows)
{
	const snd_xml *list = snd_xml_child(res, "LoadBalancers"), *l;

	for (l = list ? list->child : NULL; l; l = l->next) {
		const char *n = snd_xml_get(l, "LoadBalancerName");
		cJSON *row = row_new(t, "ELB", "LoadBalancer", n, n,
							 xjoin(snd_xml_child(l, "AvailabilityZones"), "ZoneName"),
							 snd_xstr(l, "State/Code"));
		row_set(row, "type", snd_xstr(l, "Type"));
		row_set(row, "scheme", snd_xstr(l, "Scheme"));
		cJSON_AddItemToArray(rows, row);
	}
}

/* DescribeAutoScalingGroups page -> AutoScaling/AutoScalingGroup rows. */
static void
asg_page(snd_task *t, const snd_xml *res, cJSON *rows)
{
	const snd_xml *list = snd_xml_child(res, "AutoScalingGroups"), *g, *i;

	for (g = list ? list->child : NULL; g; g = g->next) {
		const char *n = snd_xml_get(g, "AutoScalingGroupName");
		const snd_xml *insts = snd_xml_child(g, "Instances");
		int count = 0;
		cJSON *row;

		for (i = insts ? insts->child : NULL; i; i = i->next)
			count++;
		row = row_new(t, "AutoScaling", "AutoScalingGroup", n, n,
					  xjoin(snd_xml_child(g, "AvailabilityZones"), NULL),
					  cJSON_CreateString(count > 0 ? "Active" : "Inactive"));
		row_set(row, "instance_count", cJSON_CreateNumber(count));
		row_set(row, "min_size", xnum(g, "MinSize"));
		row_set(row, "max_size", xnum(g, "MaxSize"));
		cJSON_AddItemToArray(rows, row);
	}
}

/* One Lambda function -> a Lambda/Function row (the reference's re-purposed columns). */
static cJSON *
lambda_row(snd_task *t, const cJSON *fn)
{
	const cJSON *arn = cJSON_GetObjectItemCaseSensitive(fn, "FunctionArn");
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(fn, "FunctionName");
	const cJSON *vpc = cJSON_GetObjectItemCaseSensitive(fn, "VpcConfig");
	const cJSON *vpcid = cJSON_GetObjectItemCaseSensitive(vpc, "VpcId");
	const cJSON *mem = cJSON_GetObjectItemCaseSensitive(fn, "MemorySize");
	const cJSON *arch = cJSON_GetObjectItemCaseSensitive(fn, "Architectures");
	const cJSON *eph = cJSON_GetObjectItemCaseSensitive(fn, "EphemeralStorage");
	cJSON *row = row_new(t, "Lambda", "Function", cJSON_IsString(arn) ? arn->valuestring : "",
						 cJSON_IsString(name) ? name->valuestring : "",
						 cJSON_CreateString("Generic"), snd_jstr(fn, "State"));

	row_set(row, "instance_type", snd_jstr(fn, "Runtime"));
	row_set(row, "engine", snd_jstr(fn, "Runtime"));
	row_set(row, "vpc_id", cJSON_CreateString(cJSON_IsString(vpcid) ? vpcid->valuestring : ""));
	row_set(row, "instance_class", cJSON_CreateString(""));
	row_set(row, "multi_az", cJSON_CreateTrue());
	row_set(row, "size_gb", cJSON_IsNumber(mem) ? cJSON_CreateNumber(mem->valuedouble / 1024.0) : cJSON_CreateNull());
	row_set(row, "volume_type", cJSON_CreateString("EphemeralStorage"));
	row_set(row, "creation_date", snd_jstr(fn, "LastModified"));
	row_set(row, "type", snd_jstr(fn, "PackageType"));
	if (cJSON_IsArray(arch) && cJSON_IsString(arch->child))
		row_set(row, "scheme", cJSON_CreateString(arch->child->valuestring));
	row_set(row, "instance_count", cJSON_CreateNumber(1));
	row_set(row, "max_size", snd_jcopy(eph, "Size"));
	return row;
}

/* A ListFunctions page: one row per function. */
static int
functions_page(snd_task *t, const cJSON *page, void *ctx)
{
	const cJSON *fn;

	cJSON_ArrayForEach(fn, cJSON_GetObjectItemCaseSensitive(page, "Functions"))
		cJSON_AddItemToArray((cJSON *) ctx, lambda_row(t, fn));
	return 0;
}

/* Lambda ListFunctions, all pages. */
static int
lambda_list(snd_task *t, cJSON *rows)
{
	static const snd_op list_functions = {"lambda", NULL, "/2015-03-31/functions/", "GET", "Marker",
										  "NextMarker", "service_resources", "lambda:ListFunctions"};
	cJSON *body = cJSON_CreateObject();
	int rc;

	cJSON_AddNumberToObject(body, "MaxItems", snd_page_size(t, 1, 50));
	rc = snd_pages(t, &list_functions, body, functions_page, rows);
	cJSON_Delete(body);
	return rc < 0 ? -1 : 0;
}

/* S3 ListBuckets, all pages: S3/Bucket rows (the account's buckets, global). */
static int
s3_list(snd_task *t, cJSON *rows)
{
	char *token = NULL;

	for (;;) {
		mao_buf q = MAO_BUF_INIT;
		snd_xml *x = NULL;
		const snd_xml *list, *b;
		const char *next;
		snd_fail f;

		if (token) {
			mao_buf_append_str(&q, "continuation-token=");
			mao_buf_append_uri_encoded(&q, token, strlen(token), 1);
			mao_buf_append_char(&q, '&');
		}
		mao_buf_printf(&q, "max-buckets=%d", snd_page_size(t, 1, 10000));
		if (snd_call_rest_xml(t, "s3", "/", mao_buf_cstr(&q), &x, &f) != MAO_OK) {
			snd_task_fail(t, "service_resources", "s3:ListBuckets", &f);
			mao_buf_free(&q);
			free(token);
			return -1;
		}
		mao_buf_free(&q);
		list = snd_xml_child(x, "Buckets");
		for (b = list ? list->child : NULL; b; b = b->next) {
			const char *n = snd_xml_get(b, "Name");
			cJSON *row = row_new(t, "S3", "Bucket", n, n, cJSON_CreateNull(), cJSON_CreateString("Active"));

			row_set(row, "creation_date", snd_xts(b, "CreationDate"));
			cJSON_AddItemToArray(rows, row);
		}
		next = snd_xml_get(x, "ContinuationToken");
		free(token);
		token = next && *next ? strdup(next) : NULL;
		snd_xml_free(x);
		if (token == NULL)
			return 0;
	}
}

/* The eight lists, one item each of the fan-out; the rows of list i go to slot i. */
#define N_LISTS 8

/* One list of service_resources (an item of the fan-out). */
static int
list_item(snd_task *w, int i, void *ctx)
{
	cJSON *rows = ((cJSON **) ctx)[i];

	switch (i) {
	case 0:
		return query_list(w, rows, "ec2", "DescribeInstances", "2016-11-15", NULL, "MaxResults",
						  snd_page_size(w, 5, 1000), "NextToken", "nextToken", ec2_instances_page);
	case 1:
		return query_list(w, rows, "ec2", "DescribeVolumes", "2016-11-15", NULL, "MaxResults",
						  snd_page_size(w, 5, 500), "NextToken", "nextToken", ec2_volumes_page);
	case 2:
		return query_list(w, rows, "ec2", "DescribeSubnets", "2016-11-15", NULL, "MaxResults",
						  snd_page_size(w, 5, 1000), "NextToken", "nextToken", ec2_subnets_page);
	case 3:
		return query_list(w, rows, "rds", "DescribeDBInstances", "2014-10-31",
						  "DescribeDBInstancesResult", "MaxRecords", snd_page_size(w, 20, 100),
						  "Marker", "Marker", rds_page);
	case 4:
		return query_list(w, rows, "elasticloadbalancing", "DescribeLoadBalancers", "2015-12-01",
						  "DescribeLoadBalancersResult", "PageSize", snd_page_size(w, 1, 400),
						  "Marker", "NextMarker", elb_page);
	case 5:
		return query_list(w, rows, "autoscaling", "DescribeAutoScalingGroups", "2011-01-01",
						  "DescribeAutoScalingGroupsResult", "MaxRecords", snd_page_size(w, 1, 100),
						  "NextToken", "NextToken", asg_page);
	case 6:
		return lambda_list(w, rows);
	default:
		return s3_list(w, rows);
	}
}

/* See sender.h. */
void
snd_collect_service_resources(snd_task *t)
{
	cJSON *slots[N_LISTS], *rows = cJSON_CreateArray(), *r;
	int failed, i;

	/* eight independent lists: side by side, not one after another */
	for (i = 0; i < N_LISTS; i++)
		slots[i] = cJSON_CreateArray();
	failed = snd_fanout(t, N_LISTS, list_item, slots, NULL);
	for (i = 0; i < N_LISTS; i++) {
		while ((r = cJSON_DetachItemFromArray(slots[i], 0)) != NULL)
			cJSON_AddItemToArray(rows, r);
		cJSON_Delete(slots[i]);
	}
	t->items = cJSON_GetArraySize(rows);
	if (failed == N_LISTS) {
		cJSON_Delete(rows);
		t->value = NULL;
		t->status = SND_FAILED;
		return;
	}
	t->value = rows;
	t->status = failed ? SND_PARTIAL : SND_OK;
}
