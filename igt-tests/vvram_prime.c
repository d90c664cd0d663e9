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
	int dmabuf = -1;

	igt_assert_eq(drmPrimeHandleToFD(client, handle, DRM_CLOEXEC | DRM_RDWR,
					 &dmabuf), 0);
	igt_assert_lte(0, dmabuf);
	return dmabuf;
}

static uint32_t prime_import(int client, int dmabuf)
{
	uint32_t handle = 0;

	igt_assert_eq(drmPrimeFDToHandle(client, dmabuf, &handle), 0);
	igt_assert_neq(handle, 0);
	return handle;
}

/* The vgem device, loading its module if needed; skips without it. */
static int open_vgem(void)
{
	int vgem = vvram_open_driver("vgem", VVRAM_OPEN_PRIMARY);

	if (vgem >= 0)
		return vgem;
	igt_require_f(system("modprobe -q vgem") == 0, "cannot load the vgem module\n");
	return vvram_igt_open_driver("vgem");
}

struct dumb {
	uint32_t handle;
	uint64_t size;
	void *ptr;
};

static struct dumb dumb_create_mapped(int client, uint32_t width, uint32_t height)
{
	struct drm_mode_create_dumb create = { .width = width, .height = height, .bpp = 32 };
	struct drm_mode_map_dumb map = {};

	igt_assert_eq(vvram_ioctl(client, DRM_IOCTL_MODE_CREATE_DUMB, &create), 0);
	map.handle = create.handle;
	igt_assert_eq(vvram_ioctl(client, DRM_IOCTL_MODE_MAP_DUMB, &map), 0);
	return (struct dumb){
		create.handle, create.size,
		mmap(NULL, create.size, PROT_READ | PROT_WRITE, MAP_SHARED, client, map.offset),
	};
}

static void vvram_exporter_tests(void)
{
	igt_describe("Importing a dma-buf into the file that exported it returns the same handle.");
	igt_subtest("self-import") {
		uint32_t handle = vvram_gem_create(fd, SZ_64K, VRAM, 0);
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
	igt_subtest("import-shares-data") {
		uint32_t handle = vvram_gem_create(fd, SZ_1M, VVRAM_ALL_DOMAINS, 0);
		int other = vvram_igt_open_render();
		int dmabuf = prime_export(fd, handle);
		uint32_t imported = prime_import(other, dmabuf);
		struct vvram_bo_info info;

		vvram_gem_info(other, imported, &info);
		igt_assert_eq_u64(info.size_bytes, SZ_1M);
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

	igt_describe("A BO outlives its exporter's handle and file, both in a dma-buf and in a client that imported it before.");
	igt_subtest("dma-buf-outlives-exporter") {
		int exporter = vvram_igt_open(), dmabuf;
		uint32_t handle = vvram_gem_create(exporter, SZ_64K, VRAM, 0), early;

		vvram_bo_fill(exporter, handle, SZ_64K, 0xc10);
		dmabuf = prime_export(exporter, handle);
		early = prime_import(fd, dmabuf);
		vvram_gem_close(exporter, handle);
		close(exporter);
		vvram_bo_assert_pattern(fd, early, SZ_64K, 0xc10);
		vvram_gem_close(fd, early);
		handle = prime_import(fd, dmabuf);
		close(dmabuf);
		vvram_bo_assert_pattern(fd, handle, SZ_64K, 0xc10);
		vvram_gem_close(fd, handle);
	}

	igt_describe("mmap() of the dma-buf itself shows the BO's data.");
	igt_subtest("dma-buf-mmap") {
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

	igt_describe("PRIME rejects a bad handle (ENOENT), a file that is not a dma-buf (EINVAL) and a bad descriptor (EBADF).");
	igt_subtest("bad-input") {
		int dmabuf, not_dmabuf = open("/dev/null", O_RDONLY | O_CLOEXEC);
		uint32_t handle;

		igt_assert_eq(drmPrimeHandleToFD(fd, 0xdeadbeef, DRM_CLOEXEC, &dmabuf), -1);
		igt_assert_eq(errno, ENOENT);
		igt_assert_lte(0, not_dmabuf);
		igt_assert_eq(drmPrimeFDToHandle(fd, not_dmabuf, &handle), -1);
		igt_assert_eq(errno, EINVAL);
		close(not_dmabuf);
		igt_assert_eq(drmPrimeFDToHandle(fd, -1, &handle), -1);
		igt_assert_eq(errno, EBADF);
	}
}

static void vgem_tests(void)
{
	static int vgem = -1;

	igt_fixture
		vgem = open_vgem();

	igt_describe("A vgem buffer imported into vvram shows vgem's data and takes vvram's writes.");
	igt_subtest("import-vgem-buffer") {
		struct dumb dumb = dumb_create_mapped(vgem, 256, 256);
		struct vvram_bo_info info;
		uint32_t handle;
		int dmabuf;

		igt_assert(dumb.ptr != MAP_FAILED);
		vvram_pattern_fill(dumb.ptr, dumb.size, 0xc30);
		dmabuf = prime_export(vgem, dumb.handle);
		handle = prime_import(fd, dmabuf);
		igt_assert_eq_u32(prime_import(fd, dmabuf), handle);
		vvram_gem_info(fd, handle, &info);
		igt_assert_eq_u64(info.size_bytes, dumb.size);
		igt_assert_eq_u32(info.domain, GTT);
		vvram_bo_assert_pattern(fd, handle, dumb.size, 0xc30);
		vvram_bo_fill(fd, handle, dumb.size, 0xc31);
		vvram_pattern_assert(dumb.ptr, dumb.size, 0xc31);
		vvram_gem_close(fd, handle);
		close(dmabuf);
		munmap(dumb.ptr, dumb.size);
		igt_assert_eq(vvram_bo_close(vgem, dumb.handle), 0);
	}

	igt_describe("A vvram BO imported by vgem is pinned while attached and shares its data.");
	igt_subtest("export-to-vgem-pins") {
		uint32_t handle = vvram_gem_create(fd, SZ_64K, VVRAM_ALL_DOMAINS, 0);
		struct vvram_bo_info info;
		uint32_t imported;
		int dmabuf;

		vvram_bo_fill(fd, handle, SZ_64K, 0xc40);
		dmabuf = prime_export(fd, handle);
		imported = prime_import(vgem, dmabuf);
		vvram_gem_info(fd, handle, &info);
		igt_assert(info.flags & VVRAM_GEM_INFO_PINNED);
		igt_assert_eq(vvram_bo_migrate(fd, handle, CPU), -EBUSY);
		igt_assert_eq(vvram_bo_close(vgem, imported), 0);
		close(dmabuf);
		vvram_gem_info(fd, handle, &info);
		igt_assert(!(info.flags & VVRAM_GEM_INFO_PINNED));
		vvram_bo_assert_pattern(fd, handle, SZ_64K, 0xc40);
		vvram_gem_close(fd, handle);
	}

	igt_fixture
		close(vgem);
}

static void flink_tests(void)
{
	igt_describe("A flink name opened by another client names the same BO; the name dies with the BO.");
	igt_subtest("flink-and-open") {
		uint32_t handle = vvram_gem_create(fd, SZ_64K, VRAM, 0), name = 0, opened;
		int other = vvram_igt_open();
		uint64_t size = 0;

		igt_assert_eq(vvram_bo_flink(fd, handle, &name), 0);
		igt_assert_neq(name, 0);
		igt_assert_eq(vvram_bo_open_name(other, name, &opened, &size), 0);
		igt_assert_eq_u64(size, SZ_64K);
		vvram_bo_fill(fd, handle, SZ_64K, 0xc50);
		vvram_bo_assert_pattern(other, opened, SZ_64K, 0xc50);
		vvram_gem_close(other, opened);
		vvram_gem_close(fd, handle);
		igt_assert_eq(vvram_bo_open_name(other, name, &opened, NULL), -ENOENT);
		igt_assert_eq(vvram_bo_flink(fd, handle, &name), -ENOENT);
		close(other);
	}
}

igt_main
{
	static const vvram_topic_fn topics[] = {
		vvram_exporter_tests, vgem_tests, flink_tests,
	};

	vvram_igt_run(&fd, NULL, topics, ARRAY_SIZE(topics));
}
