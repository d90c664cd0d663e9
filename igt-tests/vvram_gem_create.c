// SPDX-License-Identifier: MIT
/*
 * vvram_gem_create: DRM_IOCTL_VVRAM_GEM_CREATE, its domains and flags, and
 * the exact errno of every kind of bad input.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vvram_igt.h"

static int create_errno(int fd, struct drm_vvram_gem_create *create)
{
	int err = __vvram_gem_create(fd, create);

	if (!err)
		vvram_gem_close(fd, create->handle);
	return err;
}

/* A valid request for @size bytes of VRAM, to break one field of. */
static struct drm_vvram_gem_create vram_request(uint64_t size)
{
	return (struct drm_vvram_gem_create){
		.size = size,
		.domains = VVRAM_GEM_DOMAIN_VRAM,
	};
}

/* The domain a BO lands in: the first of @domains, in VRAM, GTT, CPU order. */
static uint32_t first_domain(uint32_t domains)
{
	return domains & -domains;
}

static void create_in_domains(int fd, uint32_t domains)
{
	struct drm_vvram_gem_info info;
	uint32_t handle;

	handle = vvram_gem_create(fd, SZ_64K, domains, 0);
	vvram_gem_info(fd, handle, &info);
	igt_assert_eq_u64(info.size, SZ_64K);
	igt_assert_eq_u32(info.allowed_domains, domains);
	igt_assert_eq_u32(info.domain, first_domain(domains));
	igt_assert_eq_u32(info.create_flags, 0);
	igt_assert(!(info.flags & VVRAM_GEM_INFO_PINNED));
	if (info.domain == VVRAM_GEM_DOMAIN_VRAM)
		igt_assert_lt(0, info.num_blocks);
	else
		igt_assert_eq(info.num_blocks, 0);
	vvram_gem_close(fd, handle);
}

static void create_with_flags(int fd, uint32_t flags)
{
	struct drm_vvram_gem_info info;
	uint32_t handle;

	handle = vvram_gem_create(fd, SZ_1M + SZ_4K, VVRAM_GEM_DOMAIN_VRAM, flags);
	vvram_gem_info(fd, handle, &info);
	igt_assert_eq_u32(info.create_flags, flags);
	igt_assert_eq_u32(info.domain, VVRAM_GEM_DOMAIN_VRAM);
	if (flags & VVRAM_GEM_CREATE_CONTIGUOUS) {
		struct drm_vvram_gem_block *blocks;
		uint32_t count;

		igt_assert(info.flags & VVRAM_GEM_INFO_CONTIGUOUS);
		blocks = vvram_gem_blocks(fd, handle, &count);
		igt_assert(vvram_blocks_contiguous(blocks, count));
		free(blocks);
	}
	if (flags & VVRAM_GEM_CREATE_CPU_ACCESS_REQUIRED)
		igt_assert(info.flags & VVRAM_GEM_INFO_CPU_VISIBLE);
	vvram_gem_close(fd, handle);
}

igt_main
{
	static struct drm_vvram_query_mem_regions regions;
	static int fd = -1;

	igt_fixture {
		fd = vvram_open();
		vvram_query_mem_regions(fd, &regions);
	}

	igt_describe("A VRAM BO can be created, reports its size and domain, and closes.");
	igt_subtest("create-basic") {
		struct drm_vvram_gem_info info;
		uint32_t handle;

		handle = vvram_gem_create(fd, SZ_4K, VVRAM_GEM_DOMAIN_VRAM, 0);
		vvram_gem_info(fd, handle, &info);
		igt_assert_eq_u64(info.size, SZ_4K);
		igt_assert_eq_u32(info.domain, VVRAM_GEM_DOMAIN_VRAM);
		igt_assert_eq_u32(info.allowed_domains, VVRAM_GEM_DOMAIN_VRAM);
		vvram_gem_close(fd, handle);

		memset(&info, 0, sizeof(info));
		info.handle = handle;
		igt_assert_eq(__vvram_gem_info(fd, &info), -ENOENT);
	}

	igt_describe("Two live BOs never share a handle.");
	igt_subtest("create-gives-distinct-handles") {
		uint32_t a = vvram_gem_create(fd, SZ_4K, VVRAM_GEM_DOMAIN_VRAM, 0);
		uint32_t b = vvram_gem_create(fd, SZ_4K, VVRAM_GEM_DOMAIN_VRAM, 0);

		igt_assert_neq(a, b);
		vvram_gem_close(fd, a);
		vvram_gem_close(fd, b);
	}

	igt_describe("Sizes round up to whole pages, as userspace maps pages.");
	igt_subtest("create-rounds-size-up-to-page") {
		const uint64_t sizes[] = { 1, SZ_4K - 1, SZ_4K + 1, SZ_1M + 7 };

		for (unsigned int i = 0; i < ARRAY_SIZE(sizes); i++) {
			struct drm_vvram_gem_info info;
			uint32_t handle;

			handle = vvram_gem_create(fd, sizes[i], VVRAM_GEM_DOMAIN_VRAM, 0);
			vvram_gem_info(fd, handle, &info);
			igt_assert_eq_u64(info.size, vvram_round_up(sizes[i], SZ_4K));
			vvram_gem_close(fd, handle);
		}
	}

	igt_describe("Every mask of domains is accepted, and an idle device places the BO in its first domain.");
	igt_subtest("create-in-every-domain-mask") {
		for (uint32_t domains = 1; domains <= VVRAM_ALL_DOMAINS; domains++)
			create_in_domains(fd, domains);
	}

	igt_describe("Every creation flag and every valid combination is accepted and honoured.");
	igt_subtest("create-with-every-flag") {
		const uint32_t flags[] = {
			0,
			VVRAM_GEM_CREATE_CONTIGUOUS,
			VVRAM_GEM_CREATE_CPU_ACCESS_REQUIRED,
			VVRAM_GEM_CREATE_NO_CPU_ACCESS,
			VVRAM_GEM_CREATE_CONTIGUOUS | VVRAM_GEM_CREATE_CPU_ACCESS_REQUIRED,
			VVRAM_GEM_CREATE_CONTIGUOUS | VVRAM_GEM_CREATE_NO_CPU_ACCESS,
		};

		for (unsigned int i = 0; i < ARRAY_SIZE(flags); i++)
			create_with_flags(fd, flags[i]);
	}

	igt_describe("BOs can be created through the render node too.");
	igt_subtest("create-on-render-node") {
		int render = vvram_open_render();
		uint32_t handle;

		handle = vvram_gem_create(render, SZ_64K, VVRAM_GEM_DOMAIN_VRAM, 0);
		vvram_bo_fill(render, handle, SZ_64K, 1);
		vvram_bo_assert_pattern(render, handle, SZ_64K, 1);
		vvram_gem_close(render, handle);
		close(render);
	}

	igt_describe("The render node refuses the ioctls that are not render-safe (flink, dumb buffers) with EACCES.");
	igt_subtest("render-node-refuses-unsafe-ioctls") {
		int render = vvram_open_render();
		struct drm_mode_create_dumb dumb = { .width = 64, .height = 64, .bpp = 32 };
		struct drm_gem_flink flink = {};
		uint32_t handle;

		handle = vvram_gem_create(render, SZ_4K, VVRAM_GEM_DOMAIN_VRAM, 0);
		flink.handle = handle;
		igt_assert_eq(drmIoctl(render, DRM_IOCTL_GEM_FLINK, &flink), -1);
		igt_assert_eq(errno, EACCES);
		igt_assert_eq(drmIoctl(render, DRM_IOCTL_MODE_CREATE_DUMB, &dumb), -1);
		igt_assert_eq(errno, EACCES);
		vvram_gem_close(render, handle);
		close(render);
	}

	igt_describe("A zero size is rejected with EINVAL.");
	igt_subtest("create-zero-size-is-einval") {
		struct drm_vvram_gem_create create = vram_request(0);

		igt_assert_eq(create_errno(fd, &create), -EINVAL);
	}

	igt_describe("A size that overflows when rounded up to a page is rejected with EOVERFLOW.");
	igt_subtest("create-overflowing-size-is-eoverflow") {
		const uint64_t sizes[] = { ~0ull, ~0ull - SZ_4K + 2 };

		for (unsigned int i = 0; i < ARRAY_SIZE(sizes); i++) {
			struct drm_vvram_gem_create create = vram_request(sizes[i]);

			create.domains = VVRAM_ALL_DOMAINS;
			igt_assert_eq(create_errno(fd, &create), -EOVERFLOW);
		}
	}

	igt_describe("A VRAM-only BO larger than VRAM can never fit and is rejected with E2BIG, not ENOSPC.");
	igt_subtest("create-larger-than-vram-is-e2big") {
		struct drm_vvram_gem_create create;

		create = vram_request(regions.vram_total + SZ_4K);
		igt_assert_eq(create_errno(fd, &create), -E2BIG);

		create = vram_request(1ull << 60);
		igt_assert_eq(create_errno(fd, &create), -E2BIG);

		create = vram_request(regions.vram_total + SZ_4K);
		create.flags = VVRAM_GEM_CREATE_CONTIGUOUS;
		igt_assert_eq(create_errno(fd, &create), -E2BIG);
	}

	igt_describe("A BO requiring CPU access that is larger than the visible window can never fit VRAM: E2BIG.");
	igt_subtest("create-larger-than-visible-window-is-e2big") {
		struct drm_vvram_gem_create create;

		igt_require_f(regions.vis_vram_total < regions.vram_total,
			      "the whole VRAM is visible\n");
		create = vram_request(regions.vis_vram_total + SZ_4K);
		create.flags = VVRAM_GEM_CREATE_CPU_ACCESS_REQUIRED;
		igt_assert_eq(create_errno(fd, &create), -E2BIG);

		/* Without the flag it fits, outside the window. */
		create.flags = 0;
		igt_assert_eq(create_errno(fd, &create), 0);
	}

	igt_describe("A domain mask that is empty or has unknown bits is rejected with EINVAL.");
	igt_subtest("create-bad-domains-is-einval") {
		const uint32_t domains[] = {
			0, 1u << 3, 1u << 31, VVRAM_GEM_DOMAIN_VRAM | (1u << 8),
		};

		for (unsigned int i = 0; i < ARRAY_SIZE(domains); i++) {
			struct drm_vvram_gem_create create = vram_request(SZ_4K);

			create.domains = domains[i];
			igt_assert_eq(create_errno(fd, &create), -EINVAL);
		}
	}

	igt_describe("Every flag bit not defined by the UAPI is rejected with EINVAL, so flags can be added later.");
	igt_subtest("create-unknown-flags-is-einval") {
		for (unsigned int bit = 3; bit < 32; bit++) {
			struct drm_vvram_gem_create create = vram_request(SZ_4K);

			create.flags = 1u << bit;
			igt_assert_eq(create_errno(fd, &create), -EINVAL);
		}
	}

	igt_describe("Asking for CPU access and for no CPU access at once is rejected with EINVAL.");
	igt_subtest("create-both-cpu-access-flags-is-einval") {
		struct drm_vvram_gem_create create = vram_request(SZ_4K);

		create.flags = VVRAM_GEM_CREATE_CPU_ACCESS_REQUIRED |
			       VVRAM_GEM_CREATE_NO_CPU_ACCESS;
		igt_assert_eq(create_errno(fd, &create), -EINVAL);
	}

	igt_describe("An alignment that is not a power of two is rejected with EINVAL.");
	igt_subtest("create-non-power-of-two-alignment-is-einval") {
		const uint64_t alignments[] = { 3, 3 * SZ_4K, SZ_64K + SZ_4K, ~0ull };

		for (unsigned int i = 0; i < ARRAY_SIZE(alignments); i++) {
			struct drm_vvram_gem_create create = vram_request(SZ_4K);

			create.alignment = alignments[i];
			igt_assert_eq(create_errno(fd, &create), -EINVAL);
		}
	}

	igt_describe("Power-of-two alignments up to VRAM size are accepted; a larger one can never fit: E2BIG.");
	igt_subtest("create-huge-alignment-is-e2big") {
		struct drm_vvram_gem_create create = vram_request(SZ_4K);
		uint64_t alignment;

		for (alignment = 1; alignment <= SZ_4M &&
		     alignment <= regions.vram_total; alignment <<= 1) {
			create.alignment = alignment;
			igt_assert_eq(create_errno(fd, &create), 0);
		}

		create.alignment = 1ull << 62;
		igt_assert_eq(create_errno(fd, &create), -E2BIG);
	}

	igt_describe("A nonzero pad is rejected with EINVAL, so the field can be used later.");
	igt_subtest("create-nonzero-pad-is-einval") {
		struct drm_vvram_gem_create create = vram_request(SZ_4K);

		create.pad = 1;
		igt_assert_eq(create_errno(fd, &create), -EINVAL);
	}

	igt_describe("Nonzero reserved fields are rejected with EINVAL, so they can be used later.");
	igt_subtest("create-nonzero-reserved-is-einval") {
		for (unsigned int i = 0; i < 2; i++) {
			struct drm_vvram_gem_create create = vram_request(SZ_4K);

			create.reserved[i] = 1;
			igt_assert_eq(create_errno(fd, &create), -EINVAL);
		}
	}

	igt_describe("A handle field set on input is ignored: the kernel returns a fresh handle.");
	igt_subtest("create-ignores-input-handle") {
		struct drm_vvram_gem_create create = vram_request(SZ_4K);
		uint32_t first = vvram_gem_create(fd, SZ_4K, VVRAM_GEM_DOMAIN_VRAM, 0);

		create.handle = first;
		igt_assert_eq(__vvram_gem_create(fd, &create), 0);
		igt_assert_neq(create.handle, first);
		vvram_gem_close(fd, create.handle);
		vvram_gem_close(fd, first);
	}

	igt_describe("GEM_INFO on a handle that names no BO fails with ENOENT; bad fields with EINVAL.");
	igt_subtest("info-bad-input") {
		struct drm_vvram_gem_info info = { .handle = 0xdeadbeef };
		uint32_t handle;

		igt_assert_eq(__vvram_gem_info(fd, &info), -ENOENT);

		handle = vvram_gem_create(fd, SZ_4K, VVRAM_GEM_DOMAIN_VRAM, 0);
		memset(&info, 0, sizeof(info));
		info.handle = handle;
		info.reserved[1] = 1;
		igt_assert_eq(__vvram_gem_info(fd, &info), -EINVAL);

		/* A block list pointer the kernel cannot write to. */
		memset(&info, 0, sizeof(info));
		info.handle = handle;
		info.num_blocks = 1;
		info.blocks_ptr = 8;
		igt_assert_eq(__vvram_gem_info(fd, &info), -EFAULT);
		vvram_gem_close(fd, handle);
	}

	igt_fixture
		close(fd);
}
