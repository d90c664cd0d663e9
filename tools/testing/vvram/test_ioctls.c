// SPDX-License-Identifier: MIT
/*
 * GEM_INFO, GEM_MIGRATE, GEM_PIN and QUERY, with the error cases
 * <drm/vvram_drm.h> documents: EINVAL for bad arguments, ENOENT for bad
 * handles, E2BIG and ENOSPC for what does not fit, EFAULT for bad
 * pointers, EBUSY for pinned BOs. Runs on the render node, which must
 * allow every vvram ioctl. test_create.c covers creation and mapping.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "vvram_test.h"

static int info_raw(int fd, struct drm_vvram_gem_info *args)
{
	return vvram_ioctl(fd, DRM_IOCTL_VVRAM_GEM_INFO, args);
}

static void info_reports_placement(void)
{
	int fd = vt_open();
	struct vvram_memory mem;
	struct vvram_bo_info info;
	uint64_t sum = 0;
	uint32_t handle, i;

	vt_query(fd, &mem);
	/* 3 chunks: not a power of two, so a buddy may use several blocks. */
	handle = vt_bo_create(fd, 3 * mem.chunk_size_bytes, VVRAM_GEM_DOMAIN_VRAM, 0);
	vt_bo_info(fd, handle, &info);
	VT_ASSERT_EQ(info.domain, VVRAM_GEM_DOMAIN_VRAM);
	VT_ASSERT(info.block_count >= 1);
	VT_ASSERT_EQ(info.address, info.blocks[0].address);
	for (i = 0; i < info.block_count; i++) {
		uint64_t start = info.blocks[i].address - mem.base_offset;

		VT_ASSERT(info.blocks[i].address >= mem.base_offset);
		VT_ASSERT(start + info.blocks[i].size_bytes <= mem.vram_total_bytes);
		VT_ASSERT_EQ(info.blocks[i].size_bytes % mem.chunk_size_bytes, 0);
		sum += info.blocks[i].size_bytes;
	}
	VT_ASSERT_EQ(sum, 3 * mem.chunk_size_bytes);
	vvram_bo_info_fini(&info);

	/* Outside VRAM: no blocks, no address. */
	VT_OK(vvram_bo_migrate(fd, handle, VVRAM_GEM_DOMAIN_CPU));
	vt_bo_info(fd, handle, &info);
	VT_ASSERT_EQ(info.domain, VVRAM_GEM_DOMAIN_CPU);
	VT_ASSERT_EQ(info.block_count, 0);
	VT_ASSERT_EQ(info.address, 0);
	vvram_bo_info_fini(&info);
	vvram_close(fd);
}

/* The kernel copies min(capacity, count) blocks and reports the count. */
static void info_block_list_protocol(void)
{
	struct drm_vvram_gem_block blocks[64];
	struct drm_vvram_gem_info args;
	struct vvram_memory mem;
	int fd = vt_open();
	uint32_t handle, count, i;

	vt_query(fd, &mem);
	/* 7 chunks: a binary buddy needs at least 3 blocks (4 + 2 + 1). */
	handle = vt_bo_create(fd, 7 * mem.chunk_size_bytes, VVRAM_GEM_DOMAIN_VRAM, 0);
	memset(&args, 0, sizeof(args));
	args.handle = handle;
	VT_OK(info_raw(fd, &args));
	count = args.num_blocks;
	VT_ASSERT(count >= 3);
	VT_ASSERT(count < 64);

	memset(blocks, 0xa5, sizeof(blocks));
	memset(&args, 0, sizeof(args));
	args.handle = handle;
	args.num_blocks = count - 1;
	args.blocks_ptr = (uintptr_t)blocks;
	VT_OK(info_raw(fd, &args));
	VT_ASSERT_EQ(args.num_blocks, count);
	for (i = 0; i < count - 1; i++)
		VT_ASSERT(blocks[i].size != 0xa5a5a5a5a5a5a5a5ull);
	/* Nothing written beyond the capacity given. */
	VT_ASSERT_EQ(blocks[count - 1].size, 0xa5a5a5a5a5a5a5a5ull);
	VT_ASSERT_EQ(blocks[count - 1].dev_addr, 0xa5a5a5a5a5a5a5a5ull);

	/* A capacity larger than needed is fine too. */
	args.num_blocks = 64;
	VT_OK(info_raw(fd, &args));
	VT_ASSERT_EQ(args.num_blocks, count);
	VT_ASSERT_EQ(blocks[count].size, 0xa5a5a5a5a5a5a5a5ull);
	vvram_close(fd);
}

static void info_bad_arguments(void)
{
	struct drm_vvram_gem_info args;
	int fd = vt_open();
	uint32_t handle;

	handle = vt_bo_create(fd, 3 * 4096, VVRAM_GEM_DOMAIN_VRAM, 0);
	memset(&args, 0, sizeof(args));
	args.handle = 0;
	VT_ERRNO(info_raw(fd, &args), ENOENT);
	args.handle = handle + 1000;
	VT_ERRNO(info_raw(fd, &args), ENOENT);
	args.handle = handle;
	args.reserved[0] = 1;
	VT_ERRNO(info_raw(fd, &args), EINVAL);
	args.reserved[0] = 0;
	args.reserved[1] = 1;
	VT_ERRNO(info_raw(fd, &args), EINVAL);
	args.reserved[1] = 0;
	/* A bad pointer with room for entries. */
	args.num_blocks = 4;
	args.blocks_ptr = VT_BAD_PTR;
	VT_ERRNO(info_raw(fd, &args), EFAULT);
	/* A bad pointer is never read when there is no room to copy to. */
	args.num_blocks = 0;
	VT_OK(info_raw(fd, &args));
	vvram_close(fd);
}

static int migrate_raw(int fd, struct drm_vvram_gem_migrate *args)
{
	return vvram_ioctl(fd, DRM_IOCTL_VVRAM_GEM_MIGRATE, args);
}

static void migrate_keeps_data(void)
{
	static const uint32_t path[] = {
		VVRAM_GEM_DOMAIN_GTT, VVRAM_GEM_DOMAIN_CPU, VVRAM_GEM_DOMAIN_VRAM,
		VVRAM_GEM_DOMAIN_CPU, VVRAM_GEM_DOMAIN_GTT, VVRAM_GEM_DOMAIN_VRAM,
		VVRAM_GEM_DOMAIN_VRAM,
	};
	const uint64_t size = 1 * MiB + 12 * KiB;
	int fd = vt_open();
	uint32_t handle;
	uint8_t *map;
	size_t i;

	handle = vt_bo_create(fd, size, VVRAM_GEM_DOMAIN_VRAM | VVRAM_GEM_DOMAIN_GTT, 0);
	map = vt_bo_map(fd, handle, size);
	vvram_pattern_fill(map, size, 77);
	vt_bo_unmap(map, size);
	for (i = 0; i < sizeof(path) / sizeof(path[0]); i++) {
		VT_OK(vvram_bo_migrate(fd, handle, path[i]));
		vt_assert_domain(fd, handle, path[i]);
		map = vt_bo_map(fd, handle, size);
		vt_check_pattern(map, size, 77, "BO after migration");
		vt_bo_unmap(map, size);
		/* Mapping must not have moved it back. */
		vt_assert_domain(fd, handle, path[i]);
	}
	vvram_close(fd);
}

static void migrate_bad_arguments(void)
{
	struct drm_vvram_gem_migrate args = { 0 };
	int fd = vt_open();
	uint32_t handle, gtt_only;

	handle = vt_bo_create(fd, 4096, VVRAM_GEM_DOMAIN_VRAM, 0);
	gtt_only = vt_bo_create(fd, 4096, VVRAM_GEM_DOMAIN_GTT, 0);

	args.domain = VVRAM_GEM_DOMAIN_GTT;
	args.handle = 0;
	VT_ERRNO(migrate_raw(fd, &args), ENOENT);
	args.handle = gtt_only + 1000;
	VT_ERRNO(migrate_raw(fd, &args), ENOENT);
	args.handle = handle;
	args.domain = 0;
	VT_ERRNO(migrate_raw(fd, &args), EINVAL);
	args.domain = VVRAM_GEM_DOMAIN_VRAM | VVRAM_GEM_DOMAIN_GTT;
	VT_ERRNO(migrate_raw(fd, &args), EINVAL);
	args.domain = 1u << 3;
	VT_ERRNO(migrate_raw(fd, &args), EINVAL);
	/* GTT is not among this BO's domains; CPU always is. */
	args.domain = VVRAM_GEM_DOMAIN_GTT;
	VT_ERRNO(migrate_raw(fd, &args), EINVAL);
	args.domain = VVRAM_GEM_DOMAIN_CPU;
	VT_OK(migrate_raw(fd, &args));
	args.handle = gtt_only;
	args.domain = VVRAM_GEM_DOMAIN_VRAM;
	VT_ERRNO(migrate_raw(fd, &args), EINVAL);
	args.domain = VVRAM_GEM_DOMAIN_CPU;
	args.flags = 1;
	VT_ERRNO(migrate_raw(fd, &args), EINVAL);
	args.flags = 0;
	args.pad = 1;
	VT_ERRNO(migrate_raw(fd, &args), EINVAL);
	args.pad = 0;
	args.reserved = 1;
	VT_ERRNO(migrate_raw(fd, &args), EINVAL);
	args.reserved = 0;
	VT_OK(migrate_raw(fd, &args));
	vvram_close(fd);
}

/* Moving or pinning where the BO can never fit fails at once. */
static void migrate_pin_never_fits(void)
{
	struct vvram_memory mem;
	int fd = vt_open();
	uint32_t handle;

	vt_query(fd, &mem);
	handle = vt_bo_create(fd, mem.vram_total_bytes + 4096,
			      VVRAM_GEM_DOMAIN_VRAM | VVRAM_GEM_DOMAIN_GTT, 0);
	vt_assert_domain(fd, handle, VVRAM_GEM_DOMAIN_GTT);
	VT_ERRNO(vvram_bo_migrate(fd, handle, VVRAM_GEM_DOMAIN_VRAM), E2BIG);
	VT_ERRNO(vvram_bo_pin(fd, handle, VVRAM_GEM_DOMAIN_VRAM), E2BIG);
	vt_assert_domain(fd, handle, VVRAM_GEM_DOMAIN_GTT);
	VT_OK(vvram_bo_migrate(fd, handle, VVRAM_GEM_DOMAIN_CPU));
	vvram_close(fd);
}

static int pin_raw(int fd, struct drm_vvram_gem_pin *args)
{
	return vvram_ioctl(fd, DRM_IOCTL_VVRAM_GEM_PIN, args);
}

static bool is_pinned(int fd, uint32_t handle)
{
	struct vvram_bo_info info;

	vt_bo_info(fd, handle, &info);
	vvram_bo_info_fini(&info);
	return info.flags & VVRAM_GEM_INFO_PINNED;
}

static void pin_and_unpin(void)
{
	int fd = vt_open();
	uint32_t handle;
	uint8_t *map;

	handle = vt_bo_create(fd, 64 * KiB,
			      VVRAM_GEM_DOMAIN_VRAM | VVRAM_GEM_DOMAIN_GTT, 0);
	map = vt_bo_map(fd, handle, 64 * KiB);
	vvram_pattern_fill(map, 64 * KiB, 9);
	VT_ASSERT(!is_pinned(fd, handle));

	/* Pinning migrates first, keeping the data. */
	VT_OK(vvram_bo_pin(fd, handle, VVRAM_GEM_DOMAIN_GTT));
	VT_ASSERT(is_pinned(fd, handle));
	vt_assert_domain(fd, handle, VVRAM_GEM_DOMAIN_GTT);
	vt_check_pattern(map, 64 * KiB, 9, "BO pinned in GTT");
	/* Same domain again: a no-op. Another domain: busy. */
	VT_OK(vvram_bo_pin(fd, handle, VVRAM_GEM_DOMAIN_GTT));
	VT_ERRNO(vvram_bo_pin(fd, handle, VVRAM_GEM_DOMAIN_VRAM), EBUSY);
	VT_ERRNO(vvram_bo_migrate(fd, handle, VVRAM_GEM_DOMAIN_VRAM), EBUSY);
	VT_ERRNO(vvram_bo_migrate(fd, handle, VVRAM_GEM_DOMAIN_CPU), EBUSY);
	vt_assert_domain(fd, handle, VVRAM_GEM_DOMAIN_GTT);

	VT_OK(vvram_bo_unpin(fd, handle));
	VT_ASSERT(!is_pinned(fd, handle));
	/* One user pin: a second unpin has nothing to undo. */
	VT_ERRNO(vvram_bo_unpin(fd, handle), EINVAL);
	VT_OK(vvram_bo_migrate(fd, handle, VVRAM_GEM_DOMAIN_VRAM));
	VT_OK(vvram_bo_pin(fd, handle, VVRAM_GEM_DOMAIN_VRAM));
	vt_assert_domain(fd, handle, VVRAM_GEM_DOMAIN_VRAM);
	vt_check_pattern(map, 64 * KiB, 9, "BO pinned in VRAM");
	vt_bo_unmap(map, 64 * KiB);
	/* Closing a pinned BO frees it: the pin ends with the BO. */
	VT_OK(vvram_bo_close(fd, handle));
	vvram_close(fd);
}

static void pin_bad_arguments(void)
{
	struct drm_vvram_gem_pin args = { 0 };
	int fd = vt_open();
	uint32_t handle = vt_bo_create(fd, 4096, VVRAM_GEM_DOMAIN_VRAM, 0);

	args.domain = VVRAM_GEM_DOMAIN_VRAM;
	args.handle = 0;
	VT_ERRNO(pin_raw(fd, &args), ENOENT);
	args.handle = handle + 1000;
	VT_ERRNO(pin_raw(fd, &args), ENOENT);
	args.handle = handle;
	args.domain = 0;
	VT_ERRNO(pin_raw(fd, &args), EINVAL);
	args.domain = VVRAM_GEM_DOMAIN_VRAM | VVRAM_GEM_DOMAIN_CPU;
	VT_ERRNO(pin_raw(fd, &args), EINVAL);
	args.domain = 1u << 7;
	VT_ERRNO(pin_raw(fd, &args), EINVAL);
	args.domain = VVRAM_GEM_DOMAIN_GTT;	/* not allowed for this BO */
	VT_ERRNO(pin_raw(fd, &args), EINVAL);
	args.domain = VVRAM_GEM_DOMAIN_VRAM;
	args.flags = 1u << 1;
	VT_ERRNO(pin_raw(fd, &args), EINVAL);
	args.flags = 0;
	args.pad = 1;
	VT_ERRNO(pin_raw(fd, &args), EINVAL);
	args.pad = 0;
	args.reserved = 1;
	VT_ERRNO(pin_raw(fd, &args), EINVAL);
	args.reserved = 0;
	/* Unpinning a BO with no pin. */
	args.domain = 0;
	args.flags = VVRAM_GEM_PIN_UNPIN;
	VT_ERRNO(pin_raw(fd, &args), EINVAL);
	vvram_close(fd);
}

static int query_raw(int fd, struct drm_vvram_query *args)
{
	return vvram_ioctl(fd, DRM_IOCTL_VVRAM_QUERY, args);
}

static void query_memory_regions(void)
{
	struct drm_vvram_query_mem_regions regions;
	struct drm_vvram_query args = { .query = VVRAM_QUERY_MEM_REGIONS };
	struct vvram_memory before, after;
	int fd = vt_open();
	uint32_t handle;

	VT_OK(query_raw(fd, &args));
	VT_ASSERT_EQ(args.size, sizeof(regions));
	memset(&regions, 0xff, sizeof(regions));
	args.data = (uintptr_t)&regions;
	VT_OK(query_raw(fd, &args));
	VT_ASSERT_EQ(args.size, sizeof(regions));
	VT_ASSERT_EQ(regions.reserved[0] | regions.reserved[5], 0);

	VT_ASSERT_EQ(regions.vram_total, vt_module_param("vram_size"));
	VT_ASSERT_EQ(regions.vis_vram_total, vt_module_param("visible_size"));
	VT_ASSERT_EQ(regions.vram_chunk_size, vt_module_param("chunk_size"));
	VT_ASSERT_EQ(regions.vram_base_offset, vt_module_param("base_offset"));
	VT_ASSERT(regions.vram_used <= regions.vram_total);
	VT_ASSERT(regions.vis_vram_used <= regions.vis_vram_total);
	VT_ASSERT(regions.vram_largest_free <= regions.vram_total - regions.vram_used);
	VT_ASSERT(regions.gtt_total > 0);

	/* The sysfs attributes tell the same story. */
	VT_ASSERT_EQ(vt_sysfs(fd, "mem_info_vram_total"), regions.vram_total);
	VT_ASSERT_EQ(vt_sysfs(fd, "mem_info_vis_vram_total"), regions.vis_vram_total);

	vt_query(fd, &before);
	handle = vt_bo_create(fd, 1 * MiB, VVRAM_GEM_DOMAIN_VRAM,
			      VVRAM_GEM_CREATE_CPU_ACCESS_REQUIRED);
	vt_query(fd, &after);
	VT_ASSERT_EQ(after.vram_used_bytes - before.vram_used_bytes, 1 * MiB);
	VT_ASSERT_EQ(after.visible_used_bytes - before.visible_used_bytes, 1 * MiB);
	VT_ASSERT_EQ(vt_sysfs(fd, "mem_info_vram_used"), after.vram_used_bytes);
	VT_ASSERT_EQ(vt_sysfs(fd, "mem_info_vis_vram_used"), after.visible_used_bytes);
	VT_OK(vvram_bo_migrate(fd, handle, VVRAM_GEM_DOMAIN_CPU));
	VT_OK(vvram_bo_close(fd, handle));
	vt_query(fd, &after);
	VT_ASSERT_EQ(after.vram_used_bytes, before.vram_used_bytes);

	handle = vt_bo_create(fd, 1 * MiB, VVRAM_GEM_DOMAIN_GTT, 0);
	vt_query(fd, &after);
	VT_ASSERT_EQ(after.gtt_used_bytes - before.gtt_used_bytes, 1 * MiB);
	vvram_close(fd);
}

static void query_bad_arguments(void)
{
	struct drm_vvram_query_mem_regions regions;
	struct drm_vvram_query args = { .query = VVRAM_QUERY_MEM_REGIONS };
	int fd = vt_open();
	uint32_t size;

	VT_OK(query_raw(fd, &args));
	size = args.size;

	args.query = 1;
	VT_ERRNO(query_raw(fd, &args), EINVAL);
	args.query = ~0u;
	args.size = 0;
	VT_ERRNO(query_raw(fd, &args), EINVAL);
	args.query = VVRAM_QUERY_MEM_REGIONS;
	args.data = (uintptr_t)&regions;
	args.size = size - 8;
	VT_ERRNO(query_raw(fd, &args), EINVAL);
	args.size = size + 8;
	VT_ERRNO(query_raw(fd, &args), EINVAL);
	args.size = size;
	args.reserved = 1;
	VT_ERRNO(query_raw(fd, &args), EINVAL);
	args.reserved = 0;
	args.data = VT_BAD_PTR;
	VT_ERRNO(query_raw(fd, &args), EFAULT);
	args.data = 0;
	VT_ERRNO(query_raw(fd, &args), EFAULT);
	vvram_close(fd);
}

/* One file's handles mean nothing to another file. */
static void handles_are_per_file(void)
{
	int fd = vt_open(), other = vt_open();
	struct vvram_bo_info info;
	uint32_t handle;

	handle = vt_bo_create(fd, 4096, VVRAM_GEM_DOMAIN_VRAM, 0);
	VT_ERRNO(vvram_bo_info(other, handle, &info), ENOENT);
	vvram_bo_info_fini(&info);
	VT_ERRNO(vvram_bo_migrate(other, handle, VVRAM_GEM_DOMAIN_CPU), ENOENT);
	VT_ERRNO(vvram_bo_pin(other, handle, VVRAM_GEM_DOMAIN_VRAM), ENOENT);
	VT_ERRNO(vvram_bo_close(other, handle), EINVAL);
	VT_OK(vvram_bo_close(fd, handle));
	/* GEM_CLOSE of a closed handle: the DRM core answers EINVAL. */
	VT_ERRNO(vvram_bo_close(fd, handle), EINVAL);
	vvram_close(other);
	vvram_close(fd);
}

int main(void)
{
	vt_run("info-reports-placement", info_reports_placement, 60);
	vt_run("info-block-list-protocol", info_block_list_protocol, 60);
	vt_run("info-bad-arguments", info_bad_arguments, 60);
	vt_run("migrate-keeps-data", migrate_keeps_data, 120);
	vt_run("migrate-bad-arguments", migrate_bad_arguments, 60);
	vt_run("migrate-and-pin-never-fitting-e2big", migrate_pin_never_fits, 60);
	vt_run("pin-and-unpin", pin_and_unpin, 60);
	vt_run("pin-bad-arguments", pin_bad_arguments, 60);
	vt_run("query-memory-regions", query_memory_regions, 60);
	vt_run("query-bad-arguments", query_bad_arguments, 60);
	vt_run("handles-are-per-file", handles_are_per_file, 60);
	return vt_exit();
}
