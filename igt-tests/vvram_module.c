// SPDX-License-Identifier: MIT
/*
 * vvram_module: the module and device lifetime.  Loading and unloading
 * work any number of times, and the card and render nodes come and go with
 * the module; unloading while a client still holds the device (an open
 * file, a mapping, a dma-buf) is refused, as the driver documents; bad
 * parameters fail the load cleanly; good ones are what QUERY reports; the
 * kernel's buddy allocator (allocator=kernel) serves the same manager.
 *
 * vvram's file_operations and exported dma-bufs hold a reference on the
 * module, so delete_module(2) answers EAGAIN (EWOULDBLOCK) while any of them
 * lives; EBUSY is accepted as the same refusal.  The module is reloaded
 * with the parameters it had (the runner's), and every subtest, and the
 * exit handler, put it back if it is missing.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "vvram_igt.h"

#define RELOAD_CYCLES 100
#define MiB (1ull << 20)

/* The runner's parameters, put back if an earlier failure left them out. */
static void require_module(void)
{
	vvram_igt_restore();
}

/* Both nodes of vvram exist, and name the vvram driver. */
static void assert_nodes(void)
{
	int card = -ENODEV, render = -ENODEV;

	/* devtmpfs creates the nodes asynchronously from the uevent. */
	for (int i = 0; i < 200 && (card < 0 || render < 0); i++) {
		if (card >= 0)
			close(card);
		if (render >= 0)
			close(render);
		card = vvram_open(VVRAM_OPEN_PRIMARY);
		render = vvram_open(VVRAM_OPEN_RENDER);
		if (card < 0 || render < 0)
			usleep(10000);
	}
	igt_assert_f(card >= 0 && render >= 0, "card node: %d, render node: %d\n",
		     card, render);
	igt_assert(vvram_is_vvram(card) && vvram_is_vvram(render));
	close(card);
	close(render);
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

/* Unloading removes every vvram node. */
static void unload(void)
{
	igt_assert_eq(vvram_module_unload(), 0);
	igt_assert(!vvram_module_loaded());
	igt_assert_eq(vvram_open(0), -ENODEV);
}

static void load(const char *with)
{
	igt_assert_eq(vvram_module_load(with), 0);
	assert_nodes();
}

/* Reloads with @with, runs @fn on a client, puts the saved parameters back. */
static void with_params(const char *with, void (*fn)(int client))
{
	int client;

	require_module();
	unload();
	load(with);
	client = vvram_igt_open();
	fn(client);
	close(client);
	unload();
	load(vvram_igt_params());
}

static void check_params_reported(int client)
{
	struct vvram_memory mem, now;
	struct vvram_bo_info info;
	uint32_t handle;

	vvram_query(client, &mem);
	igt_assert_eq_u64(mem.vram_total_bytes, 24 * MiB);
	igt_assert_eq_u64(mem.visible_total_bytes, 8 * MiB);
	igt_assert_eq_u64(mem.chunk_size_bytes, SZ_64K);
	igt_assert_eq_u64(mem.base_offset, 4096 * MiB);
	igt_assert_eq_u64(mem.largest_free_bytes, 24 * MiB);
	igt_assert_eq_u64(vvram_sysfs(client, "mem_info_vram_total"), 24 * MiB);
	/* A page-sized BO takes a whole chunk of VRAM. */
	handle = vvram_gem_create(client, SZ_4K, VRAM, 0);
	vvram_query(client, &now);
	igt_assert_eq_u64(now.vram_used_bytes, SZ_64K);
	vvram_gem_blocks(client, handle, &info);
	igt_assert_eq(info.block_count, 1);
	igt_assert_eq_u64(info.blocks[0].size_bytes, SZ_64K);
	igt_assert_lte_u64(4096 * MiB, info.address);
	igt_assert_lte_u64(info.address + SZ_64K, 4096 * MiB + 24 * MiB);
	vvram_bo_info_fini(&info);
	vvram_gem_close(client, handle);
	/* The freed chunk merged back with its buddies. */
	vvram_query(client, &now);
	igt_assert_eq_u64(now.largest_free_bytes, 24 * MiB);
	/* All 24 MiB usable: three contiguous 8 MiB BOs, without eviction. */
	for (int i = 0; i < 3; i++)
		vvram_gem_create(client, 8 * MiB, VRAM, VVRAM_GEM_CREATE_CONTIGUOUS);
	vvram_query(client, &now);
	igt_assert_eq_u64(now.evictions, mem.evictions);
	igt_assert_eq_u64(now.vram_used_bytes, 24 * MiB);
	igt_assert_eq_u64(now.largest_free_bytes, 0);
}

static void check_kernel_allocator(int client)
{
	struct vvram_bo_info info;
	struct vvram_memory mem;
	uint32_t handles[4];

	vvram_query(client, &mem);
	igt_assert_eq_u64(mem.vram_total_bytes, 16 * MiB);
	for (int i = 0; i < 4; i++)
		handles[i] = vvram_gem_create(client, SZ_4M, VRAM,
					      i & 1 ? VVRAM_GEM_CREATE_CONTIGUOUS : 0);
	vvram_query(client, &mem);
	igt_assert_eq_u64(mem.vram_used_bytes, 16 * MiB);
	for (int i = 0; i < 4; i++)
		vvram_gem_close(client, handles[i]);
	vvram_assert_device_works(client, 4);
	vvram_assert_idle(client);
	vvram_query(client, &mem);
	igt_assert_eq_u64(mem.largest_free_bytes, 16 * MiB);

	/*
	 * A contiguous BO of a size that is not a power of two takes exactly
	 * its size in one range (6.1's drm_buddy: a 4 MiB block trimmed).
	 */
	handles[0] = vvram_gem_create(client, 3 * MiB, VRAM, VVRAM_GEM_CREATE_CONTIGUOUS);
	vvram_gem_blocks(client, handles[0], &info);
	igt_assert_eq_u64(vvram_blocks_total(&info), 3 * MiB);
	igt_assert(vvram_blocks_contiguous(&info));
	free(info.blocks);
	vvram_query(client, &mem);
	igt_assert_eq_u64(mem.vram_used_bytes, 3 * MiB);
	vvram_gem_close(client, handles[0]);
}

static void lifetime_tests(void)
{
	igt_describe("The card and render nodes of the vvram driver exist, and drm_open_driver(DRIVER_ANY) finds vvram.");
	igt_subtest("nodes") {
		int client;

		require_module();
		assert_nodes();
		client = vvram_igt_open();
		igt_assert(vvram_is_vvram(client));
		close(client);
	}

	igt_describe_f("The module unloads, removing its nodes, and loads again, %d times: in a third of the cycles no client comes in between, in the others one uses the device, and half of those leave BOs for their file's close to free.",
		       RELOAD_CYCLES);
	igt_subtest("reload-cycles") {
		require_module();
		for (unsigned int cycle = 0; cycle < RELOAD_CYCLES; cycle++) {
			int client;

			unload();
			load(vvram_igt_params());
			if (cycle % 3 == 0)
				continue;
			client = vvram_igt_open();
			vvram_assert_device_works(client, cycle);
			if (cycle % 3 == 2)
				vvram_gem_create(client, SZ_64K, VRAM, 0);
			close(client);
		}
	}

	igt_describe("Unloading while a client has the device open is refused; the client keeps working.");
	igt_subtest("unload-refused-open-file") {
		int client;
		uint32_t handle;

		require_module();
		client = vvram_igt_open();
		handle = vvram_gem_create(client, SZ_64K, VRAM, 0);
		vvram_bo_fill(client, handle, SZ_64K, 1);
		assert_unload_refused();
		vvram_bo_assert_pattern(client, handle, SZ_64K, 1);
		vvram_assert_device_works(client, 2);
		close(client);
		unload();
		load(vvram_igt_params());
	}

	igt_describe("Unloading while a BO is still mapped is refused, even with its file closed.");
	igt_subtest("unload-refused-mapping") {
		uint32_t handle;
		int client;
		void *ptr;

		require_module();
		client = vvram_igt_open();
		handle = vvram_gem_create(client, SZ_64K, VRAM, 0);
		ptr = vvram_gem_mmap(client, handle, SZ_64K);
		vvram_pattern_fill(ptr, SZ_64K, 2);
		vvram_gem_close(client, handle);
		close(client);
		assert_unload_refused();
		vvram_pattern_assert(ptr, SZ_64K, 2);
		munmap(ptr, SZ_64K);
		unload();
		load(vvram_igt_params());
	}

	igt_describe("Unloading while a dma-buf of a BO exists is refused, even with its file closed; the dma-buf keeps the data.");
	igt_subtest("unload-refused-dma-buf") {
		uint32_t handle;
		int client, dmabuf;
		void *ptr;

		require_module();
		client = vvram_igt_open();
		handle = vvram_gem_create(client, SZ_64K, VRAM, 0);
		vvram_bo_fill(client, handle, SZ_64K, 3);
		igt_assert_eq(drmPrimeHandleToFD(client, handle, DRM_CLOEXEC, &dmabuf), 0);
		vvram_gem_close(client, handle);
		close(client);
		assert_unload_refused();
		ptr = mmap(NULL, SZ_64K, PROT_READ, MAP_SHARED, dmabuf, 0);
		igt_assert(ptr != MAP_FAILED);
		vvram_pattern_assert(ptr, SZ_64K, 3);
		munmap(ptr, SZ_64K);
		close(dmabuf);
		unload();
		load(vvram_igt_params());
	}
}

static const struct {
	const char *name, *params;
} bad_params[] = {
	{ "zero-vram", "vram_size=0" },
	{ "vram-below-a-page", "vram_size=4095" },
	{ "vram-not-chunk-multiple", "vram_size=12345" },
	{ "window-larger-than-vram", "vram_size=16M visible_size=32M" },
	{ "window-not-chunk-multiple", "vram_size=16777216 visible_size=1000" },
	{ "chunk-not-power-of-two", "chunk_size=3000" },
	{ "chunk-below-page", "chunk_size=2048" },
	{ "zero-chunk", "chunk_size=0" },
	{ "chunk-larger-than-vram", "vram_size=16M visible_size=16M chunk_size=32M" },
	{ "size-not-a-number", "vram_size=lots" },
	{ "size-bad-suffix", "vram_size=16Q" },
	{ "unknown-allocator", "allocator=bogus" },
	{ "vram-end-overflows", "base_offset=0xffffffffffff0000" },
	{ "no-crtcs", "crtcs=0" },
	{ "too-many-crtcs", "crtcs=5" },
	{ "negative-crtcs", "crtcs=-1" },
	{ "too-many-overlays", "enable_overlay=5" },
	{ "display-not-a-bool", "display=maybe" },
	{ "fbdev-not-a-bool", "fbdev=auto" },
};

static void parameter_tests(void)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(bad_params); i++) {
		igt_describe("Loading with this bad parameter fails with EINVAL and leaves no device behind.");
		igt_subtest_f("rejects-%s", bad_params[i].name) {
			int err;

			require_module();
			unload();
			err = vvram_module_load(bad_params[i].params);
			igt_assert_f(err == -EINVAL, "loading with '%s' returned %d\n",
				     bad_params[i].params, err);
			igt_assert(!vvram_module_loaded());
			igt_assert_eq(vvram_open(0), -ENODEV);
			load(vvram_igt_params());
		}
	}

	igt_describe("Good parameters are what QUERY and sysfs report: 24 MiB of VRAM at 4 GiB, 64 KiB chunks, all of it usable.");
	igt_subtest("params-reported")
		with_params("vram_size=25165824 visible_size=8388608 chunk_size=65536 base_offset=4294967296 fbdev=0",
			    check_params_reported);

	igt_describe("With allocator=kernel the kernel's buddy allocator serves the same manager: VRAM fills exactly, comes back whole, and a 3 MiB contiguous BO takes exactly 3 MiB in one range.");
	igt_subtest("allocator-kernel")
		with_params("allocator=kernel vram_size=16777216 visible_size=16777216 fbdev=0",
			    check_kernel_allocator);
}

igt_main
{
	igt_fixture
		igt_require_f(geteuid() == 0 && vvram_igt_params(), "reloading vvram needs root\n");

	igt_subtest_group
		lifetime_tests();
	igt_subtest_group
		parameter_tests();
}
