/*
 * drain.c
 *		One poll of the background worker: list the bucket and take every
 *		object through fetch -> open -> load -> move, exactly once.
 *
 * Network work (list, fetch, decrypt, move) happens outside any
 * transaction; each object is loaded in one short transaction together
 * with its ledger row (mao_load_object), so a crash leaves either nothing
 * or the load and its ledger row, and the next poll then only finishes the
 * move.  Failures are sorted by lib/receiver (and, for the load, by
 * SQLSTATE): transient ones are recorded for a later retry and the object
 * stays; permanent ones move it to failed/ with the reason in the ledger
 * and the account's processing log.  The cancel flag handed to lib/ is
 * ProcDiePending, so SIGTERM interrupts a download in progress.
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "postmaster/interrupt.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"

#include "drain.h"
#include "receiver_drain.h"
#include "guc.h"
#include "ingest.h"
#include "shmem.h"

/*
 * Calls one of the extension's functions in a transaction of its own and
 * returns its result as a string allocated in cxt (NULL for NULL).  The
 * function's schema is looked up inside the transaction: catalog access
 * needs one.
 */
static char *
call_in_transaction(MemoryContext cxt, const char *function, int nargs, Oid *types,
					Datum *values)
{
	char	   *result = NULL;
	StringInfoData sql;

	SetCurrentStatementStartTimestamp();
	StartTransactionCommand();
	SPI_connect();
	PushActiveSnapshot(GetTransactionSnapshot());
	initStringInfo(&sql);
	appendStringInfo(&sql, "SELECT %s(", mao_function_name(function));
	for (int i = 1; i <= nargs; i++)
		appendStringInfo(&sql, "%s$%d", i > 1 ? ", " : "", i);
	appendStringInfoChar(&sql, ')');
	if (SPI_execute_with_args(sql.data, nargs, types, values, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not run %s", sql.data);
	if (SPI_processed > 0)
	{
		char	   *v = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);

		if (v != NULL)
			result = MemoryContextStrdup(cxt, v);
	}
	SPI_finish();
	PopActiveSnapshot();
	CommitTransactionCommand();
	return result;
}

/*
 * call_in_transaction() for lib/receiver_drain, which must not be unwound
 * through: an ERROR becomes a lib error carrying its message, after the
 * transaction is rolled back.  *result (may be NULL) gets the value.
 */
static int
call_for_lib(MemoryContext cxt, const char *function, int nargs, Oid *types, Datum *values,
			 char **result, mao_err *err)
{
	char	   *volatile value = NULL;
	volatile bool caught = false;

	PG_TRY();
	{
		value = call_in_transaction(cxt, function, nargs, types, values);
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		MemoryContextSwitchTo(cxt);
		edata = CopyErrorData();
		FlushErrorState();
		AbortCurrentTransaction();
		mao_err_set(err, MAO_ERR_INVALID, "%s: %s", function, edata->message);
		FreeErrorData(edata);
		caught = true;
	}
	PG_END_TRY();
	if (caught)
		return err->code;
	if (result)
		*result = value;
	return MAO_OK;
}

/*
 * The worker waits on the network inside lib/ (listing, fetching, KMS,
 * moves), shown in pg_stat_activity as an Extension wait; the database
 * callbacks below step out of that wait while they run SQL.
 */
static void
network_wait_begin(void)
{
	pgstat_report_wait_start(PG_WAIT_EXTENSION);
}

static void
network_wait_end(void)
{
	pgstat_report_wait_end();
}

/* mao_drain_db.next: mao_ledger_next(). */
static int
db_next_sql(void *ctx, const char *bucket, const mao_s3_object *o, char out[MAO_DRAIN_NEXT_MAX], mao_err *err)
{
	MemoryContext cxt = (MemoryContext) ctx;

	Oid			types[3] = {TEXTOID, TEXTOID, TEXTOID};
	Datum		values[3] = {CStringGetTextDatum(bucket), CStringGetTextDatum(o->key),
	CStringGetTextDatum(o->etag)};
	char	   *v = NULL;

	if (call_for_lib(cxt, "mao_ledger_next", 3, types, values, &v, err) != MAO_OK)
		return err->code;
	strlcpy(out, v ? v : "load", MAO_DRAIN_NEXT_MAX);
	return MAO_OK;
}

/* mao_drain_db.fail: mao_ledger_fail(), and a line in the server log. */
static int
db_fail_sql(void *ctx, const char *bucket, const mao_s3_object *o, const char *reason, int permanent, mao_err *err)
{
	MemoryContext cxt = (MemoryContext) ctx;
	Oid			types[6] = {TEXTOID, TEXTOID, TEXTOID, INT8OID, TEXTOID, BOOLOID};
	Datum		values[6];

	mao_shared_set_error(psprintf("%s: %s", o->key, reason));
	ereport(permanent ? WARNING : LOG,
			(errmsg("mao worker: %s %s: %s", permanent ? "failed" : "will retry", o->key, reason)));
	if (permanent)
	{
		SpinLockAcquire(&mao_shared->mutex);
		mao_shared->objects_failed++;
		SpinLockRelease(&mao_shared->mutex);
	}
	values[0] = CStringGetTextDatum(bucket);
	values[1] = CStringGetTextDatum(o->key);
	values[2] = CStringGetTextDatum(o->etag);
	values[3] = Int64GetDatum(o->size);
	values[4] = CStringGetTextDatum(reason);
	values[5] = BoolGetDatum(permanent != 0);
	return call_for_lib(cxt, "mao_ledger_fail", 6, types, values, NULL, err);
}

/* mao_drain_db.moved: mao_ledger_moved(). */
static int
db_moved_sql(void *ctx, const char *bucket, const mao_s3_object *o, const char *moved_to, mao_err *err)
{
	MemoryContext cxt = (MemoryContext) ctx;
	Oid			types[4] = {TEXTOID, TEXTOID, TEXTOID, TEXTOID};
	Datum		values[4] = {CStringGetTextDatum(bucket), CStringGetTextDatum(o->key),
	CStringGetTextDatum(o->etag), CStringGetTextDatum(moved_to)};

	return call_for_lib(cxt, "mao_ledger_moved", 4, types, values, NULL, err);
}

/*
 * mao_drain_db.load: the document and its ledger row in one transaction
 * (mao_load_object).  An ERROR there is the database refusing the document:
 * rolled back and reported as refused, never unwound into lib/.
 */
static int
db_load_sql(void *ctx, const char *bucket, const mao_s3_object *o, const mao_receiver_opened *opened,
			int *refused, int *transient, mao_buf *reason, mao_err *err)
{
	MemoryContext cxt = (MemoryContext) ctx;

	*refused = 0;
	SetCurrentStatementStartTimestamp();
	StartTransactionCommand();
	PG_TRY();
	{
		Oid			types[7] = {TEXTOID, TEXTOID, TEXTOID, INT8OID, JSONBOID, TEXTOID, JSONBOID};
		Datum		values[7];
		char		nulls[8] = "       ";
		bool		ctx_null;

		SPI_connect();
		PushActiveSnapshot(GetTransactionSnapshot());
		values[0] = CStringGetTextDatum(bucket);
		values[1] = CStringGetTextDatum(o->key);
		values[2] = CStringGetTextDatum(o->etag);
		values[3] = Int64GetDatum(o->size);
		values[4] = mao_document_jsonb(&opened->document);
		values[5] = CStringGetTextDatum(opened->kind);
		values[6] = mao_context_jsonb(opened, &ctx_null);
		if (ctx_null)
			nulls[6] = 'n';
		if (SPI_execute_with_args(psprintf("SELECT %s($1, $2, $3, $4, $5, $6, $7)",
										   mao_function_name("mao_load_object")),
								  7, types, values, nulls, false, 1) != SPI_OK_SELECT)
			elog(ERROR, "mao_load_object failed");
		SPI_finish();
		PopActiveSnapshot();
		CommitTransactionCommand();
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		MemoryContextSwitchTo(cxt);
		edata = CopyErrorData();
		FlushErrorState();
		AbortCurrentTransaction();
		*refused = 1;
		*transient = mao_sqlstate_is_transient(unpack_sql_state(edata->sqlerrcode));
		mao_buf_append_str(reason, edata->message);
		if (edata->detail)
		{
			mao_buf_append_str(reason, " (");
			mao_buf_append_str(reason, edata->detail);
			mao_buf_append_str(reason, ")");
		}
		FreeErrorData(edata);
	}
	PG_END_TRY();
	if (!*refused)
	{
		SpinLockAcquire(&mao_shared->mutex);
		mao_shared->objects_loaded++;
		mao_shared->bytes_loaded += o->size;
		SpinLockRelease(&mao_shared->mutex);
	}
	return mao_buf_status(reason) == MAO_OK ? MAO_OK : mao_err_set(err, MAO_ERR_NOMEM, "out of memory");
}

/* mao_drain_db.activity: pg_stat_activity shows what the worker is doing. */
static void
db_activity(void *ctx, const char *what)
{
	pgstat_report_activity(STATE_RUNNING, what);
}

/* The callbacks lib/ calls: each steps out of the network wait around its SQL. */
static int
db_next(void *ctx, const char *bucket, const mao_s3_object *o, char out[MAO_DRAIN_NEXT_MAX], mao_err *err)
{
	int			rc;

	network_wait_end();
	rc = db_next_sql(ctx, bucket, o, out, err);
	network_wait_begin();
	return rc;
}

static int
db_load(void *ctx, const char *bucket, const mao_s3_object *o, const mao_receiver_opened *opened,
		int *refused, int *transient, mao_buf *reason, mao_err *err)
{
	int			rc;

	network_wait_end();
	rc = db_load_sql(ctx, bucket, o, opened, refused, transient, reason, err);
	network_wait_begin();
	return rc;
}

static int
db_fail(void *ctx, const char *bucket, const mao_s3_object *o, const char *reason, int permanent, mao_err *err)
{
	int			rc;

	network_wait_end();
	rc = db_fail_sql(ctx, bucket, o, reason, permanent, err);
	network_wait_begin();
	return rc;
}

static int
db_moved(void *ctx, const char *bucket, const mao_s3_object *o, const char *moved_to, mao_err *err)
{
	int			rc;

	network_wait_end();
	rc = db_moved_sql(ctx, bucket, o, moved_to, err);
	network_wait_begin();
	return rc;
}

/* mao_drain_db.warning: a move left for the next poll, said in the log and the status. */
static void
db_warning(void *ctx, const char *message)
{
	mao_shared_set_error(message);
	ereport(WARNING, (errmsg("mao worker: %s", message)));
}

static const mao_drain_db worker_db_template = {
	NULL, db_next, db_load, db_fail, db_moved, db_activity, db_warning
};

/*
 * One poll: list the prefix (all pages, oldest first) and process every
 * object.  Returns false, with *reason set, when the receiver cannot work
 * with the current settings (the worker then idles and says why).
 */
bool
mao_drain_bucket(const char **reason)
{
	MemoryContext cxt = AllocSetContextCreate(TopMemoryContext, "mao poll", ALLOCSET_DEFAULT_SIZES);
	MemoryContext old = MemoryContextSwitchTo(cxt);
	mao_receiver *volatile r = NULL;
	mao_s3_list_result list;
	mao_receiver_options opts;
	mao_err		err;
	bool		ok = true;

	memset(&list, 0, sizeof(list));
	mao_receiver_options_from_settings(&opts, &ProcDiePending);

	PG_TRY();
	{
		mao_receiver *nr = NULL;

		if (mao_receiver_new(&opts, &nr, &err) != MAO_OK)
		{
			*reason = MemoryContextStrdup(TopMemoryContext, err.msg);
			ok = false;
		}
		else
		{
			int			rc;

			r = nr;
			mao_shared_set_state("listing s3://%s/%s", mao_bucket, mao_prefix);
			pgstat_report_activity(STATE_RUNNING, psprintf("listing s3://%s/%s", mao_bucket, mao_prefix));
			network_wait_begin();
			rc = mao_receiver_list(r, mao_bucket, mao_prefix, &list, &err);
			network_wait_end();
			if (rc != MAO_OK)
			{
				CHECK_FOR_INTERRUPTS();
				mao_shared_set_error(psprintf("listing s3://%s/%s: %s", mao_bucket, mao_prefix, err.msg));
				mao_shared_set_state("waiting: listing failed, retrying at the next poll");
				ereport(WARNING,
						(errmsg("mao worker: could not list s3://%s/%s: %s", mao_bucket, mao_prefix, err.msg)));
			}
			else
			{
				for (size_t i = 0; i < list.n_objects; i++)
				{
					mao_drain_outcome outcome;
					mao_err		db_err;
					mao_drain_db db = worker_db_template;

					CHECK_FOR_INTERRUPTS();
					if (ConfigReloadPending)
						break;	/* settings changed: the next poll uses them */
					db.ctx = cxt;
					mao_shared_set_state("loading %zu of %zu objects", i + 1, list.n_objects);
					network_wait_begin();
					rc = mao_drain_object(r, mao_bucket, mao_prefix, &list.objects[i], &db,
										  &outcome, NULL, &db_err);
					network_wait_end();
					if (rc != MAO_OK)
						ereport(ERROR,
								(errmsg("mao worker: the ledger could not be updated for %s: %s",
										list.objects[i].key, db_err.msg)));
					CHECK_FOR_INTERRUPTS();
					MemoryContextReset(cxt);
				}
				mao_shared_set_state("waiting for the next poll (%zu objects seen)", list.n_objects);
			}
		}
	}
	PG_FINALLY();
	{
		mao_s3_list_result_free(&list);
		mao_receiver_free(r);
		MemoryContextSwitchTo(old);
		MemoryContextDelete(cxt);
	}
	PG_END_TRY();
	return ok;
}
