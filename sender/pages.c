/*
 * pages.c - one loop for every JSON-bodied list operation: call, hand the
 * page to the collector, carry the continuation token over, stop when the
 * answer has none. JSON 1.0/1.1 (X-Amz-Target) and REST-JSON POST bodies
 * both paginate this way; the token's name in and out differs per API
 * (NextToken, nextToken, Marker/NextMarker), so the operation says it.
 */
#include "sender.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One call of op with body; *out is the parsed answer. */
static int
call_once(snd_task *t, const snd_op *op, const cJSON *body, cJSON **out, snd_fail *f)
{
	char *text;
	int rc;

	if (op->content_type != NULL)
		return snd_call_json(t, op->service, op->content_type, op->target, body, out, f);
	text = cJSON_PrintUnformatted(body);
	if (text == NULL) {
		memset(f, 0, sizeof(*f));
		f->rc = MAO_ERR_NOMEM;
		snprintf(f->msg, sizeof(f->msg), "out of memory");
		*out = NULL;
		return MAO_ERR_NOMEM;
	}
	rc = snd_call_rest_json(t, op->service, op->method ? op->method : "POST", op->target, NULL, text, out, f);
	free(text);
	return rc;
}

/* See sender.h. */
int
snd_pages(snd_task *t, const snd_op *op, cJSON *body, snd_page_fn fn, void *ctx)
{
	const char *tin = op->token_in ? op->token_in : "NextToken";
	const char *tout = op->token_out ? op->token_out : tin;
	int pages = 0, done;

	for (;;) {
		cJSON *r = NULL;
		const cJSON *next;
		snd_fail f;

		if (call_once(t, op, body, &r, &f) != MAO_OK) {
			cJSON_DeleteItemFromObjectCaseSensitive(body, tin);
			snd_task_fail(t, op->area, op->what, &f);
			return -1;
		}
		pages++;
		done = fn(t, r, ctx);
		if (done < 0) {
			cJSON_Delete(r);
			cJSON_DeleteItemFromObjectCaseSensitive(body, tin);
			return -2;
		}
		next = cJSON_GetObjectItemCaseSensitive(r, tout);
		cJSON_DeleteItemFromObjectCaseSensitive(body, tin);
		if (done > 0 || !cJSON_IsString(next) || *next->valuestring == '\0') {
			cJSON_Delete(r);
			return pages;
		}
		cJSON_AddStringToObject(body, tin, next->valuestring);
		cJSON_Delete(r);
	}
}

/* See sender.h. */
int
snd_page_size(const snd_task *t, int lo, int hi)
{
	int n = t->s->page_size > 0 ? t->s->page_size : hi;

	return n < lo ? lo : n > hi ? hi : n;
}
