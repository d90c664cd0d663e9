/* SPDX-License-Identifier: MIT */
/* Userspace stand-in for <linux/errno.h>. */
#ifndef _TOOLS_LINUX_ERRNO_H_
#define _TOOLS_LINUX_ERRNO_H_

/* The kernel numbers, as the UAPI headers define them. */
#include <asm/errno.h>

#endif
