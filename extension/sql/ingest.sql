-- mao_ingest(): load an envelope, gzip'd JSON or plain JSON given by hand
-- (extension only: opening envelopes needs the C library).  The summary is
-- mao_load's, plus "envelope": {"kind": "esdk"|"gzip"|"json", "context": ...}.
CREATE FUNCTION mao_ingest(envelope bytea)
RETURNS jsonb
LANGUAGE C STRICT VOLATILE
AS 'MODULE_PATHNAME', 'mao_ingest';

COMMENT ON FUNCTION mao_ingest(bytea) IS
	'Opens an envelope (mao.keyring), gzip''d JSON or plain JSON, checks its context against the document and loads it';

REVOKE ALL ON FUNCTION mao_ingest(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mao_ingest(bytea) TO mao_writer;
