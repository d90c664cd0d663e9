// SPDX-License-Identifier: MIT
/*
 * The generic DRM paths on vvram: dumb buffers, GEM flink and open,
 * PRIME export and import (self, another vvram file, and vgem), and the
 * render node refusing what is not render-safe.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <xf86drm.h>

#include "vvram_test.h"

static void dumb_create_map_zeroed(void)
{
	struct drm_mode_create_dumb create = {
		.width = 256, .height = 128, .bpp = 32,
	};
	struct drm_mode_map_dumb map_args = { 0 };
	struct drm_mode_destroy_dumb destroy = { 0 };
	int fd = vt_open_primary();
	uint8_t *map;

	VT_OK(vvram_ioctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &create));
	VT_ASSERT(create.handle != 0);
	VT_ASSERT(create.pitch >= 256 * 4);
	VT_ASSERT(create.size >= (uint64_t)create.pitch * 128);
	map_args.handle = create.handle;
	VT_OK(vvram_ioctl(fd, DRM_IOCTL_MODE_MAP_DUMB, &map_args));
	map = mmap(NULL, create.size, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		   (off_t)map_args.offset);
	VT_ASSERT(map != MAP_FAILED);
	vt_check_zero(map, create.size, "new dumb buffer");
	vvram_pattern_fill(map, create.size, 12);
	vt_check_pattern(map, create.size, 12, "dumb buffer");
	vt_bo_unmap(map, create.size);
	destroy.handle = create.handle;
	VT_OK(vvram_ioctl(fd, DRM_IOCTL_MODE_DESTROY_DUMB, &destroy));
	VT_ERRNO(vvram_ioctl(fd, DRM_IOCTL_MODE_MAP_DUMB, &map_args), ENOENT);
	vvram_close(fd);
}

static void dumb_bad_arguments(void)
{
	struct drm_mode_create_dumb create = { .width = 64, .height = 64 };
	struct drm_mode_map_dumb map_args = { .handle = 999 };
	int fd = vt_open_primary();

	create.bpp = 0;
	VT_ERRNO(vvram_ioctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &create), EINVAL);
	create.bpp = 32;
	create.width = 0;
	VT_ERRNO(vvram_ioctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &create), EINVAL);
	create.width = 1u << 31;
	create.height = 1u << 31;
	VT_ERRNO(vvram_ioctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &create), EINVAL);
	VT_ERRNO(vvram_ioctl(fd, DRM_IOCTL_MODE_MAP_DUMB, &map_args), ENOENT);
	vvram_close(fd);
}

/* flink publishes a BO; another file opens it and sees the same memory. */
static void flink_and_open(void)
{
	int fd = vt_open_primary(), other = vt_open_primary();
	uint32_t handle, name, other_handle;
	uint64_t size;
	uint8_t *map;

	handle = vt_bo_create(fd, 192 * KiB, VVRAM_GEM_DOMAIN_VRAM, 0);
	map = vt_bo_map(fd, handle, 192 * KiB);
	vvram_pattern_fill(map, 192 * KiB, 31);
	vt_bo_unmap(map, 192 * KiB);
	VT_OK(vvram_bo_flink(fd, handle, &name));
	VT_ASSERT(name != 0);
	VT_OK(vvram_bo_open_name(other, name, &other_handle, &size));
	VT_ASSERT_EQ(size, 192 * KiB);
	map = vt_bo_map(other, other_handle, 192 * KiB);
	vt_check_pattern(map, 192 * KiB, 31, "BO opened by flink name");
	vt_bo_unmap(map, 192 * KiB);
	/* The name dies with the BO. */
	VT_OK(vvram_bo_close(other, other_handle));
	VT_OK(vvram_bo_close(fd, handle));
	VT_ERRNO(vvram_bo_open_name(other, name, &other_handle, NULL), ENOENT);
	VT_ERRNO(vvram_bo_flink(fd, handle, &name), ENOENT);
	vvram_close(other);
	vvram_close(fd);
}

/* Render nodes refuse the global flink namespace, as on every driver. */
static void render_node_refuses_flink(void)
{
	int fd = vt_open();
	uint32_t handle, name, other_handle;

	handle = vt_bo_create(fd, 4096, VVRAM_GEM_DOMAIN_VRAM, 0);
	VT_ERRNO(vvram_bo_flink(fd, handle, &name), EACCES);
	VT_ERRNO(vvram_bo_open_name(fd, 1, &other_handle, NULL), EACCES);
	vvram_close(fd);
}

static void render_node_allows_vvram_ioctls(void)
{
	int fd = vt_open();
	struct vvram_memory mem;
	uint32_t handle;

	/* Every vvram ioctl once; the ioctl test runs them all on render too. */
	vt_query(fd, &mem);
	handle = vt_bo_create(fd, 4096, VVRAM_GEM_DOMAIN_VRAM, 0);
	VT_OK(vvram_bo_pin(fd, handle, VVRAM_GEM_DOMAIN_VRAM));
	VT_OK(vvram_bo_unpin(fd, handle));
	VT_OK(vvram_bo_migrate(fd, handle, VVRAM_GEM_DOMAIN_CPU));
	vt_assert_domain(fd, handle, VVRAM_GEM_DOMAIN_CPU);
	vt_bo_unmap(vt_bo_map(fd, handle, 4096), 4096);
	vvram_close(fd);
}

static void prime_self_import(void)
{
	int fd = vt_open();
	uint32_t handle, imported;
	int dmabuf;

	handle = vt_bo_create(fd, 64 * KiB, VVRAM_GEM_DOMAIN_VRAM, 0);
	VT_OK(drmPrimeHandleToFD(fd, handle, DRM_CLOEXEC | DRM_RDWR, &dmabuf) ? -errno : 0);
	VT_OK(drmPrimeFDToHandle(fd, dmabuf, &imported) ? -errno : 0);
	VT_ASSERT_EQ(imported, handle);
	close(dmabuf);
	vvram_close(fd);
}

/* Another vvram file imports the dma-buf and sees the exporter's data. */
static void prime_import_other_file(void)
{
	int fd = vt_open(), other = vt_open();
	uint32_t handle, imported;
	uint8_t *map;
	int dmabuf;

	handle = vt_bo_create(fd, 128 * KiB, VVRAM_GEM_DOMAIN_VRAM, 0);
	map = vt_bo_map(fd, handle, 128 * KiB);
	vvram_pattern_fill(map, 128 * KiB, 51);
	VT_OK(drmPrimeHandleToFD(fd, handle, DRM_CLOEXEC | DRM_RDWR, &dmabuf) ? -errno : 0);
	VT_OK(drmPrimeFDToHandle(other, dmabuf, &imported) ? -errno : 0);
	close(dmabuf);
	/* The exporter's file goes away; the BO lives on in the importer. */
	vt_bo_unmap(map, 128 * KiB);
	vvram_close(fd);
	map = vt_bo_map(other, imported, 128 * KiB);
	vt_check_pattern(map, 128 * KiB, 51, "BO imported by another file");
	vt_bo_unmap(map, 128 * KiB);
	vvram_close(other);
}

/* Read a dma-buf through its own mmap, as any importer could. */
static void prime_dmabuf_mmap(void)
{
	int fd = vt_open();
	uint32_t handle;
	uint8_t *map;
	int dmabuf;

	handle = vt_bo_create(fd, 64 * KiB, VVRAM_GEM_DOMAIN_VRAM | VVRAM_GEM_DOMAIN_GTT, 0);
	map = vt_bo_map(fd, handle, 64 * KiB);
	vvram_pattern_fill(map, 64 * KiB, 61);
	vt_bo_unmap(map, 64 * KiB);
	VT_OK(drmPrimeHandleToFD(fd, handle, DRM_CLOEXEC | DRM_RDWR, &dmabuf) ? -errno : 0);
	map = mmap(NULL, 64 * KiB, PROT_READ, MAP_SHARED, dmabuf, 0);
	if (map == MAP_FAILED)
		VT_FAIL("mmap of the dma-buf: %s", vt_errname(errno));
	vt_check_pattern(map, 64 * KiB, 61, "exported dma-buf");
	vt_bo_unmap(map, 64 * KiB);
	close(dmabuf);
	vvram_close(fd);
}

static void prime_bad_arguments(void)
{
	int fd = vt_open(), dmabuf;
	uint32_t handle;

	VT_ERRNO(drmPrimeHandleToFD(fd, 12345, DRM_CLOEXEC, &dmabuf) ? -errno : 0, ENOENT);
	/* Not a dma-buf. */
	dmabuf = open("/dev/null", O_RDONLY);
	VT_ASSERT(dmabuf >= 0);
	VT_ERRNO(drmPrimeFDToHandle(fd, dmabuf, &handle) ? -errno : 0, EINVAL);
	close(dmabuf);
	VT_ERRNO(drmPrimeFDToHandle(fd, -1, &handle) ? -errno : 0, EBADF);
	vvram_close(fd);
}

/* Open the vgem device, loading the module if needed; skip without it. */
static int open_vgem(void)
{
	char path[32];
	int i;

	for (i = 0; i < 2; i++) {
		int minor;

		for (minor = 0; minor < 16; minor++) {
			drmVersionPtr version;
			int fd;

			snprintf(path, sizeof(path), "/dev/dri/card%d", minor);
			fd = open(path, O_RDWR | O_CLOEXEC);
			if (fd < 0)
				continue;
			version = drmGetVersion(fd);
			if (version && !strcmp(version->name, "vgem")) {
				drmFreeVersion(version);
				return fd;
			}
			if (version)
				drmFreeVersion(version);
			close(fd);
		}
		if (i == 0 && (geteuid() != 0 || system("modprobe vgem") != 0))
			break;
	}
	vt_skip("no vgem device (modprobe vgem failed)");
}

static void prime_import_vgem(void)
{
	struct drm_mode_create_dumb create = { .width = 64, .height = 64, .bpp = 32 };
	struct drm_mode_map_dumb map_args = { 0 };
	int vgem = open_vgem(), fd = vt_open(), dmabuf;
	uint32_t imported, again;
	uint8_t *map;

	VT_OK(vvram_ioctl(vgem, DRM_IOCTL_MODE_CREATE_DUMB, &create));
	map_args.handle = create.handle;
	VT_OK(vvram_ioctl(vgem, DRM_IOCTL_MODE_MAP_DUMB, &map_args));
	map = mmap(NULL, create.size, PROT_READ | PROT_WRITE, MAP_SHARED, vgem,
		   (off_t)map_args.offset);
	VT_ASSERT(map != MAP_FAILED);
	vvram_pattern_fill(map, create.size, 71);
	vt_bo_unmap(map, create.size);
	VT_OK(drmPrimeHandleToFD(vgem, create.handle, DRM_CLOEXEC | DRM_RDWR, &dmabuf) ? -errno : 0);
	VT_OK(drmPrimeFDToHandle(fd, dmabuf, &imported) ? -errno : 0);
	VT_ASSERT(imported != 0);
	/* Importing the same dma-buf again gives the same handle. */
	VT_OK(drmPrimeFDToHandle(fd, dmabuf, &again) ? -errno : 0);
	VT_ASSERT_EQ(again, imported);
	close(dmabuf);
	VT_OK(vvram_bo_close(fd, imported));
	vvram_close(fd);
	close(vgem);
}

int main(void)
{
	vt_run("dumb-create-map-zeroed", dumb_create_map_zeroed, 60);
	vt_run("dumb-bad-arguments", dumb_bad_arguments, 60);
	vt_run("flink-and-open", flink_and_open, 60);
	vt_run("render-node-refuses-flink", render_node_refuses_flink, 60);
	vt_run("render-node-allows-vvram-ioctls", render_node_allows_vvram_ioctls, 60);
	vt_run("prime-self-import", prime_self_import, 60);
	vt_run("prime-import-other-file", prime_import_other_file, 60);
	vt_run("prime-dmabuf-mmap", prime_dmabuf_mmap, 60);
	vt_run("prime-bad-arguments", prime_bad_arguments, 60);
	vt_run("prime-import-vgem", prime_import_vgem, 60);
	return vt_exit();
}
