/* SPDX-License-Identifier: MIT */
/* Userspace stand-in for the helpers of <linux/kernel.h> this project uses. */
#ifndef _TOOLS_LINUX_KERNEL_H_
#define _TOOLS_LINUX_KERNEL_H_

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <linux/types.h>

#ifndef container_of
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))
#endif

#define min(a, b)	((a) < (b) ? (a) : (b))
#define max(a, b)	((a) > (b) ? (a) : (b))
#define min_t(t, a, b)	min((t)(a), (t)(b))
#define max_t(t, a, b)	max((t)(a), (t)(b))
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define U64_MAX		((u64)~0ULL)
#define IS_ALIGNED(x, a)	(((x) & ((__typeof__(x))(a) - 1)) == 0)
#define __printf(a, b)	__attribute__((format(printf, a, b)))
#define __maybe_unused	__attribute__((unused))
#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)

#define pr_err(...)	fprintf(stderr, __VA_ARGS__)
#define pr_info(...)	printf(__VA_ARGS__)

#endif
