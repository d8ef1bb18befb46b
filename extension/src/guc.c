/*
 * guc.c
 *		The mao.* settings of the background worker and mao_ingest().
 *
 * Settings the worker reads at every poll are PGC_SIGHUP, so that a reload
 * changes them without a restart; the database and role it connects as are
 * fixed at start (PGC_POSTMASTER).  The keyring names key material and is
 * visible to superusers only.
 */
#include "postgres.h"

#include "miscadmin.h"
#include "utils/guc.h"

#include "guc.h"

char	   *mao_bucket = NULL;
char	   *mao_prefix = NULL;
char	   *mao_region = NULL;
char	   *mao_endpoint_url = NULL;
char	   *mao_database = NULL;
char	   *mao_role = NULL;
char	   *mao_keyring = NULL;
int			mao_poll_interval = 60;
int			mao_max_object_size_kb = 256 * 1024;

/*
 * Defines the mao.* settings; called from _PG_init in every process that
 * loads the library.  The two the worker connects with exist only when the
 * library is preloaded: PostgreSQL allows postmaster-level settings to be
 * defined at start only, and without preloading there is no worker.
 */
void
mao_define_gucs(bool preloading)
{
	if (preloading)
	{
		DefineCustomStringVariable("mao.database",
								   "Database the background worker connects to.",
								   NULL,
								   &mao_database, "postgres", PGC_POSTMASTER, 0, NULL, NULL, NULL);
		DefineCustomStringVariable("mao.role",
								   "Role the background worker loads as.",
								   "Empty means the bootstrap superuser; a member of mao_writer is enough.",
								   &mao_role, "", PGC_POSTMASTER, 0, NULL, NULL, NULL);
	}
	DefineCustomStringVariable("mao.bucket",
							   "S3 bucket the background worker loads envelopes from.",
							   "Empty leaves the worker idle.",
							   &mao_bucket, "", PGC_SIGHUP, 0, NULL, NULL, NULL);
	DefineCustomStringVariable("mao.prefix",
							   "Key prefix under which senders put their objects.",
							   NULL,
							   &mao_prefix, "data/", PGC_SIGHUP, 0, NULL, NULL, NULL);
	DefineCustomStringVariable("mao.region",
							   "AWS region of the bucket and the KMS key.",
							   "Empty means the credentials chain's region (AWS_REGION, profile, IMDS).",
							   &mao_region, "", PGC_SIGHUP, 0, NULL, NULL, NULL);
	DefineCustomStringVariable("mao.endpoint_url",
							   "S3 endpoint for S3-compatible servers and tests (path-style addressing).",
							   "Empty means AWS's regional endpoint.",
							   &mao_endpoint_url, "", PGC_SIGHUP, 0, NULL, NULL, NULL);
	DefineCustomStringVariable("mao.keyring",
							   "How envelopes are decrypted: aws-kms:ARN[,ARN...] or raw-aes:NAMESPACE:NAME:KEYFILE.",
							   NULL,
							   &mao_keyring, "", PGC_SIGHUP, GUC_SUPERUSER_ONLY, NULL, NULL, NULL);
	DefineCustomIntVariable("mao.poll_interval",
							"Time between two polls of the bucket.",
							NULL,
							&mao_poll_interval, 60, 1, 24 * 3600, PGC_SIGHUP, GUC_UNIT_S,
							NULL, NULL, NULL);
	DefineCustomIntVariable("mao.max_object_size",
							"Largest object or decompressed document the loader accepts.",
							NULL,
							&mao_max_object_size_kb, 256 * 1024, 1, 1024 * 1024, PGC_SIGHUP, GUC_UNIT_KB,
							NULL, NULL, NULL);
	MarkGUCPrefixReserved("mao");
}
