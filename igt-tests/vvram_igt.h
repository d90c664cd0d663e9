/* SPDX-License-Identifier: MIT */
/*
 * vvram_igt.h - the IGT glue of the vvram tests: opening the device the
 * IGT way, and asserting forms of the libvvram calls (tools/libvvram), which
 * does the ioctls, the patterns and the device lookup.
 *
 * The functions here assert success; to check an exact error, call libvvram
 * (0 or a negative errno) or vvram_ioctl() directly.
 */
#ifndef VVRAM_IGT_H
#define VVRAM_IGT_H

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef VVRAM_IGT_REAL_HEADERS
#include "igt_core.h"
#include "drmtest.h"
#else
#include "igt_abi.h"
#endif

#include <drm_fourcc.h>
#include <xf86drm.h>
#include <xf86drmMode.h>
#include "vvram.h"

#define SZ_4K (4096ull)
#define SZ_64K (64ull << 10)
#define SZ_1M (1ull << 20)
#define SZ_4M (4ull << 20)

#define VRAM VVRAM_GEM_DOMAIN_VRAM
#define GTT VVRAM_GEM_DOMAIN_GTT
#define CPU VVRAM_GEM_DOMAIN_CPU
#define VVRAM_ALL_DOMAINS (VRAM | GTT | CPU)

/* An address no process has mapped: the kernel must answer EFAULT. */
#define VVRAM_BAD_PTR 8ull

static inline uint64_t vvram_round_up(uint64_t value, uint64_t unit)
{
	return (value + unit - 1) / unit * unit;
}

static inline uint64_t to_user_pointer(const void *ptr)
{
	return (uintptr_t)ptr;
}

/* ---- Devices ---- */

int vvram_igt_open(void);
int vvram_igt_open_render(void);
int vvram_igt_open_driver(const char *name);
void vvram_assert_idle(int fd);

/* A topic: a static function of subtests with their own fixtures. */
typedef void (*vvram_topic_fn)(void);
void vvram_igt_run(int *fd, struct vvram_memory *mem,
		   const vvram_topic_fn *topics, unsigned int count);

/* ---- Buffer objects ---- */

static inline int __vvram_gem_create(int fd, struct drm_vvram_gem_create *create)
{
	return vvram_ioctl(fd, DRM_IOCTL_VVRAM_GEM_CREATE, create);
}

static inline int __vvram_gem_info(int fd, struct drm_vvram_gem_info *info)
{
	return vvram_ioctl(fd, DRM_IOCTL_VVRAM_GEM_INFO, info);
}

uint32_t vvram_gem_create(int fd, uint64_t size, uint32_t domains,
			  uint32_t flags);
void vvram_gem_close(int fd, uint32_t handle);
void *vvram_gem_mmap(int fd, uint32_t handle, uint64_t size);
void vvram_gem_info(int fd, uint32_t handle, struct vvram_bo_info *info);
void vvram_gem_blocks(int fd, uint32_t handle, struct vvram_bo_info *info);
uint32_t vvram_gem_domain(int fd, uint32_t handle);
uint64_t vvram_blocks_total(const struct vvram_bo_info *info);
bool vvram_blocks_contiguous(struct vvram_bo_info *info);
void vvram_gem_migrate(int fd, uint32_t handle, uint32_t domain);
void vvram_gem_pin(int fd, uint32_t handle, uint32_t domain);
void vvram_gem_unpin(int fd, uint32_t handle);
void vvram_query(int fd, struct vvram_memory *mem);
struct vvram_memory vvram_memory(int fd);
uint64_t vvram_sysfs(int fd, const char *attr);

/* ---- Data ---- */

void vvram_pattern_assert(const void *ptr, uint64_t size, uint64_t seed);
void vvram_assert_zero(const void *ptr, uint64_t size);
void vvram_bo_fill(int fd, uint32_t handle, uint64_t size, uint64_t seed);
void vvram_bo_assert_pattern(int fd, uint32_t handle, uint64_t size,
			     uint64_t seed);
void vvram_assert_device_works(int fd, uint64_t seed);
void vvram_bo_assert_zero(int fd, uint32_t handle, uint64_t size);
uint32_t vvram_bo_create_in_vram(int fd, uint64_t size, uint32_t domains,
				 uint32_t flags, uint64_t seed);

/* ---- Processes ---- */

int vvram_access_signal(volatile void *ptr, bool write);

/* ---- Module ---- */

bool vvram_module_loaded(void);
int vvram_module_unload(void);
int vvram_module_load(const char *params);
const char *vvram_igt_params(void);
void vvram_igt_reload(const char *params);
void vvram_igt_restore(void);

/* ---- KMS (vvram_igt_kms.c): drmMode* only, for any KMS driver ---- */

/**
 * struct kms_pipe - a connector and the CRTC that drives it
 * @connector: connector id
 * @crtc: CRTC id
 * @index: the CRTC's index, its bit in possible_crtcs
 * @mode: the connector's preferred mode
 */
struct kms_pipe {
	uint32_t connector;
	uint32_t crtc;
	unsigned int index;
	drmModeModeInfo mode;
};

/**
 * struct kms_fb - a framebuffer on a dumb buffer
 * @handle: the dumb buffer
 * @id: the framebuffer
 * @pitch: bytes per row
 * @size: bytes of the dumb buffer
 */
struct kms_fb {
	uint32_t handle;
	uint32_t id;
	uint32_t pitch;
	uint64_t size;
};

/**
 * struct kms_yuv_fb - a framebuffer of a multi-planar YCbCr format on dumb
 *	buffers
 * @id: the framebuffer
 * @format: NV12, NV21, NV16 or YUV420
 * @width: pixels
 * @height: pixels
 * @num_planes: colour planes, 2 or 3
 * @num_bos: dumb buffers: 1, holding every colour plane, or @num_planes
 * @bos: the dumb buffers
 * @bo_sizes: their sizes in bytes
 * @handles: the buffer of each colour plane, as given to ADDFB2
 * @pitches: the pitch of each colour plane
 * @offsets: the offset of each colour plane in its buffer
 */
struct kms_yuv_fb {
	uint32_t id;
	uint32_t format;
	uint32_t width, height;
	unsigned int num_planes, num_bos;
	uint32_t bos[3];
	uint64_t bo_sizes[3];
	uint32_t handles[4], pitches[4], offsets[4];
};

int kms_igt_open(void);
int kms_pipes(int fd, struct kms_pipe *pipes, int max);
int __kms_fb_create(int fd, struct kms_fb *fb, uint32_t width, uint32_t height,
		    uint32_t format, uint32_t bpp);
void kms_fb_create(int fd, struct kms_fb *fb, uint32_t width, uint32_t height);
void kms_fb_destroy(int fd, struct kms_fb *fb);
void *kms_fb_map(int fd, const struct kms_fb *fb);
int __kms_set_crtc(int fd, const struct kms_pipe *p, const struct kms_fb *fb,
		   drmModeModeInfo *mode);
void kms_set_crtc(int fd, const struct kms_pipe *p, const struct kms_fb *fb);
void kms_disable_crtc(int fd, const struct kms_pipe *p);
int kms_fbdev_open(void);
uint32_t kms_crtc_fb(int fd, const struct kms_pipe *p);
uint32_t kms_prop_id(int fd, uint32_t obj, uint32_t type, const char *name);
uint64_t kms_prop_value(int fd, uint32_t obj, uint32_t type, const char *name);
uint64_t kms_prop_enum(int fd, uint32_t obj, uint32_t type, const char *name,
		       const char *entry);
void kms_add_prop(int fd, drmModeAtomicReq *req, uint32_t obj, uint32_t type,
		  const char *name, uint64_t value);
drmModeModeInfo kms_pipe_mode(int fd, const struct kms_pipe *p, int width, int height);
uint32_t __kms_pipe_plane(int fd, const struct kms_pipe *p, uint64_t type);
uint32_t kms_pipe_plane(int fd, const struct kms_pipe *p, uint64_t type);
drmModeAtomicReq *kms_primary_req(int fd, const struct kms_pipe *p,
				  const drmModeModeInfo *mode,
				  const struct kms_fb *fb, uint32_t *blob);
uint32_t kms_writeback_connector(int fd, const struct kms_pipe *p);
void kms_writeback_commit(int fd, drmModeAtomicReq *req, const struct kms_pipe *p,
			  const struct kms_fb *out, uint32_t flags);
double kms_flip_and_wait(int fd, const struct kms_pipe *p, const struct kms_fb *fb);
void kms_handle_event(int fd);
int __kms_yuv_fb_create(int fd, struct kms_yuv_fb *fb, uint32_t format,
			uint32_t width, uint32_t height, bool one_bo);
void kms_yuv_fb_create(int fd, struct kms_yuv_fb *fb, uint32_t format,
		       uint32_t width, uint32_t height, bool one_bo);
void kms_yuv_fb_destroy(int fd, struct kms_yuv_fb *fb);
void kms_yuv_fb_fill(int fd, const struct kms_yuv_fb *fb,
		     uint8_t (*sample)(int component, int x, int y));

#endif /* VVRAM_IGT_H */
