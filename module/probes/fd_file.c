// SPDX-License-Identifier: GPL-2.0
/* struct fd is read through fd_file() (6.12 made it one tagged word). */
#include <linux/file.h>

struct file *spin_probe(struct fd f);
struct file *spin_probe(struct fd f)
{
	return fd_file(f);
}
