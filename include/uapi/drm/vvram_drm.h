/* SPDX-License-Identifier: MIT */
/*
 * Copyright (c) 2026 The vvram authors
 */
#ifndef _UAPI_VVRAM_DRM_H_
#define _UAPI_VVRAM_DRM_H_

#include "drm.h"

#if defined(__cplusplus)
extern "C" {
#endif

/**
 * DOC: vvram UAPI overview
 *
 * vvram is a virtual DRM device with emulated VRAM. Buffer objects (BOs)
 * live in one of three memory domains:
 *
 * - %VVRAM_GEM_DOMAIN_VRAM: the emulated device memory, managed by a buddy
 *   allocator in chunks of the module parameter ``chunk_size``. Its first
 *   ``visible_size`` bytes form the CPU-visible window, like a PCI BAR.
 * - %VVRAM_GEM_DOMAIN_GTT: system pages that the device could reach through
 *   its (emulated) GART.
 * - %VVRAM_GEM_DOMAIN_CPU: system pages the device cannot reach; where
 *   BOs evicted from VRAM may end up, and a migration target.
 *
 * Conventions, as in amdgpu and xe:
 *
 * - sizes, offsets and user pointers are __u64, structs are padded
 *   explicitly to a multiple of 8 bytes;
 * - every pad and reserved field must be zero on input, and every flag
 *   not defined here is rejected with -EINVAL, so the structs can grow;
 * - errnos: -EINVAL for bad arguments, -ENOENT for a handle that does not
 *   name a BO of this file, -E2BIG when a request can never fit (bigger
 *   than the domain), -ENOSPC when it does not fit now even after
 *   eviction, -EFAULT for a bad user pointer, -EOVERFLOW when a size
 *   overflows once rounded up, -EBUSY for an operation a pin forbids,
 *   -EPERM for CPU mapping of a %VVRAM_GEM_CREATE_NO_CPU_ACCESS BO.
 *
 * Every ioctl is allowed on the render node.
 *
 * Memory returned to userspace is always zeroed: a new BO never shows
 * data another BO left behind. Dumb buffers, PRIME export/import, GEM
 * close and flink use the generic DRM ioctls.
 */

#define DRM_VVRAM_GEM_CREATE		0x00
#define DRM_VVRAM_GEM_MMAP_OFFSET	0x01
#define DRM_VVRAM_GEM_INFO		0x02
#define DRM_VVRAM_GEM_MIGRATE		0x03
#define DRM_VVRAM_GEM_PIN		0x04
#define DRM_VVRAM_QUERY			0x05

#define DRM_IOCTL_VVRAM_GEM_CREATE \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_VVRAM_GEM_CREATE, struct drm_vvram_gem_create)
#define DRM_IOCTL_VVRAM_GEM_MMAP_OFFSET \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_VVRAM_GEM_MMAP_OFFSET, struct drm_vvram_gem_mmap_offset)
#define DRM_IOCTL_VVRAM_GEM_INFO \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_VVRAM_GEM_INFO, struct drm_vvram_gem_info)
#define DRM_IOCTL_VVRAM_GEM_MIGRATE \
	DRM_IOW(DRM_COMMAND_BASE + DRM_VVRAM_GEM_MIGRATE, struct drm_vvram_gem_migrate)
#define DRM_IOCTL_VVRAM_GEM_PIN \
	DRM_IOW(DRM_COMMAND_BASE + DRM_VVRAM_GEM_PIN, struct drm_vvram_gem_pin)
#define DRM_IOCTL_VVRAM_QUERY \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_VVRAM_QUERY, struct drm_vvram_query)

/* Memory domains: bit masks for creation, single bits for placement. */
#define VVRAM_GEM_DOMAIN_VRAM		(1 << 0)
#define VVRAM_GEM_DOMAIN_GTT		(1 << 1)
#define VVRAM_GEM_DOMAIN_CPU		(1 << 2)

/* Flags of struct drm_vvram_gem_create */
#define VVRAM_GEM_CREATE_CONTIGUOUS		(1 << 0)
#define VVRAM_GEM_CREATE_CPU_ACCESS_REQUIRED	(1 << 1)
#define VVRAM_GEM_CREATE_NO_CPU_ACCESS		(1 << 2)

/**
 * struct drm_vvram_gem_create - create a BO (%DRM_IOCTL_VVRAM_GEM_CREATE)
 *
 * The BO is placed at once in the first domain of @domains that has
 * room, in the order VRAM, GTT, CPU, evicting other BOs from VRAM if
 * needed. Its memory reads as zero.
 *
 * Errors: -EINVAL (zero size, no or unknown domain, unknown flag, both CPU
 * access flags, alignment not a power of two, a pad or reserved field not
 * zero), -EOVERFLOW (size overflows when rounded up to the page size),
 * -E2BIG (the BO can never fit any of its domains: larger than VRAM, than
 * the visible window with %VVRAM_GEM_CREATE_CPU_ACCESS_REQUIRED, than GTT
 * or than RAM, or aligned more than VRAM allows), -ENOSPC (no room even
 * after eviction), -ENOMEM.
 */
struct drm_vvram_gem_create {
	/**
	 * @size: in, size of the BO in bytes; rounded up to the page
	 * size (the VRAM allocation is further rounded up to the chunk size)
	 */
	__u64 size;
	/**
	 * @alignment: in, required alignment of the VRAM placement in bytes;
	 * 0 or a power of two, values below the page size mean the page size
	 */
	__u64 alignment;
	/**
	 * @domains: in, mask of %VVRAM_GEM_DOMAIN_VRAM, %VVRAM_GEM_DOMAIN_GTT
	 * and %VVRAM_GEM_DOMAIN_CPU the BO may be placed in; at least one.
	 * Eviction may still move a VRAM BO to GTT or CPU.
	 */
	__u32 domains;
	/**
	 * @flags: in, mask of VVRAM_GEM_CREATE_*:
	 *
	 * - %VVRAM_GEM_CREATE_CONTIGUOUS: the VRAM placement is one
	 *   physically contiguous range;
	 * - %VVRAM_GEM_CREATE_CPU_ACCESS_REQUIRED: the VRAM placement lies
	 *   entirely inside the CPU-visible window;
	 * - %VVRAM_GEM_CREATE_NO_CPU_ACCESS: the BO is never CPU-mapped
	 *   (%DRM_IOCTL_VVRAM_GEM_MMAP_OFFSET fails with -EPERM); its VRAM
	 *   placement is allocated top-down, so it lands outside the visible
	 *   window while there is room there.
	 *
	 * The two CPU access flags are mutually exclusive.
	 */
	__u32 flags;
	/** @handle: out, the GEM handle of the new BO */
	__u32 handle;
	/** @pad: must be zero */
	__u32 pad;
	/** @reserved: must be zero */
	__u64 reserved[2];
};

/**
 * struct drm_vvram_gem_mmap_offset - fake mmap offset of a BO
 * (%DRM_IOCTL_VVRAM_GEM_MMAP_OFFSET)
 *
 * Pass @offset to mmap() on the DRM file descriptor to map the BO.
 * Mappings are cached and coherent. A CPU fault on a VRAM BO outside the
 * visible window migrates the BO into the window, or to GTT when the
 * window has no room without evicting; if it cannot move (pinned outside
 * the window) the access gets SIGBUS.
 *
 * Errors: -ENOENT (bad handle), -EINVAL (flags or pad not zero), -EPERM
 * (the BO was created with %VVRAM_GEM_CREATE_NO_CPU_ACCESS).
 */
struct drm_vvram_gem_mmap_offset {
	/** @handle: in, the BO */
	__u32 handle;
	/** @flags: in, must be zero */
	__u32 flags;
	/** @offset: out, the fake offset to mmap() */
	__u64 offset;
	/** @reserved: must be zero */
	__u64 reserved;
};

/**
 * struct drm_vvram_gem_block - one contiguous range of VRAM backing a BO
 */
struct drm_vvram_gem_block {
	/** @dev_addr: device address of the range (``base_offset`` applied) */
	__u64 dev_addr;
	/** @size: size of the range in bytes, a multiple of the chunk size */
	__u64 size;
};

/* Flags of struct drm_vvram_gem_info, out */
#define VVRAM_GEM_INFO_PINNED		(1 << 0)
#define VVRAM_GEM_INFO_CONTIGUOUS	(1 << 1)
#define VVRAM_GEM_INFO_CPU_VISIBLE	(1 << 2)
#define VVRAM_GEM_INFO_SCANOUT		(1 << 3)

/**
 * struct drm_vvram_gem_info - state and placement of a BO
 * (%DRM_IOCTL_VVRAM_GEM_INFO)
 *
 * The buddy blocks backing a VRAM BO are returned through @blocks_ptr.
 * The kernel copies min(@num_blocks, actual count) entries, then writes
 * the actual count back to @num_blocks: call once with @num_blocks = 0 to
 * learn the count, then again with an array that large. The placement
 * can change between calls (eviction), so compare the counts.
 *
 * Errors: -ENOENT (bad handle), -EINVAL (pad or reserved not zero),
 * -EFAULT (@blocks_ptr not writable for the entries to copy).
 */
struct drm_vvram_gem_info {
	/** @handle: in, the BO */
	__u32 handle;
	/**
	 * @flags: out, mask of VVRAM_GEM_INFO_*:
	 *
	 * - %VVRAM_GEM_INFO_PINNED: the BO is pinned (by
	 *   %DRM_IOCTL_VVRAM_GEM_PIN or by a PRIME importer that needs it to
	 *   stay put) and is never evicted;
	 * - %VVRAM_GEM_INFO_CONTIGUOUS: the VRAM placement is one contiguous
	 *   range;
	 * - %VVRAM_GEM_INFO_CPU_VISIBLE: the VRAM placement lies entirely
	 *   inside the CPU-visible window;
	 * - %VVRAM_GEM_INFO_SCANOUT: a plane scans the BO out; it is pinned
	 *   in VRAM until no plane shows it.
	 */
	__u32 flags;
	/** @size: out, size of the BO in bytes */
	__u64 size;
	/** @domain: out, the current domain, one VVRAM_GEM_DOMAIN_* bit */
	__u32 domain;
	/** @allowed_domains: out, the domains given at creation */
	__u32 allowed_domains;
	/** @create_flags: out, the VVRAM_GEM_CREATE_* flags given at creation */
	__u32 create_flags;
	/**
	 * @num_blocks: in, capacity of the @blocks_ptr array in entries;
	 * out, number of VRAM blocks backing the BO (0 outside VRAM)
	 */
	__u32 num_blocks;
	/**
	 * @dev_addr: out, device address of the start of the BO's first
	 * block, ``base_offset`` applied; 0 unless @domain is VRAM
	 */
	__u64 dev_addr;
	/**
	 * @blocks_ptr: in, user pointer to an array of
	 * struct drm_vvram_gem_block; may be 0 when @num_blocks is 0
	 */
	__u64 blocks_ptr;
	/** @reserved: must be zero */
	__u64 reserved[2];
};

/**
 * struct drm_vvram_gem_migrate - move a BO to another domain, keeping its
 * data (%DRM_IOCTL_VVRAM_GEM_MIGRATE)
 *
 * Moving to VRAM honours the BO's creation flags (contiguous, visible
 * window, top-down) and may evict other BOs. A BO stays where it was
 * migrated or evicted to until the next migration or CPU fault.
 *
 * Errors: -ENOENT (bad handle), -EINVAL (@domain not exactly one domain
 * bit, @domain not among the BO's allowed domains (%VVRAM_GEM_DOMAIN_CPU
 * is always allowed), flags, pad or reserved not zero), -EBUSY (the BO is
 * pinned in another domain), -E2BIG (the BO can never fit @domain),
 * -ENOSPC (no room even after eviction).
 */
struct drm_vvram_gem_migrate {
	/** @handle: in, the BO */
	__u32 handle;
	/** @domain: in, the target domain, one VVRAM_GEM_DOMAIN_* bit */
	__u32 domain;
	/** @flags: in, must be zero */
	__u32 flags;
	/** @pad: must be zero */
	__u32 pad;
	/** @reserved: must be zero */
	__u64 reserved;
};

/* Flags of struct drm_vvram_gem_pin */
#define VVRAM_GEM_PIN_UNPIN		(1 << 0)

/**
 * struct drm_vvram_gem_pin - pin a BO in a domain, or unpin it
 * (%DRM_IOCTL_VVRAM_GEM_PIN)
 *
 * Pinning first migrates the BO to @domain (keeping its data), then keeps
 * it there: it is never evicted and %DRM_IOCTL_VVRAM_GEM_MIGRATE to
 * another domain fails with -EBUSY. A BO holds at most one user pin,
 * whichever file set it; pinning again in the same domain is a no-op. The
 * pin ends with %VVRAM_GEM_PIN_UNPIN or when the BO is destroyed.
 *
 * Errors: -ENOENT (bad handle), -EINVAL (@domain not exactly one domain
 * bit or not allowed for the BO, unknown flag, pad or reserved not zero;
 * unpinning a BO that holds no user pin), -EBUSY (already pinned in
 * another domain), -E2BIG (the BO can never fit @domain), -ENOSPC (no
 * room even after eviction).
 */
struct drm_vvram_gem_pin {
	/** @handle: in, the BO */
	__u32 handle;
	/** @domain: in, where to pin, one VVRAM_GEM_DOMAIN_* bit; 0 to unpin */
	__u32 domain;
	/** @flags: in, 0 to pin or %VVRAM_GEM_PIN_UNPIN */
	__u32 flags;
	/** @pad: must be zero */
	__u32 pad;
	/** @reserved: must be zero */
	__u64 reserved;
};

/* Queries of struct drm_vvram_query */
#define VVRAM_QUERY_MEM_REGIONS		0

/**
 * struct drm_vvram_query - query the device (%DRM_IOCTL_VVRAM_QUERY)
 *
 * The two-call size protocol of xe: call with @size = 0 and the kernel
 * writes the size of the reply to @size; then call again with @size set
 * to exactly that and @data pointing to a buffer that large.
 *
 * Errors: -EINVAL (unknown @query, @size neither 0 nor the reply size,
 * reserved not zero), -EFAULT (@data not writable).
 */
struct drm_vvram_query {
	/** @query: in, which query: VVRAM_QUERY_* */
	__u32 query;
	/** @size: in/out, size of the reply in bytes, see above */
	__u32 size;
	/** @data: in, user pointer to the reply buffer */
	__u64 data;
	/** @reserved: must be zero */
	__u64 reserved;
};

/**
 * struct drm_vvram_query_mem_regions - reply to %VVRAM_QUERY_MEM_REGIONS
 *
 * A snapshot; the figures can change as soon as the ioctl returns. All
 * figures are in bytes except @evictions.
 */
struct drm_vvram_query_mem_regions {
	/** @vram_total: size of VRAM (module parameter ``vram_size``) */
	__u64 vram_total;
	/** @vram_used: VRAM allocated to BOs, in whole chunks */
	__u64 vram_used;
	/** @vis_vram_total: size of the CPU-visible window */
	__u64 vis_vram_total;
	/** @vis_vram_used: VRAM allocated to BOs inside the visible window */
	__u64 vis_vram_used;
	/**
	 * @vram_largest_free: size of the largest contiguous range of free
	 * VRAM
	 */
	__u64 vram_largest_free;
	/** @vram_chunk_size: the VRAM allocation unit (``chunk_size``) */
	__u64 vram_chunk_size;
	/** @vram_base_offset: device address of the start of VRAM */
	__u64 vram_base_offset;
	/** @gtt_total: size of the GTT domain */
	__u64 gtt_total;
	/** @gtt_used: GTT allocated to BOs */
	__u64 gtt_used;
	/**
	 * @evictions: number of BOs moved out of VRAM to make room since the
	 * device was created
	 */
	__u64 evictions;
	/**
	 * @vram_scanout: bytes of the BOs held in VRAM for the display: shown
	 * by a plane, or the target of a writeback job
	 */
	__u64 vram_scanout;
	/** @reserved: zero, room for growth */
	__u64 reserved[5];
};

#if defined(__cplusplus)
}
#endif

#endif /* _UAPI_VVRAM_DRM_H_ */
