// SPDX-License-Identifier: MIT
/*
 * Placement through GEM, on a small VRAM so that the layout is known:
 * 16 MiB of VRAM whose first 8 MiB are CPU-visible, 4 KiB chunks.
 *
 * - the seed's scenario: with VRAM fragmented into 4 MiB holes between
 *   pinned BOs, an 8 MiB contiguous BO does not fit (ENOSPC), while a
 *   non-contiguous one fills exactly those holes;
 * - without the pins, the contiguous BO fits by evicting, keeping data;
 * - NO_CPU_ACCESS BOs go top-down, outside the visible window;
 * - CPU_ACCESS_REQUIRED BOs stay inside the window, which is accounted in
 *   QUERY and sysfs, and a request that can never fit fails at once;
 * - a CPU fault outside the window moves the BO into it (or to GTT, as
 *   the driver documents), or raises SIGBUS if the BO is pinned outside;
 * - alignment.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vvram_test.h"

#define VRAM_SIZE (16 * MiB)
#define VISIBLE_SIZE (8 * MiB)
#define VRAM VVRAM_GEM_DOMAIN_VRAM

static uint64_t base_offset;

static void load_small_vram(void)
{
	struct vvram_memory mem;
	int fd;

	vt_reload_with_vram("vram_size=16777216 visible_size=8388608 chunk_size=4096",
			    VRAM_SIZE, VISIBLE_SIZE);
	fd = vt_open();
	vt_query(fd, &mem);
	VT_ASSERT_EQ(mem.chunk_size_bytes, 4 * KiB);
	vvram_close(fd);
}

/* Open the device with VRAM empty, and learn where VRAM starts. */
static int open_idle(void)
{
	struct vvram_memory mem;
	int fd = vt_open();

	vt_wait_idle(fd);
	vt_query(fd, &mem);
	base_offset = mem.base_offset;
	return fd;
}

/* The BO's one block, as an offset into VRAM; fails if it has several. */
static uint64_t single_block_offset(int fd, uint32_t handle)
{
	struct vvram_bo_info info;
	uint64_t offset;

	vt_bo_info(fd, handle, &info);
	if (info.domain != VRAM || info.block_count != 1)
		VT_FAIL("BO %u: domain %#x, %u blocks; expected one VRAM block",
			handle, info.domain, info.block_count);
	offset = info.blocks[0].address - base_offset;
	vvram_bo_info_fini(&info);
	return offset;
}

/*
 * Fill VRAM with four 4 MiB BOs and free the ones at [4M, 8M) and
 * [12M, 16M), leaving the BOs at [0, 4M) and [8M, 12M) in @kept, pinned
 * if @pin. The seed builds the same holes with range allocations.
 *
 * With @with_data, the BOs are allowed in GTT too and each holds the
 * pattern seeded with its handle: they are filled in GTT and then moved
 * into VRAM, because a CPU write to a BO outside the visible window would
 * move it and spoil the layout.
 */
static void make_holes(int fd, bool pin, uint32_t kept[2], bool with_data)
{
	uint32_t domains = with_data ? VRAM | VVRAM_GEM_DOMAIN_GTT : VRAM;
	uint32_t handles[4], at[4] = { 0 };
	struct vvram_memory mem;
	int i;

	for (i = 0; i < 4; i++) {
		handles[i] = vt_bo_create(fd, 4 * MiB, domains, 0);
		if (with_data) {
			uint8_t *map;

			VT_OK(vvram_bo_migrate(fd, handles[i], VVRAM_GEM_DOMAIN_GTT));
			map = vt_bo_map(fd, handles[i], 4 * MiB);
			vvram_pattern_fill(map, 4 * MiB, handles[i]);
			vt_bo_unmap(map, 4 * MiB);
		}
	}
	for (i = 0; with_data && i < 4; i++)
		VT_OK(vvram_bo_migrate(fd, handles[i], VRAM));
	for (i = 0; i < 4; i++) {
		uint64_t offset = single_block_offset(fd, handles[i]);

		if (offset % (4 * MiB))
			VT_FAIL("4 MiB BO at VRAM offset %#llx, not 4 MiB aligned",
				(unsigned long long)offset);
		at[offset / (4 * MiB)] = handles[i];
	}
	for (i = 0; i < 4; i++)
		VT_ASSERT(at[i] != 0);
	kept[0] = at[0];
	kept[1] = at[2];
	if (pin) {
		VT_OK(vvram_bo_pin(fd, kept[0], VRAM));
		VT_OK(vvram_bo_pin(fd, kept[1], VRAM));
	}
	VT_OK(vvram_bo_close(fd, at[1]));
	VT_OK(vvram_bo_close(fd, at[3]));
	vt_query(fd, &mem);
	VT_ASSERT_EQ(mem.vram_used_bytes, 8 * MiB);
	VT_ASSERT_EQ(mem.largest_free_bytes, 4 * MiB);
}

static void contiguous_fails_on_holes(void)
{
	struct drm_vvram_gem_create args = {
		.size = 8 * MiB,
		.alignment = 4 * MiB,
		.domains = VRAM,
		.flags = VVRAM_GEM_CREATE_CONTIGUOUS,
	};
	struct vvram_memory before, after;
	int fd = open_idle();
	uint32_t kept[2];

	make_holes(fd, true, kept, false);
	vt_query(fd, &before);
	VT_ERRNO(vvram_ioctl(fd, DRM_IOCTL_VVRAM_GEM_CREATE, &args), ENOSPC);
	vt_query(fd, &after);
	VT_ASSERT_EQ(after.evictions, before.evictions);
	VT_ASSERT_EQ(after.vram_used_bytes, 8 * MiB);
	VT_ASSERT_EQ(single_block_offset(fd, kept[0]), 0);
	VT_ASSERT_EQ(single_block_offset(fd, kept[1]), 8 * MiB);
	vvram_close(fd);
}

static void noncontiguous_fills_holes(void)
{
	struct vvram_bo_params params = {
		.size_bytes = 8 * MiB,
		.alignment_bytes = 4 * MiB,
		.domains = VRAM,
	};
	struct vvram_memory before, after;
	struct vvram_bo_info info;
	int fd = open_idle();
	uint32_t kept[2], handle, i;
	uint64_t offsets[2];

	make_holes(fd, true, kept, false);
	vt_query(fd, &before);
	VT_OK(vvram_bo_create(fd, &params, &handle));
	vt_bo_info(fd, handle, &info);
	VT_ASSERT_EQ(info.domain, VRAM);
	VT_ASSERT_EQ(info.block_count, 2);
	for (i = 0; i < 2; i++) {
		VT_ASSERT_EQ(info.blocks[i].size_bytes, 4 * MiB);
		offsets[i] = info.blocks[i].address - base_offset;
	}
	vvram_bo_info_fini(&info);
	/* Exactly the two holes, in either order. */
	VT_ASSERT_EQ(offsets[0] + offsets[1], 4 * MiB + 12 * MiB);
	VT_ASSERT(offsets[0] == 4 * MiB || offsets[0] == 12 * MiB);
	vt_query(fd, &after);
	VT_ASSERT_EQ(after.vram_used_bytes, VRAM_SIZE);
	VT_ASSERT_EQ(after.largest_free_bytes, 0);
	VT_ASSERT_EQ(after.evictions, before.evictions);
	vvram_close(fd);
}

/* Unpinned neighbours are evicted to make room, with their data kept. */
static void contiguous_evicts_unpinned(void)
{
	struct vvram_memory before, after;
	int fd = open_idle();
	uint32_t kept[2], handle;
	uint8_t *map;
	int i;

	make_holes(fd, false, kept, true);
	vt_query(fd, &before);
	handle = vt_bo_create(fd, 8 * MiB, VRAM, VVRAM_GEM_CREATE_CONTIGUOUS);
	single_block_offset(fd, handle);
	vt_query(fd, &after);
	VT_ASSERT(after.evictions > before.evictions);
	for (i = 0; i < 2; i++) {
		map = vt_bo_map(fd, kept[i], 4 * MiB);
		vt_check_pattern(map, 4 * MiB, kept[i], "evicted neighbour");
		vt_bo_unmap(map, 4 * MiB);
	}
	vvram_close(fd);
}

static void no_cpu_access_top_down(void)
{
	int fd = open_idle();
	uint32_t first, second;
	struct vvram_bo_info info;

	first = vt_bo_create(fd, 1 * MiB, VRAM, VVRAM_GEM_CREATE_NO_CPU_ACCESS);
	second = vt_bo_create(fd, 1 * MiB, VRAM, VVRAM_GEM_CREATE_NO_CPU_ACCESS);
	vt_bo_info(fd, first, &info);
	VT_ASSERT(!(info.flags & VVRAM_GEM_INFO_CPU_VISIBLE));
	vvram_bo_info_fini(&info);
	/* Top-down: the first takes the top MiB, the second the one below. */
	VT_ASSERT_EQ(single_block_offset(fd, first), VRAM_SIZE - 1 * MiB);
	VT_ASSERT_EQ(single_block_offset(fd, second), VRAM_SIZE - 2 * MiB);
	vvram_close(fd);
}

static void cpu_access_in_window(void)
{
	struct vvram_memory mem;
	struct vvram_bo_info info;
	uint32_t handles[8], extra;
	int fd = open_idle();
	int i;

	/* Take the top of VRAM first, so the window is not just "the start". */
	vt_bo_create(fd, 4 * MiB, VRAM, VVRAM_GEM_CREATE_NO_CPU_ACCESS);
	for (i = 0; i < 8; i++) {
		handles[i] = vt_bo_create(fd, 1 * MiB, VRAM,
					  VVRAM_GEM_CREATE_CPU_ACCESS_REQUIRED);
		vt_bo_info(fd, handles[i], &info);
		VT_ASSERT(info.flags & VVRAM_GEM_INFO_CPU_VISIBLE);
		VT_ASSERT(info.address - base_offset + info.size_bytes <= VISIBLE_SIZE);
		vvram_bo_info_fini(&info);
	}
	vt_query(fd, &mem);
	VT_ASSERT_EQ(mem.visible_used_bytes, VISIBLE_SIZE);
	VT_ASSERT_EQ(mem.vram_used_bytes, VISIBLE_SIZE + 4 * MiB);
	VT_ASSERT_EQ(vt_sysfs(fd, "mem_info_vis_vram_used"), VISIBLE_SIZE);
	VT_ASSERT_EQ(vt_sysfs(fd, "mem_info_vram_used"), VISIBLE_SIZE + 4 * MiB);

	/* The window is full: with every BO in it pinned, there is no room
	 * for another visible BO, even though VRAM has 4 MiB free.
	 */
	for (i = 0; i < 8; i++)
		VT_OK(vvram_bo_pin(fd, handles[i], VRAM));
	{
		struct vvram_bo_params params = {
			.size_bytes = 1 * MiB, .domains = VRAM,
			.flags = VVRAM_GEM_CREATE_CPU_ACCESS_REQUIRED,
		};

		VT_ERRNO(vvram_bo_create(fd, &params, &extra), ENOSPC);
	}
	/* Unpinned, one of them is evicted to make room. */
	VT_OK(vvram_bo_unpin(fd, handles[3]));
	extra = vt_bo_create(fd, 1 * MiB, VRAM, VVRAM_GEM_CREATE_CPU_ACCESS_REQUIRED);
	vt_bo_info(fd, extra, &info);
	VT_ASSERT(info.flags & VVRAM_GEM_INFO_CPU_VISIBLE);
	vvram_bo_info_fini(&info);
	vt_bo_info(fd, handles[3], &info);
	VT_ASSERT(info.domain != VRAM ||
		  !(info.flags & VVRAM_GEM_INFO_CPU_VISIBLE));
	vvram_bo_info_fini(&info);
	vvram_close(fd);
}

/* A request that can never fit must fail at once, evicting nothing. */
static void never_fits_fails_fast(void)
{
	struct vvram_bo_params params = {
		.size_bytes = VISIBLE_SIZE + 4 * KiB, .domains = VRAM,
		.flags = VVRAM_GEM_CREATE_CPU_ACCESS_REQUIRED,
	};
	struct vvram_memory before, after;
	int fd = open_idle();
	uint32_t handle;

	vt_bo_create(fd, 2 * MiB, VRAM, 0);
	vt_bo_create(fd, 2 * MiB, VRAM, VVRAM_GEM_CREATE_CPU_ACCESS_REQUIRED);
	vt_query(fd, &before);
	VT_ERRNO(vvram_bo_create(fd, &params, &handle), E2BIG);
	params.size_bytes = VRAM_SIZE + 4 * KiB;
	params.flags = VVRAM_GEM_CREATE_CONTIGUOUS;
	VT_ERRNO(vvram_bo_create(fd, &params, &handle), E2BIG);
	vt_query(fd, &after);
	VT_ASSERT_EQ(after.evictions, before.evictions);
	VT_ASSERT_EQ(after.vram_used_bytes, before.vram_used_bytes);
	vvram_close(fd);
}

/*
 * Put a BO with data outside the window: fill it inside, move it out
 * through GTT while a pinned BO fills the window, then free the window.
 */
static uint32_t bo_outside_window(int fd, uint64_t seed, uint32_t *filler)
{
	uint32_t handle = vt_bo_create(fd, 2 * MiB, VRAM, 0);
	uint8_t *map = vt_bo_map(fd, handle, 2 * MiB);
	struct vvram_bo_info info;

	vvram_pattern_fill(map, 2 * MiB, seed);
	vt_bo_unmap(map, 2 * MiB);
	VT_OK(vvram_bo_migrate(fd, handle, VVRAM_GEM_DOMAIN_CPU));
	*filler = vt_bo_create(fd, VISIBLE_SIZE, VRAM,
			       VVRAM_GEM_CREATE_CPU_ACCESS_REQUIRED);
	VT_OK(vvram_bo_pin(fd, *filler, VRAM));
	VT_OK(vvram_bo_migrate(fd, handle, VRAM));
	vt_bo_info(fd, handle, &info);
	VT_ASSERT_EQ(info.domain, VRAM);
	VT_ASSERT(info.address - base_offset >= VISIBLE_SIZE);
	VT_ASSERT(!(info.flags & VVRAM_GEM_INFO_CPU_VISIBLE));
	vvram_bo_info_fini(&info);
	return handle;
}

static void fault_outside_window_migrates(void)
{
	int fd = open_idle();
	struct vvram_bo_info info;
	uint32_t handle, filler;
	uint8_t *map;

	handle = bo_outside_window(fd, 300, &filler);
	VT_OK(vvram_bo_unpin(fd, filler));
	map = vt_bo_map(fd, handle, 2 * MiB);
	vt_check_pattern(map, 2 * MiB, 300, "BO faulted in from outside the window");
	vt_bo_unmap(map, 2 * MiB);
	/* Into the window, or to GTT if the window has no room right away. */
	vt_bo_info(fd, handle, &info);
	if (info.domain == VRAM && !(info.flags & VVRAM_GEM_INFO_CPU_VISIBLE))
		VT_FAIL("BO still outside the window after a CPU fault");
	vt_diag("after the fault the BO is in %s",
		info.domain == VRAM ? "the visible window" : "GTT or CPU");
	vvram_bo_info_fini(&info);
	vvram_close(fd);
}

static void fault_pinned_outside_window_sigbus(void)
{
	int fd = open_idle();
	uint32_t handle, filler;
	int status;
	pid_t pid;
	volatile uint8_t *map;

	handle = bo_outside_window(fd, 400, &filler);
	VT_OK(vvram_bo_pin(fd, handle, VRAM));
	VT_OK(vvram_bo_unpin(fd, filler));
	map = vt_bo_map(fd, handle, 2 * MiB);
	fflush(stdout);
	pid = fork();
	VT_ASSERT(pid >= 0);
	if (pid == 0) {
		signal(SIGBUS, SIG_DFL);
		(void)map[4096];
		_exit(0);
	}
	VT_ASSERT(waitpid(pid, &status, 0) == pid);
	if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGBUS)
		VT_FAIL("reading a BO pinned outside the window: %s, expected SIGBUS",
			WIFSIGNALED(status) ? strsignal(WTERMSIG(status)) : "no signal");
	vt_bo_unmap((void *)map, 2 * MiB);
	/* Unpinned, the same access migrates it and works. */
	VT_OK(vvram_bo_unpin(fd, handle));
	map = vt_bo_map(fd, handle, 2 * MiB);
	vt_check_pattern((const void *)map, 2 * MiB, 400, "BO after unpinning");
	vt_bo_unmap((void *)map, 2 * MiB);
	vvram_close(fd);
}

/* A BO bigger than the window cannot go into it: a fault moves it to GTT. */
static void map_bo_bigger_than_window(void)
{
	const uint64_t size = VISIBLE_SIZE + 4 * MiB;
	int fd = open_idle();
	uint32_t handle;
	uint8_t *map;

	handle = vt_bo_create(fd, size, VRAM | VVRAM_GEM_DOMAIN_GTT, 0);
	vt_assert_domain(fd, handle, VRAM);
	map = vt_bo_map(fd, handle, size);
	vt_check_zero(map, size, "new BO bigger than the window");
	vvram_pattern_fill(map, size, 500);
	vt_assert_domain(fd, handle, VVRAM_GEM_DOMAIN_GTT);
	VT_OK(vvram_bo_migrate(fd, handle, VRAM));
	VT_OK(vvram_bo_migrate(fd, handle, VVRAM_GEM_DOMAIN_GTT));
	vt_check_pattern(map, size, 500, "BO bigger than the window");
	vt_bo_unmap(map, size);
	vvram_close(fd);
}

static void alignment_honoured(void)
{
	static const uint64_t alignments[] = { 64 * KiB, 1 * MiB, 2 * MiB, 4 * MiB };
	int fd = open_idle();
	size_t i;

	for (i = 0; i < sizeof(alignments) / sizeof(alignments[0]); i++) {
		struct vvram_bo_params params = {
			.size_bytes = 4 * KiB, .domains = VRAM,
			.alignment_bytes = alignments[i],
		};
		struct vvram_bo_info info;
		uint32_t handle;

		/* A stray chunk first, so that "next free" is misaligned. */
		vt_bo_create(fd, 4 * KiB, VRAM, 0);
		VT_OK(vvram_bo_create(fd, &params, &handle));
		vt_bo_info(fd, handle, &info);
		if ((info.address - base_offset) % alignments[i])
			VT_FAIL("BO aligned to %llu at VRAM offset %#llx",
				(unsigned long long)alignments[i],
				(unsigned long long)(info.address - base_offset));
		vvram_bo_info_fini(&info);
	}
	vvram_close(fd);
}

int main(void)
{
	static const struct vt_subtest subtests[] = {
		{ "contiguous-fails-on-fragmented-vram", contiguous_fails_on_holes },
		{ "noncontiguous-fills-the-holes", noncontiguous_fills_holes },
		{ "contiguous-evicts-unpinned-neighbours", contiguous_evicts_unpinned },
		{ "no-cpu-access-placed-top-down", no_cpu_access_top_down },
		{ "cpu-access-required-in-window", cpu_access_in_window },
		{ "never-fitting-request-fails-fast", never_fits_fails_fast },
		{ "fault-outside-window-migrates-in", fault_outside_window_migrates },
		{ "fault-pinned-outside-window-sigbus", fault_pinned_outside_window_sigbus },
		{ "map-bo-bigger-than-window-moves-to-gtt", map_bo_bigger_than_window },
		{ "alignment-honoured", alignment_honoured },
	};
	vt_run_after_setup("load-16MiB-vram-8MiB-visible", load_small_vram,
			   subtests, sizeof(subtests) / sizeof(subtests[0]), 120,
			   "vvram not loaded with a 16 MiB VRAM");
	return vt_exit();
}
