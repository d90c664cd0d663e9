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
 * Splits VRAM into pinned BOs of @hole bytes and frees every other one by
 * address, leaving holes of @hole bytes that no eviction can merge.
 * Returns the number of BOs kept, in @kept.
 */
static unsigned int fragment_vram(uint64_t hole, uint32_t *kept,
				  struct drm_vvram_gem_block *holes)
{
	unsigned int n = regions.vram_total / hole, nkept = 0, nholes = 0;
	struct { uint64_t addr; uint32_t handle; } *bos = calloc(n, sizeof(*bos));

	igt_assert(bos);
	for (unsigned int i = 0; i < n; i++) {
		struct drm_vvram_gem_create create = {
			.size = hole,
			.alignment = hole,
			.domains = VVRAM_GEM_DOMAIN_VRAM,
		};
		struct drm_vvram_gem_info info;

		igt_assert_eq(__vvram_gem_create(fd, &create), 0);
		vvram_gem_pin(fd, create.handle, VVRAM_GEM_DOMAIN_VRAM);
		vvram_gem_info(fd, create.handle, &info);
		bos[i].addr = info.dev_addr;
		bos[i].handle = create.handle;
	}
	/* Sorted by address, a full VRAM is BO i at start + i * hole. */
	for (unsigned int i = 0; i < n; i++) {
		for (unsigned int j = 0; j < n; j++) {
			if (bos[j].addr != vram_start() + i * hole)
				continue;
			if (i % 2 == 0) {
				holes[nholes].dev_addr = bos[j].addr;
				holes[nholes++].size = hole;
				vvram_gem_close(fd, bos[j].handle);
			} else {
				kept[nkept++] = bos[j].handle;
			}
		}
	}
	igt_assert_eq(nkept + nholes, n);
	free(bos);
	return nkept;
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

	igt_describe("A BO without CPU access is allocated top-down: it ends at the top of an empty VRAM.");
	igt_subtest("placement-no-cpu-access-is-top-down") {
		struct drm_vvram_gem_block *blocks;
		uint32_t handle, count;

		vvram_assert_vram_empty(fd);
		handle = vvram_gem_create(fd, SZ_1M + SZ_64K, VVRAM_GEM_DOMAIN_VRAM,
					  VVRAM_GEM_CREATE_NO_CPU_ACCESS);
		blocks = vram_blocks(handle, SZ_1M + SZ_64K, &count);
		igt_assert_eq_u64(blocks[count - 1].dev_addr + blocks[count - 1].size,
				  vram_end());
		if (regions.vis_vram_total < regions.vram_total)
			assert_blocks_inside(blocks, count, visible_end(), vram_end());
		free(blocks);
		vvram_gem_close(fd, handle);
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
		struct drm_vvram_gem_block *holes = calloc(n, sizeof(*holes));
		uint32_t *kept = calloc(n, sizeof(*kept));
		struct drm_vvram_gem_create create = {
			.size = 2 * hole,
			.domains = VVRAM_GEM_DOMAIN_VRAM,
			.flags = VVRAM_GEM_CREATE_CONTIGUOUS,
		};
		struct drm_vvram_query_mem_regions now;
		unsigned int nkept;

		vvram_assert_vram_empty(fd);
		nkept = fragment_vram(hole, kept, holes);
		vvram_query_mem_regions(fd, &now);
		igt_assert_eq_u64(now.vram_used, nkept * hole);
		igt_assert_eq_u64(now.vram_largest_free, hole);

		igt_assert_eq(__vvram_gem_create(fd, &create), -ENOSPC);

		for (unsigned int i = 0; i < nkept; i++)
			vvram_gem_close(fd, kept[i]);
		free(kept);
		free(holes);
	}

	igt_describe("With VRAM fragmented, a non-contiguous BO is built from the holes.");
	igt_subtest("create-non-contiguous-fills-holes") {
		uint64_t hole = hole_size();
		unsigned int n = regions.vram_total / hole;
		struct drm_vvram_gem_block *holes = calloc(n, sizeof(*holes));
		uint32_t *kept = calloc(n, sizeof(*kept));
		struct drm_vvram_gem_create create = {
			.size = 2 * hole,
			.alignment = hole,
			.domains = VVRAM_GEM_DOMAIN_VRAM,
		};
		struct drm_vvram_gem_block *blocks;
		unsigned int nkept, nholes;
		uint32_t count;

		vvram_assert_vram_empty(fd);
		nkept = fragment_vram(hole, kept, holes);
		nholes = n - nkept;
		igt_assert_lte(2, nholes);

		igt_assert_eq(__vvram_gem_create(fd, &create), 0);
		blocks = vram_blocks(create.handle, 2 * hole, &count);
		igt_assert_eq(count, 2);
		for (uint32_t b = 0; b < count; b++) {
			bool in_hole = false;

			igt_assert_eq_u64(blocks[b].size, hole);
			for (unsigned int h = 0; h < nholes; h++)
				in_hole |= blocks[b].dev_addr == holes[h].dev_addr;
			igt_assert_f(in_hole, "block at %#llx is not one of the holes\n",
				     (unsigned long long)blocks[b].dev_addr);
		}
		free(blocks);
		vvram_gem_close(fd, create.handle);
		for (unsigned int i = 0; i < nkept; i++)
			vvram_gem_close(fd, kept[i]);
		free(kept);
		free(holes);
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
