// SPDX-License-Identifier: GPL-2.0
/*
 * agent_msg.c - finding and checking the container process state.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "agent_msg.h"

#define AGENT_MAX_DEPTH 32

static bool is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

enum agent_scan_result agent_scan_feed(struct agent_scan *s, const char *buf,
				       size_t len, const char **why)
{
	size_t i;

	for (i = 0; i < len; i++, s->fed++) {
		char c = buf[i];

		if (s->done) {
			if (!is_ws(c))
				return *why = "bytes after the state", AGENT_SCAN_BAD;
			continue;
		}
		if (!s->started) {
			if (is_ws(c))
				continue;
			if (c != '{')
				return *why = "not a JSON object", AGENT_SCAN_BAD;
			s->started = true;
			s->depth = 1;
			continue;
		}
		if (s->in_string) {
			if (s->escape)
				s->escape = false;
			else if (c == '\\')
				s->escape = true;
			else if (c == '"')
				s->in_string = false;
			continue;
		}
		switch (c) {
		case '"':
			s->in_string = true;
			break;
		case '{':
		case '[':
			if (++s->depth > AGENT_MAX_DEPTH)
				return *why = "nested too deeply", AGENT_SCAN_BAD;
			break;
		case '}':
		case ']':
			if (--s->depth == 0) {
				s->done = true;
				s->end = s->fed + 1;
			}
			break;
		}
	}
	return s->done ? AGENT_SCAN_DONE : AGENT_SCAN_MORE;
}

/* A string member of @obj, or NULL. */
static const char *get_str(json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

int agent_msg_parse(const char *data, size_t len, int nfds,
		    struct agent_msg *m, const char **why)
{
	json_t *root, *fds, *pid, *state, *e;
	json_error_t jerr;
	const char *id, *md;
	int found = -1, ret = -1;
	size_t i;

	memset(m, 0, sizeof(*m));
	m->listener = -1;
	root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		snprintf(m->error, sizeof(m->error),
			 "malformed JSON at byte %d: %s", jerr.position,
			 jerr.text);
		*why = m->error;
		return -1;
	}
	if (!json_is_object(root)) {
		*why = "not a JSON object";
		goto out;
	}
	state = json_object_get(root, "state");
	id = get_str(state, "id");
	if (id)
		snprintf(m->id, sizeof(m->id), "%s", id);
	if (!get_str(root, "ociVersion")) {
		*why = "no ociVersion";
		goto out;
	}
	/* Only logged (decisions use each notification's own pid); crun
	 * exec sends none that is usable. */
	pid = json_object_get(root, "pid");
	if (pid && !json_is_integer(pid)) {
		*why = "pid is not an integer";
		goto out;
	}
	if (json_integer_value(pid) > 0 && json_integer_value(pid) <= 0x7fffffff)
		m->pid = json_integer_value(pid);
	if (!json_is_object(state)) {
		*why = "no state";
		goto out;
	}
	fds = json_object_get(root, "fds");
	if (!json_is_array(fds)) {
		*why = "no fds array";
		goto out;
	}
	json_array_foreach(fds, i, e) {
		if (!json_is_string(e)) {
			*why = "fds holds a non-string";
			goto out;
		}
		if (!strcmp(json_string_value(e), "seccompFd")) {
			if (found >= 0) {
				*why = "seccompFd named twice";
				goto out;
			}
			found = i;
		}
	}
	if (json_array_size(fds) != (size_t)nfds) {
		*why = "fds names a different number of descriptors than were sent";
		goto out;
	}
	if (found < 0) {
		*why = "no seccompFd in fds";
		goto out;
	}
	md = get_str(root, "metadata");
	if (md) {
		m->metadata = strdup(md);
		if (!m->metadata) {
			*why = "out of memory";
			goto out;
		}
	}
	m->listener = found;
	ret = 0;
out:
	json_decref(root);
	return ret;
}
