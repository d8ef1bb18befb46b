/*
 * creds.h - the AWS credentials chain and region resolution, in the SDKs'
 * order.
 *
 * Credentials (first source that has them wins, as botocore's resolver):
 *   1. environment: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
 *      AWS_SESSION_TOKEN (and AWS_CREDENTIAL_EXPIRATION); skipped when a
 *      profile is given explicitly in the options (as an explicit
 *      profile_name does in botocore; AWS_PROFILE does not skip it);
 *   2. the profile's role_arn (config or credentials file) with
 *      source_profile (static keys or another role, up to 4 hops) or
 *      credential_source = Environment | Ec2InstanceMetadata | EcsContainer,
 *      through STS AssumeRole (role_session_name, external_id,
 *      duration_seconds honoured);
 *   3. web identity: AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN
 *      (AWS_ROLE_SESSION_NAME), or the profile's web_identity_token_file +
 *      role_arn, through STS AssumeRoleWithWebIdentity (unsigned); the
 *      token file is read again at every refresh;
 *   4. the profile's static keys: the shared credentials file
 *      (AWS_SHARED_CREDENTIALS_FILE, default ~/.aws/credentials, section
 *      [name]) then the config file (AWS_CONFIG_FILE, default
 *      ~/.aws/config, section [profile name] or [default]);
 *   5. the container endpoint: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI
 *      (on http://169.254.170.2) or AWS_CONTAINER_CREDENTIALS_FULL_URI
 *      (https, or http to a loopback or the ECS/EKS link-local hosts only),
 *      with the Authorization header from
 *      AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE (read at every fetch) or
 *      AWS_CONTAINER_AUTHORIZATION_TOKEN;
 *   6. EC2 instance metadata, IMDSv2 only: PUT /latest/api/token, then the
 *      role name and its credentials with the token
 *      (AWS_EC2_METADATA_SERVICE_ENDPOINT, AWS_EC2_METADATA_DISABLED,
 *      AWS_METADATA_SERVICE_TIMEOUT in seconds, AWS_METADATA_SERVICE_NUM_ATTEMPTS).
 * The profile is the options' profile, else AWS_PROFILE, else "default";
 * a profile named explicitly (options or AWS_PROFILE) that neither file
 * has is an error.
 *
 * The source found first is remembered; temporary credentials are fetched
 * again from it when they are within refresh_before_s of their expiry
 * (still-valid credentials are kept if that refresh fails).
 *
 * Region (mao_creds_resolve_region): AWS_REGION, AWS_DEFAULT_REGION, the
 * profile's region, then IMDS placement/region.
 *
 * Not supported (yet): SSO profiles, credential_process, the config file's
 * endpoint_url and services sections, IMDSv1.
 *
 * Secrets never appear in messages.  Not thread-safe: one thread at a time.
 */
#ifndef MAO_CREDS_H
#define MAO_CREDS_H

#include <signal.h>

#include "aws.h"

/* Options; every string is copied; zero fields take defaults. */
typedef struct mao_creds_options {
	const char *profile;          /* explicit profile (skips the environment) */
	const char *region;           /* region for STS; NULL: resolved (else us-east-1) */
	mao_http_client *http;        /* borrowed; NULL: the provider makes its own */
	long refresh_before_s;        /* 0: 600 (ten minutes) */
	long metadata_timeout_ms;     /* 0: AWS_METADATA_SERVICE_TIMEOUT or 1000 */
	const char *container_base;   /* for _RELATIVE_URI; NULL: http://169.254.170.2 */
	const char *session_name;     /* NULL: AWS_ROLE_SESSION_NAME or "mao-<time>" */
	const volatile sig_atomic_t *cancel; /* borrowed */
} mao_creds_options;

typedef struct mao_creds_provider mao_creds_provider; /* opaque */

/* Creates a provider (nothing is fetched yet).  opts may be NULL. */
int mao_creds_provider_new(const mao_creds_options *opts,
						   mao_creds_provider **out, mao_err *err);

/* Frees the provider, wiping cached credentials; NULL is ignored. */
void mao_creds_provider_free(mao_creds_provider *p);

/*
 * A mao_aws_creds_fn: ctx is the mao_creds_provider.  *out stays valid
 * until the next call or the provider's free.  MAO_ERR_CREDENTIALS when
 * no source has credentials (the message lists what was tried).
 */
int mao_creds_get(void *ctx, const mao_aws_creds **out, mao_err *err);

/* Forgets the cached credentials so the next get fetches again. */
void mao_creds_invalidate(mao_creds_provider *p);

/*
 * Resolves the region into out (see the file comment); profile NULL means
 * AWS_PROFILE or "default"; http may be NULL.  MAO_ERR_NOT_FOUND if none.
 */
int mao_creds_resolve_region(const char *profile, mao_http_client *http,
							 char *out, size_t len, mao_err *err);

#endif /* MAO_CREDS_H */
