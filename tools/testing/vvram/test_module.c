// SPDX-License-Identifier: MIT
/*
 * The module: 20 unload/reload cycles with the device used in each;
 * unloading while a client holds the device (an open file, a mapping, a
 * dma-buf) is refused and harms nothing; bad module parameters are
 * refused; good ones are what QUERY reports; allocator=kernel works.
 *
 * vvram's file_operations and exported dma-bufs hold a reference on the
 * module, so delete_module(2) answers EAGAIN (EWOULDBLOCK; rmmod(8) says
 * "in use") while any of them lives. EBUSY is accepted as the same refusal.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <xf86drm.h>

#include "vvram_test.h"

#define VRAM VVRAM_GEM_DOMAIN_VRAM

static void assert_no_device(void)
{
	int fd = vvram_open(0);

	if (fd >= 0) {
		vvram_close(fd);
		VT_FAIL("a vvram node is still there after unloading");
	}
	VT_ASSERT_EQ(fd, -ENODEV);
}

static void assert_refused(int err, const char *holder)
{
	if (err != EAGAIN && err != EBUSY)
		VT_FAIL("unloading vvram with %s: %s, expected a refusal (EAGAIN or EBUSY)",
			holder, err ? vt_errname(err) : "unloaded");
}

/* Create, fill and check one BO: the device works. */
static void use_device(int fd, uint64_t seed)
{
	uint32_t handle = vt_bo_create(fd, 256 * KiB, VRAM, 0);
	uint8_t *map = vt_bo_map(fd, handle, 256 * KiB);

	vt_check_zero(map, 256 * KiB, "new BO");
	vvram_pattern_fill(map, 256 * KiB, seed);
	vt_check_pattern(map, 256 * KiB, seed, "BO");
	vt_bo_unmap(map, 256 * KiB);
	VT_OK(vvram_bo_close(fd, handle));
}

static void reload_20_cycles(void)
{
	int cycle;

	if (geteuid() != 0)
		vt_skip("needs root");
	for (cycle = 0; cycle < 20; cycle++) {
		int fd;

		VT_ASSERT_EQ(vt_unload_module(), 0);
		assert_no_device();
		vt_reload_module("");
		fd = vt_open();
		use_device(fd, cycle);
		/* Half the cycles leave a BO for the file release to free. */
		if (cycle & 1)
			vt_bo_create(fd, 64 * KiB, VRAM, 0);
		vvram_close(fd);
	}
}

static void unload_with_open_file_refused(void)
{
	int fd;

	vt_reload_module("");
	fd = vt_open();
	vt_bo_create(fd, 64 * KiB, VRAM, 0);
	assert_refused(vt_unload_module(), "an open file");
	/* Nothing broke: the device still works for that client. */
	use_device(fd, 1);
	vvram_close(fd);
	VT_ASSERT_EQ(vt_unload_module(), 0);
	assert_no_device();
	vt_reload_module("");
}

static void unload_with_mapping_refused(void)
{
	uint32_t handle;
	uint8_t *map;
	int fd;

	vt_reload_module("");
	fd = vt_open();
	handle = vt_bo_create(fd, 64 * KiB, VRAM, 0);
	map = vt_bo_map(fd, handle, 64 * KiB);
	vvram_pattern_fill(map, 64 * KiB, 2);
	/* The mapping alone keeps the file, and so the module, alive. */
	vvram_close(fd);
	assert_refused(vt_unload_module(), "a mapping of a closed file");
	vt_check_pattern(map, 64 * KiB, 2, "BO mapped after its file closed");
	vt_bo_unmap(map, 64 * KiB);
	VT_ASSERT_EQ(vt_unload_module(), 0);
	vt_reload_module("");
}

static void unload_with_dmabuf_refused(void)
{
	uint32_t handle;
	uint8_t *map;
	int fd, dmabuf;

	vt_reload_module("");
	fd = vt_open();
	handle = vt_bo_create(fd, 64 * KiB, VRAM, 0);
	map = vt_bo_map(fd, handle, 64 * KiB);
	vvram_pattern_fill(map, 64 * KiB, 3);
	vt_bo_unmap(map, 64 * KiB);
	VT_OK(drmPrimeHandleToFD(fd, handle, DRM_CLOEXEC, &dmabuf) ? -errno : 0);
	vvram_close(fd);
	assert_refused(vt_unload_module(), "an exported dma-buf");
	map = mmap(NULL, 64 * KiB, PROT_READ, MAP_SHARED, dmabuf, 0);
	if (map != MAP_FAILED) {
		vt_check_pattern(map, 64 * KiB, 3, "dma-buf of an unloading device");
		vt_bo_unmap(map, 64 * KiB);
	}
	close(dmabuf);
	VT_ASSERT_EQ(vt_unload_module(), 0);
	vt_reload_module("");
}

static void bad_params_refused(void)
{
	static const char *const bad[] = {
		"vram_size=0",
		"vram_size=4095",			/* not a chunk multiple */
		"vram_size=16777216 visible_size=33554432",	/* window > VRAM */
		"vram_size=16777216 visible_size=1000",	/* not a chunk multiple */
		"chunk_size=3000",			/* not a power of two */
		"chunk_size=2048",			/* below the page size */
		"vram_size=16777216 visible_size=16777216 chunk_size=33554432",
		"allocator=bogus",
		"vram_size=16Q",			/* not a size */
		"base_offset=0xffffffffffff0000",	/* end overflows */
	};
	size_t i;
	int err;

	if (geteuid() != 0)
		vt_skip("needs root");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		VT_ASSERT_EQ(vt_unload_module(), 0);
		err = vt_load_module(bad[i]);
		if (err != EINVAL)
			VT_FAIL("loading vvram with bad parameters '%s': %s, expected EINVAL",
				bad[i], err ? vt_errname(err) : "loaded");
		assert_no_device();
	}
	vt_reload_module("");
}

static void params_reported(void)
{
	struct vvram_memory mem, after;
	struct vvram_bo_info info;
	uint32_t handle;
	int fd, i;

	/* 24 MiB: not a power of two; 64 KiB chunks; VRAM at 4 GiB. */
	vt_reload_module("vram_size=25165824 visible_size=8388608 chunk_size=65536 base_offset=4294967296");
	fd = vt_open();
	vt_query(fd, &mem);
	VT_ASSERT_EQ(mem.vram_total_bytes, 24 * MiB);
	VT_ASSERT_EQ(mem.visible_total_bytes, 8 * MiB);
	VT_ASSERT_EQ(mem.chunk_size_bytes, 64 * KiB);
	VT_ASSERT_EQ(mem.base_offset, 4 * GiB);
	VT_ASSERT_EQ(mem.largest_free_bytes, 24 * MiB);
	VT_ASSERT_EQ(vt_sysfs(fd, "mem_info_vram_total"), 24 * MiB);

	/* A page-sized BO takes a whole chunk of VRAM. */
	handle = vt_bo_create(fd, 4 * KiB, VRAM, 0);
	vt_query(fd, &after);
	VT_ASSERT_EQ(after.vram_used_bytes, 64 * KiB);
	vt_bo_info(fd, handle, &info);
	VT_ASSERT_EQ(info.block_count, 1);
	VT_ASSERT_EQ(info.blocks[0].size_bytes, 64 * KiB);
	VT_ASSERT(info.address >= 4 * GiB);
	VT_ASSERT(info.address + 64 * KiB <= 4 * GiB + 24 * MiB);
	vvram_bo_info_fini(&info);
	VT_OK(vvram_bo_close(fd, handle));
	/* The freed chunk merged back with its buddies. */
	vt_query(fd, &after);
	VT_ASSERT_EQ(after.largest_free_bytes, 24 * MiB);

	/* All 24 MiB usable: three contiguous 8 MiB BOs, without eviction. */
	for (i = 0; i < 3; i++)
		vt_bo_create(fd, 8 * MiB, VRAM, VVRAM_GEM_CREATE_CONTIGUOUS);
	vt_query(fd, &after);
	VT_ASSERT_EQ(after.evictions, mem.evictions);
	VT_ASSERT_EQ(after.vram_used_bytes, 24 * MiB);
	VT_ASSERT_EQ(after.largest_free_bytes, 0);
	vvram_close(fd);
	vt_reload_module("");
}

/* The same manager on the kernel's own buddy allocator. */
static void kernel_allocator(void)
{
	struct vvram_memory mem;
	uint32_t handles[4];
	int fd, i;

	vt_reload_module("allocator=kernel vram_size=16777216 visible_size=16777216");
	fd = vt_open();
	vt_query(fd, &mem);
	VT_ASSERT_EQ(mem.vram_total_bytes, 16 * MiB);
	for (i = 0; i < 4; i++)
		handles[i] = vt_bo_create(fd, 4 * MiB, VRAM, i & 1 ? VVRAM_GEM_CREATE_CONTIGUOUS : 0);
	vt_query(fd, &mem);
	VT_ASSERT_EQ(mem.vram_used_bytes, 16 * MiB);
	for (i = 0; i < 4; i++)
		VT_OK(vvram_bo_close(fd, handles[i]));
	use_device(fd, 4);
	vt_wait_idle(fd);
	vt_query(fd, &mem);
	VT_ASSERT_EQ(mem.largest_free_bytes, 16 * MiB);
	vvram_close(fd);
	vt_reload_module("");
}

int main(void)
{
	vt_run("reload-20-cycles", reload_20_cycles, 600);
	vt_run("unload-with-open-file-refused", unload_with_open_file_refused, 120);
	vt_run("unload-with-mapping-refused", unload_with_mapping_refused, 120);
	vt_run("unload-with-dmabuf-refused", unload_with_dmabuf_refused, 120);
	vt_run("bad-params-refused", bad_params_refused, 300);
	vt_run("params-reported", params_reported, 120);
	vt_run("allocator-kernel", kernel_allocator, 120);
	return vt_exit();
}
