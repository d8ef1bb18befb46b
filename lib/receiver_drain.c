/*
 * receiver_drain.c - one object's way through a receiver (see
 * receiver_drain.h): the same decisions for the worker and the runner.
 */
#include <stdio.h>
#include <string.h>

#include "receiver_drain.h"

/* Non-zero unless sqlstate is a data exception (22) or integrity violation (23). */
int
mao_sqlstate_is_transient(const char *sqlstate)
{
	return !(sqlstate && (strncmp(sqlstate, "22", 2) == 0 || strncmp(sqlstate, "23", 2) == 0));
}

/* Returns a static name for an outcome. */
const char *
mao_drain_outcome_name(mao_drain_outcome o)
{
	switch (o) {
	case MAO_DRAIN_LOADED: return "loaded";
	case MAO_DRAIN_FAILED: return "failed";
	case MAO_DRAIN_RETRY: return "retry";
	case MAO_DRAIN_WAITING: return "waiting";
	case MAO_DRAIN_MOVED: return "moved";
	case MAO_DRAIN_GONE: return "gone";
	case MAO_DRAIN_CANCELLED: return "cancelled";
	}
	return "unknown";
}

/* Tells the database side what is happening, if it wants to know. */
static void
activity(const mao_drain_db *db, const char *verb, const char *bucket, const char *key)
{
	char line[512];

	if (db->activity == NULL)
		return;
	snprintf(line, sizeof(line), "%s s3://%s/%s", verb, bucket, key);
	db->activity(db->ctx, line);
}

/*
 * Moves the object to dest ("loaded/" or "failed/") and records where.  A
 * move that fails is left for the next pass (the ledger knows the state).
 */
static int
move(mao_receiver *r, const char *bucket, const char *prefix, const mao_s3_object *o,
	 const char *dest, const mao_drain_db *db, mao_err *err)
{
	mao_err move_err;
	mao_buf to = MAO_BUF_INIT;
	int rc;

	activity(db, "moving", bucket, o->key);
	if (mao_receiver_move(r, bucket, o->key, prefix, dest, &move_err) != MAO_OK) {
		if (db->warning != NULL) {
			char line[MAO_ERR_MSG_MAX + 512];

			snprintf(line, sizeof(line), "moving %s: %s (to %s in bucket %s; the next pass tries again)",
					 o->key, move_err.msg, dest, bucket);
			db->warning(db->ctx, line);
		}
		return MAO_OK;
	}
	mao_buf_printf(&to, "%s%s", dest, o->key + strlen(prefix));
	if (mao_buf_status(&to) != MAO_OK) {
		mao_buf_free(&to);
		return mao_err_set(err, MAO_ERR_NOMEM, "out of memory");
	}
	rc = db->moved(db->ctx, bucket, o, mao_buf_cstr(&to), err);
	mao_buf_free(&to);
	return rc;
}

/*
 * Records a failure of the object: permanent ones move it to failed/,
 * transient ones leave it where it is.
 */
static int
failed(mao_receiver *r, const char *bucket, const char *prefix, const mao_s3_object *o,
	   const char *why, int permanent, const mao_drain_db *db, mao_drain_outcome *outcome,
	   mao_buf *reason, mao_err *err)
{
	int rc;

	if (reason) {
		mao_buf_reset(reason);
		mao_buf_append_str(reason, why);
	}
	*outcome = permanent ? MAO_DRAIN_FAILED : MAO_DRAIN_RETRY;
	rc = db->fail(db->ctx, bucket, o, why, permanent, err);
	if (rc != MAO_OK || !permanent)
		return rc;
	return move(r, bucket, prefix, o, "failed/", db, err);
}

/* Takes one listed object through ledger, fetch, open, load and move. */
int
mao_drain_object(mao_receiver *r, const char *bucket, const char *prefix,
				 const mao_s3_object *o, const mao_drain_db *db,
				 mao_drain_outcome *outcome, mao_buf *reason, mao_err *err)
{
	char next[MAO_DRAIN_NEXT_MAX];
	char etag[MAO_S3_ETAG_MAX];
	mao_buf body = MAO_BUF_INIT;
	mao_buf refusal = MAO_BUF_INIT;
	mao_receiver_opened opened;
	mao_err io_err;
	int refused = 0, transient = 0;
	int rc;

	if (reason)
		mao_buf_reset(reason);
	rc = db->next(db->ctx, bucket, o, next, err);
	if (rc != MAO_OK)
		return rc;
	if (strcmp(next, "wait") == 0) {
		*outcome = MAO_DRAIN_WAITING;
		return MAO_OK;
	}
	if (strcmp(next, "loaded") == 0 || strcmp(next, "failed") == 0) {
		*outcome = MAO_DRAIN_MOVED;
		return move(r, bucket, prefix, o, strcmp(next, "loaded") == 0 ? "loaded/" : "failed/", db, err);
	}

	activity(db, "fetching", bucket, o->key);
	if (mao_receiver_fetch(r, bucket, o->key, &body, etag, &io_err) != MAO_OK) {
		mao_buf_free(&body);
		if (io_err.code == MAO_ERR_CANCELLED) {
			*outcome = MAO_DRAIN_CANCELLED;
			return MAO_OK;
		}
		if (io_err.code == MAO_ERR_NOT_FOUND) {
			*outcome = MAO_DRAIN_GONE;
			return MAO_OK;
		}
		return failed(r, bucket, prefix, o, io_err.msg, !mao_receiver_is_transient(io_err.code),
					  db, outcome, reason, err);
	}

	memset(&opened, 0, sizeof(opened));
	if (mao_receiver_open(r, body.data, body.len, o->key, &opened, &io_err) != MAO_OK) {
		mao_buf_free(&body);
		mao_receiver_opened_free(&opened);
		if (io_err.code == MAO_ERR_CANCELLED) {
			*outcome = MAO_DRAIN_CANCELLED;
			return MAO_OK;
		}
		return failed(r, bucket, prefix, o, io_err.msg, !mao_receiver_is_transient(io_err.code),
					  db, outcome, reason, err);
	}
	mao_buf_free(&body);

	activity(db, "loading", bucket, o->key);
	rc = db->load(db->ctx, bucket, o, &opened, &refused, &transient, &refusal, err);
	mao_receiver_opened_free(&opened);
	if (rc != MAO_OK) {
		mao_buf_free(&refusal);
		return rc;
	}
	if (refused) {
		rc = failed(r, bucket, prefix, o, mao_buf_cstr(&refusal), !transient, db, outcome, reason, err);
		mao_buf_free(&refusal);
		return rc;
	}
	mao_buf_free(&refusal);
	*outcome = MAO_DRAIN_LOADED;
	return move(r, bucket, prefix, o, "loaded/", db, err);
}
