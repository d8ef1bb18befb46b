/*
 * fanout.c - per-item calls of one collector issued concurrently (one
 * GetComplianceDetailsByConfigRule per Config rule, two SSM calls per
 * managed instance), and fitting text into the loader's varchar columns.
 *
 * The run's limiter still bounds the requests in flight; the fan-out only
 * keeps that many busy instead of one.  Each worker thread has its own AWS
 * client (a client is not thread-safe), made for the task's client_region,
 * and its own message list; items are
 * handed out by index, so each item's results go to the caller's slot for
 * that index and the caller assembles them in item order, whatever order the
 * workers finished in.
 */
#include "sender.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What the workers share. */
typedef struct fanout {
	int n;
	int next;                 /* next item to hand out (under mu) */
	int failed;               /* items whose fn returned < 0 (under mu) */
	pthread_mutex_t mu;
	snd_item_fn fn;
	void *ctx;
} fanout;

/* One worker: its task (own client and messages). */
typedef struct worker {
	fanout *fo;
	snd_task task;
	int ok;                   /* its client could be made */
} worker;

/* Takes the next item's index, or -1 when none is left. */
static int
take(fanout *fo)
{
	int i;

	pthread_mutex_lock(&fo->mu);
	i = fo->next < fo->n ? fo->next++ : -1;
	pthread_mutex_unlock(&fo->mu);
	return i;
}

/* Runs items until none is left. */
static void
drain(fanout *fo, snd_task *t)
{
	int i;

	while ((i = take(fo)) >= 0) {
		if (t->s->cancel && *t->s->cancel)
			continue;          /* cancelled: the rest are neither run nor counted */
		if (fo->fn(t, i, fo->ctx) < 0) {
			pthread_mutex_lock(&fo->mu);
			fo->failed++;
			pthread_mutex_unlock(&fo->mu);
		}
	}
}

/* A worker thread. */
static void *
worker_main(void *arg)
{
	worker *w = arg;

	if (w->ok)
		drain(w->fo, &w->task);
	return NULL;
}

/* See sender.h. */
int
snd_fanout(snd_task *t, int n, snd_item_fn fn, void *ctx)
{
	fanout fo;
	worker *ws;
	pthread_t *th;
	int *started;
	int k, nw, failed;

	if (n <= 0)
		return 0;
	memset(&fo, 0, sizeof(fo));
	fo.n = n;
	fo.fn = fn;
	fo.ctx = ctx;
	pthread_mutex_init(&fo.mu, NULL);
	/* as many workers as requests may be in flight (the caller's thread is worker 0) */
	nw = t->s->max_in_flight < n ? t->s->max_in_flight : n;
	if (nw > 64)
		nw = 64;
	if (nw < 1)
		nw = 1;
	ws = calloc((size_t) nw, sizeof(*ws));
	th = calloc((size_t) nw, sizeof(*th));
	started = calloc((size_t) nw, sizeof(*started));
	if (ws == NULL || th == NULL || started == NULL)
		nw = 1;
	{
		worker self;
		worker *w;

		for (k = 0; k < nw; k++) {
			mao_err err;

			w = k == 0 || ws == NULL ? &self : &ws[k];
			memset(w, 0, sizeof(*w));
			w->fo = &fo;
			w->task = *t;
			w->task.value = w->task.value2 = NULL;
			w->task.messages = cJSON_CreateArray();
			w->task.status = SND_OK;
			if (k == 0) {
				w->ok = 1;    /* the caller's own client */
				continue;
			}
			w->task.client = NULL;
			w->ok = snd_task_client(&w->task, t->client_region, &err) == MAO_OK;
			started[k] = w->ok && pthread_create(&th[k], NULL, worker_main, w) == 0;
		}
		drain(&fo, &self.task);   /* finishes alone if no thread started */
		for (k = 0; k < nw; k++) {
			cJSON *m;

			w = k == 0 || ws == NULL ? &self : &ws[k];
			if (k > 0) {
				if (started[k])
					pthread_join(th[k], NULL);
				mao_aws_client_free(w->task.client);
			}
			while ((m = cJSON_DetachItemFromArray(w->task.messages, 0)) != NULL)
				cJSON_AddItemToArray(t->messages, m);
			cJSON_Delete(w->task.messages);
		}
	}
	failed = fo.failed;
	free(ws);
	free(th);
	free(started);
	pthread_mutex_destroy(&fo.mu);
	return failed;
}

/* See sender.h. */
cJSON *
snd_fit(const char *s, size_t max_chars)
{
	size_t i, chars = 0;

	if (s == NULL)
		return cJSON_CreateNull();
	/*
	 * Cut before the first byte that starts character max_chars + 1
	 * (PostgreSQL's varchar(n) counts characters, not bytes; UTF-8
	 * continuation bytes are 10xxxxxx).
	 */
	for (i = 0; s[i]; i++)
		if (((unsigned char) s[i] & 0xC0) != 0x80 && ++chars > max_chars)
			break;
	if (s[i] == '\0')
		return cJSON_CreateString(s);
	{
		char *cut = malloc(i + 1);
		cJSON *v;

		if (cut == NULL)
			return cJSON_CreateNull();
		memcpy(cut, s, i);
		cut[i] = '\0';
		v = cJSON_CreateString(cut);
		free(cut);
		return v;
	}
}

/* See sender.h. */
cJSON *
snd_jfit(const cJSON *obj, const char *key, size_t max_chars)
{
	return snd_fit(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(obj, key)), max_chars);
}

/* See sender.h. */
int
snd_item_pages(snd_task *t, const snd_op *op, cJSON *body, const char *gone,
			   snd_page_fn fn, void *ctx)
{
	const char *tin = op->token_in ? op->token_in : "NextToken";
	const char *tout = op->token_out ? op->token_out : tin;
	int pages = 0;

	for (;;) {
		cJSON *r = NULL;
		const cJSON *next;
		snd_fail f;
		int done;

		if (snd_call_json(t, op->service, op->content_type, op->target, body, &r, &f) != MAO_OK) {
			cJSON_DeleteItemFromObjectCaseSensitive(body, tin);
			if (gone != NULL && strcmp(f.code, gone) == 0)
				return pages;  /* the item went away meanwhile: nothing (more) to read */
			snd_task_fail(t, op->area, op->what, &f);
			return -1;
		}
		pages++;
		done = fn(t, r, ctx);
		next = cJSON_GetObjectItemCaseSensitive(r, tout);
		cJSON_DeleteItemFromObjectCaseSensitive(body, tin);
		if (done != 0 || !cJSON_IsString(next) || *next->valuestring == '\0') {
			cJSON_Delete(r);
			return done < 0 ? -2 : pages;
		}
		cJSON_AddStringToObject(body, tin, next->valuestring);
		cJSON_Delete(r);
	}
}
