// SPDX-License-Identifier: GPL-2.0
/* kmap_local_page() (5.11): a mapping that may be held across a sleep. */
#include <linux/highmem.h>

void spin_probe(struct page *page);
void spin_probe(struct page *page)
{
	kunmap_local(kmap_local_page(page));
}
