/*
 * db.c - the runner's database connection (libpq).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runner.h"

#define RUNNER_CONNECT_ATTEMPTS 3

/* Sets key to value unless it is already set. */
static void
default_param(runner_conn_params *cp, const char *key, const char *value)
{
	if (runner_param(cp, key) == NULL && cp->n < RUNNER_MAX_PARAMS) {
		cp->keys[cp->n] = strdup(key);
		cp->values[cp->n] = strdup(value);
		cp->n++;
	}
}

/* Replaces (or adds) key's value. */
static void
override_param(runner_conn_params *cp, const char *key, const char *value)
{
	for (int i = 0; i < cp->n; i++)
		if (strcmp(cp->keys[i], key) == 0) {
			free(cp->values[i]);
			cp->values[i] = strdup(value);
			return;
		}
	default_param(cp, key, value);
}

/* Frees the parameters, wiping values (one is a password). */
static void
free_params(runner_conn_params *cp)
{
	for (int i = 0; i < cp->n; i++) {
		free(cp->keys[i]);
		if (cp->values[i]) {
			memset(cp->values[i], 0, strlen(cp->values[i]));
			free(cp->values[i]);
		}
	}
	cp->n = 0;
}

/*
 * Connects: the DSN (or libpq's environment), then a Secrets Manager
 * secret's login, then an IAM token as the password.  Over TCP, TLS with
 * certificate and host-name verification is the default (sslmode
 * verify-full against --ca-bundle, else the system's CA bundle) unless the
 * DSN or PGSSLMODE asks otherwise; Unix sockets need no TLS.
 */
PGconn *
runner_connect(const runner_options *o)
{
	runner_conn_params cp;
	PQconninfoOption *opts;
	char *errmsg = NULL;
	const char *host;
	const char *keys[RUNNER_MAX_PARAMS + 1];
	const char *values[RUNNER_MAX_PARAMS + 1];
	PGconn *conn;

	memset(&cp, 0, sizeof(cp));
	opts = PQconninfoParse(o->dsn ? o->dsn : "", &errmsg);
	if (!opts) {
		fprintf(stderr, "mao-runner: invalid --dsn: %s", errmsg ? errmsg : "out of memory\n");
		PQfreemem(errmsg);
		return NULL;
	}
	for (PQconninfoOption *p = opts; p->keyword; p++)
		if (p->val && cp.n < RUNNER_MAX_PARAMS)
			override_param(&cp, p->keyword, p->val);
	PQconninfoFree(opts);

	if (o->secret_arn && runner_apply_secret(o, &cp) != 0) {
		free_params(&cp);
		return NULL;
	}
	host = runner_param(&cp, "host") ? runner_param(&cp, "host") : getenv("PGHOST");
	if (o->iam_auth) {
		const char *port = runner_param(&cp, "port") ? runner_param(&cp, "port") : (getenv("PGPORT") ? getenv("PGPORT") : "5432");
		const char *user = runner_param(&cp, "user") ? runner_param(&cp, "user") : getenv("PGUSER");
		char *token;

		if (!host || !user) {
			fprintf(stderr, "mao-runner: IAM authentication needs the host and the user (DSN, secret or PGHOST/PGUSER)\n");
			free_params(&cp);
			return NULL;
		}
		token = runner_iam_token(o, host, port, user);
		if (!token) {
			free_params(&cp);
			return NULL;
		}
		override_param(&cp, "password", token);
		memset(token, 0, strlen(token));
		free(token);
	}
	if (o->ca_bundle) {
		override_param(&cp, "sslmode", "verify-full");
		override_param(&cp, "sslrootcert", o->ca_bundle);
	} else if (host && host[0] && host[0] != '/' && !getenv("PGSSLMODE")) {
		default_param(&cp, "sslmode", "verify-full");
		default_param(&cp, "sslrootcert", "/etc/ssl/certs/ca-certificates.crt");
	}

	for (int i = 0; i < cp.n; i++) {
		keys[i] = cp.keys[i];
		values[i] = cp.values[i];
	}
	keys[cp.n] = NULL;
	values[cp.n] = NULL;
	/* A database that is restarting or failing over gets a few seconds. */
	for (int attempt = 1;; attempt++) {
		conn = PQconnectdbParams(keys, values, 0);
		if (conn != NULL && PQstatus(conn) == CONNECTION_OK)
			break;
		if (attempt == RUNNER_CONNECT_ATTEMPTS) {
			fprintf(stderr, "mao-runner: could not connect to the database after %d attempts: %s",
					attempt, conn ? PQerrorMessage(conn) : "out of memory\n");
			PQfinish(conn);
			conn = NULL;
			break;
		}
		PQfinish(conn);
		sleep((unsigned) attempt);
	}
	free_params(&cp);
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
