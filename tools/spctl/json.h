/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small streaming JSON writer: it places the commas and escapes the
 * strings, the caller says what goes where.  Output is compact, on one
 * line, without the final newline.
 */

#ifndef SPCTL_JSON_H
#define SPCTL_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH	16

struct json_writer {
	FILE *f;
	unsigned int depth;
	bool after_key;			/* a value is due after "key": */
	bool not_first[JSON_MAX_DEPTH];	/* a comma before the next item */
};

void json_init(struct json_writer *jw, FILE *f);

void json_object_start(struct json_writer *jw);
void json_object_end(struct json_writer *jw);
void json_array_start(struct json_writer *jw);
void json_array_end(struct json_writer *jw);

/* Inside an object, every value comes after its key. */
void json_key(struct json_writer *jw, const char *key);

void json_string(struct json_writer *jw, const char *s);
void json_uint(struct json_writer *jw, uint64_t val);
void json_bool(struct json_writer *jw, bool val);
void json_null(struct json_writer *jw);

/* "key":value in one call. */
void json_string_field(struct json_writer *jw, const char *key,
		       const char *s);
void json_uint_field(struct json_writer *jw, const char *key, uint64_t val);
void json_bool_field(struct json_writer *jw, const char *key, bool val);

#endif /* SPCTL_JSON_H */
