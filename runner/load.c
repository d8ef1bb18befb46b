/*
 * load.c - mao-runner load FILE...: local envelopes, gzip'd or plain JSON
 * documents, opened with lib/receiver (the worker's code) and loaded with
 * mao_ingest_document() over libpq, each in its own transaction.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "receiver.h"
#include "runner.h"

/* Reads a whole file into buf; prints the reason and returns -1 on failure. */
static int
read_file(const char *path, size_t max, mao_buf *buf)
{
	FILE *f = fopen(path, "rb");
	char chunk[65536];
	size_t n;

	if (!f) {
		fprintf(stderr, "mao-runner: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (buf->len + n > max) {
			fprintf(stderr, "mao-runner: %s: larger than %zu bytes\n", path, max);
			fclose(f);
			return -1;
		}
		if (mao_buf_append(buf, chunk, n) != MAO_OK) {
			fprintf(stderr, "mao-runner: %s: out of memory\n", path);
			fclose(f);
			return -1;
		}
	}
	if (ferror(f)) {
		fprintf(stderr, "mao-runner: %s: %s\n", path, strerror(errno));
		fclose(f);
		return -1;
	}
	fclose(f);
	return 0;
}

/* Loads one opened document; prints its summary line.  Returns 0 or 1. */
static int
load_document(PGconn *conn, const char *path, const mao_receiver_opened *opened)
{
	const char *params[4];
	PGresult *res;
	int status = 0;

	params[0] = mao_buf_cstr(&opened->document);
	params[1] = path;
	params[2] = opened->kind;
	params[3] = opened->context_json.len ? mao_buf_cstr(&opened->context_json) : NULL;
	res = PQexecParams(conn,
					   "SELECT s -> 'totals' ->> 'inserted', s -> 'totals' ->> 'updated', "
					   "s -> 'totals' ->> 'unchanged', s -> 'totals' ->> 'deleted', s ->> 'account' "
					   "FROM mao_ingest_document($1::jsonb, $2, $3, $4::jsonb) AS s",
					   4, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		fprintf(stderr, "mao-runner: %s: %s", path, PQresultErrorMessage(res));
		status = 1;
	} else {
		printf("%s: account %s (%s): %s inserted, %s updated, %s unchanged, %s deleted\n",
			   path, PQgetvalue(res, 0, 4), opened->kind, PQgetvalue(res, 0, 0),
			   PQgetvalue(res, 0, 1), PQgetvalue(res, 0, 2), PQgetvalue(res, 0, 3));
	}
	PQclear(res);
	return status;
}

/* Loads every file; the exit status is 1 if any of them failed. */
int
runner_load_files(const runner_options *o, int nfiles, char **files)
{
	mao_receiver *r = runner_receiver(o);
	mao_err err;
	PGconn *conn;
	int failures = 0;

	if (!r)
		return 2;
	conn = runner_connect(o);
	if (!conn) {
		mao_receiver_free(r);
		return 2;
	}
	for (int i = 0; i < nfiles; i++) {
		mao_buf data = MAO_BUF_INIT;
		mao_receiver_opened opened;

		memset(&opened, 0, sizeof(opened));
		if (read_file(files[i], 256u * 1024 * 1024, &data) != 0) {
			failures++;
		} else if (mao_receiver_open(r, data.data, data.len, NULL, &opened, &err) != MAO_OK) {
			fprintf(stderr, "mao-runner: %s: %s\n", files[i], err.msg);
			failures++;
		} else {
			failures += load_document(conn, files[i], &opened);
		}
		mao_receiver_opened_free(&opened);
		mao_buf_free(&data);
	}
	PQfinish(conn);
	mao_receiver_free(r);
	return failures ? 1 : 0;
}
