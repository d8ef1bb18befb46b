/*
 * run.c - mao-runner run: drain the bucket like the background worker, over
 * libpq.  The per-object path (ledger, fetch, open, load, move, failures)
 * is lib/receiver_drain's, shared with the worker; this file only supplies
 * the database side, each statement in its own transaction and the load
 * with its ledger row in one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "receiver_drain.h"
#include "runner.h"

typedef struct run_ctx {
	PGconn *conn;
	int verbose;
} run_ctx;

/* Runs one ledger function; copies its text result into out (may be NULL). */
static int
call(run_ctx *c, const char *sql, int n, const char *const *params, char *out, size_t outlen, mao_err *err)
{
	PGresult *res = PQexecParams(c->conn, sql, n, NULL, params, NULL, NULL, 0);
	int rc = MAO_OK;

	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		rc = mao_err_set(err, PQstatus(c->conn) == CONNECTION_OK ? MAO_ERR_INVALID : MAO_ERR_NETWORK,
						 "%s", PQresultErrorMessage(res));
	} else if (out) {
		snprintf(out, outlen, "%s", PQntuples(res) ? PQgetvalue(res, 0, 0) : "");
	}
	PQclear(res);
	return rc;
}

/* mao_drain_db.next */
static int
db_next(void *ctx, const char *bucket, const mao_s3_object *o, char out[MAO_DRAIN_NEXT_MAX], mao_err *err)
{
	const char *p[3] = {bucket, o->key, o->etag};

	return call(ctx, "SELECT mao_ledger_next($1, $2, $3)", 3, p, out, MAO_DRAIN_NEXT_MAX, err);
}

/* mao_drain_db.fail */
static int
db_fail(void *ctx, const char *bucket, const mao_s3_object *o, const char *reason, int permanent, mao_err *err)
{
	char size[32];
	const char *p[6] = {bucket, o->key, o->etag, size, reason, permanent ? "true" : "false"};

	snprintf(size, sizeof(size), "%lld", o->size);
	fprintf(stderr, "mao-runner: %s %s: %s\n", permanent ? "failed" : "will retry", o->key, reason);
	return call(ctx, "SELECT mao_ledger_fail($1, $2, $3, $4, $5, $6)", 6, p, NULL, 0, err);
}

/* mao_drain_db.moved */
static int
db_moved(void *ctx, const char *bucket, const mao_s3_object *o, const char *moved_to, mao_err *err)
{
	const char *p[4] = {bucket, o->key, o->etag, moved_to};

	return call(ctx, "SELECT mao_ledger_moved($1, $2, $3, $4)", 4, p, NULL, 0, err);
}

/*
 * mao_drain_db.load: BEGIN, mao_load_object, COMMIT.  A statement error is
 * the database refusing the document (rolled back); whether to retry is
 * mao_sqlstate_is_transient()'s call, as in the worker.  A lost connection is
 * an error of the callback: the run stops.
 */
static int
db_load(void *ctx, const char *bucket, const mao_s3_object *o, const mao_receiver_opened *opened,
		int *refused, int *transient, mao_buf *reason, mao_err *err)
{
	run_ctx *c = ctx;
	char size[32];
	const char *p[7];
	PGresult *res;

	snprintf(size, sizeof(size), "%lld", o->size);
	p[0] = bucket;
	p[1] = o->key;
	p[2] = o->etag;
	p[3] = size;
	p[4] = mao_buf_cstr(&opened->document);
	p[5] = opened->kind;
	p[6] = opened->context_json.len ? mao_buf_cstr(&opened->context_json) : NULL;
	*refused = 0;
	PQclear(PQexec(c->conn, "BEGIN"));
	res = PQexecParams(c->conn, "SELECT mao_load_object($1, $2, $3, $4, $5::jsonb, $6, $7::jsonb)",
					   7, NULL, p, NULL, NULL, 0);
	if (PQresultStatus(res) == PGRES_TUPLES_OK) {
		PQclear(res);
		res = PQexec(c->conn, "COMMIT");
	}
	if (PQresultStatus(res) != PGRES_TUPLES_OK && PQresultStatus(res) != PGRES_COMMAND_OK) {
		const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
		const char *detail = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL);

		if (PQstatus(c->conn) != CONNECTION_OK) {
			int rc = mao_err_set(err, MAO_ERR_NETWORK, "the database connection was lost: %s",
								 PQerrorMessage(c->conn));
			PQclear(res);
			return rc;
		}
		PQclear(PQexec(c->conn, "ROLLBACK"));
		*refused = 1;
		*transient = mao_sqlstate_is_transient(state);
		mao_buf_append_str(reason, PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY)
						   ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : PQerrorMessage(c->conn));
		if (detail) {
			mao_buf_append_str(reason, " (");
			mao_buf_append_str(reason, detail);
			mao_buf_append_str(reason, ")");
		}
	}
	PQclear(res);
	return MAO_OK;
}

/* mao_drain_db.activity: with --verbose, say what is happening. */
static void
db_activity(void *ctx, const char *what)
{
	if (((run_ctx *) ctx)->verbose)
		fprintf(stderr, "mao-runner: %s\n", what);
}

/* mao_drain_db.warning */
static void
db_warning(void *ctx, const char *message)
{
	(void) ctx;
	fprintf(stderr, "mao-runner: %s\n", message);
}

/* A connection and a receiver, ready to drain (see runner.h). */
struct runner_drain {
	run_ctx ctx;
	mao_receiver *receiver;
	mao_drain_db db;
};

/*
 * The receiver (keyring, region, S3 endpoint) the options describe; prints
 * why not and returns NULL.  Shared by load, run and the Lambda mode.
 */
mao_receiver *
runner_receiver(const runner_options *o)
{
	mao_receiver_options ro;
	mao_receiver *r = NULL;
	mao_err err;

	memset(&ro, 0, sizeof(ro));
	ro.keyring = o->keyring;
	ro.region = o->region;
	ro.endpoint_url = o->endpoint_url;
	if (mao_receiver_new(&ro, &r, &err) != MAO_OK) {
		fprintf(stderr, "mao-runner: %s\n", err.msg);
		return NULL;
	}
	return r;
}

/* Opens the receiver and the database connection; prints why not and returns NULL. */
runner_drain *
runner_drain_open(const runner_options *o)
{
	runner_drain *d = calloc(1, sizeof(*d));

	if (!d) {
		fprintf(stderr, "mao-runner: out of memory\n");
		return NULL;
	}
	d->receiver = runner_receiver(o);
	if (!d->receiver) {
		free(d);
		return NULL;
	}
	d->ctx.verbose = o->verbose;
	d->ctx.conn = runner_connect(o);
	if (!d->ctx.conn) {
		mao_receiver_free(d->receiver);
		free(d);
		return NULL;
	}
	d->db = (mao_drain_db){&d->ctx, db_next, db_load, db_fail, db_moved, db_activity, db_warning};
	return d;
}

/* Closes the connection and frees the receiver; NULL is ignored. */
void
runner_drain_close(runner_drain *d)
{
	if (!d)
		return;
	PQfinish(d->ctx.conn);
	mao_receiver_free(d->receiver);
	free(d);
}

/*
 * Takes one object through the shared path.  A lost connection is
 * re-established once before giving up.
 */
int
runner_drain_object(runner_drain *d, const char *bucket, const char *prefix,
					const mao_s3_object *o, mao_drain_outcome *outcome, mao_buf *reason, mao_err *err)
{
	if (PQstatus(d->ctx.conn) != CONNECTION_OK)
		PQreset(d->ctx.conn);
	return mao_drain_object(d->receiver, bucket, prefix, o, &d->db, outcome, reason, err);
}

/*
 * Drains every object under prefix, one line each on out, then a summary
 * line.  counts (indexed by mao_drain_outcome) are added to.  Returns
 * MAO_OK, or the listing's or the database's error (the run stopped).
 */
int
runner_drain_all(runner_drain *d, const char *bucket, const char *prefix, int *counts,
				 FILE *out, mao_err *err)
{
	mao_s3_list_result list;
	int rc;

	memset(&list, 0, sizeof(list));
	rc = mao_receiver_list(d->receiver, bucket, prefix, &list, err);
	for (size_t i = 0; rc == MAO_OK && i < list.n_objects; i++) {
		mao_drain_outcome outcome;

		rc = runner_drain_object(d, bucket, prefix, &list.objects[i], &outcome, NULL, err);
		if (rc == MAO_OK) {
			counts[outcome]++;
			fprintf(out, "%s: %s\n", list.objects[i].key, mao_drain_outcome_name(outcome));
		}
	}
	fprintf(out, "s3://%s/%s: %d loaded, %d failed, %d to retry, %d waiting, %d moved only\n",
			bucket, prefix, counts[MAO_DRAIN_LOADED], counts[MAO_DRAIN_FAILED],
			counts[MAO_DRAIN_RETRY], counts[MAO_DRAIN_WAITING], counts[MAO_DRAIN_MOVED]);
	mao_s3_list_result_free(&list);
	return rc;
}

/*
 * mao-runner run: drains bucket/prefix once.  Exit status: 0 when every
 * object was loaded (or had nothing left to do), 1 when some failed or wait
 * for a retry, 2 when the run could not start or stopped (listing failed,
 * the database went away).
 */
int
runner_run(const runner_options *o, const char *bucket, const char *prefix)
{
	runner_drain *d = runner_drain_open(o);
	int counts[MAO_DRAIN_CANCELLED + 1] = {0};
	mao_err err;
	int status;

	if (!d)
		return 2;
	if (runner_drain_all(d, bucket, prefix, counts, stdout, &err) != MAO_OK) {
		fprintf(stderr, "mao-runner: s3://%s/%s: %s\n", bucket, prefix, err.msg);
		status = 2;
	} else {
		status = (counts[MAO_DRAIN_FAILED] || counts[MAO_DRAIN_RETRY] || counts[MAO_DRAIN_WAITING]) ? 1 : 0;
	}
	runner_drain_close(d);
	return status;
}
