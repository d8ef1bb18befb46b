/*
 * xmltree.c - see xmltree.h.  A recursive-descent reader: prolog,
 * comments and processing instructions skipped, attributes ignored,
 * self-closing elements allowed, depth limited.
 */
#include "xmltree.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "xml.h"

#define XML_MAX_DEPTH 64

typedef struct xml_reader {
	const char *p;
	const char *end;
} xml_reader;

/* Skips "<?...?>", "<!--...-->" and "<!...>" at r->p; returns 1 if it skipped one. */
static int
skip_misc(xml_reader *r)
{
	const char *e;

	if (r->end - r->p >= 4 && memcmp(r->p, "<!--", 4) == 0) {
		for (e = r->p + 4; e + 3 <= r->end; e++)
			if (memcmp(e, "-->", 3) == 0) {
				r->p = e + 3;
				return 1;
			}
		r->p = r->end;
		return 1;
	}
	if (r->end - r->p >= 2 && r->p[0] == '<' && (r->p[1] == '?' || r->p[1] == '!')) {
		e = memchr(r->p, '>', (size_t) (r->end - r->p));
		r->p = e ? e + 1 : r->end;
		return 1;
	}
	return 0;
}

/* Parses the element starting at r->p ('<'); NULL on error. */
static snd_xml *
parse_element(xml_reader *r, int depth)
{
	snd_xml *x, **tail;
	const char *n;
	size_t nlen;
	mao_buf text = MAO_BUF_INIT;

	if (depth > XML_MAX_DEPTH || r->p >= r->end || *r->p != '<')
		return NULL;
	n = ++r->p;
	while (r->p < r->end && !strchr(" \t\r\n/>", *r->p))
		r->p++;
	nlen = (size_t) (r->p - n);
	if (nlen == 0)
		return NULL;
	x = calloc(1, sizeof(*x));
	if (x == NULL)
		return NULL;
	x->name = malloc(nlen + 1);
	if (x->name == NULL)
		goto fail;
	memcpy(x->name, n, nlen);
	x->name[nlen] = '\0';
	/* attributes: skip to '>' (quoted values may hold '>') */
	while (r->p < r->end && *r->p != '>') {
		if (*r->p == '"' || *r->p == '\'') {
			char q = *r->p++;
			while (r->p < r->end && *r->p != q)
				r->p++;
		}
		if (r->p < r->end)
			r->p++;
	}
	if (r->p >= r->end)
		goto fail;
	if (r->p[-1] == '/') {
		r->p++;
		x->text = strdup("");
		return x->text ? x : (snd_xml_free(x), NULL);
	}
	r->p++;
	tail = &x->child;
	for (;;) {
		const char *lt = memchr(r->p, '<', (size_t) (r->end - r->p));

		if (lt == NULL)
			goto fail;
		if (x->child == NULL && mao_xml_text(&text, r->p, (size_t) (lt - r->p)) != MAO_OK)
			goto fail;
		r->p = lt;
		if (r->end - r->p >= 9 && memcmp(r->p, "<![CDATA[", 9) == 0) {
			const char *e = r->p + 9;
			while (e + 3 <= r->end && memcmp(e, "]]>", 3) != 0)
				e++;
			if (e + 3 > r->end)
				goto fail;
			mao_buf_append(&text, r->p + 9, (size_t) (e - r->p - 9));
			r->p = e + 3;
			continue;
		}
		if (skip_misc(r))
			continue;
		if (r->end - r->p >= 2 && r->p[1] == '/') {
			const char *gt = memchr(r->p, '>', (size_t) (r->end - r->p));
			if (gt == NULL || (size_t) (gt - r->p - 2) < nlen || memcmp(r->p + 2, x->name, nlen) != 0)
				goto fail;
			r->p = gt + 1;
			break;
		}
		*tail = parse_element(r, depth + 1);
		if (*tail == NULL)
			goto fail;
		tail = &(*tail)->next;
	}
	if (x->child != NULL)
		mao_buf_reset(&text);
	x->text = mao_buf_detach(&text);
	if (x->text == NULL)
		goto fail_text;
	return x;
fail:
	mao_buf_free(&text);
fail_text:
	snd_xml_free(x);
	return NULL;
}

/* See xmltree.h. */
snd_xml *
snd_xml_parse(const char *s, size_t len)
{
	xml_reader r = {s, s + len};

	for (;;) {
		while (r.p < r.end && strchr(" \t\r\n", *r.p))
			r.p++;
		if (!skip_misc(&r))
			break;
	}
	return parse_element(&r, 0);
}

/* See xmltree.h. */
void
snd_xml_free(snd_xml *x)
{
	while (x != NULL) {
		snd_xml *next = x->next;

		snd_xml_free(x->child);
		free(x->name);
		free(x->text);
		free(x);
		x = next;
	}
}

/* See xmltree.h. */
const snd_xml *
snd_xml_child(const snd_xml *x, const char *name)
{
	const snd_xml *c;

	for (c = x ? x->child : NULL; c != NULL; c = c->next)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

/* See xmltree.h. */
const snd_xml *
snd_xml_path(const snd_xml *x, const char *path)
{
	char part[128];

	while (x != NULL && *path) {
		const char *slash = strchr(path, '/');
		size_t n = slash ? (size_t) (slash - path) : strlen(path);

		if (n >= sizeof(part))
			return NULL;
		memcpy(part, path, n);
		part[n] = '\0';
		x = snd_xml_child(x, part);
		path += n + (slash != NULL);
	}
	return x;
}

/* See xmltree.h. */
const char *
snd_xml_get(const snd_xml *x, const char *path)
{
	const snd_xml *c = snd_xml_path(x, path);

	return c ? c->text : NULL;
}
