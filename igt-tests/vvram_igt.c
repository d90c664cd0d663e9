// SPDX-License-Identifier: MIT
/*
 * vvram_igt.c - helpers shared by every vvram IGT test (see vvram_igt.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vvram_igt.h"

/**
 * vvram_is_device() - whether @fd is a DRM file of the vvram driver.
 */
bool vvram_is_device(int fd)
{
	drmVersionPtr version = drmGetVersion(fd);
	bool match;

	if (!version)
		return false;
	match = strcmp(version->name, VVRAM_DRIVER_NAME) == 0;
	drmFreeVersion(version);
	return match;
}

/**
 * vvram_device_present() - whether a vvram primary node exists.
 *
 * Checked before drm_open_driver(DRIVER_ANY): when that finds no device, the
 * IGT 1.27 library modprobes every driver it knows (i915, amdgpu, ...),
 * which a test machine without vvram loaded should not suffer.
 */
bool vvram_device_present(void)
{
	for (int minor = 0; minor < 16; minor++) {
		char path[32];
		bool match;
		int fd;

		snprintf(path, sizeof(path), "/dev/dri/card%d", minor);
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		match = vvram_is_device(fd);
		close(fd);
		if (match)
			return true;
	}
	return false;
}

static void vvram_require_device(void)
{
	igt_require_f(vvram_device_present(),
		      "no %s DRM device: load vvram.ko first\n",
		      VVRAM_DRIVER_NAME);
	/* IGT_FORCE_DRIVER=vvram is how the runner selects it; default to it. */
	if (!getenv("IGT_FORCE_DRIVER"))
		__set_forced_driver(VVRAM_DRIVER_NAME);
}

/**
 * vvram_open() - open the vvram primary node, or skip when there is none.
 */
int vvram_open(void)
{
	int fd;

	vvram_require_device();
	fd = drm_open_driver(DRIVER_ANY);
	igt_assert_f(vvram_is_device(fd),
		     "drm_open_driver() opened another driver: IGT_FORCE_DRIVER=%s\n",
		     getenv("IGT_FORCE_DRIVER"));
	return fd;
}

/**
 * vvram_open_render() - open the vvram render node, or skip when there is none.
 */
int vvram_open_render(void)
{
	int fd;

	vvram_require_device();
	fd = drm_open_driver_render(DRIVER_ANY);
	igt_assert_f(vvram_is_device(fd),
		     "drm_open_driver_render() opened another driver\n");
	return fd;
}
