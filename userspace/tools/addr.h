/* SPDX-License-Identifier: GPL-2.0 */
/*
 * addr.h - socket address rules (--allow-connect, --allow-bind) and the
 * sockaddrs they are matched against.
 *
 * ADDR syntax:
 *   unix:PATH            a pathname AF_UNIX socket; PATH is a glob (see
 *                        glob.h), matched after normalisation
 *   unix:@NAME           an abstract AF_UNIX socket; NAME is a glob over the
 *                        name with non-printable bytes written \xHH
 *   [PROTO:]HOST:PORT    AF_INET / AF_INET6; PROTO is tcp or udp (any if
 *                        omitted); HOST is an IPv4 address, an IPv6 address
 *                        in brackets ([::1]), either with a /PREFIX
 *                        (10.0.0.0/8, [fd00::/8]), or * for any address;
 *                        PORT is a number, a range LO-HI, or *.
 * IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) match IPv4 rules.
 */
#ifndef SP_TOOL_ADDR_H
#define SP_TOOL_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pathnorm.h"

enum addr_kind {
	ADDR_UNIX_PATH,
	ADDR_UNIX_ABSTRACT,
	ADDR_INET, /* v4 and v6, v4 stored as v4-mapped v6 */
	ADDR_UNSPEC, /* AF_UNSPEC: connect() dissolving an association */
	ADDR_OTHER, /* another family: never matches */
};

enum addr_proto {
	PROTO_ANY,
	PROTO_TCP,
	PROTO_UDP,
	PROTO_OTHER,
};

struct addr_rule {
	enum addr_kind kind; /* ADDR_UNIX_PATH, ADDR_UNIX_ABSTRACT, ADDR_INET */
	enum addr_proto proto;
	char *glob; /* unix */
	uint8_t ip[16]; /* inet, v4 as v4-mapped */
	unsigned int prefix; /* inet: leading bits of ip that must match */
	uint16_t port_lo, port_hi;
	char *text; /* as given, for logs */
};

/* A sockaddr as the policy sees it. */
struct addr_desc {
	enum addr_kind kind;
	enum addr_proto proto; /* of the socket, if known; PROTO_ANY if not */
	char path[PATHNORM_MAX]; /* unix path (normalised by the caller) or name */
	uint8_t ip[16];
	uint16_t port;
	int family;
};

/* Parse ADDR into @rule. 0, or -1 with a message in @err. */
int addr_rule_parse(struct addr_rule *rule, const char *text, char *err,
		    size_t errlen);
void addr_rule_free(struct addr_rule *rule);

/*
 * Describe the @len bytes of a sockaddr. Returns 0, or -EINVAL when the
 * bytes are too short for their family (the kernel would refuse them).
 * A unix path is copied as given; the caller makes it absolute.
 */
int addr_describe(const void *sa, size_t len, struct addr_desc *desc);

/* Does @rule allow @desc? */
bool addr_rule_match(const struct addr_rule *rule,
		     const struct addr_desc *desc);

/* "tcp:127.0.0.1:80", "[::1]:53", "unix:/run/x.sock", "unix:@name". */
void addr_format(const struct addr_desc *desc, char *out, size_t size);

#endif /* SP_TOOL_ADDR_H */
