// SPDX-License-Identifier: MIT
/*
 * vvram_clear: memory reaches userspace zeroed.  A new BO never shows data
 * that another BO, of this client or another one, left behind, whether the
 * data reached VRAM by a CPU write, a migration or an eviction.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "vvram_igt.h"

#define CONTIGUOUS VVRAM_GEM_CREATE_CONTIGUOUS
#define CPU_ACCESS VVRAM_GEM_CREATE_CPU_ACCESS_REQUIRED

static int fd = -1;
static struct vvram_memory mem;

static const struct {
	const char *name;
	uint32_t domain;
} domains[] = {
	{ "vram", VRAM }, { "gtt", GTT }, { "cpu", CPU },
};

/*
 * The whole VRAM is written and read through migrations, as the CPU only
 * reaches the visible window: a BO filled in system memory and migrated to
 * VRAM dirties VRAM outside the window too, and migrating a new BO out of
 * VRAM copies what it found there.
 */
#define SHUTTLE_DOMAINS (VRAM | GTT)

static uint64_t cover_size(void)
{
	uint64_t size = mem.vram_total_bytes / 8;

	igt_require(size && mem.vram_total_bytes % size == 0 &&
		    size % mem.chunk_size_bytes == 0);
	return size;
}

/* Covers the whole VRAM with patterned BOs of @client; frees them if @close_them. */
static void dirty_all_vram(int client, uint64_t seed, bool close_them)
{
	uint64_t size = cover_size();
	uint32_t handles[8];

	for (unsigned int i = 0; i < 8; i++)
		handles[i] = vvram_bo_create_in_vram(client, size, SHUTTLE_DOMAINS, 0,
						     seed + i);
	for (unsigned int i = 0; i < 8; i++) {
		igt_assert_eq_u32(vvram_gem_domain(client, handles[i]), VRAM);
		if (close_them)
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
		igt_assert_eq_u32(vvram_gem_domain(client, handles[i]), VRAM);
	}
	for (unsigned int i = 0; i < 8; i++) {
		vvram_gem_migrate(client, handles[i], GTT);
		vvram_bo_assert_zero(client, handles[i], size);
		vvram_gem_close(client, handles[i]);
	}
}

/* Half the visible window, for tests that stay inside it. */
static uint64_t piece_size(void)
{
	uint64_t size = mem.visible_total_bytes / 2;

	igt_require(size && size % mem.chunk_size_bytes == 0);
	return size;
}

/* A new BO of this kind reads zero: its whole size mapped and checked. */
static void assert_new_bo_zero(uint64_t size, uint32_t domains, uint32_t flags)
{
	uint32_t handle = vvram_gem_create(fd, size, domains, flags);

	vvram_bo_assert_zero(fd, handle, size);
	vvram_gem_close(fd, handle);
}

static void new_bo_tests(void)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(domains); i++) {
		igt_describe("A new BO reads zero.");
		igt_subtest_f("new-bo-%s", domains[i].name) {
			uint32_t handle = vvram_gem_create(fd, SZ_1M, domains[i].domain, 0);

			igt_assert_eq_u32(vvram_gem_domain(fd, handle), domains[i].domain);
			vvram_bo_assert_zero(fd, handle, SZ_1M);
			vvram_gem_close(fd, handle);
		}
	}

	igt_describe("Dumb buffers read zero when created, after VRAM and other dumb buffers were written; a destroyed one cannot be mapped.");
	igt_subtest("dumb-buffer") {
		vvram_assert_idle(fd);
		dirty_all_vram(fd, 0xb10, true);
		for (unsigned int round = 0; round < 3; round++) {
			struct drm_mode_create_dumb create = { .width = 512, .height = 256, .bpp = 32 };
			struct drm_mode_map_dumb map = {};
			struct drm_mode_destroy_dumb destroy = {};
			void *ptr;

			igt_assert_eq(vvram_ioctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &create), 0);
			igt_assert_neq(create.handle, 0);
			igt_assert_lte(512 * 4, create.pitch);
			igt_assert_lte_u64((uint64_t)create.pitch * 256, create.size);
			map.handle = create.handle;
			igt_assert_eq(vvram_ioctl(fd, DRM_IOCTL_MODE_MAP_DUMB, &map), 0);
			ptr = mmap(NULL, create.size, PROT_READ | PROT_WRITE, MAP_SHARED,
				   fd, map.offset);
			igt_assert(ptr != MAP_FAILED);
			vvram_assert_zero(ptr, create.size);
			vvram_pattern_fill(ptr, create.size, 0xb00 + round);
			vvram_pattern_assert(ptr, create.size, 0xb00 + round);
			munmap(ptr, create.size);
			destroy.handle = create.handle;
			igt_assert_eq(vvram_ioctl(fd, DRM_IOCTL_MODE_DESTROY_DUMB, &destroy), 0);
			igt_assert_eq(vvram_ioctl(fd, DRM_IOCTL_MODE_MAP_DUMB, &map), -ENOENT);
		}
	}
}

static void reuse_tests(void)
{
	igt_describe("After the whole VRAM was written and freed, new BOs covering it read zero.");
	igt_subtest("freed-vram-reused") {
		vvram_assert_idle(fd);
		dirty_all_vram(fd, 0x700, true);
		assert_all_vram_zero(fd);
	}

	igt_describe("Data another process left in VRAM, freed with its file, is never shown to this one.");
	igt_subtest("across-clients") {
		vvram_assert_idle(fd);
		igt_fork(child, 1) {
			int client = vvram_igt_open();

			dirty_all_vram(client, 0x800, false);
			close(client);
		}
		igt_waitchildren();
		vvram_assert_idle(fd);
		assert_all_vram_zero(fd);
	}

	igt_describe("Data one client leaves in the visible window is never shown to another client.");
	igt_subtest("visible-across-clients") {
		uint64_t size = piece_size();
		unsigned int n = mem.visible_total_bytes / size;

		vvram_assert_idle(fd);
		igt_fork(child, 1) {
			int client = vvram_igt_open();

			for (unsigned int i = 0; i < n; i++)
				vvram_bo_fill(client, vvram_gem_create(client, size, VRAM, CPU_ACCESS),
					      size, 0x900 + i);
			close(client);
		}
		igt_waitchildren();
		vvram_assert_idle(fd);
		for (unsigned int i = 0; i < n; i++)
			assert_new_bo_zero(size, VRAM, CPU_ACCESS);
	}

	igt_describe("A BO placed where an evicted BO was reads zero, and the evicted BO keeps its data.");
	igt_subtest("evicted-space") {
		uint64_t size = piece_size();
		unsigned int n = mem.visible_total_bytes / size;
		uint32_t old[2];

		vvram_assert_idle(fd);
		for (unsigned int i = 0; i < n; i++) {
			old[i] = vvram_gem_create(fd, size, VRAM | GTT, CPU_ACCESS);
			vvram_bo_fill(fd, old[i], size, 0xa00 + i);
		}
		/* The window is full: this BO takes an evicted BO's place. */
		assert_new_bo_zero(size, VRAM, CPU_ACCESS);
		for (unsigned int i = 0; i < n; i++) {
			vvram_bo_assert_pattern(fd, old[i], size, 0xa00 + i);
			vvram_gem_close(fd, old[i]);
		}
	}
}

/* Fills all of VRAM with four live BOs holding patterns, written by the CPU. */
static void dirty_quarters(uint32_t *handles, uint32_t domains, uint64_t seed)
{
	uint64_t quarter = mem.vram_total_bytes / 4;

	for (unsigned int i = 0; i < 4; i++) {
		handles[i] = vvram_gem_create(fd, quarter, domains, 0);
		vvram_bo_fill(fd, handles[i], quarter, seed + i);
	}
}

static const struct {
	const char *name;
	uint32_t domains, flags;
} kinds[] = {
	{ "vram", VRAM, 0 },
	{ "contiguous", VRAM, CONTIGUOUS },
	{ "visible", VRAM, CPU_ACCESS },
	{ "vram-or-gtt", VRAM | GTT, 0 },
	{ "gtt", GTT, 0 },
	{ "cpu", CPU, 0 },
};

static void all_visible_tests(void)
{
	char all_visible[64];

	/* All of VRAM visible, so that mapping a BO never moves it. */
	igt_fixture {
		snprintf(all_visible, sizeof(all_visible), "visible_size=%llu",
			 (unsigned long long)mem.vram_total_bytes);
		close(fd);
		vvram_igt_reload(all_visible);
		fd = vvram_igt_open();
		vvram_query(fd, &mem);
		igt_assert_eq_u64(mem.visible_total_bytes, mem.vram_total_bytes);
		igt_require(mem.vram_total_bytes % (4 * mem.chunk_size_bytes) == 0);
	}

	for (unsigned int k = 0; k < ARRAY_SIZE(kinds); k++) {
		igt_describe("After the CPU wrote all of VRAM and freed it, a new BO of this kind reads zero.");
		igt_subtest_f("reused-vram-%s", kinds[k].name) {
			uint32_t handles[4];

			vvram_assert_idle(fd);
			dirty_quarters(handles, VRAM, 10 * k + 1);
			for (unsigned int i = 0; i < 4; i++)
				vvram_gem_close(fd, handles[i]);
			assert_new_bo_zero(mem.vram_total_bytes / 4, kinds[k].domains, kinds[k].flags);
			assert_new_bo_zero(mem.vram_total_bytes / 2, kinds[k].domains, kinds[k].flags);
		}
	}

	igt_describe("Small BOs carved from a freed large BO's dirty blocks read zero.");
	igt_subtest("small-bos") {
		uint32_t big, handles[64];

		vvram_assert_idle(fd);
		big = vvram_gem_create(fd, mem.vram_total_bytes, VRAM, CONTIGUOUS);
		vvram_bo_fill(fd, big, mem.vram_total_bytes, 99);
		vvram_gem_close(fd, big);
		for (unsigned int i = 0; i < ARRAY_SIZE(handles); i++) {
			uint64_t size = (1 + i % 7) * SZ_4K;

			/* Kept: the next one must come from other dirty memory. */
			handles[i] = vvram_gem_create(fd, size, VRAM, 0);
			vvram_bo_assert_zero(fd, handles[i], size);
		}
		for (unsigned int i = 0; i < ARRAY_SIZE(handles); i++)
			vvram_gem_close(fd, handles[i]);
	}

	igt_describe("Data that reached VRAM by migration, or that was evicted from it, is never shown to a new BO.");
	igt_subtest("migrated-and-evicted") {
		uint32_t handles[4];

		vvram_assert_idle(fd);
		/* Written in GTT, then moved into VRAM by the kernel's copy. */
		dirty_quarters(handles, VRAM | GTT, 200);
		for (unsigned int i = 0; i < 4; i++)
			vvram_gem_migrate(fd, handles[i], GTT);
		for (unsigned int i = 0; i < 4; i++)
			vvram_gem_migrate(fd, handles[i], VRAM);
		for (unsigned int i = 0; i < 4; i++)
			vvram_gem_close(fd, handles[i]);
		assert_new_bo_zero(mem.vram_total_bytes, VRAM, 0);
		/* Evicted BOs leave their old VRAM behind: the newcomer sees none of it. */
		dirty_quarters(handles, VRAM, 300);
		assert_new_bo_zero(mem.vram_total_bytes / 2, VRAM, CONTIGUOUS);
		for (unsigned int i = 0; i < 4; i++)
			vvram_gem_close(fd, handles[i]);
	}

	igt_fixture {
		close(fd);
		vvram_igt_restore();
		fd = vvram_igt_open();
	}
}

igt_main
{
	static const vvram_topic_fn topics[] = {
		new_bo_tests, reuse_tests, all_visible_tests,
	};

	vvram_igt_run(&fd, &mem, topics, ARRAY_SIZE(topics));
}
