/* SPDX-License-Identifier: MIT */
/* Userspace stand-in for <linux/log2.h>. */
#ifndef _TOOLS_LINUX_LOG2_H_
#define _TOOLS_LINUX_LOG2_H_

#include <linux/bitops.h>

/* Floor of log2; @n must not be 0. */
#define ilog2(n)	((unsigned int)(fls64((u64)(n)) - 1))

static inline bool is_power_of_2(unsigned long long n)
{
	return n && !(n & (n - 1));
}

#endif
