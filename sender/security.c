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

/* Rows gathered over pages, and whether a per-item call failed. */
typedef struct row_acc {
	cJSON *rows;
	int failed;
} row_acc;

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

/* A ListKeys page: one row per key whose rotation status applies. */
static int
kms_page(snd_task *t, const cJSON *page, void *ctx)
{
	row_acc *acc = ctx;
	const cJSON *k;

	cJSON_ArrayForEach(k, cJSON_GetObjectItemCaseSensitive(page, "Keys")) {
		const char *id = jget(k, "KeyId");
		cJSON *row = id ? kms_row(t, id, &acc->failed) : NULL;
		if (row)
			cJSON_AddItemToArray(acc->rows, row);
	}
	return 0;
}

/* See sender.h. */
void
snd_collect_kms(snd_task *t)
{
	static const snd_op list_keys = {"kms", JSON11, "TrentService.ListKeys", NULL,
									 "Marker", "NextMarker", "kms", "kms:ListKeys"};
	row_acc acc = {cJSON_CreateArray(), 0};
	cJSON *body = cJSON_CreateObject();

	cJSON_AddNumberToObject(body, "Limit", snd_page_size(t, 1, 1000));
	if (snd_pages(t, &list_keys, body, kms_page, &acc) < 0) {
		cJSON_Delete(body);
		cJSON_Delete(acc.rows);
		return;
	}
	cJSON_Delete(body);
	t->items = cJSON_GetArraySize(acc.rows);
	t->value = acc.rows;
	if (acc.failed && t->status == SND_FAILED)
		t->status = SND_PARTIAL;
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
	cJSON *rows = cJSON_CreateArray(), *body = cJSON_CreateObject();

	cJSON_AddNumberToObject(body, "MaxResults", snd_page_size(t, 1, 100));
	if (snd_pages(t, &list_secrets, body, secrets_page, rows) < 0) {
		cJSON_Delete(body);
		cJSON_Delete(rows);
		return;
	}
	cJSON_Delete(body);
	t->items = cJSON_GetArraySize(rows);
	t->value = rows;
}

/* One certificate ARN -> a certificate_manager row (NULL after a recorded failure). */
static cJSON *
acm_row(snd_task *t, const char *arn)
{
	cJSON *body = cJSON_CreateObject(), *r = NULL, *row = NULL;
	const cJSON *c, *v;
	snd_fail f;

	cJSON_AddStringToObject(body, "CertificateArn", arn);
	if (snd_call_json(t, "acm", JSON11, "CertificateManager.DescribeCertificate", body, &r, &f) != MAO_OK) {
		snd_task_fail(t, "certificate_manager", "acm:DescribeCertificate", &f);
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

/* A ListCertificates page: each certificate described. */
static int
acm_page(snd_task *t, const cJSON *page, void *ctx)
{
	row_acc *acc = ctx;
	const cJSON *c;

	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(page, "CertificateSummaryList")) {
		const char *arn = jget(c, "CertificateArn");
		cJSON *row = arn ? acm_row(t, arn) : NULL;
		if (row)
			cJSON_AddItemToArray(acc->rows, row);
		else
			acc->failed = 1;
	}
	return 0;
}

/* See sender.h. */
void
snd_collect_certificate_manager(snd_task *t)
{
	static const snd_op list_certs = {"acm", JSON11, "CertificateManager.ListCertificates", NULL,
									  "NextToken", NULL, "certificate_manager", "acm:ListCertificates"};
	row_acc acc = {cJSON_CreateArray(), 0};
	cJSON *body = cJSON_CreateObject();

	cJSON_AddNumberToObject(body, "MaxItems", snd_page_size(t, 1, 1000));
	if (snd_pages(t, &list_certs, body, acm_page, &acc) < 0) {
		cJSON_Delete(body);
		cJSON_Delete(acc.rows);
		return;
	}
	cJSON_Delete(body);
	t->items = cJSON_GetArraySize(acc.rows);
	t->value = acc.rows;
	if (acc.failed && t->status == SND_FAILED)
		t->status = SND_PARTIAL;
}

/* See sender.h. */
void
snd_collect_cloudtrail(snd_task *t)
{
	static const char target_base[] = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.";
	char target[128];
	cJSON *rows = cJSON_CreateArray(), *r = NULL, *tr;
	snd_fail f;
	int failed = 0;

	snprintf(target, sizeof(target), "%sDescribeTrails", target_base);
	if (snd_call_json(t, "cloudtrail", JSON11, target, NULL, &r, &f) != MAO_OK) {
		snd_task_fail(t, "cloudtrail", "cloudtrail:DescribeTrails", &f);
		cJSON_Delete(rows);
		return;
	}
	snprintf(target, sizeof(target), "%sGetTrailStatus", target_base);
	cJSON_ArrayForEach(tr, cJSON_GetObjectItemCaseSensitive(r, "trailList")) {
		cJSON *body = cJSON_CreateObject(), *st = NULL, *row;
		const char *arn = jget(tr, "TrailARN");

		cJSON_AddStringToObject(body, "Name", arn ? arn : (jget(tr, "Name") ? jget(tr, "Name") : ""));
		if (snd_call_json(t, "cloudtrail", JSON11, target, body, &st, &f) != MAO_OK) {
			snd_task_fail(t, "cloudtrail", "cloudtrail:GetTrailStatus", &f);
			failed = 1;
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
		cJSON_AddItemToArray(rows, row);
		cJSON_Delete(body);
		cJSON_Delete(st);
	}
	cJSON_Delete(r);
	t->items = cJSON_GetArraySize(rows);
	t->value = rows;
	if (failed && t->status == SND_FAILED)
		t->status = SND_PARTIAL;
}
