// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * version.c - the version of the library that is loaded, which may be
 * newer than the headers a program was built with.
 */
#include "libseccomp_pin.h"
#include "internal.h"

SP_EXPORT unsigned int seccomp_pin_version(void)
{
	return SECCOMP_PIN_VERSION;
}
