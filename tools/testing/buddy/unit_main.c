// SPDX-License-Identifier: MIT
/*
 * Runs the shared vvram_buddy unit tests (drivers/gpu/buddy/tests/
 * vvram_buddy_test_cases.c) in userspace and prints TAP. Each case must
 * also leave no allocator object behind and raise no warning.
 */
#include <stdio.h>
#include <linux/bug.h>
#include <linux/slab.h>

#include "../../../drivers/gpu/buddy/tests/vvram_buddy_test.h"
#include "tap.h"

static void log_line(void *arg, const char *line)
{
	(void)arg;
	tap_diag("%s", line);
}

int main(void)
{
	unsigned int i;

	for (i = 0; i < vvram_buddy_nr_test_cases; i++) {
		const struct vvram_buddy_test_case *tc = &vvram_buddy_test_cases[i];
		struct vbt t = { .log = log_line };
		unsigned long live = tools_slab_live;
		unsigned long warns = tools_warn_count;

		vvram_buddy_run_case(tc, &t);
		if (tools_slab_live != live) {
			tap_diag("%s leaked %ld objects", tc->name,
				 (long)(tools_slab_live - live));
			t.failures++;
		}
		if (tools_warn_count != warns) {
			tap_diag("%s raised a warning", tc->name);
			t.failures++;
		}
		tap_result(!t.failures, tc->name);
	}
	return tap_done();
}
