/*
 * creds_shared.c - see creds_shared.h.
 */
#include "creds_shared.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One thread's copy; linked into its owner so that free can wipe the rest. */
typedef struct slot {
	mao_aws_creds creds;
	struct slot *prev, *next;
	struct mao_creds_shared *owner;
} slot;

struct mao_creds_shared {
	pthread_mutex_t mu;
	pthread_key_t key;
	mao_creds_provider *provider;
	slot *slots;
	char last_akid[128];      /* to count changes, not a secret */
	time_t last_expiration;
	int changes;
};

/* Unlinks and wipes a slot; the owner's mutex is held. */
static void
slot_drop(slot *sl)
{
	if (sl->prev)
		sl->prev->next = sl->next;
	else
		sl->owner->slots = sl->next;
	if (sl->next)
		sl->next->prev = sl->prev;
	mao_aws_creds_free(&sl->creds);
	free(sl);
}

/* Thread-exit destructor of a slot. */
static void
slot_release(void *p)
{
	slot *sl = p;
	mao_creds_shared *s = sl->owner;

	pthread_mutex_lock(&s->mu);
	slot_drop(sl);
	pthread_mutex_unlock(&s->mu);
}

/* See creds_shared.h. */
int
mao_creds_shared_new(mao_creds_provider *provider, mao_creds_shared **out, mao_err *err)
{
	mao_creds_shared *s = calloc(1, sizeof(*s));

	*out = NULL;
	if (s == NULL) {
		mao_creds_provider_free(provider);
		return mao_err_set(err, MAO_ERR_NOMEM, "out of memory");
	}
	if (pthread_key_create(&s->key, slot_release) != 0) {
		mao_creds_provider_free(provider);
		free(s);
		return mao_err_set(err, MAO_ERR_NOMEM, "no thread-specific key left");
	}
	pthread_mutex_init(&s->mu, NULL);
	s->provider = provider;
	*out = s;
	return MAO_OK;
}

/* See creds_shared.h. */
void
mao_creds_shared_free(mao_creds_shared *s)
{
	if (s == NULL)
		return;
	/* deleting the key first: no destructor may run on a freed owner */
	pthread_key_delete(s->key);
	pthread_mutex_lock(&s->mu);
	while (s->slots)
		slot_drop(s->slots);
	pthread_mutex_unlock(&s->mu);
	pthread_mutex_destroy(&s->mu);
	mao_creds_provider_free(s->provider);
	free(s);
}

/* Non-zero when a and b differ in any part that signs. */
static int
creds_differ(const mao_aws_creds *a, const mao_aws_creds *b)
{
	if (a->access_key_id == NULL || b->access_key_id == NULL)
		return 1;
	if (strcmp(a->access_key_id, b->access_key_id) != 0
		|| strcmp(a->secret_access_key, b->secret_access_key) != 0
		|| a->expiration != b->expiration)
		return 1;
	if ((a->session_token == NULL) != (b->session_token == NULL))
		return 1;
	return a->session_token && strcmp(a->session_token, b->session_token) != 0;
}

/* See creds_shared.h. */
int
mao_creds_shared_get(void *ctx, const mao_aws_creds **out, mao_err *err)
{
	mao_creds_shared *s = ctx;
	slot *sl = pthread_getspecific(s->key);
	const mao_aws_creds *cur;
	int rc;

	*out = NULL;
	pthread_mutex_lock(&s->mu);
	rc = mao_creds_get(s->provider, &cur, err);
	if (rc != MAO_OK)
		goto done;
	if (strcmp(s->last_akid, cur->access_key_id) != 0 || s->last_expiration != cur->expiration) {
		snprintf(s->last_akid, sizeof(s->last_akid), "%s", cur->access_key_id);
		s->last_expiration = cur->expiration;
		s->changes++;
	}
	if (sl == NULL) {
		sl = calloc(1, sizeof(*sl));
		if (sl == NULL || pthread_setspecific(s->key, sl) != 0) {
			free(sl);
			rc = mao_err_set(err, MAO_ERR_NOMEM, "out of memory");
			goto done;
		}
		sl->owner = s;
		sl->next = s->slots;
		if (s->slots)
			s->slots->prev = sl;
		s->slots = sl;
	}
	if (creds_differ(&sl->creds, cur)) {
		mao_aws_creds_free(&sl->creds);
		rc = mao_aws_creds_set(&sl->creds, cur->access_key_id, cur->secret_access_key,
							   cur->session_token, cur->expiration, cur->source);
		if (rc != MAO_OK) {
			mao_aws_creds_free(&sl->creds);
			rc = mao_err_set(err, rc, "out of memory");
			goto done;
		}
	}
	*out = &sl->creds;
done:
	pthread_mutex_unlock(&s->mu);
	return rc;
}

/* See creds_shared.h. */
int
mao_creds_shared_changes(mao_creds_shared *s)
{
	int n;

	pthread_mutex_lock(&s->mu);
	n = s->changes;
	pthread_mutex_unlock(&s->mu);
	return n;
}
