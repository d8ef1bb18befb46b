/*
 * runner.h - mao-runner's pieces: the database connection, install-schema
 * and load.
 */
#ifndef MAO_RUNNER_H
#define MAO_RUNNER_H

#include <libpq-fe.h>

/* Options common to every command. */
typedef struct runner_options {
	const char *dsn;          /* NULL: libpq's environment (PGHOST, ...) */
	const char *ca_bundle;    /* NULL: libpq's defaults; else verify-full against it */
	const char *keyring;      /* aws-kms:ARN[,...] or raw-aes:NS:NAME:FILE (main: else MAO_KEYRING) */
	const char *region;       /* NULL: the credentials chain's region */
	const char *endpoint_url; /* NULL: AWS */
	const char *secret_arn;   /* login from a Secrets Manager secret (RDS format) */
	int iam_auth;             /* password: an RDS IAM authentication token */
	int verbose;
} runner_options;

/* Connection parameters being put together (owned strings). */
#define RUNNER_MAX_PARAMS 48
typedef struct runner_conn_params {
	char *keys[RUNNER_MAX_PARAMS];
	char *values[RUNNER_MAX_PARAMS];
	int n;
} runner_conn_params;

/* dbauth.c: a secret's login into cp; an IAM token (malloc'd) for host:port/user. */
int runner_apply_secret(const runner_options *o, runner_conn_params *cp);
char *runner_iam_token(const runner_options *o, const char *host, const char *port, const char *user);
const char *runner_param(const runner_conn_params *cp, const char *key);

/* The SQL-only schema (build/mao-aurora.sql), embedded at build time. */
extern const char mao_schema_sql[];

/* Connects as the options say; prints the reason and returns NULL on failure. */
PGconn *runner_connect(const runner_options *o);

/*
 * The installed schema's version (malloc'd; caller frees), or NULL when the
 * schema is not installed.  *failed is set on a query error.
 */
char *runner_schema_version(PGconn *conn, int *failed);

/* Draining through lib/receiver_drain with the database over libpq (run.c). */
#include <stdio.h>
#include "receiver_drain.h"
typedef struct runner_drain runner_drain;
mao_receiver *runner_receiver(const runner_options *o);
runner_drain *runner_drain_open(const runner_options *o);
void runner_drain_close(runner_drain *d);
int runner_drain_object(runner_drain *d, const char *bucket, const char *prefix,
						const mao_s3_object *o, mao_drain_outcome *outcome, mao_buf *reason, mao_err *err);
int runner_drain_all(runner_drain *d, const char *bucket, const char *prefix, int *counts,
					 FILE *out, mao_err *err);

/* The commands; each returns the process exit status. */
int runner_install_schema(const runner_options *o);
int runner_load_files(const runner_options *o, int nfiles, char **files);
int runner_run(const runner_options *o, const char *bucket, const char *prefix);
int runner_lambda(const runner_options *o, const char *prefix);

#endif /* MAO_RUNNER_H */
