-- Loader, part 1: reading JSON values with their types checked.
--
-- Every value the loader takes from a document goes through one of the
-- mao_j* functions below.  They are SQL functions so that the planner inlines
-- them into the set-based statements (no per-row function call); only when
-- a value has the wrong JSON type do they call mao_fail(), which raises an
-- error naming the exact place in the document, e.g.
--   security.security_hub[0].findings[3].severity_counts: expected object, got array
--
-- Conventions: o is the JSON object holding the field, k the field name, p
-- the path of o in the document (used only in error messages).  A missing
-- field and a JSON null both read as SQL NULL; what NULL then becomes is
-- decided by mao_upsert() (the column default, where there is one).

-- Raises the loader's error for a value of the wrong type or shape; it never
-- returns.  STABLE, not IMMUTABLE: the planner pre-evaluates immutable calls
-- with constant arguments even inside a CASE branch that is never taken.
-- The mao_j* readers are STABLE for the same reason (and stay inlinable).
CREATE FUNCTION mao_fail(p text, k text, expected text, got jsonb)
RETURNS text
LANGUAGE plpgsql STABLE PARALLEL SAFE
AS $$
DECLARE
	place text := CASE WHEN k IS NULL THEN p WHEN p IS NULL OR p = '' THEN k ELSE p || '.' || k END;
	shown text := left(got::text, 80);
BEGIN
	IF got IS NULL OR jsonb_typeof(got) = 'null' THEN
		RAISE EXCEPTION 'invalid MAO document: %: % is required', place, expected
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'The field is missing or null; it identifies the row, so it cannot be left out.';
	END IF;
	RAISE EXCEPTION 'invalid MAO document: %: expected %, got %', place, expected, jsonb_typeof(got)
		USING ERRCODE = 'invalid_parameter_value',
			  DETAIL = format('The value is %s%s.', shown, CASE WHEN length(got::text) > 80 THEN '...' END);
END
$$;

-- Readers come in two forms.  mao_v*(x, o, k, p) take the field's text x
-- already read out of the object (the loader reads all of an element's text
-- fields in one pass with jsonb_to_record) and look at o.k itself only to
-- tell a string from an object or a number when something is wrong;
-- mao_j*(o, k, p) read the field themselves, for one-off objects.

-- A string field.  Numbers and booleans are accepted and read as their JSON
-- text (SSM inventory, for one, is all strings and senders differ); objects
-- and arrays are an error.  Their text starts with { or [, so only then is
-- the JSON type looked at.
CREATE FUNCTION mao_vtext(x text, o jsonb, k text, p text)
RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
	SELECT CASE
		WHEN left(x, 1) IN ('{', '[') AND jsonb_typeof(o -> k) IN ('object', 'array')
			THEN mao_fail(p, k, 'string', o -> k)
		ELSE x
	END
$$;

CREATE FUNCTION mao_jtext(o jsonb, k text, p text)
RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT mao_vtext(o ->> k, o, k, p) $$;

-- A string field that identifies the row: missing, null or empty is an error.
CREATE FUNCTION mao_vkey(x text, o jsonb, k text, p text)
RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
	SELECT CASE
		WHEN x IS NULL OR x = '' THEN mao_fail(p, k, 'non-empty string', NULL)
		WHEN left(x, 1) IN ('{', '[') AND jsonb_typeof(o -> k) IN ('object', 'array')
			THEN mao_fail(p, k, 'string', o -> k)
		ELSE x
	END
$$;

CREATE FUNCTION mao_jkey(o jsonb, k text, p text)
RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT mao_vkey(o ->> k, o, k, p) $$;

-- A number field, read exactly (numeric).
CREATE FUNCTION mao_jnum(o jsonb, k text, p text)
RETURNS numeric
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
	SELECT CASE jsonb_typeof(o -> k)
		WHEN 'number' THEN (o -> k)::numeric
		WHEN 'null' THEN NULL
		WHEN 'string' THEN mao_fail(p, k, 'number', o -> k)::numeric
		WHEN 'boolean' THEN mao_fail(p, k, 'number', o -> k)::numeric
		WHEN 'object' THEN mao_fail(p, k, 'number', o -> k)::numeric
		WHEN 'array' THEN mao_fail(p, k, 'number', o -> k)::numeric
	END
$$;

-- An integer field: a JSON number with no fractional part that fits int4.
CREATE FUNCTION mao_jint(o jsonb, k text, p text)
RETURNS integer
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
	SELECT CASE
		WHEN jsonb_typeof(o -> k) = 'number'
			 AND (o -> k)::numeric = trunc((o -> k)::numeric)
			 AND abs((o -> k)::numeric) <= 2147483647
			THEN (o -> k)::numeric::integer
		WHEN o -> k IS NULL OR jsonb_typeof(o -> k) = 'null' THEN NULL
		ELSE mao_fail(p, k, 'integer', o -> k)::integer
	END
$$;

-- A boolean field.
CREATE FUNCTION mao_jbool(o jsonb, k text, p text)
RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
	SELECT CASE jsonb_typeof(o -> k)
		WHEN 'boolean' THEN (o -> k)::boolean
		WHEN 'null' THEN NULL
		WHEN 'string' THEN mao_fail(p, k, 'boolean', o -> k)::boolean
		WHEN 'number' THEN mao_fail(p, k, 'boolean', o -> k)::boolean
		WHEN 'object' THEN mao_fail(p, k, 'boolean', o -> k)::boolean
		WHEN 'array' THEN mao_fail(p, k, 'boolean', o -> k)::boolean
	END
$$;

-- True when s is an ISO-8601 date or date-time of a real moment, in the
-- forms senders write: Python isoformat() (+00:00), AWS API strings (Z,
-- +0000, fractions).  Month, day (30 February is not a day), hour, minute,
-- second and UTC offset are range-checked here, so that the cast that
-- follows can never fail and every bad value gets the loader's own error
-- naming its place in the document.
CREATE FUNCTION mao_is_timestamp(s text)
RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
	SELECT CASE
		WHEN s !~ '^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])([T ]([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?)?(Z|[+-](0\d|1[0-5])(:?[0-5]\d)?)?$'
			THEN false
		WHEN substr(s, 1, 4) = '0000' THEN false
		ELSE substr(s, 9, 2)::integer <= CASE
			WHEN substr(s, 6, 2) IN ('04', '06', '09', '11') THEN 30
			WHEN substr(s, 6, 2) <> '02' THEN 31
			WHEN substr(s, 1, 4)::integer % 4 = 0
				 AND (substr(s, 1, 4)::integer % 100 <> 0 OR substr(s, 1, 4)::integer % 400 = 0) THEN 29
			ELSE 28
		END
	END
$$;

-- A date-time field.  Values without a UTC offset are read as UTC (mao_load
-- runs with TimeZone = UTC).  Anything that is not an ISO-8601 string is an
-- error.
CREATE FUNCTION mao_vts(x text, o jsonb, k text, p text)
RETURNS timestamptz
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
	SELECT CASE
		WHEN mao_is_timestamp(x) THEN x::timestamptz
		WHEN x IS NULL THEN NULL
		WHEN jsonb_typeof(o -> k) = 'string' THEN mao_fail(p, k, 'ISO-8601 date-time', o -> k)::timestamptz
		ELSE mao_fail(p, k, 'date-time string', o -> k)::timestamptz
	END
$$;

CREATE FUNCTION mao_jts(o jsonb, k text, p text)
RETURNS timestamptz
LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT mao_vts(o ->> k, o, k, p) $$;

-- A free-form date-time (SSM's application install time can be "" or a
-- locale-specific string): read when it is ISO-8601, NULL otherwise.
CREATE FUNCTION mao_vts_loose(x text, o jsonb, k text, p text)
RETURNS timestamptz
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
	SELECT CASE
		WHEN mao_is_timestamp(x) THEN x::timestamptz
		WHEN left(x, 1) IN ('{', '[') AND jsonb_typeof(o -> k) IN ('object', 'array')
			THEN mao_fail(p, k, 'string', o -> k)::timestamptz
	END
$$;

CREATE FUNCTION mao_jts_loose(o jsonb, k text, p text)
RETURNS timestamptz
LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT mao_vts_loose(o ->> k, o, k, p) $$;

-- A date field: YYYY-MM-DD, or a date-time of which the date part is taken.
CREATE FUNCTION mao_vdate(x text, o jsonb, k text, p text)
RETURNS date
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
	SELECT CASE
		WHEN mao_is_timestamp(x) THEN left(x, 10)::date
		WHEN x IS NULL THEN NULL
		WHEN jsonb_typeof(o -> k) = 'string' THEN mao_fail(p, k, 'date (YYYY-MM-DD)', o -> k)::date
		ELSE mao_fail(p, k, 'date string', o -> k)::date
	END
$$;

CREATE FUNCTION mao_jdate(o jsonb, k text, p text)
RETURNS date
LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT mao_vdate(o ->> k, o, k, p) $$;

-- A JSON object or array kept as JSON (jsonb columns), or, with mao_jjson_text,
-- as its JSON text (text columns the reference fills with JSON, such as a WAF
-- rule's action, which dashboards search by text).
CREATE FUNCTION mao_jjson(o jsonb, k text, p text)
RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
	SELECT CASE jsonb_typeof(o -> k)
		WHEN 'object' THEN o -> k
		WHEN 'array' THEN o -> k
		WHEN 'null' THEN NULL
		WHEN 'string' THEN mao_fail(p, k, 'object or array', o -> k)::jsonb
		WHEN 'number' THEN mao_fail(p, k, 'object or array', o -> k)::jsonb
		WHEN 'boolean' THEN mao_fail(p, k, 'object or array', o -> k)::jsonb
	END
$$;

CREATE FUNCTION mao_jjson_text(o jsonb, k text, p text)
RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
	SELECT mao_jjson(o, k, p)::text
$$;

-- The object o with field k made null when it is the empty string: the
-- reference's senders write "" for some unknown numbers, which it stores as
-- NULL.
CREATE FUNCTION mao_blank_to_null(o jsonb, k text)
RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
	SELECT CASE WHEN o ->> k = '' THEN jsonb_set(o, ARRAY[k], 'null') ELSE o END
$$;

-- A section or sub-section that holds an object.  The reference sender
-- writes [] when the collector failed, so an empty array (like a missing
-- field or null) reads as NULL: nothing to load.
--
-- The type is tested with containment (o @> {k: {}} holds exactly when o.k
-- is an object) because o -> k copies the value, and sections are large.
CREATE FUNCTION mao_jobject(o jsonb, k text, p text)
RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
	SELECT CASE
		WHEN o @> jsonb_build_object(k, '{}'::jsonb) THEN o -> k
		WHEN o -> k IS NULL OR o -> k IN ('null', '[]') THEN NULL
		ELSE mao_fail(p, k, 'object', o -> k)::jsonb
	END
$$;

-- A section or sub-section that holds an array; missing or null reads as []
-- (tested like mao_jobject: o @> {k: []} holds exactly when o.k is an array).
CREATE FUNCTION mao_jarray(o jsonb, k text, p text)
RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
	SELECT CASE
		WHEN o @> jsonb_build_object(k, '[]'::jsonb) THEN o -> k
		WHEN o -> k IS NULL OR jsonb_typeof(o -> k) = 'null' THEN '[]'::jsonb
		ELSE mao_fail(p, k, 'array', o -> k)::jsonb
	END
$$;

-- The elements of an array (already checked with mao_jarray), each of which
-- must be an object, with its 1-based position and its path for error
-- messages ("service[4]", base being "service").
--
-- Deliberately not inlinable (the SET clause sees to that): inlined, it
-- would hand its callers the CASE expression below instead of a plain
-- column, and the planner refuses to inline the mao_j* readers over an
-- argument that costly (they reference it several times), turning every
-- field read into a function call.  And a SQL function, not PL/pgSQL:
-- PL/pgSQL plans its query with the arguments as constants, copying a large
-- array around the planner at every call; a SQL function's plan keeps them
-- as parameters.
CREATE FUNCTION mao_jelements(arr jsonb, base text)
RETURNS TABLE (v jsonb, ord bigint, path text)
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path FROM CURRENT
AS $$
	SELECT CASE WHEN jsonb_typeof(e.v) = 'object' THEN e.v
				ELSE mao_fail(base || '[' || (e.ord - 1) || ']', NULL, 'object', e.v)::jsonb
		   END,
		   e.ord,
		   base || '[' || (e.ord - 1) || ']'
	  FROM jsonb_array_elements(arr) WITH ORDINALITY AS e(v, ord)
$$;
