// SPDX-License-Identifier: GPL-2.0
/**
 * DOC: vvram ioctls
 *
 * The UAPI of include/uapi/drm/vvram_drm.h. Every ioctl checks its input
 * before touching anything: pad and reserved fields must be zero and
 * unknown flags are rejected, so the structs can grow. Errnos follow the
 * UAPI header: -EINVAL bad arguments, -ENOENT bad handle, -E2BIG never
 * fits, -ENOSPC does not fit now, -EFAULT bad pointer, -EOVERFLOW size
 * overflow, -EBUSY pinned, -EPERM CPU access refused.
 *
 * User memory is never touched with a reservation lock held: a page fault
 * on a vvram mapping takes that lock, so results are gathered first and
 * copied out afterwards.
 */

#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_ioctl.h>

#include <uapi/drm/vvram_drm.h>

#include "vvram_drv.h"

#define VVRAM_GEM_DOMAIN_MASK \
	(VVRAM_GEM_DOMAIN_VRAM | VVRAM_GEM_DOMAIN_GTT | VVRAM_GEM_DOMAIN_CPU)
#define VVRAM_GEM_CREATE_MASK \
	(VVRAM_GEM_CREATE_CONTIGUOUS | VVRAM_GEM_CREATE_CPU_ACCESS_REQUIRED | \
	 VVRAM_GEM_CREATE_NO_CPU_ACCESS)

/* A single known domain bit. */
static bool is_one_domain(u32 domain)
{
	return domain && !(domain & ~VVRAM_GEM_DOMAIN_MASK) &&
	       is_power_of_2(domain);
}

static int vvram_gem_create_ioctl(struct drm_device *dev, void *data,
				  struct drm_file *file)
{
	struct drm_vvram_gem_create *args = data;
	u64 size, alignment;
	struct vvram_bo *bo;
	int ret;

	if (args->pad || args->reserved[0] || args->reserved[1])
		return -EINVAL;
	if (!args->domains || (args->domains & ~VVRAM_GEM_DOMAIN_MASK))
		return -EINVAL;
	if (args->flags & ~VVRAM_GEM_CREATE_MASK)
		return -EINVAL;
	if ((args->flags & VVRAM_GEM_CREATE_CPU_ACCESS_REQUIRED) &&
	    (args->flags & VVRAM_GEM_CREATE_NO_CPU_ACCESS))
		return -EINVAL;
	if (!args->size)
		return -EINVAL;
	if (args->alignment && !is_power_of_2(args->alignment))
		return -EINVAL;

	if (check_add_overflow(args->size, (u64)PAGE_SIZE - 1, &size))
		return -EOVERFLOW;
	size = round_down(size, PAGE_SIZE);
	alignment = max_t(u64, args->alignment, PAGE_SIZE);
	/* TTM keeps the alignment as a 32-bit page count. */
	if (alignment >> PAGE_SHIFT > U32_MAX)
		return -E2BIG;

	ret = vvram_bo_create(to_vvram(dev), size, alignment, args->domains,
			      args->flags, &bo);
	if (ret)
		return ret;

	ret = drm_gem_handle_create(file, &bo->tbo.base, &args->handle);
	drm_gem_object_put(&bo->tbo.base);
	return ret;
}

static int vvram_gem_mmap_offset_ioctl(struct drm_device *dev, void *data,
				       struct drm_file *file)
{
	struct drm_vvram_gem_mmap_offset *args = data;
	struct drm_gem_object *obj;
	int ret = 0;

	if (args->flags || args->reserved)
		return -EINVAL;

	obj = drm_gem_object_lookup(file, args->handle);
	if (!obj)
		return -ENOENT;

	if (gem_to_vvram_bo(obj)->create_flags & VVRAM_GEM_CREATE_NO_CPU_ACCESS)
		ret = -EPERM;
	else
		args->offset = drm_vma_node_offset_addr(&obj->vma_node);

	drm_gem_object_put(obj);
	return ret;
}

/* Fill @args and up to @cap blocks of a reserved BO; returns the count. */
static u32 vvram_gem_info_locked(struct vvram_device *vdev, struct vvram_bo *bo,
				 struct drm_vvram_gem_info *args,
				 struct drm_vvram_gem_block *blocks, u32 cap)
{
	struct ttm_resource *res = bo->tbo.resource;
	struct vvram_vram_cursor cur;
	u32 count = 0;

	args->flags = bo->tbo.pin_count ? VVRAM_GEM_INFO_PINNED : 0;
	if (bo->scanout_pins)
		args->flags |= VVRAM_GEM_INFO_SCANOUT;
	args->size = bo->tbo.base.size;
	args->domain = vvram_bo_domain(bo);
	args->allowed_domains = bo->domains;
	args->create_flags = bo->create_flags;
	args->dev_addr = 0;

	if (!res || res->mem_type != TTM_PL_VRAM)
		return 0;

	if (vvram_vram_res_is_contiguous(res))
		args->flags |= VVRAM_GEM_INFO_CONTIGUOUS;
	if (vvram_vram_res_is_visible(res))
		args->flags |= VVRAM_GEM_INFO_CPU_VISIBLE;

	for (vvram_vram_cursor_first(&cur, &vdev->vram_mgr, res, 0); cur.remaining;
	     vvram_vram_cursor_next(&cur, cur.remaining)) {
		if (!count)
			args->dev_addr = vdev->params.base_offset + cur.offset;
		if (count < cap) {
			blocks[count].dev_addr = vdev->params.base_offset + cur.offset;
			blocks[count].size = cur.remaining;
		}
		count++;
	}
	return count;
}

static int vvram_gem_info_ioctl(struct drm_device *dev, void *data,
				struct drm_file *file)
{
	struct drm_vvram_gem_info *args = data;
	struct drm_vvram_gem_block *blocks = NULL;
	struct drm_gem_object *obj;
	struct vvram_bo *bo;
	u32 cap, count;
	int ret;

	if (args->reserved[0] || args->reserved[1])
		return -EINVAL;

	obj = drm_gem_object_lookup(file, args->handle);
	if (!obj)
		return -ENOENT;
	bo = gem_to_vvram_bo(obj);

	/* A BO has at most one block per chunk. */
	cap = min_t(u64, args->num_blocks,
		    DIV_ROUND_UP(obj->size, to_vvram(dev)->params.chunk_size));
	if (cap) {
		blocks = kvcalloc(cap, sizeof(*blocks), GFP_KERNEL);
		if (!blocks) {
			ret = -ENOMEM;
			goto out_put;
		}
	}

	ret = dma_resv_lock_interruptible(obj->resv, NULL);
	if (ret)
		goto out_free;
	count = vvram_gem_info_locked(to_vvram(dev), bo, args, blocks, cap);
	dma_resv_unlock(obj->resv);

	if (min(count, cap) &&
	    copy_to_user(u64_to_user_ptr(args->blocks_ptr), blocks,
			 min(count, cap) * sizeof(*blocks)))
		ret = -EFAULT;
	args->num_blocks = count;

out_free:
	kvfree(blocks);
out_put:
	drm_gem_object_put(obj);
	return ret;
}

/*
 * Look up the BO of @handle and reserve it. A non-zero @domain must be one
 * the BO may be placed in (the CPU domain always is): -EINVAL otherwise.
 * Undo with vvram_gem_unreserve_put().
 */
static struct vvram_bo *vvram_gem_lookup_reserve(struct drm_file *file,
						 u32 handle, u32 domain)
{
	struct drm_gem_object *obj;
	int ret = -EINVAL;

	obj = drm_gem_object_lookup(file, handle);
	if (!obj)
		return ERR_PTR(-ENOENT);
	if (!domain ||
	    (domain & (gem_to_vvram_bo(obj)->domains | VVRAM_GEM_DOMAIN_CPU)))
		ret = dma_resv_lock_interruptible(obj->resv, NULL);
	if (ret) {
		drm_gem_object_put(obj);
		return ERR_PTR(ret);
	}
	return gem_to_vvram_bo(obj);
}

static void vvram_gem_unreserve_put(struct vvram_bo *bo)
{
	dma_resv_unlock(bo->tbo.base.resv);
	drm_gem_object_put(&bo->tbo.base);
}

static int vvram_gem_migrate_ioctl(struct drm_device *dev, void *data,
				   struct drm_file *file)
{
	struct drm_vvram_gem_migrate *args = data;
	struct vvram_bo *bo;
	int ret;

	if (args->flags || args->pad || args->reserved)
		return -EINVAL;
	if (!is_one_domain(args->domain))
		return -EINVAL;

	bo = vvram_gem_lookup_reserve(file, args->handle, args->domain);
	if (IS_ERR(bo))
		return PTR_ERR(bo);
	if (bo->tbo.pin_count)
		ret = vvram_bo_domain(bo) == args->domain ? 0 : -EBUSY;
	else
		ret = vvram_bo_validate(bo, args->domain);
	vvram_gem_unreserve_put(bo);
	return ret;
}

static int vvram_gem_pin_locked(struct vvram_bo *bo, u32 domain)
{
	int ret = 0;

	if (bo->user_pin_domain)
		return bo->user_pin_domain == domain ? 0 : -EBUSY;
	if (bo->tbo.pin_count) {
		/* Pinned by the kernel (mapping, PRIME): only where it is. */
		if (vvram_bo_domain(bo) != domain)
			return -EBUSY;
	} else {
		ret = vvram_bo_validate(bo, domain);
		if (ret)
			return ret;
	}
	vvram_bo_pin(bo);
	bo->user_pin_domain = domain;
	return 0;
}

static int vvram_gem_pin_ioctl(struct drm_device *dev, void *data,
			       struct drm_file *file)
{
	struct drm_vvram_gem_pin *args = data;
	bool unpin = args->flags & VVRAM_GEM_PIN_UNPIN;
	struct vvram_bo *bo;
	int ret = 0;

	if (args->pad || args->reserved || (args->flags & ~VVRAM_GEM_PIN_UNPIN))
		return -EINVAL;
	if (unpin ? args->domain != 0 : !is_one_domain(args->domain))
		return -EINVAL;

	/* An unpin has domain 0: any BO. */
	bo = vvram_gem_lookup_reserve(file, args->handle, args->domain);
	if (IS_ERR(bo))
		return PTR_ERR(bo);
	if (!unpin) {
		ret = vvram_gem_pin_locked(bo, args->domain);
	} else if (!bo->user_pin_domain) {
		ret = -EINVAL;
	} else {
		vvram_bo_unpin(bo);
		bo->user_pin_domain = 0;
	}
	vvram_gem_unreserve_put(bo);
	return ret;
}

static void vvram_query_mem_regions(struct vvram_device *vdev,
				    struct drm_vvram_query_mem_regions *r)
{
	struct ttm_resource_manager *gtt = ttm_manager_type(&vdev->bdev, TTM_PL_TT);
	struct vvram_buddy_stats_brief stats;

	vvram_vram_mgr_stats(&vdev->vram_mgr, &stats);
	memset(r, 0, sizeof(*r));
	r->vram_total = vdev->params.vram_size;
	r->vram_used = stats.size - stats.avail;
	r->vis_vram_total = vdev->params.visible_size;
	r->vis_vram_used = vvram_vram_mgr_visible_used(&vdev->vram_mgr);
	r->vram_largest_free = stats.largest_free;
	r->vram_chunk_size = vdev->params.chunk_size;
	r->vram_base_offset = vdev->params.base_offset;
	r->gtt_total = vvram_gtt_size(vdev);
	r->gtt_used = ttm_resource_manager_usage(gtt);
	r->evictions = atomic64_read(&vdev->evictions);
	r->vram_scanout = atomic64_read(&vdev->scanout_bytes);
}

static int vvram_query_ioctl(struct drm_device *dev, void *data,
			     struct drm_file *file)
{
	struct drm_vvram_query *args = data;
	struct drm_vvram_query_mem_regions regions;

	if (args->reserved || args->query != VVRAM_QUERY_MEM_REGIONS)
		return -EINVAL;
	if (!args->size) {
		args->size = sizeof(regions);
		return 0;
	}
	if (args->size != sizeof(regions))
		return -EINVAL;

	vvram_query_mem_regions(to_vvram(dev), &regions);
	if (copy_to_user(u64_to_user_ptr(args->data), &regions, sizeof(regions)))
		return -EFAULT;
	return 0;
}

const struct drm_ioctl_desc vvram_ioctls[VVRAM_NUM_IOCTLS] = {
	DRM_IOCTL_DEF_DRV(VVRAM_GEM_CREATE, vvram_gem_create_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(VVRAM_GEM_MMAP_OFFSET, vvram_gem_mmap_offset_ioctl,
			  DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(VVRAM_GEM_INFO, vvram_gem_info_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(VVRAM_GEM_MIGRATE, vvram_gem_migrate_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(VVRAM_GEM_PIN, vvram_gem_pin_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(VVRAM_QUERY, vvram_query_ioctl, DRM_RENDER_ALLOW),
};

static_assert(DRM_VVRAM_QUERY + 1 == VVRAM_NUM_IOCTLS);
