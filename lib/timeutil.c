/*
 * timeutil.c - UTC timestamps in the forms AWS uses (see timeutil.h).
 */
#include "timeutil.h"

#include <stdio.h>
#include <string.h>

/*
 * Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * days_from_civil); avoids timegm(), which POSIX does not have.
 */
static long long
days_from_civil(long long y, unsigned m, unsigned d)
{
	long long era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned) (y - era * 400);
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long long) doe - 719468;
}

/* Converts a UTC calendar date and time to seconds since the epoch. */
time_t
mao_time_from_civil(int year, int month, int day, int hour, int min, int sec)
{
	long long days = days_from_civil(year, (unsigned) month, (unsigned) day);

	return (time_t) (days * 86400LL + hour * 3600LL + min * 60LL + sec);
}

/* Reads exactly n decimal digits at *p into *out and advances *p. */
static int
read_digits(const char **p, int n, int *out)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		char c = (*p)[i];

		if (c < '0' || c > '9')
			return 0;
		v = v * 10 + (c - '0');
	}
	*p += n;
	*out = v;
	return 1;
}

/* Returns the number of days in a month of a given year. */
static int
days_in_month(int year, int month)
{
	static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

	return month == 2 && leap ? 29 : dm[month - 1];
}

/* Parses the extended and basic ISO 8601 UTC forms described in timeutil.h. */
int
mao_time_parse_iso8601(const char *s, time_t *out)
{
	const char *p = s;
	int y, mo, d, h, mi, sec, basic, offset = 0;

	if (s == NULL)
		return MAO_ERR_INVALID;
	if (!read_digits(&p, 4, &y))
		return MAO_ERR_INVALID;
	basic = (*p != '-');
	if (!basic)
		p++;
	if (!read_digits(&p, 2, &mo))
		return MAO_ERR_INVALID;
	if (!basic && *p++ != '-')
		return MAO_ERR_INVALID;
	if (!read_digits(&p, 2, &d))
		return MAO_ERR_INVALID;
	if (*p != 'T' && *p != 't' && *p != ' ')
		return MAO_ERR_INVALID;
	p++;
	if (!read_digits(&p, 2, &h))
		return MAO_ERR_INVALID;
	if (!basic && *p++ != ':')
		return MAO_ERR_INVALID;
	if (!read_digits(&p, 2, &mi))
		return MAO_ERR_INVALID;
	if (!basic && *p++ != ':')
		return MAO_ERR_INVALID;
	if (!read_digits(&p, 2, &sec))
		return MAO_ERR_INVALID;
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return MAO_ERR_INVALID;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p == 'Z' || *p == 'z')
		p++;
	else if (*p == '+' || *p == '-') {
		int sign = (*p == '-') ? -1 : 1, oh, om;

		p++;
		if (!read_digits(&p, 2, &oh))
			return MAO_ERR_INVALID;
		if (*p == ':')
			p++;
		if (!read_digits(&p, 2, &om) || oh > 23 || om > 59)
			return MAO_ERR_INVALID;
		offset = sign * (oh * 3600 + om * 60);
	} else
		return MAO_ERR_INVALID;
	if (*p != '\0')
		return MAO_ERR_INVALID;
	if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) ||
		h > 23 || mi > 59 || sec > 60)
		return MAO_ERR_INVALID;
	*out = mao_time_from_civil(y, mo, d, h, mi, sec) - offset;
	return MAO_OK;
}

/* Formats t as the X-Amz-Date form. */
int
mao_time_format_amz(time_t t, char out[MAO_AMZ_DATE_LEN + 1])
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL)
		return MAO_ERR_INVALID;
	if (tm.tm_year + 1900 < 0 || tm.tm_year + 1900 > 9999)
		return MAO_ERR_INVALID;
	if (strftime(out, MAO_AMZ_DATE_LEN + 1, "%Y%m%dT%H%M%SZ", &tm) !=
		MAO_AMZ_DATE_LEN)
		return MAO_ERR_INVALID;
	return MAO_OK;
}
