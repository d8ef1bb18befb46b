/*
 * testutil.h - a minimal check harness for the lib/ unit tests.
 *
 * A t_ctx counts checks and failures; every failure is printed with its
 * file and line.  Test programs end with `return t_summary(&t, "name");`,
 * which prints the totals and returns the process exit status.
 */
#ifndef MAO_TESTUTIL_H
#define MAO_TESTUTIL_H

#include "aws.h"
#include <stddef.h>

#include "err.h"

typedef struct t_ctx {
	int checks;
	int failures;
} t_ctx;

/* Records one check; prints the formatted message when ok is zero. Returns ok. */
int t_check_at(t_ctx *t, int ok, const char *file, int line,
			   const char *fmt, ...) MAO_PRINTF_LIKE(5, 6);

#define T_CHECK(t, cond, ...) t_check_at((t), (cond) ? 1 : 0, __FILE__, __LINE__, __VA_ARGS__)

/*
 * Compares two byte strings exactly.  On a mismatch prints `what`, the
 * offset of the first difference and both sides around it (escaped).
 * Returns non-zero when equal.
 */
int t_same_bytes_at(t_ctx *t, const char *file, int line, const char *what,
					const char *expected, size_t expected_len,
					const char *actual, size_t actual_len);

#define T_SAME(t, what, exp, explen, act, actlen) \
	t_same_bytes_at((t), __FILE__, __LINE__, (what), (exp), (explen), (act), (actlen))

/* Compares two C strings exactly (NULL actual is a failure). */
#define T_STREQ(t, what, exp, act) \
	t_same_str_at((t), __FILE__, __LINE__, (what), (exp), (act))
int t_same_str_at(t_ctx *t, const char *file, int line, const char *what,
				  const char *expected, const char *actual);

/*
 * Reads a whole file into a malloc'd, NUL-terminated buffer (caller frees);
 * *len gets the size.  Returns NULL (and prints why) on failure.
 */
char *t_read_file(const char *path, size_t *len);

/* Prints "name: N checks, M failed" and returns 0 if no check failed, else 1. */
int t_summary(const t_ctx *t, const char *name);

/*
 * An AWS client for the tests' fakes, or exits: region us-east-1, endpoint,
 * static creds (NULL: anonymous requests only), 50 ms retry backoff,
 * timeout_ms per attempt (0: the HTTP client's default).
 */
mao_aws_client *t_aws_client(const char *endpoint, mao_aws_creds *creds, long timeout_ms);

/* Milliseconds of a monotonic clock (for the tests' time bounds). */
double t_now_ms(void);

/* POSTs n to moto_server's /moto-api/reset-auth at endpoint: its next n
 * actions skip the signature check.  Non-zero when moto said 200. */
int t_moto_open_auth(const char *endpoint, int n);

#endif /* MAO_TESTUTIL_H */
