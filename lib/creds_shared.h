/*
 * creds_shared.h - one refreshing credentials provider (creds.h) shared by
 * many threads.
 *
 * mao_creds_get() is for one thread at a time and hands out a pointer that
 * the next call may free.  A long run with collector threads (a backfill of
 * many dates, a Lambda that serves for hours) needs every request to get
 * credentials that are still valid, refreshed before they expire, without
 * one thread's refresh pulling the strings from under another's signature.
 * mao_creds_shared_get() takes the provider under a mutex and gives each
 * thread its own copy, which stays valid until that thread calls again.
 *
 * Ownership: the shared object owns the provider it is given and every
 * per-thread copy (wiped when the thread ends or at free).  Free it only
 * after the threads that used it have ended or stopped calling it.
 */
#ifndef MAO_CREDS_SHARED_H
#define MAO_CREDS_SHARED_H

#include "creds.h"

typedef struct mao_creds_shared mao_creds_shared; /* opaque */

/* Wraps provider (taken over, also on failure). */
int mao_creds_shared_new(mao_creds_provider *provider, mao_creds_shared **out,
						 mao_err *err);

/* Frees the provider and every copy still held (NULL is ignored). */
void mao_creds_shared_free(mao_creds_shared *s);

/*
 * A mao_aws_creds_fn: ctx is the mao_creds_shared.  *out is the calling
 * thread's copy, valid until the same thread calls again.
 */
int mao_creds_shared_get(void *ctx, const mao_aws_creds **out, mao_err *err);

/* How many times the provider handed out credentials different from the last (1 after the first get). */
int mao_creds_shared_changes(mao_creds_shared *s);

#endif /* MAO_CREDS_SHARED_H */
