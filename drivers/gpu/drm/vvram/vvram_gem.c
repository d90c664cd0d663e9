// SPDX-License-Identifier: GPL-2.0
/**
 * DOC: GEM objects
 *
 * A vvram BO is a TTM BO whose embedded GEM object is what userspace
 * handles name. The GEM reference count owns one TTM reference; mmap()ed
 * ranges hold TTM references of their own.
 *
 * Placement follows the domains given at creation, in the order VRAM,
 * GTT, CPU; VRAM is left out of a BO that can never fit it, because TTM
 * stops at the first place whose manager fails other than with -ENOSPC.
 *
 * CPU faults on a VRAM BO outside the visible window migrate the BO into
 * the window (or to GTT when the window is full), as amdgpu does: a
 * program that maps a BO keeps working whatever eviction did, and it is
 * what real discrete GPUs do. Only a BO pinned outside the window cannot
 * move; touching its mapping raises SIGBUS.
 *
 * Pins: vvram_bo_pin() counts every pin (user pin, kernel mapping, PRIME
 * attachment, scanout) in TTM's pin count, and the VRAM the pinned BOs
 * hold; a pinned BO is never evicted or moved.
 *
 * PRIME: export uses the GEM helpers; attaching pins the BO where it is
 * (its pages are RAM wherever it is). Import of our own dma-buf returns
 * the same object; a foreign dma-buf (vgem) becomes an sg BO in GTT whose
 * mmap() is forwarded to the exporter.
 *
 * Unplug (vvram_remove()): DRM zaps every CPU mapping of the device, and
 * faults from then on map a dummy zeroed page instead of the BO, as on a
 * real GPU whose VRAM left with it; a mapping stays valid, without SIGBUS,
 * until it is unmapped. New mmap()s, through the device or a dma-buf of
 * it, fail with -ENODEV.
 */

#include <linux/dma-buf.h>
#include <linux/mm.h>
#include <linux/vmalloc.h>

#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem_ttm_helper.h>
#include <drm/drm_prime.h>
#include <drm/drm_print.h>
#include <drm/ttm/ttm_tt.h>

#include <uapi/drm/vvram_drm.h>

#include "vvram_drv.h"

/* The UAPI domain of a TTM memory type: one VVRAM_GEM_DOMAIN_* bit. */
static u32 vvram_mem_type_to_domain(u32 mem_type)
{
	switch (mem_type) {
	case TTM_PL_VRAM:
		return VVRAM_GEM_DOMAIN_VRAM;
	case TTM_PL_TT:
		return VVRAM_GEM_DOMAIN_GTT;
	default:
		return VVRAM_GEM_DOMAIN_CPU;
	}
}

/**
 * vvram_bo_domain - the domain a BO is in now
 * @bo: the BO, reserved or otherwise stable
 *
 * Return: one VVRAM_GEM_DOMAIN_* bit.
 */
u32 vvram_bo_domain(struct vvram_bo *bo)
{
	struct ttm_resource *res = bo->tbo.resource;

	return vvram_mem_type_to_domain(res ? res->mem_type : TTM_PL_SYSTEM);
}

static u64 vvram_bo_alignment(struct vvram_bo *bo)
{
	return (u64)bo->tbo.page_alignment << PAGE_SHIFT;
}

/**
 * vvram_bo_placement_from_domains - set the placement a BO validates against
 * @bo: the BO
 * @domains: VVRAM_GEM_DOMAIN_* mask, tried in the order VRAM, GTT, CPU
 * @visible_only: restrict VRAM to the CPU-visible window
 *
 * The VRAM place carries the BO's creation flags: contiguous, visible
 * window, top-down. A place is left out when the BO can never fit it:
 * VRAM (or its window) too small, or the BO larger than GTT or than RAM.
 *
 * Return: 0, or -E2BIG when no place is left.
 */
int vvram_bo_placement_from_domains(struct vvram_bo *bo, u32 domains,
				    bool visible_only)
{
	struct vvram_device *vdev = to_vvram(bo->tbo.base.dev);
	u64 visible = vdev->params.visible_size;
	unsigned int n = 0;

	if (bo->create_flags & VVRAM_GEM_CREATE_CPU_ACCESS_REQUIRED)
		visible_only = true;

	if ((domains & VVRAM_GEM_DOMAIN_VRAM) &&
	    vvram_vram_mgr_fits(&vdev->vram_mgr, bo->tbo.base.size, vvram_bo_alignment(bo),
				visible_only ? visible : vdev->params.vram_size)) {
		struct ttm_place *place = &bo->places[n++];

		*place = (struct ttm_place) { .mem_type = TTM_PL_VRAM };
		if (visible_only && visible < vdev->params.vram_size)
			place->lpfn = visible >> PAGE_SHIFT;
		if (bo->create_flags & VVRAM_GEM_CREATE_CONTIGUOUS)
			place->flags |= TTM_PL_FLAG_CONTIGUOUS;
		if (bo->create_flags & VVRAM_GEM_CREATE_NO_CPU_ACCESS)
			place->flags |= TTM_PL_FLAG_TOPDOWN;
	}
	if ((domains & VVRAM_GEM_DOMAIN_GTT) &&
	    bo->tbo.base.size <= vvram_gtt_size(vdev))
		bo->places[n++] = (struct ttm_place) { .mem_type = TTM_PL_TT };
	if ((domains & VVRAM_GEM_DOMAIN_CPU) &&
	    bo->tbo.base.size <= (u64)totalram_pages() << PAGE_SHIFT)
		bo->places[n++] = (struct ttm_place) { .mem_type = TTM_PL_SYSTEM };

	vvram_compat_set_placement(&bo->placement, bo->places, n);
	return n ? 0 : -E2BIG;
}

/**
 * vvram_bo_validate - move a reserved BO into one of some domains
 * @bo: the BO, reserved
 * @domains: VVRAM_GEM_DOMAIN_* mask
 *
 * Return: 0; -E2BIG if the BO can never fit those domains; -ENOSPC if
 * it does not fit now even after eviction (TTM reports -ENOMEM, which
 * vvram turns back); -EINVAL if pinned elsewhere; -ERESTARTSYS.
 */
int vvram_bo_validate(struct vvram_bo *bo, u32 domains)
{
	struct ttm_operation_ctx ctx = { .interruptible = true };
	int ret;

	ret = vvram_bo_placement_from_domains(bo, domains, false);
	if (ret)
		return ret;
	ret = ttm_bo_validate(&bo->tbo, &bo->placement, &ctx);
	return ret == -ENOMEM ? -ENOSPC : ret;
}

static void vvram_bo_destroy(struct ttm_buffer_object *tbo)
{
	if (tbo->base.import_attach)
		drm_prime_gem_destroy(&tbo->base, tbo->sg);
	drm_gem_object_release(&tbo->base);
	kfree(to_vvram_bo(tbo));
}

static int vvram_bo_init(struct vvram_device *vdev, struct vvram_bo *bo,
			 enum ttm_bo_type type, u64 alignment,
			 struct sg_table *sg, struct dma_resv *resv)
{
	struct ttm_operation_ctx ctx = { .interruptible = true };
	int ret;

	bo->tbo.base.funcs = &vvram_gem_funcs;
	bo->tbo.bdev = &vdev->bdev;
	ret = vvram_bo_placement_from_domains(bo, bo->domains, false);
	if (ret) {
		drm_gem_object_release(&bo->tbo.base);
		kfree(bo);
		return ret;
	}

	/* On failure TTM calls vvram_bo_destroy() itself. */
	ret = vvram_compat_bo_init_reserved(&vdev->bdev, &bo->tbo, type,
					    &bo->placement, alignment >> PAGE_SHIFT,
					    &ctx, sg, resv, vvram_bo_destroy);
	return ret == -ENOMEM ? -ENOSPC : ret;
}

/**
 * vvram_bo_create - create a BO, zero-filled, placed per its domains
 * @vdev: the device
 * @size: bytes, page-aligned, not zero
 * @alignment: bytes, 0 or a power of two at least PAGE_SIZE
 * @domains: VVRAM_GEM_DOMAIN_* mask, not zero
 * @flags: VVRAM_GEM_CREATE_* mask, already validated
 * @out: the new BO, holding one GEM reference
 *
 * Return: 0, -E2BIG (never fits the domains), -ENOSPC (no room even after
 * eviction), -ENOMEM, -ERESTARTSYS.
 */
int vvram_bo_create(struct vvram_device *vdev, u64 size, u64 alignment,
		    u32 domains, u32 flags, struct vvram_bo **out)
{
	struct vvram_bo *bo;
	int ret;

	bo = kzalloc(sizeof(*bo), GFP_KERNEL);
	if (!bo)
		return -ENOMEM;
	drm_gem_private_object_init(&vdev->drm, &bo->tbo.base, size);
	bo->domains = domains;
	bo->create_flags = flags;

	ret = vvram_bo_init(vdev, bo, ttm_bo_type_device, alignment, NULL, NULL);
	if (ret)
		return ret;

	ttm_bo_unreserve(&bo->tbo);
	*out = bo;
	return 0;
}

/**
 * vvram_gem_prime_import_sg_table - wrap a foreign dma-buf in a BO
 * @dev: the DRM device
 * @attach: our attachment to the dma-buf
 * @sgt: its mapped pages
 *
 * The BO lives in GTT on the exporter's pages and shares its reservation
 * object; it never moves to VRAM.
 *
 * Return: the GEM object or an ERR_PTR().
 */
struct drm_gem_object *
vvram_gem_prime_import_sg_table(struct drm_device *dev,
				struct dma_buf_attachment *attach,
				struct sg_table *sgt)
{
	struct vvram_device *vdev = to_vvram(dev);
	struct dma_resv *resv = attach->dmabuf->resv;
	struct vvram_bo *bo;
	int ret;

	bo = kzalloc(sizeof(*bo), GFP_KERNEL);
	if (!bo)
		return ERR_PTR(-ENOMEM);
	drm_gem_private_object_init(dev, &bo->tbo.base, attach->dmabuf->size);
	bo->domains = VVRAM_GEM_DOMAIN_GTT;

	dma_resv_lock(resv, NULL);
	ret = vvram_bo_init(vdev, bo, ttm_bo_type_sg, 0, sgt, resv);
	if (ret) {
		dma_resv_unlock(resv);
		return ERR_PTR(ret);
	}
	ttm_bo_unreserve(&bo->tbo);
	return &bo->tbo.base;
}

/**
 * vvram_gem_dumb_create - &drm_driver.dumb_create: a zeroed, CPU-visible BO
 * @file: the DRM file
 * @dev: the DRM device
 * @args: width, height and bpp, checked for overflow by the DRM core
 *
 * Return: 0 or a negative errno from vvram_bo_create().
 */
int vvram_gem_dumb_create(struct drm_file *file, struct drm_device *dev,
			  struct drm_mode_create_dumb *args)
{
	struct vvram_bo *bo;
	int ret;

	args->pitch = args->width * DIV_ROUND_UP(args->bpp, 8);
	args->size = PAGE_ALIGN((u64)args->pitch * args->height);

	ret = vvram_bo_create(to_vvram(dev), args->size, 0,
			      VVRAM_GEM_DOMAIN_VRAM | VVRAM_GEM_DOMAIN_GTT,
			      VVRAM_GEM_CREATE_CPU_ACCESS_REQUIRED, &bo);
	if (ret)
		return ret;

	ret = drm_gem_handle_create(file, &bo->tbo.base, &args->handle);
	drm_gem_object_put(&bo->tbo.base);
	return ret;
}

/**
 * vvram_bo_pin - pin a BO where it is
 * @bo: the BO, reserved
 *
 * ttm_bo_pin(), and the first pin of a BO in VRAM adds its size to the
 * VRAM that pinned BOs hold, which vvram_bo_check_scanout_room() reads.
 */
void vvram_bo_pin(struct vvram_bo *bo)
{
	struct ttm_buffer_object *tbo = &bo->tbo;

	if (!tbo->pin_count && tbo->resource->mem_type == TTM_PL_VRAM)
		atomic64_add(tbo->base.size,
			     &to_vvram(tbo->base.dev)->vram_pinned_bytes);
	ttm_bo_pin(tbo);
}

/**
 * vvram_bo_unpin - drop a pin taken by vvram_bo_pin()
 * @bo: the BO, reserved
 */
void vvram_bo_unpin(struct vvram_bo *bo)
{
	struct ttm_buffer_object *tbo = &bo->tbo;

	ttm_bo_unpin(tbo);
	if (!tbo->pin_count && tbo->resource->mem_type == TTM_PL_VRAM)
		atomic64_sub(tbo->base.size,
			     &to_vvram(tbo->base.dev)->vram_pinned_bytes);
}

static void vvram_gem_free(struct drm_gem_object *obj)
{
	struct vvram_bo *bo = gem_to_vvram_bo(obj);

	if (bo->user_pin_domain) {
		dma_resv_lock(obj->resv, NULL);
		vvram_bo_unpin(bo);
		bo->user_pin_domain = 0;
		dma_resv_unlock(obj->resv);
	}
	ttm_bo_put(&bo->tbo);
}

/*
 * A VRAM BO outside the visible window moves into it, or to GTT, before
 * the fault maps it. Called with the reservation lock held.
 */
static vm_fault_t vvram_bo_fault_make_visible(struct vvram_bo *bo)
{
	struct ttm_operation_ctx ctx = { .interruptible = false };
	struct ttm_resource *res = bo->tbo.resource;
	int ret;

	if (res->mem_type != TTM_PL_VRAM || vvram_vram_res_is_visible(res))
		return 0;
	if (bo->tbo.pin_count)
		return VM_FAULT_SIGBUS;

	vvram_bo_placement_from_domains(bo, VVRAM_GEM_DOMAIN_VRAM |
					VVRAM_GEM_DOMAIN_GTT, true);
	ret = ttm_bo_validate(&bo->tbo, &bo->placement, &ctx);
	if (ret == -EBUSY || ret == -ERESTARTSYS)
		return VM_FAULT_NOPAGE;
	if (ret)
		return VM_FAULT_SIGBUS;
	return 0;
}

static vm_fault_t vvram_gem_fault(struct vm_fault *vmf)
{
	struct ttm_buffer_object *tbo = vmf->vma->vm_private_data;
	vm_fault_t ret;
	int idx;

	ret = ttm_bo_vm_reserve(tbo, vmf);
	if (ret)
		return ret;

	if (drm_dev_enter(tbo->base.dev, &idx)) {
		ret = vvram_bo_fault_make_visible(to_vvram_bo(tbo));
		if (!ret)
			ret = ttm_bo_vm_fault_reserved(vmf, vmf->vma->vm_page_prot,
						       TTM_BO_VM_NUM_PREFAULT);
		drm_dev_exit(idx);
	} else {
		ret = ttm_bo_vm_dummy_page(vmf, vmf->vma->vm_page_prot);
	}
	if (ret == VM_FAULT_RETRY && !(vmf->flags & FAULT_FLAG_RETRY_NOWAIT))
		return ret;

	dma_resv_unlock(tbo->base.resv);
	return ret;
}

static const struct vm_operations_struct vvram_gem_vm_ops = {
	.fault	= vvram_gem_fault,
	.open	= ttm_bo_vm_open,
	.close	= ttm_bo_vm_close,
	.access	= ttm_bo_vm_access,
};

static int vvram_gem_mmap(struct drm_gem_object *obj, struct vm_area_struct *vma)
{
	struct vvram_bo *bo = gem_to_vvram_bo(obj);
	int ret;

	if (drm_dev_is_unplugged(obj->dev))
		return -ENODEV;
	if (obj->import_attach) {
		/* The exporter maps its own pages. */
		vma->vm_private_data = NULL;
		vma->vm_ops = NULL;
		ret = dma_buf_mmap(obj->import_attach->dmabuf, vma, 0);
		if (!ret)
			drm_gem_object_put(obj);
		return ret;
	}
	if (bo->create_flags & VVRAM_GEM_CREATE_NO_CPU_ACCESS)
		return -EPERM;
	return drm_gem_ttm_mmap(obj, vma);
}

/*
 * The pages backing a BO, wherever it is, as a kvmalloc()ed array; the BO
 * is reserved and pinned or otherwise kept in place.
 */
static struct page **vvram_bo_pages(struct vvram_bo *bo)
{
	struct vvram_device *vdev = to_vvram(bo->tbo.base.dev);
	struct ttm_buffer_object *tbo = &bo->tbo;
	pgoff_t i, num_pages = PFN_UP(tbo->base.size);
	struct ttm_operation_ctx ctx = { .interruptible = false };
	struct vvram_vram_cursor cur;
	struct page **pages;
	int ret;

	pages = kvmalloc_array(num_pages, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return ERR_PTR(-ENOMEM);

	if (tbo->resource->mem_type == TTM_PL_VRAM) {
		vvram_vram_cursor_first(&cur, &vdev->vram_mgr, tbo->resource, 0);
		for (i = 0; i < num_pages; i++) {
			pages[i] = pfn_to_page(vvram_vram_pfn(vdev, cur.offset));
			vvram_vram_cursor_next(&cur, PAGE_SIZE);
		}
		return pages;
	}

	ret = tbo->ttm ? ttm_tt_populate(tbo->bdev, tbo->ttm, &ctx) : -EINVAL;
	if (ret) {
		kvfree(pages);
		return ERR_PTR(ret);
	}
	memcpy(pages, tbo->ttm->pages, num_pages * sizeof(*pages));
	return pages;
}

static int vvram_gem_vmap(struct drm_gem_object *obj, struct iosys_map *map)
{
	struct vvram_bo *bo = gem_to_vvram_bo(obj);
	struct page **pages;
	int ret = 0;

	vvram_compat_gem_lock(obj);
	if (!bo->vmap_count) {
		vvram_bo_pin(bo);
		pages = vvram_bo_pages(bo);
		if (IS_ERR(pages)) {
			vvram_bo_unpin(bo);
			ret = PTR_ERR(pages);
			goto out;
		}
		bo->vmap_addr = vmap(pages, PFN_UP(obj->size), VM_MAP, PAGE_KERNEL);
		kvfree(pages);
		if (!bo->vmap_addr) {
			vvram_bo_unpin(bo);
			ret = -ENOMEM;
			goto out;
		}
	}
	bo->vmap_count++;
	iosys_map_set_vaddr(map, bo->vmap_addr);
out:
	vvram_compat_gem_unlock(obj);
	return ret;
}

static void vvram_gem_vunmap(struct drm_gem_object *obj, struct iosys_map *map)
{
	struct vvram_bo *bo = gem_to_vvram_bo(obj);

	vvram_compat_gem_lock(obj);
	if (!--bo->vmap_count) {
		vunmap(bo->vmap_addr);
		bo->vmap_addr = NULL;
		vvram_bo_unpin(bo);
	}
	vvram_compat_gem_unlock(obj);
}

static int vvram_gem_pin(struct drm_gem_object *obj)
{
	struct vvram_bo *bo = gem_to_vvram_bo(obj);
	struct ttm_operation_ctx ctx = { .interruptible = true };
	int ret = 0;

	vvram_compat_gem_lock(obj);
	/* Importers need pages: a BO in SYSTEM gets them populated. */
	if (bo->tbo.resource->mem_type != TTM_PL_VRAM)
		ret = ttm_tt_populate(bo->tbo.bdev, bo->tbo.ttm, &ctx);
	if (!ret)
		vvram_bo_pin(bo);
	vvram_compat_gem_unlock(obj);
	return ret;
}

static void vvram_gem_unpin(struct drm_gem_object *obj)
{
	vvram_compat_gem_lock(obj);
	vvram_bo_unpin(gem_to_vvram_bo(obj));
	vvram_compat_gem_unlock(obj);
}

static struct sg_table *vvram_gem_get_sg_table(struct drm_gem_object *obj)
{
	struct vvram_bo *bo = gem_to_vvram_bo(obj);
	struct sg_table *sgt;
	struct page **pages;

	pages = vvram_bo_pages(bo);
	if (IS_ERR(pages))
		return ERR_CAST(pages);
	sgt = drm_prime_pages_to_sg(obj->dev, pages, PFN_UP(obj->size));
	kvfree(pages);
	return sgt;
}

const struct drm_gem_object_funcs vvram_gem_funcs = {
	.free		= vvram_gem_free,
	.pin		= vvram_gem_pin,
	.unpin		= vvram_gem_unpin,
	.get_sg_table	= vvram_gem_get_sg_table,
	.vmap		= vvram_gem_vmap,
	.vunmap		= vvram_gem_vunmap,
	.mmap		= vvram_gem_mmap,
	.print_info	= drm_gem_ttm_print_info,
	.vm_ops		= &vvram_gem_vm_ops,
};

/**
 * vvram_bo_check_scanout - whether a BO can ever be scanned out
 * @bo: the BO
 *
 * The display reads only from VRAM: the BO must be allowed there, and fit
 * it, contiguously when ``scanout_contiguous`` is on. Nothing is locked:
 * the answer depends only on what the BO was created with.
 *
 * Return: 0; -EINVAL if the BO may not be placed in VRAM (created without
 * the VRAM domain, or imported); -E2BIG if it can never fit.
 */
int vvram_bo_check_scanout(struct vvram_bo *bo)
{
	struct vvram_device *vdev = to_vvram(bo->tbo.base.dev);
	bool visible = bo->create_flags & VVRAM_GEM_CREATE_CPU_ACCESS_REQUIRED;

	if (!(bo->domains & VVRAM_GEM_DOMAIN_VRAM) || bo->tbo.base.import_attach)
		return -EINVAL;
	if (!vvram_vram_mgr_fits(&vdev->vram_mgr, bo->tbo.base.size, vvram_bo_alignment(bo),
				 visible ? vdev->params.visible_size :
					   vdev->params.vram_size))
		return -E2BIG;
	return 0;
}

/**
 * vvram_bo_check_scanout_room - whether VRAM has room to scan BOs out now
 * @bos: the distinct BOs of a framebuffer, each of which passed
 *	vvram_bo_check_scanout()
 * @count: entries of @bos
 *
 * What atomic_check can know without placing anything, so that TEST_ONLY
 * commits see what is certain to fail: a BO already pinned in VRAM has its
 * room; the others together need their sizes of VRAM free of pinned BOs
 * (evictable ones would make way). Whether the room is in the CPU-visible
 * window and contiguous, as a BO may need, is known only when placing, in
 * vvram_bo_pin_scanout().
 *
 * Context: process context; takes each BO's reservation lock in turn.
 * Return: 0; -ENOSPC if the pinned BOs leave too little VRAM; -EINTR if
 * interrupted.
 */
int vvram_bo_check_scanout_room(struct vvram_bo *const *bos, unsigned int count)
{
	struct vvram_device *vdev;
	bool pinned_in_vram;
	u64 need = 0;
	unsigned int i;
	int ret;

	for (i = 0; i < count; i++) {
		ret = dma_resv_lock_interruptible(bos[i]->tbo.base.resv, NULL);
		if (ret)
			return ret;
		pinned_in_vram = bos[i]->tbo.pin_count &&
				 bos[i]->tbo.resource->mem_type == TTM_PL_VRAM;
		dma_resv_unlock(bos[i]->tbo.base.resv);
		if (!pinned_in_vram)
			need += bos[i]->tbo.base.size;
	}
	if (!need)
		return 0;
	vdev = to_vvram(bos[0]->tbo.base.dev);
	/* The other pins may change before the commit: an estimate. */
	if (atomic64_read(&vdev->vram_pinned_bytes) + need > vdev->params.vram_size)
		return -ENOSPC;
	return 0;
}

/*
 * @bo's placement for scanout: VRAM only, contiguous and top-down as
 * asked, and at page @fpfn or above.
 */
static int scanout_placement(struct vvram_bo *bo, bool contiguous,
			     bool top_down, u32 fpfn)
{
	int ret = vvram_bo_placement_from_domains(bo, VVRAM_GEM_DOMAIN_VRAM, false);
	unsigned int i;

	for (i = 0; !ret && i < bo->placement.num_placement; i++) {
		if (contiguous)
			bo->places[i].flags |= TTM_PL_FLAG_CONTIGUOUS;
		if (top_down)
			bo->places[i].flags |= TTM_PL_FLAG_TOPDOWN;
		bo->places[i].fpfn = max(bo->places[i].fpfn, fpfn);
	}
	return ret;
}

/**
 * vvram_bo_pin_scanout - pin a BO into VRAM for the display to read
 * @bo: the BO, not reserved
 * @top_down: place it at the top of VRAM (cursors)
 *
 * Moves the BO into VRAM if it is elsewhere, evicting unpinned BOs to make
 * room, in one contiguous range when ``scanout_contiguous`` is on, then
 * pins it. A BO already pinned can only be scanned out where it is, if
 * that is VRAM (contiguous when required). Each successful call must be
 * balanced by vvram_bo_unpin_scanout().
 *
 * Context: process context; takes the BO's reservation lock.
 * Return: 0; -EINVAL or -E2BIG as vvram_bo_check_scanout(); -EBUSY if the
 * BO is pinned outside VRAM or non-contiguously; -ENOSPC if it does not
 * fit even after eviction; -ERESTARTSYS if interrupted.
 */
int vvram_bo_pin_scanout(struct vvram_bo *bo, bool top_down)
{
	struct vvram_device *vdev = to_vvram(bo->tbo.base.dev);
	struct ttm_operation_ctx ctx = { .interruptible = true };
	bool contiguous = vdev->params.scanout_contiguous;
	struct ttm_buffer_object *tbo = &bo->tbo;
	struct ttm_resource *res;
	int ret;

	ret = vvram_bo_check_scanout(bo);
	if (ret)
		return ret;
	ret = ttm_bo_reserve(tbo, true, false, NULL);
	if (ret)
		return ret;

	if (tbo->pin_count) {
		res = tbo->resource;
		if (res->mem_type != TTM_PL_VRAM ||
		    (contiguous && !vvram_vram_res_is_contiguous(res)))
			ret = -EBUSY;
		goto pin;
	}

	res = tbo->resource;
	/*
	 * A cursor already in VRAM but placed bottom-up moves up: a window
	 * above its blocks is not compatible with where it is. If there is
	 * no room up there, it is scanned out where it is.
	 */
	if (top_down && res->mem_type == TTM_PL_VRAM &&
	    !(res->placement & TTM_PL_FLAG_TOPDOWN)) {
		ret = scanout_placement(bo, contiguous, true,
					res->start + PFN_UP(vvram_compat_res_size(res)));
		if (!ret)
			ret = ttm_bo_validate(tbo, &bo->placement, &ctx);
		if (!ret)
			goto pin;
		if (ret == -ERESTARTSYS)
			goto out;
	}
	ret = scanout_placement(bo, contiguous, top_down, 0);
	if (ret)
		goto out;
	ret = ttm_bo_validate(tbo, &bo->placement, &ctx);
	if (ret == -ENOMEM)
		ret = -ENOSPC;
pin:
	if (!ret) {
		vvram_bo_pin(bo);
		if (!bo->scanout_pins++)
			atomic64_add(tbo->base.size, &vdev->scanout_bytes);
	}
out:
	ttm_bo_unreserve(tbo);
	return ret;
}

/**
 * vvram_bo_unpin_scanout - drop a pin taken by vvram_bo_pin_scanout()
 * @bo: the BO, not reserved
 *
 * Context: process context; takes the BO's reservation lock.
 */
void vvram_bo_unpin_scanout(struct vvram_bo *bo)
{
	ttm_bo_reserve(&bo->tbo, false, false, NULL);
	if (!WARN_ON(!bo->scanout_pins)) {
		if (!--bo->scanout_pins)
			atomic64_sub(bo->tbo.base.size,
				     &to_vvram(bo->tbo.base.dev)->scanout_bytes);
		vvram_bo_unpin(bo);
	}
	ttm_bo_unreserve(&bo->tbo);
}
