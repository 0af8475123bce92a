/* SPDX-License-Identifier: GPL-2.0 */
/* livepatch.h - let livepatches have the hooked functions. */
#ifndef SPIN_LIVEPATCH_H
#define SPIN_LIVEPATCH_H

int spin_livepatch_init(void);
void spin_livepatch_exit(void);

#endif
