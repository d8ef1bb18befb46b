/*
 * mao.c
 *		Entry point of the MAO extension's shared library.
 *
 * The SQL half of the extension (tables, views, mao_load) is plain SQL so
 * that it also installs on Aurora and RDS.  This library carries the parts
 * that need C: for now only the module magic; mao_ingest() and the S3
 * background worker build on it.
 */
#include "postgres.h"

#include "fmgr.h"

PG_MODULE_MAGIC;
