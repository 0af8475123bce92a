/* SPDX-License-Identifier: GPL-2.0 */
/*
 * agent_msg.h - the message an OCI runtime sends to a seccomp agent
 * (runtime-spec config-linux.md, "listenerPath"): the container process
 * state as one JSON object, with the fds it names in "fds" attached by
 * SCM_RIGHTS.
 *
 * Runtimes do not close the connection after sending (runc 1.1.x, crun
 * 1.8.x keep it open during a foreground run), so a message is complete
 * once one whole JSON value has arrived: agent_scan finds its end as the
 * bytes come in, in one pass, whatever they are. Everything here is
 * pure (no I/O): the host unit tests fuzz it.
 */
#ifndef SP_TOOL_AGENT_MSG_H
#define SP_TOOL_AGENT_MSG_H

#include <stdbool.h>
#include <stddef.h>

#define AGENT_MAX_FDS 16
#define AGENT_MAX_MESSAGE (1 << 20)

/* Where the top-level value ends; feed it the bytes as they arrive. */
struct agent_scan {
	size_t depth; /* open objects and arrays */
	bool started; /* the value's first byte was seen */
	bool in_string, escape;
	bool done; /* the value is complete */
	size_t end; /* ... and its length, counted from the first byte fed */
	size_t fed; /* bytes fed so far */
};

enum agent_scan_result {
	AGENT_SCAN_MORE, /* incomplete: read more */
	AGENT_SCAN_DONE, /* complete: scan->end bytes hold it */
	AGENT_SCAN_BAD, /* cannot be a container process state */
};

/*
 * Feed @len more bytes. After DONE, the bytes past scan->end must be
 * whitespace (a runtime sends one message per connection); anything else
 * there is BAD. *@why explains BAD.
 */
enum agent_scan_result agent_scan_feed(struct agent_scan *s, const char *buf,
				       size_t len, const char **why);

struct agent_msg {
	long long pid;
	char id[256]; /* state.id, "" if absent */
	char *metadata; /* malloc'ed, NULL if absent */
	int listener; /* index of "seccompFd" among the fds */
	char error[200]; /* the JSON parser's reason, when *why points here */
};

/*
 * Check the container process state of @len bytes at @data, sent with
 * @nfds descriptors (parsed by jansson: strict RFC 8259, duplicate keys
 * and U+0000 refused). 0 with @m filled (free m->metadata), or -1 with a
 * reason in *@why (static, or m->error: valid as long as @m). @m->id is
 * filled whenever the state had one, even on failure.
 */
int agent_msg_parse(const char *data, size_t len, int nfds,
		    struct agent_msg *m, const char **why);

#endif /* SP_TOOL_AGENT_MSG_H */
