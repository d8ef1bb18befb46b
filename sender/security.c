/*
 * security.c - sub-collectors of the `security` section that run as their
 * own tasks: kms (ListKeys, DescribeKey, GetKeyRotationStatus), secrets_manager
 * (ListSecrets), certificate_manager (ListCertificates, DescribeCertificate)
 * and cloudtrail (DescribeTrails, GetTrailStatus); every list to its last
 * page (document-format.md §4.5).
 */
#include "sender.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JSON11 "application/x-amz-json-1.1"


/* A string member or NULL. */
static const char *
jget(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* A boolean member, or null when absent. */
static cJSON *
jbool(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsBool(v) ? cJSON_CreateBool(cJSON_IsTrue(v)) : cJSON_CreateNull();
}

/* A boolean member, false when absent. */
static cJSON *
jbool_false(const cJSON *o, const char *key)
{
	return cJSON_CreateBool(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, key)));
}

/* A KMS operation (JSON 1.1, TrentService). */
static int
kms(snd_task *t, const char *op, const cJSON *body, cJSON **out, snd_fail *f)
{
	char target[64];

	snprintf(target, sizeof(target), "TrentService.%s", op);
	return snd_call_json(t, "kms", JSON11, target, body, out, f);
}

/* One key -> a kms row, or NULL when the key is skipped (rotation status not applicable). */
static cJSON *
kms_row(snd_task *t, const char *key_id, int *failed)
{
	cJSON *body = cJSON_CreateObject(), *d = NULL, *r = NULL, *row = NULL;
	const cJSON *m;
	snd_fail f;
	int rotation;

	cJSON_AddStringToObject(body, "KeyId", key_id);
	if (kms(t, "DescribeKey", body, &d, &f) != MAO_OK) {
		snd_task_fail(t, "kms", "kms:DescribeKey", &f);
		*failed = 1;
		goto out;
	}
	if (kms(t, "GetKeyRotationStatus", body, &r, &f) == MAO_OK)
		rotation = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r, "KeyRotationEnabled"));
	else if (snd_fail_is_denied(&f))
		rotation = 1;     /* the reference's choice on AccessDenied */
	else
		goto out;         /* asymmetric, HMAC, imported or pending deletion: skipped */
	m = cJSON_GetObjectItemCaseSensitive(d, "KeyMetadata");
	row = cJSON_CreateObject();
	cJSON_AddStringToObject(row, "key_id", key_id);
	cJSON_AddItemToObject(row, "arn", snd_jstr(m, "Arn"));
	cJSON_AddItemToObject(row, "description", snd_jstr(m, "Description"));
	cJSON_AddItemToObject(row, "key_usage", snd_jstr(m, "KeyUsage"));
	cJSON_AddItemToObject(row, "key_state", snd_jstr(m, "KeyState"));
	cJSON_AddItemToObject(row, "creation_date", snd_jepoch(m, "CreationDate"));
	cJSON_AddItemToObject(row, "enabled", jbool(m, "Enabled"));
	cJSON_AddBoolToObject(row, "key_rotation_enabled", rotation);
out:
	cJSON_Delete(body);
	cJSON_Delete(d);
	cJSON_Delete(r);
	return row;
}

/* Ids gathered from a list's pages, then described side by side, one row each. */
typedef struct described {
	const char *member;       /* the id's member in a list element (KeyId, CertificateArn) */
	const char *list;         /* the page's list member (Keys, CertificateSummaryList) */
	cJSON *ids;               /* the ids, in list order */
	cJSON **rows;             /* one slot per id: its row, or NULL (skipped or failed) */
	cJSON *(*row)(snd_task *w, const char *id, int *failed);
} described;

/* A list page: its elements' ids appended. */
static int
ids_page(snd_task *t, const cJSON *page, void *ctx)
{
	described *d = ctx;
	const cJSON *e;

	(void) t;
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(page, d->list)) {
		const char *id = jget(e, d->member);
		if (id != NULL)
			cJSON_AddItemToArray(d->ids, cJSON_CreateString(id));
	}
	return 0;
}

/* One id of the fan-out: its row into its slot. */
static int
described_item(snd_task *w, int i, void *ctx)
{
	described *d = ctx;
	int failed = 0;

	d->rows[i] = d->row(w, cJSON_GetArrayItem(d->ids, i)->valuestring, &failed);
	return failed ? -1 : 0;
}

/*
 * Every page of op, then each id's row from d->row on the fan-out; fills
 * t->value and t->items (a failed per-id call leaves the part partial).
 */
static void
collect_described(snd_task *t, const snd_op *op, cJSON *body, described *d)
{
	cJSON *rows;
	int n, i, failed;

	d->ids = cJSON_CreateArray();
	if (snd_pages(t, op, body, ids_page, d) < 0) {
		cJSON_Delete(d->ids);
		return;
	}
	n = cJSON_GetArraySize(d->ids);
	d->rows = calloc((size_t) n + 1, sizeof(*d->rows));
	if (d->rows == NULL) {
		cJSON_Delete(d->ids);
		snd_task_message(t, op->area, "out of memory");
		t->status = SND_FAILED;
		return;
	}
	failed = snd_fanout(t, n, described_item, d, NULL);
	rows = cJSON_CreateArray();
	for (i = 0; i < n; i++)
		if (d->rows[i] != NULL)
			cJSON_AddItemToArray(rows, d->rows[i]);
	free(d->rows);
	cJSON_Delete(d->ids);
	t->items = cJSON_GetArraySize(rows);
	t->value = rows;
	if (failed)
		t->status = SND_PARTIAL;
}

/* See sender.h. */
void
snd_collect_kms(snd_task *t)
{
	static const snd_op list_keys = {"kms", JSON11, "TrentService.ListKeys", NULL,
									 "Marker", "NextMarker", "kms", "kms:ListKeys"};
	described d = {"KeyId", "Keys", NULL, NULL, kms_row};
	cJSON *body = cJSON_CreateObject();

	cJSON_AddNumberToObject(body, "Limit", snd_page_size(t, 1, 1000));
	collect_described(t, &list_keys, body, &d);
	cJSON_Delete(body);
}

/* A ListSecrets page: one row per secret. */
static int
secrets_page(snd_task *t, const cJSON *page, void *ctx)
{
	const cJSON *s;

	(void) t;
	cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(page, "SecretList")) {
		cJSON *row = cJSON_CreateObject();
		const cJSON *tags = cJSON_GetObjectItemCaseSensitive(s, "Tags");

		cJSON_AddItemToObject(row, "name", snd_jstr(s, "Name"));
		cJSON_AddItemToObject(row, "arn", snd_jstr(s, "ARN"));
		cJSON_AddItemToObject(row, "description", snd_jstr(s, "Description"));
		cJSON_AddItemToObject(row, "created_date", snd_jepoch(s, "CreatedDate"));
		cJSON_AddItemToObject(row, "last_changed_date", snd_jepoch(s, "LastChangedDate"));
		cJSON_AddItemToObject(row, "last_accessed_date", snd_jepoch(s, "LastAccessedDate"));
		cJSON_AddItemToObject(row, "rotation_enabled", jbool(s, "RotationEnabled"));
		cJSON_AddItemToObject(row, "rotation_lambda_arn", snd_jstr(s, "RotationLambdaARN"));
		cJSON_AddItemToObject(row, "kms_key_id", snd_jstr(s, "KmsKeyId"));
		cJSON_AddItemToObject(row, "tags", cJSON_IsArray(tags) ? cJSON_Duplicate(tags, 1) : cJSON_CreateArray());
		cJSON_AddItemToArray((cJSON *) ctx, row);
	}
	return 0;
}

/* See sender.h. */
void
snd_collect_secrets_manager(snd_task *t)
{
	static const snd_op list_secrets = {"secretsmanager", JSON11, "secretsmanager.ListSecrets", NULL,
										"NextToken", NULL, "secrets_manager", "secretsmanager:ListSecrets"};
	cJSON *body = cJSON_CreateObject();

	cJSON_AddNumberToObject(body, "MaxResults", snd_page_size(t, 1, 100));
	snd_collect_pages(t, &list_secrets, body, secrets_page);
}

/* One certificate ARN -> a certificate_manager row (NULL after a recorded failure). */
static cJSON *
acm_row(snd_task *t, const char *arn, int *failed)
{
	cJSON *body = cJSON_CreateObject(), *r = NULL, *row = NULL;
	const cJSON *c, *v;
	snd_fail f;

	cJSON_AddStringToObject(body, "CertificateArn", arn);
	if (snd_call_json(t, "acm", JSON11, "CertificateManager.DescribeCertificate", body, &r, &f) != MAO_OK) {
		snd_task_fail(t, "certificate_manager", "acm:DescribeCertificate", &f);
		*failed = 1;
		goto out;
	}
	c = cJSON_GetObjectItemCaseSensitive(r, "Certificate");
	row = cJSON_CreateObject();
	cJSON_AddStringToObject(row, "arn", arn);
	cJSON_AddItemToObject(row, "domain_name", snd_jstr(c, "DomainName"));
	v = cJSON_GetObjectItemCaseSensitive(c, "SubjectAlternativeNames");
	cJSON_AddItemToObject(row, "subject_alternative_names", cJSON_IsArray(v) ? cJSON_Duplicate(v, 1) : cJSON_CreateArray());
	cJSON_AddItemToObject(row, "status", snd_jstr(c, "Status"));
	cJSON_AddItemToObject(row, "type", snd_jstr(c, "Type"));
	cJSON_AddItemToObject(row, "key_algorithm", snd_jstr(c, "KeyAlgorithm"));
	cJSON_AddItemToObject(row, "signature_algorithm", snd_jstr(c, "SignatureAlgorithm"));
	cJSON_AddItemToObject(row, "created_at", snd_jepoch(c, "CreatedAt"));
	cJSON_AddItemToObject(row, "issued_at", snd_jepoch(c, "IssuedAt"));
	cJSON_AddItemToObject(row, "not_before", snd_jepoch(c, "NotBefore"));
	cJSON_AddItemToObject(row, "not_after", snd_jepoch(c, "NotAfter"));
	cJSON_AddItemToObject(row, "renewal_eligibility", snd_jstr(c, "RenewalEligibility"));
	v = cJSON_GetObjectItemCaseSensitive(c, "KeyUsages");
	cJSON_AddItemToObject(row, "key_usages", cJSON_IsArray(v) ? cJSON_Duplicate(v, 1) : cJSON_CreateArray());
	v = cJSON_GetObjectItemCaseSensitive(c, "ExtendedKeyUsages");
	cJSON_AddItemToObject(row, "extended_key_usages", cJSON_IsArray(v) ? cJSON_Duplicate(v, 1) : cJSON_CreateArray());
out:
	cJSON_Delete(body);
	cJSON_Delete(r);
	return row;
}

/* See sender.h. */
void
snd_collect_certificate_manager(snd_task *t)
{
	static const snd_op list_certs = {"acm", JSON11, "CertificateManager.ListCertificates", NULL,
									  "NextToken", NULL, "certificate_manager", "acm:ListCertificates"};
	described d = {"CertificateArn", "CertificateSummaryList", NULL, NULL, acm_row};
	cJSON *body = cJSON_CreateObject();

	cJSON_AddNumberToObject(body, "MaxItems", snd_page_size(t, 1, 1000));
	collect_described(t, &list_certs, body, &d);
	cJSON_Delete(body);
}

#define CLOUDTRAIL_TARGET "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101."

/* The trails and one row slot each, for the fan-out of GetTrailStatus. */
typedef struct trails {
	const cJSON *list;        /* DescribeTrails' trailList */
	cJSON **rows;
} trails;

/* One trail of the fan-out: its status asked, its row into its slot. */
static int
trail_item(snd_task *w, int i, void *ctx)
{
	trails *tl = ctx;
	const cJSON *tr = cJSON_GetArrayItem(tl->list, i);
	cJSON *body = cJSON_CreateObject(), *st = NULL, *row;
	const char *arn = jget(tr, "TrailARN");
	snd_fail f;
	int rc = 0;

	cJSON_AddStringToObject(body, "Name", arn ? arn : (jget(tr, "Name") ? jget(tr, "Name") : ""));
	if (snd_call_json(w, "cloudtrail", JSON11, CLOUDTRAIL_TARGET "GetTrailStatus", body, &st, &f) != MAO_OK) {
		snd_task_fail(w, "cloudtrail", "cloudtrail:GetTrailStatus", &f);
		rc = -1;
	}
	row = cJSON_CreateObject();
	cJSON_AddItemToObject(row, "name", snd_jstr(tr, "Name"));
	cJSON_AddItemToObject(row, "arn", snd_jstr(tr, "TrailARN"));
	cJSON_AddItemToObject(row, "is_logging", jbool_false(st, "IsLogging"));
	cJSON_AddItemToObject(row, "is_multi_region", jbool_false(tr, "IsMultiRegionTrail"));
	cJSON_AddItemToObject(row, "include_global_events", jbool_false(tr, "IncludeGlobalServiceEvents"));
	cJSON_AddItemToObject(row, "s3_bucket", snd_jstr(tr, "S3BucketName"));
	cJSON_AddItemToObject(row, "kms_key_id", snd_jstr(tr, "KmsKeyId"));
	cJSON_AddItemToObject(row, "log_file_validation", jbool_false(tr, "LogFileValidationEnabled"));
	cJSON_AddNumberToObject(row, "recent_events_count", 0);
	cJSON_AddItemToObject(row, "latest_delivery_time", snd_jepoch(st, "LatestDeliveryTime"));
	cJSON_AddItemToObject(row, "start_logging_time", snd_jepoch(st, "StartLoggingTime"));
	cJSON_AddItemToObject(row, "stop_logging_time", snd_jepoch(st, "StopLoggingTime"));
	tl->rows[i] = row;
	cJSON_Delete(body);
	cJSON_Delete(st);
	return rc;
}

/* See sender.h. */
void
snd_collect_cloudtrail(snd_task *t)
{
	cJSON *rows, *r = NULL;
	trails tl;
	snd_fail f;
	int n, i, failed;

	if (snd_call_json(t, "cloudtrail", JSON11, CLOUDTRAIL_TARGET "DescribeTrails", NULL, &r, &f) != MAO_OK) {
		snd_task_fail(t, "cloudtrail", "cloudtrail:DescribeTrails", &f);
		return;
	}
	tl.list = cJSON_GetObjectItemCaseSensitive(r, "trailList");
	n = cJSON_GetArraySize(tl.list);
	tl.rows = calloc((size_t) n + 1, sizeof(*tl.rows));
	if (tl.rows == NULL) {
		cJSON_Delete(r);
		snd_task_message(t, "cloudtrail", "out of memory");
		t->status = SND_FAILED;
		return;
	}
	failed = snd_fanout(t, n, trail_item, &tl, NULL);
	rows = cJSON_CreateArray();
	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(rows, tl.rows[i]);
	free(tl.rows);
	cJSON_Delete(r);
	t->items = cJSON_GetArraySize(rows);
	t->value = rows;
	if (failed)
		t->status = SND_PARTIAL;
}
