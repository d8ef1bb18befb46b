/*
 * test_creds.c - the credentials chain and region resolution against
 * temporary config files, test/fakes/metadata_server.py (IMDSv2 and the
 * container endpoint) and moto_server (STS, signature checking on).
 *
 * Usage: test_creds METADATA_URL MOTO_URL AKID SECRET ROLE_ARN WORKDIR
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "creds.h"
#include "sts.h"
#include "testutil.h"

static const char *meta, *moto, *akid, *secret, *role_arn, *work;

/* Unsets every variable the chain reads. */
static void
clear_env(void)
{
	static const char *const vars[] = {
		"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
		"AWS_CREDENTIAL_EXPIRATION", "AWS_PROFILE", "AWS_CONFIG_FILE",
		"AWS_SHARED_CREDENTIALS_FILE", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN",
		"AWS_ROLE_SESSION_NAME", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
		"AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_AUTHORIZATION_TOKEN",
		"AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", "AWS_EC2_METADATA_DISABLED",
		"AWS_EC2_METADATA_SERVICE_ENDPOINT", "AWS_REGION", "AWS_DEFAULT_REGION",
		"AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_STS", NULL
	};
	int i;
	char p[1024];

	for (i = 0; vars[i] != NULL; i++)
		unsetenv(vars[i]);
	snprintf(p, sizeof(p), "%s/none-config", work);
	setenv("AWS_CONFIG_FILE", p, 1);
	snprintf(p, sizeof(p), "%s/none-credentials", work);
	setenv("AWS_SHARED_CREDENTIALS_FILE", p, 1);
	setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", meta, 1);
}

/* Writes text to WORKDIR/name and returns the path (static buffer per call site). */
static const char *
write_file(const char *name, const char *text, char *path, size_t len)
{
	FILE *f;

	snprintf(path, len, "%s/%s", work, name);
	f = fopen(path, "w");
	if (f == NULL) {
		perror(path);
		exit(1);
	}
	fputs(text, f);
	fclose(f);
	return path;
}

/* Fetches credentials with fresh provider options; returns the status and copies the key id and source. */
static int
get_with(const mao_creds_options *o, char *akid_out, char *source_out, mao_err *err)
{
	mao_creds_provider *p = NULL;
	const mao_aws_creds *c = NULL;
	int rc = mao_creds_provider_new(o, &p, err);

	akid_out[0] = source_out[0] = '\0';
	if (rc == MAO_OK)
		rc = mao_creds_get(p, &c, err);
	if (rc == MAO_OK) {
		snprintf(akid_out, 64, "%s", c->access_key_id);
		snprintf(source_out, 32, "%s", c->source);
	}
	mao_creds_provider_free(p);
	return rc;
}

/* Same with default options. */
static int
get(char *akid_out, char *source_out, mao_err *err)
{
	return get_with(NULL, akid_out, source_out, err);
}

/* IMDSv2: token, role, credentials; caching and refresh before expiry. */
static void
test_imds(t_ctx *t)
{
	char a[64], s[32];
	mao_creds_provider *p = NULL;
	mao_creds_options o;
	const mao_aws_creds *c;
	mao_err err;
	char first[64];

	clear_env();
	T_CHECK(t, get(a, s, &err) == MAO_OK, "IMDS: %s", err.msg);
	T_CHECK(t, strncmp(a, "ASIAIMDS", 8) == 0 && strcmp(s, "imds") == 0, "IMDS creds %s from %s", a, s);
	/* cached while far from expiry; refreshed when within refresh_before_s */
	T_CHECK(t, mao_creds_provider_new(NULL, &p, &err) == MAO_OK, "provider");
	T_CHECK(t, mao_creds_get(p, &c, &err) == MAO_OK, "get");
	snprintf(first, sizeof(first), "%s", c->access_key_id);
	T_CHECK(t, c->session_token != NULL && c->expiration > time(NULL) + 3000, "token and expiry");
	T_CHECK(t, mao_creds_get(p, &c, &err) == MAO_OK && strcmp(c->access_key_id, first) == 0,
			"cached: %s", c->access_key_id);
	mao_creds_provider_free(p);
	memset(&o, 0, sizeof(o));
	o.refresh_before_s = 7200;   /* longer than the fake's 3600 s: every get refreshes */
	T_CHECK(t, mao_creds_provider_new(&o, &p, &err) == MAO_OK, "provider");
	T_CHECK(t, mao_creds_get(p, &c, &err) == MAO_OK, "get");
	snprintf(first, sizeof(first), "%s", c->access_key_id);
	T_CHECK(t, mao_creds_get(p, &c, &err) == MAO_OK && strcmp(c->access_key_id, first) != 0,
			"refreshed before expiry: %s then %s", first, c->access_key_id);
	/* the refresh goes to the remembered source even if the environment changed */
	setenv("AWS_ACCESS_KEY_ID", "AKIDENVLATE", 1);
	setenv("AWS_SECRET_ACCESS_KEY", "late", 1);
	T_CHECK(t, mao_creds_get(p, &c, &err) == MAO_OK && strncmp(c->access_key_id, "ASIAIMDS", 8) == 0,
			"refresh from the same source: %s", c->access_key_id);
	mao_creds_provider_free(p);
	clear_env();
	setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
	T_CHECK(t, get(a, s, &err) == MAO_ERR_CREDENTIALS, "nothing anywhere: %s", err.msg);
	T_CHECK(t, strstr(err.msg, "no AWS credentials") != NULL, "says so: %s", err.msg);
	clear_env();
	setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:9", 1);
	T_CHECK(t, get(a, s, &err) == MAO_ERR_CREDENTIALS, "IMDS unreachable: %s", err.msg);
}

/* The container endpoint: full and relative URI, token and token file, host check. */
static void
test_container(t_ctx *t)
{
	char a[64], s[32], url[512], path[1024];
	mao_creds_options o;
	mao_err err;

	clear_env();
	snprintf(url, sizeof(url), "%s/creds/full", meta);
	setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", url, 1);
	setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", "Bearer container-secret-token", 1);
	T_CHECK(t, get(a, s, &err) == MAO_OK && strncmp(a, "ASIAECS", 7) == 0 && strcmp(s, "container") == 0,
			"container before IMDS: %s %s %s", a, s, err.msg);
	setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", "Bearer wrong", 1);
	T_CHECK(t, get(a, s, &err) == MAO_ERR_CREDENTIALS && strstr(err.msg, "401") != NULL,
			"wrong token refused: %s", err.msg);
	T_CHECK(t, strstr(err.msg, "wrong") == NULL, "token not in the message");
	write_file("container-token", "Bearer container-secret-token\n", path, sizeof(path));
	setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", path, 1);
	T_CHECK(t, get(a, s, &err) == MAO_OK && strncmp(a, "ASIAECS", 7) == 0,
			"token file wins over the token: %s", err.msg);
	setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://192.0.2.1/creds/x", 1);
	T_CHECK(t, get(a, s, &err) == MAO_ERR_CREDENTIALS && strstr(err.msg, "loopback") != NULL,
			"plain http to a foreign host refused: %s", err.msg);
	unsetenv("AWS_CONTAINER_CREDENTIALS_FULL_URI");
	setenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/creds/relative?id=1", 1);
	memset(&o, 0, sizeof(o));
	o.container_base = meta;
	T_CHECK(t, get_with(&o, a, s, &err) == MAO_OK && strncmp(a, "ASIAECS", 7) == 0,
			"relative URI: %s", err.msg);
}

/* Environment and shared files: order, profiles, errors. */
static void
test_env_and_files(t_ctx *t)
{
	char a[64], s[32], cfg[1024], crd[1024];
	mao_creds_options o;
	mao_err err;

	clear_env();
	setenv("AWS_ACCESS_KEY_ID", "AKIDENV", 1);
	setenv("AWS_SECRET_ACCESS_KEY", "env-secret", 1);
	T_CHECK(t, get(a, s, &err) == MAO_OK && strcmp(a, "AKIDENV") == 0 && strcmp(s, "env") == 0,
			"environment first: %s %s", a, s);
	unsetenv("AWS_SECRET_ACCESS_KEY");
	T_CHECK(t, get(a, s, &err) == MAO_ERR_CREDENTIALS, "partial environment: %s", err.msg);
	clear_env();
	write_file("credentials",
			   "# comment\n[default]\naws_access_key_id = AKIDCREDDEFAULT\naws_secret_access_key = s1\n"
			   "\n[shared]\naws_access_key_id=AKIDCREDSHARED\naws_secret_access_key=s2\n"
			   "aws_session_token = tok\n", crd, sizeof(crd));
	write_file("config",
			   "[default]\nregion = ap-south-1\naws_access_key_id = AKIDCONFIGDEFAULT\n"
			   "aws_secret_access_key = s3\n"
			   "[profile shared]\naws_access_key_id = AKIDCONFIGSHARED\naws_secret_access_key = s4\n"
			   "region = sa-east-1\ns3 =\n  addressing_style = path\n"
			   "[profile cfgonly]\naws_access_key_id = AKIDCONFIGONLY\naws_secret_access_key = s5\n"
			   "[profile empty]\nregion = eu-north-1\n", cfg, sizeof(cfg));
	setenv("AWS_SHARED_CREDENTIALS_FILE", crd, 1);
	setenv("AWS_CONFIG_FILE", cfg, 1);
	setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:9/creds/x", 1);
	T_CHECK(t, get(a, s, &err) == MAO_OK && strcmp(a, "AKIDCREDDEFAULT") == 0 && strcmp(s, "profile") == 0,
			"default profile, credentials file first, before the container: %s %s %s", a, s, err.msg);
	setenv("AWS_PROFILE", "shared", 1);
	T_CHECK(t, get(a, s, &err) == MAO_OK && strcmp(a, "AKIDCREDSHARED") == 0, "AWS_PROFILE: %s", a);
	setenv("AWS_PROFILE", "cfgonly", 1);
	T_CHECK(t, get(a, s, &err) == MAO_OK && strcmp(a, "AKIDCONFIGONLY") == 0, "config file profile: %s", a);
	setenv("AWS_PROFILE", "missing", 1);
	T_CHECK(t, get(a, s, &err) == MAO_ERR_CREDENTIALS && strstr(err.msg, "profile missing not found") != NULL,
			"missing profile: %s", err.msg);
	setenv("AWS_PROFILE", "empty", 1);
	T_CHECK(t, get(a, s, &err) == MAO_ERR_CREDENTIALS, "profile without keys falls through to the container: %s",
			err.msg);
	unsetenv("AWS_CONTAINER_CREDENTIALS_FULL_URI");
	T_CHECK(t, get(a, s, &err) == MAO_OK && strncmp(a, "ASIAIMDS", 8) == 0,
			"then to IMDS: %s %s", a, err.msg);
	/* environment beats AWS_PROFILE, but not a profile given explicitly */
	setenv("AWS_PROFILE", "shared", 1);
	setenv("AWS_ACCESS_KEY_ID", "AKIDENV", 1);
	setenv("AWS_SECRET_ACCESS_KEY", "env-secret", 1);
	T_CHECK(t, get(a, s, &err) == MAO_OK && strcmp(a, "AKIDENV") == 0, "env before AWS_PROFILE: %s", a);
	memset(&o, 0, sizeof(o));
	o.profile = "cfgonly";
	T_CHECK(t, get_with(&o, a, s, &err) == MAO_OK && strcmp(a, "AKIDCONFIGONLY") == 0,
			"explicit profile skips the environment: %s", a);
}

/* Region resolution order. */
static void
test_region(t_ctx *t)
{
	char r[64], cfg[1024];
	mao_err err;

	clear_env();
	write_file("config-region", "[default]\nregion = ap-south-1\n[profile other]\nregion = sa-east-1\n",
			   cfg, sizeof(cfg));
	setenv("AWS_CONFIG_FILE", cfg, 1);
	setenv("AWS_REGION", "eu-central-1", 1);
	setenv("AWS_DEFAULT_REGION", "us-west-2", 1);
	T_CHECK(t, mao_creds_resolve_region(NULL, NULL, r, sizeof(r), &err) == MAO_OK &&
			strcmp(r, "eu-central-1") == 0, "AWS_REGION: %s", r);
	unsetenv("AWS_REGION");
	T_CHECK(t, mao_creds_resolve_region(NULL, NULL, r, sizeof(r), &err) == MAO_OK &&
			strcmp(r, "us-west-2") == 0, "AWS_DEFAULT_REGION: %s", r);
	unsetenv("AWS_DEFAULT_REGION");
	T_CHECK(t, mao_creds_resolve_region(NULL, NULL, r, sizeof(r), &err) == MAO_OK &&
			strcmp(r, "ap-south-1") == 0, "profile default: %s", r);
	setenv("AWS_PROFILE", "other", 1);
	T_CHECK(t, mao_creds_resolve_region(NULL, NULL, r, sizeof(r), &err) == MAO_OK &&
			strcmp(r, "sa-east-1") == 0, "AWS_PROFILE: %s", r);
	T_CHECK(t, mao_creds_resolve_region("nothing", NULL, r, sizeof(r), &err) == MAO_OK &&
			strcmp(r, "eu-west-3") == 0, "IMDS placement/region: %s (%s)", r, err.msg);
	setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
	T_CHECK(t, mao_creds_resolve_region("nothing", NULL, r, sizeof(r), &err) == MAO_ERR_NOT_FOUND,
			"no region anywhere: %s", err.msg);
}

/* role_arn + source_profile through STS AssumeRole; web identity (environment and profile). */
static void
test_sts_sources(t_ctx *t)
{
	char a[64], s[32], cfg[1024], crd[1024], tok[1024], text[2048];
	mao_creds_provider *p = NULL;
	mao_aws_client_options o;
	mao_aws_client *c = NULL;
	mao_sts_identity id;
	mao_err err;

	clear_env();
	setenv("AWS_ENDPOINT_URL_STS", moto, 1);
	snprintf(text, sizeof(text), "[base]\naws_access_key_id = %s\naws_secret_access_key = %s\n"
			 "[badbase]\naws_access_key_id = %s\naws_secret_access_key = not-the-secret\n", akid, secret, akid);
	write_file("credentials-sts", text, crd, sizeof(crd));
	write_file("web-token", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJtYW8ifQ.\n", tok, sizeof(tok));
	snprintf(text, sizeof(text),
			 "[profile role]\nrole_arn = %s\nsource_profile = base\nrole_session_name = mao-chain\n"
			 "region = us-east-1\n"
			 "[profile badrole]\nrole_arn = %s\nsource_profile = badbase\n"
			 "[profile loop1]\nrole_arn = %s\nsource_profile = loop2\n"
			 "[profile loop2]\nrole_arn = %s\nsource_profile = loop1\n"
			 "[profile web]\nrole_arn = %s\nweb_identity_token_file = %s\n",
			 role_arn, role_arn, role_arn, role_arn, role_arn, tok);
	write_file("config-sts", text, cfg, sizeof(cfg));
	setenv("AWS_SHARED_CREDENTIALS_FILE", crd, 1);
	setenv("AWS_CONFIG_FILE", cfg, 1);
	setenv("AWS_PROFILE", "role", 1);
	T_CHECK(t, mao_creds_provider_new(NULL, &p, &err) == MAO_OK, "provider");
	memset(&o, 0, sizeof(o));
	o.region = "us-east-1";
	o.creds_fn = mao_creds_get;
	o.creds_ctx = p;
	T_CHECK(t, mao_aws_client_new(&o, &c, &err) == MAO_OK, "client on the chain");
	T_CHECK(t, mao_sts_get_caller_identity(c, &id, &err) == MAO_OK, "call as the profile's role: %s", err.msg);
	T_CHECK(t, strstr(id.arn, ":assumed-role/mao-role/mao-chain") != NULL, "assumed role arn: %s", id.arn);
	mao_aws_client_free(c);
	mao_creds_provider_free(p);
	setenv("AWS_PROFILE", "badrole", 1);
	T_CHECK(t, get(a, s, &err) == MAO_ERR_AWS && strstr(err.msg, "SignatureDoesNotMatch") != NULL,
			"wrong source secret: %s", err.msg);
	setenv("AWS_PROFILE", "loop1", 1);
	T_CHECK(t, get(a, s, &err) == MAO_ERR_CREDENTIALS && strstr(err.msg, "hops") != NULL,
			"source_profile loop: %s", err.msg);
	/* web identity from the environment (moto wants even this unsigned call signed: one free action) */
	unsetenv("AWS_PROFILE");
	setenv("AWS_WEB_IDENTITY_TOKEN_FILE", tok, 1);
	setenv("AWS_ROLE_ARN", role_arn, 1);
	setenv("AWS_ROLE_SESSION_NAME", "mao-web", 1);
	t_moto_open_auth(moto, 1);
	T_CHECK(t, get(a, s, &err) == MAO_OK && strcmp(s, "web-identity") == 0, "web identity (env): %s %s",
			s, err.msg);
	unsetenv("AWS_WEB_IDENTITY_TOKEN_FILE");
	unsetenv("AWS_ROLE_ARN");
	setenv("AWS_PROFILE", "web", 1);
	t_moto_open_auth(moto, 1);
	T_CHECK(t, get(a, s, &err) == MAO_OK && strcmp(s, "web-identity") == 0, "web identity (profile): %s %s",
			s, err.msg);
}

/* Entry point. */
int
main(int argc, char **argv)
{
	t_ctx t = {0, 0};

	if (argc != 7) {
		fprintf(stderr, "usage: test_creds METADATA_URL MOTO_URL AKID SECRET ROLE_ARN WORKDIR\n");
		return 2;
	}
	meta = argv[1];
	moto = argv[2];
	akid = argv[3];
	secret = argv[4];
	role_arn = argv[5];
	work = argv[6];
	mao_http_global_init(NULL);
	test_imds(&t);
	test_container(&t);
	test_env_and_files(&t);
	test_region(&t);
	test_sts_sources(&t);
	mao_http_global_cleanup();
	return t_summary(&t, "test_creds");
}
