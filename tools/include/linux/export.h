/* SPDX-License-Identifier: MIT */
/* Userspace stand-in for <linux/export.h>: every symbol is visible. */
#ifndef _TOOLS_LINUX_EXPORT_H_
#define _TOOLS_LINUX_EXPORT_H_

#define EXPORT_SYMBOL(sym)
#define EXPORT_SYMBOL_GPL(sym)

#endif
