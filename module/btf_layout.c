// SPDX-License-Identifier: GPL-2.0
/*
 * btf_layout.c - read private struct layouts from the kernel's own BTF.
 *
 * The raw .BTF section (__start_BTF..__stop_BTF, the same bytes as
 * /sys/kernel/btf/vmlinux) is parsed directly: it is plain data, so no
 * unexported BTF function has to be called. Every member is checked for
 * the size this module accesses it with; anything missing or different
 * refuses the load with a log line naming it.
 */
#include <linux/btf.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/completion.h>
#include <linux/string.h>

#include "btf_layout.h"
#include "ksyms.h"

struct spin_seccomp_layout spin_layout;

struct spin_btf {
	const struct btf_type **types; /* indexed by type id */
	u32 nr_types;
	const char *strings;
	u32 strings_len;
};

static const char *spin_btf_str(const struct spin_btf *btf, u32 off)
{
	return off < btf->strings_len ? btf->strings + off : "";
}

/* Bytes of kind-specific data following a btf_type; -1 if unknown. */
static long spin_btf_extra(const struct btf_type *t)
{
	u16 vlen = BTF_INFO_VLEN(t->info);

	switch (BTF_INFO_KIND(t->info)) {
	case BTF_KIND_INT:
		return sizeof(u32);
	case BTF_KIND_ARRAY:
		return sizeof(struct btf_array);
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		return (long)vlen * sizeof(struct btf_member);
	case BTF_KIND_ENUM:
		return (long)vlen * sizeof(struct btf_enum);
	case BTF_KIND_FUNC_PROTO:
		return (long)vlen * sizeof(struct btf_param);
	case BTF_KIND_VAR:
		return sizeof(struct btf_var);
	case BTF_KIND_DATASEC:
		return (long)vlen * sizeof(struct btf_var_secinfo);
	case SPIN_BTF_KIND_DECL_TAG:
		return sizeof(u32);
	case SPIN_BTF_KIND_ENUM64: /* name_off, val_lo32, val_hi32 */
		return (long)vlen * 3 * sizeof(u32);
	case BTF_KIND_PTR:
	case BTF_KIND_FWD:
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_FUNC:
	case SPIN_BTF_KIND_FLOAT:
	case SPIN_BTF_KIND_TYPE_TAG:
		return 0;
	default:
		return -1;
	}
}

static int spin_btf_index(struct spin_btf *btf, const void *start,
			  const void *end)
{
	const struct btf_header *hdr = start;
	const char *types, *p, *types_end;
	u32 n = 0;

	if (end - start < (long)sizeof(*hdr) || hdr->magic != BTF_MAGIC ||
	    hdr->hdr_len + (u64)hdr->str_off + hdr->str_len >
		    (u64)(end - start) ||
	    hdr->hdr_len + (u64)hdr->type_off + hdr->type_len >
		    (u64)(end - start))
		return -EINVAL;
	types = (const char *)start + hdr->hdr_len + hdr->type_off;
	types_end = types + hdr->type_len;
	btf->strings = (const char *)start + hdr->hdr_len + hdr->str_off;
	btf->strings_len = hdr->str_len;

	/* Two passes: count, then index (type ids start at 1). */
	for (p = types; p + sizeof(struct btf_type) <= types_end; n++) {
		long extra = spin_btf_extra((const struct btf_type *)p);

		if (extra < 0)
			return -EINVAL;
		p += sizeof(struct btf_type) + extra;
	}
	btf->types = kvcalloc(n + 1, sizeof(*btf->types), GFP_KERNEL);
	if (!btf->types)
		return -ENOMEM;
	btf->nr_types = n + 1;
	for (p = types, n = 1; n < btf->nr_types; n++) {
		btf->types[n] = (const struct btf_type *)p;
		p += sizeof(struct btf_type) + spin_btf_extra(btf->types[n]);
	}
	return 0;
}

static const struct btf_type *spin_btf_find(const struct spin_btf *btf,
					    const char *name, u32 kind)
{
	u32 i;

	for (i = 1; i < btf->nr_types; i++) {
		const struct btf_type *t = btf->types[i];

		if (BTF_INFO_KIND(t->info) == kind &&
		    !strcmp(spin_btf_str(btf, t->name_off), name))
			return t;
	}
	return NULL;
}

/* Size of a type after typedefs and qualifiers; 0 if unsized. */
static u32 spin_btf_size(const struct spin_btf *btf, u32 id)
{
	int depth;

	for (depth = 0; depth < 16 && id && id < btf->nr_types; depth++) {
		const struct btf_type *t = btf->types[id];

		switch (BTF_INFO_KIND(t->info)) {
		case BTF_KIND_TYPEDEF:
		case BTF_KIND_VOLATILE:
		case BTF_KIND_CONST:
		case BTF_KIND_RESTRICT:
		case SPIN_BTF_KIND_TYPE_TAG:
			id = t->type;
			continue;
		case BTF_KIND_PTR:
			return sizeof(void *);
		case BTF_KIND_INT:
		case BTF_KIND_ENUM:
		case BTF_KIND_STRUCT:
		case BTF_KIND_UNION:
		case SPIN_BTF_KIND_ENUM64:
			return t->size;
		default:
			return 0;
		}
	}
	return 0;
}

/*
 * Offset of @type.@member, checked to be @size bytes. Several structs may
 * share a name ("notification"): the first that has the member is used.
 */
static int spin_btf_member(const struct spin_btf *btf, const char *type,
			   const char *member, u32 size, u32 *offset)
{
	bool type_seen = false;
	u32 id;

	for (id = 1; id < btf->nr_types; id++) {
		const struct btf_type *t = btf->types[id];
		const struct btf_member *m = (const struct btf_member *)(t + 1);
		u16 i;

		if (BTF_INFO_KIND(t->info) != BTF_KIND_STRUCT ||
		    strcmp(spin_btf_str(btf, t->name_off), type))
			continue;
		type_seen = true;
		for (i = 0; i < BTF_INFO_VLEN(t->info); i++, m++) {
			u32 bits = BTF_INFO_KFLAG(t->info) ?
					   BTF_MEMBER_BIT_OFFSET(m->offset) :
					   m->offset;
			u32 msize;

			if (strcmp(spin_btf_str(btf, m->name_off), member))
				continue;
			msize = spin_btf_size(btf, m->type);
			if (bits % 8 || msize != size) {
				pr_err("refusing to load: %s.%s has size %u at bit %u, expected size %u\n",
				       type, member, msize, bits, size);
				return -EINVAL;
			}
			*offset = bits / 8;
			return 0;
		}
	}
	pr_err("refusing to load: %s%s.%s not in this kernel's BTF\n",
	       type_seen ? "" : "struct ", type, member);
	return -ENOENT;
}

static int spin_btf_enum(const struct spin_btf *btf, const char *type,
			 const char *name, u32 *value)
{
	const struct btf_type *t = spin_btf_find(btf, type, BTF_KIND_ENUM);
	const struct btf_enum *e;
	u16 i;

	if (!t || t->size != sizeof(int)) {
		pr_err("refusing to load: enum %s missing or resized in BTF\n",
		       type);
		return -ENOENT;
	}
	e = (const struct btf_enum *)(t + 1);
	for (i = 0; i < BTF_INFO_VLEN(t->info); i++, e++) {
		if (!strcmp(spin_btf_str(btf, e->name_off), name)) {
			*value = e->val;
			return 0;
		}
	}
	pr_err("refusing to load: %s not in enum %s\n", name, type);
	return -ENOENT;
}

/* clang-format off */
#define SPIN_MEMBER(type, member, size, field) \
	{ #type, #member, size, &spin_layout.field }
/* clang-format on */

static const struct spin_member_spec {
	const char *type;
	const char *member;
	u32 size;
	u32 *offset;
} spin_members[] = {
	SPIN_MEMBER(seccomp_filter, notif, sizeof(void *), filter_notif),
	SPIN_MEMBER(seccomp_filter, notify_lock, sizeof(struct mutex),
		    filter_notify_lock),
	SPIN_MEMBER(notification, notifications, sizeof(struct list_head),
		    notification_list),
	SPIN_MEMBER(seccomp_knotif, task, sizeof(void *), knotif_task),
	SPIN_MEMBER(seccomp_knotif, id, sizeof(u64), knotif_id),
	SPIN_MEMBER(seccomp_knotif, data, sizeof(void *), knotif_data),
	SPIN_MEMBER(seccomp_knotif, state, sizeof(int), knotif_state),
	SPIN_MEMBER(seccomp_knotif, error, sizeof(int), knotif_error),
	SPIN_MEMBER(seccomp_knotif, val, sizeof(long), knotif_val),
	SPIN_MEMBER(seccomp_knotif, flags, sizeof(u32), knotif_flags),
	SPIN_MEMBER(seccomp_knotif, ready, sizeof(struct completion),
		    knotif_ready),
	SPIN_MEMBER(seccomp_knotif, list, sizeof(struct list_head),
		    knotif_list),
};

int spin_btf_layout_init(void)
{
	const void *start = (const void *)spin_ksym("__start_BTF");
	const void *end = (const void *)spin_ksym("__stop_BTF");
	struct spin_btf btf = {};
	size_t i;
	int ret;

	if (!start || !end || end <= start) {
		pr_err("refusing to load: kernel has no BTF (CONFIG_DEBUG_INFO_BTF=n)\n");
		return -ENOENT;
	}
	ret = spin_btf_index(&btf, start, end);
	if (ret) {
		pr_err("refusing to load: cannot parse kernel BTF (%d)\n", ret);
		return ret;
	}
	for (i = 0; !ret && i < ARRAY_SIZE(spin_members); i++) {
		const struct spin_member_spec *m = &spin_members[i];

		ret = spin_btf_member(&btf, m->type, m->member, m->size,
				      m->offset);
	}
	if (!ret)
		ret = spin_btf_enum(&btf, "notify_state", "SECCOMP_NOTIFY_SENT",
				    &spin_layout.state_sent);
	if (!ret)
		ret = spin_btf_enum(&btf, "notify_state",
				    "SECCOMP_NOTIFY_REPLIED",
				    &spin_layout.state_replied);
	kvfree(btf.types);
	return ret;
}
