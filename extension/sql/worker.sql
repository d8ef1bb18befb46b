-- The background worker's SQL interface (extension only: needs the C library).

-- One row: is the worker running, what is it doing, when did it last poll,
-- what has it loaded or failed, and its last error.
CREATE FUNCTION mao_worker_status(
	OUT running boolean, OUT pid integer, OUT state text,
	OUT started_at timestamptz, OUT last_poll_start timestamptz, OUT last_poll_end timestamptz,
	OUT polls bigint, OUT objects_loaded bigint, OUT objects_failed bigint, OUT bytes_loaded bigint,
	OUT last_error text, OUT last_error_at timestamptz)
RETURNS record
LANGUAGE C STRICT VOLATILE
AS 'MODULE_PATHNAME', 'mao_worker_status';

CREATE VIEW mao_worker_status AS SELECT * FROM mao_worker_status();

-- Wakes the worker to poll now; false when no worker runs.
CREATE FUNCTION mao_wake()
RETURNS boolean
LANGUAGE C STRICT VOLATILE
AS 'MODULE_PATHNAME', 'mao_wake';

REVOKE ALL ON FUNCTION mao_wake() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mao_wake() TO mao_writer;
REVOKE ALL ON FUNCTION mao_worker_status() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mao_worker_status() TO mao_writer;
GRANT SELECT ON mao_worker_status TO mao_writer;
