/*
 * worker.h
 *		The background worker that drains the bucket.
 */
#ifndef MAO_WORKER_H
#define MAO_WORKER_H

#include "fmgr.h"

extern void mao_register_worker(void);
extern PGDLLEXPORT void mao_worker_main(Datum main_arg);

#endif							/* MAO_WORKER_H */
