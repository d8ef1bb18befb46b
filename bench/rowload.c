/*
 * rowload: the reference receiver's way of writing rows, as a libpq client,
 * for the loader benchmark (baseline (d) of bench/loader).
 *
 *   rowload TABLE KEYCOLS COLS FILE [MAXROWS]
 *
 * FILE holds rows in PostgreSQL's COPY text format (tab-separated fields,
 * \N for NULL, backslash escapes), as written by COPY ... TO 'file'.
 * COLS names the file's fields in order, comma-separated; a field named "-"
 * is read and ignored (the exported id, which the reference never wrote: its
 * ids come from the serial default).  KEYCOLS names the columns, among COLS,
 * that identify a row (the natural key); a key column written "name?" is
 * compared as coalesce(name, '') = coalesce($n, ''), to match the coalesce()
 * in MAO's natural-key indexes, so that the lookup can use the index.
 *
 * For every row, as the reference receiver did through a per-statement API:
 *
 *   SELECT id FROM TABLE WHERE k1 = $1 AND k2 = $2 ...
 *   then  UPDATE TABLE SET c1 = $1, ... WHERE id = $n    if a row was found
 *   else  INSERT INTO TABLE (c1, ...) VALUES ($1, ...)
 *
 * each statement sent on its own with PQexecParams (unprepared, parameters
 * as text, their types inferred by the server), in autocommit mode: no
 * transaction around the rows, as in the reference.  At most MAXROWS rows
 * are processed (default: all).  The connection comes from the libpq
 * environment (PGHOST, PGPORT, PGUSER, PGDATABASE, ...).
 *
 * Prints one line:
 *   rowload: TABLE: N rows (I inserted, U updated) in S s, R rows/s
 * The time covers the statements only, not connecting or reading FILE
 * (which is read as it goes, but costs nothing next to the round trips).
 * Every result is checked; the first failure stops the run with exit 1.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libpq-fe.h>

static const char *progname = "rowload";

static void
die(const char *fmt, const char *a, const char *b)
{
	fprintf(stderr, "%s: ", progname);
	fprintf(stderr, fmt, a ? a : "", b ? b : "");
	fputc('\n', stderr);
	exit(1);
}

static void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		die("out of memory%s%s", NULL, NULL);
	return p;
}

static char *
xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = xmalloc(n);

	memcpy(p, s, n);
	return p;
}

/* A growable string. */
typedef struct
{
	char *data;
	size_t len;
	size_t cap;
} Buf;

static void
buf_add(Buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap)
	{
		size_t cap = b->cap ? b->cap : 256;
		char *p;

		while (b->len + n + 1 > cap)
			cap *= 2;
		p = realloc(b->data, cap);
		if (p == NULL)
			die("out of memory%s%s", NULL, NULL);
		b->data = p;
		b->cap = cap;
	}
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

static void
buf_str(Buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

static void
buf_int(Buf *b, int i)
{
	char tmp[32];

	snprintf(tmp, sizeof tmp, "%d", i);
	buf_str(b, tmp);
}

/* Splits a comma-separated list (a copy of it); returns the number of items. */
static int
split_list(const char *list, char ***items)
{
	char *s = xstrdup(list);
	int n = 1;
	int i = 0;
	char *p;

	for (p = s; *p; p++)
		if (*p == ',')
			n++;
	*items = xmalloc(sizeof(char *) * (size_t) n);
	(*items)[i++] = s;
	for (p = s; *p; p++)
		if (*p == ',')
		{
			*p = '\0';
			(*items)[i++] = p + 1;
		}
	for (i = 0; i < n; i++)
		if ((*items)[i][0] == '\0')
			die("empty name in list \"%s\"%s", list, NULL);
	return n;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Splits one line of COPY text format (without its newline) into fields, in
 * place, undoing the backslash escapes.  A field that is exactly \N becomes
 * NULL.  Returns the number of fields, or -1 when there are more than max.
 */
static int
split_copy_line(char *line, char **fields, int max)
{
	int n = 0;
	char *r = line;

	for (;;)
	{
		char *start = r;
		char *w = r;

		if (n == max)
			return -1;
		if (r[0] == '\\' && r[1] == 'N' && (r[2] == '\t' || r[2] == '\0'))
		{
			fields[n++] = NULL;
			r += 2;
			if (*r == '\0')
				return n;
			r++;
			continue;
		}
		while (*r != '\t' && *r != '\0')
		{
			if (*r != '\\' || r[1] == '\0')
			{
				*w++ = *r++;
				continue;
			}
			r++;
			switch (*r)
			{
				case 'b': *w++ = '\b'; r++; break;
				case 'f': *w++ = '\f'; r++; break;
				case 'n': *w++ = '\n'; r++; break;
				case 'r': *w++ = '\r'; r++; break;
				case 't': *w++ = '\t'; r++; break;
				case 'v': *w++ = '\v'; r++; break;
				case 'x':
					if (hexval(r[1]) >= 0)
					{
						int v = hexval(r[1]);

						r += 2;
						if (hexval(*r) >= 0)
							v = v * 16 + hexval(*r++);
						*w++ = (char) v;
					}
					else
						*w++ = *r++;
					break;
				default:
					if (*r >= '0' && *r <= '7')
					{
						int v = *r++ - '0';

						if (*r >= '0' && *r <= '7')
						{
							v = v * 8 + (*r++ - '0');
							if (*r >= '0' && *r <= '7')
								v = v * 8 + (*r++ - '0');
						}
						*w++ = (char) v;
					}
					else
						*w++ = *r++; /* \\ and any other character: itself */
					break;
			}
		}
		fields[n++] = start;
		if (*r == '\0')
		{
			*w = '\0';
			return n;
		}
		r++;
		*w = '\0';
	}
}

static double
now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

/* Runs one statement; dies with the server's message unless it succeeded. */
static PGresult *
run(PGconn *conn, const char *sql, int nparams, const char *const *params,
	ExecStatusType expect, const char *file, long lineno)
{
	PGresult *res = PQexecParams(conn, sql, nparams, NULL, params, NULL, NULL, 0);

	if (res == NULL || PQresultStatus(res) != expect)
	{
		fprintf(stderr, "%s: %s line %ld: %s  statement: %s\n", progname, file, lineno,
				res ? PQresultErrorMessage(res) : PQerrorMessage(conn), sql);
		exit(1);
	}
	return res;
}

int
main(int argc, char **argv)
{
	const char *table, *file;
	char **keys, **cols;
	int nkeys, ncols, nused = 0;
	int *colidx;		/* for each used column: its field in the file */
	int *keyidx;		/* for each key: its field in the file */
	int *keynullable;
	long maxrows = -1;
	Buf sel = {0}, ins = {0}, upd = {0};
	PGconn *conn;
	FILE *in;
	char *line = NULL;
	size_t linecap = 0;
	ssize_t linelen;
	char **fields;
	const char **params;
	long lineno = 0, rows = 0, inserted = 0, updated = 0;
	double t0, secs;
	int i, j;

	if (argc > 1 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0))
	{
		printf("usage: %s TABLE KEYCOLS COLS FILE [MAXROWS]\n"
			   "  per row of FILE (COPY text format): SELECT id by KEYCOLS, then UPDATE or INSERT;\n"
			   "  COLS names FILE's fields in order (\"-\" skips one), KEYCOLS the key among them\n"
			   "  (\"col?\" compares coalesce(col, '')); connection from PGHOST, PGPORT, ...\n",
			   progname);
		return 0;
	}
	if (argc != 5 && argc != 6)
	{
		fprintf(stderr, "usage: %s TABLE KEYCOLS COLS FILE [MAXROWS] (try --help)\n", progname);
		return 2;
	}
	table = argv[1];
	file = argv[4];
	if (argc == 6)
	{
		char *end;

		errno = 0;
		maxrows = strtol(argv[5], &end, 10);
		if (errno || *end || end == argv[5] || maxrows < 0)
			die("MAXROWS must be a non-negative integer, got \"%s\"%s", argv[5], NULL);
	}
	nkeys = split_list(argv[2], &keys);
	ncols = split_list(argv[3], &cols);

	keyidx = xmalloc(sizeof(int) * (size_t) nkeys);
	keynullable = xmalloc(sizeof(int) * (size_t) nkeys);
	colidx = xmalloc(sizeof(int) * (size_t) ncols);
	for (j = 0; j < ncols; j++)
		if (strcmp(cols[j], "-") != 0)
			colidx[nused++] = j;
	if (nused == 0)
		die("COLS names no column%s%s", NULL, NULL);
	for (i = 0; i < nkeys; i++)
	{
		size_t len = strlen(keys[i]);

		keynullable[i] = keys[i][len - 1] == '?';
		if (keynullable[i])
			keys[i][len - 1] = '\0';
		keyidx[i] = -1;
		for (j = 0; j < ncols; j++)
			if (strcmp(cols[j], keys[i]) == 0)
				keyidx[i] = j;
		if (keyidx[i] < 0)
			die("key column \"%s\" is not among COLS \"%s\"", keys[i], argv[3]);
	}

	in = fopen(file, "r");
	if (in == NULL)
	{
		fprintf(stderr, "%s: cannot open %s: %s\n", progname, file, strerror(errno));
		return 1;
	}

	conn = PQconnectdb("");
	if (PQstatus(conn) != CONNECTION_OK)
	{
		fprintf(stderr, "%s: cannot connect: %s", progname, PQerrorMessage(conn));
		return 1;
	}

	/* The three statements: columns quoted, TABLE as written (it may be schema-qualified). */
	buf_str(&sel, "SELECT id FROM ");
	buf_str(&sel, table);
	buf_str(&sel, " WHERE ");
	for (i = 0; i < nkeys; i++)
	{
		char *q = PQescapeIdentifier(conn, keys[i], strlen(keys[i]));

		if (q == NULL)
			die("cannot quote \"%s\": %s", keys[i], PQerrorMessage(conn));
		if (i > 0)
			buf_str(&sel, " AND ");
		if (keynullable[i])
		{
			buf_str(&sel, "coalesce(");
			buf_str(&sel, q);
			buf_str(&sel, ", '') = coalesce($");
			buf_int(&sel, i + 1);
			buf_str(&sel, ", '')");
		}
		else
		{
			buf_str(&sel, q);
			buf_str(&sel, " = $");
			buf_int(&sel, i + 1);
		}
		PQfreemem(q);
	}

	buf_str(&ins, "INSERT INTO ");
	buf_str(&ins, table);
	buf_str(&ins, " (");
	buf_str(&upd, "UPDATE ");
	buf_str(&upd, table);
	buf_str(&upd, " SET ");
	for (i = 0; i < nused; i++)
	{
		const char *c = cols[colidx[i]];
		char *q = PQescapeIdentifier(conn, c, strlen(c));

		if (q == NULL)
			die("cannot quote \"%s\": %s", c, PQerrorMessage(conn));
		if (i > 0)
		{
			buf_str(&ins, ", ");
			buf_str(&upd, ", ");
		}
		buf_str(&ins, q);
		buf_str(&upd, q);
		buf_str(&upd, " = $");
		buf_int(&upd, i + 1);
		PQfreemem(q);
	}
	buf_str(&ins, ") VALUES (");
	for (i = 0; i < nused; i++)
	{
		if (i > 0)
			buf_str(&ins, ", ");
		buf_str(&ins, "$");
		buf_int(&ins, i + 1);
	}
	buf_str(&ins, ")");
	buf_str(&upd, " WHERE id = $");
	buf_int(&upd, nused + 1);

	fields = xmalloc(sizeof(char *) * (size_t) (ncols + 1));
	params = xmalloc(sizeof(char *) * (size_t) (nused + 1));

	t0 = now_seconds();
	while ((maxrows < 0 || rows < maxrows) && (linelen = getline(&line, &linecap, in)) != -1)
	{
		PGresult *res;
		int nf;

		lineno++;
		if (linelen > 0 && line[linelen - 1] == '\n')
			line[--linelen] = '\0';
		if (strcmp(line, "\\.") == 0)
			break;
		nf = split_copy_line(line, fields, ncols);
		if (nf != ncols)
		{
			fprintf(stderr, "%s: %s line %ld: %s fields, COLS names %d\n", progname, file, lineno,
					nf < 0 ? "more" : "fewer", ncols);
			return 1;
		}

		for (i = 0; i < nkeys; i++)
			params[i] = fields[keyidx[i]];
		res = run(conn, sel.data, nkeys, params, PGRES_TUPLES_OK, file, lineno);
		if (PQntuples(res) > 1)
		{
			fprintf(stderr, "%s: %s line %ld: the key matches %d rows\n", progname, file, lineno,
					PQntuples(res));
			return 1;
		}
		for (i = 0; i < nused; i++)
			params[i] = fields[colidx[i]];
		if (PQntuples(res) == 1)
		{
			params[nused] = PQgetvalue(res, 0, 0);
			PQclear(run(conn, upd.data, nused + 1, params, PGRES_COMMAND_OK, file, lineno));
			updated++;
		}
		else
		{
			PQclear(run(conn, ins.data, nused, params, PGRES_COMMAND_OK, file, lineno));
			inserted++;
		}
		PQclear(res);
		rows++;
	}
	if (ferror(in))
	{
		fprintf(stderr, "%s: reading %s: %s\n", progname, file, strerror(errno));
		return 1;
	}
	secs = now_seconds() - t0;

	printf("rowload: %s: %ld rows (%ld inserted, %ld updated) in %.3f s, %.0f rows/s\n",
		   table, rows, inserted, updated, secs, secs > 0 ? (double) rows / secs : 0.0);

	free(line);
	fclose(in);
	PQfinish(conn);
	return 0;
}
