/* SPDX-License-Identifier: MIT */
/* Userspace stand-in for <linux/init.h>. */
#ifndef _TOOLS_LINUX_INIT_H_
#define _TOOLS_LINUX_INIT_H_

#define __init
#define __exit

#endif
