/*
 * test_creds_shared.c - lib/creds_shared under AddressSanitizer: threads
 * that sign requests at the same time share one refreshing provider while
 * the container credentials fake (test/fakes/metadata_server.py, started
 * with --expires 5) hands out credentials that need refreshing every
 * second (refresh_before_s = 4).  Every copy a thread gets must be one set
 * from the fake, whole (key id, secret and token of the same number), and
 * stay intact until that thread asks again; the provider must have been
 * refreshed several times; nothing may leak or be used after free.
 *
 *   test_creds_shared METADATA_URL
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "creds_shared.h"
#include "testutil.h"

#define THREADS 6
#define SECONDS 3

typedef struct worker {
	mao_creds_shared *shared;
	int index;
	int gets, torn, errors, distinct;
	char last[64];
} worker;

/* Non-zero if c is one whole set of the fake's: ASIAECS<n>, secret-ASIAECS-<n>, token-ASIAECS-<n>. */
static int
whole(const mao_aws_creds *c)
{
	char want[64];
	int n;

	if (strncmp(c->access_key_id, "ASIAECS", 7) != 0)
		return 0;
	n = atoi(c->access_key_id + 7);
	snprintf(want, sizeof(want), "secret-ASIAECS-%d", n);
	if (strcmp(c->secret_access_key, want) != 0)
		return 0;
	snprintf(want, sizeof(want), "token-ASIAECS-%d", n);
	return c->session_token && strcmp(c->session_token, want) == 0;
}

/* Gets credentials over and over for SECONDS, checking each copy before and after a pause. */
static void *
run(void *arg)
{
	worker *w = arg;
	time_t end = time(NULL) + SECONDS;
	/* longer than a refresh, and staggered: some thread always holds a copy while another refreshes */
	struct timespec pause = {0, 30000000}, offset = {0, 5000000L * w->index};

	nanosleep(&offset, NULL);
	while (time(NULL) < end) {
		const mao_aws_creds *c;
		char akid[64];
		mao_err err;

		if (mao_creds_shared_get(w->shared, &c, &err) != MAO_OK) {
			w->errors++;
			continue;
		}
		w->gets++;
		snprintf(akid, sizeof(akid), "%s", c->access_key_id);
		nanosleep(&pause, NULL);   /* other threads refresh meanwhile: this copy must not move */
		if (!whole(c) || strcmp(akid, c->access_key_id) != 0)
			w->torn++;
		if (strcmp(w->last, akid) != 0) {
			w->distinct++;
			snprintf(w->last, sizeof(w->last), "%s", akid);
		}
	}
	return NULL;
}

int
main(int argc, char **argv)
{
	t_ctx t = {0, 0};
	mao_creds_options o;
	mao_creds_provider *p = NULL;
	mao_creds_shared *shared = NULL;
	pthread_t th[THREADS];
	worker w[THREADS];
	char url[512];
	mao_err err;
	int i, gets = 0, torn = 0, errors = 0, distinct = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: test_creds_shared METADATA_URL\n");
		return 2;
	}
	snprintf(url, sizeof(url), "%s/creds/shared", argv[1]);
	unsetenv("AWS_ACCESS_KEY_ID");
	unsetenv("AWS_SECRET_ACCESS_KEY");
	unsetenv("AWS_SESSION_TOKEN");
	unsetenv("AWS_PROFILE");
	unsetenv("AWS_WEB_IDENTITY_TOKEN_FILE");
	unsetenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
	setenv("AWS_CONFIG_FILE", "/nonexistent", 1);
	setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent", 1);
	setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
	setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", url, 1);
	setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", "Bearer container-secret-token", 1);
	T_CHECK(&t, mao_http_global_init(&err) == MAO_OK, "global init: %s", err.msg);
	memset(&o, 0, sizeof(o));
	o.refresh_before_s = 4;   /* the fake's credentials expire in 5 s: refresh after 1 */
	T_CHECK(&t, mao_creds_provider_new(&o, &p, &err) == MAO_OK, "provider: %s", err.msg);
	T_CHECK(&t, mao_creds_shared_new(p, &shared, &err) == MAO_OK, "shared: %s", err.msg);
	if (shared == NULL)
		return t_summary(&t, "test_creds_shared");
	memset(w, 0, sizeof(w));
	for (i = 0; i < THREADS; i++) {
		w[i].shared = shared;
		w[i].index = i;
		T_CHECK(&t, pthread_create(&th[i], NULL, run, &w[i]) == 0, "thread %d", i);
	}
	for (i = 0; i < THREADS; i++) {
		pthread_join(th[i], NULL);
		gets += w[i].gets;
		torn += w[i].torn;
		errors += w[i].errors;
		distinct += w[i].distinct;
	}
	T_CHECK(&t, gets > THREADS * 20, "only %d gets", gets);
	T_CHECK(&t, torn == 0, "%d copies were not one whole set, or changed under their thread", torn);
	T_CHECK(&t, errors == 0, "%d gets failed", errors);
	T_CHECK(&t, mao_creds_shared_changes(shared) >= SECONDS, "refreshed only %d times in %d s",
			mao_creds_shared_changes(shared), SECONDS);
	T_CHECK(&t, distinct > THREADS, "the threads saw only %d changes of keys", distinct);
	printf("%d gets in %d threads, %d refreshes\n", gets, THREADS, mao_creds_shared_changes(shared));
	{
		/* the main thread holds a copy too: free must wipe it */
		const mao_aws_creds *c;

		T_CHECK(&t, mao_creds_shared_get(shared, &c, &err) == MAO_OK && whole(c), "main thread's get");
	}
	mao_creds_shared_free(shared);
	mao_http_global_cleanup();
	return t_summary(&t, "test_creds_shared");
}
