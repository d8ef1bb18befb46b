/*
 * fanout.c - one collector's independent per-item calls (a Trusted Advisor
 * check's result, a Resilience Hub application's details) on a few threads
 * instead of one long chain.  Each worker is a copy of the task with its
 * own client (a client serves one thread at a time) and its own messages;
 * items are handed out one by one from a shared counter, so a slow item
 * never holds up the others.  The run's limiter still bounds the requests
 * in flight across every collector; the pool only stops one collector from
 * waiting on itself.
 */
#include "sender.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A pool's shared state. */
typedef struct fan {
	pthread_mutex_t mu;
	int next, n, stop;
	snd_item_fn fn;
	void *ctx;
} fan;

/* One worker: its task copy and its pool. */
typedef struct worker {
	snd_task task;
	fan *pool;
} worker;

/* Takes the next item's index, or -1 when none is left or the pool stopped. */
static int
take(fan *p)
{
	int i;

	pthread_mutex_lock(&p->mu);
	i = p->stop || p->next >= p->n ? -1 : p->next++;
	pthread_mutex_unlock(&p->mu);
	return i;
}

/* Runs items until none is left; an item returning non-zero stops every worker. */
static void *
work(void *arg)
{
	worker *w = arg;
	int i;

	while ((i = take(w->pool)) >= 0)
		if (w->pool->fn(&w->task, i, w->pool->ctx) != 0) {
			pthread_mutex_lock(&w->pool->mu);
			w->pool->stop = 1;
			pthread_mutex_unlock(&w->pool->mu);
		}
	return NULL;
}

/* See sender.h. */
int
snd_fan_out(snd_task *t, int n, snd_item_fn fn, void *ctx)
{
	worker w[SND_FAN_OUT_MAX];
	pthread_t th[SND_FAN_OUT_MAX];
	int started[SND_FAN_OUT_MAX];
	int nw = t->s->max_in_flight / 2, k, worst = SND_OK;
	fan p;

	if (nw > SND_FAN_OUT_MAX)
		nw = SND_FAN_OUT_MAX;
	if (nw > n)
		nw = n;
	if (nw < 1)
		nw = 1;
	memset(&p, 0, sizeof(p));
	pthread_mutex_init(&p.mu, NULL);
	p.n = n;
	p.fn = fn;
	p.ctx = ctx;
	for (k = 0; k < nw; k++) {
		mao_err err;

		w[k].task = *t;
		w[k].task.status = SND_OK;
		w[k].task.messages = cJSON_CreateArray();
		w[k].pool = &p;
		started[k] = 0;
		if (k == 0)
			continue;   /* worker 0 is this thread, with the task's own client */
		w[k].task.client = NULL;
		if (snd_task_client(&w[k].task, t->client_region, &err) == MAO_OK
			&& pthread_create(&th[k], NULL, work, &w[k]) == 0)
			started[k] = 1;
	}
	work(&w[0]);
	for (k = 0; k < nw; k++) {
		cJSON *m;

		if (started[k])
			pthread_join(th[k], NULL);
		if (k > 0)
			mao_aws_client_free(w[k].task.client);
		while ((m = cJSON_DetachItemFromArray(w[k].task.messages, 0)) != NULL)
			cJSON_AddItemToArray(t->messages, m);
		cJSON_Delete(w[k].task.messages);
		if (w[k].task.status > worst)
			worst = w[k].task.status;
	}
	pthread_mutex_destroy(&p.mu);
	return worst;
}
