/*
 * sts.c - STS Query-protocol calls (see sts.h).
 */
#include "sts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "timeutil.h"
#include "xml.h"

#define STS_VERSION "2011-06-15"

/* Appends "&name=value" (value form-encoded) to body. */
static void
add_param(mao_buf *body, const char *name, const char *value)
{
	mao_buf_printf(body, "&%s=", name);
	mao_buf_append_uri_encoded(body, value, strlen(value), 1);
}

/* POSTs a Query-protocol body to STS. */
static int
sts_post(mao_aws_client *c, const mao_buf *body, int anonymous,
		 mao_aws_response *resp, mao_err *err)
{
	mao_header h[] = {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}};
	mao_aws_request req;

	if (mao_buf_status(body) != MAO_OK)
		return mao_err_set(err, MAO_ERR_NOMEM, "out of memory");
	memset(&req, 0, sizeof(req));
	req.service = "sts";
	req.method = "POST";
	req.path = "/";
	req.headers = h;
	req.n_headers = 1;
	req.body = body->data;
	req.body_len = body->len;
	req.anonymous = anonymous;
	return mao_aws_call(c, &req, resp, err);
}

/* Copies the decoded text of element `name` in the response into dst. */
static void
field(const mao_aws_response *r, const char *name, char *dst, size_t len)
{
	char *t = mao_xml_text_dup(r->http.body.data ? r->http.body.data : "",
							   r->http.body.len, name);

	snprintf(dst, len, "%s", t ? t : "");
	free(t);
}

/* Calls GetCallerIdentity. */
int
mao_sts_get_caller_identity(mao_aws_client *c, mao_sts_identity *out,
							mao_err *err)
{
	mao_buf body = MAO_BUF_INIT;
	mao_aws_response r;
	int rc;

	memset(out, 0, sizeof(*out));
	mao_aws_response_init(&r);
	mao_buf_printf(&body, "Action=GetCallerIdentity&Version=%s", STS_VERSION);
	rc = sts_post(c, &body, 0, &r, err);
	if (rc == MAO_OK) {
		field(&r, "Account", out->account, sizeof(out->account));
		field(&r, "Arn", out->arn, sizeof(out->arn));
		field(&r, "UserId", out->user_id, sizeof(out->user_id));
		if (out->account[0] == '\0')
			rc = mao_err_set(err, MAO_ERR_INVALID, "sts GetCallerIdentity: no Account in the response");
	}
	mao_aws_response_free(&r);
	mao_buf_free(&body);
	return rc;
}

/* Reads <Credentials> of an AssumeRole* response into out. */
static int
parse_credentials(const mao_aws_response *r, const char *source,
				  mao_aws_creds *out, mao_err *err)
{
	const char *c;
	size_t cl;
	char *akid, *secret, *token, *exp;
	time_t expiration = 0;
	int rc;

	if (!mao_xml_find(r->http.body.data ? r->http.body.data : "", r->http.body.len,
					  "Credentials", &c, &cl))
		return mao_err_set(err, MAO_ERR_INVALID, "sts: no Credentials in the response");
	akid = mao_xml_text_dup(c, cl, "AccessKeyId");
	secret = mao_xml_text_dup(c, cl, "SecretAccessKey");
	token = mao_xml_text_dup(c, cl, "SessionToken");
	exp = mao_xml_text_dup(c, cl, "Expiration");
	if (akid == NULL || secret == NULL || token == NULL || exp == NULL ||
		mao_time_parse_iso8601(exp, &expiration) != MAO_OK)
		rc = mao_err_set(err, MAO_ERR_INVALID, "sts: incomplete Credentials in the response");
	else
		rc = mao_aws_creds_set(out, akid, secret, token, expiration, source);
	if (secret != NULL) {
		mao_secure_zero(secret, strlen(secret));
		free(secret);
	}
	if (token != NULL) {
		mao_secure_zero(token, strlen(token));
		free(token);
	}
	free(akid);
	free(exp);
	if (rc == MAO_ERR_NOMEM)
		mao_err_set(err, rc, "out of memory");
	return rc;
}

/* Shared body of the two AssumeRole calls. */
static int
assume(mao_aws_client *c, const char *action, const char *role_arn,
	   const char *session_name, const char *external_id, const char *token,
	   int duration_s, mao_aws_creds *out, mao_err *err)
{
	mao_buf body = MAO_BUF_INIT;
	mao_aws_response r;
	int rc;

	memset(out, 0, sizeof(*out));
	if (role_arn == NULL || session_name == NULL)
		return mao_err_set(err, MAO_ERR_INVALID, "sts %s: role ARN and session name are required", action);
	mao_aws_response_init(&r);
	mao_buf_printf(&body, "Action=%s&Version=%s", action, STS_VERSION);
	add_param(&body, "RoleArn", role_arn);
	add_param(&body, "RoleSessionName", session_name);
	if (external_id != NULL && external_id[0] != '\0')
		add_param(&body, "ExternalId", external_id);
	if (token != NULL)
		add_param(&body, "WebIdentityToken", token);
	if (duration_s > 0)
		mao_buf_printf(&body, "&DurationSeconds=%d", duration_s);
	rc = sts_post(c, &body, token != NULL, &r, err);
	if (rc == MAO_OK)
		rc = parse_credentials(&r, token != NULL ? "web-identity" : "assume-role", out, err);
	mao_aws_response_free(&r);
	mao_buf_free(&body);
	return rc;
}

/* Calls AssumeRole. */
int
mao_sts_assume_role(mao_aws_client *c, const char *role_arn,
					const char *session_name, const char *external_id,
					int duration_s, mao_aws_creds *out, mao_err *err)
{
	return assume(c, "AssumeRole", role_arn, session_name, external_id, NULL,
				  duration_s, out, err);
}

/* Calls AssumeRoleWithWebIdentity. */
int
mao_sts_assume_role_with_web_identity(mao_aws_client *c, const char *role_arn,
									  const char *session_name,
									  const char *token, int duration_s,
									  mao_aws_creds *out, mao_err *err)
{
	if (token == NULL || token[0] == '\0')
		return mao_err_set(err, MAO_ERR_INVALID, "sts AssumeRoleWithWebIdentity: empty token");
	return assume(c, "AssumeRoleWithWebIdentity", role_arn, session_name, NULL,
				  token, duration_s, out, err);
}
