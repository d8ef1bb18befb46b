/*
 * receiver_drain.h - one object's way through a receiver, shared by the
 * extension's background worker (database calls over SPI) and mao-runner
 * (over libpq): ask the ledger, fetch, open, load with the ledger row in one
 * transaction, move to loaded/ or failed/; record failures as transient
 * (retried later, the object stays) or permanent (moved to failed/).
 *
 * The database side is a set of callbacks; they must return an error code
 * rather than unwind (no longjmp through this code).
 */
#ifndef MAO_RECEIVER_DRAIN_H
#define MAO_RECEIVER_DRAIN_H

#include "receiver.h"

#define MAO_DRAIN_NEXT_MAX 16

/* What the receiver's database does; every function returns MAO_OK or an error. */
typedef struct mao_drain_db {
	void *ctx;
	/* The ledger's word on an object: "load", "loaded", "failed" or "wait". */
	int (*next)(void *ctx, const char *bucket, const mao_s3_object *o,
				char out[MAO_DRAIN_NEXT_MAX], mao_err *err);
	/*
	 * Loads the opened document and writes its ledger row, in one
	 * transaction.  A document the database refuses is not an error of the
	 * callback: it returns MAO_OK with *refused set and the reason in
	 * reason (*transient tells whether it is worth retrying).
	 */
	int (*load)(void *ctx, const char *bucket, const mao_s3_object *o,
				const mao_receiver_opened *opened, int *refused, int *transient,
				mao_buf *reason, mao_err *err);
	/* Records a failure (permanent or transient) with its reason. */
	int (*fail)(void *ctx, const char *bucket, const mao_s3_object *o,
				const char *reason, int permanent, mao_err *err);
	/* Records where the object was moved. */
	int (*moved)(void *ctx, const char *bucket, const mao_s3_object *o,
				 const char *moved_to, mao_err *err);
	/* Optional: what is happening now ("fetching s3://..."), for status lines. */
	void (*activity)(void *ctx, const char *what);
	/*
	 * Optional: a problem that is not the object's failure and is left for
	 * the next pass, such as a move that did not go through.
	 */
	void (*warning)(void *ctx, const char *message);
} mao_drain_db;

/* What became of an object. */
typedef enum mao_drain_outcome {
	MAO_DRAIN_LOADED,     /* loaded and moved to loaded/ (or the move is left for later) */
	MAO_DRAIN_FAILED,     /* failed for good; moved to failed/ */
	MAO_DRAIN_RETRY,      /* failed for now; stays, retried later */
	MAO_DRAIN_WAITING,    /* still backing off from an earlier failure */
	MAO_DRAIN_MOVED,      /* already loaded or failed earlier: only the move was done */
	MAO_DRAIN_GONE,       /* no longer there */
	MAO_DRAIN_CANCELLED   /* the cancel flag stopped it; nothing recorded */
} mao_drain_outcome;

/*
 * Whether a database's refusal of a document (its five-character SQLSTATE)
 * is worth retrying: anything but bad data.  Data exceptions (class 22,
 * which includes the loader's invalid_parameter_value) and integrity
 * violations (23) are permanent; lock timeouts, deadlocks, a full disk and
 * the like are transient.
 */
int mao_sqlstate_is_transient(const char *sqlstate);

/* A static name for an outcome ("loaded", "failed", ...). */
const char *mao_drain_outcome_name(mao_drain_outcome o);

/*
 * Takes the listed object o (under prefix in bucket) through the whole
 * path.  Returns MAO_OK with *outcome (and *reason, when there is one, in
 * reason), or the error of a database callback: the caller should stop.
 * A failed move is not an error: the ledger keeps the state and the next
 * pass moves it.
 */
int mao_drain_object(mao_receiver *r, const char *bucket, const char *prefix,
					 const mao_s3_object *o, const mao_drain_db *db,
					 mao_drain_outcome *outcome, mao_buf *reason, mao_err *err);

#endif /* MAO_RECEIVER_DRAIN_H */
