/*
 * jsonlog.h - structured log lines: one JSON object per line, the shape
 * CloudWatch Logs Insights and Lambda's JSON log format read.
 *
 *   {"timestamp": "2026-11-20T01:00:03.123Z", "level": "INFO",
 *    "requestId": "...", "message": "...", <fields>...}
 *
 * Each line is written with one call and flushed, so lines from threads
 * never interleave within a line.
 */
#ifndef MAO_JSONLOG_H
#define MAO_JSONLOG_H

#include <stdio.h>

struct cJSON;  /* cJSON's tree; the header stays out of users' include paths */

/*
 * Writes one line to f: level ("INFO", "WARN", "ERROR"), request_id (NULL:
 * left out), message, then every member of fields (taken and deleted; NULL:
 * none).
 */
void mao_jsonlog(FILE *f, const char *level, const char *request_id, const char *message,
				 struct cJSON *fields);

#endif /* MAO_JSONLOG_H */
