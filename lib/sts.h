/*
 * sts.h - AWS STS: GetCallerIdentity, AssumeRole, AssumeRoleWithWebIdentity
 * (Query protocol, XML responses) over a mao_aws_client.
 *
 * AssumeRoleWithWebIdentity is sent unsigned, as AWS expects, so its
 * client needs no credentials provider.  Temporary credentials come back
 * in a mao_aws_creds (owned by the caller; mao_aws_creds_free() wipes).
 */
#ifndef MAO_STS_H
#define MAO_STS_H

#include "aws.h"

/* Who the caller is (fixed-size fields, truncated if longer). */
typedef struct mao_sts_identity {
	char account[32];
	char arn[512];
	char user_id[256];
} mao_sts_identity;

/* Calls GetCallerIdentity.  Returns MAO_OK or an error from mao_aws_call(). */
int mao_sts_get_caller_identity(mao_aws_client *client, mao_sts_identity *out,
								mao_err *err);

/*
 * Calls AssumeRole for role_arn with session_name; external_id may be
 * NULL; duration_s 0 leaves AWS's default (3600).  out must be empty; on
 * success it owns the temporary credentials (source "assume-role").
 */
int mao_sts_assume_role(mao_aws_client *client, const char *role_arn,
						const char *session_name, const char *external_id,
						int duration_s, mao_aws_creds *out, mao_err *err);

/*
 * Calls AssumeRoleWithWebIdentity (unsigned) with the OIDC token (a
 * secret: never in messages).  Same contract as mao_sts_assume_role()
 * (source "web-identity").
 */
int mao_sts_assume_role_with_web_identity(mao_aws_client *client,
										  const char *role_arn,
										  const char *session_name,
										  const char *token, int duration_s,
										  mao_aws_creds *out, mao_err *err);

#endif /* MAO_STS_H */
