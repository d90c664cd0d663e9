// SPDX-License-Identifier: MIT
/*
 * vvram_clear: memory reaches userspace zeroed.  A new BO never shows data
 * that another BO, of this client or another one, left behind.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "vvram_igt.h"

static int fd = -1;
static struct drm_vvram_query_mem_regions regions;

static const struct {
	const char *name;
	uint32_t domain;
} domains[] = {
	{ "vram", VVRAM_GEM_DOMAIN_VRAM },
	{ "gtt", VVRAM_GEM_DOMAIN_GTT },
	{ "cpu", VVRAM_GEM_DOMAIN_CPU },
};

/*
 * The whole VRAM is written and read through migrations, as the CPU only
 * reaches the visible window: a BO filled in GTT and migrated to VRAM
 * dirties VRAM outside the window too, and migrating a new BO out of VRAM
 * copies what it found there.
 */
#define SHUTTLE_DOMAINS (VVRAM_GEM_DOMAIN_VRAM | VVRAM_GEM_DOMAIN_GTT)

static uint64_t cover_size(void)
{
	uint64_t size = regions.vram_total / 8;

	igt_require(size && regions.vram_total % size == 0 &&
		    size % regions.vram_chunk_size == 0);
	return size;
}

/* Covers the whole VRAM with patterned BOs of @client, then frees them. */
static void dirty_all_vram(int client, uint32_t seed)
{
	uint64_t size = cover_size();
	uint32_t handles[8];

	for (unsigned int i = 0; i < 8; i++)
		handles[i] = vvram_bo_create_in_vram(client, size, SHUTTLE_DOMAINS,
						     seed + i);
	for (unsigned int i = 0; i < 8; i++) {
		igt_assert_eq_u32(vvram_gem_domain(client, handles[i]),
				  VVRAM_GEM_DOMAIN_VRAM);
		vvram_gem_close(client, handles[i]);
	}
}

/* Covers the whole VRAM with new BOs and checks that all of it reads zero. */
static void assert_all_vram_zero(int client)
{
	uint64_t size = cover_size();
	uint32_t handles[8];

	for (unsigned int i = 0; i < 8; i++) {
		handles[i] = vvram_gem_create(client, size, SHUTTLE_DOMAINS, 0);
		igt_assert_eq_u32(vvram_gem_domain(client, handles[i]),
				  VVRAM_GEM_DOMAIN_VRAM);
	}
	for (unsigned int i = 0; i < 8; i++) {
		vvram_gem_migrate(client, handles[i], VVRAM_GEM_DOMAIN_GTT);
		vvram_bo_assert_zero(client, handles[i], size);
		vvram_gem_close(client, handles[i]);
	}
}

/* Half the visible window, for tests that stay inside it. */
static uint64_t piece_size(void)
{
	uint64_t size = regions.vis_vram_total / 2;

	igt_require(size && size % regions.vram_chunk_size == 0);
	return size;
}

igt_main
{
	igt_fixture {
		fd = vvram_open();
		vvram_query_mem_regions(fd, &regions);
	}

	for (unsigned int i = 0; i < ARRAY_SIZE(domains); i++) {
		igt_describe("A new BO reads zero.");
		igt_subtest_f("new-bo-reads-zero-%s", domains[i].name) {
			uint32_t handle;

			handle = vvram_gem_create(fd, SZ_1M, domains[i].domain, 0);
			igt_assert_eq_u32(vvram_gem_domain(fd, handle), domains[i].domain);
			vvram_bo_assert_zero(fd, handle, SZ_1M);
			vvram_gem_close(fd, handle);
		}
	}

	igt_describe("After the whole VRAM was written and freed, new BOs covering it read zero.");
	igt_subtest("freed-vram-is-zero-when-reused") {
		vvram_assert_vram_empty(fd);
		dirty_all_vram(fd, 0x700);
		assert_all_vram_zero(fd);
	}

	igt_describe("Data one client leaves in VRAM is never shown to another client.");
	igt_subtest("freed-vram-is-zero-across-clients") {
		vvram_assert_vram_empty(fd);
		igt_fork(child, 1) {
			int client = vvram_open();

			dirty_all_vram(client, 0x800);
			close(client);
		}
		igt_waitchildren();
		assert_all_vram_zero(fd);
	}

	igt_describe("Data one client leaves in the visible window is never shown to another client.");
	igt_subtest("freed-visible-vram-is-zero-across-clients") {
		uint64_t size = piece_size();
		unsigned int n = regions.vis_vram_total / size;

		vvram_assert_vram_empty(fd);
		igt_fork(child, 1) {
			int client = vvram_open();
			uint32_t handles[2];

			for (unsigned int i = 0; i < n; i++) {
				handles[i] = vvram_gem_create(client, size, VVRAM_GEM_DOMAIN_VRAM,
							      VVRAM_GEM_CREATE_CPU_ACCESS_REQUIRED);
				vvram_bo_fill(client, handles[i], size, 0x900 + i);
			}
			close(client);
		}
		igt_waitchildren();
		for (unsigned int i = 0; i < n; i++) {
			uint32_t handle = vvram_gem_create(fd, size, VVRAM_GEM_DOMAIN_VRAM,
							   VVRAM_GEM_CREATE_CPU_ACCESS_REQUIRED);

			vvram_bo_assert_zero(fd, handle, size);
			vvram_gem_close(fd, handle);
		}
	}

	igt_describe("A BO placed where an evicted BO was reads zero, and the evicted BO keeps its data.");
	igt_subtest("bo-in-evicted-space-reads-zero") {
		uint64_t size = piece_size();
		unsigned int n = regions.vis_vram_total / size;
		uint32_t old[2], handle;

		vvram_assert_vram_empty(fd);
		for (unsigned int i = 0; i < n; i++) {
			old[i] = vvram_gem_create(fd, size,
						  VVRAM_GEM_DOMAIN_VRAM | VVRAM_GEM_DOMAIN_GTT,
						  VVRAM_GEM_CREATE_CPU_ACCESS_REQUIRED);
			vvram_bo_fill(fd, old[i], size, 0xa00 + i);
		}
		/* The window is full: this BO takes an evicted BO's place. */
		handle = vvram_gem_create(fd, size, VVRAM_GEM_DOMAIN_VRAM,
					  VVRAM_GEM_CREATE_CPU_ACCESS_REQUIRED);
		vvram_bo_assert_zero(fd, handle, size);
		vvram_gem_close(fd, handle);
		for (unsigned int i = 0; i < n; i++) {
			vvram_bo_assert_pattern(fd, old[i], size, 0xa00 + i);
			vvram_gem_close(fd, old[i]);
		}
	}

	igt_describe("Dumb buffers read zero when created, also after another dumb buffer was written and destroyed.");
	igt_subtest("dumb-buffer-reads-zero") {
		for (unsigned int round = 0; round < 3; round++) {
			struct drm_mode_create_dumb create = {
				.width = 512, .height = 512, .bpp = 32,
			};
			struct drm_mode_map_dumb map = {};
			struct drm_mode_destroy_dumb destroy = {};
			void *ptr;

			igt_assert_eq(drmIoctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &create), 0);
			igt_assert_lte_u64(512 * 512 * 4, create.size);
			map.handle = create.handle;
			igt_assert_eq(drmIoctl(fd, DRM_IOCTL_MODE_MAP_DUMB, &map), 0);
			ptr = mmap(NULL, create.size, PROT_READ | PROT_WRITE, MAP_SHARED,
				   fd, map.offset);
			igt_assert(ptr != MAP_FAILED);
			vvram_assert_zero(ptr, create.size);
			vvram_pattern_fill(ptr, create.size, 0xb00 + round);
			munmap(ptr, create.size);
			destroy.handle = create.handle;
			igt_assert_eq(drmIoctl(fd, DRM_IOCTL_MODE_DESTROY_DUMB, &destroy), 0);
		}
	}

	igt_fixture
		close(fd);
}
