// SPDX-License-Identifier: MIT
/*
 * vvram_concurrent: several clients allocating, writing, migrating and
 * freeing at once.  Every client sees its own data, and once all are gone
 * the device is back to exactly where it started.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vvram_igt.h"

#define CLIENTS 4

static int fd = -1;
static struct drm_vvram_query_mem_regions regions;

struct bo {
	uint32_t handle;
	uint64_t size;
	uint32_t seed;
	bool mappable;
};

static void bo_create_random(int client, struct bo *bo, uint32_t seed)
{
	static const uint32_t flags[] = {
		0, 0, VVRAM_GEM_CREATE_CONTIGUOUS, VVRAM_GEM_CREATE_CPU_ACCESS_REQUIRED,
		VVRAM_GEM_CREATE_NO_CPU_ACCESS,
	};
	struct drm_vvram_gem_create create = {
		.size = (1 + rand() % 32) * SZ_4K,
		.domains = 1 + rand() % VVRAM_ALL_DOMAINS,
		.flags = flags[rand() % ARRAY_SIZE(flags)],
	};

	igt_assert_eq(__vvram_gem_create(client, &create), 0);
	bo->handle = create.handle;
	bo->size = create.size;
	bo->seed = seed;
	bo->mappable = !(create.flags & VVRAM_GEM_CREATE_NO_CPU_ACCESS);
	if (bo->mappable)
		vvram_bo_fill(client, bo->handle, bo->size, seed);
}

static void bo_check(int client, const struct bo *bo)
{
	if (bo->mappable)
		vvram_bo_assert_pattern(client, bo->handle, bo->size, bo->seed);
}

/* One client's random churn over @slots BOs for @rounds operations. */
static void churn(unsigned int id, unsigned int rounds)
{
	struct bo bos[24] = {};
	int client = vvram_open();

	srand(id * 7919 + 1);
	for (unsigned int round = 0; round < rounds; round++) {
		struct bo *bo = &bos[rand() % ARRAY_SIZE(bos)];

		if (!bo->handle) {
			bo_create_random(client, bo, id << 16 | round);
			continue;
		}
		switch (rand() % 4) {
		case 0:
			bo_check(client, bo);
			vvram_gem_close(client, bo->handle);
			bo->handle = 0;
			break;
		case 1:
			/* Any target; the BO's allowed domains decide. */
			__vvram_gem_migrate(client, bo->handle, 1u << (rand() % 3));
			bo_check(client, bo);
			break;
		default:
			bo_check(client, bo);
			break;
		}
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(bos); i++) {
		if (bos[i].handle) {
			bo_check(client, &bos[i]);
			vvram_gem_close(client, bos[i].handle);
		}
	}
	close(client);
}

static void assert_back_to(const struct drm_vvram_query_mem_regions *start)
{
	struct drm_vvram_query_mem_regions end;

	vvram_query_mem_regions(fd, &end);
	igt_assert_eq_u64(end.vram_used, start->vram_used);
	igt_assert_eq_u64(end.vis_vram_used, start->vis_vram_used);
	igt_assert_eq_u64(end.gtt_used, start->gtt_used);
	igt_assert_eq_u64(end.vram_largest_free, start->vram_largest_free);
}

igt_main
{
	igt_fixture {
		fd = vvram_open();
		vvram_query_mem_regions(fd, &regions);
	}

	igt_describe("Clients churning BOs at once each keep their data, and nothing leaks once they exit.");
	igt_subtest("concurrent-churn-leaves-no-leak") {
		struct drm_vvram_query_mem_regions start;

		vvram_query_mem_regions(fd, &start);
		igt_fork(child, CLIENTS)
			churn(child, 150);
		igt_waitchildren();
		assert_back_to(&start);
	}

	igt_describe("Clients that together overcommit VRAM twice each keep every byte of their data.");
	igt_subtest("concurrent-overcommit-keeps-data") {
		uint64_t size = regions.vram_total / (2 * CLIENTS);
		struct drm_vvram_query_mem_regions start;

		igt_require_f(regions.vram_total <= (64ull << 20),
			      "VRAM too large to overcommit quickly: reload vvram with vram_size <= 64 MiB\n");
		igt_require(size % regions.vram_chunk_size == 0);
		vvram_query_mem_regions(fd, &start);
		igt_fork(child, CLIENTS) {
			int client = vvram_open();
			uint32_t handles[4];

			for (unsigned int i = 0; i < 4; i++)
				handles[i] = vvram_bo_create_in_vram(client, size,
								     VVRAM_GEM_DOMAIN_VRAM,
								     child << 8 | i);
			for (unsigned int pass = 0; pass < 2; pass++)
				for (unsigned int i = 0; i < 4; i++)
					vvram_bo_assert_pattern(client, handles[i], size,
								child << 8 | i);
			for (unsigned int i = 0; i < 4; i++)
				vvram_gem_close(client, handles[i]);
			close(client);
		}
		igt_waitchildren();
		assert_back_to(&start);
	}

	igt_describe("Clients killed while holding BOs and mappings leave nothing behind.");
	igt_subtest("concurrent-killed-clients-leave-no-leak") {
		struct drm_vvram_query_mem_regions start;

		vvram_query_mem_regions(fd, &start);
		igt_fork(child, CLIENTS) {
			int client = vvram_open();
			uint32_t handle;
			void *ptr;

			handle = vvram_gem_create(client, SZ_1M, VVRAM_ALL_DOMAINS, 0);
			ptr = vvram_gem_mmap(client, handle, SZ_1M);
			vvram_pattern_fill(ptr, SZ_1M, child);
			vvram_gem_create(client, SZ_64K, VVRAM_GEM_DOMAIN_VRAM,
					 VVRAM_GEM_CREATE_NO_CPU_ACCESS);
			/* Exit without closing anything, as a crash would. */
			_exit(0);
		}
		igt_waitchildren();
		assert_back_to(&start);
	}

	igt_fixture
		close(fd);
}
