// SPDX-License-Identifier: GPL-2.0
/*
 * addr.c - parse ADDR rules, describe pinned sockaddrs, match the two.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "addr.h"
#include "common.h"
#include "glob.h"

static const uint8_t v4_mapped_prefix[12] = { 0, 0, 0, 0, 0,	0,
					      0, 0, 0, 0, 0xff, 0xff };

static void set_v4(uint8_t ip[16], const void *v4)
{
	memcpy(ip, v4_mapped_prefix, 12);
	memcpy(ip + 12, v4, 4);
}

static bool is_v4(const uint8_t ip[16])
{
	return !memcmp(ip, v4_mapped_prefix, 12);
}

static int fail(char *err, size_t errlen, const char *text, const char *why)
{
	snprintf(err, errlen, "bad address \"%s\": %s", text, why);
	return -1;
}

static int parse_port(const char *s, struct addr_rule *r)
{
	char *end;
	unsigned long lo, hi;

	if (!strcmp(s, "*")) {
		r->port_lo = 0;
		r->port_hi = 65535;
		return 0;
	}
	if (*s < '0' || *s > '9')
		return -1;
	lo = strtoul(s, &end, 10);
	hi = lo;
	if (*end == '-') {
		s = end + 1;
		if (*s < '0' || *s > '9')
			return -1;
		hi = strtoul(s, &end, 10);
	}
	if (*end || lo > 65535 || hi > 65535 || lo > hi)
		return -1;
	r->port_lo = lo;
	r->port_hi = hi;
	return 0;
}

/* HOST is "*", "a.b.c.d[/n]" or "v6[/n]" (brackets already removed). */
static int parse_host(char *host, bool v6, struct addr_rule *r)
{
	char *slash = strchr(host, '/');
	unsigned long bits;
	uint8_t buf[16];
	char *end;

	if (!v6 && !strcmp(host, "*")) {
		memset(r->ip, 0, sizeof(r->ip));
		r->prefix = 0;
		return 0;
	}
	if (slash)
		*slash = '\0';
	if (v6) {
		if (inet_pton(AF_INET6, host, buf) != 1)
			return -1;
		memcpy(r->ip, buf, 16);
		bits = 128;
	} else {
		if (inet_pton(AF_INET, host, buf) != 1)
			return -1;
		set_v4(r->ip, buf);
		bits = 32;
	}
	if (slash) {
		unsigned long max = bits;

		if (slash[1] < '0' || slash[1] > '9')
			return -1;
		bits = strtoul(slash + 1, &end, 10);
		if (*end || bits > max)
			return -1;
	}
	r->prefix = bits + (v6 ? 0 : 96);
	return 0;
}

int addr_rule_parse(struct addr_rule *r, const char *text, char *err,
		    size_t errlen)
{
	const char *rest = text;
	char *copy, *host, *port;
	bool v6 = false;
	int ret;

	memset(r, 0, sizeof(*r));
	if (!strncmp(rest, "unix:", 5)) {
		rest += 5;
		if (rest[0] == '@') {
			r->kind = ADDR_UNIX_ABSTRACT;
			rest++;
		} else if (rest[0] == '/') {
			r->kind = ADDR_UNIX_PATH;
		} else {
			return fail(err, errlen, text,
				    "unix: needs an absolute path or @name");
		}
		if (!glob_valid(rest))
			return fail(err, errlen, text, "malformed pattern");
		r->glob = xstrdup(rest);
		r->text = xstrdup(text);
		return 0;
	}
	r->kind = ADDR_INET;
	r->proto = PROTO_ANY;
	if (!strncmp(rest, "tcp:", 4)) {
		r->proto = PROTO_TCP;
		rest += 4;
	} else if (!strncmp(rest, "udp:", 4)) {
		r->proto = PROTO_UDP;
		rest += 4;
	}
	copy = xstrdup(rest);
	host = copy;
	if (host[0] == '[') {
		char *close = strchr(host, ']');

		if (!close || close[1] != ':') {
			free(copy);
			return fail(err, errlen, text, "expected [IPV6]:PORT");
		}
		*close = '\0';
		host++;
		port = close + 2;
		v6 = true;
	} else {
		port = strrchr(host, ':');
		if (!port || strchr(host, ':') != port) {
			free(copy);
			return fail(err, errlen, text,
				    "expected HOST:PORT (IPv6 in brackets)");
		}
		*port++ = '\0';
	}
	ret = parse_host(host, v6, r);
	if (ret) {
		free(copy);
		return fail(err, errlen, text,
			    "bad host (addresses only, no names)");
	}
	ret = parse_port(port, r);
	free(copy);
	if (ret)
		return fail(err, errlen, text, "bad port (N, LO-HI or *)");
	r->text = xstrdup(text);
	return 0;
}

void addr_rule_free(struct addr_rule *r)
{
	free(r->glob);
	free(r->text);
	r->glob = NULL;
	r->text = NULL;
}

static void escape_name(const unsigned char *name, size_t n, char *out,
			size_t size)
{
	size_t o = 0, i;

	for (i = 0; i < n && o + 5 < size; i++) {
		if (name[i] >= 0x20 && name[i] < 0x7f && name[i] != '\\')
			out[o++] = name[i];
		else
			o += snprintf(out + o, size - o, "\\x%02x", name[i]);
	}
	out[o] = '\0';
}

int addr_describe(const void *sa, size_t len, struct addr_desc *d)
{
	sa_family_t family;

	memset(d, 0, sizeof(*d));
	d->proto = PROTO_ANY;
	if (len < sizeof(family))
		return -EINVAL;
	memcpy(&family, sa, sizeof(family));
	d->family = family;
	switch (family) {
	case AF_UNIX: {
		const struct sockaddr_un *un = sa;
		size_t n = len - offsetof(struct sockaddr_un, sun_path);

		if (len > sizeof(*un))
			return -EINVAL;
		if (n == 0 || un->sun_path[0] == '\0') {
			/* abstract; n == 0 is autobind */
			d->kind = ADDR_UNIX_ABSTRACT;
			if (n)
				escape_name(
					(const unsigned char *)un->sun_path + 1,
					n - 1, d->path, sizeof(d->path));
			return 0;
		}
		d->kind = ADDR_UNIX_PATH;
		n = strnlen(un->sun_path, n);
		memcpy(d->path, un->sun_path, n);
		d->path[n] = '\0';
		return 0;
	}
	case AF_INET:
	case AF_UNSPEC: {
		/* AF_UNSPEC: connect() dissolves; bind()/sendto() on IPv4
		 * sockets read it as a sockaddr_in. */
		const struct sockaddr_in *in = sa;

		if (len < sizeof(*in)) {
			if (family == AF_INET)
				return -EINVAL;
			d->kind = ADDR_UNSPEC;
			d->family = -1; /* no inet reading */
			return 0;
		}
		d->kind = family == AF_INET ? ADDR_INET : ADDR_UNSPEC;
		set_v4(d->ip, &in->sin_addr);
		d->port = ntohs(in->sin_port);
		return 0;
	}
	case AF_INET6: {
		const struct sockaddr_in6 *in6 = sa;

		if (len < 24) /* SIN6_LEN_RFC2133: no scope id */
			return -EINVAL;
		d->kind = ADDR_INET;
		memcpy(d->ip, &in6->sin6_addr, 16);
		d->port = ntohs(in6->sin6_port);
		return 0;
	}
	default:
		d->kind = ADDR_OTHER;
		return 0;
	}
}

static bool prefix_match(const uint8_t *a, const uint8_t *b, unsigned int bits)
{
	unsigned int bytes = bits / 8, rem = bits % 8;

	if (memcmp(a, b, bytes))
		return false;
	if (!rem)
		return true;
	return !((a[bytes] ^ b[bytes]) & (0xff << (8 - rem)));
}

bool addr_rule_match(const struct addr_rule *r, const struct addr_desc *d)
{
	switch (r->kind) {
	case ADDR_UNIX_PATH:
	case ADDR_UNIX_ABSTRACT:
		return d->kind == r->kind && glob_match(r->glob, d->path);
	case ADDR_INET:
		if (d->kind != ADDR_INET && d->kind != ADDR_UNSPEC)
			return false;
		if (r->proto != PROTO_ANY && r->proto != d->proto)
			return false;
		return prefix_match(r->ip, d->ip, r->prefix) &&
		       d->port >= r->port_lo && d->port <= r->port_hi;
	default:
		return false;
	}
}

void addr_format(const struct addr_desc *d, char *out, size_t size)
{
	char ip[INET6_ADDRSTRLEN];
	const char *proto = "";

	switch (d->kind) {
	case ADDR_UNIX_PATH:
		snprintf(out, size, "unix:%s", d->path);
		return;
	case ADDR_UNIX_ABSTRACT:
		snprintf(out, size, "unix:@%s", d->path);
		return;
	case ADDR_INET:
	case ADDR_UNSPEC:
		if (d->family == -1) {
			snprintf(out, size, "unspec");
			return;
		}
		if (d->proto == PROTO_TCP)
			proto = "tcp:";
		else if (d->proto == PROTO_UDP)
			proto = "udp:";
		if (is_v4(d->ip)) {
			inet_ntop(AF_INET, d->ip + 12, ip, sizeof(ip));
			snprintf(out, size, "%s%s%s:%u",
				 d->kind == ADDR_UNSPEC ? "unspec:" : "", proto,
				 ip, d->port);
		} else {
			inet_ntop(AF_INET6, d->ip, ip, sizeof(ip));
			snprintf(out, size, "%s[%s]:%u", proto, ip, d->port);
		}
		return;
	default:
		snprintf(out, size, "family:%d", d->family);
		return;
	}
}
