// SPDX-License-Identifier: GPL-2.0
/* get_user_pages_remote() still takes a vmas array (gone in 6.5). */
#include <linux/mm.h>

long spin_probe(struct mm_struct *mm, unsigned long addr, struct page **page);
long spin_probe(struct mm_struct *mm, unsigned long addr, struct page **page)
{
	return get_user_pages_remote(mm, addr, 1, 0, page, NULL, NULL);
}
