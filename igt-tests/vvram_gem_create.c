// SPDX-License-Identifier: MIT
/*
 * vvram_gem_create: DRM_IOCTL_VVRAM_GEM_CREATE and GEM_INFO, their domains
 * and flags, the exact errno of every kind of bad input, handles, and what
 * the render node allows.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vvram_igt.h"

#define CONTIGUOUS VVRAM_GEM_CREATE_CONTIGUOUS
#define CPU_ACCESS VVRAM_GEM_CREATE_CPU_ACCESS_REQUIRED
#define NO_CPU_ACCESS VVRAM_GEM_CREATE_NO_CPU_ACCESS

static int fd = -1;
static struct vvram_memory mem;

/* Every domain mask, named by the masks' bits. */
static const char *const mask_names[] = {
	NULL, "vram", "gtt", "vram-gtt", "cpu", "vram-cpu", "gtt-cpu", "all",
};

static const struct {
	const char *name;
	uint32_t domain;
} domains[] = {
	{ "vram", VRAM }, { "gtt", GTT }, { "cpu", CPU },
};

/* The creation flags and every valid combination of them. */
static const uint32_t flag_sets[] = {
	0, CONTIGUOUS, CPU_ACCESS, NO_CPU_ACCESS,
	CONTIGUOUS | CPU_ACCESS, CONTIGUOUS | NO_CPU_ACCESS,
};

static int create_errno(struct drm_vvram_gem_create *create)
{
	int err = __vvram_gem_create(fd, create);

	if (!err)
		vvram_gem_close(fd, create->handle);
	return err;
}

/* A BO of @size with @flags in @domains lands, on an idle device, in the first. */
static void check_create(uint64_t size, uint32_t domains, uint32_t flags)
{
	struct vvram_bo_info info;
	uint32_t handle = vvram_gem_create(fd, size, domains, flags);

	vvram_gem_blocks(fd, handle, &info);
	igt_assert_eq_u64(info.size_bytes, size);
	igt_assert_eq_u32(info.allowed_domains, domains);
	igt_assert_eq_u32(info.create_flags, flags);
	igt_assert_eq_u32(info.domain, domains & -domains);
	igt_assert(!(info.flags & VVRAM_GEM_INFO_PINNED));
	if (info.domain != VRAM) {
		igt_assert_eq(info.block_count, 0);
		igt_assert_eq_u64(info.address, 0);
	} else {
		igt_assert_lt(0, info.block_count);
		igt_assert_eq_u64(info.address, info.blocks[0].address);
	}
	if (info.domain == VRAM && (flags & CONTIGUOUS)) {
		igt_assert(info.flags & VVRAM_GEM_INFO_CONTIGUOUS);
		igt_assert(vvram_blocks_contiguous(&info));
		if (size == SZ_64K)
			igt_assert_eq(info.block_count, 1);
	}
	if (info.domain == VRAM && (flags & CPU_ACCESS))
		igt_assert(info.flags & VVRAM_GEM_INFO_CPU_VISIBLE);
	vvram_bo_info_fini(&info);
	vvram_gem_close(fd, handle);
}

static void create_tests(void)
{
	igt_describe("A VRAM BO can be created, reports its size and domain, and closes.");
	igt_subtest("create-basic") {
		struct drm_vvram_gem_info info = {};
		uint32_t handle = vvram_gem_create(fd, SZ_4K, VRAM, 0);

		check_create(SZ_4K, VRAM, 0);
		vvram_gem_close(fd, handle);
		info.handle = handle;
		igt_assert_eq(__vvram_gem_info(fd, &info), -ENOENT);
	}

	igt_describe("Two live BOs never share a handle.");
	igt_subtest("distinct-handles") {
		uint32_t a = vvram_gem_create(fd, SZ_4K, VRAM, 0);
		uint32_t b = vvram_gem_create(fd, SZ_4K, VRAM, 0);

		igt_assert_neq(a, b);
		vvram_gem_close(fd, a);
		vvram_gem_close(fd, b);
	}

	igt_describe("A handle field set on input is ignored: the kernel returns a fresh handle.");
	igt_subtest("ignores-input-handle") {
		struct drm_vvram_gem_create create = { .size = SZ_4K, .domains = VRAM };
		uint32_t first = vvram_gem_create(fd, SZ_4K, VRAM, 0);

		create.handle = first;
		igt_assert_eq(__vvram_gem_create(fd, &create), 0);
		igt_assert_neq(create.handle, first);
		vvram_gem_close(fd, create.handle);
		vvram_gem_close(fd, first);
	}

	for (uint32_t mask = 1; mask <= VVRAM_ALL_DOMAINS; mask++) {
		igt_describe("With every flag set, a BO in this domain mask lands in its first domain and honours the flags.");
		igt_subtest_f("create-%s", mask_names[mask]) {
			for (unsigned int i = 0; i < ARRAY_SIZE(flag_sets); i++) {
				check_create(SZ_64K, mask, flag_sets[i]);
				check_create(SZ_1M + SZ_4K, mask, flag_sets[i]);
			}
		}
	}

	for (unsigned int d = 0; d < ARRAY_SIZE(domains); d++) {
		igt_describe("Sizes round up to whole pages, as userspace maps pages.");
		igt_subtest_f("rounds-up-%s", domains[d].name) {
			const uint64_t sizes[] = { 1, SZ_4K - 1, SZ_4K + 1, SZ_1M + 7 };

			for (unsigned int i = 0; i < ARRAY_SIZE(sizes); i++) {
				struct vvram_bo_info info;
				uint32_t handle;

				handle = vvram_gem_create(fd, sizes[i], domains[d].domain, 0);
				vvram_gem_info(fd, handle, &info);
				igt_assert_eq_u64(info.size_bytes, vvram_round_up(sizes[i], SZ_4K));
				vvram_gem_close(fd, handle);
			}
		}
	}

	igt_describe("Alignments of 0, below a page, and every power of two up to VRAM size are accepted.");
	igt_subtest("alignments-accepted") {
		struct drm_vvram_gem_create create = { .size = SZ_4K, .domains = VRAM };

		igt_assert_eq(create_errno(&create), 0);
		for (create.alignment = 1; create.alignment <= SZ_4M &&
		     create.alignment <= mem.vram_total_bytes; create.alignment <<= 1)
			igt_assert_eq(create_errno(&create), 0);
	}
}

/* Request @i of the einval family @family, a valid request but for one field. */
static const char *const einval_names[] = {
	"zero-size", "no-domain", "unknown-domain", "unknown-flag",
	"both-cpu-access", "bad-alignment", "nonzero-pad", "nonzero-reserved",
};

static bool einval_request(unsigned int family, unsigned int i,
			   struct drm_vvram_gem_create *c)
{
	static const uint64_t alignments[] = {
		3, 3 * SZ_4K, SZ_4K + 1, SZ_64K + SZ_4K, ~0ull,
	};

	*c = (struct drm_vvram_gem_create){ .size = SZ_4K, .domains = VRAM };
	switch (family) {
	case 0: c->size = 0; return i < 1;
	case 1: c->domains = 0; return i < 1;
	case 2:
		if (i > 29)
			return false;
		c->domains = i < 29 ? 1u << (i + 3) : VRAM | 1u << 8;
		return true;
	case 3:
		if (i >= 29)
			return false;
		c->flags = 1u << (i + 3);
		return true;
	case 4: c->flags = CPU_ACCESS | NO_CPU_ACCESS; return i < 1;
	case 5: c->alignment = alignments[i % 5]; return i < 5;
	case 6: c->pad = 1; return i < 1;
	default: c->reserved[i % 2] = i < 2 ? 1 : 1ull << 63; return i < 3;
	}
}

/* What can never fit: each asks for more than a domain, window or VRAM has. */
static const char *const e2big_names[] = {
	"larger-than-vram", "contiguous-larger-than-vram", "larger-than-gtt",
	"larger-than-both", "larger-than-window", "huge-alignment",
};

static bool e2big_request(unsigned int family, unsigned int i,
			  struct drm_vvram_gem_create *c)
{
	*c = (struct drm_vvram_gem_create){
		.size = mem.vram_total_bytes + SZ_4K, .domains = VRAM,
	};
	switch (family) {
	case 0: c->size = i ? 1ull << 60 : c->size; return i < 2;
	case 1: c->flags = CONTIGUOUS; return i < 1;
	case 2:
		c->size = mem.gtt_total_bytes + SZ_4K;
		c->domains = GTT;
		return i < 1;
	case 3: c->size = 1ull << 50; c->domains = VRAM | GTT; return i < 1;
	case 4:
		igt_require_f(mem.visible_total_bytes < mem.vram_total_bytes,
			      "the whole VRAM is visible\n");
		c->size = mem.visible_total_bytes + SZ_4K;
		c->flags = CPU_ACCESS;
		return i < 1;
	default: c->size = SZ_4K; c->alignment = 1ull << 62; return i < 1;
	}
}

static const struct {
	const char *name;
	unsigned long request;
} ioctls[] = {
	{ "create", DRM_IOCTL_VVRAM_GEM_CREATE },
	{ "info", DRM_IOCTL_VVRAM_GEM_INFO },
	{ "mmap-offset", DRM_IOCTL_VVRAM_GEM_MMAP_OFFSET },
	{ "migrate", DRM_IOCTL_VVRAM_GEM_MIGRATE },
	{ "pin", DRM_IOCTL_VVRAM_GEM_PIN },
	{ "query", DRM_IOCTL_VVRAM_QUERY },
};

static void bad_input_tests(void)
{
	struct drm_vvram_gem_create create;
	static uint32_t bo;

	igt_fixture
		bo = vvram_gem_create(fd, 3 * SZ_4K, VRAM, 0);

	for (unsigned int f = 0; f < ARRAY_SIZE(einval_names); f++) {
		igt_describe("A request with this field invalid is rejected with EINVAL, so it can be given a meaning later.");
		igt_subtest_f("einval-%s", einval_names[f]) {
			for (unsigned int i = 0; einval_request(f, i, &create); i++)
				igt_assert_eq(create_errno(&create), -EINVAL);
		}
	}

	for (unsigned int f = 0; f < ARRAY_SIZE(e2big_names); f++) {
		igt_describe("A request that can never fit fails at once with E2BIG, not ENOSPC, and evicts nothing.");
		igt_subtest_f("e2big-%s", e2big_names[f]) {
			uint32_t a = vvram_gem_create(fd, 2 * SZ_1M, VRAM, 0);
			uint32_t b = vvram_gem_create(fd, 2 * SZ_1M, VRAM, CPU_ACCESS);
			struct vvram_memory before, after;

			vvram_query(fd, &before);
			for (unsigned int i = 0; e2big_request(f, i, &create); i++)
				igt_assert_eq(create_errno(&create), -E2BIG);
			vvram_query(fd, &after);
			igt_assert_eq_u64(after.evictions, before.evictions);
			igt_assert_eq_u64(after.vram_used_bytes, before.vram_used_bytes);
			if (f == 4) {	/* without the flag it fits, outside the window */
				e2big_request(f, 0, &create);
				create.flags = 0;
				igt_assert_eq(create_errno(&create), 0);
			}
			vvram_gem_close(fd, a);
			vvram_gem_close(fd, b);
		}
	}

	igt_describe("A size that overflows when rounded up to a page is rejected with EOVERFLOW, in every domain mask.");
	igt_subtest("eoverflow") {
		for (uint32_t mask = 1; mask <= VVRAM_ALL_DOMAINS; mask++) {
			create = (struct drm_vvram_gem_create){ .size = ~0ull, .domains = mask };
			igt_assert_eq(create_errno(&create), -EOVERFLOW);
			create.size = ~0ull - SZ_4K + 2;
			igt_assert_eq(create_errno(&create), -EOVERFLOW);
		}
	}

	for (unsigned int i = 0; i < ARRAY_SIZE(ioctls); i++) {
		igt_describe("An argument pointer the kernel cannot read is EFAULT.");
		igt_subtest_f("efault-%s", ioctls[i].name)
			igt_assert_eq(vvram_ioctl(fd, ioctls[i].request,
						  (void *)VVRAM_BAD_PTR), -EFAULT);
	}

	igt_describe("GEM_INFO on a handle that names no BO fails with ENOENT.");
	igt_subtest("info-enoent") {
		struct drm_vvram_gem_info info = { .handle = 0 };

		igt_assert_eq(__vvram_gem_info(fd, &info), -ENOENT);
		info.handle = bo + 1000;
		igt_assert_eq(__vvram_gem_info(fd, &info), -ENOENT);
	}

	igt_describe("GEM_INFO with a nonzero reserved field fails with EINVAL.");
	igt_subtest("info-einval-reserved") {
		for (unsigned int i = 0; i < 2; i++) {
			struct drm_vvram_gem_info info = { .handle = bo };

			info.reserved[i] = 1;
			igt_assert_eq(__vvram_gem_info(fd, &info), -EINVAL);
		}
	}

	igt_describe("GEM_INFO with room for blocks at a pointer the kernel cannot write is EFAULT; without room the pointer is never used.");
	igt_subtest("info-efault-blocks") {
		struct drm_vvram_gem_info info = {
			.handle = bo, .num_blocks = 4, .blocks_ptr = VVRAM_BAD_PTR,
		};

		igt_assert_eq(__vvram_gem_info(fd, &info), -EFAULT);
		info.num_blocks = 0;
		igt_assert_eq(__vvram_gem_info(fd, &info), 0);
	}

	igt_describe("One file's handles mean nothing to another file; a closed handle is gone.");
	igt_subtest("handles-are-per-file") {
		int other = vvram_igt_open();
		uint32_t handle = vvram_gem_create(fd, SZ_4K, VRAM, 0);
		struct vvram_bo_info info;

		igt_assert_eq(vvram_bo_info(other, handle, &info), -ENOENT);
		igt_assert_eq(vvram_bo_migrate(other, handle, CPU), -ENOENT);
		igt_assert_eq(vvram_bo_pin(other, handle, VRAM), -ENOENT);
		igt_assert_eq(vvram_bo_close(other, handle), -EINVAL);
		vvram_gem_close(fd, handle);
		igt_assert_eq(vvram_bo_close(fd, handle), -EINVAL);
		close(other);
	}

	igt_describe("Dumb buffers with no bpp, no width or an overflowing size are EINVAL; mapping an unknown one is ENOENT.");
	igt_subtest("dumb-bad-input") {
		struct drm_mode_create_dumb dumb = { .width = 64, .height = 64 };
		struct drm_mode_map_dumb map = { .handle = 999 };

		igt_assert_eq(vvram_ioctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &dumb), -EINVAL);
		dumb.bpp = 32;
		dumb.width = 0;
		igt_assert_eq(vvram_ioctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &dumb), -EINVAL);
		dumb.width = dumb.height = 1u << 31;
		igt_assert_eq(vvram_ioctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &dumb), -EINVAL);
		igt_assert_eq(vvram_ioctl(fd, DRM_IOCTL_MODE_MAP_DUMB, &map), -ENOENT);
	}

	igt_fixture
		vvram_gem_close(fd, bo);
}

static void render_node_tests(void)
{
	static int render = -1;

	igt_fixture
		render = vvram_igt_open_render();

	igt_describe("The render node allows every vvram ioctl.");
	igt_subtest("render-allows-vvram-ioctls") {
		uint32_t handle = vvram_gem_create(render, SZ_64K, VRAM, 0);
		struct vvram_memory rmem;

		vvram_query(render, &rmem);
		igt_assert_eq_u64(rmem.vram_total_bytes, mem.vram_total_bytes);
		vvram_bo_fill(render, handle, SZ_64K, 1);
		vvram_gem_pin(render, handle, VRAM);
		vvram_gem_unpin(render, handle);
		vvram_gem_migrate(render, handle, CPU);
		vvram_bo_assert_pattern(render, handle, SZ_64K, 1);
		vvram_gem_close(render, handle);
	}

	igt_describe("The render node refuses what is not render-safe (flink, open by name, dumb buffers) with EACCES.");
	igt_subtest("render-refuses-unsafe") {
		struct drm_mode_create_dumb dumb = { .width = 64, .height = 64, .bpp = 32 };
		uint32_t handle = vvram_gem_create(render, SZ_4K, VRAM, 0), name, other;

		igt_assert_eq(vvram_bo_flink(render, handle, &name), -EACCES);
		igt_assert_eq(vvram_bo_open_name(render, 1, &other, NULL), -EACCES);
		igt_assert_eq(vvram_ioctl(render, DRM_IOCTL_MODE_CREATE_DUMB, &dumb), -EACCES);
		vvram_gem_close(render, handle);
	}

	igt_fixture
		close(render);
}

igt_main
{
	static const vvram_topic_fn topics[] = {
		create_tests, bad_input_tests, render_node_tests,
	};

	vvram_igt_run(&fd, &mem, topics, ARRAY_SIZE(topics));
}
