/*
 * doc.h - the document builder: the reference format's 17 sections in
 * their order (a section without a collector, or whose collector failed,
 * in the reference's failed form: {} for account and logs, [] otherwise),
 * `logs` (16 Pass/Fail statuses and the messages) and `metadata` (sender
 * version, collected_at, window, per-section status, items and time).
 *
 * Ownership: snd_doc_build() takes the tasks' values and messages (leaving
 * them NULL) and returns a new cJSON tree the caller deletes.
 */
#ifndef MAO_SENDER_DOC_H
#define MAO_SENDER_DOC_H

#include "sender.h"

/* The name of a status as metadata writes it ("ok", "partial", ...). */
const char *snd_status_name(int status);

/* Builds the document from n finished tasks; total_ms is the collection's wall time. */
cJSON *snd_doc_build(const snd_settings *s, snd_task *tasks, size_t n, long total_ms,
					 int requests);

#endif /* MAO_SENDER_DOC_H */
