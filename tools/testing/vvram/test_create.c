// SPDX-License-Identifier: MIT
/*
 * GEM_CREATE and GEM_MMAP_OFFSET: every domain and flag, and the error
 * cases <drm/vvram_drm.h> documents: EINVAL for bad arguments, ENOENT for
 * bad handles, E2BIG for what can never fit, EFAULT for bad pointers,
 * EOVERFLOW for sizes that overflow, EPERM for mapping a BO created
 * without CPU access. Runs on the render node, which must allow every
 * vvram ioctl. test_ioctls.c covers the other vvram ioctls.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "vvram_test.h"

#define ALL_DOMAINS (VVRAM_GEM_DOMAIN_VRAM | VVRAM_GEM_DOMAIN_GTT | \
		     VVRAM_GEM_DOMAIN_CPU)
#define ALL_CREATE_FLAGS (VVRAM_GEM_CREATE_CONTIGUOUS | \
			  VVRAM_GEM_CREATE_CPU_ACCESS_REQUIRED | \
			  VVRAM_GEM_CREATE_NO_CPU_ACCESS)

static int create_raw(int fd, struct drm_vvram_gem_create *args)
{
	return vvram_ioctl(fd, DRM_IOCTL_VVRAM_GEM_CREATE, args);
}

static struct drm_vvram_gem_create create_args(uint64_t size, uint32_t domains,
					       uint32_t flags)
{
	struct drm_vvram_gem_create args = {
		.size = size,
		.domains = domains,
		.flags = flags,
	};

	return args;
}

static void create_domains_and_flags(void)
{
	int fd = vt_open();
	uint32_t domains, flags;

	/* Every domain mask with every valid flag set. */
	for (domains = 1; domains <= ALL_DOMAINS; domains++) {
		for (flags = 0; flags <= ALL_CREATE_FLAGS; flags++) {
			struct drm_vvram_gem_create args =
				create_args(64 * KiB, domains, flags);
			struct vvram_bo_info info;

			if ((flags & VVRAM_GEM_CREATE_CPU_ACCESS_REQUIRED) &&
			    (flags & VVRAM_GEM_CREATE_NO_CPU_ACCESS))
				continue;
			VT_OK(create_raw(fd, &args));
			VT_ASSERT(args.handle != 0);
			vt_bo_info(fd, args.handle, &info);
			VT_ASSERT_EQ(info.size_bytes, 64 * KiB);
			VT_ASSERT_EQ(info.allowed_domains, domains);
			VT_ASSERT_EQ(info.create_flags, flags);
			/* Placed in the first allowed domain that has room. */
			VT_ASSERT_EQ(info.domain, domains & -domains);
			if (info.domain == VVRAM_GEM_DOMAIN_VRAM &&
			    (flags & VVRAM_GEM_CREATE_CONTIGUOUS)) {
				VT_ASSERT_EQ(info.block_count, 1);
				VT_ASSERT(info.flags & VVRAM_GEM_INFO_CONTIGUOUS);
			}
			if (info.domain == VVRAM_GEM_DOMAIN_VRAM &&
			    (flags & VVRAM_GEM_CREATE_CPU_ACCESS_REQUIRED))
				VT_ASSERT(info.flags & VVRAM_GEM_INFO_CPU_VISIBLE);
			vvram_bo_info_fini(&info);
			VT_OK(vvram_bo_close(fd, args.handle));
		}
	}
	vvram_close(fd);
}

static void create_rounds_size_up(void)
{
	struct vvram_bo_info info;
	int fd = vt_open();
	uint32_t handle;
	long page = sysconf(_SC_PAGESIZE);

	handle = vt_bo_create(fd, 1, VVRAM_GEM_DOMAIN_VRAM, 0);
	vt_bo_info(fd, handle, &info);
	VT_ASSERT_EQ(info.size_bytes, page);
	vvram_bo_info_fini(&info);
	handle = vt_bo_create(fd, page + 1, VVRAM_GEM_DOMAIN_GTT, 0);
	vt_bo_info(fd, handle, &info);
	VT_ASSERT_EQ(info.size_bytes, 2 * page);
	vvram_bo_info_fini(&info);
	vvram_close(fd);
}

static void create_bad_arguments(void)
{
	int fd = vt_open();
	struct drm_vvram_gem_create args;
	unsigned int bit;

	args = create_args(0, VVRAM_GEM_DOMAIN_VRAM, 0);
	VT_ERRNO(create_raw(fd, &args), EINVAL);
	args = create_args(4096, 0, 0);
	VT_ERRNO(create_raw(fd, &args), EINVAL);
	for (bit = 3; bit < 32; bit++) {
		args = create_args(4096, 1u << bit, 0);
		VT_ERRNO(create_raw(fd, &args), EINVAL);
		args = create_args(4096, VVRAM_GEM_DOMAIN_VRAM, 1u << bit);
		VT_ERRNO(create_raw(fd, &args), EINVAL);
	}
	args = create_args(4096, VVRAM_GEM_DOMAIN_VRAM,
			   VVRAM_GEM_CREATE_CPU_ACCESS_REQUIRED |
			   VVRAM_GEM_CREATE_NO_CPU_ACCESS);
	VT_ERRNO(create_raw(fd, &args), EINVAL);

	/* Alignment: 0 or a power of two. */
	args = create_args(4096, VVRAM_GEM_DOMAIN_VRAM, 0);
	args.alignment = 3 * 4096;
	VT_ERRNO(create_raw(fd, &args), EINVAL);
	args.alignment = 4097;
	VT_ERRNO(create_raw(fd, &args), EINVAL);
	args.alignment = 1;		/* below the page size: the page size */
	VT_OK(create_raw(fd, &args));
	args.alignment = 64 * KiB;
	VT_OK(create_raw(fd, &args));

	/* Pad and reserved fields must be zero. */
	args = create_args(4096, VVRAM_GEM_DOMAIN_VRAM, 0);
	args.pad = 1;
	VT_ERRNO(create_raw(fd, &args), EINVAL);
	args = create_args(4096, VVRAM_GEM_DOMAIN_VRAM, 0);
	args.reserved[0] = 1;
	VT_ERRNO(create_raw(fd, &args), EINVAL);
	args = create_args(4096, VVRAM_GEM_DOMAIN_VRAM, 0);
	args.reserved[1] = 1ull << 63;
	VT_ERRNO(create_raw(fd, &args), EINVAL);
	vvram_close(fd);
}

static void create_size_overflow(void)
{
	int fd = vt_open();
	struct drm_vvram_gem_create args;
	uint32_t domains;

	for (domains = 1; domains <= ALL_DOMAINS; domains++) {
		args = create_args(UINT64_MAX, domains, 0);
		VT_ERRNO(create_raw(fd, &args), EOVERFLOW);
		/* Page aligned only after a carry out of 64 bits. */
		args = create_args(UINT64_MAX - 4094, domains, 0);
		VT_ERRNO(create_raw(fd, &args), EOVERFLOW);
	}
	vvram_close(fd);
}

static void create_too_big(void)
{
	int fd = vt_open();
	struct drm_vvram_gem_create args;
	struct vvram_memory mem;

	vt_query(fd, &mem);
	/* Bigger than VRAM, VRAM only: can never fit. */
	args = create_args(mem.vram_total_bytes + 4096, VVRAM_GEM_DOMAIN_VRAM, 0);
	VT_ERRNO(create_raw(fd, &args), E2BIG);
	args = create_args(mem.vram_total_bytes + 4096, VVRAM_GEM_DOMAIN_VRAM,
			   VVRAM_GEM_CREATE_CONTIGUOUS);
	VT_ERRNO(create_raw(fd, &args), E2BIG);
	/* Bigger than GTT, GTT only. */
	args = create_args(mem.gtt_total_bytes + 4096, VVRAM_GEM_DOMAIN_GTT, 0);
	VT_ERRNO(create_raw(fd, &args), E2BIG);
	/* Far bigger than both device domains. */
	args = create_args(1ull << 50, VVRAM_GEM_DOMAIN_VRAM | VVRAM_GEM_DOMAIN_GTT, 0);
	VT_ERRNO(create_raw(fd, &args), E2BIG);
	/* An alignment bigger than VRAM can never be met in VRAM. */
	args = create_args(4096, VVRAM_GEM_DOMAIN_VRAM, 0);
	args.alignment = 1ull << 62;
	VT_ERRNO(create_raw(fd, &args), E2BIG);
	vvram_close(fd);
}

static void create_bad_pointer(void)
{
	int fd = vt_open();

	VT_ERRNO(vvram_ioctl(fd, DRM_IOCTL_VVRAM_GEM_CREATE, (void *)VT_BAD_PTR), EFAULT);
	VT_ERRNO(vvram_ioctl(fd, DRM_IOCTL_VVRAM_GEM_INFO, (void *)VT_BAD_PTR), EFAULT);
	VT_ERRNO(vvram_ioctl(fd, DRM_IOCTL_VVRAM_GEM_MMAP_OFFSET, (void *)VT_BAD_PTR), EFAULT);
	VT_ERRNO(vvram_ioctl(fd, DRM_IOCTL_VVRAM_GEM_MIGRATE, (void *)VT_BAD_PTR), EFAULT);
	VT_ERRNO(vvram_ioctl(fd, DRM_IOCTL_VVRAM_GEM_PIN, (void *)VT_BAD_PTR), EFAULT);
	VT_ERRNO(vvram_ioctl(fd, DRM_IOCTL_VVRAM_QUERY, (void *)VT_BAD_PTR), EFAULT);
	vvram_close(fd);
}

static void mmap_offset_and_access(void)
{
	struct drm_vvram_gem_mmap_offset args = { 0 };
	int fd = vt_open();
	uint32_t handle, domains;
	uint8_t *map;

	for (domains = VVRAM_GEM_DOMAIN_VRAM; domains <= VVRAM_GEM_DOMAIN_CPU;
	     domains <<= 1) {
		handle = vt_bo_create(fd, 256 * KiB, domains, 0);
		args.handle = handle;
		VT_OK(vvram_ioctl(fd, DRM_IOCTL_VVRAM_GEM_MMAP_OFFSET, &args));
		VT_ASSERT(args.offset != 0);
		VT_ASSERT_EQ(args.offset % 4096, 0);
		map = vt_bo_map(fd, handle, 256 * KiB);
		vvram_pattern_fill(map, 256 * KiB, domains);
		vt_check_pattern(map, 256 * KiB, domains, "BO written through its mapping");
		vt_bo_unmap(map, 256 * KiB);
		/* A second mapping sees what the first wrote. */
		map = vt_bo_map(fd, handle, 256 * KiB);
		vt_check_pattern(map, 256 * KiB, domains, "BO mapped again");
		vt_bo_unmap(map, 256 * KiB);
	}
	vvram_close(fd);
}

static void mmap_offset_bad_arguments(void)
{
	struct drm_vvram_gem_mmap_offset args = { 0 };
	int fd = vt_open();
	uint32_t handle = vt_bo_create(fd, 4096, VVRAM_GEM_DOMAIN_VRAM, 0);

	args.handle = 0;
	VT_ERRNO(vvram_ioctl(fd, DRM_IOCTL_VVRAM_GEM_MMAP_OFFSET, &args), ENOENT);
	args.handle = handle + 1000;
	VT_ERRNO(vvram_ioctl(fd, DRM_IOCTL_VVRAM_GEM_MMAP_OFFSET, &args), ENOENT);
	args.handle = handle;
	args.flags = 1;
	VT_ERRNO(vvram_ioctl(fd, DRM_IOCTL_VVRAM_GEM_MMAP_OFFSET, &args), EINVAL);
	args.flags = 0;
	args.reserved = 1;
	VT_ERRNO(vvram_ioctl(fd, DRM_IOCTL_VVRAM_GEM_MMAP_OFFSET, &args), EINVAL);
	args.reserved = 0;
	VT_OK(vvram_ioctl(fd, DRM_IOCTL_VVRAM_GEM_MMAP_OFFSET, &args));
	VT_OK(vvram_bo_close(fd, handle));
	/* A closed handle is a bad handle. */
	VT_ERRNO(vvram_ioctl(fd, DRM_IOCTL_VVRAM_GEM_MMAP_OFFSET, &args), ENOENT);
	vvram_close(fd);
}

static void mmap_no_cpu_access_refused(void)
{
	int fd = vt_open();
	uint32_t handle;
	uint64_t offset;

	handle = vt_bo_create(fd, 64 * KiB, VVRAM_GEM_DOMAIN_VRAM,
			      VVRAM_GEM_CREATE_NO_CPU_ACCESS);
	VT_ERRNO(vvram_bo_mmap_offset(fd, handle, &offset), EPERM);
	/* Still refused after a move out of VRAM: the flag is the BO's. */
	VT_OK(vvram_bo_migrate(fd, handle, VVRAM_GEM_DOMAIN_CPU));
	VT_ERRNO(vvram_bo_mmap_offset(fd, handle, &offset), EPERM);
	vvram_close(fd);
}

static void mmap_beyond_end_refused(void)
{
	int fd = vt_open();
	uint32_t handle = vt_bo_create(fd, 64 * KiB, VVRAM_GEM_DOMAIN_VRAM, 0);
	uint64_t offset;
	void *map;

	VT_OK(vvram_bo_mmap_offset(fd, handle, &offset));
	map = mmap(NULL, 128 * KiB, PROT_READ, MAP_SHARED, fd, (off_t)offset);
	VT_ASSERT(map == MAP_FAILED);
	map = mmap(NULL, 64 * KiB, PROT_READ, MAP_SHARED, fd,
		   (off_t)(offset + 4096));
	VT_ASSERT(map == MAP_FAILED);
	/* No BO lives at offset 0 of a DRM file. */
	map = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
	VT_ASSERT(map == MAP_FAILED);
	vvram_close(fd);
}

/* A mapping keeps its BO alive after the last handle is closed. */
static void mmap_outlives_handle(void)
{
	int fd = vt_open();
	uint32_t handle = vt_bo_create(fd, 64 * KiB, VVRAM_GEM_DOMAIN_VRAM, 0);
	uint8_t *map = vt_bo_map(fd, handle, 64 * KiB);

	vvram_pattern_fill(map, 64 * KiB, 5);
	VT_OK(vvram_bo_close(fd, handle));
	vt_check_pattern(map, 64 * KiB, 5, "BO whose handle was closed");
	vvram_pattern_fill(map, 64 * KiB, 6);
	vt_check_pattern(map, 64 * KiB, 6, "BO whose handle was closed");
	vt_bo_unmap(map, 64 * KiB);
	vvram_close(fd);
}

int main(void)
{
	vt_run("create-every-domain-and-flag", create_domains_and_flags, 120);
	vt_run("create-rounds-size-up", create_rounds_size_up, 60);
	vt_run("create-bad-arguments", create_bad_arguments, 60);
	vt_run("create-size-overflow", create_size_overflow, 60);
	vt_run("create-too-big", create_too_big, 60);
	vt_run("ioctl-bad-argument-pointer", create_bad_pointer, 60);
	vt_run("mmap-offset-and-access", mmap_offset_and_access, 60);
	vt_run("mmap-offset-bad-arguments", mmap_offset_bad_arguments, 60);
	vt_run("mmap-no-cpu-access-refused", mmap_no_cpu_access_refused, 60);
	vt_run("mmap-beyond-end-refused", mmap_beyond_end_refused, 60);
	vt_run("mmap-outlives-handle", mmap_outlives_handle, 60);
	return vt_exit();
}
