/*
 * timeutil.h - UTC timestamps in the forms AWS uses.
 *
 * No allocation; outputs go to caller-provided arrays.  time_t is taken as
 * seconds since the Unix epoch, UTC (POSIX).
 */
#ifndef MAO_TIMEUTIL_H
#define MAO_TIMEUTIL_H

#include <time.h>

#include "err.h"

/* "YYYYMMDDTHHMMSSZ" plus NUL (the X-Amz-Date form). */
#define MAO_AMZ_DATE_LEN 16

/*
 * Parses an ISO 8601 / RFC 3339 UTC timestamp such as
 * "2015-08-30T12:36:00Z", "2015-08-30T12:36:00.123Z" or
 * "2015-08-30T12:36:00+02:00" (the offset is applied), and also the basic
 * form "20150830T123600Z".  Returns MAO_OK or MAO_ERR_INVALID.
 */
int mao_time_parse_iso8601(const char *s, time_t *out);

/* Formats t as "YYYYMMDDTHHMMSSZ" into out. Returns MAO_OK or MAO_ERR_INVALID. */
int mao_time_format_amz(time_t t, char out[MAO_AMZ_DATE_LEN + 1]);

/* Seconds since the epoch of a proleptic Gregorian UTC date and time (no range checks). */
time_t mao_time_from_civil(int year, int month, int day,
						   int hour, int min, int sec);

#endif /* MAO_TIMEUTIL_H */
