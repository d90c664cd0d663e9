/* SPDX-License-Identifier: MIT */
/*
 * Userspace stand-in for <linux/module.h>: module_init() runs as a
 * constructor when the program starts and module_exit() at exit, so a
 * program linked with a "module" sees it initialised.
 */
#ifndef _TOOLS_LINUX_MODULE_H_
#define _TOOLS_LINUX_MODULE_H_

#include <stdio.h>
#include <stdlib.h>
#include <linux/export.h>
#include <linux/init.h>

#define module_init(fn)							\
	static void __attribute__((constructor)) __tools_init_##fn(void) \
	{								\
		if (fn()) {						\
			fprintf(stderr, "%s failed\n", #fn);		\
			abort();					\
		}							\
	}
#define module_exit(fn)							\
	static void __attribute__((destructor)) __tools_exit_##fn(void) \
	{								\
		fn();							\
	}
#define MODULE_DESCRIPTION(s)
#define MODULE_LICENSE(s)
#define MODULE_AUTHOR(s)

#endif
