/*
 * fanout.c - one collector's independent per-item calls (a Config rule's
 * results, an instance's applications and patches, a Trusted Advisor
 * check's result, a Resilience Hub application's details) on several
 * threads instead of one long chain.
 *
 * The run's limiter still bounds the requests in flight across every
 * collector; the fan-out only keeps that many busy instead of one.  Each
 * worker is a copy of the task with its own AWS client (a client serves one
 * thread at a time), made for the task's client_region, and its own message
 * list; items are handed out by index from a shared counter, so a slow item
 * never holds up the others, each item's results go to the caller's slot for
 * that index, and the caller assembles them in item order whatever order
 * the workers finished in.
 *
 * Also here: fitting text into the loader's varchar columns (snd_fit).
 */
#include "sender.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_WORKERS 64

/* What the workers share. */
typedef struct fanout {
	int n;
	int next;                 /* next item to hand out (under mu) */
	int failed;               /* items whose fn returned < 0 (under mu) */
	int stop;                 /* an item said every other one would fail too (under mu) */
	cJSON **item_messages;    /* per item, the messages its call recorded (NULL: none) */
	pthread_mutex_t mu;
	snd_item_fn fn;
	void *ctx;
} fanout;

/* One worker: its task (own client and messages). */
typedef struct worker {
	fanout *fo;
	snd_task task;
} worker;

/* Takes the next item's index, or -1 when none is left or the fan-out stopped. */
static int
take(fanout *fo)
{
	int i;

	pthread_mutex_lock(&fo->mu);
	i = fo->stop || fo->next >= fo->n ? -1 : fo->next++;
	pthread_mutex_unlock(&fo->mu);
	return i;
}

/* Runs items until none is left. */
static void *
drain(void *arg)
{
	worker *w = arg;
	fanout *fo = w->fo;
	int i, rc;

	while ((i = take(fo)) >= 0) {
		if (w->task.s->cancel && *w->task.s->cancel)
			continue;          /* cancelled: the rest are neither run nor counted */
		rc = fo->fn(&w->task, i, fo->ctx);
		/* kept per item, so the document lists them in item order whichever worker ran it */
		if (fo->item_messages != NULL && cJSON_GetArraySize(w->task.messages) > 0) {
			fo->item_messages[i] = w->task.messages;
			w->task.messages = cJSON_CreateArray();
		}
		if (rc < 0) {
			pthread_mutex_lock(&fo->mu);
			fo->failed++;
			fo->stop |= rc == SND_ITEM_STOP;
			pthread_mutex_unlock(&fo->mu);
		}
	}
	return NULL;
}

/* See sender.h. */
int
snd_fanout(snd_task *t, int n, snd_item_fn fn, void *ctx, int *worst)
{
	worker ws[MAX_WORKERS];
	pthread_t th[MAX_WORKERS];
	int started[MAX_WORKERS];
	fanout fo;
	int k, nw;

	if (worst != NULL)
		*worst = SND_OK;
	if (n <= 0)
		return 0;
	memset(&fo, 0, sizeof(fo));
	fo.n = n;
	fo.fn = fn;
	fo.ctx = ctx;
	fo.item_messages = calloc((size_t) n, sizeof(*fo.item_messages));
	pthread_mutex_init(&fo.mu, NULL);
	/* as many workers as requests may be in flight (this thread is worker 0) */
	nw = t->s->max_in_flight < n ? t->s->max_in_flight : n;
	nw = nw < 1 ? 1 : nw > MAX_WORKERS ? MAX_WORKERS : nw;
	for (k = 0; k < nw; k++) {
		mao_err err;

		memset(&ws[k], 0, sizeof(ws[k]));
		ws[k].fo = &fo;
		ws[k].task = *t;
		ws[k].task.value = ws[k].task.value2 = NULL;
		ws[k].task.messages = cJSON_CreateArray();
		ws[k].task.status = SND_OK;
		started[k] = 0;
		if (k == 0)
			continue;         /* this thread, with the task's own client */
		ws[k].task.client = NULL;
		if (snd_task_client(&ws[k].task, t->client_region, &err) == MAO_OK
			&& pthread_create(&th[k], NULL, drain, &ws[k]) == 0)
			started[k] = 1;
	}
	drain(&ws[0]);            /* finishes alone if no thread started */
	for (k = 0; k < nw; k++) {
		cJSON *m;

		if (started[k])
			pthread_join(th[k], NULL);
		if (k > 0)
			mao_aws_client_free(ws[k].task.client);
		while ((m = cJSON_DetachItemFromArray(ws[k].task.messages, 0)) != NULL)
			cJSON_AddItemToArray(t->messages, m);
		cJSON_Delete(ws[k].task.messages);
		if (worst != NULL && ws[k].task.status > *worst)
			*worst = ws[k].task.status;
	}
	for (k = 0; fo.item_messages != NULL && k < n; k++) {
		cJSON *m;

		while ((m = cJSON_DetachItemFromArray(fo.item_messages[k], 0)) != NULL)
			cJSON_AddItemToArray(t->messages, m);
		cJSON_Delete(fo.item_messages[k]);
	}
	free(fo.item_messages);
	pthread_mutex_destroy(&fo.mu);
	return fo.failed;
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
