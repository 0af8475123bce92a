// SPDX-License-Identifier: GPL-2.0
/* Harness self-test: a suite that never ends, to exercise the timeouts. */
#include <unistd.h>

int main(void)
{
	for (;;)
		pause();
}
