// SPDX-License-Identifier: GPL-2.0
/**
 * DOC: fdinfo
 *
 * /proc/<pid>/fdinfo/<fd> of a vvram file shows, after the DRM core's
 * ``drm-driver`` and ``drm-client-id``, the memory of the file's BOs per
 * region: ``vram0`` for BOs in VRAM and ``system`` for BOs in GTT or CPU
 * memory, with the keys ``drm-total-``, ``drm-shared-`` and
 * ``drm-resident-`` of each (drm-usage-stats.rst).
 */

#include <linux/idr.h>
#include <linux/spinlock.h>

#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_print.h>
#include <drm/ttm/ttm_tt.h>

#include <uapi/drm/vvram_drm.h>

#include "vvram_drv.h"

enum vvram_region {
	VVRAM_REGION_VRAM,
	VVRAM_REGION_SYSTEM,
	VVRAM_NUM_REGIONS,
};

static const char * const vvram_region_names[VVRAM_NUM_REGIONS] = {
	[VVRAM_REGION_VRAM] = "vram0",
	[VVRAM_REGION_SYSTEM] = "system",
};

static void vvram_fdinfo_account(struct drm_gem_object *obj,
				 struct drm_memory_stats *stats)
{
	struct vvram_bo *bo = gem_to_vvram_bo(obj);
	struct ttm_buffer_object *tbo = &bo->tbo;
	enum vvram_region region = VVRAM_REGION_SYSTEM;
	bool resident = false;

	/*
	 * Called under the file's table spinlock: only a trylock of the
	 * reservation is allowed. A BO busy moving counts where it may be
	 * first placed, as not resident.
	 */
	if (dma_resv_trylock(obj->resv)) {
		if (tbo->resource && tbo->resource->mem_type == TTM_PL_VRAM) {
			region = VVRAM_REGION_VRAM;
			resident = true;
		} else {
			resident = tbo->ttm && ttm_tt_is_populated(tbo->ttm);
		}
		dma_resv_unlock(obj->resv);
	} else if (bo->domains & VVRAM_GEM_DOMAIN_VRAM) {
		region = VVRAM_REGION_VRAM;
	}

	if (obj->handle_count > 1)
		stats[region].shared += obj->size;
	else
		stats[region].private += obj->size;
	if (resident)
		stats[region].resident += obj->size;
}

/**
 * vvram_show_fdinfo - &drm_driver.show_fdinfo: per-region memory of a file
 * @p: where to print
 * @file: the DRM file
 */
void vvram_show_fdinfo(struct drm_printer *p, struct drm_file *file)
{
	struct drm_memory_stats stats[VVRAM_NUM_REGIONS] = {};
	struct drm_gem_object *obj;
	int id, i;

	spin_lock(&file->table_lock);
	idr_for_each_entry(&file->object_idr, obj, id)
		vvram_fdinfo_account(obj, stats);
	spin_unlock(&file->table_lock);

	for (i = 0; i < VVRAM_NUM_REGIONS; i++)
		drm_print_memory_stats(p, &stats[i], DRM_GEM_OBJECT_RESIDENT,
				       vvram_region_names[i]);
}
