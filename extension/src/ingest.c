/*
 * ingest.c
 *		mao_ingest(bytea): load an envelope, gzip'd JSON or plain JSON given
 *		by hand, and the pieces the background worker shares with it.
 *
 * Opening (detecting the format, decrypting, checking, decompressing) is
 * lib/receiver's, the same code mao-runner uses; loading is the SQL
 * function mao_ingest_document(), called through SPI.  lib/ allocates with
 * malloc, so its objects are released in PG_FINALLY blocks whatever
 * happens.
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "catalog/indexing.h"
#include "catalog/namespace.h"
#include "catalog/pg_extension.h"
#include "commands/extension.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

#include "guc.h"
#include "ingest.h"

PG_FUNCTION_INFO_V1(mao_ingest);

/* Fills receiver options from the mao.* settings (keyring, region, endpoint, size cap). */
void
mao_receiver_options_from_settings(mao_receiver_options *opts, const volatile sig_atomic_t *cancel)
{
	memset(opts, 0, sizeof(*opts));
	opts->region = mao_region;
	opts->endpoint_url = mao_endpoint_url;
	opts->keyring = mao_keyring;
	opts->max_object_size = (size_t) mao_max_object_size_kb * 1024;
	opts->cancel = cancel;
}

/*
 * Reports a lib/ failure at elevel with a SQLSTATE that says what kind of
 * failure it is: transient ones (network, timeouts, credentials) as
 * connection failures, oversize input as a program limit, everything else
 * (not an envelope or JSON, authentication, context) as invalid input.
 */
void
mao_report_receiver_error(int elevel, const mao_err *err, const char *what)
{
	int			sqlstate;

	switch (err->code)
	{
		case MAO_ERR_NETWORK:
		case MAO_ERR_TIMEOUT:
		case MAO_ERR_CREDENTIALS:
		case MAO_ERR_AWS:
			sqlstate = mao_receiver_is_transient(err->code)
				? ERRCODE_CONNECTION_FAILURE : ERRCODE_INVALID_PARAMETER_VALUE;
			break;
		case MAO_ERR_CANCELLED:
			sqlstate = ERRCODE_QUERY_CANCELED;
			break;
		case MAO_ERR_TOO_LARGE:
			sqlstate = ERRCODE_PROGRAM_LIMIT_EXCEEDED;
			break;
		case MAO_ERR_NOMEM:
			sqlstate = ERRCODE_OUT_OF_MEMORY;
			break;
		default:
			sqlstate = ERRCODE_INVALID_PARAMETER_VALUE;
			break;
	}
	ereport(elevel,
			(errcode(sqlstate),
			 errmsg("%s: %s", what, err->msg)));
}

/*
 * The opened document as jsonb: its bytes must be valid UTF-8; they are
 * converted to the database encoding and parsed by jsonb_in.
 */
Datum
mao_document_jsonb(const mao_buf *doc)
{
	const char *data = doc->data ? doc->data : "";
	int			len = (int) doc->len;
	char	   *text;

	if (doc->len > MaxAllocSize - 1)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("the document is too large (%zu bytes)", doc->len)));
	if (!pg_verify_mbstr(PG_UTF8, data, len, true))
		ereport(ERROR,
				(errcode(ERRCODE_CHARACTER_NOT_IN_REPERTOIRE),
				 errmsg("the document is not valid UTF-8")));
	text = pg_any_to_server(data, len, PG_UTF8);
	if (text == data)
		text = pnstrdup(data, len);
	return DirectFunctionCall1(jsonb_in, CStringGetDatum(text));
}

/* The envelope's context as jsonb; *isnull when it had none (gzip, JSON). */
Datum
mao_context_jsonb(const mao_receiver_opened *opened, bool *isnull)
{
	*isnull = opened->context_json.len == 0;
	if (*isnull)
		return (Datum) 0;
	return DirectFunctionCall1(jsonb_in,
							   CStringGetDatum(pnstrdup(opened->context_json.data,
														opened->context_json.len)));
}

/* The schema the extension was created in (PostgreSQL 15 does not export a lookup). */
static Oid
mao_extension_schema(void)
{
	Oid			ext = get_extension_oid("mao", false);
	Relation	rel = table_open(ExtensionRelationId, AccessShareLock);
	ScanKeyData key;
	SysScanDesc scan;
	HeapTuple	tuple;
	Oid			schema = InvalidOid;

	ScanKeyInit(&key, Anum_pg_extension_oid, BTEqualStrategyNumber, F_OIDEQ, ObjectIdGetDatum(ext));
	scan = systable_beginscan(rel, ExtensionOidIndexId, true, NULL, 1, &key);
	tuple = systable_getnext(scan);
	if (HeapTupleIsValid(tuple))
		schema = ((Form_pg_extension) GETSTRUCT(tuple))->extnamespace;
	systable_endscan(scan);
	table_close(rel, AccessShareLock);
	if (!OidIsValid(schema))
		elog(ERROR, "extension mao has no schema");
	return schema;
}

/* "schema.name" of one of the extension's functions, quoted for SQL. */
char *
mao_function_name(const char *name)
{
	return quote_qualified_identifier(get_namespace_name(mao_extension_schema()), name);
}

/*
 * mao_ingest(envelope bytea) returns jsonb: opens what it is given (an
 * envelope with the configured keyring, gzip'd JSON or plain JSON), checks
 * that the document is the envelope's account, loads it and returns the
 * loader's summary with the envelope's kind and context.
 */
Datum
mao_ingest(PG_FUNCTION_ARGS)
{
	bytea	   *input = PG_GETARG_BYTEA_PP(0);
	size_t		len = VARSIZE_ANY_EXHDR(input);
	size_t		cap = (size_t) mao_max_object_size_kb * 1024;
	mao_receiver *volatile receiver = NULL;
	mao_receiver_opened opened;
	Datum		result = (Datum) 0;

	if (len > cap)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("the input is %zu bytes, more than mao.max_object_size (%d kB)",
						len, mao_max_object_size_kb)));

	memset(&opened, 0, sizeof(opened));
	PG_TRY();
	{
		mao_err		err;
		Datum		args[4];
		char		nulls[4] = {' ', 'n', ' ', ' '};
		Oid			types[4] = {JSONBOID, TEXTOID, TEXTOID, JSONBOID};
		bool		ctx_null;
		char	   *sql;
		bool		isnull;

		mao_receiver_options opts;
		mao_receiver *r = NULL;

		mao_receiver_options_from_settings(&opts, &QueryCancelPending);
		if (mao_receiver_new(&opts, &r, &err) != MAO_OK)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid MAO receiver settings: %s", err.msg),
					 errhint("Check mao.keyring (aws-kms:ARN[,ARN...] or raw-aes:NAMESPACE:NAME:KEYFILE).")));
		receiver = r;
		if (mao_receiver_open(receiver, VARDATA_ANY(input), len, NULL, &opened, &err) != MAO_OK)
			mao_report_receiver_error(ERROR, &err, "could not open the input");
		CHECK_FOR_INTERRUPTS();

		args[0] = mao_document_jsonb(&opened.document);
		args[1] = (Datum) 0;
		args[2] = CStringGetTextDatum(opened.kind);
		args[3] = mao_context_jsonb(&opened, &ctx_null);
		if (ctx_null)
			nulls[3] = 'n';

		sql = psprintf("SELECT %s($1, $2, $3, $4)", mao_function_name("mao_ingest_document"));
		SPI_connect();
		if (SPI_execute_with_args(sql, 4, types, args, nulls, false, 1) != SPI_OK_SELECT || SPI_processed != 1)
			elog(ERROR, "mao_ingest_document did not return a row");
		/* Copied out of SPI's memory before SPI_finish releases it. */
		result = SPI_datumTransfer(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull),
								   false, -1);
		SPI_finish();
	}
	PG_FINALLY();
	{
		mao_receiver_opened_free(&opened);
		mao_receiver_free(receiver);
	}
	PG_END_TRY();

	PG_RETURN_DATUM(result);
}
