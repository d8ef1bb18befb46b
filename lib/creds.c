/*
 * creds.c - the credentials chain and region resolution (see creds.h).
 */
#include "creds.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cJSON.h>

#include "crypto_util.h"
#include "ini.h"
#include "sts.h"
#include "timeutil.h"

#define DEFAULT_IMDS "http://169.254.169.254"
#define DEFAULT_CONTAINER "http://169.254.170.2"
#define MAX_ROLE_HOPS 4

enum source {
	SRC_NONE, SRC_ENV, SRC_PROFILE_ROLE, SRC_WEB_IDENTITY, SRC_PROFILE_STATIC,
	SRC_CONTAINER, SRC_IMDS
};

struct mao_creds_provider {
	char *profile;            /* resolved profile name */
	int profile_explicit;     /* from the options or AWS_PROFILE */
	int skip_env;             /* from the options */
	char *region;             /* NULL: resolve when needed */
	char *container_base;
	char *session_name;
	mao_http_client *http;
	int own_http;
	long refresh_before_s;
	long metadata_timeout_ms;
	int metadata_attempts;
	const volatile sig_atomic_t *cancel;
	enum source source;
	mao_aws_creds current;
};

/* A duplicate of s, or NULL (also for NULL). */
static char *
dup_opt(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* getenv() that treats "" as unset. */
static const char *
env(const char *name)
{
	const char *v = getenv(name);

	return (v != NULL && v[0] != '\0') ? v : NULL;
}

/* Creates a provider. */
int
mao_creds_provider_new(const mao_creds_options *o, mao_creds_provider **out,
					   mao_err *err)
{
	mao_creds_options none;
	mao_creds_provider *p;
	const char *v;
	char sess[64];

	*out = NULL;
	if (o == NULL) {
		memset(&none, 0, sizeof(none));
		o = &none;
	}
	p = calloc(1, sizeof(*p));
	if (p == NULL)
		return mao_err_set(err, MAO_ERR_NOMEM, "out of memory");
	if (o->profile != NULL) {
		p->profile = strdup(o->profile);
		p->profile_explicit = p->skip_env = 1;
	} else if ((v = env("AWS_PROFILE")) != NULL) {
		p->profile = strdup(v);
		p->profile_explicit = 1;
	} else
		p->profile = strdup("default");
	p->region = dup_opt(o->region);
	p->container_base = strdup(o->container_base ? o->container_base : DEFAULT_CONTAINER);
	if (o->session_name == NULL && env("AWS_ROLE_SESSION_NAME") == NULL)
		snprintf(sess, sizeof(sess), "mao-%ld", (long) time(NULL));
	p->session_name = strdup(o->session_name ? o->session_name :
							 env("AWS_ROLE_SESSION_NAME") ? env("AWS_ROLE_SESSION_NAME") : sess);
	if (p->profile == NULL || p->container_base == NULL || p->session_name == NULL ||
		(o->region && p->region == NULL)) {
		mao_creds_provider_free(p);
		return mao_err_set(err, MAO_ERR_NOMEM, "out of memory");
	}
	p->refresh_before_s = o->refresh_before_s > 0 ? o->refresh_before_s : 600;
	p->metadata_timeout_ms = o->metadata_timeout_ms;
	if (p->metadata_timeout_ms <= 0 && (v = env("AWS_METADATA_SERVICE_TIMEOUT")) != NULL)
		p->metadata_timeout_ms = (long) (atof(v) * 1000);
	if (p->metadata_timeout_ms <= 0)
		p->metadata_timeout_ms = 1000;
	p->metadata_attempts = (v = env("AWS_METADATA_SERVICE_NUM_ATTEMPTS")) ? atoi(v) : 1;
	if (p->metadata_attempts < 1)
		p->metadata_attempts = 1;
	p->cancel = o->cancel;
	p->http = o->http;
	if (p->http == NULL) {
		int rc = mao_http_client_new(NULL, &p->http, err);

		if (rc != MAO_OK) {
			mao_creds_provider_free(p);
			return rc;
		}
		p->own_http = 1;
	}
	*out = p;
	return MAO_OK;
}

/* Frees the provider. */
void
mao_creds_provider_free(mao_creds_provider *p)
{
	if (p == NULL)
		return;
	mao_aws_creds_free(&p->current);
	if (p->own_http)
		mao_http_client_free(p->http);
	free(p->profile);
	free(p->region);
	free(p->container_base);
	free(p->session_name);
	free(p);
}

/* Forgets the cached credentials. */
void
mao_creds_invalidate(mao_creds_provider *p)
{
	mao_aws_creds_free(&p->current);
	p->source = SRC_NONE;
}

/* ------------------------------------------------------------- files */

/* The shared files, loaded together. */
typedef struct files {
	mao_ini config;
	mao_ini credentials;
} files;

/* Path of a shared file: the variable, else ~/.aws/<name>. */
static void
file_path(const char *var, const char *name, char *out, size_t len)
{
	const char *v = env(var), *home = env("HOME");

	if (v != NULL)
		snprintf(out, len, "%s", v);
	else
		snprintf(out, len, "%s/.aws/%s", home ? home : ".", name);
}

/* Loads both shared files. */
static int
load_files(files *f, mao_err *err)
{
	char path[1024];
	int rc;

	memset(f, 0, sizeof(*f));
	file_path("AWS_CONFIG_FILE", "config", path, sizeof(path));
	rc = mao_ini_read(path, &f->config, NULL, err);
	if (rc == MAO_OK) {
		file_path("AWS_SHARED_CREDENTIALS_FILE", "credentials", path, sizeof(path));
		rc = mao_ini_read(path, &f->credentials, NULL, err);
	}
	return rc;
}

/* Frees both files. */
static void
free_files(files *f)
{
	mao_ini_free(&f->config);
	mao_ini_free(&f->credentials);
}

/* The config file's section name of a profile. */
static void
config_section(const char *profile, char *out, size_t len)
{
	if (strcmp(profile, "default") == 0)
		snprintf(out, len, "default");
	else
		snprintf(out, len, "profile %s", profile);
}

/* A profile setting: the credentials file wins over the config file. */
static const char *
profile_get(const files *f, const char *profile, const char *key)
{
	char sec[300];
	const char *v = mao_ini_get(&f->credentials, profile, key);

	if (v != NULL && v[0] != '\0')
		return v;
	config_section(profile, sec, sizeof(sec));
	v = mao_ini_get(&f->config, sec, key);
	if ((v == NULL || v[0] == '\0') && strcmp(profile, "default") == 0)
		v = mao_ini_get(&f->config, "profile default", key);
	return (v != NULL && v[0] != '\0') ? v : NULL;
}

/* Non-zero if either file has the profile. */
static int
profile_exists(const files *f, const char *profile)
{
	char sec[300];

	config_section(profile, sec, sizeof(sec));
	return mao_ini_has_section(&f->credentials, profile) ||
		mao_ini_has_section(&f->config, sec) ||
		(strcmp(profile, "default") == 0 && mao_ini_has_section(&f->config, "profile default"));
}

/* ------------------------------------------------------------ metadata */

/* One metadata request (IMDS or container) with the provider's timeout and attempts. */
static int
metadata_call(mao_creds_provider *p, const char *method, const char *url,
			  const mao_header *h, size_t nh, mao_http_response *r, mao_err *err)
{
	mao_http_request req;
	int i, rc = MAO_ERR_NETWORK;

	memset(&req, 0, sizeof(req));
	req.method = method;
	req.url = url;
	req.headers = h;
	req.n_headers = nh;
	req.connect_timeout_ms = p->metadata_timeout_ms;
	req.timeout_ms = p->metadata_timeout_ms;
	req.max_response_bytes = 64 * 1024;
	req.cancel = p->cancel;
	for (i = 0; i < p->metadata_attempts; i++) {
		rc = mao_http_perform(p->http, &req, r, err);
		if (rc == MAO_OK && r->http_status < 500)
			break;
		if (rc == MAO_ERR_CANCELLED)
			break;
	}
	return rc;
}

/* Parses {AccessKeyId, SecretAccessKey, Token, Expiration} (IMDS and container). */
static int
parse_json_creds(const mao_buf *body, const char *source, mao_aws_creds *out,
				 mao_err *err)
{
	cJSON *j = cJSON_ParseWithLength(body->data ? body->data : "", body->len);
	cJSON *a, *s, *t, *e, *code;
	time_t exp = 0;
	int rc;

	if (j == NULL)
		return mao_err_set(err, MAO_ERR_CREDENTIALS, "%s: credentials are not JSON", source);
	code = cJSON_GetObjectItemCaseSensitive(j, "Code");
	a = cJSON_GetObjectItemCaseSensitive(j, "AccessKeyId");
	s = cJSON_GetObjectItemCaseSensitive(j, "SecretAccessKey");
	t = cJSON_GetObjectItemCaseSensitive(j, "Token");
	e = cJSON_GetObjectItemCaseSensitive(j, "Expiration");
	if (cJSON_IsString(code) && strcmp(code->valuestring, "Success") != 0)
		rc = mao_err_set(err, MAO_ERR_CREDENTIALS, "%s: credentials not available (Code %.40s)",
						 source, code->valuestring);
	else if (!cJSON_IsString(a) || !cJSON_IsString(s))
		rc = mao_err_set(err, MAO_ERR_CREDENTIALS, "%s: response lacks AccessKeyId/SecretAccessKey", source);
	else if (cJSON_IsString(e) && mao_time_parse_iso8601(e->valuestring, &exp) != MAO_OK)
		rc = mao_err_set(err, MAO_ERR_CREDENTIALS, "%s: bad Expiration", source);
	else {
		rc = mao_aws_creds_set(out, a->valuestring, s->valuestring,
							   cJSON_IsString(t) ? t->valuestring : NULL, exp, source);
		if (rc != MAO_OK)
			mao_err_set(err, MAO_ERR_CREDENTIALS, "%s: incomplete credentials", source);
	}
	if (cJSON_IsString(s))
		mao_secure_zero(s->valuestring, strlen(s->valuestring));
	if (cJSON_IsString(t))
		mao_secure_zero(t->valuestring, strlen(t->valuestring));
	cJSON_Delete(j);
	return rc;
}

/* The IMDS base URL (no trailing '/'), or NULL when IMDS is disabled. */
static const char *
imds_base(char *buf, size_t len)
{
	const char *v = env("AWS_EC2_METADATA_DISABLED");
	size_t n;

	if (v != NULL && strcasecmp(v, "true") == 0)
		return NULL;
	snprintf(buf, len, "%s", env("AWS_EC2_METADATA_SERVICE_ENDPOINT") ?
			 env("AWS_EC2_METADATA_SERVICE_ENDPOINT") : DEFAULT_IMDS);
	n = strlen(buf);
	while (n > 0 && buf[n - 1] == '/')
		buf[--n] = '\0';
	return buf;
}

/* Gets an IMDSv2 session token into token. */
static int
imds_token(mao_creds_provider *p, const char *base, char *token, size_t len,
		   mao_err *err)
{
	char url[600];
	mao_header h[] = {{"X-aws-ec2-metadata-token-ttl-seconds", "21600"}};
	mao_http_response r;
	int rc;

	snprintf(url, sizeof(url), "%s/latest/api/token", base);
	mao_http_response_init(&r);
	rc = metadata_call(p, "PUT", url, h, 1, &r, err);
	if (rc == MAO_OK && (r.http_status != 200 || r.body.len == 0 || r.body.len >= len))
		rc = mao_err_set(err, MAO_ERR_CREDENTIALS, "IMDS: token request answered HTTP %ld",
						 r.http_status);
	if (rc == MAO_OK)
		snprintf(token, len, "%s", r.body.data);
	else if (rc != MAO_ERR_CREDENTIALS)
		rc = mao_err_set(err, MAO_ERR_CREDENTIALS, "IMDS: no token (%s)", err ? err->msg : "");
	mao_http_response_free(&r);
	return rc;
}

/* GETs an IMDS path with the token into r (HTTP 200 required). */
static int
imds_get(mao_creds_provider *p, const char *base, const char *token,
		 const char *path, mao_http_response *r, mao_err *err)
{
	char url[800];
	mao_header h[] = {{"X-aws-ec2-metadata-token", token}};
	int rc;

	snprintf(url, sizeof(url), "%s%s", base, path);
	rc = metadata_call(p, "GET", url, h, 1, r, err);
	if (rc == MAO_OK && r->http_status != 200)
		rc = mao_err_set(err, MAO_ERR_CREDENTIALS, "IMDS: %s answered HTTP %ld", path, r->http_status);
	else if (rc != MAO_OK)
		rc = mao_err_set(err, MAO_ERR_CREDENTIALS, "IMDS: %s", err ? err->msg : "unreachable");
	return rc;
}

/* IMDSv2 credentials of the instance's role. */
static int
imds_creds(mao_creds_provider *p, mao_aws_creds *out, mao_err *err)
{
	char basebuf[512], token[1024], path[512];
	const char *base = imds_base(basebuf, sizeof(basebuf));
	mao_http_response r;
	size_t n;
	int rc;

	if (base == NULL)
		return mao_err_set(err, MAO_ERR_CREDENTIALS, "IMDS disabled");
	rc = imds_token(p, base, token, sizeof(token), err);
	if (rc != MAO_OK)
		return rc;
	mao_http_response_init(&r);
	rc = imds_get(p, base, token, "/latest/meta-data/iam/security-credentials/", &r, err);
	if (rc == MAO_OK) {
		n = strcspn(mao_buf_cstr(&r.body), "\r\n");
		if (n == 0 || n > 200 || memchr(r.body.data, '/', n) != NULL)
			rc = mao_err_set(err, MAO_ERR_CREDENTIALS, "IMDS: no instance role");
		else {
			snprintf(path, sizeof(path), "/latest/meta-data/iam/security-credentials/%.*s",
					 (int) n, r.body.data);
			mao_http_response_free(&r);
			rc = imds_get(p, base, token, path, &r, err);
			if (rc == MAO_OK)
				rc = parse_json_creds(&r.body, "imds", out, err);
		}
	}
	mao_secure_zero(token, sizeof(token));
	mao_http_response_free(&r);
	return rc;
}

/* Non-zero if an http:// container URI's host is one the SDKs allow. */
static int
container_host_allowed(const char *url)
{
	const char *h = strstr(url, "://");
	char host[128];
	size_t n;

	if (strncasecmp(url, "https://", 8) == 0)
		return 1;
	if (strncasecmp(url, "http://", 7) != 0 || h == NULL)
		return 0;
	h += 3;
	if (*h == '[') {
		n = strcspn(h, "]");
		snprintf(host, sizeof(host), "%.*s", (int) n + 1, h);
	} else {
		n = strcspn(h, ":/?#");
		snprintf(host, sizeof(host), "%.*s", (int) n, h);
	}
	return strncmp(host, "127.", 4) == 0 || strcasecmp(host, "localhost") == 0 ||
		strcmp(host, "[::1]") == 0 || strcmp(host, "169.254.170.2") == 0 ||
		strcmp(host, "169.254.170.23") == 0 || strcasecmp(host, "[fd00:ec2::23]") == 0;
}

/* Reads a small file (a token) into out, trimmed; returns MAO_OK or an error. */
static int
read_token_file(const char *path, mao_buf *out, const char *what, mao_err *err)
{
	FILE *f = fopen(path, "r");
	char chunk[1024];
	size_t n;

	if (f == NULL)
		return mao_err_set(err, MAO_ERR_CREDENTIALS, "%s: cannot read %s", what, path);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		mao_buf_append(out, chunk, n);
	fclose(f);
	mao_secure_zero(chunk, sizeof(chunk));
	while (out->len > 0 && isspace((unsigned char) out->data[out->len - 1]))
		out->data[--out->len] = '\0';
	if (mao_buf_status(out) != MAO_OK)
		return mao_err_set(err, MAO_ERR_NOMEM, "out of memory");
	if (out->len == 0)
		return mao_err_set(err, MAO_ERR_CREDENTIALS, "%s: %s is empty", what, path);
	return MAO_OK;
}

/* Credentials from the container endpoint. */
static int
container_creds(mao_creds_provider *p, mao_aws_creds *out, mao_err *err)
{
	const char *rel = env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
	const char *full = env("AWS_CONTAINER_CREDENTIALS_FULL_URI");
	const char *tfile = env("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
	const char *tok = env("AWS_CONTAINER_AUTHORIZATION_TOKEN");
	mao_buf url = MAO_BUF_INIT, token = MAO_BUF_INIT;
	mao_header h[1];
	mao_http_response r;
	size_t nh = 0;
	int rc = MAO_OK;

	if (rel != NULL)
		mao_buf_printf(&url, "%s%s%s", p->container_base, rel[0] == '/' ? "" : "/", rel);
	else if (full != NULL) {
		if (!container_host_allowed(full))
			return mao_err_set(err, MAO_ERR_CREDENTIALS,
							   "container: AWS_CONTAINER_CREDENTIALS_FULL_URI must be https or a loopback/ECS/EKS host");
		mao_buf_append_str(&url, full);
	} else
		return mao_err_set(err, MAO_ERR_CREDENTIALS, "container endpoint not configured");
	if (tfile != NULL)
		rc = read_token_file(tfile, &token, "container", err);
	else if (tok != NULL)
		mao_buf_append_str(&token, tok);
	if (rc == MAO_OK && token.len > 0) {
		if (strpbrk(mao_buf_cstr(&token), "\r\n") != NULL)
			rc = mao_err_set(err, MAO_ERR_CREDENTIALS, "container: the authorization token has a line break");
		h[0].name = "Authorization";
		h[0].value = mao_buf_cstr(&token);
		nh = 1;
	}
	mao_http_response_init(&r);
	if (rc == MAO_OK) {
		rc = metadata_call(p, "GET", mao_buf_cstr(&url), h, nh, &r, err);
		if (rc == MAO_OK && r.http_status != 200)
			rc = mao_err_set(err, MAO_ERR_CREDENTIALS, "container: endpoint answered HTTP %ld",
							 r.http_status);
		else if (rc != MAO_OK)
			rc = mao_err_set(err, MAO_ERR_CREDENTIALS, "container: %s", err ? err->msg : "unreachable");
		else
			rc = parse_json_creds(&r.body, "container", out, err);
	}
	mao_http_response_free(&r);
	mao_buf_free(&url);
	mao_buf_free(&token);
	return rc;
}

/* ----------------------------------------------------------------- STS */

/* The region for STS calls: the option, the resolved region, or us-east-1. */
static void
sts_region(mao_creds_provider *p, const files *f, const char *profile, char *out, size_t len)
{
	const char *v;

	if (p->region != NULL)
		snprintf(out, len, "%s", p->region);
	else if ((v = env("AWS_REGION")) != NULL || (v = env("AWS_DEFAULT_REGION")) != NULL)
		snprintf(out, len, "%s", v);
	else if (f != NULL && (v = profile_get(f, profile, "region")) != NULL)
		snprintf(out, len, "%s", v);
	else
		snprintf(out, len, "us-east-1");
}

/* Makes an STS client that signs with src (NULL: anonymous). */
static int
sts_client(mao_creds_provider *p, const char *region, mao_aws_creds *src,
		   mao_aws_client **out, mao_err *err)
{
	mao_aws_client_options o;

	memset(&o, 0, sizeof(o));
	o.region = region;
	o.creds_fn = src ? mao_aws_static_creds : NULL;
	o.creds_ctx = src;
	o.http = p->http;
	o.cancel = p->cancel;
	o.timeout_ms = 30000;
	return mao_aws_client_new(&o, out, err);
}

/* AssumeRoleWithWebIdentity with the token in token_file. */
static int
web_identity(mao_creds_provider *p, const char *role_arn, const char *token_file,
			 const char *session, const char *region, mao_aws_creds *out, mao_err *err)
{
	mao_buf token = MAO_BUF_INIT;
	mao_aws_client *c = NULL;
	int rc = read_token_file(token_file, &token, "web identity", err);

	if (rc == MAO_OK)
		rc = sts_client(p, region, NULL, &c, err);
	if (rc == MAO_OK)
		rc = mao_sts_assume_role_with_web_identity(c, role_arn, session, mao_buf_cstr(&token),
												   0, out, err);
	mao_aws_client_free(c);
	mao_buf_free(&token);
	return rc;
}

static int profile_creds(mao_creds_provider *p, const files *f, const char *profile,
						 int hops, int allow_static, enum source *src,
						 mao_aws_creds *out, mao_err *err);

/* Credentials from the environment; MAO_ERR_NOT_FOUND when unset. */
static int
env_creds(mao_aws_creds *out, mao_err *err)
{
	const char *a = env("AWS_ACCESS_KEY_ID"), *s = env("AWS_SECRET_ACCESS_KEY");
	const char *e = env("AWS_CREDENTIAL_EXPIRATION");
	time_t exp = 0;

	if (a == NULL && s == NULL)
		return MAO_ERR_NOT_FOUND;
	if (a == NULL || s == NULL)
		return mao_err_set(err, MAO_ERR_CREDENTIALS,
						   "environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set together");
	if (e != NULL && mao_time_parse_iso8601(e, &exp) != MAO_OK)
		return mao_err_set(err, MAO_ERR_CREDENTIALS, "environment: bad AWS_CREDENTIAL_EXPIRATION");
	if (mao_aws_creds_set(out, a, s, env("AWS_SESSION_TOKEN"), exp, "env") != MAO_OK)
		return mao_err_set(err, MAO_ERR_NOMEM, "out of memory");
	return MAO_OK;
}

/* AssumeRole for the profile's role_arn with its source credentials. */
static int
assume_profile_role(mao_creds_provider *p, const files *f, const char *profile,
					int hops, mao_aws_creds *out, mao_err *err)
{
	const char *role = profile_get(f, profile, "role_arn");
	const char *srcp = profile_get(f, profile, "source_profile");
	const char *csrc = profile_get(f, profile, "credential_source");
	const char *sess = profile_get(f, profile, "role_session_name");
	const char *ext = profile_get(f, profile, "external_id");
	const char *dur = profile_get(f, profile, "duration_seconds");
	mao_aws_creds src;
	mao_aws_client *c = NULL;
	enum source ignored;
	char region[64];
	int rc;

	memset(&src, 0, sizeof(src));
	if (hops > MAX_ROLE_HOPS)
		return mao_err_set(err, MAO_ERR_CREDENTIALS, "profile %s: too many role hops (a source_profile loop?)",
						   profile);
	if (srcp != NULL && csrc != NULL)
		return mao_err_set(err, MAO_ERR_CREDENTIALS,
						   "profile %s: source_profile and credential_source are exclusive", profile);
	if (srcp != NULL) {
		if (!profile_exists(f, srcp))
			return mao_err_set(err, MAO_ERR_CREDENTIALS, "profile %s: source_profile %s not found",
							   profile, srcp);
		/* A source profile with static keys uses them even if it also has a role (botocore). */
		rc = profile_creds(p, f, srcp, hops + 1, 1, &ignored, &src, err);
		if (rc == MAO_ERR_NOT_FOUND)
			rc = mao_err_set(err, MAO_ERR_CREDENTIALS, "profile %s: source_profile %s has no credentials",
							 profile, srcp);
	} else if (csrc != NULL) {
		if (strcmp(csrc, "Environment") == 0) {
			rc = env_creds(&src, err);
			if (rc == MAO_ERR_NOT_FOUND)
				rc = mao_err_set(err, MAO_ERR_CREDENTIALS, "profile %s: no credentials in the environment",
								 profile);
		} else if (strcmp(csrc, "Ec2InstanceMetadata") == 0)
			rc = imds_creds(p, &src, err);
		else if (strcmp(csrc, "EcsContainer") == 0)
			rc = container_creds(p, &src, err);
		else
			rc = mao_err_set(err, MAO_ERR_CREDENTIALS, "profile %s: unknown credential_source", profile);
	} else
		rc = mao_err_set(err, MAO_ERR_CREDENTIALS, "profile %s: role_arn without source_profile or credential_source",
						 profile);
	if (rc == MAO_OK) {
		sts_region(p, f, profile, region, sizeof(region));
		rc = sts_client(p, region, &src, &c, err);
	}
	if (rc == MAO_OK)
		rc = mao_sts_assume_role(c, role, sess ? sess : p->session_name, ext,
								 dur ? atoi(dur) : 0, out, err);
	if (rc == MAO_OK)
		snprintf(out->source, sizeof(out->source), "assume-role");
	mao_aws_client_free(c);
	mao_aws_creds_free(&src);
	return rc;
}

/*
 * Credentials of a profile: role (unless allow_static and it has keys),
 * web identity, static keys.  MAO_ERR_NOT_FOUND when the profile has none.
 */
static int
profile_creds(mao_creds_provider *p, const files *f, const char *profile,
			  int hops, int allow_static, enum source *src,
			  mao_aws_creds *out, mao_err *err)
{
	const char *a = profile_get(f, profile, "aws_access_key_id");
	const char *s = profile_get(f, profile, "aws_secret_access_key");
	const char *role = profile_get(f, profile, "role_arn");
	const char *wtf = profile_get(f, profile, "web_identity_token_file");
	char region[64];

	if (allow_static && a != NULL && s != NULL)
		goto static_keys;
	if (role != NULL && wtf == NULL) {
		*src = SRC_PROFILE_ROLE;
		return assume_profile_role(p, f, profile, hops, out, err);
	}
	if (role != NULL && wtf != NULL) {
		const char *sess = profile_get(f, profile, "role_session_name");

		*src = SRC_WEB_IDENTITY;
		sts_region(p, f, profile, region, sizeof(region));
		return web_identity(p, role, wtf, sess ? sess : p->session_name, region, out, err);
	}
	if (a == NULL && s == NULL)
		return MAO_ERR_NOT_FOUND;
static_keys:
	if (a == NULL || s == NULL)
		return mao_err_set(err, MAO_ERR_CREDENTIALS,
						   "profile %s: aws_access_key_id and aws_secret_access_key must be set together", profile);
	*src = SRC_PROFILE_STATIC;
	if (mao_aws_creds_set(out, a, s, profile_get(f, profile, "aws_session_token"), 0, "profile") != MAO_OK)
		return mao_err_set(err, MAO_ERR_NOMEM, "out of memory");
	return MAO_OK;
}

/* Runs the chain (or only the remembered source) into out. */
static int
fetch(mao_creds_provider *p, enum source only, mao_aws_creds *out, mao_err *err)
{
	files f;
	enum source src = SRC_NONE;
	const char *wtf = env("AWS_WEB_IDENTITY_TOKEN_FILE"), *warn = env("AWS_ROLE_ARN");
	char region[64];
	int rc;

	/* 1. environment */
	if (!p->skip_env && (only == SRC_NONE || only == SRC_ENV)) {
		rc = env_creds(out, err);
		if (rc != MAO_ERR_NOT_FOUND) {
			p->source = SRC_ENV;
			return rc;
		}
	}
	rc = load_files(&f, err);
	if (rc != MAO_OK)
		return rc;
	if (p->profile_explicit && only == SRC_NONE && !profile_exists(&f, p->profile)) {
		free_files(&f);
		return mao_err_set(err, MAO_ERR_CREDENTIALS, "profile %s not found in the config or credentials file",
						   p->profile);
	}
	/* 2. the profile's role */
	if ((only == SRC_NONE || only == SRC_PROFILE_ROLE) && profile_get(&f, p->profile, "role_arn") != NULL &&
		profile_get(&f, p->profile, "web_identity_token_file") == NULL) {
		p->source = SRC_PROFILE_ROLE;
		rc = assume_profile_role(p, &f, p->profile, 0, out, err);
		free_files(&f);
		return rc;
	}
	/* 3. web identity (environment, then the profile) */
	if ((only == SRC_NONE || only == SRC_WEB_IDENTITY) && wtf != NULL && warn != NULL) {
		p->source = SRC_WEB_IDENTITY;
		sts_region(p, &f, p->profile, region, sizeof(region));
		rc = web_identity(p, warn, wtf, p->session_name, region, out, err);
		free_files(&f);
		return rc;
	}
	/* 3b/4. the profile's web identity or static keys */
	if (only == SRC_NONE || only == SRC_WEB_IDENTITY || only == SRC_PROFILE_STATIC) {
		rc = profile_creds(p, &f, p->profile, 0, 0, &src, out, err);
		if (rc != MAO_ERR_NOT_FOUND) {
			p->source = src;
			free_files(&f);
			return rc;
		}
	}
	free_files(&f);
	/* 5. container */
	if ((only == SRC_NONE || only == SRC_CONTAINER) &&
		(env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") || env("AWS_CONTAINER_CREDENTIALS_FULL_URI"))) {
		p->source = SRC_CONTAINER;
		return container_creds(p, out, err);
	}
	/* 6. IMDS */
	if (only == SRC_NONE || only == SRC_IMDS) {
		char msg[MAO_ERR_MSG_MAX];

		rc = imds_creds(p, out, err);
		if (rc == MAO_OK) {
			p->source = SRC_IMDS;
			return MAO_OK;
		}
		snprintf(msg, sizeof(msg), "%s", err ? err->msg : "");
		return mao_err_set(err, MAO_ERR_CREDENTIALS,
						   "no AWS credentials: none in the environment, profile %s, web identity, "
						   "container endpoint or instance metadata (%s)", p->profile, msg);
	}
	return mao_err_set(err, MAO_ERR_CREDENTIALS, "credentials source unavailable");
}

/* The mao_aws_creds_fn of the chain: cached, refreshed before expiry. */
int
mao_creds_get(void *ctx, const mao_aws_creds **out, mao_err *err)
{
	mao_creds_provider *p = ctx;
	mao_aws_creds fresh;
	time_t now = time(NULL);
	int rc;

	if (p->current.access_key_id != NULL &&
		(p->current.expiration == 0 || p->current.expiration - now > p->refresh_before_s)) {
		*out = &p->current;
		return MAO_OK;
	}
	memset(&fresh, 0, sizeof(fresh));
	rc = fetch(p, p->current.access_key_id ? p->source : SRC_NONE, &fresh, err);
	if (rc != MAO_OK) {
		mao_aws_creds_free(&fresh);
		if (p->current.access_key_id != NULL && p->current.expiration > now) {
			*out = &p->current;   /* still valid: keep using them */
			return MAO_OK;
		}
		return rc;
	}
	mao_aws_creds_free(&p->current);
	p->current = fresh;
	*out = &p->current;
	return MAO_OK;
}

/* ---------------------------------------------------------------- region */

/* Resolves the region. */
int
mao_creds_resolve_region(const char *profile, mao_http_client *http,
						 char *out, size_t len, mao_err *err)
{
	const char *v;
	files f;
	mao_creds_provider *p = NULL;
	mao_creds_options o;
	char basebuf[512], token[1024];
	const char *base;
	mao_http_response r;
	int rc;

	if ((v = env("AWS_REGION")) != NULL || (v = env("AWS_DEFAULT_REGION")) != NULL) {
		snprintf(out, len, "%s", v);
		return MAO_OK;
	}
	if (profile == NULL)
		profile = env("AWS_PROFILE") ? env("AWS_PROFILE") : "default";
	if (load_files(&f, err) == MAO_OK && (v = profile_get(&f, profile, "region")) != NULL) {
		snprintf(out, len, "%s", v);
		free_files(&f);
		return MAO_OK;
	}
	free_files(&f);
	base = imds_base(basebuf, sizeof(basebuf));
	if (base == NULL)
		return mao_err_set(err, MAO_ERR_NOT_FOUND, "no region: set AWS_REGION or the profile's region");
	memset(&o, 0, sizeof(o));
	o.http = http;
	o.profile = profile;
	rc = mao_creds_provider_new(&o, &p, err);
	if (rc != MAO_OK)
		return rc;
	mao_http_response_init(&r);
	rc = imds_token(p, base, token, sizeof(token), err);
	if (rc == MAO_OK)
		rc = imds_get(p, base, token, "/latest/meta-data/placement/region", &r, err);
	if (rc == MAO_OK && r.body.len > 0 && r.body.len < len)
		snprintf(out, len, "%s", r.body.data);
	else
		rc = mao_err_set(err, MAO_ERR_NOT_FOUND, "no region: not in the environment, profile %s or IMDS",
						 profile);
	mao_secure_zero(token, sizeof(token));
	mao_http_response_free(&r);
	mao_creds_provider_free(p);
	return rc;
}
