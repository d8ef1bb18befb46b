/*
 * receiver.h - the receiving side shared by the extension's background
 * worker and mao-runner: list the bucket, fetch an object, open it
 * (envelope -> decrypt, gzip -> decompress, plain JSON as is), check its
 * encryption context against its S3 key, and move it to loaded/ or failed/.
 * Loading the document into the database is the caller's (SPI in the
 * worker, libpq in the runner); this module never sees PostgreSQL.
 *
 * Errors are classified for the caller: a permanent failure (the object
 * will never load: not an envelope or JSON, authentication failed, context
 * disagrees with the key, too large, zip bomb) moves the object to failed/;
 * a transient one (network, 5xx, throttling, KMS or S3 unreachable,
 * credentials not available yet) leaves it in place to be retried.
 *
 * Ownership: the receiver owns its AWS clients, credentials provider and
 * keyring; strings in the options are copied.
 */
#ifndef MAO_RECEIVER_H
#define MAO_RECEIVER_H

#include <signal.h>
#include <stddef.h>

#include "buf.h"
#include "err.h"
#include "s3.h"

/* Options of a receiver; zero fields take defaults. */
typedef struct mao_receiver_options {
	const char *region;           /* NULL or "": the credentials chain's region */
	const char *endpoint_url;     /* NULL or "": AWS; else S3 there, path-style */
	const char *kms_endpoint_url; /* NULL or "": AWS (or AWS_ENDPOINT_URL[_KMS]); else KMS there */
	/*
	 * How envelopes are decrypted: "aws-kms:ARN[,ARN...]" or
	 * "raw-aes:NAMESPACE:NAME:KEYFILE" (KEYFILE holds the 32 raw key
	 * bytes).  NULL or "": envelopes cannot be opened (a permanent error
	 * naming the setting); gzip and plain JSON still can.
	 */
	const char *keyring;
	size_t max_object_size;       /* bytes; 0: 256 MiB.  Caps the object and the decompressed document */
	const volatile sig_atomic_t *cancel; /* borrowed; stops requests and backoff sleeps */
} mao_receiver_options;

typedef struct mao_receiver mao_receiver; /* opaque */

/*
 * Creates a receiver.  A malformed keyring spec or an unreadable or
 * wrong-sized key file is MAO_ERR_INVALID with a message naming the
 * problem (never the key bytes).  No network call is made here.
 */
int mao_receiver_new(const mao_receiver_options *opts, mao_receiver **out, mao_err *err);

/* Frees the receiver, wiping key material; NULL is ignored. */
void mao_receiver_free(mao_receiver *r);

/*
 * Lists every object under prefix in bucket (all pages) into out, sorted
 * oldest first (LastModified, then key).  Keys that are "directories"
 * (ending in '/') are left out.
 */
int mao_receiver_list(mao_receiver *r, const char *bucket, const char *prefix,
					  mao_s3_list_result *out, mao_err *err);

/* GetObject with the size cap; etag receives the ETag (with quotes). */
int mao_receiver_fetch(mao_receiver *r, const char *bucket, const char *key,
					   mao_buf *body, char etag[MAO_S3_ETAG_MAX], mao_err *err);

/* What mao_receiver_open found. */
typedef struct mao_receiver_opened {
	mao_buf document;             /* the JSON document (UTF-8 bytes, not NUL-terminated) */
	const char *kind;             /* static: "esdk", "gzip" or "json" */
	/*
	 * The envelope's encryption context as a JSON object text
	 * ({"mao:account": "...", ...}), or empty for gzip and plain JSON.
	 */
	mao_buf context_json;
	char account[13];             /* mao:account of the envelope, or "" */
} mao_receiver_opened;

/* Frees what an opened result owns and leaves it empty. */
void mao_receiver_opened_free(mao_receiver_opened *o);

/*
 * Opens data[0..len): detects envelope, gzip or plain JSON by their first
 * bytes; decrypts an envelope with the configured keyring and, when key is
 * not NULL, checks its mao:* context against the S3 key
 * (data/<account>/<region>/<date>_<interval>...); decompresses gzip (also
 * inside an envelope) with the size cap.  out must be zeroed or freed.
 */
int mao_receiver_open(mao_receiver *r, const void *data, size_t len, const char *key,
					  mao_receiver_opened *out, mao_err *err);

/*
 * Moves key (which starts with prefix) to dest_prefix + the rest of the key
 * (e.g. data/a/b.json -> loaded/a/b.json): CopyObject, then DeleteObject.
 * An object already gone from its old place but present in the new one
 * counts as moved (a crash between copy and delete).
 */
int mao_receiver_move(mao_receiver *r, const char *bucket, const char *key,
					  const char *prefix, const char *dest_prefix, mao_err *err);

/* Non-zero when err's code is a transient failure (retry later, do not move). */
int mao_receiver_is_transient(int code);

#endif /* MAO_RECEIVER_H */
