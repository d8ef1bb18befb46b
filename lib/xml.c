/*
 * xml.c - minimal XML element scanning and text decoding (see xml.h).
 */
#include "xml.h"

#include <stdlib.h>
#include <string.h>

/* Finds needle[0..nlen) in [s, end); returns a pointer or NULL. */
static const char *
find_bytes(const char *s, const char *end, const char *needle, size_t nlen)
{
	while (s != NULL && (size_t) (end - s) >= nlen) {
		const char *p = memchr(s, needle[0], (size_t) (end - s) - nlen + 1);

		if (p == NULL)
			return NULL;
		if (memcmp(p, needle, nlen) == 0)
			return p;
		s = p + 1;
	}
	return NULL;
}

/* Finds the next element of this name from *pos (see xml.h). */
int
mao_xml_next(const char **pos, const char *end, const char *name,
			 const char **content, size_t *clen)
{
	size_t nl = strlen(name);
	const char *p = *pos;

	while (p < end) {
		const char *lt = memchr(p, '<', (size_t) (end - p)), *after, *gt;

		if (lt == NULL || (size_t) (end - lt) < nl + 2)
			return 0;
		after = lt + 1 + nl;
		if (memcmp(lt + 1, name, nl) != 0 ||
			!(*after == '>' || *after == '/' || *after == ' ' ||
			  *after == '\t' || *after == '\r' || *after == '\n')) {
			p = lt + 1;
			continue;
		}
		gt = memchr(after, '>', (size_t) (end - after));
		if (gt == NULL)
			return 0;
		if (gt[-1] == '/') {      /* <Name/> */
			*content = gt + 1;
			*clen = 0;
			*pos = gt + 1;
			return 1;
		}
		{
			char close[128];
			const char *ct;

			if (nl + 4 > sizeof(close))
				return 0;
			close[0] = '<';
			close[1] = '/';
			memcpy(close + 2, name, nl);
			close[nl + 2] = '>';
			ct = find_bytes(gt + 1, end, close, nl + 3);
			if (ct == NULL)
				return 0;
			*content = gt + 1;
			*clen = (size_t) (ct - (gt + 1));
			*pos = ct + nl + 3;
			return 1;
		}
	}
	return 0;
}

/* Finds the first element of this name in s[0..len). */
int
mao_xml_find(const char *s, size_t len, const char *name,
			 const char **content, size_t *clen)
{
	const char *p = s;

	return mao_xml_next(&p, s + len, name, content, clen);
}

/* Appends the UTF-8 encoding of code point cp. */
static void
append_utf8(mao_buf *out, unsigned long cp)
{
	char b[4];

	if (cp < 0x80) {
		b[0] = (char) cp;
		mao_buf_append(out, b, 1);
	} else if (cp < 0x800) {
		b[0] = (char) (0xC0 | (cp >> 6));
		b[1] = (char) (0x80 | (cp & 0x3F));
		mao_buf_append(out, b, 2);
	} else if (cp < 0x10000) {
		b[0] = (char) (0xE0 | (cp >> 12));
		b[1] = (char) (0x80 | ((cp >> 6) & 0x3F));
		b[2] = (char) (0x80 | (cp & 0x3F));
		mao_buf_append(out, b, 3);
	} else if (cp < 0x110000) {
		b[0] = (char) (0xF0 | (cp >> 18));
		b[1] = (char) (0x80 | ((cp >> 12) & 0x3F));
		b[2] = (char) (0x80 | ((cp >> 6) & 0x3F));
		b[3] = (char) (0x80 | (cp & 0x3F));
		mao_buf_append(out, b, 4);
	}
}

/* Decodes entities, character references and CDATA sections of s[0..len) into out. */
int
mao_xml_text(mao_buf *out, const char *s, size_t len)
{
	const char *p = s, *end = s + len;

	mao_buf_append(out, "", 0);
	while (p < end) {
		if (*p == '&') {
			const char *semi = memchr(p, ';', (size_t) (end - p));
			size_t n = semi ? (size_t) (semi - p - 1) : 0;

			if (semi == NULL || n == 0 || n > 10) {
				mao_buf_append_char(out, *p++);
				continue;
			}
			if (n == 3 && memcmp(p + 1, "amp", 3) == 0)
				mao_buf_append_char(out, '&');
			else if (n == 2 && memcmp(p + 1, "lt", 2) == 0)
				mao_buf_append_char(out, '<');
			else if (n == 2 && memcmp(p + 1, "gt", 2) == 0)
				mao_buf_append_char(out, '>');
			else if (n == 4 && memcmp(p + 1, "quot", 4) == 0)
				mao_buf_append_char(out, '"');
			else if (n == 4 && memcmp(p + 1, "apos", 4) == 0)
				mao_buf_append_char(out, '\'');
			else if (p[1] == '#') {
				char num[12];
				unsigned long cp;
				char *ep;

				memcpy(num, p + 2, n - 1);
				num[n - 1] = '\0';
				if (num[0] == 'x' || num[0] == 'X')
					cp = strtoul(num + 1, &ep, 16);
				else
					cp = strtoul(num, &ep, 10);
				if (*ep != '\0') {
					mao_buf_append_char(out, *p++);
					continue;
				}
				append_utf8(out, cp);
			} else {
				mao_buf_append_char(out, *p++);
				continue;
			}
			p = semi + 1;
		} else if ((size_t) (end - p) >= 9 && memcmp(p, "<![CDATA[", 9) == 0) {
			const char *ce = find_bytes(p + 9, end, "]]>", 3);

			if (ce == NULL)
				ce = end;
			mao_buf_append(out, p + 9, (size_t) (ce - p - 9));
			p = ce == end ? end : ce + 3;
		} else {
			mao_buf_append_char(out, *p++);
		}
	}
	return mao_buf_status(out);
}

/* Decoded text of the first element `name`, malloc'd, or NULL. */
char *
mao_xml_text_dup(const char *s, size_t len, const char *name)
{
	const char *c;
	size_t cl;
	mao_buf b = MAO_BUF_INIT;

	if (!mao_xml_find(s, len, name, &c, &cl))
		return NULL;
	if (mao_xml_text(&b, c, cl) != MAO_OK) {
		mao_buf_free(&b);
		return NULL;
	}
	return mao_buf_detach(&b);
}
