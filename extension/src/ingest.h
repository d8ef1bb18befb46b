/*
 * ingest.h
 *		Opening objects with lib/receiver and loading them through SPI;
 *		shared by mao_ingest() and the background worker.
 */
#ifndef MAO_INGEST_H
#define MAO_INGEST_H

#include <signal.h>

#include "receiver.h"

extern void mao_receiver_options_from_settings(mao_receiver_options *opts,
											   const volatile sig_atomic_t *cancel);
extern void mao_report_receiver_error(int elevel, const mao_err *err, const char *what);
extern Datum mao_document_jsonb(const mao_buf *doc);
extern Datum mao_context_jsonb(const mao_receiver_opened *opened, bool *isnull);
extern char *mao_function_name(const char *name);

#endif							/* MAO_INGEST_H */
