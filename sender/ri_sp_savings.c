/*
 * ri_sp_savings.c - the `ri_sp_savings` section (document-format.md §4.12):
 * the account's EC2 Reserved Instances (DescribeReservedInstances, state
 * active; EC2 protocol) and RDS reserved DB instances (every page, any
 * state, as the reference) in the run's region, its active Savings Plans
 * (global endpoint, REST-JSON, every page), then per reservation Cost
 * Explorer's GetReservationUtilization (filter SUBSCRIPTION_ID, every page)
 * and per plan GetSavingsPlansUtilization (filter SAVINGS_PLAN_ARN), DAILY
 * over the window, from the global us-east-1 endpoint.
 *
 * Rows: a reservation gives one row per day whose utilisation is above 0, a
 * plan one row per day returned, each with "date"; one without such days
 * (no data, DataUnavailableException, or a lookup that failed) gives a
 * single row with the four metrics 0 and no "date".
 *
 * Where we differ from the reference: a reservation without recurring
 * charges (All Upfront) is written with recurring_cost and commitment 0 and
 * recurring_frequency null instead of ending the list; RDS reservations are
 * read to the last page; the lookups run concurrently (snd_fanout), and
 * the first one of a kind that fails stops that kind (Cost Explorer bills
 * each request and one refusal means the rest would be refused too): the
 * remaining rows get the zero metrics and one message says how many.
 * A list that fails leaves the others (partial); all three: failed.
 */
#include "sender.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AREA "ri_sp_savings"
#define CE_TARGET "AWSInsightsIndexService."
#define JSON11 "application/x-amz-json-1.1"
#define HOURS_PER_MONTH 730.0

enum { KIND_RI = 0, KIND_SP = 1 };
enum { LOOKUP_PENDING = 0, LOOKUP_DONE, LOOKUP_FAILED, LOOKUP_NOT_TRIED };

/* One reservation or plan: its row fields and what Cost Explorer said of it. */
typedef struct sub {
	int kind;
	char *id;                 /* subscription_id */
	char *arn;                /* plans: the ARN Cost Explorer filters on; NULL for reservations */
	cJSON *fields;            /* owned: the row's own fields, in order */
	cJSON *days;              /* owned: per-day metrics {date, 4 metrics}; NULL until looked up */
	int state;
	snd_fail f;               /* LOOKUP_FAILED: why */
} sub;

/* A growable list of subs. */
typedef struct subs {
	sub *v;
	size_t n, cap;
} subs;

/* What the lookups share. */
typedef struct lookups {
	subs *list;
	pthread_mutex_t mu;
	int stopped[2];           /* per kind: a lookup failed, make no more (under mu) */
} lookups;

/* Appends a sub (takes fields); returns -1 when out of memory (fields freed). */
static int
subs_add(subs *l, int kind, const char *id, const char *arn, cJSON *fields)
{
	sub *s;

	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		sub *v = realloc(l->v, cap * sizeof(*v));

		if (v == NULL) {
			cJSON_Delete(fields);
			return -1;
		}
		l->v = v;
		l->cap = cap;
	}
	s = &l->v[l->n];
	memset(s, 0, sizeof(*s));
	s->kind = kind;
	s->id = strdup(id);
	s->arn = arn ? strdup(arn) : NULL;
	s->fields = fields;
	if (s->id == NULL || (arn && s->arn == NULL)) {
		free(s->id);
		free(s->arn);
		cJSON_Delete(fields);
		return -1;
	}
	l->n++;
	return 0;
}

/* Frees the list. */
static void
subs_free(subs *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].id);
		free(l->v[i].arn);
		cJSON_Delete(l->v[i].fields);
		cJSON_Delete(l->v[i].days);
	}
	free(l->v);
}

/* A number without the noise of binary fractions (6 decimals). */
static double
tidy(double x)
{
	return round(x * 1e6) / 1e6;
}

/* XML text at path as a JSON number, or null. */
static cJSON *
xnum(const snd_xml *x, const char *path)
{
	const char *s = snd_xml_get(x, path);
	char *end;
	double d;

	if (s == NULL || *s == '\0')
		return cJSON_CreateNull();
	d = strtod(s, &end);
	return *end == '\0' ? cJSON_CreateNumber(d) : cJSON_CreateNull();
}

/* A JSON member that AWS writes as a decimal string (or a number) as a JSON number, or null. */
static cJSON *
jamount(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	char *end;
	double d;

	if (cJSON_IsNumber(v))
		return cJSON_CreateNumber(v->valuedouble);
	if (!cJSON_IsString(v) || *v->valuestring == '\0')
		return cJSON_CreateNull();
	d = strtod(v->valuestring, &end);
	return *end == '\0' ? cJSON_CreateNumber(d) : cJSON_CreateNull();
}

/* A Cost Explorer decimal string as a number rounded to 2 places (absent or bad: 0). */
static double
ce_metric(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	double d = 0;

	if (cJSON_IsNumber(v))
		d = v->valuedouble;
	else if (cJSON_IsString(v))
		d = strtod(v->valuestring, NULL);
	if (!isfinite(d))
		d = 0;
	return round(d * 100.0) / 100.0;
}

/*
 * The first recurring charge of a reservation (XML element charge, NULL
 * when it has none): its amount (0 without one) and its frequency (null).
 */
static double
recurring_charge(const snd_xml *charge, const char *amount_el, const char *freq_el, cJSON **freq)
{
	const char *amount = charge ? snd_xml_get(charge, amount_el) : NULL;
	double a = amount && *amount ? strtod(amount, NULL) : 0;

	*freq = charge ? snd_xstr(charge, freq_el) : cJSON_CreateNull();
	return isfinite(a) ? a : 0;
}

/* The first child of XML element path, or NULL. */
static const snd_xml *
xfirst(const snd_xml *x, const char *path)
{
	const snd_xml *l = snd_xml_path(x, path);

	return l ? l->child : NULL;
}

/* EC2 DescribeReservedInstances (active ones; the API has no pages) -> subs. */
static int
ec2_reservations(snd_task *t, subs *out)
{
	snd_xml *x = NULL;
	const snd_xml *set, *ri;
	snd_fail f;

	if (snd_call_query(t, "ec2", "DescribeReservedInstances", "2016-11-15",
					   "Filter.1.Name=state&Filter.1.Value.1=active", &x, &f) != MAO_OK) {
		snd_task_fail(t, AREA, "ec2:DescribeReservedInstances", &f);
		return -1;
	}
	set = snd_xml_child(x, "reservedInstancesSet");
	for (ri = set ? set->child : NULL; ri; ri = ri->next) {
		const char *id = snd_xml_get(ri, "reservedInstancesId");
		const char *count = snd_xml_get(ri, "instanceCount");
		const char *type = snd_xml_get(ri, "instanceType");
		const char *product = snd_xml_get(ri, "productDescription");
		cJSON *f2, *freq;
		char desc[512];
		double amount;

		if (id == NULL || *id == '\0')
			continue;
		f2 = cJSON_CreateObject();
		cJSON_AddStringToObject(f2, "service", "Amazon EC2");
		cJSON_AddItemToObject(f2, "instance_type", snd_xstr(ri, "instanceType"));
		cJSON_AddItemToObject(f2, "instance_count", xnum(ri, "instanceCount"));
		cJSON_AddItemToObject(f2, "instance_tenancy", snd_xstr(ri, "instanceTenancy"));
		cJSON_AddItemToObject(f2, "offering_class", snd_xstr(ri, "offeringClass"));
		cJSON_AddItemToObject(f2, "offering_type", snd_xstr(ri, "offeringType"));
		cJSON_AddItemToObject(f2, "product_types", snd_xstr(ri, "productDescription"));
		cJSON_AddItemToObject(f2, "region", snd_xstr(ri, "scope"));
		cJSON_AddItemToObject(f2, "currency", snd_xstr(ri, "currencyCode"));
		amount = recurring_charge(xfirst(ri, "recurringCharges"), "amount", "frequency", &freq);
		cJSON_AddNumberToObject(f2, "commitment", tidy(amount * HOURS_PER_MONTH));
		cJSON_AddItemToObject(f2, "upfront_cost", xnum(ri, "fixedPrice"));
		cJSON_AddNumberToObject(f2, "recurring_cost", amount);
		cJSON_AddItemToObject(f2, "recurring_frequency", freq);
		cJSON_AddItemToObject(f2, "usage_price", xnum(ri, "usagePrice"));
		cJSON_AddItemToObject(f2, "start_date", snd_xts(ri, "start"));
		cJSON_AddItemToObject(f2, "end_date", snd_xts(ri, "end"));
		cJSON_AddItemToObject(f2, "duration_seconds", xnum(ri, "duration"));
		cJSON_AddItemToObject(f2, "state", snd_xstr(ri, "state"));
		snprintf(desc, sizeof(desc), "%sx %s %s", count ? count : "", type ? type : "", product ? product : "");
		cJSON_AddStringToObject(f2, "description", desc);
		if (subs_add(out, KIND_RI, id, NULL, f2) != 0)
			break;
	}
	snd_xml_free(x);
	return 0;
}

/* RDS DescribeReservedDBInstances, every page (Marker) -> subs. */
static int
rds_reservations(snd_task *t, subs *out)
{
	char *marker = NULL;

	for (;;) {
		mao_buf q = MAO_BUF_INIT;
		snd_xml *x = NULL;
		const snd_xml *res, *ri;
		const char *next;
		snd_fail f;

		mao_buf_printf(&q, "MaxRecords=%d", snd_page_size(t, 20, 100));
		if (marker) {
			mao_buf_append_str(&q, "&Marker=");
			mao_buf_append_uri_encoded(&q, marker, strlen(marker), 1);
		}
		if (snd_call_query(t, "rds", "DescribeReservedDBInstances", "2014-10-31", mao_buf_cstr(&q),
						   &x, &f) != MAO_OK) {
			snd_task_fail(t, AREA, "rds:DescribeReservedDBInstances", &f);
			mao_buf_free(&q);
			free(marker);
			return -1;
		}
		mao_buf_free(&q);
		res = snd_xml_child(x, "DescribeReservedDBInstancesResult");
		for (ri = xfirst(res, "ReservedDBInstances"); ri; ri = ri->next) {
			const char *id = snd_xml_get(ri, "ReservedDBInstanceId");
			cJSON *f2, *freq;
			double amount;

			if (id == NULL || *id == '\0')
				continue;
			f2 = cJSON_CreateObject();
			cJSON_AddStringToObject(f2, "service", "Amazon RDS");
			cJSON_AddItemToObject(f2, "instance_type", snd_xstr(ri, "DBInstanceClass"));
			cJSON_AddItemToObject(f2, "instance_count", xnum(ri, "DBInstanceCount"));
			cJSON_AddNullToObject(f2, "offering_class");   /* not in the RDS API */
			cJSON_AddItemToObject(f2, "offering_type", snd_xstr(ri, "OfferingType"));
			cJSON_AddItemToObject(f2, "product_types", snd_xstr(ri, "ProductDescription"));
			cJSON_AddItemToObject(f2, "currency", snd_xstr(ri, "CurrencyCode"));
			cJSON_AddItemToObject(f2, "upfront_cost", xnum(ri, "FixedPrice"));
			amount = recurring_charge(xfirst(ri, "RecurringCharges"), "RecurringChargeAmount",
									  "RecurringChargeFrequency", &freq);
			cJSON_AddNumberToObject(f2, "recurring_cost", amount);
			cJSON_AddItemToObject(f2, "recurring_frequency", freq);
			cJSON_AddItemToObject(f2, "usage_price", xnum(ri, "UsagePrice"));
			cJSON_AddItemToObject(f2, "start_date", snd_xts(ri, "StartTime"));
			cJSON_AddItemToObject(f2, "duration_seconds", xnum(ri, "Duration"));
			cJSON_AddItemToObject(f2, "state", snd_xstr(ri, "State"));
			if (subs_add(out, KIND_RI, id, NULL, f2) != 0)
				break;
		}
		next = snd_xml_get(res, "Marker");
		free(marker);
		marker = next && *next ? strdup(next) : NULL;
		snd_xml_free(x);
		if (marker == NULL)
			return 0;
	}
}

/* A DescribeSavingsPlans page -> subs. */
static int
plans_page(snd_task *t, const cJSON *page, void *ctx)
{
	const cJSON *sp;

	(void) t;
	cJSON_ArrayForEach(sp, cJSON_GetObjectItemCaseSensitive(page, "savingsPlans")) {
		const char *id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(sp, "savingsPlanId"));
		const char *arn = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(sp, "savingsPlanArn"));
		const char *region = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(sp, "region"));
		const cJSON *pt;
		mao_buf types = MAO_BUF_INIT;
		cJSON *f2;

		if (id == NULL || *id == '\0')
			continue;
		cJSON_ArrayForEach(pt, cJSON_GetObjectItemCaseSensitive(sp, "productTypes")) {
			if (!cJSON_IsString(pt))
				continue;
			if (types.len)
				mao_buf_append_char(&types, ',');
			mao_buf_append_str(&types, pt->valuestring);
		}
		f2 = cJSON_CreateObject();
		cJSON_AddStringToObject(f2, "service", "AWS Savings Plans");
		cJSON_AddItemToObject(f2, "instance_type", snd_jstr(sp, "savingsPlanType"));
		cJSON_AddItemToObject(f2, "instance_family", snd_jstr(sp, "ec2InstanceFamily"));
		cJSON_AddItemToObject(f2, "offering_type", snd_jstr(sp, "paymentOption"));
		cJSON_AddStringToObject(f2, "product_types", mao_buf_cstr(&types));
		cJSON_AddStringToObject(f2, "region", region ? region : "");
		cJSON_AddItemToObject(f2, "currency", snd_jstr(sp, "currency"));
		cJSON_AddItemToObject(f2, "commitment", jamount(sp, "commitment"));
		cJSON_AddItemToObject(f2, "upfront_cost", jamount(sp, "upfrontPaymentAmount"));
		cJSON_AddItemToObject(f2, "recurring_cost", jamount(sp, "recurringPaymentAmount"));
		cJSON_AddItemToObject(f2, "start_date", snd_jstr(sp, "start"));
		cJSON_AddItemToObject(f2, "end_date", snd_jstr(sp, "end"));
		cJSON_AddItemToObject(f2, "returnable_until", snd_jstr(sp, "returnableUntil"));
		cJSON_AddItemToObject(f2, "duration_seconds", snd_jcopy(sp, "termDurationInSeconds"));
		cJSON_AddItemToObject(f2, "state", snd_jstr(sp, "state"));
		cJSON_AddItemToObject(f2, "description", snd_jstr(sp, "description"));
		cJSON_AddItemToObject(f2, "offering_id", snd_jstr(sp, "offeringId"));
		cJSON_AddItemToObject(f2, "savings_plan_arn", snd_jstr(sp, "savingsPlanArn"));
		mao_buf_free(&types);
		if (subs_add((subs *) ctx, KIND_SP, id, arn, f2) != 0)
			return -1;
	}
	return 0;
}

/* savingsplans:DescribeSavingsPlans (active plans, every page) -> subs. */
static int
savings_plans(snd_task *t, subs *out)
{
	static const snd_op op = {"savingsplans", NULL, "/DescribeSavingsPlans", "POST", "nextToken", NULL,
							  AREA, "savingsplans:DescribeSavingsPlans"};
	cJSON *body = cJSON_CreateObject();
	int rc;

	cJSON_AddItemToArray(cJSON_AddArrayToObject(body, "states"), cJSON_CreateString("active"));
	cJSON_AddNumberToObject(body, "maxResults", snd_page_size(t, 1, 1000));
	rc = snd_pages(t, &op, body, plans_page, out);
	cJSON_Delete(body);
	return rc == -1 ? -1 : 0;
}

/* A utilisation request: DAILY over the window, filtered on dimension key = value. */
static cJSON *
ce_request(const snd_settings *s, const char *key, const char *value)
{
	cJSON *b = cJSON_CreateObject(), *tp, *d;

	tp = cJSON_AddObjectToObject(b, "TimePeriod");
	cJSON_AddStringToObject(tp, "Start", s->date_from);
	cJSON_AddStringToObject(tp, "End", s->ce_end);
	cJSON_AddStringToObject(b, "Granularity", "DAILY");
	d = cJSON_AddObjectToObject(cJSON_AddObjectToObject(b, "Filter"), "Dimensions");
	cJSON_AddStringToObject(d, "Key", key);
	cJSON_AddItemToArray(cJSON_AddArrayToObject(d, "Values"), cJSON_CreateString(value));
	return b;
}

/* Appends one day's metrics to days. */
static void
add_day(cJSON *days, const char *date, double util, double on_demand, double cost, double net)
{
	cJSON *d = cJSON_CreateObject();

	cJSON_AddStringToObject(d, "date", date);
	cJSON_AddNumberToObject(d, "utilization_percentage", util);
	cJSON_AddNumberToObject(d, "on_demand_cost", on_demand);
	cJSON_AddNumberToObject(d, "reservation_cost", cost);
	cJSON_AddNumberToObject(d, "net_savings", net);
	cJSON_AddItemToArray(days, d);
}

/* The start date of a by-time element, or NULL. */
static const char *
period_start(const cJSON *e)
{
	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
									cJSON_GetObjectItemCaseSensitive(e, "TimePeriod"), "Start"));
}

/* GetReservationUtilization for one reservation, every page: the days it was used. */
static int
reservation_days(snd_task *g, sub *s, snd_fail *f)
{
	cJSON *body = ce_request(g->s, "SUBSCRIPTION_ID", s->id);
	int rc = MAO_OK;

	s->days = cJSON_CreateArray();
	for (;;) {
		cJSON *r = NULL;
		const cJSON *e, *next;

		rc = snd_call_json(g, "ce", JSON11, CE_TARGET "GetReservationUtilization", body, &r, f);
		if (rc != MAO_OK)
			break;
		cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(r, "UtilizationsByTime")) {
			const cJSON *tot = cJSON_GetObjectItemCaseSensitive(e, "Total");
			const char *date = period_start(e);
			double util = ce_metric(tot, "UtilizationPercentage");

			if (date != NULL && util > 0)
				add_day(s->days, date, util, ce_metric(tot, "OnDemandCostOfRIHoursUsed"),
						ce_metric(tot, "TotalAmortizedFee"), ce_metric(tot, "NetRISavings"));
		}
		next = cJSON_GetObjectItemCaseSensitive(r, "NextPageToken");
		cJSON_DeleteItemFromObjectCaseSensitive(body, "NextPageToken");
		if (!cJSON_IsString(next) || *next->valuestring == '\0') {
			cJSON_Delete(r);
			break;
		}
		cJSON_AddStringToObject(body, "NextPageToken", next->valuestring);
		cJSON_Delete(r);
	}
	cJSON_Delete(body);
	return rc;
}

/* GetSavingsPlansUtilization for one plan (the API has no pages): every day returned. */
static int
plan_days(snd_task *g, sub *s, snd_fail *f)
{
	cJSON *body, *r = NULL;
	const cJSON *e;
	int rc;

	s->days = cJSON_CreateArray();
	if (s->arn == NULL)
		return MAO_OK;        /* nothing to filter on: the zero row */
	body = ce_request(g->s, "SAVINGS_PLAN_ARN", s->arn);
	rc = snd_call_json(g, "ce", JSON11, CE_TARGET "GetSavingsPlansUtilization", body, &r, f);
	cJSON_Delete(body);
	if (rc != MAO_OK)
		return rc;
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(r, "SavingsPlansUtilizationsByTime")) {
		const cJSON *u = cJSON_GetObjectItemCaseSensitive(e, "Utilization");
		const cJSON *sv = cJSON_GetObjectItemCaseSensitive(e, "Savings");
		const char *date = period_start(e);

		if (date != NULL)
			add_day(s->days, date, ce_metric(u, "UtilizationPercentage"),
					ce_metric(sv, "OnDemandCostEquivalent"), ce_metric(u, "UsedCommitment"),
					ce_metric(sv, "NetSavings"));
	}
	cJSON_Delete(r);
	return MAO_OK;
}

/* One lookup of the fan-out (snd_fanout): Cost Explorer about sub i, unless its kind has stopped. */
static int
lookup_one(snd_task *w, int i, void *ctx)
{
	lookups *l = ctx;
	sub *s = &l->list->v[i];
	int stop, rc;

	pthread_mutex_lock(&l->mu);
	stop = l->stopped[s->kind];
	pthread_mutex_unlock(&l->mu);
	if (stop) {
		s->state = LOOKUP_NOT_TRIED;
		return 0;
	}
	rc = s->kind == KIND_RI ? reservation_days(w, s, &s->f) : plan_days(w, s, &s->f);
	if (rc == MAO_OK || strcmp(s->f.code, "DataUnavailableException") == 0) {
		s->state = LOOKUP_DONE;       /* no data is an answer too: the zero row */
		return 0;
	}
	s->state = LOOKUP_FAILED;         /* days of earlier pages are dropped: the zero row */
	cJSON_Delete(s->days);
	s->days = NULL;
	pthread_mutex_lock(&l->mu);
	l->stopped[s->kind] = 1;
	pthread_mutex_unlock(&l->mu);
	return 0;                         /* said once per kind by lookup_messages */
}

/* Looks every sub up, concurrently, with clients for Cost Explorer's region. */
static void
lookup_all(snd_task *t, subs *list, const char *region)
{
	mao_aws_client *regional = t->client;
	const char *own_region = t->client_region;
	lookups l;
	mao_err err;
	size_t i;

	if (list->n == 0)
		return;
	t->client = NULL;
	if (snd_task_client(t, region, &err) != MAO_OK) {
		for (i = 0; i < list->n; i++) {
			list->v[i].state = LOOKUP_FAILED;
			list->v[i].f.rc = err.code;
			snprintf(list->v[i].f.msg, sizeof(list->v[i].f.msg), "%s", err.msg);
		}
		t->client = regional;
		return;
	}
	memset(&l, 0, sizeof(l));
	l.list = list;
	pthread_mutex_init(&l.mu, NULL);
	t->client_region = region;    /* the fan-out's other workers make their clients there */
	snd_fanout(t, (int) list->n, lookup_one, &l, NULL);
	t->client_region = own_region;
	pthread_mutex_destroy(&l.mu);
	mao_aws_client_free(t->client);
	t->client = regional;
}

/* Appends s's rows to rows: one per day, or the zero row. */
static void
sub_rows(const snd_settings *st, const sub *s, cJSON *rows)
{
	int n = s->days ? cJSON_GetArraySize(s->days) : 0, i;

	for (i = 0; i < (n > 0 ? n : 1); i++) {
		const cJSON *day = n > 0 ? cJSON_GetArrayItem(s->days, i) : NULL, *c;
		static const char *const metrics[] = {
			"utilization_percentage", "on_demand_cost", "reservation_cost", "net_savings", NULL};
		cJSON *r = cJSON_CreateObject();
		size_t k;

		cJSON_AddStringToObject(r, "date_from", st->date_from);
		cJSON_AddStringToObject(r, "date_to", st->date_to);
		if (day)
			cJSON_AddItemToObject(r, "date", snd_jcopy(day, "date"));
		cJSON_AddStringToObject(r, "reservation_type", s->kind == KIND_RI ? "Reserved Instance" : "Savings Plan");
		cJSON_AddStringToObject(r, "subscription_id", s->id);
		cJSON_ArrayForEach(c, s->fields)
			cJSON_AddItemToObject(r, c->string, cJSON_Duplicate(c, 1));
		for (k = 0; metrics[k]; k++)
			cJSON_AddItemToObject(r, metrics[k], day ? snd_jcopy(day, metrics[k]) : cJSON_CreateNumber(0));
		cJSON_AddItemToArray(rows, r);
	}
}

/* Says, once per kind, which lookups failed and how many rows were left at zero; returns that count. */
static int
lookup_messages(snd_task *t, const subs *list)
{
	static const char *const ops[] = {"ce:GetReservationUtilization", "ce:GetSavingsPlansUtilization"};
	static const char *const nouns[] = {"reservations", "Savings Plans"};
	int kind, bad_all = 0;

	for (kind = 0; kind < 2; kind++) {
		const snd_fail *first = NULL;
		int bad = 0, total = 0;
		size_t i;

		for (i = 0; i < list->n; i++) {
			const sub *s = &list->v[i];

			if (s->kind != kind)
				continue;
			total++;
			if (s->state != LOOKUP_DONE)
				bad++;      /* failed, not tried after a failure, or cancelled */
			if (s->state == LOOKUP_FAILED && first == NULL)
				first = &s->f;
		}
		if (first != NULL) {
			char what[160];

			snprintf(what, sizeof(what), "%s (utilisation left at 0 for %d of %d %s)", ops[kind], bad, total,
					 nouns[kind]);
			snd_task_fail(t, AREA, what, first);
		}
		bad_all += bad;
	}
	return bad_all;
}

/* See sender.h. */
void
snd_collect_ri_sp_savings(snd_task *t)
{
	const snd_settings *s = t->s;
	/* the global services' home: us-east-1 (China: Savings Plans regional, Cost Explorer in cn-northwest-1) */
	int china = strncmp(s->region, "cn-", 3) == 0;
	const char *sp_region = china ? s->region : "us-east-1";
	const char *ce_region = china ? "cn-northwest-1" : "us-east-1";
	mao_aws_client *regional = t->client;
	subs list = {NULL, 0, 0};
	cJSON *rows;
	mao_err err;
	size_t i;
	int lists_failed = 0, lookups_failed;

	lists_failed += ec2_reservations(t, &list) < 0;
	lists_failed += rds_reservations(t, &list) < 0;
	t->client = NULL;
	if (snd_task_client(t, sp_region, &err) != MAO_OK) {
		snd_task_message(t, AREA, err.msg);
		lists_failed++;
	} else
		lists_failed += savings_plans(t, &list) < 0;
	mao_aws_client_free(t->client);
	t->client = regional;
	if (lists_failed == 3) {
		subs_free(&list);
		if (t->status == SND_OK)
			t->status = SND_FAILED;
		return;
	}
	lookup_all(t, &list, ce_region);
	lookups_failed = lookup_messages(t, &list);
	rows = cJSON_CreateArray();
	for (i = 0; i < list.n; i++)
		sub_rows(s, &list.v[i], rows);
	subs_free(&list);
	t->items = cJSON_GetArraySize(rows);
	t->value = rows;
	t->status = (lists_failed || lookups_failed) ? SND_PARTIAL : SND_OK;
}
