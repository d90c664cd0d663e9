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

#define CONTIGUOUS VVRAM_GEM_CREATE_CONTIGUOUS
#define CPU_ACCESS VVRAM_GEM_CREATE_CPU_ACCESS_REQUIRED
#define NO_CPU_ACCESS VVRAM_GEM_CREATE_NO_CPU_ACCESS

static int fd = -1;
static struct vvram_memory mem;

static uint64_t vram_start(void)
{
	return mem.base_offset;
}

static uint64_t vram_end(void)
{
	return mem.base_offset + mem.vram_total_bytes;
}

static uint64_t visible_end(void)
{
	return mem.base_offset + mem.visible_total_bytes;
}

static void assert_blocks_inside(const struct vvram_bo_info *info,
				 uint64_t start, uint64_t end)
{
	for (uint32_t i = 0; i < info->block_count; i++) {
		const struct vvram_block *b = &info->blocks[i];

		igt_assert_f(b->address >= start && b->address + b->size_bytes <= end,
			     "block [%#llx, +%#llx) outside [%#llx, %#llx)\n",
			     (unsigned long long)b->address,
			     (unsigned long long)b->size_bytes,
			     (unsigned long long)start, (unsigned long long)end);
		igt_assert_eq_u64(b->size_bytes % mem.chunk_size_bytes, 0);
	}
}

/* Checks the accounting of a VRAM BO and gets its blocks, sorted. */
static void vram_blocks(uint32_t handle, uint64_t size, struct vvram_bo_info *info)
{
	vvram_gem_blocks(fd, handle, info);
	igt_assert_eq_u32(info->domain, VRAM);
	igt_assert_eq_u64(info->address, info->blocks[0].address);
	igt_assert_eq_u64(vvram_blocks_total(info),
			  vvram_round_up(size, mem.chunk_size_bytes));
	vvram_blocks_contiguous(info); /* sorts them */
	assert_blocks_inside(info, vram_start(), vram_end());
}

/* The offset into VRAM of a BO that must be one VRAM block. */
static uint64_t single_block_offset(uint32_t handle)
{
	struct vvram_bo_info info;
	uint64_t offset;

	vvram_gem_blocks(fd, handle, &info);
	igt_assert_eq_u32(info.domain, VRAM);
	igt_assert_eq(info.block_count, 1);
	offset = info.blocks[0].address - vram_start();
	vvram_bo_info_fini(&info);
	return offset;
}

static void require_partial_visible_window(void)
{
	igt_require_f(mem.visible_total_bytes < mem.vram_total_bytes,
		      "the whole VRAM is CPU-visible: reload vvram with visible_size < vram_size\n");
}

/*
 * Fills the visible window with unpinned CPU_ACCESS_REQUIRED BOs (that may
 * be evicted to GTT); returns how many, in @handles (room for 4).
 */
static unsigned int fill_visible_window(uint32_t *handles)
{
	uint64_t quarter = mem.visible_total_bytes / 4;
	struct vvram_memory now;

	igt_require(quarter && quarter % mem.chunk_size_bytes == 0);
	for (unsigned int i = 0; i < 4; i++)
		handles[i] = vvram_gem_create(fd, quarter, VRAM | GTT, CPU_ACCESS);
	vvram_query(fd, &now);
	igt_assert_eq_u64(now.visible_used_bytes, mem.visible_total_bytes);
	return 4;
}

static void close_handles(const uint32_t *handles, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		if (handles[i])
			vvram_gem_close(fd, handles[i]);
}

/* A BO that lands in VRAM outside the full visible window. */
static uint32_t create_invisible_bo(uint64_t size)
{
	struct vvram_bo_info info;
	uint32_t handle = vvram_gem_create(fd, size, VRAM | GTT, 0);

	vvram_gem_info(fd, handle, &info);
	igt_assert_eq_u32(info.domain, VRAM);
	igt_assert(!(info.flags & VVRAM_GEM_INFO_CPU_VISIBLE));
	igt_assert_lte_u64(visible_end(), info.address);
	return handle;
}

/*
 * Fills VRAM with pinned BOs of @size bytes, aligned to their size, and
 * returns their handles sorted by address: BO i is at vram_start() + i *
 * size.  Freeing some of them leaves holes that no eviction can merge.
 */
static uint32_t *fill_vram_pinned(uint64_t size)
{
	unsigned int n = mem.vram_total_bytes / size;
	uint32_t *sorted = calloc(n, sizeof(*sorted));

	igt_assert(sorted);
	for (unsigned int i = 0; i < n; i++) {
		struct vvram_bo_params params = {
			.size_bytes = size, .alignment_bytes = size, .domains = VRAM,
		};
		struct vvram_bo_info info;
		uint32_t handle;
		uint64_t slot;

		igt_assert_eq(vvram_bo_create(fd, &params, &handle), 0);
		vvram_gem_pin(fd, handle, VRAM);
		vvram_gem_info(fd, handle, &info);
		slot = (info.address - vram_start()) / size;
		igt_assert_lt_u64(slot, n);
		igt_assert_eq(sorted[slot], 0);
		sorted[slot] = handle;
	}
	return sorted;
}

static uint64_t hole_size(void)
{
	uint64_t hole = SZ_4M;

	while (hole * 4 > mem.vram_total_bytes)
		hole /= 2;
	igt_require(hole >= 2 * mem.chunk_size_bytes &&
		    mem.vram_total_bytes % hole == 0);
	return hole;
}

/*
 * Splits VRAM into pinned BOs of hole_size() bytes and frees every other
 * one by address.  Returns the handles by address, 0 for the holes.
 */
static uint32_t *fragment_vram(uint64_t hole)
{
	uint32_t *sorted = fill_vram_pinned(hole);
	struct vvram_memory now;

	for (unsigned int i = 0; i < mem.vram_total_bytes / hole; i += 2) {
		vvram_gem_close(fd, sorted[i]);
		sorted[i] = 0;
	}
	vvram_query(fd, &now);
	igt_assert_eq_u64(now.vram_used_bytes, mem.vram_total_bytes / 2);
	igt_assert_eq_u64(now.largest_free_bytes, hole);
	return sorted;
}

static void placement_tests(void)
{
	igt_describe("A contiguous BO is one range of VRAM, exactly as large as asked (in chunks).");
	igt_subtest("contiguous") {
		const uint64_t size = 3 * SZ_1M + SZ_4K;
		struct vvram_bo_info info;
		uint32_t handle;

		vvram_assert_idle(fd);
		handle = vvram_gem_create(fd, size, VRAM, CONTIGUOUS);
		vram_blocks(handle, size, &info);
		igt_assert(info.flags & VVRAM_GEM_INFO_CONTIGUOUS);
		igt_assert(vvram_blocks_contiguous(&info));
		vvram_bo_info_fini(&info);
		vvram_gem_close(fd, handle);
	}

	igt_describe("BOs without CPU access go top-down from the end of VRAM, outside the visible window.");
	igt_subtest("no-cpu-access-from-the-top") {
		struct vvram_bo_info info;
		uint32_t first, second;

		require_partial_visible_window();
		vvram_assert_idle(fd);
		first = vvram_gem_create(fd, SZ_1M, VRAM, NO_CPU_ACCESS);
		second = vvram_gem_create(fd, SZ_1M, VRAM, NO_CPU_ACCESS);
		vram_blocks(first, SZ_1M, &info);
		igt_assert(!(info.flags & VVRAM_GEM_INFO_CPU_VISIBLE));
		assert_blocks_inside(&info, visible_end(), vram_end());
		vvram_bo_info_fini(&info);
		igt_assert_eq_u64(single_block_offset(first), mem.vram_total_bytes - SZ_1M);
		igt_assert_eq_u64(single_block_offset(second), mem.vram_total_bytes - 2 * SZ_1M);
		vvram_gem_close(fd, first);
		vvram_gem_close(fd, second);
	}

	igt_describe("Between two free ranges, a BO without CPU access takes the highest (top-down), an ordinary BO the lowest.");
	igt_subtest("no-cpu-access-highest-hole") {
		uint64_t hole = hole_size();
		unsigned int n = mem.vram_total_bytes / hole;
		struct vvram_bo_info info;
		uint32_t *sorted, top, low;

		vvram_assert_idle(fd);
		sorted = fill_vram_pinned(hole);
		/* Two holes, both freed (dirty), at the bottom and the top. */
		vvram_gem_close(fd, sorted[1]);
		vvram_gem_close(fd, sorted[n - 1]);
		sorted[1] = sorted[n - 1] = 0;
		top = vvram_gem_create(fd, hole, VRAM, NO_CPU_ACCESS);
		vvram_gem_info(fd, top, &info);
		igt_assert_eq_u64(info.address, vram_start() + (n - 1) * hole);
		low = vvram_gem_create(fd, hole, VRAM, 0);
		vvram_gem_info(fd, low, &info);
		igt_assert_eq_u64(info.address, vram_start() + hole);
		vvram_gem_close(fd, top);
		vvram_gem_close(fd, low);
		close_handles(sorted, n);
		free(sorted);
	}

	igt_describe("A BO that requires CPU access lies entirely inside the visible window.");
	igt_subtest("cpu-access-is-visible") {
		struct vvram_bo_info info;
		struct vvram_memory now;
		uint32_t handle;

		vvram_assert_idle(fd);
		handle = vvram_gem_create(fd, SZ_1M, VRAM, CPU_ACCESS);
		vram_blocks(handle, SZ_1M, &info);
		igt_assert(info.flags & VVRAM_GEM_INFO_CPU_VISIBLE);
		assert_blocks_inside(&info, vram_start(), visible_end());
		vvram_query(fd, &now);
		igt_assert_eq_u64(now.visible_used_bytes, SZ_1M);
		vvram_bo_info_fini(&info);
		vvram_gem_close(fd, handle);
	}

	igt_describe("Visible BOs fill the window exactly, as QUERY and sysfs account; pinned, a full window refuses one more (ENOSPC) until an unpinned BO can be evicted.");
	igt_subtest("cpu-access-fills-window") {
		unsigned int n = mem.visible_total_bytes / SZ_1M;
		uint32_t *handles = calloc(n, sizeof(*handles)), extra;
		struct vvram_bo_params params = {
			.size_bytes = SZ_1M, .domains = VRAM, .flags = CPU_ACCESS,
		};
		struct vvram_bo_info info;
		struct vvram_memory now;
		uint32_t top;

		require_partial_visible_window();
		igt_require(mem.vram_total_bytes - mem.visible_total_bytes >= SZ_4M);
		vvram_assert_idle(fd);
		/* Take the top of VRAM first, so the window is not just "the start". */
		top = vvram_gem_create(fd, SZ_4M, VRAM, NO_CPU_ACCESS);
		for (unsigned int i = 0; i < n; i++) {
			handles[i] = vvram_gem_create(fd, SZ_1M, VRAM, CPU_ACCESS);
			vvram_gem_info(fd, handles[i], &info);
			igt_assert(info.flags & VVRAM_GEM_INFO_CPU_VISIBLE);
			igt_assert_lte_u64(info.address + info.size_bytes, visible_end());
		}
		vvram_query(fd, &now);
		igt_assert_eq_u64(now.visible_used_bytes, mem.visible_total_bytes);
		igt_assert_eq_u64(now.vram_used_bytes, mem.visible_total_bytes + SZ_4M);
		igt_assert_eq_u64(vvram_sysfs(fd, "mem_info_vis_vram_used"), now.visible_used_bytes);
		igt_assert_eq_u64(vvram_sysfs(fd, "mem_info_vram_used"), now.vram_used_bytes);
		for (unsigned int i = 0; i < n; i++)
			vvram_gem_pin(fd, handles[i], VRAM);
		igt_assert_eq(vvram_bo_create(fd, &params, &extra), -ENOSPC);
		vvram_gem_unpin(fd, handles[3]);
		extra = vvram_gem_create(fd, SZ_1M, VRAM, CPU_ACCESS);
		vvram_gem_info(fd, extra, &info);
		igt_assert(info.flags & VVRAM_GEM_INFO_CPU_VISIBLE);
		vvram_gem_info(fd, handles[3], &info);
		igt_assert(info.domain != VRAM || !(info.flags & VVRAM_GEM_INFO_CPU_VISIBLE));
		close_handles(handles, n);
		free(handles);
		vvram_gem_close(fd, extra);
		vvram_gem_close(fd, top);
	}

	igt_describe("A BO requiring CPU access still gets one when the visible window is full, by eviction.");
	igt_subtest("visible-window-full-evicts") {
		struct vvram_memory before, after;
		struct vvram_bo_info info;
		uint32_t window[4], handle;
		unsigned int n;

		require_partial_visible_window();
		vvram_assert_idle(fd);
		n = fill_visible_window(window);
		vvram_query(fd, &before);
		handle = vvram_gem_create(fd, SZ_1M, VRAM, CPU_ACCESS);
		vvram_gem_info(fd, handle, &info);
		igt_assert(info.flags & VVRAM_GEM_INFO_CPU_VISIBLE);
		vvram_query(fd, &after);
		igt_assert_lt_u64(before.evictions, after.evictions);
		vvram_gem_close(fd, handle);
		close_handles(window, n);
	}

	igt_describe("The VRAM placement honours the requested alignment.");
	igt_subtest("honours-alignment") {
		for (uint64_t alignment = SZ_64K; alignment <= SZ_4M &&
		     alignment <= mem.vram_total_bytes / 2; alignment <<= 1) {
			struct vvram_bo_params params = {
				.size_bytes = SZ_4K, .alignment_bytes = alignment, .domains = VRAM,
			};
			/* A small BO first, so that alignment has work to do. */
			uint32_t small = vvram_gem_create(fd, SZ_4K, VRAM, 0), handle;
			struct vvram_bo_info info;

			igt_assert_eq(vvram_bo_create(fd, &params, &handle), 0);
			vvram_gem_info(fd, handle, &info);
			igt_assert_f((info.address - vram_start()) % alignment == 0,
				     "BO at %#llx not aligned to %#llx\n",
				     (unsigned long long)info.address,
				     (unsigned long long)alignment);
			vvram_gem_close(fd, handle);
			vvram_gem_close(fd, small);
		}
	}

	igt_describe("Device addresses start at base_offset: every block lies in [base_offset, base_offset + vram_size); outside VRAM a BO has no blocks and no address.");
	igt_subtest("applies-base-offset") {
		struct vvram_bo_info info;
		uint32_t handle;

		handle = vvram_gem_create(fd, 7 * mem.chunk_size_bytes, VRAM, 0);
		vram_blocks(handle, 7 * mem.chunk_size_bytes, &info);
		vvram_bo_info_fini(&info);
		vvram_gem_migrate(fd, handle, CPU);
		vvram_gem_info(fd, handle, &info);
		igt_assert_eq(info.block_count, 0);
		igt_assert_eq_u64(info.address, 0);
		vvram_gem_close(fd, handle);
	}

	igt_describe("GEM_INFO copies at most the blocks asked for, writes nothing beyond, and always returns the real count.");
	igt_subtest("info-block-list") {
		struct drm_vvram_gem_block blocks[64];
		struct drm_vvram_gem_info arg = {};
		uint32_t count;

		/* 7 chunks: a binary buddy needs at least 3 blocks (4 + 2 + 1). */
		arg.handle = vvram_gem_create(fd, 7 * mem.chunk_size_bytes, VRAM, 0);
		igt_assert_eq(__vvram_gem_info(fd, &arg), 0);
		count = arg.num_blocks;
		igt_assert_lte(3, count);
		igt_assert_lt(count, 64);
		memset(blocks, 0xa5, sizeof(blocks));
		arg.num_blocks = count - 1;
		arg.blocks_ptr = to_user_pointer(blocks);
		igt_assert_eq(__vvram_gem_info(fd, &arg), 0);
		igt_assert_eq(arg.num_blocks, count);
		for (uint32_t i = 0; i < count - 1; i++)
			igt_assert_neq_u64(blocks[i].size, 0xa5a5a5a5a5a5a5a5ull);
		igt_assert_eq_u64(blocks[count - 1].size, 0xa5a5a5a5a5a5a5a5ull);
		igt_assert_eq_u64(blocks[count - 1].dev_addr, 0xa5a5a5a5a5a5a5a5ull);
		arg.num_blocks = 64;
		igt_assert_eq(__vvram_gem_info(fd, &arg), 0);
		igt_assert_eq(arg.num_blocks, count);
		igt_assert_eq_u64(blocks[count].size, 0xa5a5a5a5a5a5a5a5ull);
		vvram_gem_close(fd, arg.handle);
	}
}

static void fragmentation_tests(void)
{
	igt_describe("With VRAM fragmented into pinned BOs and holes, a contiguous BO larger than any hole fails with ENOSPC, evicting and moving nothing.");
	igt_subtest("contiguous-fragmented-enospc") {
		uint64_t hole = hole_size();
		unsigned int n = mem.vram_total_bytes / hole;
		struct vvram_bo_params params = {
			.size_bytes = 2 * hole, .alignment_bytes = hole,
			.domains = VRAM, .flags = CONTIGUOUS,
		};
		struct vvram_memory before, after;
		uint32_t *sorted, handle;

		vvram_assert_idle(fd);
		sorted = fragment_vram(hole);
		vvram_query(fd, &before);
		igt_assert_eq(vvram_bo_create(fd, &params, &handle), -ENOSPC);
		vvram_query(fd, &after);
		igt_assert_eq_u64(after.evictions, before.evictions);
		igt_assert_eq_u64(after.vram_used_bytes, before.vram_used_bytes);
		for (unsigned int i = 1; i < n; i += 2)
			igt_assert_eq_u64(single_block_offset(sorted[i]), i * hole);
		close_handles(sorted, n);
		free(sorted);
	}

	igt_describe("With VRAM fragmented, a non-contiguous BO as large as all holes is built from exactly them, without eviction.");
	igt_subtest("non-contiguous-fills-holes") {
		uint64_t hole = hole_size();
		unsigned int n = mem.vram_total_bytes / hole;
		struct vvram_bo_params params = {
			.size_bytes = n / 2 * hole, .alignment_bytes = hole, .domains = VRAM,
		};
		struct vvram_memory before, after;
		struct vvram_bo_info info;
		uint32_t *sorted, handle;

		vvram_assert_idle(fd);
		sorted = fragment_vram(hole);
		vvram_query(fd, &before);
		igt_assert_eq(vvram_bo_create(fd, &params, &handle), 0);
		vram_blocks(handle, n / 2 * hole, &info);
		igt_assert_eq(info.block_count, n / 2);
		for (uint32_t b = 0; b < info.block_count; b++) {
			uint64_t slot = (info.blocks[b].address - vram_start()) / hole;

			igt_assert_eq_u64(info.blocks[b].size_bytes, hole);
			igt_assert_eq_u64(info.blocks[b].address, vram_start() + slot * hole);
			igt_assert_f(slot < n && sorted[slot] == 0,
				     "block at %#llx is not one of the holes\n",
				     (unsigned long long)info.blocks[b].address);
		}
		vvram_bo_info_fini(&info);
		vvram_query(fd, &after);
		igt_assert_eq_u64(after.evictions, before.evictions);
		igt_assert_eq_u64(after.vram_used_bytes, mem.vram_total_bytes);
		igt_assert_eq_u64(after.largest_free_bytes, 0);
		vvram_gem_close(fd, handle);
		close_handles(sorted, n);
		free(sorted);
	}

	igt_describe("Unpinned BOs around the holes are evicted to make room for a contiguous BO, with their data kept.");
	igt_subtest("contiguous-evicts-neighbours") {
		uint64_t quarter = mem.vram_total_bytes / 4, before;
		uint32_t handles[4], at[4] = {}, handle;

		igt_require(quarter % mem.chunk_size_bytes == 0 &&
			    (quarter & (quarter - 1)) == 0);
		vvram_assert_idle(fd);
		/* Filled in GTT, then moved in: a CPU write would move them. */
		for (unsigned int i = 0; i < 4; i++) {
			handles[i] = vvram_gem_create(fd, quarter, VRAM | GTT, 0);
			vvram_gem_migrate(fd, handles[i], GTT);
			vvram_bo_fill(fd, handles[i], quarter, handles[i]);
		}
		for (unsigned int i = 0; i < 4; i++) {
			uint64_t offset;

			vvram_gem_migrate(fd, handles[i], VRAM);
			offset = single_block_offset(handles[i]);
			igt_assert_eq_u64(offset % quarter, 0);
			at[offset / quarter] = handles[i];
		}
		for (unsigned int i = 0; i < 4; i++)
			igt_assert_neq(at[i], 0);
		vvram_gem_close(fd, at[1]);
		vvram_gem_close(fd, at[3]);
		vvram_query(fd, &mem);
		igt_assert_eq_u64(mem.largest_free_bytes, quarter);
		before = mem.evictions;
		handle = vvram_gem_create(fd, 2 * quarter, VRAM, CONTIGUOUS);
		single_block_offset(handle);
		vvram_query(fd, &mem);
		igt_assert_lt_u64(before, mem.evictions);
		vvram_bo_assert_pattern(fd, at[0], quarter, at[0]);
		vvram_bo_assert_pattern(fd, at[2], quarter, at[2]);
		vvram_gem_close(fd, handle);
		vvram_gem_close(fd, at[0]);
		vvram_gem_close(fd, at[2]);
	}
}

static void cpu_fault_tests(void)
{
	static uint32_t window[4];
	static unsigned int n;

	igt_fixture
		require_partial_visible_window();

	igt_describe("A CPU fault on a BO outside the visible window moves it into the window when there is room.");
	igt_subtest("fault-moves-into-window") {
		struct vvram_bo_info info;
		uint32_t handle;
		void *ptr;

		vvram_assert_idle(fd);
		n = fill_visible_window(window);
		handle = create_invisible_bo(SZ_1M);
		close_handles(window, n);
		ptr = vvram_gem_mmap(fd, handle, SZ_1M);
		vvram_assert_zero(ptr, SZ_1M);
		vvram_gem_info(fd, handle, &info);
		igt_assert_eq_u32(info.domain, VRAM);
		igt_assert(info.flags & VVRAM_GEM_INFO_CPU_VISIBLE);
		vvram_pattern_fill(ptr, SZ_1M, 21);
		munmap(ptr, SZ_1M);
		vvram_bo_assert_pattern(fd, handle, SZ_1M, 21);
		vvram_gem_close(fd, handle);
	}

	igt_describe("A CPU fault on a BO outside a full visible window still maps it (in the window or in GTT), data intact.");
	igt_subtest("fault-full-window-keeps-data") {
		uint64_t quarter = mem.visible_total_bytes / 4;
		struct vvram_bo_info info;
		uint32_t handle;
		void *ptr;

		vvram_assert_idle(fd);
		n = fill_visible_window(window);
		for (unsigned int i = 0; i < n; i++)
			vvram_bo_fill(fd, window[i], quarter, 30 + i);
		handle = create_invisible_bo(SZ_1M);
		vvram_gem_migrate(fd, handle, GTT);
		vvram_bo_fill(fd, handle, SZ_1M, 22);
		/* Back to VRAM, where only the invisible part has room. */
		vvram_gem_migrate(fd, handle, VRAM);
		vvram_gem_info(fd, handle, &info);
		igt_assert(!(info.flags & VVRAM_GEM_INFO_CPU_VISIBLE));
		ptr = vvram_gem_mmap(fd, handle, SZ_1M);
		vvram_pattern_assert(ptr, SZ_1M, 22);
		vvram_gem_info(fd, handle, &info);
		igt_assert_f(info.domain == GTT ||
			     (info.domain == VRAM && (info.flags & VVRAM_GEM_INFO_CPU_VISIBLE)),
			     "a mapped BO is in domain %#x, flags %#x\n", info.domain, info.flags);
		munmap(ptr, SZ_1M);
		for (unsigned int i = 0; i < n; i++)
			vvram_bo_assert_pattern(fd, window[i], quarter, 30 + i);
		close_handles(window, n);
		vvram_gem_close(fd, handle);
	}

	igt_describe("A CPU access to a BO pinned outside the visible window gets SIGBUS, and the kernel stays quiet; unpinned, it maps again.");
	igt_subtest("fault-pinned-outside-window-sigbus") {
		uint32_t handle;
		void *ptr;

		vvram_assert_idle(fd);
		n = fill_visible_window(window);
		handle = create_invisible_bo(SZ_1M);
		vvram_gem_pin(fd, handle, VRAM);
		ptr = vvram_gem_mmap(fd, handle, SZ_1M);
		igt_assert_eq(vvram_access_signal(ptr, false), SIGBUS);
		igt_assert_eq(vvram_access_signal(ptr, true), SIGBUS);
		munmap(ptr, SZ_1M);
		vvram_gem_unpin(fd, handle);
		vvram_bo_assert_zero(fd, handle, SZ_1M);
		vvram_gem_close(fd, handle);
		close_handles(window, n);
	}

	igt_describe("A BO larger than the window cannot go into it: a CPU fault moves it to GTT, and the mapping keeps working across migrations.");
	igt_subtest("fault-larger-than-window") {
		const uint64_t size = mem.visible_total_bytes + SZ_4M;
		uint32_t handle;
		void *ptr;

		igt_require(size < mem.vram_total_bytes);
		vvram_assert_idle(fd);
		handle = vvram_gem_create(fd, size, VRAM | GTT, 0);
		igt_assert_eq_u32(vvram_gem_domain(fd, handle), VRAM);
		ptr = vvram_gem_mmap(fd, handle, size);
		vvram_assert_zero(ptr, size);
		vvram_pattern_fill(ptr, size, 500);
		igt_assert_eq_u32(vvram_gem_domain(fd, handle), GTT);
		vvram_gem_migrate(fd, handle, VRAM);
		vvram_gem_migrate(fd, handle, GTT);
		vvram_pattern_assert(ptr, size, 500);
		munmap(ptr, size);
		vvram_gem_close(fd, handle);
	}
}

igt_main
{
	static const vvram_topic_fn topics[] = {
		placement_tests, fragmentation_tests, cpu_fault_tests,
	};

	vvram_igt_run(&fd, &mem, topics, ARRAY_SIZE(topics));
}
