/*
 * esdk_kms_aws.h - the mao_kms_ops of the KMS keyring (esdk_kms.h) over the
 * real KMS client (lib/kms over lib/aws), with the standard credentials
 * chain and endpoints (AWS_ENDPOINT_URL[_KMS] for moto_server and the like).
 * Each key is called in the region of its ARN (else the default region).
 *
 * Ownership: mao_kms_aws_new() makes its own HTTP client and credentials
 * provider; mao_kms_aws_free() releases them.  The ops filled in by
 * mao_kms_aws_ops() borrow the adapter, which must outlive the keyring.
 * The caller must have called mao_http_global_init() once.
 */
#ifndef MAO_ESDK_KMS_AWS_H
#define MAO_ESDK_KMS_AWS_H

#include "err.h"
#include "esdk_kms.h"

typedef struct mao_kms_aws mao_kms_aws;

/* Creates the adapter; region may be NULL (resolved from the environment when a key id is not an ARN). */
int mao_kms_aws_new(const char *region, mao_kms_aws **out, mao_err *err);

/* Fills ops with the adapter's GenerateDataKey, Encrypt and Decrypt. */
void mao_kms_aws_ops(mao_kms_aws *a, mao_kms_ops *ops);

/* Frees the adapter, its clients and its credentials (NULL is ignored). */
void mao_kms_aws_free(mao_kms_aws *a);

#endif /* MAO_ESDK_KMS_AWS_H */
