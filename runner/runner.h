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
	const char *keyring;      /* aws-kms:ARN[,...] or raw-aes:NS:NAME:FILE; NULL: MAO_KEYRING */
	const char *region;       /* NULL: the credentials chain's region */
	const char *endpoint_url; /* NULL: AWS */
	int verbose;
} runner_options;

/* The SQL-only schema (build/mao-aurora.sql), embedded at build time. */
extern const char mao_schema_sql[];

/* Connects as the options say; prints the reason and returns NULL on failure. */
PGconn *runner_connect(const runner_options *o);

/*
 * The installed schema's version (malloc'd; caller frees), or NULL when the
 * schema is not installed.  *failed is set on a query error.
 */
char *runner_schema_version(PGconn *conn, int *failed);

/* The commands; each returns the process exit status. */
int runner_install_schema(const runner_options *o);
int runner_load_files(const runner_options *o, int nfiles, char **files);
int runner_run(const runner_options *o, const char *bucket, const char *prefix);

#endif /* MAO_RUNNER_H */
