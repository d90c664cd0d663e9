/* SPDX-License-Identifier: MIT */
/* Userspace stand-in for <linux/bits.h>. */
#ifndef _TOOLS_LINUX_BITS_H_
#define _TOOLS_LINUX_BITS_H_

#define BIT(nr)			(1UL << (nr))
#define BIT_ULL(nr)		(1ULL << (nr))
#define GENMASK_ULL(h, l)	((~0ULL << (l)) & (~0ULL >> (63 - (h))))

#endif
