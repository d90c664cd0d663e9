/* SPDX-License-Identifier: MIT */
/* Userspace stand-in for <linux/string.h>. */
#ifndef _TOOLS_LINUX_STRING_H_
#define _TOOLS_LINUX_STRING_H_

#include <string.h>

#endif
