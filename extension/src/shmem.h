/*
 * shmem.h
 *		What the background worker shares with sessions: who it is, what it
 *		is doing, its counters and its last error.  Read by the
 *		mao_worker_status view, written only by the worker.
 */
#ifndef MAO_SHMEM_H
#define MAO_SHMEM_H

#include "storage/latch.h"
#include "storage/spin.h"
#include "utils/timestamp.h"

#define MAO_STATE_LEN 128
#define MAO_ERROR_LEN 512

typedef struct MaoWorkerShared
{
	slock_t		mutex;
	pid_t		pid;			/* 0 when no worker runs */
	Latch	   *latch;			/* the worker's latch, to wake it */
	TimestampTz started_at;
	TimestampTz last_poll_start;
	TimestampTz last_poll_end;
	int64		polls;
	int64		objects_loaded;
	int64		objects_failed;
	int64		objects_retried;
	int64		bytes_loaded;
	char		state[MAO_STATE_LEN];
	char		last_error[MAO_ERROR_LEN];
	TimestampTz last_error_at;
} MaoWorkerShared;

/* NULL unless the library was loaded with shared_preload_libraries. */
extern MaoWorkerShared *mao_shared;

extern void mao_shmem_install_hooks(void);
extern void mao_shared_set_state(const char *fmt,...) pg_attribute_printf(1, 2);
extern void mao_shared_set_error(const char *message);

#endif							/* MAO_SHMEM_H */
