/*
 * pages.c - one loop for every JSON-bodied list operation: call, hand the
 * page to the collector, carry the continuation token over, stop when the
 * answer has none. JSON 1.0/1.1 (X-Amz-Target) and REST-JSON POST bodies
 * both paginate this way; the token's name in and out differs per API
 * (NextToken, nextToken, Marker/NextMarker), so the operation says it.
 * REST-JSON GET lists (Resilience Hub, Application Signals) carry their
 * members, the token included, in the query string instead of a body.
 */
#include "sender.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The members of body as a query string: strings, numbers, booleans, lists of strings repeated. */
static int
query_of(const cJSON *body, mao_buf *q)
{
	const cJSON *m, *e;

	cJSON_ArrayForEach(m, body) {
		const cJSON *one = cJSON_IsArray(m) ? m->child : m;

		for (e = one; e != NULL; e = cJSON_IsArray(m) ? e->next : NULL) {
			char num[32];
			const char *v = cJSON_IsString(e) ? e->valuestring : cJSON_IsTrue(e) ? "true"
				: cJSON_IsFalse(e) ? "false" : NULL;

			if (cJSON_IsNumber(e)) {
				snprintf(num, sizeof(num), "%.17g", e->valuedouble);
				v = num;
			}
			if (v == NULL)
				continue;
			if (q->len > 0)
				mao_buf_append_str(q, "&");
			mao_buf_append_uri_encoded(q, m->string, strlen(m->string), 1);
			mao_buf_append_str(q, "=");
			mao_buf_append_uri_encoded(q, v, strlen(v), 1);
		}
	}
	return mao_buf_status(q);
}

/* One call of op with body; *out is the parsed answer. */
static int
call_once(snd_task *t, const snd_op *op, const cJSON *body, cJSON **out, snd_fail *f)
{
	char *text;
	int rc;

	if (op->content_type != NULL)
		return snd_call_json(t, op->service, op->content_type, op->target, body, out, f);
	if (op->method != NULL && strcmp(op->method, "GET") == 0) {
		mao_buf q = MAO_BUF_INIT;

		if (query_of(body, &q) != MAO_OK) {
			mao_buf_free(&q);
			*out = NULL;
			return snd_fail_nomem(f);
		}
		rc = snd_call_rest_json(t, op->service, "GET", op->target, q.len ? mao_buf_cstr(&q) : NULL, NULL, out, f);
		mao_buf_free(&q);
		return rc;
	}
	text = cJSON_PrintUnformatted(body);
	if (text == NULL) {
		*out = NULL;
		return snd_fail_nomem(f);
	}
	rc = snd_call_rest_json(t, op->service, op->method ? op->method : "POST", op->target, NULL, text, out, f);
	free(text);
	return rc;
}

/* The walk of snd_pages and snd_item_pages (gone: NULL or the "item went away" code). */
static int
walk(snd_task *t, const snd_op *op, cJSON *body, const char *gone, snd_page_fn fn, void *ctx)
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
			if (gone != NULL && strcmp(f.code, gone) == 0)
				return pages;  /* the item went away meanwhile: nothing (more) to read */
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
snd_pages(snd_task *t, const snd_op *op, cJSON *body, snd_page_fn fn, void *ctx)
{
	return walk(t, op, body, NULL, fn, ctx);
}

/* See sender.h. */
int
snd_item_pages(snd_task *t, const snd_op *op, cJSON *body, const char *gone,
			   snd_page_fn fn, void *ctx)
{
	return walk(t, op, body, gone, fn, ctx);
}

/* See sender.h. */
int
snd_page_size(const snd_task *t, int lo, int hi)
{
	int n = t->s->page_size > 0 ? t->s->page_size : hi;

	return n < lo ? lo : n > hi ? hi : n;
}

/* See sender.h. */
void
snd_collect_pages(snd_task *t, const snd_op *op, cJSON *body, snd_page_fn fn)
{
	cJSON *rows = cJSON_CreateArray();
	int rc = snd_pages(t, op, body, fn, rows);

	cJSON_Delete(body);
	if (rc < 0) {
		cJSON_Delete(rows);
		return;
	}
	t->items = cJSON_GetArraySize(rows);
	t->value = rows;
}
