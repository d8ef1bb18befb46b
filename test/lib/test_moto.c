/*
 * test_moto.c - lib/sts and lib/kms against moto_server with its SigV4
 * checking on (INITIAL_NO_AUTH_ACTION_COUNT=0, prepared by
 * test/fakes/moto_setup.py).
 *
 * Usage: test_moto ENDPOINT ACCESS_KEY_ID SECRET ACCOUNT ROLE_ARN KMS_KEY_ID
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kms.h"
#include "sts.h"
#include "testutil.h"

static const char *endpoint;

/* STS calls, the wrong secret, AssumeRole and web identity. */
static void
test_sts(t_ctx *t, mao_aws_creds *good, const char *account, const char *role_arn)
{
	mao_aws_client *c = t_aws_client(endpoint, good, 0), *bad_c, *role_c, *anon;
	mao_aws_creds bad, role, web;
	mao_sts_identity id;
	mao_err err;
	int rc;

	rc = mao_sts_get_caller_identity(c, &id, &err);
	T_CHECK(t, rc == MAO_OK, "GetCallerIdentity: %s", err.msg);
	T_STREQ(t, "account", account, id.account);
	T_CHECK(t, strstr(id.arn, ":user/mao-test") != NULL, "user arn %s", id.arn);

	mao_aws_creds_set(&bad, good->access_key_id, "wrong-secret-0123456789", NULL, 0, "test");
	bad_c = t_aws_client(endpoint, &bad, 0);
	rc = mao_sts_get_caller_identity(bad_c, &id, &err);
	T_CHECK(t, rc == MAO_ERR_AWS, "wrong secret fails: %s", mao_status_str(rc));
	T_CHECK(t, strstr(err.msg, "SignatureDoesNotMatch") != NULL && strstr(err.msg, "1 attempt,") != NULL,
			"SignatureDoesNotMatch, one attempt: %s", err.msg);
	T_CHECK(t, strstr(err.msg, "wrong-secret") == NULL, "no secret in the message");

	memset(&role, 0, sizeof(role));
	rc = mao_sts_assume_role(c, role_arn, "mao-session", "ext-id", 900, &role, &err);
	T_CHECK(t, rc == MAO_OK, "AssumeRole: %s", err.msg);
	T_CHECK(t, role.session_token != NULL && role.expiration > time(NULL), "temporary credentials");
	if (rc == MAO_OK) {
		role_c = t_aws_client(endpoint, &role, 0);
		rc = mao_sts_get_caller_identity(role_c, &id, &err);
		T_CHECK(t, rc == MAO_OK, "GetCallerIdentity as the role: %s", err.msg);
		T_CHECK(t, strstr(id.arn, ":assumed-role/mao-role/mao-session") != NULL, "assumed arn %s", id.arn);
		mao_aws_client_free(role_c);
	}
	anon = t_aws_client(endpoint, NULL, 0);
	memset(&web, 0, sizeof(web));
	/* AWS takes AssumeRoleWithWebIdentity unsigned, but moto with its
	 * checking on wants an Authorization header on every action: open a
	 * window of exactly one unauthenticated action for it. */
	T_CHECK(t, t_moto_open_auth(endpoint, 1), "moto reset-auth");
	rc = mao_sts_assume_role_with_web_identity(anon, role_arn, "web-session",
											   "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ0ZXN0In0.", 0, &web, &err);
	T_CHECK(t, rc == MAO_OK && web.session_token != NULL, "AssumeRoleWithWebIdentity: %s", err.msg);
	T_CHECK(t, strcmp(web.source, "web-identity") == 0, "source");
	rc = mao_sts_get_caller_identity(anon, &id, &err);
	T_CHECK(t, rc == MAO_ERR_CREDENTIALS, "signed call without a provider: %s", mao_status_str(rc));
	mao_aws_creds_free(&web);
	mao_aws_creds_free(&role);
	mao_aws_creds_free(&bad);
	mao_aws_client_free(anon);
	mao_aws_client_free(bad_c);
	mao_aws_client_free(c);
}

/* KMS data keys, encryption context binding, Encrypt/Decrypt, wrong secret. */
static void
test_kms(t_ctx *t, mao_aws_creds *good, const char *key_id)
{
	mao_aws_client *c = t_aws_client(endpoint, good, 0), *bad_c;
	mao_aws_creds bad;
	mao_header ctx[] = {{"bucket", "my-bucket"}, {"key", "a/b c+\xc3\xa9\"q\\"}};
	mao_header wrong_ctx[] = {{"bucket", "my-bucket"}, {"key", "other"}};
	mao_buf pt = MAO_BUF_INIT, ct = MAO_BUF_INIT, pt2 = MAO_BUF_INIT, ct2 = MAO_BUF_INIT;
	unsigned char data[300];
	char arn[256];
	mao_err err;
	int rc, i;

	rc = mao_kms_generate_data_key(c, key_id, ctx, 2, &pt, &ct, arn, sizeof(arn), &err);
	T_CHECK(t, rc == MAO_OK, "GenerateDataKey: %s", err.msg);
	T_CHECK(t, pt.len == 32 && ct.len > 32, "32-byte key, blob %zu bytes", ct.len);
	T_CHECK(t, strstr(arn, key_id) != NULL, "key arn %s", arn);
	rc = mao_kms_decrypt(c, NULL, ctx, 2, ct.data, ct.len, &pt2, &err);
	T_CHECK(t, rc == MAO_OK && pt2.len == 32 && memcmp(pt.data, pt2.data, 32) == 0,
			"Decrypt gives the data key back: %s", err.msg);
	mao_buf_reset(&pt2);
	rc = mao_kms_decrypt(c, key_id, ctx, 2, ct.data, ct.len, &pt2, &err);
	T_CHECK(t, rc == MAO_OK && pt2.len == 32, "Decrypt with the key id: %s", err.msg);
	mao_buf_reset(&pt2);
	rc = mao_kms_decrypt(c, NULL, wrong_ctx, 2, ct.data, ct.len, &pt2, &err);
	T_CHECK(t, rc == MAO_ERR_AWS && pt2.len == 0, "wrong context fails: %s", err.msg);
	T_CHECK(t, strstr(err.msg, "InvalidCiphertextException") != NULL, "code: %s", err.msg);
	rc = mao_kms_decrypt(c, NULL, NULL, 0, ct.data, ct.len, &pt2, &err);
	T_CHECK(t, rc == MAO_ERR_AWS && pt2.len == 0, "no context fails: %s", err.msg);

	for (i = 0; i < (int) sizeof(data); i++)
		data[i] = (unsigned char) (i * 7);
	rc = mao_kms_encrypt(c, key_id, ctx, 1, data, sizeof(data), &ct2, &err);
	T_CHECK(t, rc == MAO_OK, "Encrypt: %s", err.msg);
	mao_buf_reset(&pt2);
	rc = mao_kms_decrypt(c, key_id, ctx, 1, ct2.data, ct2.len, &pt2, &err);
	T_CHECK(t, rc == MAO_OK && pt2.len == sizeof(data) && memcmp(pt2.data, data, sizeof(data)) == 0,
			"Encrypt/Decrypt round trip of binary data: %s", err.msg);

	mao_aws_creds_set(&bad, good->access_key_id, "wrong-secret-0123456789", NULL, 0, "test");
	bad_c = t_aws_client(endpoint, &bad, 0);
	mao_buf_reset(&pt2);
	rc = mao_kms_decrypt(bad_c, NULL, ctx, 2, ct.data, ct.len, &pt2, &err);
	T_CHECK(t, rc == MAO_ERR_AWS && strstr(err.msg, "SignatureDoesNotMatch") != NULL && pt2.len == 0,
			"KMS with a wrong secret: %s", err.msg);
	mao_aws_creds_free(&bad);
	mao_aws_client_free(bad_c);
	mao_buf_free(&pt);
	mao_buf_free(&pt2);
	mao_buf_free(&ct);
	mao_buf_free(&ct2);
	mao_aws_client_free(c);
}

/* Entry point. */
int
main(int argc, char **argv)
{
	t_ctx t = {0, 0};
	mao_aws_creds good;

	if (argc != 7) {
		fprintf(stderr, "usage: test_moto ENDPOINT AKID SECRET ACCOUNT ROLE_ARN KEY_ID\n");
		return 2;
	}
	endpoint = argv[1];
	mao_http_global_init(NULL);
	mao_aws_creds_set(&good, argv[2], argv[3], NULL, 0, "test");
	test_sts(&t, &good, argv[4], argv[5]);
	test_kms(&t, &good, argv[6]);
	mao_aws_creds_free(&good);
	mao_http_global_cleanup();
	return t_summary(&t, "test_moto");
}
