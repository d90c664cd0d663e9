// SPDX-License-Identifier: MIT
/*
 * vvram_placement: where BOs land in VRAM, as GEM_INFO reports it: top-down,
 * contiguous and visible-window placement, alignment, the device address
 * (base_offset applied), the buddy allocator's behaviour on fragmented VRAM
 * (the scenarios of the allocator's documentation, driven through GEM), and
 * CPU faults on BOs outside the visible window.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "vvram_igt.h"

static int fd = -1;
static struct drm_vvram_query_mem_regions regions;

static uint64_t vram_start(void)
{
	return regions.vram_base_offset;
}

static uint64_t vram_end(void)
{
	return regions.vram_base_offset + regions.vram_total;
}

static uint64_t visible_end(void)
{
	return regions.vram_base_offset + regions.vis_vram_total;
}

static void assert_blocks_inside(const struct drm_vvram_gem_block *blocks,
				 uint32_t count, uint64_t start, uint64_t end)
{
	for (uint32_t i = 0; i < count; i++) {
		igt_assert_f(blocks[i].dev_addr >= start &&
			     blocks[i].dev_addr + blocks[i].size <= end,
			     "block [%#llx, +%#llx) outside [%#llx, %#llx)\n",
			     (unsigned long long)blocks[i].dev_addr,
			     (unsigned long long)blocks[i].size,
			     (unsigned long long)start, (unsigned long long)end);
	}
}

/* Checks the accounting of a VRAM BO and returns its sorted blocks. */
static struct drm_vvram_gem_block *vram_blocks(uint32_t handle, uint64_t size,
					       uint32_t *count)
{
	struct drm_vvram_gem_block *blocks;

	igt_assert_eq_u32(vvram_gem_domain(fd, handle), VVRAM_GEM_DOMAIN_VRAM);
	blocks = vvram_gem_blocks(fd, handle, count);
	igt_assert(blocks);
	igt_assert_eq_u64(vvram_blocks_total(blocks, *count),
			  vvram_round_up(size, regions.vram_chunk_size));
	vvram_blocks_contiguous(blocks, *count); /* sorts them */
	assert_blocks_inside(blocks, *count, vram_start(), vram_end());
	return blocks;
}

static void require_partial_visible_window(void)
{
	igt_require_f(regions.vis_vram_total < regions.vram_total,
		      "the whole VRAM is CPU-visible: reload vvram with visible_size < vram_size\n");
}

/*
 * Fills the visible window with unpinned CPU_ACCESS_REQUIRED BOs (that may
 * be evicted to GTT); returns how many, in @handles (room for 4).
 */
static unsigned int fill_visible_window(uint32_t *handles)
{
	uint64_t quarter = regions.vis_vram_total / 4;
	struct drm_vvram_query_mem_regions now;

	igt_require(quarter && quarter % regions.vram_chunk_size == 0);
	for (unsigned int i = 0; i < 4; i++)
		handles[i] = vvram_gem_create(fd, quarter,
					      VVRAM_GEM_DOMAIN_VRAM | VVRAM_GEM_DOMAIN_GTT,
					      VVRAM_GEM_CREATE_CPU_ACCESS_REQUIRED);
	vvram_query_mem_regions(fd, &now);
	igt_assert_eq_u64(now.vis_vram_used, regions.vis_vram_total);
	return 4;
}

/* A BO that lands in VRAM outside the full visible window. */
static uint32_t create_invisible_bo(uint64_t size)
{
	struct drm_vvram_gem_info info;
	uint32_t handle;

	handle = vvram_gem_create(fd, size, VVRAM_GEM_DOMAIN_VRAM | VVRAM_GEM_DOMAIN_GTT, 0);
	vvram_gem_info(fd, handle, &info);
	igt_assert_eq_u32(info.domain, VVRAM_GEM_DOMAIN_VRAM);
	igt_assert(!(info.flags & VVRAM_GEM_INFO_CPU_VISIBLE));
	igt_assert_lte_u64(visible_end(), info.dev_addr);
	return handle;
}

/*
 * Fills VRAM with pinned BOs of @size bytes, aligned to their size, and
 * returns their handles sorted by address: BO i is at vram_start() + i *
 * size.  Freeing some of them leaves holes that no eviction can merge.
 */
static uint32_t *fill_vram_pinned(uint64_t size)
{
	unsigned int n = regions.vram_total / size;
	uint32_t *sorted = calloc(n, sizeof(*sorted));

	igt_assert(sorted);
	for (unsigned int i = 0; i < n; i++) {
		struct drm_vvram_gem_create create = {
			.size = size,
			.alignment = size,
			.domains = VVRAM_GEM_DOMAIN_VRAM,
		};
		struct drm_vvram_gem_info info;
		uint64_t slot;

		igt_assert_eq(__vvram_gem_create(fd, &create), 0);
		vvram_gem_pin(fd, create.handle, VVRAM_GEM_DOMAIN_VRAM);
		vvram_gem_info(fd, create.handle, &info);
		slot = (info.dev_addr - vram_start()) / size;
		igt_assert_lt_u64(slot, n);
		igt_assert_eq(sorted[slot], 0);
		sorted[slot] = create.handle;
	}
	return sorted;
}

static void close_all(uint32_t *handles, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		if (handles[i])
			vvram_gem_close(fd, handles[i]);
	free(handles);
}

/*
 * Splits VRAM into pinned BOs of @hole bytes and frees every other one by
 * address.  Returns the handles by address, 0 for the holes.
 */
static uint32_t *fragment_vram(uint64_t hole)
{
	uint32_t *sorted = fill_vram_pinned(hole);

	for (unsigned int i = 0; i < regions.vram_total / hole; i += 2) {
		vvram_gem_close(fd, sorted[i]);
		sorted[i] = 0;
	}
	return sorted;
}

static uint64_t hole_size(void)
{
	uint64_t hole = SZ_4M;

	while (hole * 4 > regions.vram_total)
		hole /= 2;
	igt_require(hole >= 2 * regions.vram_chunk_size &&
		    regions.vram_total % hole == 0);
	return hole;
}

igt_main
{
	igt_fixture {
		fd = vvram_open();
		vvram_query_mem_regions(fd, &regions);
	}

	igt_describe("A contiguous BO is one range of VRAM, exactly as large as asked (in chunks).");
	igt_subtest("placement-contiguous") {
		const uint64_t size = 3 * SZ_1M + SZ_4K;
		struct drm_vvram_gem_block *blocks;
		struct drm_vvram_gem_info info;
		uint32_t handle, count;

		vvram_assert_vram_empty(fd);
		handle = vvram_gem_create(fd, size, VVRAM_GEM_DOMAIN_VRAM,
					  VVRAM_GEM_CREATE_CONTIGUOUS);
		vvram_gem_info(fd, handle, &info);
		igt_assert(info.flags & VVRAM_GEM_INFO_CONTIGUOUS);
		blocks = vram_blocks(handle, size, &count);
		igt_assert(vvram_blocks_contiguous(blocks, count));
		free(blocks);
		vvram_gem_close(fd, handle);
	}

	igt_describe("A BO without CPU access lands outside the visible window while there is room there.");
	igt_subtest("placement-no-cpu-access-is-outside-visible-window") {
		struct drm_vvram_gem_block *blocks;
		uint32_t handle, count;

		require_partial_visible_window();
		vvram_assert_vram_empty(fd);
		handle = vvram_gem_create(fd, SZ_1M + SZ_64K, VVRAM_GEM_DOMAIN_VRAM,
					  VVRAM_GEM_CREATE_NO_CPU_ACCESS);
		blocks = vram_blocks(handle, SZ_1M + SZ_64K, &count);
		assert_blocks_inside(blocks, count, visible_end(), vram_end());
		free(blocks);
		vvram_gem_close(fd, handle);
	}

	igt_describe("Between two free ranges, a BO without CPU access takes the highest (top-down), an ordinary BO the lowest.");
	igt_subtest("placement-no-cpu-access-is-top-down") {
		uint64_t hole = hole_size();
		unsigned int n = regions.vram_total / hole;
		struct drm_vvram_gem_info info;
		uint32_t *sorted, top, low;

		vvram_assert_vram_empty(fd);
		sorted = fill_vram_pinned(hole);
		/* Two holes, both freed (dirty), at the bottom and the top. */
		vvram_gem_close(fd, sorted[1]);
		vvram_gem_close(fd, sorted[n - 1]);
		sorted[1] = sorted[n - 1] = 0;

		top = vvram_gem_create(fd, hole, VVRAM_GEM_DOMAIN_VRAM,
				       VVRAM_GEM_CREATE_NO_CPU_ACCESS);
		vvram_gem_info(fd, top, &info);
		igt_assert_eq_u64(info.dev_addr, vram_start() + (n - 1) * hole);
		low = vvram_gem_create(fd, hole, VVRAM_GEM_DOMAIN_VRAM, 0);
		vvram_gem_info(fd, low, &info);
		igt_assert_eq_u64(info.dev_addr, vram_start() + hole);

		vvram_gem_close(fd, top);
		vvram_gem_close(fd, low);
		close_all(sorted, n);
	}

	igt_describe("A BO that requires CPU access lies entirely inside the visible window.");
	igt_subtest("placement-cpu-access-required-is-visible") {
		struct drm_vvram_query_mem_regions now;
		struct drm_vvram_gem_block *blocks;
		struct drm_vvram_gem_info info;
		uint32_t handle, count;

		vvram_assert_vram_empty(fd);
		handle = vvram_gem_create(fd, SZ_1M, VVRAM_GEM_DOMAIN_VRAM,
					  VVRAM_GEM_CREATE_CPU_ACCESS_REQUIRED);
		vvram_gem_info(fd, handle, &info);
		igt_assert(info.flags & VVRAM_GEM_INFO_CPU_VISIBLE);
		blocks = vram_blocks(handle, SZ_1M, &count);
		assert_blocks_inside(blocks, count, vram_start(), visible_end());
		vvram_query_mem_regions(fd, &now);
		igt_assert_eq_u64(now.vis_vram_used, SZ_1M);
		free(blocks);
		vvram_gem_close(fd, handle);
	}

	igt_describe("A BO requiring CPU access still gets one when the visible window is full, by eviction.");
	igt_subtest("placement-visible-window-full-evicts") {
		struct drm_vvram_query_mem_regions before, after;
		struct drm_vvram_gem_info info;
		uint32_t window[4], handle;
		unsigned int n;

		require_partial_visible_window();
		vvram_assert_vram_empty(fd);
		n = fill_visible_window(window);
		vvram_query_mem_regions(fd, &before);
		handle = vvram_gem_create(fd, SZ_1M, VVRAM_GEM_DOMAIN_VRAM,
					  VVRAM_GEM_CREATE_CPU_ACCESS_REQUIRED);
		vvram_gem_info(fd, handle, &info);
		igt_assert(info.flags & VVRAM_GEM_INFO_CPU_VISIBLE);
		vvram_query_mem_regions(fd, &after);
		igt_assert_lt_u64(before.evictions, after.evictions);
		vvram_gem_close(fd, handle);
		for (unsigned int i = 0; i < n; i++)
			vvram_gem_close(fd, window[i]);
	}

	igt_describe("The VRAM placement honours the requested alignment.");
	igt_subtest("placement-honours-alignment") {
		for (uint64_t alignment = SZ_64K; alignment <= SZ_4M &&
		     alignment <= regions.vram_total / 2; alignment <<= 1) {
			struct drm_vvram_gem_create create = {
				.size = SZ_4K,
				.alignment = alignment,
				.domains = VVRAM_GEM_DOMAIN_VRAM,
			};
			/* A small BO first, so that alignment has work to do. */
			uint32_t small = vvram_gem_create(fd, SZ_4K, VVRAM_GEM_DOMAIN_VRAM, 0);
			struct drm_vvram_gem_info info;

			igt_assert_eq(__vvram_gem_create(fd, &create), 0);
			vvram_gem_info(fd, create.handle, &info);
			igt_assert_f((info.dev_addr - vram_start()) % alignment == 0,
				     "BO at %#llx not aligned to %#llx\n",
				     (unsigned long long)info.dev_addr,
				     (unsigned long long)alignment);
			vvram_gem_close(fd, create.handle);
			vvram_gem_close(fd, small);
		}
	}

	igt_describe("Device addresses start at base_offset: every block lies in [base_offset, base_offset + vram_size).");
	igt_subtest("placement-applies-base-offset") {
		struct drm_vvram_gem_block *blocks;
		struct drm_vvram_gem_info info;
		uint32_t handle, count;

		handle = vvram_gem_create(fd, 7 * regions.vram_chunk_size,
					  VVRAM_GEM_DOMAIN_VRAM, 0);
		vvram_gem_info(fd, handle, &info);
		blocks = vvram_gem_blocks(fd, handle, &count);
		/* The first block as the kernel lists it, before sorting. */
		igt_assert_eq_u64(info.dev_addr, blocks[0].dev_addr);
		free(blocks);
		blocks = vram_blocks(handle, 7 * regions.vram_chunk_size, &count);
		free(blocks);
		vvram_gem_close(fd, handle);
	}

	igt_describe("GEM_INFO copies at most the blocks asked for and always returns the real count.");
	igt_subtest("info-blocks-two-call-protocol") {
		struct drm_vvram_gem_block one[2] = {};
		struct drm_vvram_gem_info info = {};
		uint32_t handle;

		/* 7 chunks is not a power of two: the buddy needs several blocks. */
		handle = vvram_gem_create(fd, 7 * regions.vram_chunk_size,
					  VVRAM_GEM_DOMAIN_VRAM, 0);
		info.handle = handle;
		igt_assert_eq(__vvram_gem_info(fd, &info), 0);
		igt_assert_lte(2, info.num_blocks);

		memset(&info, 0, sizeof(info));
		info.handle = handle;
		info.num_blocks = 1;
		info.blocks_ptr = to_user_pointer(one);
		igt_assert_eq(__vvram_gem_info(fd, &info), 0);
		igt_assert_lte(2, info.num_blocks);
		igt_assert_neq_u64(one[0].size, 0);
		igt_assert_eq_u64(one[1].size, 0);
		vvram_gem_close(fd, handle);
	}

	igt_describe("With VRAM fragmented into pinned BOs and holes, a contiguous BO larger than any hole fails with ENOSPC.");
	igt_subtest("create-contiguous-fragmented") {
		uint64_t hole = hole_size();
		unsigned int n = regions.vram_total / hole;
		struct drm_vvram_gem_create create = {
			.size = 2 * hole,
			.domains = VVRAM_GEM_DOMAIN_VRAM,
			.flags = VVRAM_GEM_CREATE_CONTIGUOUS,
		};
		struct drm_vvram_query_mem_regions now;
		uint32_t *sorted;

		vvram_assert_vram_empty(fd);
		sorted = fragment_vram(hole);
		vvram_query_mem_regions(fd, &now);
		igt_assert_eq_u64(now.vram_used, n / 2 * hole);
		igt_assert_eq_u64(now.vram_largest_free, hole);

		igt_assert_eq(__vvram_gem_create(fd, &create), -ENOSPC);
		close_all(sorted, n);
	}

	igt_describe("With VRAM fragmented, a non-contiguous BO is built from the holes.");
	igt_subtest("create-non-contiguous-fills-holes") {
		uint64_t hole = hole_size();
		unsigned int n = regions.vram_total / hole;
		struct drm_vvram_gem_create create = {
			.size = 2 * hole,
			.alignment = hole,
			.domains = VVRAM_GEM_DOMAIN_VRAM,
		};
		struct drm_vvram_gem_block *blocks;
		uint32_t *sorted, count;

		vvram_assert_vram_empty(fd);
		sorted = fragment_vram(hole);

		igt_assert_eq(__vvram_gem_create(fd, &create), 0);
		blocks = vram_blocks(create.handle, 2 * hole, &count);
		igt_assert_eq(count, 2);
		for (uint32_t b = 0; b < count; b++) {
			uint64_t slot = (blocks[b].dev_addr - vram_start()) / hole;

			igt_assert_eq_u64(blocks[b].size, hole);
			igt_assert_eq_u64(blocks[b].dev_addr, vram_start() + slot * hole);
			igt_assert_f(slot < n && sorted[slot] == 0,
				     "block at %#llx is not one of the holes\n",
				     (unsigned long long)blocks[b].dev_addr);
		}
		free(blocks);
		vvram_gem_close(fd, create.handle);
		close_all(sorted, n);
	}

	igt_describe("A CPU fault on a BO outside the visible window moves it into the window when there is room.");
	igt_subtest("cpu-fault-moves-bo-into-visible-window") {
		struct drm_vvram_gem_info info;
		uint32_t window[4], handle;
		unsigned int n;
		void *ptr;

		require_partial_visible_window();
		vvram_assert_vram_empty(fd);
		n = fill_visible_window(window);
		handle = create_invisible_bo(SZ_1M);
		for (unsigned int i = 0; i < n; i++)
			vvram_gem_close(fd, window[i]);

		ptr = vvram_gem_mmap(fd, handle, SZ_1M);
		vvram_assert_zero(ptr, SZ_1M);
		vvram_gem_info(fd, handle, &info);
		igt_assert_eq_u32(info.domain, VVRAM_GEM_DOMAIN_VRAM);
		igt_assert(info.flags & VVRAM_GEM_INFO_CPU_VISIBLE);
		vvram_pattern_fill(ptr, SZ_1M, 21);
		munmap(ptr, SZ_1M);
		vvram_bo_assert_pattern(fd, handle, SZ_1M, 21);
		vvram_gem_close(fd, handle);
	}

	igt_describe("A CPU fault on a BO outside a full visible window still maps it (in the window or in GTT), data intact.");
	igt_subtest("cpu-fault-with-full-window-keeps-bo-mappable") {
		struct drm_vvram_gem_info info;
		uint32_t window[4], handle;
		unsigned int n;
		void *ptr;

		require_partial_visible_window();
		vvram_assert_vram_empty(fd);
		n = fill_visible_window(window);
		for (unsigned int i = 0; i < n; i++)
			vvram_bo_fill(fd, window[i], regions.vis_vram_total / 4, 30 + i);
		handle = create_invisible_bo(SZ_1M);
		vvram_gem_migrate(fd, handle, VVRAM_GEM_DOMAIN_GTT);
		vvram_bo_fill(fd, handle, SZ_1M, 22);
		/* Back to VRAM, where only the invisible part has room. */
		vvram_gem_migrate(fd, handle, VVRAM_GEM_DOMAIN_VRAM);
		vvram_gem_info(fd, handle, &info);
		igt_assert(!(info.flags & VVRAM_GEM_INFO_CPU_VISIBLE));

		ptr = vvram_gem_mmap(fd, handle, SZ_1M);
		vvram_pattern_assert(ptr, SZ_1M, 22);
		vvram_gem_info(fd, handle, &info);
		igt_assert_f(info.domain == VVRAM_GEM_DOMAIN_GTT ||
			     (info.domain == VVRAM_GEM_DOMAIN_VRAM &&
			      (info.flags & VVRAM_GEM_INFO_CPU_VISIBLE)),
			     "a mapped BO is in domain %#x, flags %#x\n",
			     info.domain, info.flags);
		munmap(ptr, SZ_1M);
		for (unsigned int i = 0; i < n; i++) {
			vvram_bo_assert_pattern(fd, window[i], regions.vis_vram_total / 4, 30 + i);
			vvram_gem_close(fd, window[i]);
		}
		vvram_gem_close(fd, handle);
	}

	igt_describe("A CPU access to a BO pinned outside the visible window gets SIGBUS, and the kernel stays quiet.");
	igt_subtest("cpu-fault-on-pinned-invisible-bo-is-sigbus") {
		uint32_t window[4], handle;
		unsigned int n;
		void *ptr;

		require_partial_visible_window();
		vvram_assert_vram_empty(fd);
		n = fill_visible_window(window);
		handle = create_invisible_bo(SZ_1M);
		vvram_gem_pin(fd, handle, VVRAM_GEM_DOMAIN_VRAM);

		ptr = vvram_gem_mmap(fd, handle, SZ_1M);
		igt_assert_eq(vvram_access_signal(ptr, false), SIGBUS);
		igt_assert_eq(vvram_access_signal(ptr, true), SIGBUS);
		munmap(ptr, SZ_1M);

		vvram_gem_unpin(fd, handle);
		vvram_bo_assert_zero(fd, handle, SZ_1M);
		vvram_gem_close(fd, handle);
		for (unsigned int i = 0; i < n; i++)
			vvram_gem_close(fd, window[i]);
	}

	igt_fixture
		close(fd);
}
