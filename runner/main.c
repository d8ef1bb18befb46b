/*
 * main.c - mao-runner's command line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "runner.h"

static const char usage[] =
	"usage: mao-runner [options] COMMAND [ARGS]\n"
	"\n"
	"The MAO receiver for databases that cannot load the extension (Aurora, RDS).\n"
	"\n"
	"commands:\n"
	"  install-schema     install the SQL-only tables, views, mao_load() and roles\n"
	"                     (schema public, one transaction); does nothing when this\n"
	"                     version is already installed\n"
	"  load FILE...       load local envelopes, gzip'd or plain JSON documents, each\n"
	"                     in its own transaction; prints a summary line per file\n"
	"  iam-token HOST PORT USER\n"
	"                     print an RDS IAM authentication token (what --iam-auth uses)\n"
	"  run                drain s3://BUCKET/PREFIX once, as the extension's worker\n"
	"                     does: same ledger, loaded/ and failed/ moves, retries\n"
	"\n"
	"options:\n"
	"  --dsn DSN          connection string or URI (default: libpq's environment,\n"
	"                     PGHOST, PGDATABASE, PGUSER, ...)\n"
	"  --secret-arn ARN   take user, password, host, port and dbname from this\n"
	"                     Secrets Manager secret (the RDS-managed JSON format)\n"
	"  --iam-auth         log in with an RDS IAM authentication token\n"
	"  --ca-bundle FILE   verify the server's certificate and name against FILE;\n"
	"                     over TCP, verify-full against the system's CA bundle is\n"
	"                     the default (set sslmode in the DSN or PGSSLMODE to change)\n"
	"  --keyring SPEC     aws-kms:ARN[,ARN...] or raw-aes:NAMESPACE:NAME:KEYFILE\n"
	"                     (default: $MAO_KEYRING)\n"
	"  --region REGION    AWS region (default: the credentials chain's)\n"
	"  --endpoint-url URL S3 endpoint for compatible servers and tests (and Secrets\n"
	"                     Manager's for --secret-arn; KMS: AWS_ENDPOINT_URL_KMS)\n"
	"  --bucket BUCKET    run: the bucket (default: $MAO_BUCKET)\n"
	"  --prefix PREFIX    run: where senders put objects (default: data/)\n"
	"  --verbose          say what is being done\n"
	"  --help             this text\n"
	"\n"
	"environment: MAO_DSN, MAO_BUCKET, MAO_KEYRING stand in for --dsn, --bucket,\n"
	"--keyring; libpq's PG* variables and the AWS SDK variables apply.  With\n"
	"AWS_LAMBDA_RUNTIME_API set and no command, mao-runner serves Lambda\n"
	"invocations (S3 notifications, and scheduled sweeps that drain the bucket).\n"
	"\n"
	"exit status: 0 success, 1 a file or statement failed, 2 usage or connection error\n";

int
main(int argc, char **argv)
{
	runner_options o;
	mao_err err;
	const char *bucket = getenv("MAO_BUCKET");
	const char *prefix = "data/";
	int i;

	memset(&o, 0, sizeof(o));
	for (i = 1; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
		const char *opt = argv[i];
		const char **target = NULL;

		if (strcmp(opt, "--help") == 0) {
			fputs(usage, stdout);
			return 0;
		}
		if (strcmp(opt, "--verbose") == 0) {
			o.verbose = 1;
			continue;
		}
		if (strcmp(opt, "--iam-auth") == 0) {
			o.iam_auth = 1;
			continue;
		}
		if (strcmp(opt, "--dsn") == 0)
			target = &o.dsn;
		else if (strcmp(opt, "--ca-bundle") == 0)
			target = &o.ca_bundle;
		else if (strcmp(opt, "--keyring") == 0)
			target = &o.keyring;
		else if (strcmp(opt, "--region") == 0)
			target = &o.region;
		else if (strcmp(opt, "--endpoint-url") == 0)
			target = &o.endpoint_url;
		else if (strcmp(opt, "--secret-arn") == 0)
			target = &o.secret_arn;
		else if (strcmp(opt, "--bucket") == 0)
			target = &bucket;
		else if (strcmp(opt, "--prefix") == 0)
			target = &prefix;
		if (!target) {
			fprintf(stderr, "mao-runner: unknown option %s (try --help)\n", opt);
			return 2;
		}
		if (i + 1 >= argc) {
			fprintf(stderr, "mao-runner: %s needs a value\n", opt);
			return 2;
		}
		*target = argv[++i];
	}
	if (!o.dsn)
		o.dsn = getenv("MAO_DSN");
	if (!o.keyring)
		o.keyring = getenv("MAO_KEYRING");
	if (!o.secret_arn)
		o.secret_arn = getenv("MAO_DB_SECRET_ARN");
	if (getenv("MAO_DB_IAM_AUTH") && strcmp(getenv("MAO_DB_IAM_AUTH"), "1") == 0)
		o.iam_auth = 1;
	if (mao_http_global_init(&err) != MAO_OK) {
		fprintf(stderr, "mao-runner: %s\n", err.msg);
		return 2;
	}
	/* Started by Lambda's bootstrap without a command: serve invocations. */
	if (i >= argc && getenv("AWS_LAMBDA_RUNTIME_API"))
		return runner_lambda(&o, prefix);
	if (i >= argc) {
		fputs(usage, stderr);
		return 2;
	}
	if (strcmp(argv[i], "install-schema") == 0 && i + 1 == argc)
		return runner_install_schema(&o);
	if (strcmp(argv[i], "load") == 0 && i + 1 < argc)
		return runner_load_files(&o, argc - i - 1, argv + i + 1);
	if (strcmp(argv[i], "iam-token") == 0 && i + 4 == argc) {
		char *token = runner_iam_token(&o, argv[i + 1], argv[i + 2], argv[i + 3]);
		if (!token)
			return 2;
		printf("%s\n", token);
		free(token);
		return 0;
	}
	if (strcmp(argv[i], "run") == 0 && i + 1 == argc) {
		if (!bucket || !*bucket) {
			fprintf(stderr, "mao-runner: run needs --bucket or MAO_BUCKET\n");
			return 2;
		}
		return runner_run(&o, bucket, prefix);
	}
	fprintf(stderr, "mao-runner: unknown command or missing arguments: %s (try --help)\n", argv[i]);
	return 2;
}
