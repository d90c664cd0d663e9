// SPDX-License-Identifier: MIT
/* TAP output shared by the userspace buddy test programs. */
#include <stdarg.h>
#include <stdio.h>

#include "tap.h"

static unsigned int tap_count;
static unsigned int tap_failed;

bool tap_result(bool pass, const char *name)
{
	tap_count++;
	if (!pass)
		tap_failed++;
	printf("%sok %u - %s\n", pass ? "" : "not ", tap_count, name);
	fflush(stdout);
	return pass;
}

void tap_skip(const char *name, const char *reason)
{
	printf("ok %u - %s # SKIP %s\n", ++tap_count, name, reason);
}

void tap_diag(const char *fmt, ...)
{
	va_list args;

	fputs("# ", stdout);
	va_start(args, fmt);
	vprintf(fmt, args);
	va_end(args);
	putchar('\n');
}

int tap_done(void)
{
	printf("1..%u\n", tap_count);
	if (tap_failed)
		tap_diag("%u of %u failed", tap_failed, tap_count);
	return tap_failed ? 1 : 0;
}
