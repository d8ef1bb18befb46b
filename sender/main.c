/*
 * main.c - mao-sender: the command line (run, collect, check, --help), the
 * collection window, the credentials and account, the concurrent run of the
 * collectors, the per-section report, and writing or shipping the result.
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
#include "creds.h"
#include "doc.h"
#include "http.h"
#include "sender.h"
#include "ship.h"
#include "sts.h"

#define EXIT_FAIL 1
#define EXIT_USAGE 2

static const char usage[] =
	"usage: mao-sender COMMAND [options]\n"
	"\n"
	"commands:\n"
	"  run                  collect, seal (gzip + KMS envelope) and upload once\n"
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
	"  --max-in-flight N    AWS requests at once (default 8) [MAO_SENDER_MAX_IN_FLIGHT]\n"
	"  --page-size N        page size asked of list APIs, within each API's limits\n"
	"                       (default: each API's largest) [MAO_SENDER_PAGE_SIZE]\n"
	"  --help\n"
	"\n"
	"Credentials and endpoints follow the AWS SDKs (AWS_PROFILE, AWS_ENDPOINT_URL[_<SERVICE>], ...).\n"
	"Exit status: 0 done (sections that could not be collected are said in the document),\n"
	"1 the run failed (no credentials, STS, sealing or upload), 2 usage.\n";

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

/* Days since 1970-01-01 of a civil date (proleptic Gregorian). */
static long
days_from_civil(int y, int m, int d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* The civil date of a day number, as YYYY-MM-DD into out (11 bytes). */
static void
civil_from_days(long z, char out[11])
{
	long era, doe, yoe, y, doy, mp, d, m;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp + (mp < 10 ? 3 : -9);
	y += m <= 2;
	out[0] = (char) ('0' + (y / 1000) % 10);
	out[1] = (char) ('0' + (y / 100) % 10);
	out[2] = (char) ('0' + (y / 10) % 10);
	out[3] = (char) ('0' + y % 10);
	out[4] = '-';
	out[5] = (char) ('0' + m / 10);
	out[6] = (char) ('0' + m % 10);
	out[7] = '-';
	out[8] = (char) ('0' + d / 10);
	out[9] = (char) ('0' + d % 10);
	out[10] = '\0';
}

/* Parses YYYY-MM-DD into a day number; returns 0 on success. */
static int
parse_date(const char *s, long *days)
{
	int y, m, d;
	char back[11];
	char extra;

	if (s == NULL || strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &extra) != 3)
		return -1;
	*days = days_from_civil(y, m, d);
	civil_from_days(*days, back);
	return strcmp(back, s) == 0 ? 0 : -1;
}

/* Sets the window of s from its run date and interval (document-format.md §1). */
static int
set_window(snd_settings *s)
{
	long end, from, to;
	int y, m, d;

	if (parse_date(s->run_date, &end) != 0)
		return -1;
	sscanf(s->run_date, "%4d-%2d-%2d", &y, &m, &d);
	if (strcmp(s->interval, "DAILY") == 0) {
		from = end - 1;
		to = end;
	} else if (strcmp(s->interval, "WEEKLY") == 0) {
		long dow = ((end % 7) + 7 + 3) % 7;   /* 1970-01-01 was a Thursday; Monday = 0 */
		from = end - dow;
		to = from + 6;
	} else if (strcmp(s->interval, "MONTHLY") == 0) {
		from = days_from_civil(y, m, 1);
		to = (m == 12 ? days_from_civil(y + 1, 1, 1) : days_from_civil(y, m + 1, 1)) - 1;
	} else
		return -1;
	civil_from_days(from, s->date_from);
	civil_from_days(to, s->date_to);
	/* Cost Explorer's End is exclusive: DAILY's end is already the next day */
	civil_from_days(strcmp(s->interval, "DAILY") == 0 ? to : to + 1, s->ce_end);
	return 0;
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

/* Runs every collector concurrently; returns the document (caller deletes). */
static cJSON *
collect(const snd_settings *s, FILE *report)
{
	snd_task tasks[N_COLLECTORS];
	pthread_t th[N_COLLECTORS];
	int started[N_COLLECTORS];
	snd_limiter lim;
	long start = now_ms(), total;
	cJSON *doc, *secs, *e;
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
	secs = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(doc, "metadata"), "sections");
	cJSON_ArrayForEach(e, secs) {
		fprintf(report, "  %-20s %-16s %6d items %7.0f ms\n", e->string,
				cJSON_GetObjectItemCaseSensitive(e, "status")->valuestring,
				cJSON_GetObjectItemCaseSensitive(e, "items")->valueint,
				cJSON_GetObjectItemCaseSensitive(e, "ms")->valuedouble);
	}
	e = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(doc, "logs"), "message");
	fprintf(report, "collected %s/%s %s..%s in %ld ms, %d requests, %d messages\n", s->account,
			s->region, s->date_from, s->date_to, total, requests, cJSON_GetArraySize(e));
	return doc;
}

/* Writes text to path ("-": stdout). */
static int
write_file(const char *path, const char *text)
{
	FILE *f = strcmp(path, "-") == 0 ? stdout : fopen(path, "w");
	int bad;

	if (f == NULL)
		return fail(EXIT_FAIL, "%s: %s", path, strerror(errno));
	bad = fputs(text, f) == EOF || fputc('\n', f) == EOF;
	if (f != stdout)
		bad |= fclose(f) != 0;
	else
		bad |= fflush(f) != 0;
	return bad ? fail(EXIT_FAIL, "%s: write error", path) : 0;
}

/* Main: parse, resolve credentials and account, then the command. */
int
main(int argc, char **argv)
{
	const char *cmd = NULL, *out = NULL;
	const char *f_region = NULL, *f_partner = NULL, *f_customer = NULL, *f_category = NULL;
	const char *f_env = NULL, *f_product = NULL, *f_bucket = NULL, *f_key = NULL;
	const char *f_interval = NULL, *f_date = NULL, *f_inflight = NULL, *f_page = NULL;
	char region[64] = "";
	snd_settings s;
	mao_creds_provider *prov = NULL;
	mao_aws_creds creds;
	const mao_aws_creds *got;
	mao_err err;
	struct sigaction sa;
	int i, code = 0;

	memset(&s, 0, sizeof(s));
	memset(&creds, 0, sizeof(creds));
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
	if (s.max_in_flight < 1 || s.max_in_flight > 256)
		return fail(EXIT_USAGE, "--max-in-flight wants 1..256");
	s.page_size = f_page ? atoi(f_page) : 0;
	if (s.page_size < 0)
		return fail(EXIT_USAGE, "--page-size wants a positive number");
	{
		time_t now = time(NULL);
		struct tm tm;

		gmtime_r(&now, &tm);
		strftime(s.collected_at, sizeof(s.collected_at), "%Y-%m-%dT%H:%M:%S+00:00", &tm);
		strftime(s.today, sizeof(s.today), "%Y-%m-%d", &tm);
		if (f_date == NULL)
			strftime(s.run_date, sizeof(s.run_date), "%Y-%m-%d", &tm);
		else
			snprintf(s.run_date, sizeof(s.run_date), "%s", f_date);
	}
	if (set_window(&s) != 0)
		return fail(EXIT_USAGE, "bad --date \"%s\" or --interval \"%s\" (YYYY-MM-DD; DAILY, WEEKLY, MONTHLY)",
					s.run_date, s.interval);
	if (strcmp(cmd, "run") == 0 && (s.bucket == NULL || s.kms_key == NULL))
		return fail(EXIT_USAGE, "run needs --bucket (BUCKET) and --kms-key (ANALYTICS_KMS_KEY)");
	if (s.kms_key && (strncmp(s.kms_key, "arn:", 4) != 0 || strstr(s.kms_key, ":kms:") == NULL))
		return fail(EXIT_USAGE, "--kms-key wants a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID)");

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	s.cancel = &got_signal;

	if (mao_http_global_init(&err) != MAO_OK)
		return fail(EXIT_FAIL, "%s", err.msg);
	f_region = flag_or_env(f_region, "REGION");
	if (f_region)
		snprintf(region, sizeof(region), "%s", f_region);
	else if (mao_creds_resolve_region(NULL, NULL, region, sizeof(region), NULL) != MAO_OK)
		snprintf(region, sizeof(region), "us-east-1");
	s.region = region;

	/* credentials once, shared read-only by every collector */
	if (mao_creds_provider_new(NULL, &prov, &err) != MAO_OK
		|| mao_creds_get(prov, &got, &err) != MAO_OK
		|| mao_aws_creds_set(&creds, got->access_key_id, got->secret_access_key,
							 got->session_token, got->expiration, got->source) != MAO_OK) {
		code = fail(EXIT_FAIL, "credentials: %s", err.msg);
		goto out;
	}
	s.creds = &creds;
	{
		snd_task t;
		mao_sts_identity id;
		snd_limiter lim;

		memset(&t, 0, sizeof(t));
		t.s = &s;
		if (snd_task_client(&t, NULL, &err) != MAO_OK
			|| mao_sts_get_caller_identity(t.client, &id, &err) != MAO_OK) {
			mao_aws_client_free(t.client);
			code = fail(EXIT_FAIL, "sts:GetCallerIdentity: %s", err.msg);
			goto out;
		}
		snprintf(s.account, sizeof(s.account), "%s", id.account);
		if (strcmp(cmd, "check") == 0) {
			snd_limiter_init(&lim, 1);
			t.lim = &lim;
			t.messages = cJSON_CreateArray();
			code = snd_check(&t, stdout) ? EXIT_FAIL : 0;
			cJSON_Delete(t.messages);
			snd_limiter_destroy(&lim);
		}
		mao_aws_client_free(t.client);
		if (strcmp(cmd, "check") == 0)
			goto out;
	}
	{
		cJSON *doc = collect(&s, stderr);
		char *text = doc ? cJSON_Print(doc) : NULL;

		cJSON_Delete(doc);
		if (text == NULL) {
			code = fail(EXIT_FAIL, "out of memory");
			goto out;
		}
		if (strcmp(cmd, "collect") == 0)
			code = write_file(out, text);
		else {
			mao_buf sealed = MAO_BUF_INIT;
			char key[256];

			if (snd_seal(&s, text, strlen(text), &sealed, &err) != MAO_OK)
				code = fail(EXIT_FAIL, "seal: %s", err.msg);
			else if (snd_ship(&s, &sealed, key, sizeof(key), &err) != MAO_OK)
				code = fail(EXIT_FAIL, "upload to s3://%s: %s", s.bucket, err.msg);
			else
				fprintf(stderr, "uploaded s3://%s/%s (%zu bytes sealed, %zu bytes of JSON)\n",
						s.bucket, key, sealed.len, strlen(text));
			mao_buf_free(&sealed);
		}
		free(text);
	}
out:
	mao_aws_creds_free(&creds);
	mao_creds_provider_free(prov);
	mao_http_global_cleanup();
	return code;
}
