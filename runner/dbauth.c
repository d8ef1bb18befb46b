/*
 * dbauth.c - where the runner's database login comes from besides the DSN:
 * a Secrets Manager secret in the JSON format RDS-managed secrets use
 * ({"username", "password", "host", "port", "dbname", ...}), and RDS IAM
 * authentication tokens (a SigV4-presigned "connect" URL used as the
 * password, valid 15 minutes).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "aws.h"
#include "creds.h"
#include "crypto_util.h"
#include "runner.h"

/* Sets a connection parameter, replacing an earlier value of the same key. */
static void
set_param(runner_conn_params *cp, const char *key, const char *value)
{
	for (int i = 0; i < cp->n; i++)
		if (strcmp(cp->keys[i], key) == 0) {
			free(cp->values[i]);
			cp->values[i] = strdup(value);
			return;
		}
	if (cp->n < RUNNER_MAX_PARAMS) {
		cp->keys[cp->n] = strdup(key);
		cp->values[cp->n] = strdup(value);
		cp->n++;
	}
}

/* The value of a connection parameter, or NULL. */
const char *
runner_param(const runner_conn_params *cp, const char *key)
{
	for (int i = 0; i < cp->n; i++)
		if (strcmp(cp->keys[i], key) == 0)
			return cp->values[i];
	return NULL;
}

/* Creates an AWS client on the credentials chain for region; prints why not. */
static mao_aws_client *
aws_client(const runner_options *o, const char *region, mao_creds_provider **creds)
{
	mao_creds_options co;
	mao_aws_client_options ao;
	mao_aws_client *client = NULL;
	mao_err err;

	memset(&co, 0, sizeof(co));
	co.region = region;
	if (mao_creds_provider_new(&co, creds, &err) != MAO_OK) {
		fprintf(stderr, "mao-runner: %s\n", err.msg);
		return NULL;
	}
	memset(&ao, 0, sizeof(ao));
	ao.region = region;
	ao.creds_fn = mao_creds_get;
	ao.creds_ctx = *creds;
	ao.endpoint_url = o->endpoint_url;
	if (mao_aws_client_new(&ao, &client, &err) != MAO_OK) {
		fprintf(stderr, "mao-runner: %s\n", err.msg);
		mao_creds_provider_free(*creds);
		*creds = NULL;
		return NULL;
	}
	return client;
}

/*
 * Reads the secret (GetSecretValue) and takes username, password, host,
 * port and dbname from its JSON into the connection parameters.
 */
int
runner_apply_secret(const runner_options *o, runner_conn_params *cp)
{
	char region[64];
	mao_creds_provider *creds = NULL;
	mao_aws_client *client;
	mao_aws_response resp;
	mao_header h[2] = {{"Content-Type", "application/x-amz-json-1.1"},
					   {"X-Amz-Target", "secretsmanager.GetSecretValue"}};
	mao_aws_request req;
	cJSON *body_json, *secret;
	char *body;
	mao_err err;
	int rc = -1;

	if (!mao_arn_region(o->secret_arn, region, sizeof(region)))
		region[0] = '\0';
	if (o->region)
		snprintf(region, sizeof(region), "%s", o->region);
	if (!region[0]) {
		fprintf(stderr, "mao-runner: %s is not a secret ARN with a region\n", o->secret_arn);
		return -1;
	}
	client = aws_client(o, region, &creds);
	if (!client)
		return -1;
	body_json = cJSON_CreateObject();
	cJSON_AddStringToObject(body_json, "SecretId", o->secret_arn);
	body = cJSON_PrintUnformatted(body_json);
	cJSON_Delete(body_json);
	memset(&req, 0, sizeof(req));
	req.service = "secretsmanager";
	req.method = "POST";
	req.path = "/";
	req.headers = h;
	req.n_headers = 2;
	req.body = body;
	req.body_len = strlen(body);
	mao_aws_response_init(&resp);
	if (mao_aws_call(client, &req, &resp, &err) != MAO_OK) {
		fprintf(stderr, "mao-runner: reading the database secret failed: %s\n", err.msg);
	} else {
		cJSON *doc = cJSON_Parse(mao_buf_cstr(&resp.http.body));
		const cJSON *s = cJSON_GetObjectItemCaseSensitive(doc, "SecretString");

		secret = cJSON_IsString(s) ? cJSON_Parse(s->valuestring) : NULL;
		if (!cJSON_IsObject(secret)) {
			fprintf(stderr, "mao-runner: the secret %s holds no JSON object (SecretString)\n", o->secret_arn);
		} else {
			static const char *fields[][2] = {{"username", "user"}, {"password", "password"},
											  {"host", "host"}, {"port", "port"}, {"dbname", "dbname"}};
			char num[32];

			for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
				const cJSON *v = cJSON_GetObjectItemCaseSensitive(secret, fields[i][0]);
				if (cJSON_IsString(v))
					set_param(cp, fields[i][1], v->valuestring);
				else if (cJSON_IsNumber(v)) {
					snprintf(num, sizeof(num), "%d", v->valueint);
					set_param(cp, fields[i][1], num);
				}
			}
			rc = 0;
		}
		/* The secret's password is in secret and body: wipe what we can. */
		if (cJSON_IsObject(secret)) {
			const cJSON *pw = cJSON_GetObjectItemCaseSensitive(secret, "password");
			if (cJSON_IsString(pw))
				mao_secure_zero(pw->valuestring, strlen(pw->valuestring));
		}
		cJSON_Delete(secret);
		if (cJSON_IsString(s))
			mao_secure_zero(s->valuestring, strlen(s->valuestring));
		cJSON_Delete(doc);
	}
	mao_aws_response_free(&resp);
	cJSON_free(body);
	mao_aws_client_free(client);
	mao_creds_provider_free(creds);
	return rc;
}

/*
 * An RDS IAM authentication token for user at host:port: the presigned
 * GET https://host:port/?Action=connect&DBUser=user (service rds-db, 15
 * minutes), without its scheme.  Returns a malloc'd string or NULL.
 */
char *
runner_iam_token(const runner_options *o, const char *host, const char *port, const char *user)
{
	char region[64] = "";
	char hostport[512];
	mao_buf query = MAO_BUF_INIT, token = MAO_BUF_INIT;
	mao_creds_provider *creds = NULL;
	mao_creds_options co;
	const mao_aws_creds *c;
	mao_sigv4_credentials sc;
	mao_sigv4_request req;
	mao_sigv4_result res;
	mao_header h[1];
	mao_err err;
	char *out = NULL;

	if (o->region)
		snprintf(region, sizeof(region), "%s", o->region);
	else if (mao_creds_resolve_region(NULL, NULL, region, sizeof(region), &err) != MAO_OK) {
		fprintf(stderr, "mao-runner: IAM authentication needs a region (--region or AWS_REGION)\n");
		return NULL;
	}
	memset(&co, 0, sizeof(co));
	co.region = region;
	if (mao_creds_provider_new(&co, &creds, &err) != MAO_OK || mao_creds_get(creds, &c, &err) != MAO_OK) {
		fprintf(stderr, "mao-runner: IAM authentication needs AWS credentials: %s\n", err.msg);
		mao_creds_provider_free(creds);
		return NULL;
	}
	snprintf(hostport, sizeof(hostport), "%s:%s", host, port);
	mao_buf_append_str(&query, "Action=connect&DBUser=");
	mao_buf_append_uri_encoded(&query, user, strlen(user), 1);
	h[0].name = "Host";
	h[0].value = hostport;
	sc.access_key_id = c->access_key_id;
	sc.secret_access_key = c->secret_access_key;
	sc.session_token = c->session_token;
	mao_sigv4_request_init(&req);
	req.method = "GET";
	req.path = "/";
	req.query = mao_buf_cstr(&query);
	req.headers = h;
	req.n_headers = 1;
	req.creds = &sc;
	req.region = region;
	req.service = "rds-db";
	req.timestamp = time(NULL);
	req.expires = 900;
	if (mao_sigv4_presign(&req, &res, &err) != MAO_OK) {
		fprintf(stderr, "mao-runner: signing the IAM token failed: %s\n", err.msg);
	} else {
		mao_buf_printf(&token, "%s/?%s", hostport, res.query);
		out = mao_buf_detach(&token);
		mao_sigv4_result_free(&res);
	}
	mao_buf_free(&query);
	mao_buf_free(&token);
	mao_creds_provider_free(creds);
	return out;
}
