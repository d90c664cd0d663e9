/* SPDX-License-Identifier: MIT */
/*
 * Userspace stand-in for <linux/bug.h>. A warning prints to stderr and
 * counts in tools_warn_count, so tests can assert that one happened (or
 * that none did).
 */
#ifndef _TOOLS_LINUX_BUG_H_
#define _TOOLS_LINUX_BUG_H_

#include <stdio.h>

extern unsigned long tools_warn_count;

#define WARN_ON(cond) ({						\
	int __ret = !!(cond);						\
	if (__ret) {							\
		tools_warn_count++;					\
		fprintf(stderr, "WARNING: %s:%d: %s\n", __FILE__,	\
			__LINE__, #cond);				\
	}								\
	__ret;								\
})

#define WARN_ON_ONCE(cond) ({						\
	static int __warned;						\
	int __ret = !!(cond);						\
	if (__ret && !__warned) {					\
		__warned = 1;						\
		tools_warn_count++;					\
		fprintf(stderr, "WARNING: %s:%d: %s\n", __FILE__,	\
			__LINE__, #cond);				\
	}								\
	__ret;								\
})

#define BUG_ON(cond) do { if (cond) __builtin_trap(); } while (0)

#endif
