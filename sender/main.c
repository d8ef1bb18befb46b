/*
 * main.c - mao-sender: the command line (run, collect, check, --help; a
 * date or a range), the credentials (refreshing, shared by the threads) and
 * the account, the concurrent run of the collectors, then the dates (run.c)
 * or, under Lambda, the runtime loop (lambda.c).
 */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "creds_shared.h"
#include "dates.h"
#include "doc.h"
#include "http.h"
#include "sender.h"
#include "run.h"
#include "sts.h"

#define EXIT_FAIL 1
#define EXIT_USAGE 2

static const char usage[] =
	"usage: mao-sender COMMAND [options]\n"
	"       mao-sender                 (with AWS_LAMBDA_RUNTIME_API set: serve Lambda invocations)\n"
	"\n"
	"commands:\n"
	"  run                  collect, seal (gzip + KMS envelope) and upload, once per run date\n"
	"  collect --out FILE   collect and write the plain JSON document (no upload; - for stdout)\n"
	"  check                try each implemented service's read permission; print a table\n"
	"\n"
	"options (environment variable in brackets):\n"
	"  --region R           the document's region and the regional endpoints [REGION]\n"
	"                       (default: AWS_REGION / the profile's region / us-east-1)\n"
	"  --partner S          [PARTNER]     --customer S     [CUSTOMER]\n"
	"  --category S         [CATEGORY]    --environment S  [ENVIRONMENT]\n"
	"  --product S          [PRODUCT]     (unset: the reference's literal \"None\")\n"
	"  --bucket B           analytics bucket for run [BUCKET]\n"
	"  --kms-key ARN        analytics KMS key for the envelope and SSE-KMS [ANALYTICS_KMS_KEY]\n"
	"  --interval I         DAILY, WEEKLY or MONTHLY [INTERVAL] (default DAILY)\n"
	"  --date YYYY-MM-DD    run date, the key's date (default: today, UTC) [MAO_SENDER_DATE]\n"
	"  --from YYYY-MM-DD --to YYYY-MM-DD\n"
	"                       backfill: one document per run date of the range (inclusive):\n"
	"                       DAILY every day, WEEKLY the Monday of every week, MONTHLY the 1st\n"
	"                       of every month the range touches; each date is reported\n"
	"                       (\"3/30 2026-11-03 uploaded s3://...\"), a failed date does not stop\n"
	"                       the others, the exit status is 1 if any failed.  collect with a\n"
	"                       range wants --out DIR/ (DIR/<date>_<INTERVAL>.json) or a path with\n"
	"                       {date} in it.  Cost Explorer keeps daily data for 14 months only:\n"
	"                       older dates get a failed service/cost section (said in the\n"
	"                       document's logs), not invented numbers.\n"
	"  --max-in-flight N    AWS requests at once (default 8) [MAO_SENDER_MAX_IN_FLIGHT]\n"
	"  --page-size N        page size asked of list APIs, within each API's limits\n"
	"                       (default: each API's largest) [MAO_SENDER_PAGE_SIZE]\n"
	"  --help\n"
	"\n"
	"Lambda (provided.al2023, this binary as bootstrap): settings from the environment as above;\n"
	"events: {} or a scheduled event: today's document; {\"interval\": \"WEEKLY\"}; {\"date\": D};\n"
	"{\"from\": D, \"to\": D}; {\"history\": true, \"start\": \"d-m-yyyy\", \"end\": \"d-m-yyyy\"}.\n"
	"The response lists each date's key and sections; log lines are JSON objects.\n"
	"\n"
	"Credentials and endpoints follow the AWS SDKs (AWS_PROFILE, AWS_ENDPOINT_URL[_<SERVICE>], ...);\n"
	"temporary credentials are fetched again before they expire, however long the run.\n"
	"Exit status: 0 done (sections that could not be collected are said in the document),\n"
	"1 the run failed (no credentials, STS, sealing or upload; any date of a range), 2 usage.\n";

static volatile sig_atomic_t got_signal;

/* Signal handler: asks every request to stop. */
static void
on_signal(int sig)
{
	(void) sig;
	got_signal = 1;
}

/* Prints a message to stderr and returns code. */
static int
fail(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("mao-sender: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	return code;
}

/* A flag's value or the environment's; NULL when neither. */
static const char *
flag_or_env(const char *flag, const char *env)
{
	const char *v;

	if (flag)
		return flag;
	v = getenv(env);
	return v && *v ? v : NULL;
}

/* Milliseconds of the monotonic clock. */
static long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A collector thread: runs the task's collector and times it. */
static void *
task_thread(void *arg)
{
	snd_task *t = arg;
	long start = now_ms();
	mao_err err;

	if (snd_task_client(t, t->client_region, &err) != MAO_OK) {
		snd_task_message(t, t->sub ? t->sub : t->section, err.msg);
		t->status = SND_FAILED;
	} else
		t->fn(t);
	t->ms = now_ms() - start;
	mao_aws_client_free(t->client);
	t->client = NULL;
	return NULL;
}

/* The collectors of this version. */
static const struct {
	const char *section, *sub, *section2, *region;
	void (*fn)(snd_task *);
} collectors[] = {
	{"account", NULL, NULL, NULL, snd_collect_account},
	{"config", NULL, NULL, NULL, snd_collect_config},
	{"inventory", NULL, NULL, NULL, snd_collect_inventory},
	{"config_inventory", NULL, NULL, NULL, snd_collect_config_inventory},
	{"service", NULL, "cost", "us-east-1", snd_collect_cost},   /* Cost Explorer: global */
	{"service_resources", NULL, NULL, NULL, snd_collect_service_resources},
	{"support_tickets", NULL, NULL, "us-east-1", snd_collect_support_tickets},  /* Support: global */
	{"compute_optimizer", NULL, NULL, NULL, snd_collect_compute_optimizer},
	/* EC2 and RDS here; Savings Plans and Cost Explorer (global) on us-east-1 clients of its own */
	{"ri_sp_savings", NULL, NULL, NULL, snd_collect_ri_sp_savings},
	{"trusted_advisor", NULL, NULL, "us-east-1", snd_collect_trusted_advisor},  /* Support: global */
	{"health", NULL, NULL, "us-east-1", snd_collect_health},   /* Health: global */
	{"marketplace", NULL, NULL, "us-east-1", snd_collect_marketplace},  /* Cost Explorer: global */
	{"resilience_hub", NULL, NULL, NULL, snd_collect_resilience_hub},
	{"application", NULL, NULL, NULL, snd_collect_application},
	{"security", "kms", NULL, NULL, snd_collect_kms},
	{"security", "secrets_manager", NULL, NULL, snd_collect_secrets_manager},
	{"security", "certificate_manager", NULL, NULL, snd_collect_certificate_manager},
	{"security", "cloudtrail", NULL, NULL, snd_collect_cloudtrail},
	{"security", "waf", "waf_rules", NULL, snd_collect_waf},
	{"security", "security_hub", NULL, NULL, snd_collect_security_hub},
	{"security", "guard_duty", NULL, NULL, snd_collect_guard_duty},
	{"security", "inspector", NULL, NULL, snd_collect_inspector},
};
#define N_COLLECTORS (sizeof(collectors) / sizeof(collectors[0]))

/* See run.h: every collector at once, bounded by the limiter. */
cJSON *
snd_collect_document(const snd_settings *s)
{
	snd_task tasks[N_COLLECTORS];
	pthread_t th[N_COLLECTORS];
	int started[N_COLLECTORS];
	snd_limiter lim;
	long start = now_ms(), total;
	cJSON *doc;
	size_t i;
	int requests;

	snd_limiter_init(&lim, s->max_in_flight);
	memset(tasks, 0, sizeof(tasks));
	for (i = 0; i < N_COLLECTORS; i++) {
		tasks[i].s = s;
		tasks[i].lim = &lim;
		tasks[i].section = collectors[i].section;
		tasks[i].sub = collectors[i].sub;
		tasks[i].section2 = collectors[i].section2;
		tasks[i].client_region = collectors[i].region;
		tasks[i].fn = collectors[i].fn;
		tasks[i].messages = cJSON_CreateArray();
		started[i] = pthread_create(&th[i], NULL, task_thread, &tasks[i]) == 0;
		if (!started[i])
			task_thread(&tasks[i]);   /* no thread: run it here */
	}
	for (i = 0; i < N_COLLECTORS; i++)
		if (started[i])
			pthread_join(th[i], NULL);
	total = now_ms() - start;
	requests = lim.calls;
	snd_limiter_destroy(&lim);
	doc = snd_doc_build(s, tasks, N_COLLECTORS, total, requests);
	for (i = 0; i < N_COLLECTORS; i++) {
		cJSON_Delete(tasks[i].value);
		cJSON_Delete(tasks[i].value2);
		cJSON_Delete(tasks[i].messages);
	}
	return doc;
}

/* The longest backfill one process takes (ten years of days). */
#define MAX_DATES 3660

/* Resolves credentials (refreshing, shared by the threads) and the account; NULL or an error in err. */
static mao_creds_shared *
start_aws(snd_settings *s, mao_err *err)
{
	mao_creds_provider *prov = NULL;
	mao_creds_shared *shared = NULL;
	const mao_aws_creds *got;
	mao_creds_options co;
	snd_task t;
	mao_sts_identity id;
	mao_err e2;

	memset(&co, 0, sizeof(co));
	co.cancel = s->cancel;
	if (mao_creds_provider_new(&co, &prov, err) != MAO_OK
		|| mao_creds_shared_new(prov, &shared, err) != MAO_OK)
		return NULL;
	if (mao_creds_shared_get(shared, &got, &e2) != MAO_OK) {
		mao_err_set(err, e2.code, "credentials: %s", e2.msg);
		mao_creds_shared_free(shared);
		return NULL;
	}
	s->creds = shared;
	memset(&t, 0, sizeof(t));
	t.s = s;
	if (snd_task_client(&t, NULL, &e2) != MAO_OK
		|| mao_sts_get_caller_identity(t.client, &id, &e2) != MAO_OK) {
		mao_err_set(err, e2.code, "sts:GetCallerIdentity: %s", e2.msg);
		mao_aws_client_free(t.client);
		s->creds = NULL;
		mao_creds_shared_free(shared);
		return NULL;
	}
	mao_aws_client_free(t.client);
	snprintf(s->account, sizeof(s->account), "%s", id.account);
	return shared;
}

/* The check command: one read per implemented service. */
static int
run_check(snd_settings *s)
{
	snd_task t;
	snd_limiter lim;
	mao_err err;
	int code;

	memset(&t, 0, sizeof(t));
	t.s = s;
	if (snd_task_client(&t, NULL, &err) != MAO_OK)
		return fail(EXIT_FAIL, "%s", err.msg);
	snd_limiter_init(&lim, 1);
	t.lim = &lim;
	t.messages = cJSON_CreateArray();
	code = snd_check(&t, stdout) ? EXIT_FAIL : 0;
	cJSON_Delete(t.messages);
	snd_limiter_destroy(&lim);
	mao_aws_client_free(t.client);
	return code;
}

/* Main: parse, resolve credentials and account, then the command (or serve Lambda). */
int
main(int argc, char **argv)
{
	const char *cmd = NULL, *out = NULL;
	const char *f_region = NULL, *f_partner = NULL, *f_customer = NULL, *f_category = NULL;
	const char *f_env = NULL, *f_product = NULL, *f_bucket = NULL, *f_key = NULL;
	const char *f_interval = NULL, *f_date = NULL, *f_inflight = NULL, *f_page = NULL;
	const char *f_from = NULL, *f_to = NULL;
	char region[64] = "";
	char problem[512] = "";
	snd_settings s;
	mao_creds_shared *shared = NULL;
	mao_err err;
	struct sigaction sa;
	long from = 0, to = 0, *dates = NULL;
	int i, n_dates = 0, code = 0, lambda;

	memset(&s, 0, sizeof(s));
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char **dst = NULL;

		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			fputs(usage, stdout);
			return 0;
		}
		if (strcmp(a, "--out") == 0) dst = &out;
		else if (strcmp(a, "--region") == 0) dst = &f_region;
		else if (strcmp(a, "--partner") == 0) dst = &f_partner;
		else if (strcmp(a, "--customer") == 0) dst = &f_customer;
		else if (strcmp(a, "--category") == 0) dst = &f_category;
		else if (strcmp(a, "--environment") == 0) dst = &f_env;
		else if (strcmp(a, "--product") == 0) dst = &f_product;
		else if (strcmp(a, "--bucket") == 0) dst = &f_bucket;
		else if (strcmp(a, "--kms-key") == 0) dst = &f_key;
		else if (strcmp(a, "--interval") == 0) dst = &f_interval;
		else if (strcmp(a, "--date") == 0) dst = &f_date;
		else if (strcmp(a, "--from") == 0) dst = &f_from;
		else if (strcmp(a, "--to") == 0) dst = &f_to;
		else if (strcmp(a, "--max-in-flight") == 0) dst = &f_inflight;
		else if (strcmp(a, "--page-size") == 0) dst = &f_page;
		else if (a[0] == '-')
			return fail(EXIT_USAGE, "unknown option %s (see --help)", a);
		else if (cmd == NULL)
			cmd = a;
		else
			return fail(EXIT_USAGE, "unexpected argument %s (see --help)", a);
		if (dst) {
			if (i + 1 >= argc)
				return fail(EXIT_USAGE, "%s needs a value", a);
			*dst = argv[++i];
		}
	}
	/* Lambda starts the bootstrap without arguments */
	lambda = cmd == NULL && getenv("AWS_LAMBDA_RUNTIME_API") && *getenv("AWS_LAMBDA_RUNTIME_API");
	if (lambda)
		cmd = "run";
	if (cmd == NULL)
		return fail(EXIT_USAGE, "a command is needed: run, collect or check (see --help)");
	if (strcmp(cmd, "run") != 0 && strcmp(cmd, "collect") != 0 && strcmp(cmd, "check") != 0)
		return fail(EXIT_USAGE, "unknown command %s (see --help)", cmd);
	if (strcmp(cmd, "collect") == 0 && out == NULL)
		return fail(EXIT_USAGE, "collect needs --out FILE");

	s.partner = flag_or_env(f_partner, "PARTNER");
	s.customer = flag_or_env(f_customer, "CUSTOMER");
	s.category = flag_or_env(f_category, "CATEGORY");
	s.environment = flag_or_env(f_env, "ENVIRONMENT");
	s.product = flag_or_env(f_product, "PRODUCT");
	s.bucket = flag_or_env(f_bucket, "BUCKET");
	s.kms_key = flag_or_env(f_key, "ANALYTICS_KMS_KEY");
	s.interval = flag_or_env(f_interval, "INTERVAL");
	if (s.interval == NULL)
		s.interval = "DAILY";
	f_date = flag_or_env(f_date, "MAO_SENDER_DATE");
	f_inflight = flag_or_env(f_inflight, "MAO_SENDER_MAX_IN_FLIGHT");
	f_page = flag_or_env(f_page, "MAO_SENDER_PAGE_SIZE");
	s.max_in_flight = f_inflight ? atoi(f_inflight) : 8;
	s.page_size = f_page ? atoi(f_page) : 0;
	snd_stamp_now(&s);

	/* what makes the configuration unusable: a usage error, or Lambda's init error */
	if (s.max_in_flight < 1 || s.max_in_flight > 256)
		snprintf(problem, sizeof(problem), "--max-in-flight (MAO_SENDER_MAX_IN_FLIGHT) wants 1..256");
	else if (s.page_size < 0)
		snprintf(problem, sizeof(problem), "--page-size (MAO_SENDER_PAGE_SIZE) wants a positive number");
	else if (!snd_interval_valid(s.interval))
		snprintf(problem, sizeof(problem), "bad --interval (INTERVAL) \"%s\": DAILY, WEEKLY or MONTHLY", s.interval);
	else if (strcmp(cmd, "run") == 0 && (s.bucket == NULL || s.kms_key == NULL))
		snprintf(problem, sizeof(problem), "run needs --bucket (BUCKET) and --kms-key (ANALYTICS_KMS_KEY)");
	else if (s.kms_key && (strncmp(s.kms_key, "arn:", 4) != 0 || strstr(s.kms_key, ":kms:") == NULL))
		snprintf(problem, sizeof(problem), "--kms-key (ANALYTICS_KMS_KEY) wants a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID)");
	else if (!lambda && (f_from || f_to)) {
		if (!f_from || !f_to || f_date)
			snprintf(problem, sizeof(problem), "a range needs both --from and --to, and no --date");
		else if (snd_parse_date(f_from, &from) != 0 || snd_parse_date(f_to, &to) != 0)
			snprintf(problem, sizeof(problem), "bad --from \"%s\" or --to \"%s\" (YYYY-MM-DD)", f_from, f_to);
		else if (snd_range_dates(s.interval, from, to, MAX_DATES, &dates, &n_dates) != 0)
			snprintf(problem, sizeof(problem), "--from %s is after --to %s, or the range holds more than %d dates",
					 f_from, f_to, MAX_DATES);
		else if (strcmp(cmd, "collect") == 0 && !snd_out_per_date(out))
			snprintf(problem, sizeof(problem), "collect with a range needs --out DIR/ or an --out path with {date}");
	} else if (!lambda) {
		if (f_date == NULL)
			f_date = s.today;
		if (snd_parse_date(f_date, &from) != 0)
			snprintf(problem, sizeof(problem), "bad --date \"%s\" (YYYY-MM-DD)", f_date);
		else if ((dates = malloc(sizeof(*dates))) != NULL) {
			dates[0] = from;
			n_dates = 1;
		}
	}
	if (problem[0]) {
		free(dates);
		return lambda ? snd_lambda_init_error(problem) : fail(EXIT_USAGE, "%s", problem);
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	s.cancel = &got_signal;

	if (mao_http_global_init(&err) != MAO_OK) {
		free(dates);
		return lambda ? snd_lambda_init_error(err.msg) : fail(EXIT_FAIL, "%s", err.msg);
	}
	f_region = flag_or_env(f_region, "REGION");
	if (f_region)
		snprintf(region, sizeof(region), "%s", f_region);
	else if (mao_creds_resolve_region(NULL, NULL, region, sizeof(region), NULL) != MAO_OK)
		snprintf(region, sizeof(region), "us-east-1");
	s.region = region;

	shared = start_aws(&s, &err);
	if (shared == NULL)
		code = lambda ? snd_lambda_init_error(err.msg) : fail(EXIT_FAIL, "%s", err.msg);
	else if (lambda)
		code = snd_lambda_serve(&s);
	else if (strcmp(cmd, "check") == 0)
		code = run_check(&s);
	else {
		snd_job job;
		cJSON *summary;
		int failed;

		memset(&job, 0, sizeof(job));
		job.upload = strcmp(cmd, "run") == 0;
		job.out = out;
		summary = snd_run_dates(&s, &job, dates, n_dates, &failed);
		if (n_dates > 1)
			fprintf(stderr, "%d of %d dates %s, %d failed\n", n_dates - failed, n_dates,
					job.upload ? "uploaded" : "written", failed);
		cJSON_Delete(summary);
		code = failed ? EXIT_FAIL : 0;
	}
	free(dates);
	mao_creds_shared_free(shared);
	mao_http_global_cleanup();
	return code;
}
