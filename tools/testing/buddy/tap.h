/* SPDX-License-Identifier: MIT */
/* TAP output shared by the userspace buddy test programs. */
#ifndef _BUDDY_TAP_H_
#define _BUDDY_TAP_H_

#include <stdbool.h>

/* Prints "ok N - name" or "not ok N - name"; returns @pass. */
bool tap_result(bool pass, const char *name);
/* Prints "ok N - name # SKIP reason". */
void tap_skip(const char *name, const char *reason);
/* Prints a "# ..." diagnostic line. */
void tap_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints the plan and returns the exit status: 0 when all passed. */
int tap_done(void);

#endif
