/* SPDX-License-Identifier: GPL-2.0 */
/*
 * json.h - a small strict JSON (RFC 8259) reader, enough for the OCI
 * container process state the agent receives.
 */
#ifndef SP_TOOL_JSON_H
#define SP_TOOL_JSON_H

#include <stdbool.h>
#include <stddef.h>

enum json_type {
	JSON_NULL,
	JSON_BOOL,
	JSON_NUMBER,
	JSON_STRING,
	JSON_ARRAY,
	JSON_OBJECT,
};

struct json {
	enum json_type type;
	char *key; /* member name, inside an object */
	char *str; /* JSON_STRING, UTF-8, NUL-terminated */
	double num; /* JSON_NUMBER */
	bool is_int; /* JSON_NUMBER without fraction or exponent */
	long long inum; /* ... its value, if it fits */
	bool boolean; /* JSON_BOOL */
	struct json *child; /* first element or member */
	struct json *next; /* next sibling */
};

/*
 * Parse @len bytes of @text as one JSON value (whitespace around it is
 * allowed, nothing else). NULL on error, with a static message in *@err.
 * Strings holding U+0000 are refused (they could not be C strings).
 */
struct json *json_parse(const char *text, size_t len, const char **err);
void json_free(struct json *j);

/* The member @key of object @obj, or NULL. */
const struct json *json_get(const struct json *obj, const char *key);

/* The string member @key of @obj, or NULL if missing or not a string. */
const char *json_get_str(const struct json *obj, const char *key);

#endif /* SP_TOOL_JSON_H */
