/*
 * dates.h - calendar arithmetic of mao-sender: dates as day numbers, the
 * collection window of a run date and interval (document-format.md §1),
 * and the run dates of a backfill range.
 */
#ifndef MAO_SENDER_DATES_H
#define MAO_SENDER_DATES_H

#include "sender.h"

/* Parses YYYY-MM-DD into a day number (days since 1970-01-01); 0 on success. */
int snd_parse_date(const char *s, long *days);

/* Parses the reference's d-m-yyyy (one or two digits for day and month); 0 on success. */
int snd_parse_dmy(const char *s, long *days);

/* Writes day number z as YYYY-MM-DD into out (11 bytes). */
void snd_format_date(long z, char out[11]);

/* Non-zero if interval is DAILY, WEEKLY or MONTHLY. */
int snd_interval_valid(const char *interval);

/* Sets s's window from its run date and interval; 0 on success. */
int snd_set_window(snd_settings *s);

/*
 * The run dates of the range from..to (inclusive day numbers) for
 * interval: DAILY every day; WEEKLY the Monday of every week the range
 * touches; MONTHLY the 1st of every month it touches.  *out (caller frees)
 * gets *n day numbers in order.  -1 on a bad interval, from > to, more than
 * max dates or no memory.
 */
int snd_range_dates(const char *interval, long from, long to, int max, long **out, int *n);

/* Sets s->today and s->collected_at from the clock (each document, each invocation). */
void snd_stamp_now(snd_settings *s);

#endif /* MAO_SENDER_DATES_H */
