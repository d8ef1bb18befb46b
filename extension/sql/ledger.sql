-- The ledger of S3 objects: what the receivers (the background worker and
-- mao-runner) have done with each object, so that every object is loaded
-- exactly once.  Both call the same functions below, from SPI or libpq.
--
-- The protocol per object (key, ETag):
--   1. mao_ledger_next(bucket, key, etag): 'load', 'loaded' or 'failed'
--      (only the move is left: a crash hit between commit and move), or
--      'wait' (a transient failure is backing off).
--   2. fetch and open the object outside any transaction;
--   3. one transaction: mao_load_object(...) loads the document and records
--      it as loaded; commit;
--   4. move the object; mao_ledger_moved(...).
-- A failure in 2 or 3 is recorded with mao_ledger_fail(...): transient ones
-- are retried with exponential backoff and never moved; permanent ones go to
-- failed/ with their reason, also written to the account's processing log.

CREATE TABLE mao_ledger (
	id bigserial PRIMARY KEY,
	bucket text NOT NULL,
	key text NOT NULL,
	etag text NOT NULL,
	size bigint,
	status text NOT NULL CHECK (status IN ('loaded', 'retry', 'failed')),
	attempts integer NOT NULL DEFAULT 0,
	last_error text,
	summary jsonb,
	moved_to text,
	next_attempt_at timestamptz,
	first_seen timestamptz NOT NULL DEFAULT now(),
	loaded_at timestamptz,
	updated_at timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT mao_ledger_key UNIQUE (bucket, key, etag)
);

COMMENT ON TABLE mao_ledger IS
	'One row per S3 object (bucket, key, ETag) a receiver has seen: loaded, waiting to retry, or failed';

-- What to do with an object: 'load'; 'loaded' or 'failed' (it was loaded,
-- or failed for good, but is still in its old place: only the move to
-- loaded/ or failed/ is left, as after a crash between commit and move);
-- or 'wait' (a transient failure is backing off).
CREATE FUNCTION mao_ledger_next(p_bucket text, p_key text, p_etag text)
RETURNS text
LANGUAGE sql STABLE
SET search_path = pg_catalog, @extschema@, pg_temp
AS $$
	SELECT coalesce((
		SELECT CASE
			WHEN l.status IN ('loaded', 'failed') THEN l.status
			WHEN l.status = 'retry' AND l.next_attempt_at > now() THEN 'wait'
			ELSE 'load'
		END
		  FROM mao_ledger l
		 WHERE l.bucket = p_bucket AND l.key = p_key AND l.etag = p_etag), 'load')
$$;

-- Loads an opened document: checks that it describes the account its
-- envelope's context names (p_context, NULL for gzip or plain JSON), loads
-- it with mao_load(), and returns the summary with the envelope's kind and
-- context.  Without a source, an envelope's context gives the canonical key
-- data/<account>/<region>/<date>_<interval>, which dates the processing log.
CREATE FUNCTION mao_ingest_document(p_doc jsonb, p_source text, p_kind text, p_context jsonb)
RETURNS jsonb
LANGUAGE plpgsql
SET search_path = pg_catalog, @extschema@, pg_temp
AS $$
DECLARE
	source text := p_source;
BEGIN
	IF p_context ? 'mao:account'
	   AND p_doc -> 'account' ->> 'account_id' IS DISTINCT FROM p_context ->> 'mao:account' THEN
		RAISE EXCEPTION 'invalid MAO document: account.account_id % does not match the envelope''s mao:account %',
			coalesce(p_doc -> 'account' ->> 'account_id', '(none)'), p_context ->> 'mao:account'
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'The envelope was sealed for another account than the document describes.';
	END IF;
	IF source IS NULL AND p_context ?& ARRAY['mao:account', 'mao:region', 'mao:date', 'mao:interval'] THEN
		source := format('data/%s/%s/%s_%s', p_context ->> 'mao:account', p_context ->> 'mao:region',
						 p_context ->> 'mao:date', p_context ->> 'mao:interval');
	END IF;
	RETURN mao_load(p_doc, source)
		|| jsonb_build_object('envelope', jsonb_build_object('kind', p_kind, 'context', p_context));
END
$$;

-- Loads one object's document and records it as loaded, in the caller's
-- transaction (all or nothing together).  Returns the load's summary.
CREATE FUNCTION mao_load_object(p_bucket text, p_key text, p_etag text, p_size bigint,
								p_doc jsonb, p_kind text, p_context jsonb)
RETURNS jsonb
LANGUAGE plpgsql
SET search_path = pg_catalog, @extschema@, pg_temp
AS $$
DECLARE
	summary jsonb := mao_ingest_document(p_doc, p_key, p_kind, p_context);
BEGIN
	INSERT INTO mao_ledger AS l (bucket, key, etag, size, status, attempts, summary, loaded_at, updated_at)
	VALUES (p_bucket, p_key, p_etag, p_size, 'loaded', 1, summary, now(), now())
	ON CONFLICT (bucket, key, etag) DO UPDATE
	   SET status = 'loaded', attempts = l.attempts + 1, summary = EXCLUDED.summary,
		   last_error = NULL, next_attempt_at = NULL, loaded_at = now(), updated_at = now();
	RETURN summary;
END
$$;

-- Records a failure.  Transient: status 'retry', retried after 1, 2, 4 ...
-- minutes (at most an hour).  Permanent: status 'failed', and the reason
-- goes to the processing log of the account the key names, when that
-- account is known.  Returns the new status.
CREATE FUNCTION mao_ledger_fail(p_bucket text, p_key text, p_etag text, p_size bigint,
								p_reason text, p_permanent boolean)
RETURNS text
LANGUAGE plpgsql
SET search_path = pg_catalog, @extschema@, pg_temp
AS $$
DECLARE
	status text := CASE WHEN p_permanent THEN 'failed' ELSE 'retry' END;
	parts text[] := regexp_match(p_key, '^[^/]+/(\d{12})/([^/]+)/');
	log_id integer;
BEGIN
	INSERT INTO mao_ledger AS l (bucket, key, etag, size, status, attempts, last_error, next_attempt_at)
	VALUES (p_bucket, p_key, p_etag, p_size, status, 1, p_reason,
			CASE WHEN NOT p_permanent THEN now() + interval '1 minute' END)
	ON CONFLICT (bucket, key, etag) DO UPDATE
	   SET status = EXCLUDED.status, attempts = l.attempts + 1, last_error = p_reason,
		   next_attempt_at = CASE WHEN NOT p_permanent
								  THEN now() + least(interval '1 hour', interval '1 minute' * power(2, l.attempts)) END,
		   updated_at = now();

	IF p_permanent AND parts IS NOT NULL THEN
		SELECT g.id INTO log_id
		  FROM logs g JOIN accounts a ON a.id = g.account_id
		 WHERE a.account_id = parts[1] AND a.region = parts[2]
		 ORDER BY g.date_created DESC
		 LIMIT 1;
		IF log_id IS NOT NULL THEN
			INSERT INTO log_messages (log_id, message, message_type)
			VALUES (log_id, format('%s: %s', p_key, p_reason), 'mao_receiver')
			ON CONFLICT DO NOTHING;
		END IF;
	END IF;
	RETURN status;
END
$$;

-- Records where an object was moved (loaded/... or failed/...).
CREATE FUNCTION mao_ledger_moved(p_bucket text, p_key text, p_etag text, p_moved_to text)
RETURNS void
LANGUAGE sql
SET search_path = pg_catalog, @extschema@, pg_temp
AS $$
	UPDATE mao_ledger
	   SET moved_to = p_moved_to, updated_at = now()
	 WHERE bucket = p_bucket AND key = p_key AND etag = p_etag
$$;

REVOKE ALL ON FUNCTION mao_ingest_document(jsonb, text, text, jsonb),
				   mao_load_object(text, text, text, bigint, jsonb, text, jsonb),
				   mao_ledger_fail(text, text, text, bigint, text, boolean),
				   mao_ledger_moved(text, text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mao_ingest_document(jsonb, text, text, jsonb),
					  mao_load_object(text, text, text, bigint, jsonb, text, jsonb),
					  mao_ledger_fail(text, text, text, bigint, text, boolean),
					  mao_ledger_moved(text, text, text, text) TO mao_writer;
GRANT SELECT, INSERT, UPDATE ON mao_ledger TO mao_writer;
GRANT USAGE ON SEQUENCE mao_ledger_id_seq TO mao_writer;
