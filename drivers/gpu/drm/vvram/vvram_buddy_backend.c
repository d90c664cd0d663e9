// SPDX-License-Identifier: GPL-2.0
/**
 * DOC: buddy backends
 *
 * The VRAM manager runs on one of two buddy allocators with the same
 * shape of API: this project's vvram_buddy (``allocator=vvram``, the
 * default) or the running kernel's own (``allocator=kernel``), reached
 * through the shim of <linux/vvram_kbuddy.h>. Only this file knows the
 * difference; the manager calls through &struct vvram_buddy_backend.
 */

#include <linux/slab.h>
#include <linux/vvram_buddy.h>
#include <linux/vvram_kbuddy.h>

#include <drm/drm_buddy.h>
#include <drm/drm_print.h>

#include "vvram_drv.h"

/* vvram_buddy */

/* Emulated VRAM starts zeroed. */
static int vvram_backend_init(void **mm, u64 size, u64 chunk_size)
{
	int ret = vvram_buddy_op_init(mm, size, chunk_size);

	if (!ret)
		vvram_buddy_reset_clear(*mm, true);
	return ret;
}

static void vvram_backend_block_range(void *mm, struct list_head *link,
				      u64 *offset, u64 *size)
{
	struct vvram_buddy_block *block =
		list_entry(link, struct vvram_buddy_block, link);

	*offset = vvram_buddy_block_offset(block);
	*size = vvram_buddy_block_size(mm, block);
}

static bool vvram_backend_block_is_clear(struct list_head *link)
{
	return vvram_buddy_block_is_clear(list_entry(link,
						     struct vvram_buddy_block,
						     link));
}

static void vvram_backend_stats(void *mm, struct vvram_buddy_stats_brief *stats)
{
	struct vvram_buddy *vmm = mm;

	stats->size = vmm->size;
	stats->avail = vmm->avail;
	stats->clear_avail = vmm->clear_avail;
	stats->largest_free = vvram_buddy_largest_free(vmm);
}

static void vvram_backend_emit(void *arg, const char *line)
{
	drm_printf(arg, "%s\n", line);
}

static void vvram_backend_dump(void *mm, struct drm_printer *p)
{
	vvram_buddy_dump(mm, vvram_backend_emit, p);
}

const struct vvram_buddy_backend vvram_buddy_backend_vvram = {
	.name		= "vvram",
	.init		= vvram_backend_init,
	.fini		= vvram_buddy_op_fini,
	.alloc		= vvram_buddy_op_alloc,
	.free_list	= vvram_buddy_op_free_list,
	.block_range	= vvram_backend_block_range,
	.block_is_clear	= vvram_backend_block_is_clear,
	.stats		= vvram_backend_stats,
	.dump		= vvram_backend_dump,
};

/* The running kernel's buddy allocator */

/* Emulated VRAM starts zeroed. */
static int kernel_backend_init(void **mm, u64 size, u64 chunk_size)
{
	int ret = kbuddy_op_init(mm, size, chunk_size);

	if (!ret)
		kbuddy_reset_clear(*mm, true);
	return ret;
}

static void kernel_backend_block_range(void *mm, struct list_head *link,
				       u64 *offset, u64 *size)
{
	struct kbuddy_block *block = kbuddy_link_block(link);

	*offset = kbuddy_block_offset(block);
	*size = kbuddy_block_size(mm, block);
}

static bool kernel_backend_block_is_clear(struct list_head *link)
{
	return kbuddy_block_is_clear(kbuddy_link_block(link));
}

/*
 * The kernel allocator has no query for its largest free range; report
 * its largest free block instead.
 */
static u64 kernel_backend_largest_free(struct kbuddy *mm)
{
	int order = kbuddy_largest_free_order(mm);

	return order < 0 ? 0 : mm->chunk_size << order;
}

static void kernel_backend_stats(void *mm, struct vvram_buddy_stats_brief *stats)
{
	struct kbuddy *kmm = mm;

	stats->size = kmm->size;
	stats->avail = kmm->avail;
	stats->clear_avail = kbuddy_clear_avail(kmm);
	stats->largest_free = kernel_backend_largest_free(kmm);
}

static void kernel_backend_dump(void *mm, struct drm_printer *p)
{
	drm_printf(p, "allocator: %s (largest free is a block, not a range)\n",
		   KBUDDY_NAME);
	drm_buddy_print(mm, p);
}

const struct vvram_buddy_backend vvram_buddy_backend_kernel = {
	.name		= "kernel",
	.init		= kernel_backend_init,
	.fini		= kbuddy_op_fini,
	.alloc		= kbuddy_op_alloc,
	.free_list	= kbuddy_op_free_list,
	.block_range	= kernel_backend_block_range,
	.block_is_clear	= kernel_backend_block_is_clear,
	.stats		= kernel_backend_stats,
	.dump		= kernel_backend_dump,
};
