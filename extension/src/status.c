/*
 * status.c
 *		SQL-callable views of the worker: mao_worker_status() and mao_wake().
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "fmgr.h"
#include "funcapi.h"
#include "storage/latch.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

#include "shmem.h"

PG_FUNCTION_INFO_V1(mao_worker_status);
PG_FUNCTION_INFO_V1(mao_wake);

/*
 * One row describing the worker: whether it runs, its state line, when it
 * last polled, how many objects and bytes it loaded or failed, and its last
 * error.  Without shared_preload_libraries there is no worker: running is
 * false and the state says why.
 */
Datum
mao_worker_status(PG_FUNCTION_ARGS)
{
	TupleDesc	tupdesc;
	Datum		values[12];
	bool		nulls[12];
	MaoWorkerShared snap;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("mao_worker_status must be called in a context that accepts a record")));
	tupdesc = BlessTupleDesc(tupdesc);

	memset(nulls, 0, sizeof(nulls));
	if (mao_shared == NULL)
	{
		memset(&snap, 0, sizeof(snap));
		strlcpy(snap.state, "not loaded: add mao to shared_preload_libraries and restart",
				MAO_STATE_LEN);
	}
	else
	{
		SpinLockAcquire(&mao_shared->mutex);
		memcpy(&snap, mao_shared, sizeof(snap));
		SpinLockRelease(&mao_shared->mutex);
	}

	values[0] = BoolGetDatum(snap.pid != 0);
	values[1] = Int32GetDatum(snap.pid);
	nulls[1] = snap.pid == 0;
	values[2] = CStringGetTextDatum(snap.state);
	values[3] = TimestampTzGetDatum(snap.started_at);
	nulls[3] = snap.started_at == 0;
	values[4] = TimestampTzGetDatum(snap.last_poll_start);
	nulls[4] = snap.last_poll_start == 0;
	values[5] = TimestampTzGetDatum(snap.last_poll_end);
	nulls[5] = snap.last_poll_end == 0;
	values[6] = Int64GetDatum(snap.polls);
	values[7] = Int64GetDatum(snap.objects_loaded);
	values[8] = Int64GetDatum(snap.objects_failed);
	values[9] = Int64GetDatum(snap.bytes_loaded);
	values[10] = CStringGetTextDatum(snap.last_error);
	nulls[10] = snap.last_error[0] == '\0';
	values[11] = TimestampTzGetDatum(snap.last_error_at);
	nulls[11] = snap.last_error_at == 0;

	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

/*
 * Wakes the worker to poll now instead of at the end of its interval.
 * Returns false when no worker is running.
 */
Datum
mao_wake(PG_FUNCTION_ARGS)
{
	Latch	   *latch = NULL;

	if (mao_shared != NULL)
	{
		SpinLockAcquire(&mao_shared->mutex);
		if (mao_shared->pid != 0)
			latch = mao_shared->latch;
		SpinLockRelease(&mao_shared->mutex);
	}
	if (latch == NULL)
		PG_RETURN_BOOL(false);
	SetLatch(latch);
	PG_RETURN_BOOL(true);
}
