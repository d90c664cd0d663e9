// SPDX-License-Identifier: MIT
/*
 * vvram_gem_mmap: CPU mappings of BOs through DRM_IOCTL_VVRAM_GEM_MMAP_OFFSET
 * and mmap() on the DRM file.
 */
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "vvram_igt.h"

static int fd = -1;

static const struct {
	const char *name;
	uint32_t domain;
} domains[] = {
	{ "vram", VRAM }, { "gtt", GTT }, { "cpu", CPU },
};

static uint64_t mmap_offset(uint32_t handle)
{
	uint64_t offset = 0;

	igt_assert_eq(vvram_bo_mmap_offset(fd, handle, &offset), 0);
	return offset;
}

/* mmap() of @length bytes at @offset on @file: 0 or its errno. */
static int mmap_errno(int file, uint64_t length, uint64_t offset)
{
	void *ptr = mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_SHARED,
			 file, offset);

	if (ptr != MAP_FAILED) {
		munmap(ptr, length);
		return 0;
	}
	return errno;
}

static void mapping_tests(void)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(domains); i++) {
		igt_describe("A BO has a page-aligned mmap offset; data written through a mapping reads back through a new one, and mapping does not move the BO.");
		igt_subtest_f("write-read-back-%s", domains[i].name) {
			uint32_t handle = vvram_gem_create(fd, SZ_1M, domains[i].domain, 0);
			uint64_t offset = mmap_offset(handle);

			igt_assert_neq_u64(offset, 0);
			igt_assert_eq_u64(offset % SZ_4K, 0);
			vvram_bo_fill(fd, handle, SZ_1M, 0x1000 + i);
			vvram_bo_assert_pattern(fd, handle, SZ_1M, 0x1000 + i);
			igt_assert_eq_u32(vvram_gem_domain(fd, handle), domains[i].domain);
			vvram_gem_close(fd, handle);
		}
	}

	igt_describe("Two mappings of one BO see each other's writes at once.");
	igt_subtest("coherent-mappings") {
		uint32_t handle = vvram_gem_create(fd, SZ_64K, VRAM, 0);
		void *a = vvram_gem_mmap(fd, handle, SZ_64K);
		void *b = vvram_gem_mmap(fd, handle, SZ_64K);

		igt_assert(a != b);
		vvram_pattern_fill(a, SZ_64K, 7);
		vvram_pattern_assert(b, SZ_64K, 7);
		munmap(a, SZ_64K);
		munmap(b, SZ_64K);
		vvram_gem_close(fd, handle);
	}

	igt_describe("A mapping may cover only the first pages of a BO; it cannot start inside it (DRM maps whole objects from their offset).");
	igt_subtest("partial-range") {
		uint32_t handle = vvram_gem_create(fd, 4 * SZ_4K, VRAM, 0);
		uint64_t offset = mmap_offset(handle);
		uint8_t *whole = vvram_gem_mmap(fd, handle, 4 * SZ_4K);
		uint8_t *part;

		vvram_pattern_fill(whole, 4 * SZ_4K, 9);
		part = mmap(NULL, 2 * SZ_4K, PROT_READ, MAP_SHARED, fd, offset);
		igt_assert(part != MAP_FAILED);
		igt_assert_eq(memcmp(part, whole, 2 * SZ_4K), 0);
		munmap(part, 2 * SZ_4K);
		igt_assert_eq(mmap_errno(fd, SZ_4K, offset + SZ_4K), EINVAL);
		munmap(whole, 4 * SZ_4K);
		vvram_gem_close(fd, handle);
	}

	igt_describe("Asking twice for a BO's mmap offset gives the same offset.");
	igt_subtest("offset-is-stable") {
		uint32_t handle = vvram_gem_create(fd, SZ_64K, VRAM, 0);

		igt_assert_eq_u64(mmap_offset(handle), mmap_offset(handle));
		vvram_gem_close(fd, handle);
	}

	igt_describe("An mmap offset only works on the DRM file that owns the handle.");
	igt_subtest("offset-per-file") {
		uint32_t handle = vvram_gem_create(fd, SZ_64K, VRAM, 0);
		int other = vvram_igt_open();

		igt_assert_eq(mmap_errno(other, SZ_64K, mmap_offset(handle)), EACCES);
		close(other);
		vvram_gem_close(fd, handle);
	}
}

static void lifetime_tests(void)
{
	igt_describe("Once its handle is closed, a BO's offset can no longer be mapped.");
	igt_subtest("after-close") {
		uint32_t handle = vvram_gem_create(fd, SZ_64K, VRAM, 0);
		uint64_t offset = mmap_offset(handle);

		vvram_gem_close(fd, handle);
		igt_assert_eq(mmap_errno(fd, SZ_64K, offset), EINVAL);
	}

	igt_describe("A mapping keeps its BO and data alive after the handle is closed; unmapping frees it.");
	igt_subtest("outlives-handle") {
		uint64_t used_before = vvram_memory(fd).vram_used_bytes;
		uint32_t handle = vvram_gem_create(fd, SZ_1M, VRAM, 0);
		void *ptr = vvram_gem_mmap(fd, handle, SZ_1M);

		vvram_pattern_fill(ptr, SZ_1M, 11);
		vvram_gem_close(fd, handle);
		vvram_pattern_assert(ptr, SZ_1M, 11);
		vvram_pattern_fill(ptr, SZ_1M, 12);
		vvram_pattern_assert(ptr, SZ_1M, 12);
		igt_assert_lte_u64(used_before + SZ_1M, vvram_memory(fd).vram_used_bytes);
		munmap(ptr, SZ_1M);
		igt_assert_eq_u64(vvram_memory(fd).vram_used_bytes, used_before);
	}
}

static void bad_input_tests(void)
{
	igt_describe("A mapping that reaches past the end of the BO, or at offset 0 where no BO lives, is refused.");
	igt_subtest("beyond-end") {
		uint32_t handle = vvram_gem_create(fd, 2 * SZ_4K, VRAM, 0);
		uint64_t offset = mmap_offset(handle);

		igt_assert_eq(mmap_errno(fd, 3 * SZ_4K, offset), EINVAL);
		igt_assert_eq(mmap_errno(fd, 2 * SZ_4K, offset + SZ_4K), EINVAL);
		igt_assert_eq(mmap_errno(fd, SZ_4K, offset + 2 * SZ_4K), EINVAL);
		igt_assert_neq(mmap_errno(fd, SZ_4K, 0), 0);
		igt_assert_eq(mmap_errno(fd, 2 * SZ_4K, offset), 0);
		vvram_gem_close(fd, handle);
	}

	igt_describe("MMAP_OFFSET of handle 0, an unused or a closed handle is ENOENT.");
	igt_subtest("offset-enoent") {
		uint32_t handle = vvram_gem_create(fd, SZ_4K, VRAM, 0);
		uint64_t offset;

		igt_assert_eq(vvram_bo_mmap_offset(fd, 0, &offset), -ENOENT);
		igt_assert_eq(vvram_bo_mmap_offset(fd, handle + 1000, &offset), -ENOENT);
		vvram_gem_close(fd, handle);
		igt_assert_eq(vvram_bo_mmap_offset(fd, handle, &offset), -ENOENT);
	}

	igt_describe("MMAP_OFFSET with nonzero flags or reserved field is EINVAL.");
	igt_subtest("offset-einval") {
		uint32_t handle = vvram_gem_create(fd, SZ_4K, VRAM, 0);
		struct drm_vvram_gem_mmap_offset arg = { .handle = handle, .flags = 1 };

		igt_assert_eq(vvram_ioctl(fd, DRM_IOCTL_VVRAM_GEM_MMAP_OFFSET, &arg), -EINVAL);
		arg.flags = 0;
		arg.reserved = 1;
		igt_assert_eq(vvram_ioctl(fd, DRM_IOCTL_VVRAM_GEM_MMAP_OFFSET, &arg), -EINVAL);
		vvram_gem_close(fd, handle);
	}

	igt_describe("A BO created without CPU access cannot be mapped (EPERM), also after a move out of VRAM.");
	igt_subtest("no-cpu-access-eperm") {
		uint32_t handle = vvram_gem_create(fd, SZ_64K, VRAM,
						   VVRAM_GEM_CREATE_NO_CPU_ACCESS);
		uint64_t offset;

		igt_assert_eq(vvram_bo_mmap_offset(fd, handle, &offset), -EPERM);
		vvram_gem_migrate(fd, handle, CPU);
		igt_assert_eq(vvram_bo_mmap_offset(fd, handle, &offset), -EPERM);
		vvram_gem_close(fd, handle);
	}

	igt_describe("Touching a mapping after its last page faults with SIGSEGV, never reaching other memory.");
	igt_subtest("past-end-segv") {
		uint32_t handle = vvram_gem_create(fd, SZ_4K, VRAM, 0);
		uint8_t *area;

		/* Reserve two pages so the page after the BO is known unmapped. */
		area = mmap(NULL, 2 * SZ_4K, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		igt_assert(area != MAP_FAILED);
		igt_assert(mmap(area, SZ_4K, PROT_READ | PROT_WRITE,
				MAP_SHARED | MAP_FIXED, fd, mmap_offset(handle)) == area);
		munmap(area + SZ_4K, SZ_4K);
		igt_assert_eq(vvram_access_signal(area + SZ_4K - 1, true), 0);
		igt_assert_eq(vvram_access_signal(area + SZ_4K, false), SIGSEGV);
		munmap(area, SZ_4K);
		vvram_gem_close(fd, handle);
	}
}

igt_main
{
	static const vvram_topic_fn topics[] = {
		mapping_tests, lifetime_tests, bad_input_tests,
	};

	vvram_igt_run(&fd, NULL, topics, ARRAY_SIZE(topics));
}
