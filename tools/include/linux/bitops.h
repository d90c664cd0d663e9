/* SPDX-License-Identifier: MIT */
/* Userspace stand-in for the bit searches of <linux/bitops.h>. */
#ifndef _TOOLS_LINUX_BITOPS_H_
#define _TOOLS_LINUX_BITOPS_H_

#include <linux/bits.h>
#include <linux/types.h>

/* Index of the lowest set bit; @word must not be 0. */
static inline unsigned int __ffs64(u64 word)
{
	return __builtin_ctzll(word);
}

/* 1-based index of the highest set bit, 0 for 0. */
static inline int fls64(u64 word)
{
	return word ? 64 - __builtin_clzll(word) : 0;
}

static inline unsigned int hweight64(u64 word)
{
	return __builtin_popcountll(word);
}

#endif
