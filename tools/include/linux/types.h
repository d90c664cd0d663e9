/* SPDX-License-Identifier: MIT */
/*
 * Userspace stand-in for the kernel's fixed-width types, so kernel sources
 * of this project compile unchanged in userspace tests and benchmarks.
 */
#ifndef _TOOLS_LINUX_TYPES_H_
#define _TOOLS_LINUX_TYPES_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef unsigned long long u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef long long s64;
typedef unsigned int gfp_t;

#endif
