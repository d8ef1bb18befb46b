/*
 * run.h - one document per run date, one after another: the window, the
 * collection, then a file (collect) or the sealed object (run); progress
 * and the section table for people, or structured JSON lines in Lambda;
 * a summary of every date for the caller (the CLI's exit status, the
 * Lambda response).
 */
#ifndef MAO_SENDER_RUN_H
#define MAO_SENDER_RUN_H

#include <cjson/cJSON.h>

#include "sender.h"

/* Where log lines go (always stderr) and in which form. */
typedef struct snd_out {
	int json;                 /* structured JSON lines (Lambda) instead of the human table */
	const char *request_id;   /* JSON lines: the invocation's, or NULL */
} snd_out;

/* What to do with each date's document. */
typedef struct snd_job {
	int upload;               /* 1: seal and upload (run); 0: write a file (collect) */
	const char *out;          /* collect: "-", a file, a path with {date}, or DIR/ */
	long long deadline_ms;    /* epoch ms the job must end by (Lambda); 0: none */
	snd_out log;
} snd_job;

/* main.c: runs every collector for s's window; returns the document (caller deletes). */
cJSON *snd_collect_document(const snd_settings *s);

/* Non-zero if out names one file per date ("{date}" in it, or a directory: ends in '/'). */
int snd_out_per_date(const char *out);

/*
 * Makes a document for each of the n run dates (day numbers) in turn with
 * s's interval; a date that fails is reported and the next one is tried.
 * Returns the summary (caller deletes): {"account", "region", "interval",
 * "dates": [{"date", "status": "uploaded"|"written"|"failed"|"not attempted",
 * "key" or "file", "bytes", "sections": {name: status}, "error"}], "done",
 * "failed"}; *failed is the number of dates not done.
 */
cJSON *snd_run_dates(snd_settings *s, const snd_job *job, const long *dates, int n, int *failed);

/* A log line: in JSON mode with fields (taken; may be NULL), else the text alone. */
void snd_log(const snd_out *o, const char *level, cJSON *fields, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/*
 * lambda.c: serves Lambda invocations until the Runtime API says 410 or a
 * signal stops the wait (s fully set up: account, credentials); the exit status.
 */
int snd_lambda_serve(snd_settings *s);

/* lambda.c: tells the Runtime API the function cannot start (message); the exit status. */
int snd_lambda_init_error(const char *message);

#endif /* MAO_SENDER_RUN_H */
