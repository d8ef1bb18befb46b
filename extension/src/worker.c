/*
 * worker.c
 *		Lifecycle of the MAO background worker: registration, signals, the
 *		poll loop and its settings checks.
 *
 * One worker per cluster, registered when the library is preloaded.  It
 * connects to mao.database as mao.role and, every mao.poll_interval (or
 * when mao_wake() sets its latch), checks its settings and polls the
 * bucket.  Standard signal handling: SIGTERM is die() (so fast shutdown,
 * DROP DATABASE and pg_terminate_backend end it promptly), SIGHUP reloads
 * the configuration, and the latch wakes it.  A bad setting is a WARNING
 * (said once per distinct problem) and an idle worker, never a crash loop.
 * An error exit is non-zero, so the postmaster restarts it.
 */
#include "postgres.h"

#include "access/xact.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "postmaster/bgworker.h"
#include "postmaster/interrupt.h"
#include "storage/ipc.h"
#include "storage/latch.h"
#include "tcop/tcopprot.h"
#include "utils/backend_status.h"
#include "utils/guc.h"
#include "utils/snapmgr.h"
#include "utils/wait_event.h"

#include "drain.h"
#include "guc.h"
#include "shmem.h"
#include "worker.h"

/* The last problem warned about, so that a persisting one is said once. */
static char last_warning[MAO_STATE_LEN];

/* Registers the worker with the postmaster; called from _PG_init. */
void
mao_register_worker(void)
{
	BackgroundWorker worker;

	memset(&worker, 0, sizeof(worker));
	worker.bgw_flags = BGWORKER_SHMEM_ACCESS | BGWORKER_BACKEND_DATABASE_CONNECTION;
	worker.bgw_start_time = BgWorkerStart_RecoveryFinished;
	worker.bgw_restart_time = 10;
	strlcpy(worker.bgw_library_name, "mao", BGW_MAXLEN);
	strlcpy(worker.bgw_function_name, "mao_worker_main", BGW_MAXLEN);
	strlcpy(worker.bgw_name, "mao worker", BGW_MAXLEN);
	strlcpy(worker.bgw_type, "mao worker", BGW_MAXLEN);
	RegisterBackgroundWorker(&worker);
}

/* Clears the worker's entry in the status block when it exits. */
static void
mao_worker_detach(int code, Datum arg)
{
	if (mao_shared == NULL)
		return;
	SpinLockAcquire(&mao_shared->mutex);
	mao_shared->pid = 0;
	mao_shared->latch = NULL;
	strlcpy(mao_shared->state, "stopped", MAO_STATE_LEN);
	SpinLockRelease(&mao_shared->mutex);
}

/*
 * Goes idle for a reason the administrator must fix: the state says why, and
 * a WARNING does too, once for as long as the reason stays the same.
 */
static void
mao_worker_idle(const char *reason)
{
	mao_shared_set_state("idle: %s", reason);
	if (strcmp(last_warning, reason) != 0)
	{
		ereport(WARNING,
				(errmsg("mao worker is idle: %s", reason),
				 errhint("Change the setting and reload the configuration (SELECT pg_reload_conf()).")));
		strlcpy(last_warning, reason, sizeof(last_warning));
	}
}

/* True when the extension is installed in the worker's database. */
static bool
mao_extension_installed(void)
{
	bool		installed;

	SetCurrentStatementStartTimestamp();
	StartTransactionCommand();
	SPI_connect();
	PushActiveSnapshot(GetTransactionSnapshot());
	pgstat_report_activity(STATE_RUNNING, "checking that extension mao is installed");
	if (SPI_execute("SELECT 1 FROM pg_catalog.pg_extension WHERE extname = 'mao'", true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not look up extension mao");
	installed = SPI_processed > 0;
	SPI_finish();
	PopActiveSnapshot();
	CommitTransactionCommand();
	pgstat_report_activity(STATE_IDLE, NULL);
	return installed;
}

/*
 * One poll: check the settings, then drain the bucket.  Never holds a
 * transaction across network calls: each object is fetched and opened first,
 * then loaded in a short transaction of its own.
 */
static void
mao_worker_poll_once(void)
{
	TimestampTz start = GetCurrentTimestamp();

	SpinLockAcquire(&mao_shared->mutex);
	mao_shared->last_poll_start = start;
	mao_shared->polls++;
	SpinLockRelease(&mao_shared->mutex);

	if (mao_bucket == NULL || mao_bucket[0] == '\0')
		mao_worker_idle("mao.bucket is not set");
	else if (mao_keyring == NULL || mao_keyring[0] == '\0')
		mao_worker_idle("mao.keyring is not set");
	else if (!mao_extension_installed())
		mao_worker_idle(psprintf("extension mao is not installed in database \"%s\"", mao_database));
	else
	{
		const char *reason = NULL;

		if (mao_drain_bucket(&reason))
			last_warning[0] = '\0';
		else
			mao_worker_idle(reason);
	}

	SpinLockAcquire(&mao_shared->mutex);
	mao_shared->last_poll_end = GetCurrentTimestamp();
	SpinLockRelease(&mao_shared->mutex);
}

/* Entry point of the background worker. */
void
mao_worker_main(Datum main_arg)
{
	pqsignal(SIGHUP, SignalHandlerForConfigReload);
	pqsignal(SIGTERM, die);
	BackgroundWorkerUnblockSignals();

	BackgroundWorkerInitializeConnection(mao_database,
										 (mao_role != NULL && mao_role[0] != '\0') ? mao_role : NULL,
										 0);
	pgstat_report_appname("mao worker");

	SpinLockAcquire(&mao_shared->mutex);
	mao_shared->pid = MyProcPid;
	mao_shared->latch = MyLatch;
	mao_shared->started_at = GetCurrentTimestamp();
	strlcpy(mao_shared->state, "starting", MAO_STATE_LEN);
	SpinLockRelease(&mao_shared->mutex);
	before_shmem_exit(mao_worker_detach, 0);

	ereport(LOG,
			(errmsg("mao worker started in database \"%s\"", mao_database)));

	for (;;)
	{
		CHECK_FOR_INTERRUPTS();
		if (ConfigReloadPending)
		{
			ConfigReloadPending = false;
			ProcessConfigFile(PGC_SIGHUP);
		}

		mao_worker_poll_once();

		pgstat_report_activity(STATE_IDLE, NULL);
		(void) WaitLatch(MyLatch,
						 WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH,
						 mao_poll_interval * 1000L,
						 PG_WAIT_EXTENSION);
		ResetLatch(MyLatch);
	}
}
