/*
 * dates.c - see dates.h.
 */
#define _DEFAULT_SOURCE
#include "dates.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Days since 1970-01-01 of a civil date (proleptic Gregorian). */
static long
days_from_civil(int y, int m, int d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* See sender.h. */
long long
snd_date_epoch(const char *ymd)
{
	int y = 1970, m = 1, d = 1;

	sscanf(ymd, "%4d-%2d-%2d", &y, &m, &d);
	return (long long) days_from_civil(y, m, d) * 86400;
}

/* See dates.h. */
void
snd_format_date(long z, char out[11])
{
	long era, doe, yoe, y, doy, mp, d, m;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp + (mp < 10 ? 3 : -9);
	y += m <= 2;
	out[0] = (char) ('0' + (y / 1000) % 10);
	out[1] = (char) ('0' + (y / 100) % 10);
	out[2] = (char) ('0' + (y / 10) % 10);
	out[3] = (char) ('0' + y % 10);
	out[4] = '-';
	out[5] = (char) ('0' + m / 10);
	out[6] = (char) ('0' + m % 10);
	out[7] = '-';
	out[8] = (char) ('0' + d / 10);
	out[9] = (char) ('0' + d % 10);
	out[10] = '\0';
}

/* See dates.h. */
int
snd_parse_date(const char *s, long *days)
{
	int y, m, d;
	char back[11];
	char extra;

	if (s == NULL || strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &extra) != 3)
		return -1;
	*days = days_from_civil(y, m, d);
	snd_format_date(*days, back);
	return strcmp(back, s) == 0 ? 0 : -1;
}

/* See dates.h. */
int
snd_set_window(snd_settings *s)
{
	long end, from, to;
	int y, m, d;

	if (snd_parse_date(s->run_date, &end) != 0)
		return -1;
	sscanf(s->run_date, "%4d-%2d-%2d", &y, &m, &d);
	if (strcmp(s->interval, "DAILY") == 0) {
		from = end - 1;
		to = end;
	} else if (strcmp(s->interval, "WEEKLY") == 0) {
		long dow = ((end % 7) + 7 + 3) % 7;   /* 1970-01-01 was a Thursday; Monday = 0 */
		from = end - dow;
		to = from + 6;
	} else if (strcmp(s->interval, "MONTHLY") == 0) {
		from = days_from_civil(y, m, 1);
		to = (m == 12 ? days_from_civil(y + 1, 1, 1) : days_from_civil(y, m + 1, 1)) - 1;
	} else
		return -1;
	snd_format_date(from, s->date_from);
	snd_format_date(to, s->date_to);
	/* Cost Explorer's End is exclusive: DAILY's end is already the next day */
	snd_format_date(strcmp(s->interval, "DAILY") == 0 ? to : to + 1, s->ce_end);
	return 0;
}

/* See dates.h. */
int
snd_parse_dmy(const char *s, long *days)
{
	int y, m, d, used = 0;
	char back[11], want[11];

	if (s == NULL || sscanf(s, "%2d-%2d-%4d%n", &d, &m, &y, &used) != 3 || s[used] != '\0'
		|| d < 1 || m < 1 || y < 1000)
		return -1;
	snprintf(want, sizeof(want), "%04d-%02d-%02d", y % 10000, m % 100, d % 100);
	*days = days_from_civil(y, m, d);
	snd_format_date(*days, back);
	return strcmp(back, want) == 0 ? 0 : -1;
}

/* See dates.h. */
int
snd_interval_valid(const char *interval)
{
	return interval && (strcmp(interval, "DAILY") == 0 || strcmp(interval, "WEEKLY") == 0
						|| strcmp(interval, "MONTHLY") == 0);
}

/* The first day of the interval that holds day z (the key date of its document). */
static long
interval_start(const char *interval, long z)
{
	char ymd[11];
	int y, m, d;

	if (strcmp(interval, "WEEKLY") == 0)
		return z - ((z % 7) + 7 + 3) % 7;      /* 1970-01-01 was a Thursday; Monday = 0 */
	if (strcmp(interval, "MONTHLY") == 0) {
		snd_format_date(z, ymd);
		sscanf(ymd, "%4d-%2d-%2d", &y, &m, &d);
		return days_from_civil(y, m, 1);
	}
	return z;
}

/* The first day of the interval after the one that starts at z. */
static long
interval_next(const char *interval, long z)
{
	char ymd[11];
	int y, m, d;

	if (strcmp(interval, "WEEKLY") == 0)
		return z + 7;
	if (strcmp(interval, "MONTHLY") == 0) {
		snd_format_date(z, ymd);
		sscanf(ymd, "%4d-%2d-%2d", &y, &m, &d);
		return m == 12 ? days_from_civil(y + 1, 1, 1) : days_from_civil(y, m + 1, 1);
	}
	return z + 1;
}

/* See dates.h. */
int
snd_range_dates(const char *interval, long from, long to, int max, long **out, int *n)
{
	long z, *v;
	int count = 0;

	*out = NULL;
	*n = 0;
	if (!snd_interval_valid(interval) || from > to)
		return -1;
	for (z = interval_start(interval, from); z <= to; z = interval_next(interval, z))
		if (++count > max)
			return -1;
	v = malloc(sizeof(*v) * (size_t) count);
	if (v == NULL)
		return -1;
	count = 0;
	for (z = interval_start(interval, from); z <= to; z = interval_next(interval, z))
		v[count++] = z;
	*out = v;
	*n = count;
	return 0;
}

/* See dates.h. */
void
snd_stamp_now(snd_settings *s)
{
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(s->collected_at, sizeof(s->collected_at), "%Y-%m-%dT%H:%M:%S+00:00", &tm);
	strftime(s->today, sizeof(s->today), "%Y-%m-%d", &tm);
}
