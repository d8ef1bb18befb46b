/*
 * shmem.c
 *		The worker's shared status block.
 *
 * Requested through shmem_request_hook (PostgreSQL 15) and initialised in
 * shmem_startup_hook, so it exists only when the library is preloaded.  A
 * spinlock guards it: every critical section is a few assignments.
 */
#include "postgres.h"

#include "miscadmin.h"
#include "storage/ipc.h"
#include "storage/lwlock.h"
#include "storage/shmem.h"

#include "shmem.h"

MaoWorkerShared *mao_shared = NULL;

static shmem_request_hook_type prev_shmem_request_hook = NULL;
static shmem_startup_hook_type prev_shmem_startup_hook = NULL;

/* Asks the postmaster for room for the status block. */
static void
mao_shmem_request(void)
{
	if (prev_shmem_request_hook)
		prev_shmem_request_hook();
	RequestAddinShmemSpace(MAXALIGN(sizeof(MaoWorkerShared)));
}

/* Finds or creates the status block (once per postmaster lifetime). */
static void
mao_shmem_startup(void)
{
	bool		found;

	if (prev_shmem_startup_hook)
		prev_shmem_startup_hook();

	LWLockAcquire(AddinShmemInitLock, LW_EXCLUSIVE);
	mao_shared = ShmemInitStruct("mao worker status", sizeof(MaoWorkerShared), &found);
	if (!found)
	{
		memset(mao_shared, 0, sizeof(MaoWorkerShared));
		SpinLockInit(&mao_shared->mutex);
		strlcpy(mao_shared->state, "not started", MAO_STATE_LEN);
	}
	LWLockRelease(AddinShmemInitLock);
}

/* Installs the hooks; called from _PG_init while preloading. */
void
mao_shmem_install_hooks(void)
{
	prev_shmem_request_hook = shmem_request_hook;
	shmem_request_hook = mao_shmem_request;
	prev_shmem_startup_hook = shmem_startup_hook;
	shmem_startup_hook = mao_shmem_startup;
}

/*
 * Sets the worker's state line, shown by mao_worker_status and (through the
 * caller) in pg_stat_activity.
 */
void
mao_shared_set_state(const char *fmt,...)
{
	char		buf[MAO_STATE_LEN];
	va_list		ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);

	if (mao_shared == NULL)
		return;
	SpinLockAcquire(&mao_shared->mutex);
	strlcpy(mao_shared->state, buf, MAO_STATE_LEN);
	SpinLockRelease(&mao_shared->mutex);
}

/* Records the last error and when it happened. */
void
mao_shared_set_error(const char *message)
{
	TimestampTz now = GetCurrentTimestamp();

	if (mao_shared == NULL)
		return;
	SpinLockAcquire(&mao_shared->mutex);
	strlcpy(mao_shared->last_error, message, MAO_ERROR_LEN);
	mao_shared->last_error_at = now;
	SpinLockRelease(&mao_shared->mutex);
}
