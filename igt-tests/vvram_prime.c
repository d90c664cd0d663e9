// SPDX-License-Identifier: MIT
/*
 * vvram_prime: sharing BOs through dma-bufs (PRIME) and flink names:
 * export, import, self-import, and buffers of another driver (vgem).
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "vvram_igt.h"

static int fd = -1;

static int prime_export(int client, uint32_t handle)
{
	int dmabuf;

	igt_assert_eq(drmPrimeHandleToFD(client, handle, DRM_CLOEXEC | DRM_RDWR,
					 &dmabuf), 0);
	igt_assert_lte(0, dmabuf);
	return dmabuf;
}

static uint32_t prime_import(int client, int dmabuf)
{
	uint32_t handle;

	igt_assert_eq(drmPrimeFDToHandle(client, dmabuf, &handle), 0);
	igt_assert_neq(handle, 0);
	return handle;
}

/* The vgem device, loading its module if needed; skips without it. */
static int open_vgem(void)
{
	int vgem = vvram_open_driver_by_name("vgem");

	if (vgem < 0) {
		igt_require_f(system("modprobe -q vgem") == 0,
			      "cannot load the vgem module\n");
		vgem = vvram_open_driver_by_name("vgem");
	}
	igt_require_f(vgem >= 0, "no vgem device\n");
	return vgem;
}

struct dumb {
	uint32_t handle;
	uint64_t size;
	void *ptr;
};

static struct dumb dumb_create_mapped(int client, uint32_t width, uint32_t height)
{
	struct drm_mode_create_dumb create = {
		.width = width, .height = height, .bpp = 32,
	};
	struct drm_mode_map_dumb map = {};
	struct dumb dumb;

	igt_assert_eq(drmIoctl(client, DRM_IOCTL_MODE_CREATE_DUMB, &create), 0);
	map.handle = create.handle;
	igt_assert_eq(drmIoctl(client, DRM_IOCTL_MODE_MAP_DUMB, &map), 0);
	dumb.handle = create.handle;
	dumb.size = create.size;
	dumb.ptr = mmap(NULL, create.size, PROT_READ | PROT_WRITE, MAP_SHARED,
			client, map.offset);
	igt_assert(dumb.ptr != MAP_FAILED);
	return dumb;
}

static void gem_close(int client, uint32_t handle)
{
	struct drm_gem_close arg = { .handle = handle };

	igt_assert_eq(drmIoctl(client, DRM_IOCTL_GEM_CLOSE, &arg), 0);
}

igt_main
{
	igt_fixture
		fd = vvram_open();

	igt_describe("Importing a dma-buf into the file that exported it returns the same handle.");
	igt_subtest("prime-self-import-returns-same-handle") {
		uint32_t handle = vvram_gem_create(fd, SZ_64K, VVRAM_GEM_DOMAIN_VRAM, 0);
		int dmabuf = prime_export(fd, handle);

		igt_assert_eq_u32(prime_import(fd, dmabuf), handle);
		/* Exporting again gives a dma-buf of the same BO. */
		close(dmabuf);
		dmabuf = prime_export(fd, handle);
		igt_assert_eq_u32(prime_import(fd, dmabuf), handle);
		close(dmabuf);
		vvram_gem_close(fd, handle);
	}

	igt_describe("Another client importing the dma-buf shares the BO: writes on one side read on the other.");
	igt_subtest("prime-import-on-another-client-shares-data") {
		uint32_t handle = vvram_gem_create(fd, SZ_1M, VVRAM_ALL_DOMAINS, 0);
		int other = vvram_open_render();
		int dmabuf = prime_export(fd, handle);
		uint32_t imported = prime_import(other, dmabuf);
		struct drm_vvram_gem_info info;

		vvram_gem_info(other, imported, &info);
		igt_assert_eq_u64(info.size, SZ_1M);
		vvram_bo_fill(fd, handle, SZ_1M, 0xc00);
		vvram_bo_assert_pattern(other, imported, SZ_1M, 0xc00);
		vvram_bo_fill(other, imported, SZ_1M, 0xc01);
		vvram_bo_assert_pattern(fd, handle, SZ_1M, 0xc01);

		/* Importing again in the same client gives the same handle. */
		igt_assert_eq_u32(prime_import(other, dmabuf), imported);
		close(dmabuf);
		vvram_gem_close(other, imported);
		close(other);
		vvram_gem_close(fd, handle);
	}

	igt_describe("A dma-buf keeps its BO and data alive after the exporter closed the handle and the file.");
	igt_subtest("prime-dma-buf-outlives-exporter") {
		int exporter = vvram_open();
		uint32_t handle = vvram_gem_create(exporter, SZ_64K, VVRAM_GEM_DOMAIN_VRAM, 0);
		int dmabuf;

		vvram_bo_fill(exporter, handle, SZ_64K, 0xc10);
		dmabuf = prime_export(exporter, handle);
		vvram_gem_close(exporter, handle);
		close(exporter);

		handle = prime_import(fd, dmabuf);
		close(dmabuf);
		vvram_bo_assert_pattern(fd, handle, SZ_64K, 0xc10);
		vvram_gem_close(fd, handle);
	}

	igt_describe("mmap() of the dma-buf itself shows the BO's data.");
	igt_subtest("prime-dma-buf-mmap-shows-bo-data") {
		uint32_t handle = vvram_gem_create(fd, SZ_64K, VVRAM_ALL_DOMAINS, 0);
		int dmabuf;
		void *ptr;

		vvram_bo_fill(fd, handle, SZ_64K, 0xc20);
		dmabuf = prime_export(fd, handle);
		ptr = mmap(NULL, SZ_64K, PROT_READ, MAP_SHARED, dmabuf, 0);
		igt_assert(ptr != MAP_FAILED);
		vvram_pattern_assert(ptr, SZ_64K, 0xc20);
		munmap(ptr, SZ_64K);
		close(dmabuf);
		vvram_gem_close(fd, handle);
	}

	igt_describe("A vgem buffer imported into vvram shows vgem's data and takes vvram's writes.");
	igt_subtest("prime-import-vgem-buffer") {
		int vgem = open_vgem();
		struct dumb dumb = dumb_create_mapped(vgem, 256, 256);
		struct drm_vvram_gem_info info;
		uint32_t handle;
		int dmabuf;

		vvram_pattern_fill(dumb.ptr, dumb.size, 0xc30);
		dmabuf = prime_export(vgem, dumb.handle);
		handle = prime_import(fd, dmabuf);
		igt_assert_eq_u32(prime_import(fd, dmabuf), handle);

		vvram_gem_info(fd, handle, &info);
		igt_assert_eq_u64(info.size, dumb.size);
		igt_assert_eq_u32(info.domain, VVRAM_GEM_DOMAIN_GTT);
		vvram_bo_assert_pattern(fd, handle, dumb.size, 0xc30);
		vvram_bo_fill(fd, handle, dumb.size, 0xc31);
		vvram_pattern_assert(dumb.ptr, dumb.size, 0xc31);

		vvram_gem_close(fd, handle);
		close(dmabuf);
		munmap(dumb.ptr, dumb.size);
		gem_close(vgem, dumb.handle);
		close(vgem);
	}

	igt_describe("A vvram BO imported by vgem is pinned while attached and shares its data.");
	igt_subtest("prime-export-to-vgem-pins-bo") {
		uint32_t handle = vvram_gem_create(fd, SZ_64K, VVRAM_ALL_DOMAINS, 0);
		struct drm_vvram_gem_info info;
		uint32_t imported;
		int vgem, dmabuf;

		vgem = open_vgem();
		vvram_bo_fill(fd, handle, SZ_64K, 0xc40);
		dmabuf = prime_export(fd, handle);
		imported = prime_import(vgem, dmabuf);

		vvram_gem_info(fd, handle, &info);
		igt_assert(info.flags & VVRAM_GEM_INFO_PINNED);
		igt_assert_eq(__vvram_gem_migrate(fd, handle, VVRAM_GEM_DOMAIN_CPU), -EBUSY);

		gem_close(vgem, imported);
		close(dmabuf);
		close(vgem);
		vvram_gem_info(fd, handle, &info);
		igt_assert(!(info.flags & VVRAM_GEM_INFO_PINNED));
		vvram_bo_assert_pattern(fd, handle, SZ_64K, 0xc40);
		vvram_gem_close(fd, handle);
	}

	igt_describe("A flink name opened by another client names the same BO.");
	igt_subtest("flink-and-open-share-the-bo") {
		uint32_t handle = vvram_gem_create(fd, SZ_64K, VVRAM_GEM_DOMAIN_VRAM, 0);
		struct drm_gem_flink flink = { .handle = handle };
		struct drm_gem_open open_arg = {};
		int other = vvram_open();

		igt_assert_eq(drmIoctl(fd, DRM_IOCTL_GEM_FLINK, &flink), 0);
		igt_assert_neq(flink.name, 0);
		open_arg.name = flink.name;
		igt_assert_eq(drmIoctl(other, DRM_IOCTL_GEM_OPEN, &open_arg), 0);
		igt_assert_eq_u64(open_arg.size, SZ_64K);

		vvram_bo_fill(fd, handle, SZ_64K, 0xc50);
		vvram_bo_assert_pattern(other, open_arg.handle, SZ_64K, 0xc50);
		vvram_gem_close(other, open_arg.handle);
		close(other);
		vvram_gem_close(fd, handle);
	}

	igt_describe("PRIME rejects a bad handle (ENOENT) and a file that is not a dma-buf.");
	igt_subtest("prime-bad-input") {
		uint32_t handle;
		int dmabuf, not_dmabuf;

		igt_assert_eq(drmPrimeHandleToFD(fd, 0xdeadbeef, DRM_CLOEXEC, &dmabuf), -1);
		igt_assert_eq(errno, ENOENT);

		not_dmabuf = open("/dev/null", O_RDONLY | O_CLOEXEC);
		igt_assert_lte(0, not_dmabuf);
		igt_assert_eq(drmPrimeFDToHandle(fd, not_dmabuf, &handle), -1);
		igt_assert_eq(errno, EINVAL);
		close(not_dmabuf);
	}

	igt_fixture
		close(fd);
}
