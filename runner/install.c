/*
 * install.c - mao-runner install-schema: the SQL-only schema, views and
 * loader into a database without the extension, idempotently.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runner.h"

/* The version the embedded schema installs (mao_schema_version()). */
static const char *
embedded_version(void)
{
	const char *p = strstr(mao_schema_sql, "FUNCTION mao_schema_version()");
	static char v[32];

	v[0] = '\0';
	if (p && (p = strstr(p, "SELECT '")) != NULL) {
		size_t n = strcspn(p + 8, "'");
		if (n < sizeof(v)) {
			memcpy(v, p + 8, n);
			v[n] = '\0';
		}
	}
	return v;
}

/*
 * Installs the schema unless this version is already there.  The file is
 * one transaction, so a failure leaves nothing behind.
 */
int
runner_install_schema(const runner_options *o)
{
	PGconn *conn = runner_connect(o);
	PGresult *res;
	char *installed;
	int failed;
	int status = 0;

	if (!conn)
		return 2;
	installed = runner_schema_version(conn, &failed);
	if (failed) {
		status = 1;
	} else if (installed && strcmp(installed, embedded_version()) == 0) {
		printf("schema %s is already installed in database %s; nothing to do\n",
			   installed, PQdb(conn));
	} else if (installed) {
		fprintf(stderr, "mao-runner: database %s has schema %s, this runner installs %s; "
				"upgrading between versions is not supported by this release\n",
				PQdb(conn), installed, embedded_version());
		status = 1;
	} else {
		res = PQexec(conn, mao_schema_sql);
		if (PQresultStatus(res) != PGRES_COMMAND_OK && PQresultStatus(res) != PGRES_TUPLES_OK) {
			fprintf(stderr, "mao-runner: installing the schema failed (nothing was installed): %s",
					PQerrorMessage(conn));
			status = 1;
		} else {
			printf("installed schema %s (tables, views, mao_load, roles) into database %s\n",
				   embedded_version(), PQdb(conn));
		}
		PQclear(res);
	}
	free(installed);
	PQfinish(conn);
	return status;
}
