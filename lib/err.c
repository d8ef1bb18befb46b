/*
 * err.c - status codes and error records (see err.h).
 */
#include "err.h"

#include <stdarg.h>
#include <stdio.h>

/* Resets err to MAO_OK with an empty message; NULL is ignored. */
void
mao_err_clear(mao_err *err)
{
	if (err == NULL)
		return;
	err->code = MAO_OK;
	err->msg[0] = '\0';
}

/* Records code and a formatted message in err (if any); returns code. */
int
mao_err_set(mao_err *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return code;
	err->code = code;
	va_start(ap, fmt);
	if (vsnprintf(err->msg, sizeof(err->msg), fmt, ap) < 0)
		err->msg[0] = '\0';
	va_end(ap);
	return code;
}

/* Returns a static name for a status code. */
const char *
mao_status_str(int code)
{
	switch (code) {
	case MAO_OK:
		return "ok";
	case MAO_ERR_NOMEM:
		return "out of memory";
	case MAO_ERR_INVALID:
		return "invalid argument";
	case MAO_ERR_CRYPTO:
		return "cryptographic library failure";
	case MAO_ERR_NETWORK:
		return "network error";
	case MAO_ERR_TIMEOUT:
		return "timed out";
	case MAO_ERR_CANCELLED:
		return "cancelled";
	case MAO_ERR_TOO_LARGE:
		return "response too large";
	case MAO_ERR_AWS:
		return "AWS error";
	case MAO_ERR_CREDENTIALS:
		return "credentials unavailable";
	case MAO_ERR_NOT_FOUND:
		return "not found";
	default:
		return "unknown error";
	}
}
