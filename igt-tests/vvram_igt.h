/* SPDX-License-Identifier: MIT */
/*
 * vvram_igt.h - helpers shared by every vvram IGT test: opening the device,
 * buffer objects over the vvram UAPI, data patterns and the module.
 *
 * Functions named vvram_*() assert success; the __vvram_*() variants return
 * 0 or a negative errno so that tests can check the exact error.
 */
#ifndef VVRAM_IGT_H
#define VVRAM_IGT_H

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
#include <drm/vvram_drm.h>

#define VVRAM_DRIVER_NAME "vvram"

#define SZ_4K (4096ull)
#define SZ_64K (64ull << 10)
#define SZ_1M (1ull << 20)
#define SZ_4M (4ull << 20)

#define VVRAM_ALL_DOMAINS						\
	(VVRAM_GEM_DOMAIN_VRAM | VVRAM_GEM_DOMAIN_GTT | VVRAM_GEM_DOMAIN_CPU)

static inline uint64_t vvram_round_up(uint64_t value, uint64_t unit)
{
	return (value + unit - 1) / unit * unit;
}

static inline uint64_t to_user_pointer(const void *ptr)
{
	return (uintptr_t)ptr;
}

/* ---- Devices ---- */

int vvram_open_driver_by_name(const char *name);
bool vvram_device_present(void);
int vvram_open(void);
int vvram_open_render(void);
bool vvram_is_device(int fd);
int vvram_sysfs_device_dir(int fd);

/* ---- Buffer objects ---- */

int __vvram_gem_create(int fd, struct drm_vvram_gem_create *create);
uint32_t vvram_gem_create(int fd, uint64_t size, uint32_t domains,
			  uint32_t flags);
void vvram_gem_close(int fd, uint32_t handle);

int __vvram_gem_mmap_offset(int fd, uint32_t handle, uint64_t *offset);
void *vvram_gem_mmap(int fd, uint32_t handle, uint64_t size);

int __vvram_gem_info(int fd, struct drm_vvram_gem_info *info);
void vvram_gem_info(int fd, uint32_t handle, struct drm_vvram_gem_info *info);
struct drm_vvram_gem_block *vvram_gem_blocks(int fd, uint32_t handle,
					     uint32_t *count);
uint32_t vvram_gem_domain(int fd, uint32_t handle);
uint64_t vvram_blocks_total(const struct drm_vvram_gem_block *blocks,
			    uint32_t count);
bool vvram_blocks_contiguous(struct drm_vvram_gem_block *blocks,
			     uint32_t count);

int __vvram_gem_migrate(int fd, uint32_t handle, uint32_t domain);
void vvram_gem_migrate(int fd, uint32_t handle, uint32_t domain);
int __vvram_gem_pin(int fd, uint32_t handle, uint32_t domain, uint32_t flags);
void vvram_gem_pin(int fd, uint32_t handle, uint32_t domain);
void vvram_gem_unpin(int fd, uint32_t handle);

int __vvram_query(int fd, struct drm_vvram_query *query);
void vvram_query_mem_regions(int fd, struct drm_vvram_query_mem_regions *regions);
void vvram_assert_vram_empty(int fd);

/* ---- Data patterns ---- */

void vvram_pattern_fill(void *ptr, uint64_t size, uint32_t seed);
void vvram_pattern_assert(const void *ptr, uint64_t size, uint32_t seed);
void vvram_assert_zero(const void *ptr, uint64_t size);
void vvram_bo_fill(int fd, uint32_t handle, uint64_t size, uint32_t seed);
void vvram_bo_assert_pattern(int fd, uint32_t handle, uint64_t size,
			     uint32_t seed);
void vvram_bo_assert_zero(int fd, uint32_t handle, uint64_t size);
uint32_t vvram_bo_create_in_vram(int fd, uint64_t size, uint32_t domains,
				 uint32_t seed);

/* ---- Processes ---- */

int vvram_access_signal(volatile void *ptr, bool write);

/* ---- Module ---- */

bool vvram_module_loaded(void);
const char *vvram_module_params(void);
int vvram_module_unload(void);
int vvram_module_load(const char *params);

#endif /* VVRAM_IGT_H */
