// SPDX-License-Identifier: MIT
/*
 * vvram_evict: VRAM pressure and migration.  BOs evicted from VRAM, moved
 * between domains or pinned must keep every byte of their data.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vvram_igt.h"

/* Overcommit is paid in copies; under TCG keep VRAM small (the runner does). */
#define MAX_OVERCOMMIT_VRAM (64ull << 20)

static int fd = -1;
static struct drm_vvram_query_mem_regions regions;

static uint64_t evictions(void)
{
	struct drm_vvram_query_mem_regions now;

	vvram_query_mem_regions(fd, &now);
	return now.evictions;
}

static void require_small_vram(void)
{
	igt_require_f(regions.vram_total <= MAX_OVERCOMMIT_VRAM,
		      "VRAM of %llu MiB is too slow to overcommit here: reload vvram with vram_size <= %llu MiB\n",
		      (unsigned long long)(regions.vram_total >> 20),
		      (unsigned long long)(MAX_OVERCOMMIT_VRAM >> 20));
}

/* Puts @n BOs of @size bytes in VRAM in turn, each with its own pattern. */
static uint32_t *create_filled(unsigned int n, uint64_t size, uint32_t domains,
			       uint32_t seed)
{
	uint32_t *handles = calloc(n, sizeof(*handles));

	igt_assert(handles);
	for (unsigned int i = 0; i < n; i++)
		handles[i] = vvram_bo_create_in_vram(fd, size, domains, seed + i);
	return handles;
}

static void close_all(uint32_t *handles, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		vvram_gem_close(fd, handles[i]);
	free(handles);
}

static void assert_blocks_equal(const struct drm_vvram_gem_block *a,
				const struct drm_vvram_gem_block *b,
				uint32_t count)
{
	for (uint32_t i = 0; i < count; i++) {
		igt_assert_eq_u64(a[i].dev_addr, b[i].dev_addr);
		igt_assert_eq_u64(a[i].size, b[i].size);
	}
}

igt_main
{
	igt_fixture {
		fd = vvram_open();
		vvram_query_mem_regions(fd, &regions);
	}

	igt_describe("With VRAM overcommitted four times, every byte of every BO survives eviction.");
	igt_subtest("evict-overcommit-4x-keeps-every-byte") {
		uint64_t size = regions.vram_total / 8, before;
		unsigned int n = 32;
		uint32_t *handles;

		require_small_vram();
		before = evictions();
		handles = create_filled(n, size, VVRAM_GEM_DOMAIN_VRAM, 0x100);
		igt_assert_lt_u64(before, evictions());

		/* Forwards, then backwards: each pass evicts what the other left. */
		for (unsigned int i = 0; i < n; i++)
			vvram_bo_assert_pattern(fd, handles[i], size, 0x100 + i);
		for (unsigned int i = n; i-- > 0;)
			vvram_bo_assert_pattern(fd, handles[i], size, 0x100 + i);
		close_all(handles, n);
	}

	igt_describe("A pinned BO stays where it is, data intact, while the rest of VRAM is overcommitted.");
	igt_subtest("evict-never-moves-pinned-bo") {
		uint64_t size = regions.vram_total / 8;
		struct drm_vvram_gem_block *placed, *after;
		uint32_t pinned, count, count_after, *handles;
		struct drm_vvram_gem_info info;
		unsigned int n = 16;

		require_small_vram();
		pinned = vvram_gem_create(fd, size, VVRAM_GEM_DOMAIN_VRAM, 0);
		vvram_bo_fill(fd, pinned, size, 0x200);
		vvram_gem_pin(fd, pinned, VVRAM_GEM_DOMAIN_VRAM);
		placed = vvram_gem_blocks(fd, pinned, &count);

		handles = create_filled(n, size, VVRAM_GEM_DOMAIN_VRAM, 0x300);
		for (unsigned int i = 0; i < n; i++)
			vvram_bo_assert_pattern(fd, handles[i], size, 0x300 + i);

		vvram_gem_info(fd, pinned, &info);
		igt_assert_eq_u32(info.domain, VVRAM_GEM_DOMAIN_VRAM);
		igt_assert(info.flags & VVRAM_GEM_INFO_PINNED);
		after = vvram_gem_blocks(fd, pinned, &count_after);
		igt_assert_eq(count_after, count);
		assert_blocks_equal(placed, after, count);
		vvram_bo_assert_pattern(fd, pinned, size, 0x200);

		close_all(handles, n);
		free(placed);
		free(after);
		vvram_gem_close(fd, pinned);
	}

	igt_describe("When pinned BOs fill VRAM, a VRAM-only BO fails with ENOSPC and a BO allowing GTT goes there.");
	igt_subtest("evict-fails-enospc-when-vram-is-pinned") {
		uint64_t size = regions.vram_total / 4;
		struct drm_vvram_gem_create create = {
			.size = SZ_64K,
			.domains = VVRAM_GEM_DOMAIN_VRAM,
		};
		uint32_t pinned[4], handle;

		igt_require(size % regions.vram_chunk_size == 0);
		for (unsigned int i = 0; i < 4; i++) {
			pinned[i] = vvram_gem_create(fd, size, VVRAM_GEM_DOMAIN_VRAM, 0);
			vvram_gem_pin(fd, pinned[i], VVRAM_GEM_DOMAIN_VRAM);
		}
		igt_assert_eq(__vvram_gem_create(fd, &create), -ENOSPC);

		handle = vvram_gem_create(fd, SZ_64K,
					  VVRAM_GEM_DOMAIN_VRAM | VVRAM_GEM_DOMAIN_GTT, 0);
		igt_assert_eq_u32(vvram_gem_domain(fd, handle), VVRAM_GEM_DOMAIN_GTT);
		vvram_gem_close(fd, handle);
		for (unsigned int i = 0; i < 4; i++)
			vvram_gem_close(fd, pinned[i]);
	}

	igt_describe("Migrating a BO through every pair of domains keeps its data.");
	igt_subtest("migrate-keeps-data") {
		const uint32_t path[] = {
			VVRAM_GEM_DOMAIN_GTT, VVRAM_GEM_DOMAIN_CPU, VVRAM_GEM_DOMAIN_VRAM,
			VVRAM_GEM_DOMAIN_CPU, VVRAM_GEM_DOMAIN_GTT, VVRAM_GEM_DOMAIN_VRAM,
		};
		uint32_t handle;

		handle = vvram_gem_create(fd, SZ_1M + SZ_64K, VVRAM_ALL_DOMAINS, 0);
		igt_assert_eq_u32(vvram_gem_domain(fd, handle), VVRAM_GEM_DOMAIN_VRAM);
		vvram_bo_fill(fd, handle, SZ_1M + SZ_64K, 0x400);
		for (unsigned int i = 0; i < ARRAY_SIZE(path); i++) {
			vvram_gem_migrate(fd, handle, path[i]);
			vvram_bo_assert_pattern(fd, handle, SZ_1M + SZ_64K, 0x400);
		}
		vvram_gem_close(fd, handle);
	}

	igt_describe("A BO migrated out of VRAM stays there while VRAM has room, until it is migrated back.");
	igt_subtest("migrate-is-sticky") {
		uint32_t handle = vvram_gem_create(fd, SZ_64K, VVRAM_ALL_DOMAINS, 0);

		vvram_bo_fill(fd, handle, SZ_64K, 0x500);
		vvram_gem_migrate(fd, handle, VVRAM_GEM_DOMAIN_GTT);
		/* VRAM activity that frees room must not pull it back. */
		for (unsigned int i = 0; i < 4; i++)
			vvram_gem_close(fd, vvram_gem_create(fd, SZ_1M, VVRAM_GEM_DOMAIN_VRAM, 0));
		igt_assert_eq_u32(vvram_gem_domain(fd, handle), VVRAM_GEM_DOMAIN_GTT);
		vvram_gem_migrate(fd, handle, VVRAM_GEM_DOMAIN_VRAM);
		vvram_bo_assert_pattern(fd, handle, SZ_64K, 0x500);
		vvram_gem_close(fd, handle);
	}

	igt_describe("Every BO may be migrated to the CPU domain, even one created for VRAM only.");
	igt_subtest("migrate-to-cpu-is-always-allowed") {
		uint32_t handle = vvram_gem_create(fd, SZ_64K, VVRAM_GEM_DOMAIN_VRAM, 0);

		vvram_bo_fill(fd, handle, SZ_64K, 0x600);
		vvram_gem_migrate(fd, handle, VVRAM_GEM_DOMAIN_CPU);
		vvram_bo_assert_pattern(fd, handle, SZ_64K, 0x600);
		vvram_gem_migrate(fd, handle, VVRAM_GEM_DOMAIN_VRAM);
		vvram_bo_assert_pattern(fd, handle, SZ_64K, 0x600);
		vvram_gem_close(fd, handle);
	}

	igt_describe("A pinned BO cannot be migrated or pinned elsewhere (EBUSY) until it is unpinned.");
	igt_subtest("migrate-pinned-bo-is-ebusy") {
		uint32_t handle = vvram_gem_create(fd, SZ_64K, VVRAM_ALL_DOMAINS, 0);

		vvram_gem_pin(fd, handle, VVRAM_GEM_DOMAIN_VRAM);
		/* Pinning again where it is pinned is allowed. */
		igt_assert_eq(__vvram_gem_pin(fd, handle, VVRAM_GEM_DOMAIN_VRAM, 0), 0);
		igt_assert_eq(__vvram_gem_migrate(fd, handle, VVRAM_GEM_DOMAIN_GTT), -EBUSY);
		igt_assert_eq(__vvram_gem_pin(fd, handle, VVRAM_GEM_DOMAIN_GTT, 0), -EBUSY);
		vvram_gem_unpin(fd, handle);
		vvram_gem_migrate(fd, handle, VVRAM_GEM_DOMAIN_GTT);
		vvram_gem_close(fd, handle);
	}

	igt_describe("Migrating or pinning a BO larger than VRAM into VRAM can never work: E2BIG, not ENOSPC.");
	igt_subtest("migrate-larger-than-vram-is-e2big") {
		uint64_t size = regions.vram_total + SZ_64K;
		uint32_t handle;

		handle = vvram_gem_create(fd, size, VVRAM_GEM_DOMAIN_VRAM | VVRAM_GEM_DOMAIN_GTT, 0);
		igt_assert_eq_u32(vvram_gem_domain(fd, handle), VVRAM_GEM_DOMAIN_GTT);
		igt_assert_eq(__vvram_gem_migrate(fd, handle, VVRAM_GEM_DOMAIN_VRAM), -E2BIG);
		igt_assert_eq(__vvram_gem_pin(fd, handle, VVRAM_GEM_DOMAIN_VRAM, 0), -E2BIG);
		igt_assert_eq_u32(vvram_gem_domain(fd, handle), VVRAM_GEM_DOMAIN_GTT);
		vvram_gem_close(fd, handle);
	}

	igt_describe("MIGRATE rejects bad handles (ENOENT), bad domains, flags and padding (EINVAL).");
	igt_subtest("migrate-bad-input") {
		uint32_t handle = vvram_gem_create(fd, SZ_64K, VVRAM_GEM_DOMAIN_VRAM, 0);
		const uint32_t bad_domains[] = {
			0, VVRAM_GEM_DOMAIN_VRAM | VVRAM_GEM_DOMAIN_CPU, 1u << 3,
			VVRAM_GEM_DOMAIN_GTT, /* not among the BO's domains */
		};
		struct drm_vvram_gem_migrate migrate;

		igt_assert_eq(__vvram_gem_migrate(fd, 0xdeadbeef, VVRAM_GEM_DOMAIN_CPU), -ENOENT);
		for (unsigned int i = 0; i < ARRAY_SIZE(bad_domains); i++)
			igt_assert_eq(__vvram_gem_migrate(fd, handle, bad_domains[i]), -EINVAL);

		for (unsigned int field = 0; field < 3; field++) {
			memset(&migrate, 0, sizeof(migrate));
			migrate.handle = handle;
			migrate.domain = VVRAM_GEM_DOMAIN_CPU;
			if (field == 0)
				migrate.flags = 1;
			else if (field == 1)
				migrate.pad = 1;
			else
				migrate.reserved = 1;
			igt_assert_eq(drmIoctl(fd, DRM_IOCTL_VVRAM_GEM_MIGRATE, &migrate), -1);
			igt_assert_eq(errno, EINVAL);
		}
		igt_assert_eq_u32(vvram_gem_domain(fd, handle), VVRAM_GEM_DOMAIN_VRAM);
		vvram_gem_close(fd, handle);
	}

	igt_describe("PIN rejects bad handles (ENOENT), bad domains, unknown flags and unpinning an unpinned BO (EINVAL).");
	igt_subtest("pin-bad-input") {
		uint32_t handle = vvram_gem_create(fd, SZ_64K, VVRAM_GEM_DOMAIN_VRAM, 0);
		struct drm_vvram_gem_pin pin;

		igt_assert_eq(__vvram_gem_pin(fd, 0xdeadbeef, VVRAM_GEM_DOMAIN_VRAM, 0), -ENOENT);
		igt_assert_eq(__vvram_gem_pin(fd, handle, 0, 0), -EINVAL);
		igt_assert_eq(__vvram_gem_pin(fd, handle, VVRAM_ALL_DOMAINS, 0), -EINVAL);
		igt_assert_eq(__vvram_gem_pin(fd, handle, VVRAM_GEM_DOMAIN_GTT, 0), -EINVAL);
		igt_assert_eq(__vvram_gem_pin(fd, handle, VVRAM_GEM_DOMAIN_VRAM, 1u << 1), -EINVAL);
		igt_assert_eq(__vvram_gem_pin(fd, handle, 0, VVRAM_GEM_PIN_UNPIN), -EINVAL);

		memset(&pin, 0, sizeof(pin));
		pin.handle = handle;
		pin.domain = VVRAM_GEM_DOMAIN_VRAM;
		pin.reserved = 1;
		igt_assert_eq(drmIoctl(fd, DRM_IOCTL_VVRAM_GEM_PIN, &pin), -1);
		igt_assert_eq(errno, EINVAL);
		vvram_gem_close(fd, handle);
	}

	igt_describe("Closing a pinned BO releases its pin and its VRAM.");
	igt_subtest("close-releases-pinned-bo") {
		struct drm_vvram_query_mem_regions before, after;
		uint32_t handle;

		vvram_query_mem_regions(fd, &before);
		handle = vvram_gem_create(fd, SZ_1M, VVRAM_GEM_DOMAIN_VRAM, 0);
		vvram_gem_pin(fd, handle, VVRAM_GEM_DOMAIN_VRAM);
		vvram_gem_close(fd, handle);
		vvram_query_mem_regions(fd, &after);
		igt_assert_eq_u64(after.vram_used, before.vram_used);
	}

	igt_fixture
		close(fd);
}
