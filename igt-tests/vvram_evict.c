// SPDX-License-Identifier: MIT
/*
 * vvram_evict: VRAM pressure, migration and pinning.  BOs evicted from
 * VRAM, moved between domains or pinned must keep every byte of their data;
 * MIGRATE and PIN refuse bad input with the documented errno.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "vvram_igt.h"

/* Overcommit is paid in copies: keep VRAM small (the runner does). */
#define MAX_OVERCOMMIT_VRAM (64ull << 20)
#define OVERCOMMIT 4

static int fd = -1;
static struct vvram_memory mem;

struct bo {
	uint32_t handle;
	uint64_t size;
	uint64_t seed;
};

static void require_small_vram(void)
{
	igt_require_f(mem.vram_total_bytes <= MAX_OVERCOMMIT_VRAM,
		      "VRAM of %llu MiB is too slow to overcommit here: reload vvram with vram_size <= %llu MiB\n",
		      (unsigned long long)(mem.vram_total_bytes >> 20),
		      (unsigned long long)(MAX_OVERCOMMIT_VRAM >> 20));
}

/*
 * BOs of mixed sizes (a page up to 4 MiB, some not powers of two, so that
 * blocks of many orders are evicted and reused) totalling OVERCOMMIT times
 * VRAM, each with its own pattern. With @via_cpu each is filled in system
 * memory and migrated into VRAM, else filled through a mapping, which
 * faults it into VRAM; either way older BOs are evicted.
 */
static struct bo *create_filled(uint32_t domains, uint32_t flags, bool via_cpu,
				unsigned int *count)
{
	static const uint64_t sizes[] = {
		SZ_4K, 3 * SZ_4K, SZ_64K, 25 * SZ_4K, 64 * SZ_4K, SZ_1M,
		SZ_1M + SZ_4K, 3 * SZ_1M, SZ_4M,
	};
	uint64_t total = 0, goal = OVERCOMMIT * mem.vram_total_bytes;
	unsigned int n = 0, cap = goal / SZ_4K;
	struct bo *bos = calloc(cap, sizeof(*bos));

	igt_assert(bos);
	for (; total < goal; n++) {
		struct bo *bo = &bos[n];

		bo->size = sizes[vvram_pattern_word(0x1234, n) % ARRAY_SIZE(sizes)];
		if (bo->size > goal - total)
			bo->size = goal - total;
		bo->seed = 1000 + n;
		if (via_cpu) {
			bo->handle = vvram_bo_create_in_vram(fd, bo->size, domains, flags,
							     bo->seed);
		} else {
			bo->handle = vvram_gem_create(fd, bo->size, domains, flags);
			vvram_bo_fill(fd, bo->handle, bo->size, bo->seed);
		}
		total += bo->size;
	}
	*count = n;
	return bos;
}

static void check_all(const struct bo *bos, unsigned int n)
{
	igt_assert_lte_u64(vvram_memory(fd).vram_used_bytes, mem.vram_total_bytes);
	/* Forwards, then backwards: each pass evicts what the other left. */
	for (unsigned int i = 0; i < n; i++)
		vvram_bo_assert_pattern(fd, bos[i].handle, bos[i].size, bos[i].seed);
	for (unsigned int i = n; i-- > 0;)
		vvram_bo_assert_pattern(fd, bos[i].handle, bos[i].size, bos[i].seed);
}

/* Frees every BO; nothing may stay accounted. */
static void close_all(struct bo *bos, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		vvram_gem_close(fd, bos[i].handle);
	free(bos);
	vvram_assert_idle(fd);
	igt_assert_eq_u64(vvram_sysfs(fd, "mem_info_vram_used"), 0);
	igt_assert_eq_u64(vvram_sysfs(fd, "mem_info_vis_vram_used"), 0);
}

static const struct {
	const char *name;
	uint32_t domains, flags;
	bool via_cpu, pull_into_vram;
} overcommits[] = {
	{ "vram", VRAM, 0, false, false },
	{ "vram-migrated-in", VRAM, 0, true, false },
	/* A BO that may live in GTT goes there when VRAM is full instead of
	 * evicting: only an explicit move into VRAM makes it evict others. */
	{ "vram-or-gtt", VRAM | GTT, 0, false, true },
	{ "contiguous", VRAM, VVRAM_GEM_CREATE_CONTIGUOUS, false, false },
};

/* Reopens the device after a reload. */
static void reopen(const char *params)
{
	uint64_t vram = mem.vram_total_bytes;

	close(fd);
	vvram_igt_reload(params);
	fd = vvram_igt_open();
	vvram_query(fd, &mem);
	igt_assert_eq_u64(mem.vram_total_bytes, vram);
}

static void overcommit_tests(void)
{
	char all_visible[64];

	/* All of VRAM visible, so that a CPU write faults a BO into VRAM. */
	igt_fixture {
		require_small_vram();
		snprintf(all_visible, sizeof(all_visible), "visible_size=%llu",
			 (unsigned long long)mem.vram_total_bytes);
		reopen(all_visible);
		igt_assert_eq_u64(mem.visible_total_bytes, mem.vram_total_bytes);
	}

	for (unsigned int t = 0; t < ARRAY_SIZE(overcommits); t++) {
		igt_describe("With VRAM overcommitted four times, every byte of every BO survives eviction.");
		igt_subtest_f("overcommit-%s", overcommits[t].name) {
			uint64_t before;
			unsigned int n;
			struct bo *bos;

			vvram_assert_idle(fd);
			before = vvram_memory(fd).evictions;
			bos = create_filled(overcommits[t].domains, overcommits[t].flags,
					    overcommits[t].via_cpu, &n);
			for (unsigned int i = 0; overcommits[t].pull_into_vram && i < n; i++)
				vvram_gem_migrate(fd, bos[i].handle, VRAM);
			igt_assert_lt_u64(before, vvram_memory(fd).evictions);
			check_all(bos, n);
			close_all(bos, n);
		}
	}

	igt_describe("Every BO of a 4x overcommit moved through VRAM, GTT and CPU in shuffled order keeps its data after each move.");
	igt_subtest("overcommit-migrate") {
		static const uint32_t targets[] = { VRAM, GTT, CPU };
		unsigned int n, step = 0;
		struct bo *bos, tmp;
		uint64_t before;

		vvram_assert_idle(fd);
		bos = create_filled(VRAM | GTT, 0, false, &n);
		before = vvram_memory(fd).evictions;
		for (unsigned int round = 0; round < 3; round++) {
			for (unsigned int i = 0; i < n; i++, step++) {
				unsigned int j = vvram_pattern_word(0xfeed, step) % n;

				tmp = bos[i];
				bos[i] = bos[j];
				bos[j] = tmp;
				vvram_gem_migrate(fd, bos[i].handle,
						  targets[vvram_pattern_word(0xbeef, step) % 3]);
				vvram_bo_assert_pattern(fd, bos[i].handle, bos[i].size, bos[i].seed);
			}
		}
		/* Everything back into VRAM, one at a time: each evicts others. */
		for (unsigned int i = 0; i < n; i++) {
			igt_assert_eq(vvram_bo_migrate(fd, bos[i].handle, VRAM), 0);
			vvram_bo_assert_pattern(fd, bos[i].handle, bos[i].size, bos[i].seed);
		}
		check_all(bos, n);
		igt_assert_lt_u64(before, vvram_memory(fd).evictions);
		close_all(bos, n);
	}

	igt_fixture
		reopen("");
}

static void pin_tests(void)
{
	igt_describe("A pinned BO stays where it is, data intact, while the rest of VRAM is overcommitted.");
	igt_subtest("pinned-bo-never-moves") {
		uint64_t size = mem.vram_total_bytes / 8;
		struct vvram_bo_info placed, after;
		struct bo others[16];
		uint32_t pinned;

		require_small_vram();
		pinned = vvram_gem_create(fd, size, VRAM, 0);
		vvram_bo_fill(fd, pinned, size, 0x200);
		vvram_gem_pin(fd, pinned, VRAM);
		vvram_gem_blocks(fd, pinned, &placed);
		for (unsigned int i = 0; i < ARRAY_SIZE(others); i++)
			others[i] = (struct bo){
				vvram_bo_create_in_vram(fd, size, VRAM, 0, 0x300 + i), size, 0x300 + i,
			};
		for (unsigned int i = 0; i < ARRAY_SIZE(others); i++)
			vvram_bo_assert_pattern(fd, others[i].handle, size, others[i].seed);

		vvram_gem_blocks(fd, pinned, &after);
		igt_assert_eq_u32(after.domain, VRAM);
		igt_assert(after.flags & VVRAM_GEM_INFO_PINNED);
		igt_assert_eq(after.block_count, placed.block_count);
		for (uint32_t i = 0; i < placed.block_count; i++) {
			igt_assert_eq_u64(after.blocks[i].address, placed.blocks[i].address);
			igt_assert_eq_u64(after.blocks[i].size_bytes, placed.blocks[i].size_bytes);
		}
		vvram_bo_assert_pattern(fd, pinned, size, 0x200);
		for (unsigned int i = 0; i < ARRAY_SIZE(others); i++)
			vvram_gem_close(fd, others[i].handle);
		vvram_bo_info_fini(&placed);
		vvram_bo_info_fini(&after);
		vvram_gem_close(fd, pinned);
	}

	igt_describe("When pinned BOs fill VRAM, a VRAM-only BO fails with ENOSPC and a BO allowing GTT goes there.");
	igt_subtest("pinned-full-enospc") {
		uint64_t size = mem.vram_total_bytes / 4;
		struct vvram_bo_params params = { .size_bytes = SZ_64K, .domains = VRAM };
		uint32_t pinned[4], handle;

		igt_require(size % mem.chunk_size_bytes == 0);
		for (unsigned int i = 0; i < 4; i++) {
			pinned[i] = vvram_gem_create(fd, size, VRAM, 0);
			vvram_gem_pin(fd, pinned[i], VRAM);
		}
		igt_assert_eq(vvram_bo_create(fd, &params, &handle), -ENOSPC);
		handle = vvram_gem_create(fd, SZ_64K, VRAM | GTT, 0);
		igt_assert_eq_u32(vvram_gem_domain(fd, handle), GTT);
		vvram_gem_close(fd, handle);
		for (unsigned int i = 0; i < 4; i++)
			vvram_gem_close(fd, pinned[i]);
	}

	igt_describe("Pinning migrates first, keeping the data; a pinned BO refuses other domains (EBUSY) and one user pin is undone once.");
	igt_subtest("pin-and-unpin") {
		uint32_t handle = vvram_gem_create(fd, SZ_64K, VRAM | GTT, 0);
		void *ptr = vvram_gem_mmap(fd, handle, SZ_64K);
		struct vvram_bo_info info;

		vvram_pattern_fill(ptr, SZ_64K, 9);
		vvram_gem_info(fd, handle, &info);
		igt_assert(!(info.flags & VVRAM_GEM_INFO_PINNED));
		vvram_gem_pin(fd, handle, GTT);
		vvram_pattern_assert(ptr, SZ_64K, 9);
		/* Same domain again: a no-op. Another domain: busy. */
		igt_assert_eq(vvram_bo_pin(fd, handle, GTT), 0);
		igt_assert_eq(vvram_bo_pin(fd, handle, VRAM), -EBUSY);
		igt_assert_eq(vvram_bo_migrate(fd, handle, VRAM), -EBUSY);
		igt_assert_eq(vvram_bo_migrate(fd, handle, CPU), -EBUSY);
		igt_assert_eq_u32(vvram_gem_domain(fd, handle), GTT);
		vvram_gem_unpin(fd, handle);
		vvram_gem_info(fd, handle, &info);
		igt_assert(!(info.flags & VVRAM_GEM_INFO_PINNED));
		igt_assert_eq(vvram_bo_unpin(fd, handle), -EINVAL);
		vvram_gem_migrate(fd, handle, VRAM);
		vvram_gem_pin(fd, handle, VRAM);
		vvram_pattern_assert(ptr, SZ_64K, 9);
		munmap(ptr, SZ_64K);
		vvram_gem_close(fd, handle);
	}

	igt_describe("Closing a pinned BO releases its pin and its VRAM.");
	igt_subtest("close-pinned") {
		struct vvram_memory before, after;
		uint32_t handle;

		vvram_query(fd, &before);
		handle = vvram_gem_create(fd, SZ_1M, VRAM, 0);
		vvram_gem_pin(fd, handle, VRAM);
		vvram_gem_close(fd, handle);
		vvram_query(fd, &after);
		igt_assert_eq_u64(after.vram_used_bytes, before.vram_used_bytes);
	}
}

static void migrate_tests(void)
{
	igt_describe("Migrating a BO through every pair of domains keeps its data; migrating where it is does nothing; mapping does not move it.");
	igt_subtest("migrate-keeps-data") {
		const uint32_t path[] = { GTT, CPU, VRAM, CPU, GTT, VRAM, VRAM };
		const uint64_t size = SZ_1M + 3 * SZ_4K;
		uint32_t handle = vvram_gem_create(fd, size, VVRAM_ALL_DOMAINS, 0);

		vvram_bo_fill(fd, handle, size, 0x400);
		for (unsigned int i = 0; i < ARRAY_SIZE(path); i++) {
			vvram_gem_migrate(fd, handle, path[i]);
			vvram_bo_assert_pattern(fd, handle, size, 0x400);
			igt_assert_eq_u32(vvram_gem_domain(fd, handle), path[i]);
		}
		vvram_gem_close(fd, handle);
	}

	igt_describe("A BO migrated out of VRAM stays there while VRAM has room, until it is migrated back.");
	igt_subtest("migrate-is-sticky") {
		uint32_t handle = vvram_gem_create(fd, SZ_64K, VVRAM_ALL_DOMAINS, 0);

		vvram_bo_fill(fd, handle, SZ_64K, 0x500);
		vvram_gem_migrate(fd, handle, GTT);
		/* VRAM activity that frees room must not pull it back. */
		for (unsigned int i = 0; i < 4; i++)
			vvram_gem_close(fd, vvram_gem_create(fd, SZ_1M, VRAM, 0));
		igt_assert_eq_u32(vvram_gem_domain(fd, handle), GTT);
		vvram_gem_migrate(fd, handle, VRAM);
		vvram_bo_assert_pattern(fd, handle, SZ_64K, 0x500);
		vvram_gem_close(fd, handle);
	}

	igt_describe("Every BO may be migrated to the CPU domain, even one created for VRAM only.");
	igt_subtest("migrate-to-cpu-always") {
		uint32_t handle = vvram_gem_create(fd, SZ_64K, VRAM, 0);

		vvram_bo_fill(fd, handle, SZ_64K, 0x600);
		vvram_gem_migrate(fd, handle, CPU);
		vvram_bo_assert_pattern(fd, handle, SZ_64K, 0x600);
		vvram_gem_migrate(fd, handle, VRAM);
		vvram_bo_assert_pattern(fd, handle, SZ_64K, 0x600);
		vvram_gem_close(fd, handle);
	}

	igt_describe("A pinned BO cannot be migrated or pinned elsewhere (EBUSY) until it is unpinned.");
	igt_subtest("migrate-pinned-ebusy") {
		uint32_t handle = vvram_gem_create(fd, SZ_64K, VVRAM_ALL_DOMAINS, 0);

		vvram_gem_pin(fd, handle, VRAM);
		igt_assert_eq(vvram_bo_pin(fd, handle, VRAM), 0);
		igt_assert_eq(vvram_bo_migrate(fd, handle, GTT), -EBUSY);
		igt_assert_eq(vvram_bo_pin(fd, handle, GTT), -EBUSY);
		vvram_gem_unpin(fd, handle);
		vvram_gem_migrate(fd, handle, GTT);
		vvram_gem_close(fd, handle);
	}

	igt_describe("Migrating or pinning a BO larger than VRAM into VRAM can never work: E2BIG, not ENOSPC.");
	igt_subtest("migrate-e2big") {
		uint32_t handle = vvram_gem_create(fd, mem.vram_total_bytes + SZ_4K,
						   VRAM | GTT, 0);

		igt_assert_eq_u32(vvram_gem_domain(fd, handle), GTT);
		igt_assert_eq(vvram_bo_migrate(fd, handle, VRAM), -E2BIG);
		igt_assert_eq(vvram_bo_pin(fd, handle, VRAM), -E2BIG);
		igt_assert_eq_u32(vvram_gem_domain(fd, handle), GTT);
		vvram_gem_migrate(fd, handle, CPU);
		vvram_gem_close(fd, handle);
	}
}

/* Which handle a bad request names. */
enum { NO_HANDLE, UNUSED_HANDLE, VRAM_BO, GTT_BO };

/* One bad MIGRATE or PIN request. */
static const struct bad_request {
	const char *name;
	unsigned int bo;
	uint32_t domain, flags, pad;
	uint64_t reserved;
	int err;
} bad_migrates[] = {
	{ "no-handle", NO_HANDLE, CPU, 0, 0, 0, ENOENT },
	{ "unused-handle", UNUSED_HANDLE, CPU, 0, 0, 0, ENOENT },
	{ "no-domain", VRAM_BO, 0, 0, 0, 0, EINVAL },
	{ "two-domains", VRAM_BO, VRAM | GTT, 0, 0, 0, EINVAL },
	{ "two-domains-cpu", VRAM_BO, VRAM | CPU, 0, 0, 0, EINVAL },
	{ "unknown-domain", VRAM_BO, 1u << 3, 0, 0, 0, EINVAL },
	{ "domain-not-allowed", VRAM_BO, GTT, 0, 0, 0, EINVAL },
	{ "vram-not-allowed", GTT_BO, VRAM, 0, 0, 0, EINVAL },
	{ "nonzero-flags", VRAM_BO, CPU, 1, 0, 0, EINVAL },
	{ "nonzero-pad", VRAM_BO, CPU, 0, 1, 0, EINVAL },
	{ "nonzero-reserved", VRAM_BO, CPU, 0, 0, 1, EINVAL },
}, bad_pins[] = {
	{ "no-handle", NO_HANDLE, VRAM, 0, 0, 0, ENOENT },
	{ "unused-handle", UNUSED_HANDLE, VRAM, 0, 0, 0, ENOENT },
	{ "no-domain", VRAM_BO, 0, 0, 0, 0, EINVAL },
	{ "two-domains", VRAM_BO, VRAM | CPU, 0, 0, 0, EINVAL },
	{ "all-domains", VRAM_BO, VVRAM_ALL_DOMAINS, 0, 0, 0, EINVAL },
	{ "unknown-domain", VRAM_BO, 1u << 7, 0, 0, 0, EINVAL },
	{ "domain-not-allowed", VRAM_BO, GTT, 0, 0, 0, EINVAL },
	{ "unknown-flag", VRAM_BO, VRAM, 1u << 1, 0, 0, EINVAL },
	{ "nonzero-pad", VRAM_BO, VRAM, 0, 1, 0, EINVAL },
	{ "nonzero-reserved", VRAM_BO, VRAM, 0, 0, 1, EINVAL },
	{ "unpin-unpinned", VRAM_BO, 0, VVRAM_GEM_PIN_UNPIN, 0, 0, EINVAL },
};

_Static_assert(sizeof(struct drm_vvram_gem_migrate) == sizeof(struct drm_vvram_gem_pin) &&
	       offsetof(struct drm_vvram_gem_migrate, reserved) ==
	       offsetof(struct drm_vvram_gem_pin, reserved),
	       "MIGRATE and PIN share their argument layout");

static const struct {
	const char *ioctl;
	unsigned long request;
	const struct bad_request *requests;
	unsigned int count;
} bad_tables[] = {
	{ "migrate", DRM_IOCTL_VVRAM_GEM_MIGRATE, bad_migrates, ARRAY_SIZE(bad_migrates) },
	{ "pin", DRM_IOCTL_VVRAM_GEM_PIN, bad_pins, ARRAY_SIZE(bad_pins) },
};

static void bad_input_tests(void)
{
	static uint32_t handles[4];

	igt_fixture {
		handles[VRAM_BO] = vvram_gem_create(fd, SZ_64K, VRAM, 0);
		handles[GTT_BO] = vvram_gem_create(fd, SZ_64K, GTT, 0);
		handles[UNUSED_HANDLE] = handles[GTT_BO] + 1000;
	}

	for (unsigned int t = 0; t < ARRAY_SIZE(bad_tables); t++) {
		for (unsigned int i = 0; i < bad_tables[t].count; i++) {
			const struct bad_request *r = &bad_tables[t].requests[i];

			igt_describe("A request with this bad field fails with its documented errno, and moves and pins nothing.");
			igt_subtest_f("%s-%s", bad_tables[t].ioctl, r->name) {
				/* MIGRATE's and PIN's arguments share their layout. */
				struct drm_vvram_gem_pin arg = {
					handles[r->bo], r->domain, r->flags, r->pad, r->reserved,
				};
				struct vvram_bo_info info;

				igt_assert_eq(vvram_ioctl(fd, bad_tables[t].request, &arg), -r->err);
				vvram_gem_info(fd, handles[VRAM_BO], &info);
				igt_assert_eq_u32(info.domain, VRAM);
				igt_assert(!(info.flags & VVRAM_GEM_INFO_PINNED));
				igt_assert_eq_u32(vvram_gem_domain(fd, handles[GTT_BO]), GTT);
			}
		}
	}

	igt_fixture {
		vvram_gem_close(fd, handles[VRAM_BO]);
		vvram_gem_close(fd, handles[GTT_BO]);
	}
}

igt_main
{
	static const vvram_topic_fn topics[] = {
		overcommit_tests, pin_tests, migrate_tests, bad_input_tests,
	};

	vvram_igt_run(&fd, &mem, topics, ARRAY_SIZE(topics));
}
