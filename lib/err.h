/*
 * err.h - status codes and a small error record shared by lib/.
 *
 * Every fallible lib/ function returns an int status: MAO_OK (0) on success
 * or one of the MAO_ERR_* codes below.  Functions that can say more take an
 * optional `mao_err *` (NULL is allowed) and fill it with the code and a
 * human-readable message.  Messages never contain secrets (secret keys,
 * session tokens, signatures, derived keys): callers may log them as they are.
 *
 * A mao_err is a plain value owned by the caller; nothing in it is heap
 * allocated, so there is nothing to free.
 */
#ifndef MAO_ERR_H
#define MAO_ERR_H

#include <stddef.h>

#if defined(__GNUC__) || defined(__clang__)
#define MAO_PRINTF_LIKE(fmt_idx, arg_idx) \
	__attribute__((format(printf, fmt_idx, arg_idx)))
#else
#define MAO_PRINTF_LIKE(fmt_idx, arg_idx)
#endif

enum mao_status {
	MAO_OK = 0,
	MAO_ERR_NOMEM = 1,   /* an allocation failed */
	MAO_ERR_INVALID = 2, /* an argument or an input is malformed */
	MAO_ERR_CRYPTO = 3,  /* OpenSSL reported a failure */
	MAO_ERR_NETWORK = 4, /* no HTTP response: connect, DNS, reset, TLS */
	MAO_ERR_TIMEOUT = 5, /* a connect or total time limit ran out */
	MAO_ERR_CANCELLED = 6, /* the caller's cancel flag stopped the request */
	MAO_ERR_TOO_LARGE = 7, /* a response exceeded the caller's size cap */
	MAO_ERR_AWS = 8,     /* AWS answered with an error (code in the response) */
	MAO_ERR_CREDENTIALS = 9, /* no credentials, or a source failed */
	MAO_ERR_NOT_FOUND = 10 /* e.g. S3 NoSuchKey / 404 */
};

#define MAO_ERR_MSG_MAX 256

typedef struct mao_err {
	int code;                  /* MAO_OK or a MAO_ERR_* code */
	char msg[MAO_ERR_MSG_MAX]; /* NUL-terminated; "" when code is MAO_OK */
} mao_err;

/* Resets err (if not NULL) to MAO_OK with an empty message. */
void mao_err_clear(mao_err *err);

/*
 * Records code and a printf-style message in err (if not NULL), truncating
 * the message to fit.  Returns code, so callers can write
 * `return mao_err_set(err, MAO_ERR_INVALID, "...")`.
 */
int mao_err_set(mao_err *err, int code, const char *fmt, ...)
	MAO_PRINTF_LIKE(3, 4);

/* Returns a static, never-NULL name for a status code ("ok", "out of memory", ...). */
const char *mao_status_str(int code);

#endif /* MAO_ERR_H */
