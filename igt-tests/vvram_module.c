// SPDX-License-Identifier: MIT
/*
 * vvram_module: the module and device lifetime.  Loading and unloading
 * work any number of times; unloading while a client still holds the
 * device (an open file, a mapping, a dma-buf) is refused, as the driver
 * documents; bad parameters fail the load cleanly.
 *
 * The module is reloaded with the parameters it had (the runner's), and
 * every subtest, and the exit handler, put it back if it is missing.
 */
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "vvram_igt.h"

#define RELOAD_CYCLES 10

static char params[1024];

static void restore_module(int sig)
{
	(void)sig;
	if (params[0] && !vvram_module_loaded())
		vvram_module_load(params);
}

/* Loads vvram with the saved parameters if an earlier failure left it out. */
static void require_module(void)
{
	restore_module(0);
	igt_require_f(vvram_module_loaded(), "vvram is not loaded\n");
}

/* Unload must be refused while something holds the module. */
static void assert_unload_refused(void)
{
	int err = vvram_module_unload();

	igt_assert_f(err == -EAGAIN || err == -EBUSY,
		     "unloading vvram in use returned %d (%s)\n", err,
		     err ? strerror(-err) : "it unloaded");
	igt_assert(vvram_module_loaded());
}

static void unload(void)
{
	igt_assert_eq(vvram_module_unload(), 0);
	igt_assert(!vvram_module_loaded());
	igt_assert(!vvram_device_present());
}

static void load(void)
{
	igt_assert_eq(vvram_module_load(params), 0);
	igt_assert(vvram_device_present());
}

/* A quick check that a freshly loaded device works. */
static void use_device(uint32_t seed)
{
	int client = vvram_open();
	uint32_t handle;

	handle = vvram_gem_create(client, SZ_64K, VVRAM_GEM_DOMAIN_VRAM, 0);
	vvram_bo_assert_zero(client, handle, SZ_64K);
	vvram_bo_fill(client, handle, SZ_64K, seed);
	vvram_bo_assert_pattern(client, handle, SZ_64K, seed);
	vvram_gem_close(client, handle);
	close(client);
}

igt_main
{
	igt_fixture {
		igt_require_f(vvram_module_loaded(), "vvram is not loaded\n");
		snprintf(params, sizeof(params), "%s", vvram_module_params());
		igt_install_exit_handler(restore_module);
	}

	igt_describe("The primary node found by drm_open_driver(DRIVER_ANY) is the vvram driver.");
	igt_subtest("open-finds-vvram-device") {
		int client;

		require_module();
		client = vvram_open();
		igt_assert(vvram_is_device(client));
		close(client);
	}

	igt_describe("The module unloads and loads again cleanly, many times, with a working device each time.");
	igt_subtest("reload-cycles") {
		require_module();
		for (unsigned int cycle = 0; cycle < RELOAD_CYCLES; cycle++) {
			unload();
			load();
			use_device(cycle);
		}
	}

	igt_describe("Unloading while a client has the device open is refused; the client keeps working.");
	igt_subtest("unload-with-open-client-is-refused") {
		int client;
		uint32_t handle;

		require_module();
		client = vvram_open();
		handle = vvram_gem_create(client, SZ_64K, VVRAM_GEM_DOMAIN_VRAM, 0);
		vvram_bo_fill(client, handle, SZ_64K, 1);
		assert_unload_refused();
		vvram_bo_assert_pattern(client, handle, SZ_64K, 1);
		vvram_gem_close(client, handle);
		close(client);
		unload();
		load();
	}

	igt_describe("Unloading while a BO is still mapped is refused, even with its file closed.");
	igt_subtest("unload-with-mapped-bo-is-refused") {
		uint32_t handle;
		int client;
		void *ptr;

		require_module();
		client = vvram_open();
		handle = vvram_gem_create(client, SZ_64K, VVRAM_GEM_DOMAIN_VRAM, 0);
		ptr = vvram_gem_mmap(client, handle, SZ_64K);
		vvram_pattern_fill(ptr, SZ_64K, 2);
		vvram_gem_close(client, handle);
		close(client);

		assert_unload_refused();
		vvram_pattern_assert(ptr, SZ_64K, 2);
		munmap(ptr, SZ_64K);
		unload();
		load();
	}

	igt_describe("Unloading while a dma-buf of a BO exists is refused, even with its file closed.");
	igt_subtest("unload-with-exported-dma-buf-is-refused") {
		uint32_t handle;
		int client, dmabuf;

		require_module();
		client = vvram_open();
		handle = vvram_gem_create(client, SZ_64K, VVRAM_GEM_DOMAIN_VRAM, 0);
		igt_assert_eq(drmPrimeHandleToFD(client, handle, DRM_CLOEXEC, &dmabuf), 0);
		vvram_gem_close(client, handle);
		close(client);

		assert_unload_refused();
		close(dmabuf);
		unload();
		load();
	}

	igt_describe("Bad module parameters fail the load with EINVAL and leave no device behind.");
	igt_subtest("load-rejects-bad-parameters") {
		const char *bad[] = {
			"vram_size=0",
			"vram_size=12345",
			"vram_size=16M visible_size=32M",
			"chunk_size=3000",
			"chunk_size=0",
			"vram_size=16M chunk_size=32M",
			"vram_size=lots",
			"allocator=bogus",
		};

		require_module();
		unload();
		for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
			int err = vvram_module_load(bad[i]);

			igt_assert_f(err == -EINVAL, "loading with '%s' returned %d\n",
				     bad[i], err);
			igt_assert(!vvram_module_loaded());
			igt_assert(!vvram_device_present());
		}
		load();
		use_device(7);
	}
}
