/* SPDX-License-Identifier: MIT */
/*
 * libvvram: a small C library for the vvram DRM device, on libdrm.
 *
 * Errors: every function that can fail returns 0 (or a non-negative
 * value such as a file descriptor) on success and a negative errno on
 * failure, and also leaves that errno in errno. The errno is the kernel's
 * own, unchanged, so the meanings documented in <drm/vvram_drm.h> hold:
 * EINVAL bad argument, ENOENT bad handle, E2BIG or ENOSPC does not fit,
 * EFAULT bad pointer, EOVERFLOW size overflow. The library adds ENODEV
 * (no vvram device) and EPROTO (the kernel answered something this
 * library cannot parse).
 *
 * Thread safety: no global state; a device fd may be shared by threads
 * as the kernel allows.
 */
#ifndef LIBVVRAM_H
#define LIBVVRAM_H

#include <stddef.h>
#include <stdint.h>

#include <drm/vvram_drm.h>

#ifdef __cplusplus
extern "C" {
#endif

#define VVRAM_DRIVER_NAME "vvram"

/* Which DRM nodes vvram_open() may return; 0 means both, render first. */
#define VVRAM_OPEN_RENDER	(1u << 0)
#define VVRAM_OPEN_PRIMARY	(1u << 1)

/**
 * vvram_open() - open the vvram device
 * @flags: VVRAM_OPEN_RENDER and/or VVRAM_OPEN_PRIMARY, or 0 for either
 *
 * Scans /dev/dri/renderD* then /dev/dri/card* and returns the first node
 * whose DRM driver name (DRM_IOCTL_VERSION) is "vvram". The environment
 * variable VVRAM_DEVICE, if set, names the node to open instead.
 *
 * Return: a file descriptor (O_CLOEXEC); -ENODEV if no vvram node exists;
 * the open(2) error (e.g. -EACCES) if a node could not be opened.
 */
int vvram_open(unsigned int flags);
/**
 * vvram_open_driver() - the same scan for the nodes of any DRM driver
 * @driver: the driver name, e.g. "vgem"; VVRAM_DEVICE does not apply
 */
int vvram_open_driver(const char *driver, unsigned int flags);
/** vvram_open_path() - open @path, failing with -ENODEV unless it is vvram */
int vvram_open_path(const char *path);
/** vvram_is_vvram() - 1 if @fd is a DRM node of the vvram driver, else 0 */
int vvram_is_vvram(int fd);
/** vvram_close() - close a device fd; every handle on it is released */
int vvram_close(int fd);

/**
 * vvram_ioctl() - drmIoctl() returning 0 or -errno
 *
 * For callers that need a raw ioctl, e.g. tests passing bad arguments.
 */
int vvram_ioctl(int fd, unsigned long request, void *arg);

/* Buffer objects ---------------------------------------------------- */

/** struct vvram_bo_params - what vvram_bo_create() asks for */
struct vvram_bo_params {
	uint64_t size_bytes;
	/* 0 for the default (page) alignment; else a power of two. */
	uint64_t alignment_bytes;
	/* VVRAM_GEM_DOMAIN_* bits from <drm/vvram_drm.h>. */
	uint32_t domains;
	/* VVRAM_GEM_CREATE_* bits from <drm/vvram_drm.h>. */
	uint32_t flags;
};

/**
 * vvram_bo_create() - create a GEM buffer object
 *
 * Return: 0 and the new handle in @handle, or the ioctl's -errno.
 */
int vvram_bo_create(int fd, const struct vvram_bo_params *params,
		    uint32_t *handle);
/** vvram_bo_close() - drop a handle (DRM_IOCTL_GEM_CLOSE) */
int vvram_bo_close(int fd, uint32_t handle);

/**
 * vvram_bo_mmap() - map a BO into this process
 * @prot: PROT_READ and/or PROT_WRITE
 *
 * Return: 0 and the mapping in @ptr, to be released with munmap(2).
 */
int vvram_bo_mmap(int fd, uint32_t handle, uint64_t size_bytes, int prot,
		  void **ptr);
/** vvram_bo_mmap_offset() - the fake offset to mmap @handle at on @fd */
int vvram_bo_mmap_offset(int fd, uint32_t handle, uint64_t *offset);

/** struct vvram_block - one buddy block backing a BO in VRAM */
struct vvram_block {
	uint64_t address;	/* device address, base_offset applied */
	uint64_t size_bytes;
};

/** struct vvram_bo_info - what GEM_INFO reports about a BO */
struct vvram_bo_info {
	uint64_t size_bytes;
	uint32_t domain;		/* current: one VVRAM_GEM_DOMAIN_* bit */
	uint32_t allowed_domains;	/* VVRAM_GEM_DOMAIN_* given at creation */
	uint32_t create_flags;		/* VVRAM_GEM_CREATE_* given at creation */
	uint32_t flags;			/* VVRAM_GEM_INFO_* (pinned, ...) */
	uint64_t address;		/* device address of the first block */
	uint32_t block_count;		/* 0 unless in VRAM */
	/* Allocated by vvram_bo_info(), freed by vvram_bo_info_fini(). */
	struct vvram_block *blocks;
};

/**
 * vvram_bo_info() - the BO's size, domain, flags and VRAM blocks
 *
 * Fetches the block list too (count, then list; retried if the BO moved
 * in between). Release with vvram_bo_info_fini(), also after a failure.
 */
int vvram_bo_info(int fd, uint32_t handle, struct vvram_bo_info *info);
void vvram_bo_info_fini(struct vvram_bo_info *info);

/**
 * vvram_bo_migrate() - move a BO to one domain, keeping its data
 * @domain: one VVRAM_GEM_DOMAIN_* bit
 */
int vvram_bo_migrate(int fd, uint32_t handle, uint32_t domain);

/**
 * vvram_bo_pin() - migrate a BO to @domain and keep it there
 *
 * A pinned BO is never evicted; vvram_bo_unpin() ends the pin.
 */
int vvram_bo_pin(int fd, uint32_t handle, uint32_t domain);
int vvram_bo_unpin(int fd, uint32_t handle);

/** vvram_bo_flink() - a global name for @handle (primary node only) */
int vvram_bo_flink(int fd, uint32_t handle, uint32_t *name);
/** vvram_bo_open_name() - a handle and the size for a flink name */
int vvram_bo_open_name(int fd, uint32_t name, uint32_t *handle,
		       uint64_t *size_bytes);

/* Memory regions ---------------------------------------------------- */

/** struct vvram_memory - the memory regions as QUERY reports them */
struct vvram_memory {
	uint64_t vram_total_bytes;
	uint64_t vram_used_bytes;
	uint64_t visible_total_bytes;
	uint64_t visible_used_bytes;
	uint64_t largest_free_bytes;	/* largest contiguous free VRAM range */
	uint64_t chunk_size_bytes;	/* the VRAM allocation unit */
	uint64_t base_offset;		/* device address of the start of VRAM */
	uint64_t gtt_total_bytes;
	uint64_t gtt_used_bytes;
	uint64_t evictions;		/* BOs evicted from VRAM since load */
	uint64_t scanout_bytes;		/* VRAM held by BOs the display shows */
};

/** vvram_query_memory() - the memory regions (DRM_IOCTL_VVRAM_QUERY) */
int vvram_query_memory(int fd, struct vvram_memory *mem);

/* Device files ------------------------------------------------------ */

/**
 * vvram_sysfs_read_u64() - read a numeric sysfs attribute of the device
 * @attr: e.g. "mem_info_vram_used" (the names amdgpu uses)
 */
int vvram_sysfs_read_u64(int fd, const char *attr, uint64_t *value);
/**
 * vvram_debugfs_dir() - the vvram directory under /sys/kernel/debug/dri
 *
 * Return: 0, or -ENOENT if debugfs is not mounted or has no vvram device.
 */
int vvram_debugfs_dir(char *buf, size_t len);

/* Test patterns ------------------------------------------------------ */

/*
 * Each 8-byte word depends on the seed and its own offset in the buffer,
 * so a check also catches data that moved. See pattern.c.
 */
void vvram_pattern_fill(void *ptr, uint64_t size_bytes, uint64_t seed);
/** vvram_pattern_check() - 0, or -EILSEQ and the first bad byte's offset */
int vvram_pattern_check(const void *ptr, uint64_t size_bytes, uint64_t seed,
			uint64_t *bad_offset);
/** vvram_check_bytes() - 0 if every byte is @value, else -EILSEQ */
int vvram_check_bytes(const void *ptr, uint64_t size_bytes, uint8_t value,
		      uint64_t *bad_offset);
uint64_t vvram_pattern_word(uint64_t seed, uint64_t offset_bytes);
uint8_t vvram_pattern_expected(uint64_t seed, uint64_t offset_bytes);

/* ---- KMS ---- */

/**
 * vvram_kms_prop_id() - the id of property @name of a KMS object
 * @type: DRM_MODE_OBJECT_*
 *
 * Return: the id, or 0 when the object has no such property.
 */
uint32_t vvram_kms_prop_id(int fd, uint32_t obj, uint32_t type, const char *name);
/**
 * vvram_kms_writeback_connector() - the writeback connector of a CRTC
 * @crtc_index: the CRTC's index in the device's resources
 *
 * The client must have set DRM_CLIENT_CAP_WRITEBACK_CONNECTORS.
 * Return: the connector id, or 0 when the CRTC has none.
 */
uint32_t vvram_kms_writeback_connector(int fd, unsigned int crtc_index);

#ifdef __cplusplus
}
#endif

#endif /* LIBVVRAM_H */
