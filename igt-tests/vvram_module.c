// SPDX-License-Identifier: MIT
/*
 * vvram_module: the vvram module and device lifetime.
 */
#include <string.h>
#include <unistd.h>

#include "vvram_igt.h"

igt_main
{
	igt_describe("The primary node found by drm_open_driver(DRIVER_ANY) is the vvram driver.");
	igt_subtest("open-finds-vvram-device") {
		int fd = vvram_open();

		igt_assert(vvram_is_device(fd));
		close(fd);
	}
}
