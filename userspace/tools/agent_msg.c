// SPDX-License-Identifier: GPL-2.0
/*
 * agent_msg.c - finding and checking the container process state.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent_msg.h"
#include "json.h"

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

int agent_msg_parse(const char *data, size_t len, int nfds,
		    struct agent_msg *m, const char **why)
{
	const struct json *fds, *pid, *state, *e;
	struct json *root;
	const char *id, *md;
	int i, found = -1, ret = -1;

	memset(m, 0, sizeof(*m));
	m->listener = -1;
	root = json_parse(data, len, why);
	if (!root)
		return -1;
	if (root->type != JSON_OBJECT) {
		*why = "not a JSON object";
		goto out;
	}
	state = json_get(root, "state");
	if (state && state->type == JSON_OBJECT) {
		id = json_get_str(state, "id");
		if (id)
			snprintf(m->id, sizeof(m->id), "%s", id);
	}
	if (!json_get_str(root, "ociVersion")) {
		*why = "no ociVersion";
		goto out;
	}
	pid = json_get(root, "pid");
	if (!pid || pid->type != JSON_NUMBER || !pid->is_int || pid->inum <= 0 ||
	    pid->inum > 0x7fffffff) {
		*why = "no pid";
		goto out;
	}
	m->pid = pid->inum;
	if (!state || state->type != JSON_OBJECT) {
		*why = "no state";
		goto out;
	}
	fds = json_get(root, "fds");
	if (!fds || fds->type != JSON_ARRAY) {
		*why = "no fds array";
		goto out;
	}
	for (e = fds->child, i = 0; e; e = e->next, i++) {
		if (e->type != JSON_STRING) {
			*why = "fds holds a non-string";
			goto out;
		}
		if (!strcmp(e->str, "seccompFd")) {
			if (found >= 0) {
				*why = "seccompFd named twice";
				goto out;
			}
			found = i;
		}
	}
	if (i != nfds) {
		*why = "fds names a different number of descriptors than were sent";
		goto out;
	}
	if (found < 0) {
		*why = "no seccompFd in fds";
		goto out;
	}
	md = json_get_str(root, "metadata");
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
	json_free(root);
	return ret;
}
