/*
 * sender.h - shared types of mao-sender: the run's settings, the bound on
 * requests in flight, one collector task (its own AWS client and its
 * section's outcome) and the AWS protocol helpers every collector uses.
 *
 * Ownership: a snd_task owns its client, its JSON value and its messages
 * until the document builder takes them (snd_doc_build); the settings and
 * the limiter are borrowed from main for the whole run.
 */
#ifndef MAO_SENDER_H
#define MAO_SENDER_H

#include <pthread.h>
#include <signal.h>

#include <cjson/cJSON.h>

#include "aws.h"
#include "buf.h"
#include "err.h"
#include "xmltree.h"

#define SND_VERSION "0.6.0"

/* What the operator chose, and what the run worked out from it. */
typedef struct snd_settings {
	const char *region;       /* REGION: the document's region and the regional endpoints */
	const char *partner, *customer, *category, *environment, *product;
	const char *bucket;       /* BUCKET */
	const char *kms_key;      /* ANALYTICS_KMS_KEY (ARN) */
	const char *interval;     /* DAILY, WEEKLY, MONTHLY */
	char run_date[11];        /* YYYY-MM-DD: the key's date */
	char date_from[11];       /* window start */
	char date_to[11];         /* window end */
	char ce_end[11];          /* Cost Explorer's exclusive end of the window */
	char today[11];           /* UTC date of the run (forecasts start here) */
	char account[32];         /* from STS */
	char collected_at[40];    /* ISO 8601 UTC */
	int max_in_flight;        /* bound on AWS requests at once */
	int page_size;            /* 0: each API's largest page; else clamped to its limits */
	struct mao_creds_shared *creds; /* refreshed before expiry; thread-safe (creds_shared.h) */
	const volatile sig_atomic_t *cancel;
} snd_settings;

/*
 * A counting limiter on requests in flight (shared by every task), first
 * come first served: a thread that just gave a slot back cannot take it
 * again ahead of one already waiting.  It gates each attempt of a call
 * (lib/aws's attempt_gate), so backoff sleeps hold no slot.
 */
typedef struct snd_limiter {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int free_slots;
	unsigned long next_ticket;   /* handed to the next thread that asks */
	unsigned long serving;       /* the ticket whose turn it is */
	int calls;                /* attempts made, for the summary */
} snd_limiter;

/* Section outcomes, worst last. */
enum snd_status { SND_OK = 0, SND_PARTIAL, SND_SKIPPED, SND_FAILED, SND_NOT_IMPLEMENTED };

/* One collector's work and outcome. */
typedef struct snd_task {
	const snd_settings *s;
	snd_limiter *lim;
	mao_aws_client *client;   /* owned; made by the scheduler for the task's thread */
	const char *section;      /* document key */
	const char *sub;          /* security's sub-key, or NULL */
	void (*fn)(struct snd_task *t); /* the collector; NULL: not implemented */
	const char *client_region; /* NULL: the run's region (global services: their fixed one) */
	cJSON *value;             /* owned: the section's value (NULL: the failed form) */
	cJSON *messages;          /* owned: array of {area: text} */
	int status;               /* enum snd_status */
	int items;
	long ms;
	/* a second section filled by the same collector (cost fills `service` and `cost`) */
	const char *section2;
	cJSON *value2;
	int status2;
	int items2;
} snd_task;

/* A call that failed: the AWS code (may be "") and a message without secrets. */
typedef struct snd_fail {
	int rc;
	char code[128];
	char msg[MAO_ERR_MSG_MAX];
} snd_fail;

/* Makes t->client for region (NULL: the run's region). */
int snd_task_client(snd_task *t, const char *region, mao_err *err);

/* Initialises the limiter with n slots (n >= 1). */
void snd_limiter_init(snd_limiter *l, int n);

/* Destroys the limiter. */
void snd_limiter_destroy(snd_limiter *l);

/* JSON 1.0/1.1 call: POST target with body (NULL: "{}"); *out is the parsed answer (caller deletes). */
int snd_call_json(snd_task *t, const char *service, const char *content_type,
				  const char *target, const cJSON *body, cJSON **out, snd_fail *f);

/* REST-JSON method path?query (query, body may be NULL); *out is the parsed answer. */
int snd_call_rest_json(snd_task *t, const char *service, const char *method,
					   const char *path, const char *query, const char *body,
					   cJSON **out, snd_fail *f);

/* REST-XML GET path?query (S3 ListBuckets and the like); *out is the XML tree. */
int snd_call_rest_xml(snd_task *t, const char *service, const char *path,
					  const char *query, snd_xml **out, snd_fail *f);

/* Query/EC2 protocol: POST Action=...&Version=...&rest (rest already encoded); *out is the XML tree. */
int snd_call_query(snd_task *t, const char *service, const char *action,
				   const char *version, const char *rest, snd_xml **out, snd_fail *f);

/* A list operation whose continuation token travels in a JSON body. */
typedef struct snd_op {
	const char *service;      /* signing name, e.g. "kms" */
	const char *content_type; /* JSON 1.0/1.1: its content type; NULL: REST-JSON */
	const char *target;       /* JSON 1.x: the X-Amz-Target; REST-JSON: the path */
	const char *method;       /* REST-JSON only; NULL: POST; GET: the body's members go in the query */
	const char *token_in;     /* request's token member; NULL: "NextToken" */
	const char *token_out;    /* answer's token member; NULL: same as token_in */
	const char *area;         /* logs.message key when a call fails */
	const char *what;         /* "service:Operation" for that message */
} snd_op;

/*
 * Called with each page (borrowed): 0 goes on to the next page if there is
 * one, 1 stops (this was the last page whatever the token says), -1 stops
 * after a failure the callback has recorded.
 */
typedef int (*snd_page_fn)(snd_task *t, const cJSON *page, void *ctx);

/*
 * Walks every page of op starting from body (borrowed; its token member is
 * rewritten and removed again). Returns the number of pages (>= 1), -1 when
 * a call failed (already recorded with snd_task_fail under op->area), -2
 * when fn stopped the walk.
 */
int snd_pages(snd_task *t, const snd_op *op, cJSON *body, snd_page_fn fn, void *ctx);

/*
 * snd_pages for a list about one item (a rule's results, an instance's
 * patches): a failure whose AWS code is gone (e.g. NoSuchConfigRuleException)
 * means the item went away since it was listed, and ends the walk quietly
 * with the pages read so far (0 or more).
 */
int snd_item_pages(snd_task *t, const snd_op *op, cJSON *body, const char *gone,
				   snd_page_fn fn, void *ctx);

/*
 * A section that is one list: walks every page of op from body (taken and
 * freed), fn appending rows to the array it gets as ctx; then t->value is
 * that array and t->items its size, or after a failure (recorded) NULL.
 */
void snd_collect_pages(snd_task *t, const snd_op *op, cJSON *body, snd_page_fn fn);

/* The page size for an API whose limits are lo..hi (--page-size, else hi). */
int snd_page_size(const snd_task *t, int lo, int hi);

/* Fills f for an allocation that failed before any call; returns MAO_ERR_NOMEM. */
int snd_fail_nomem(snd_fail *f);

/* Non-zero if the failure means "not allowed" (AccessDenied and kin). */
int snd_fail_is_denied(const snd_fail *f);

/* Non-zero if the failure means "service not enabled/subscribed" in this account. */
int snd_fail_is_not_enabled(const snd_fail *f);

/* Adds {area: text} to t->messages. */
void snd_task_message(snd_task *t, const char *area, const char *text);

/* Records a failed call: message under area, status raised to FAILED or SKIPPED. */
void snd_task_fail(snd_task *t, const char *area, const char *what, const snd_fail *f);

/* cJSON helpers: a string or null from a JSON object, a copy of a value or null. */
cJSON *snd_jstr(const cJSON *obj, const char *key);
cJSON *snd_jcopy(const cJSON *obj, const char *key);

/* An AWS epoch-seconds number (JSON protocols) as an ISO 8601 string value, or null. */
cJSON *snd_jepoch(const cJSON *obj, const char *key);

/* An XML child's text as a JSON string, or null when absent. */
cJSON *snd_xstr(const snd_xml *x, const char *path);

/* An XML timestamp as ISO 8601 with +00:00 (as the reference writes them), or null. */
cJSON *snd_xts(const snd_xml *x, const char *path);

/*
 * One item of a fan-out, called with a worker's copy of the task (its own
 * client and message list: snd_task_fail on it records the message, the
 * caller's status is its own to set) and the item's index; ctx is shared by
 * the workers, so write only item i's slot.  Returns 0, -1 after a failure
 * it recorded, or SND_ITEM_STOP after a failure every other item would meet
 * too (access denied, not subscribed): items not yet started are skipped.
 */
#define SND_ITEM_STOP (-2)
typedef int (*snd_item_fn)(snd_task *w, int i, void *ctx);

/*
 * Runs fn for items 0..n-1 on up to --max-in-flight threads (this one
 * included), each with its own client; the workers' messages are moved to
 * t's.  Returns how many items failed; *worst (may be NULL) gets the worst
 * status a worker recorded.
 */
int snd_fanout(snd_task *t, int n, snd_item_fn fn, void *ctx, int *worst);

/* s (NULL: null) as a JSON string cut to max_chars characters, to fit a varchar column. */
cJSON *snd_fit(const char *s, size_t max_chars);

/* The string member key of obj, cut to max_chars characters, or null. */
cJSON *snd_jfit(const cJSON *obj, const char *key, size_t max_chars);
/* The same for an API's timestamp string (2024-01-02T03:04:05.000Z), or null when NULL/empty. */
cJSON *snd_ts_iso(const char *s);

/* Collectors: each fills t->value, t->items, t->status and messages. */
void snd_collect_account(snd_task *t);
void snd_collect_service_resources(snd_task *t);
void snd_collect_kms(snd_task *t);
void snd_collect_secrets_manager(snd_task *t);
void snd_collect_certificate_manager(snd_task *t);
void snd_collect_cloudtrail(snd_task *t);
void snd_collect_cost(snd_task *t);
void snd_collect_waf(snd_task *t);
void snd_collect_security_hub(snd_task *t);
void snd_collect_guard_duty(snd_task *t);
void snd_collect_inspector(snd_task *t);
void snd_collect_support_tickets(snd_task *t);
void snd_collect_compute_optimizer(snd_task *t);
void snd_collect_ri_sp_savings(snd_task *t);
void snd_collect_config(snd_task *t);
void snd_collect_config_inventory(snd_task *t);
void snd_collect_inventory(snd_task *t);
void snd_collect_trusted_advisor(snd_task *t);
void snd_collect_health(snd_task *t);
void snd_collect_resilience_hub(snd_task *t);
void snd_collect_application(snd_task *t);
void snd_collect_marketplace(snd_task *t);

/* Seconds since 1970 of YYYY-MM-DD 00:00 UTC (proleptic Gregorian; the first 10 characters are read). */
long long snd_date_epoch(const char *ymd);

/* Formats epoch seconds as YYYY-MM-DDTHH:MM:SS+00:00 (needs 32 bytes). */
void snd_iso8601(double epoch, char *out, size_t len);

#endif /* MAO_SENDER_H */
