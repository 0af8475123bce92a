// SPDX-License-Identifier: GPL-2.0
/*
 * oci_config.c - "seccomp-pin oci-config": the "linux.seccomp" object of
 * an OCI config.json that sends to "seccomp-pin agent" exactly the
 * syscalls the policy decides on (the table in syscalls.c, which "run"
 * traps as well), so that the two cannot drift apart.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "syscalls.h"

/* @s as a JSON string body (the socket path and metadata are the user's). */
static void json_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

int cmd_oci_config(struct agent_opts *o, const char *metadata)
{
	unsigned int categories = policy_categories(&o->policy);
	const struct sys_desc *t;
	bool first = true;
	size_t n, i;

	/* No rules given: everything the agent can decide on. */
	if (!categories)
		categories = POLICY_PATH | POLICY_NET | POLICY_EXEC;
	t = sys_table(&n);
	printf("{\n\t\"defaultAction\": \"SCMP_ACT_ALLOW\",\n"
	       "\t\"architectures\": [\"SCMP_ARCH_X86_64\"],\n"
	       "\t\"listenerPath\": ");
	json_string(o->socket_path);
	if (metadata) {
		printf(",\n\t\"listenerMetadata\": ");
		json_string(metadata);
	}
	printf(",\n\t\"syscalls\": [\n\t\t{\n\t\t\t\"names\": [");
	for (i = 0; i < n; i++) {
		if (!sys_trapped(&t[i], categories) ||
		    (t[i].flags & SYS_F_NULL_OK))
			continue;
		printf("%s\n\t\t\t\t\"%s\"", first ? "" : ",", t[i].name);
		first = false;
	}
	printf("\n\t\t\t],\n\t\t\t\"action\": \"SCMP_ACT_NOTIFY\"\n\t\t}");
	for (i = 0; i < n; i++) {
		if (!sys_trapped(&t[i], categories) ||
		    !(t[i].flags & SYS_F_NULL_OK))
			continue;
		/* Only with an address: sendto(fd, buf, len, flags, NULL, 0)
		 * names nothing to decide on. */
		printf(",\n\t\t{\n\t\t\t\"names\": [\"%s\"],\n"
		       "\t\t\t\"action\": \"SCMP_ACT_NOTIFY\",\n"
		       "\t\t\t\"args\": [{ \"index\": %d, \"value\": 0, \"op\": \"SCMP_CMP_NE\" }]\n\t\t}",
		       t[i].name, t[i].arg[0]);
	}
	printf("\n\t]\n}\n");
	return 0;
}
