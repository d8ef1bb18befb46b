/*
 * jsonlog.c - see jsonlog.h.
 */
#include "jsonlog.h"

#include <cJSON.h>

#include <string.h>
#include <time.h>

/* See jsonlog.h. */
void
mao_jsonlog(FILE *f, const char *level, const char *request_id, const char *message,
			cJSON *fields)
{
	cJSON *line = cJSON_CreateObject();
	struct timespec ts;
	struct tm tm;
	char stamp[64], when[32];
	char *text;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(stamp, sizeof(stamp), "%s.%03ldZ", when, (long) (ts.tv_nsec / 1000000) % 1000);
	cJSON_AddStringToObject(line, "timestamp", stamp);
	cJSON_AddStringToObject(line, "level", level);
	if (request_id)
		cJSON_AddStringToObject(line, "requestId", request_id);
	cJSON_AddStringToObject(line, "message", message ? message : "");
	if (fields) {
		cJSON *item;

		/* move each member over, keeping its name */
		while ((item = fields->child) != NULL) {
			cJSON_DetachItemViaPointer(fields, item);
			cJSON_AddItemToObject(line, item->string, item);
		}
		cJSON_Delete(fields);
	}
	text = cJSON_PrintUnformatted(line);
	cJSON_Delete(line);
	/* one stdio call per line: stdio locks the stream for its duration */
	if (text == NULL)
		fputs("{\"level\":\"ERROR\",\"message\":\"out of memory writing a log line\"}\n", f);
	else
		fprintf(f, "%s\n", text);
	fflush(f);
	cJSON_free(text);
}
