// SPDX-License-Identifier: GPL-2.0
/*
 * A small streaming JSON writer.
 */

#include <inttypes.h>
#include <stdlib.h>

#include "json.h"

void json_init(struct json_writer *jw, FILE *f)
{
	jw->f = f;
	jw->depth = 0;
	jw->after_key = false;
}

/* Whatever must come before a value or a key: a comma, or nothing. */
static void json_sep(struct json_writer *jw)
{
	bool *not_first;

	if (jw->after_key) {
		jw->after_key = false;
		return;
	}
	if (!jw->depth)
		return;
	not_first = &jw->not_first[jw->depth - 1];
	if (*not_first)
		fputc(',', jw->f);
	*not_first = true;
}

static void json_open(struct json_writer *jw, char c)
{
	json_sep(jw);
	if (jw->depth == JSON_MAX_DEPTH)
		abort();
	jw->not_first[jw->depth++] = false;
	fputc(c, jw->f);
}

static void json_close(struct json_writer *jw, char c)
{
	if (!jw->depth)
		abort();
	jw->depth--;
	fputc(c, jw->f);
}

void json_object_start(struct json_writer *jw)
{
	json_open(jw, '{');
}

void json_object_end(struct json_writer *jw)
{
	json_close(jw, '}');
}

void json_array_start(struct json_writer *jw)
{
	json_open(jw, '[');
}

void json_array_end(struct json_writer *jw)
{
	json_close(jw, ']');
}

static bool utf8_cont(unsigned char c)
{
	return (c & 0xc0) == 0x80;
}

/* The length of the well-formed UTF-8 sequence at s, 0 if there is none. */
static size_t utf8_len(const unsigned char *s)
{
	unsigned char lo = 0x80, hi = 0xbf;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		return utf8_cont(s[1]) ? 2 : 0;
	if (s[0] >= 0xe0 && s[0] <= 0xef) {
		if (s[0] == 0xe0)
			lo = 0xa0;	/* overlong */
		else if (s[0] == 0xed)
			hi = 0x9f;	/* surrogates */
		return s[1] >= lo && s[1] <= hi && utf8_cont(s[2]) ? 3 : 0;
	}
	if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		if (s[0] == 0xf0)
			lo = 0x90;	/* overlong */
		else if (s[0] == 0xf4)
			hi = 0x8f;	/* beyond U+10FFFF */
		return s[1] >= lo && s[1] <= hi && utf8_cont(s[2]) &&
		       utf8_cont(s[3]) ? 4 : 0;
	}
	return 0;
}

/* A quoted string; bytes that are not UTF-8 become U+FFFD. */
static void json_quote(FILE *f, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	fputc('"', f);
	while (*s) {
		size_t len = utf8_len(s);

		if (!len) {
			fputs("\\ufffd", f);
			s++;
			continue;
		}
		if (len > 1) {
			fwrite(s, 1, len, f);
			s += len;
			continue;
		}
		switch (*s) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\b':
			fputs("\\b", f);
			break;
		case '\f':
			fputs("\\f", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		default:
			if (*s < 0x20 || *s == 0x7f)
				fprintf(f, "\\u%04x", *s);
			else
				fputc(*s, f);
		}
		s++;
	}
	fputc('"', f);
}

void json_key(struct json_writer *jw, const char *key)
{
	json_sep(jw);
	json_quote(jw->f, key);
	fputc(':', jw->f);
	jw->after_key = true;
}

void json_string(struct json_writer *jw, const char *s)
{
	json_sep(jw);
	json_quote(jw->f, s);
}

void json_uint(struct json_writer *jw, uint64_t val)
{
	json_sep(jw);
	fprintf(jw->f, "%" PRIu64, val);
}

void json_bool(struct json_writer *jw, bool val)
{
	json_sep(jw);
	fputs(val ? "true" : "false", jw->f);
}

void json_null(struct json_writer *jw)
{
	json_sep(jw);
	fputs("null", jw->f);
}

void json_string_field(struct json_writer *jw, const char *key,
		       const char *s)
{
	json_key(jw, key);
	json_string(jw, s);
}

void json_uint_field(struct json_writer *jw, const char *key, uint64_t val)
{
	json_key(jw, key);
	json_uint(jw, val);
}

void json_bool_field(struct json_writer *jw, const char *key, bool val)
{
	json_key(jw, key);
	json_bool(jw, val);
}
