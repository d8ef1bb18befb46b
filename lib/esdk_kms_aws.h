/*
 * esdk_kms_aws.h - the mao_kms_ops of the KMS keyring (esdk_kms.h) over the
 * real KMS client (lib/kms over lib/aws), with the standard credentials
 * chain and endpoints (AWS_ENDPOINT_URL[_KMS] for moto_server and the like).
 * Each key is called in the region of its ARN (else the default region).
 *
 * Ownership: mao_kms_aws_new() makes its own HTTP client and credentials
 * provider; mao_kms_aws_new_with() may borrow the caller's instead (the
 * receiver shares its own), which must then outlive the adapter.
 * mao_kms_aws_free() releases what the adapter made.  The ops filled in by
 * mao_kms_aws_ops() borrow the adapter, which must outlive the keyring.
 * The caller must have called mao_http_global_init() once.
 */
#ifndef MAO_ESDK_KMS_AWS_H
#define MAO_ESDK_KMS_AWS_H

#include <signal.h>

#include "creds.h"
#include "err.h"
#include "esdk_kms.h"
#include "http.h"

typedef struct mao_kms_aws mao_kms_aws;

/* How the adapter reaches KMS; zeroed fields take the defaults. */
typedef struct mao_kms_aws_options {
	const char *region;           /* for key ids that are not ARNs; NULL: resolved on first need */
	mao_http_client *http;        /* borrowed; NULL: the adapter makes its own */
	mao_creds_provider *creds;    /* borrowed; NULL: the adapter makes the standard chain */
	const char *endpoint_url;     /* NULL: AWS, or AWS_ENDPOINT_URL[_KMS] */
	const volatile sig_atomic_t *cancel; /* polled during calls; may be NULL */
} mao_kms_aws_options;

/* Creates the adapter from o (NULL: all defaults). */
int mao_kms_aws_new_with(const mao_kms_aws_options *o, mao_kms_aws **out, mao_err *err);

/* Creates the adapter; region may be NULL (resolved from the environment when a key id is not an ARN). */
int mao_kms_aws_new(const char *region, mao_kms_aws **out, mao_err *err);

/* Fills ops with the adapter's GenerateDataKey, Encrypt and Decrypt. */
void mao_kms_aws_ops(mao_kms_aws *a, mao_kms_ops *ops);

/* Frees the adapter, its clients and its credentials (NULL is ignored). */
void mao_kms_aws_free(mao_kms_aws *a);

#endif /* MAO_ESDK_KMS_AWS_H */
