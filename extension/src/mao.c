/*
 * mao.c
 *		Entry point of the MAO extension's shared library.
 *
 * The SQL half of the extension (tables, views, mao_load) is plain SQL so
 * that it also installs on Aurora and RDS.  This library carries what needs
 * C: the settings, the background worker that drains the S3 bucket and the
 * SQL functions that report on it and wake it.
 */
#include "postgres.h"

#include "fmgr.h"
#include "miscadmin.h"

#include "guc.h"
#include "http.h"
#include "shmem.h"
#include "worker.h"

PG_MODULE_MAGIC;

void		_PG_init(void);

/*
 * Defines the settings in every process that loads the library; registers
 * the worker and its shared status only when preloading, and never during a
 * binary upgrade (pg_upgrade must not see a worker writing to the cluster).
 */
void
_PG_init(void)
{
	mao_err		err;

	/*
	 * libcurl and OpenSSL want their global set-up done once, before any
	 * handle exists and while the process has one thread: here.  When
	 * preloading, the postmaster does it and every child inherits it.
	 */
	if (mao_http_global_init(&err) != MAO_OK)
		ereport(WARNING,
				(errmsg("mao: could not initialise libcurl: %s", err.msg)));

	mao_define_gucs(process_shared_preload_libraries_in_progress);

	if (!process_shared_preload_libraries_in_progress || IsBinaryUpgrade)
		return;

	mao_shmem_install_hooks();
	mao_register_worker();
}
