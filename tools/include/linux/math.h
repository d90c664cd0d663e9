/* SPDX-License-Identifier: MIT */
/* Userspace stand-in for the rounding helpers of <linux/math.h>. */
#ifndef _TOOLS_LINUX_MATH_H_
#define _TOOLS_LINUX_MATH_H_

/* @y must be a power of two. */
#define __round_mask(x, y)	((__typeof__(x))((y) - 1))
#define round_up(x, y)		((((x) - 1) | __round_mask(x, y)) + 1)
#define round_down(x, y)	((x) & ~__round_mask(x, y))
#define DIV_ROUND_UP(n, d)	(((n) + (d) - 1) / (d))

#endif
