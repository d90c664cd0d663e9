// SPDX-License-Identifier: MIT
/*
 * Buffer objects: create, map, info, migrate, pin, share, close.
 * Thin wrappers over the ioctls of <drm/vvram_drm.h>; the one with logic
 * is vvram_bo_info(), which runs the two-call block list protocol.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <xf86drm.h>

#include "vvram.h"

/* Every failure leaves the errno in errno too, as vvram.h promises. */
static int fail(int ret)
{
	errno = -ret;
	return ret;
}

int vvram_bo_create(int fd, const struct vvram_bo_params *params,
		    uint32_t *handle)
{
	struct drm_vvram_gem_create create = {
		.size = params->size_bytes,
		.alignment = params->alignment_bytes,
		.domains = params->domains,
		.flags = params->flags,
	};
	int ret;

	ret = vvram_ioctl(fd, DRM_IOCTL_VVRAM_GEM_CREATE, &create);
	if (ret)
		return ret;
	*handle = create.handle;
	return 0;
}

int vvram_bo_close(int fd, uint32_t handle)
{
	struct drm_gem_close close_args = { .handle = handle };

	return vvram_ioctl(fd, DRM_IOCTL_GEM_CLOSE, &close_args);
}

int vvram_bo_mmap_offset(int fd, uint32_t handle, uint64_t *offset)
{
	struct drm_vvram_gem_mmap_offset args = { .handle = handle };
	int ret = vvram_ioctl(fd, DRM_IOCTL_VVRAM_GEM_MMAP_OFFSET, &args);

	if (!ret)
		*offset = args.offset;
	return ret;
}

int vvram_bo_mmap(int fd, uint32_t handle, uint64_t size_bytes, int prot,
		  void **ptr)
{
	uint64_t offset;
	void *map;
	int ret;

	if (!size_bytes || size_bytes > SIZE_MAX)
		return fail(-EINVAL);
	ret = vvram_bo_mmap_offset(fd, handle, &offset);
	if (ret)
		return ret;
	map = mmap(NULL, size_bytes, prot, MAP_SHARED, fd, (off_t)offset);
	if (map == MAP_FAILED)
		return -errno;
	*ptr = map;
	return 0;
}

static int info_ioctl(int fd, uint32_t handle, struct drm_vvram_gem_block *blocks,
		      uint32_t capacity, struct drm_vvram_gem_info *args)
{
	memset(args, 0, sizeof(*args));
	args->handle = handle;
	args->num_blocks = capacity;
	args->blocks_ptr = (uintptr_t)blocks;
	return vvram_ioctl(fd, DRM_IOCTL_VVRAM_GEM_INFO, args);
}

int vvram_bo_info(int fd, uint32_t handle, struct vvram_bo_info *info)
{
	struct drm_vvram_gem_block *blocks = NULL;
	struct drm_vvram_gem_info args;
	uint32_t capacity = 0, i;
	int ret, tries;

	memset(info, 0, sizeof(*info));
	/*
	 * The BO can be evicted or migrated between the calls, which changes
	 * its block count: retry until one call saw a list that fit. Each
	 * retry follows a real move, so a few are plenty.
	 */
	for (tries = 0; tries < 16; tries++) {
		ret = info_ioctl(fd, handle, blocks, capacity, &args);
		if (ret)
			goto out;
		if (args.num_blocks <= capacity)
			break;
		capacity = args.num_blocks;
		free(blocks);
		blocks = calloc(capacity, sizeof(*blocks));
		if (!blocks) {
			ret = -ENOMEM;
			goto out;
		}
	}
	if (tries == 16) {
		ret = -EAGAIN;
		goto out;
	}

	info->size_bytes = args.size;
	info->domain = args.domain;
	info->allowed_domains = args.allowed_domains;
	info->create_flags = args.create_flags;
	info->flags = args.flags;
	info->address = args.dev_addr;
	info->block_count = args.num_blocks;
	if (args.num_blocks) {
		info->blocks = calloc(args.num_blocks, sizeof(*info->blocks));
		if (!info->blocks) {
			ret = -ENOMEM;
			goto out;
		}
		for (i = 0; i < args.num_blocks; i++) {
			info->blocks[i].address = blocks[i].dev_addr;
			info->blocks[i].size_bytes = blocks[i].size;
		}
	}
out:
	free(blocks);
	return ret ? fail(ret) : 0;
}

void vvram_bo_info_fini(struct vvram_bo_info *info)
{
	free(info->blocks);
	info->blocks = NULL;
	info->block_count = 0;
}

int vvram_bo_migrate(int fd, uint32_t handle, uint32_t domain)
{
	struct drm_vvram_gem_migrate args = {
		.handle = handle,
		.domain = domain,
	};

	return vvram_ioctl(fd, DRM_IOCTL_VVRAM_GEM_MIGRATE, &args);
}

int vvram_bo_pin(int fd, uint32_t handle, uint32_t domain)
{
	struct drm_vvram_gem_pin args = {
		.handle = handle,
		.domain = domain,
	};

	return vvram_ioctl(fd, DRM_IOCTL_VVRAM_GEM_PIN, &args);
}

int vvram_bo_unpin(int fd, uint32_t handle)
{
	struct drm_vvram_gem_pin args = {
		.handle = handle,
		.flags = VVRAM_GEM_PIN_UNPIN,
	};

	return vvram_ioctl(fd, DRM_IOCTL_VVRAM_GEM_PIN, &args);
}

int vvram_bo_flink(int fd, uint32_t handle, uint32_t *name)
{
	struct drm_gem_flink args = { .handle = handle };
	int ret = vvram_ioctl(fd, DRM_IOCTL_GEM_FLINK, &args);

	if (!ret)
		*name = args.name;
	return ret;
}

int vvram_bo_open_name(int fd, uint32_t name, uint32_t *handle,
		       uint64_t *size_bytes)
{
	struct drm_gem_open args = { .name = name };
	int ret;

	ret = vvram_ioctl(fd, DRM_IOCTL_GEM_OPEN, &args);
	if (ret)
		return ret;
	*handle = args.handle;
	if (size_bytes)
		*size_bytes = args.size;
	return 0;
}

int vvram_query_memory(int fd, struct vvram_memory *mem)
{
	struct drm_vvram_query_mem_regions regions;
	struct drm_vvram_query query = {
		.query = VVRAM_QUERY_MEM_REGIONS,
	};
	int ret;

	/*
	 * Zeroed first: the kernel writes the reply through a pointer inside
	 * the ioctl struct, which tools such as valgrind cannot see.
	 */
	memset(&regions, 0, sizeof(regions));
	/* First call: the kernel says how big its reply is. */
	ret = vvram_ioctl(fd, DRM_IOCTL_VVRAM_QUERY, &query);
	if (ret)
		return ret;
	/*
	 * A newer kernel may send a longer reply (the struct grows at its
	 * end); this library reads the fields it knows. A shorter one is a
	 * kernel this library does not understand.
	 */
	if (query.size < sizeof(regions))
		return fail(-EPROTO);
	if (query.size > sizeof(regions)) {
		void *reply = calloc(1, query.size);

		if (!reply)
			return fail(-ENOMEM);
		query.data = (uintptr_t)reply;
		ret = vvram_ioctl(fd, DRM_IOCTL_VVRAM_QUERY, &query);
		memcpy(&regions, reply, sizeof(regions));
		free(reply);
	} else {
		query.data = (uintptr_t)&regions;
		ret = vvram_ioctl(fd, DRM_IOCTL_VVRAM_QUERY, &query);
	}
	if (ret)
		return ret;

	mem->vram_total_bytes = regions.vram_total;
	mem->vram_used_bytes = regions.vram_used;
	mem->visible_total_bytes = regions.vis_vram_total;
	mem->visible_used_bytes = regions.vis_vram_used;
	mem->largest_free_bytes = regions.vram_largest_free;
	mem->chunk_size_bytes = regions.vram_chunk_size;
	mem->base_offset = regions.vram_base_offset;
	mem->gtt_total_bytes = regions.gtt_total;
	mem->gtt_used_bytes = regions.gtt_used;
	mem->evictions = regions.evictions;
	mem->scanout_bytes = regions.vram_scanout;
	return 0;
}
