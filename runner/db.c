/*
 * db.c - the runner's database connection (libpq).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runner.h"

/*
 * Connects with the DSN (or libpq's environment).  With a CA bundle the
 * server's certificate and host name are verified against it
 * (sslmode=verify-full), whatever the DSN says.
 */
PGconn *
runner_connect(const runner_options *o)
{
	const char *keys[4];
	const char *values[4];
	int n = 0;
	PGconn *conn;

	keys[n] = "dbname";
	values[n++] = o->dsn ? o->dsn : "";
	if (o->ca_bundle) {
		keys[n] = "sslmode";
		values[n++] = "verify-full";
		keys[n] = "sslrootcert";
		values[n++] = o->ca_bundle;
	}
	keys[n] = NULL;
	values[n] = NULL;
	/* expand_dbname: "dbname" may be a full connection string or URI. */
	conn = PQconnectdbParams(keys, values, 1);
	if (conn == NULL || PQstatus(conn) != CONNECTION_OK) {
		fprintf(stderr, "mao-runner: could not connect to the database: %s",
				conn ? PQerrorMessage(conn) : "out of memory\n");
		PQfinish(conn);
		return NULL;
	}
	return conn;
}

/* Returns the installed schema's version, or NULL when there is none. */
char *
runner_schema_version(PGconn *conn, int *failed)
{
	PGresult *res;
	char *version = NULL;

	*failed = 0;
	res = PQexec(conn, "SELECT to_regprocedure('mao_schema_version()') IS NOT NULL");
	if (PQresultStatus(res) == PGRES_TUPLES_OK && strcmp(PQgetvalue(res, 0, 0), "t") == 0) {
		PQclear(res);
		res = PQexec(conn, "SELECT mao_schema_version()");
	}
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		fprintf(stderr, "mao-runner: could not read the schema version: %s", PQerrorMessage(conn));
		*failed = 1;
	} else if (strcmp(PQfname(res, 0), "mao_schema_version") == 0 && !PQgetisnull(res, 0, 0)) {
		version = strdup(PQgetvalue(res, 0, 0));
	}
	PQclear(res);
	return version;
}
