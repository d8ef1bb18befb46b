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

/* mao_ledger_next(): 'load', 'loaded', 'failed' or 'wait'. */
static char *
ledger_next(MemoryContext cxt, const mao_s3_object *o)
{
	Oid			types[3] = {TEXTOID, TEXTOID, TEXTOID};
	Datum		values[3] = {CStringGetTextDatum(mao_bucket), CStringGetTextDatum(o->key),
	CStringGetTextDatum(o->etag)};

	return call_in_transaction(cxt, "mao_ledger_next", 3, types, values);
}

/* mao_ledger_fail(): records a failure; returns the new status. */
static char *
ledger_fail(MemoryContext cxt, const mao_s3_object *o, const char *reason, bool permanent)
{
	Oid			types[6] = {TEXTOID, TEXTOID, TEXTOID, INT8OID, TEXTOID, BOOLOID};
	Datum		values[6] = {CStringGetTextDatum(mao_bucket), CStringGetTextDatum(o->key),
		CStringGetTextDatum(o->etag), Int64GetDatum(o->size), CStringGetTextDatum(reason),
	BoolGetDatum(permanent)};

	mao_shared_set_error(psprintf("%s: %s", o->key, reason));
	ereport(permanent ? WARNING : LOG,
			(errmsg("mao worker: %s %s: %s", permanent ? "failed" : "will retry", o->key, reason)));
	return call_in_transaction(cxt, "mao_ledger_fail", 6, types, values);
}

/*
 * Moves the object to loaded/ or failed/ (dest) and records where.  A move
 * that fails is retried by the next poll, which finds the ledger row.
 */
static void
move_object(MemoryContext cxt, mao_receiver *r, const mao_s3_object *o, const char *dest)
{
	mao_err		err;
	char	   *to;
	Oid			types[4] = {TEXTOID, TEXTOID, TEXTOID, TEXTOID};
	Datum		values[4];

	pgstat_report_activity(STATE_RUNNING, psprintf("moving s3://%s/%s to %s", mao_bucket, o->key, dest));
	if (mao_receiver_move(r, mao_bucket, o->key, mao_prefix, dest, &err) != MAO_OK)
	{
		CHECK_FOR_INTERRUPTS();
		mao_shared_set_error(psprintf("moving %s: %s", o->key, err.msg));
		ereport(WARNING,
				(errmsg("mao worker: could not move %s to %s: %s", o->key, dest, err.msg),
				 errdetail("The ledger keeps the object's state; the next poll tries the move again.")));
		return;
	}
	to = psprintf("%s%s", dest, o->key + strlen(mao_prefix));
	values[0] = CStringGetTextDatum(mao_bucket);
	values[1] = CStringGetTextDatum(o->key);
	values[2] = CStringGetTextDatum(o->etag);
	values[3] = CStringGetTextDatum(to);
	(void) call_in_transaction(cxt, "mao_ledger_moved", 4, types, values);
}

/*
 * True when a load error is worth retrying: anything but bad data.  Data
 * exceptions (class 22, which includes the loader's invalid_parameter_value),
 * integrity violations (23) and bad JSON are permanent; lock timeouts,
 * deadlocks, out of disk and the like are not.
 */
static bool
load_error_is_transient(int sqlerrcode)
{
	const char *cls = unpack_sql_state(sqlerrcode);

	return !(strncmp(cls, "22", 2) == 0 || strncmp(cls, "23", 2) == 0);
}

/*
 * Loads one opened object in its own transaction with its ledger row.
 * Returns NULL on success, else the error message (in cxt); *transient
 * tells whether to retry.
 */
static char *
load_object(MemoryContext cxt, const mao_s3_object *o, const mao_receiver_opened *opened, bool *transient)
{
	char	   *volatile error = NULL;

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
		values[0] = CStringGetTextDatum(mao_bucket);
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
		*transient = load_error_is_transient(edata->sqlerrcode);
		error = edata->detail
			? psprintf("%s (%s)", edata->message, edata->detail)
			: pstrdup(edata->message);
		FreeErrorData(edata);
	}
	PG_END_TRY();
	return error;
}

/* Takes one listed object through the whole path. */
static void
process_object(MemoryContext cxt, mao_receiver *r, const mao_s3_object *o)
{
	char	   *next = ledger_next(cxt, o);
	mao_buf		body = MAO_BUF_INIT;
	char		etag[MAO_S3_ETAG_MAX];
	mao_receiver_opened opened;
	mao_err		err;
	char	   *error;
	bool		transient = false;

	if (strcmp(next, "wait") == 0)
		return;
	if (strcmp(next, "loaded") == 0 || strcmp(next, "failed") == 0)
	{
		move_object(cxt, r, o, strcmp(next, "loaded") == 0 ? "loaded/" : "failed/");
		return;
	}

	memset(&opened, 0, sizeof(opened));
	PG_TRY();
	{
		pgstat_report_activity(STATE_RUNNING, psprintf("fetching s3://%s/%s", mao_bucket, o->key));
		if (mao_receiver_fetch(r, mao_bucket, o->key, &body, etag, &err) != MAO_OK)
		{
			CHECK_FOR_INTERRUPTS();
			if (err.code != MAO_ERR_NOT_FOUND)	/* gone since the listing: nothing to do */
			{
				if (mao_receiver_is_transient(err.code))
					(void) ledger_fail(cxt, o, err.msg, false);
				else
				{
					(void) ledger_fail(cxt, o, err.msg, true);
					move_object(cxt, r, o, "failed/");
				}
			}
		}
		else if (mao_receiver_open(r, body.data, body.len, o->key, &opened, &err) != MAO_OK)
		{
			CHECK_FOR_INTERRUPTS();
			if (mao_receiver_is_transient(err.code))
				(void) ledger_fail(cxt, o, err.msg, false);
			else
			{
				(void) ledger_fail(cxt, o, err.msg, true);
				move_object(cxt, r, o, "failed/");
			}
		}
		else
		{
			mao_buf_free(&body);
			pgstat_report_activity(STATE_RUNNING, psprintf("loading s3://%s/%s", mao_bucket, o->key));
			error = load_object(cxt, o, &opened, &transient);
			if (error == NULL)
			{
				SpinLockAcquire(&mao_shared->mutex);
				mao_shared->objects_loaded++;
				mao_shared->bytes_loaded += o->size;
				SpinLockRelease(&mao_shared->mutex);
				move_object(cxt, r, o, "loaded/");
			}
			else if (transient)
				(void) ledger_fail(cxt, o, error, false);
			else
			{
				(void) ledger_fail(cxt, o, error, true);
				SpinLockAcquire(&mao_shared->mutex);
				mao_shared->objects_failed++;
				SpinLockRelease(&mao_shared->mutex);
				move_object(cxt, r, o, "failed/");
			}
		}
	}
	PG_FINALLY();
	{
		mao_buf_free(&body);
		mao_receiver_opened_free(&opened);
	}
	PG_END_TRY();
}

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
			r = nr;
			mao_shared_set_state("listing s3://%s/%s", mao_bucket, mao_prefix);
			pgstat_report_activity(STATE_RUNNING, psprintf("listing s3://%s/%s", mao_bucket, mao_prefix));
			if (mao_receiver_list(r, mao_bucket, mao_prefix, &list, &err) != MAO_OK)
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
					CHECK_FOR_INTERRUPTS();
					if (ConfigReloadPending)
						break;	/* settings changed: the next poll uses them */
					mao_shared_set_state("loading %zu of %zu objects", i + 1, list.n_objects);
					process_object(cxt, r, &list.objects[i]);
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
