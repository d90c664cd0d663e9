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

#include <xf86drm.h>
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

#endif /* VVRAM_IGT_H */
