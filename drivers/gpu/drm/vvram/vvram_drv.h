/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vvram private header: the driver's structures, each documented where it
 * is declared, and the prototypes shared between its files.
 *
 * Layers, depending downward only: emulated VRAM (vvram_vram.c), the buddy
 * backends (vvram_buddy_backend.c), the TTM VRAM manager
 * (vvram_vram_mgr.c), TTM glue (vvram_ttm.c), GEM objects (vvram_gem.c),
 * the UAPI (vvram_ioctl.c) and observability (debugfs, sysfs, fdinfo).
 */
#ifndef _VVRAM_DRV_H_
#define _VVRAM_DRV_H_

#include <linux/atomic.h>
#include <linux/hrtimer.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/types.h>
#include <linux/vvram_compat.h>

#include <drm/drm_connector.h>
#include <drm/drm_crtc.h>
#include <drm/drm_device.h>
#include <drm/drm_encoder.h>
#include <drm/drm_fourcc.h>
#include <drm/drm_writeback.h>
#include <drm/drm_gem.h>
#include <drm/drm_ioctl.h>
#include <drm/ttm/ttm_device.h>
#include <drm/ttm/ttm_placement.h>
#include <drm/ttm/ttm_resource.h>

#define VVRAM_DRIVER_NAME	"vvram"
#define VVRAM_DRIVER_DESC	"Virtual GPU with emulated VRAM"
#define VVRAM_DRIVER_MAJOR	1
#define VVRAM_DRIVER_MINOR	0

struct drm_format_info;
struct drm_minor;
struct drm_plane_state;
struct drm_printer;
struct iosys_map;
struct platform_device;
struct sg_table;

/**
 * enum vvram_allocator - which buddy allocator backs the VRAM manager
 * @VVRAM_ALLOCATOR_VVRAM: this project's vvram_buddy
 * @VVRAM_ALLOCATOR_KERNEL: the running kernel's gpu_buddy or drm_buddy
 */
enum vvram_allocator {
	VVRAM_ALLOCATOR_VVRAM,
	VVRAM_ALLOCATOR_KERNEL,
};

/**
 * struct vvram_params - the module parameters, validated, read once at probe
 * @vram_size: bytes of emulated VRAM, a multiple of @chunk_size
 * @visible_size: bytes of the CPU-visible window at the start of VRAM,
 *	a multiple of @chunk_size, at most @vram_size
 * @chunk_size: the buddy's smallest block, a power of two >= PAGE_SIZE
 * @base_offset: device address of the first byte of VRAM
 * @allocator: the buddy backend
 * @display: whether the device has display pipes (KMS)
 * @crtcs: number of display pipes, 1 to %VVRAM_MAX_CRTCS
 * @cursor: whether each pipe has a cursor plane
 * @overlays: overlay planes per pipe, at most %VVRAM_MAX_OVERLAYS
 * @writeback: whether each pipe has a writeback connector
 * @scanout_contiguous: framebuffers are scanned out of one contiguous
 *	VRAM range
 * @fbdev: whether the display has fbdev emulation (and so fbcon), its
 *	framebuffer a dumb buffer in VRAM like any other
 */
struct vvram_params {
	u64 vram_size;
	u64 visible_size;
	u64 chunk_size;
	u64 base_offset;
	enum vvram_allocator allocator;
	bool display;
	unsigned int crtcs;
	bool cursor;
	unsigned int overlays;
	bool writeback;
	bool scanout_contiguous;
	bool fbdev;
};

/* Display limits. */
#define VVRAM_MAX_CRTCS			4
#define VVRAM_MAX_OVERLAYS		4
#define VVRAM_MODE_MAX			8192
#define VVRAM_MODE_PREFERRED_WIDTH	1920
#define VVRAM_MODE_PREFERRED_HEIGHT	1080
#define VVRAM_CURSOR_MAX		512
#define VVRAM_LUT_SIZE			256
#define VVRAM_NUM_PLANE_FORMATS		13
#define VVRAM_NUM_CURSOR_FORMATS	9
#define VVRAM_NUM_WRITEBACK_FORMATS	5

/**
 * struct vvram_wb_target - the framebuffer of a writeback job
 * @fb: the framebuffer, pinned in VRAM for the job
 * @map: its mappings, as drm_gem_fb_vmap() returns them
 * @data: the mappings of its colour planes
 */
struct vvram_wb_target {
	struct drm_framebuffer *fb;
	struct iosys_map map[DRM_FORMAT_MAX_PLANES];
	struct iosys_map data[DRM_FORMAT_MAX_PLANES];
};

/* Planes per pipe: primary, cursor and overlays. */
#define VVRAM_MAX_PIPE_PLANES		(2 + VVRAM_MAX_OVERLAYS)

/**
 * struct vvram_crtc_state - a CRTC state and the planes it blends
 * @base: the DRM CRTC state
 * @num_planes: entries of @planes
 * @planes: the visible planes of the CRTC in blending order (by
 *	normalized zpos, bottom first), states of the same commit; built in
 *	&drm_crtc_helper_funcs.atomic_check
 */
struct vvram_crtc_state {
	struct drm_crtc_state base;
	unsigned int num_planes;
	struct drm_plane_state *planes[VVRAM_MAX_PIPE_PLANES];
};

static inline struct vvram_crtc_state *
to_vvram_crtc_state(struct drm_crtc_state *state)
{
	return container_of(state, struct vvram_crtc_state, base);
}

/**
 * struct vvram_output - one display pipe
 * @crtc: its CRTC
 * @encoder: its encoder, which feeds only @connector
 * @connector: its Virtual connector
 * @vblank_timer: stands in for the vblank interrupt while it is enabled
 * @period: the frame duration of the mode, set when vblank is enabled
 * @status: what @connector reports, changed through debugfs
 * @wb: its writeback connector, when ``enable_writeback`` is on
 * @lock: protects @frame, @crc_on, @frame_first, @frame_last,
 *	@compose_pending and @wb_target; taken in the vblank timer
 * @frame: the CRTC state the composer shows, NULL while the CRTC is off
 * @crc_on: CRCs are wanted (source ``auto``)
 * @frame_first: first vblank count the queued composition stands for
 * @frame_last: last vblank count it stands for
 * @compose_pending: a composition is queued and has not started
 * @wb_target: the writeback job the next composition writes, or NULL
 * @compose_wq: ordered workqueue the composer runs on
 * @compose_work: the composition of one frame
 * @line: one row of blended pixels, ARGB with 16 bits per channel,
 *	%VVRAM_MODE_MAX wide; used by the composer only
 * @plane_line: one row of one plane's pixels as read, before blending,
 *	in the same form; used by the composer only
 */
struct vvram_output {
	struct drm_crtc crtc;
	struct drm_encoder encoder;
	struct drm_connector connector;
	enum drm_connector_status status;
	struct drm_writeback_connector wb;
	struct hrtimer vblank_timer;
	ktime_t period;
	spinlock_t lock; /* see above */
	struct vvram_crtc_state *frame;
	bool crc_on;
	u64 frame_first;
	u64 frame_last;
	bool compose_pending;
	struct vvram_wb_target *wb_target;
	struct workqueue_struct *compose_wq;
	struct work_struct compose_work;
	u16 *line;
	u16 *plane_line;
};

/**
 * struct vvram_vram - the memory standing in for device VRAM
 * @vaddr: kernel address of the whole of VRAM (vmalloc); VRAM offset x
 *	is at @vaddr + x, and its page is vmalloc_to_page(@vaddr + x)
 *
 * It is RAM, not iomem: the CPU reaches it through @vaddr or through the
 * pfns of its pages, always with cached mappings.
 */
struct vvram_vram {
	void *vaddr;
};

/**
 * struct vvram_buddy_stats_brief - allocator figures the driver reports
 * @size: bytes managed
 * @avail: free bytes
 * @clear_avail: free bytes known to be zeroed
 * @largest_free: bytes of the largest free contiguous range
 */
struct vvram_buddy_stats_brief {
	u64 size;
	u64 avail;
	u64 clear_avail;
	u64 largest_free;
};

/**
 * struct vvram_buddy_backend - the buddy allocator behind the VRAM manager
 *
 * One manager runs on either allocator; this table is the whole
 * difference. Blocks are opaque to the manager except for their
 * &list_head link, which both allocators provide. Allocation flags are
 * VVRAM_BUDDY_* from <linux/vvram_buddy.h>; the kernel backend translates
 * them. Callers hold &vvram_vram_mgr.lock around every call.
 *
 * @name: the value of the ``allocator`` module parameter
 * @init: allocate and set up the allocator in @mgr->mm
 * @fini: tear it down and free it
 * @alloc: allocate @size bytes (a chunk multiple) as blocks on @blocks
 * @free_list: return every block of @blocks; @flags %VVRAM_BUDDY_CLEARED
 *	tells that they are zeroed
 * @block_range: byte offset and size of the block linked by @link
 * @block_is_clear: whether the block linked by @link is known zeroed
 * @stats: fill in the figures of &struct vvram_buddy_stats_brief
 * @dump: print the allocator's state (free blocks per order, ...)
 */
struct vvram_buddy_backend {
	const char *name;
	int (*init)(void **mm, u64 size, u64 chunk_size);
	void (*fini)(void *mm);
	int (*alloc)(void *mm, u64 start, u64 end, u64 size,
		     u64 min_block_size, struct list_head *blocks,
		     unsigned long flags);
	void (*free_list)(void *mm, struct list_head *blocks, unsigned int flags);
	void (*block_range)(void *mm, struct list_head *link,
			    u64 *offset, u64 *size);
	bool (*block_is_clear)(struct list_head *link);
	void (*stats)(void *mm, struct vvram_buddy_stats_brief *stats);
	void (*dump)(void *mm, struct drm_printer *p);
};

extern const struct vvram_buddy_backend vvram_buddy_backend_vvram;
extern const struct vvram_buddy_backend vvram_buddy_backend_kernel;

/**
 * struct vvram_vram_mgr - the TTM resource manager of VRAM
 * @manager: the TTM manager; @manager.size is in bytes
 * @backend: the buddy allocator in use
 * @mm: the allocator instance, owned by @backend
 * @lock: serialises every call into @mm
 * @chunk_size: the buddy's smallest block, in bytes
 * @visible_size: bytes of the CPU-visible window
 * @visible_used: bytes allocated inside the window, kept as resources come
 *	and go so that reading it is O(1)
 *
 * Invariant: @visible_used equals the sum of &vvram_vram_res.visible_bytes
 * over all live resources of this manager.
 */
struct vvram_vram_mgr {
	struct ttm_resource_manager manager;
	const struct vvram_buddy_backend *backend;
	void *mm;
	struct mutex lock; /* serialises calls into @mm */
	u64 chunk_size;
	u64 visible_size;
	atomic64_t visible_used;
};

/**
 * struct vvram_vram_cursor - walks the bytes of a VRAM resource in BO order
 * @mgr: the manager the resource belongs to
 * @head: the resource's block list
 * @link: the current block, @head when the walk is done
 * @pos: BO byte offset of the current position
 * @offset: VRAM byte offset of the current position
 * @remaining: bytes left in the current block from @offset
 *
 * The blocks of a resource, in list order, back the BO's bytes in order.
 * Users hold the BO's reservation lock, which keeps the list stable.
 */
struct vvram_vram_cursor {
	struct vvram_vram_mgr *mgr;
	struct list_head *head;
	struct list_head *link;
	u64 pos;
	u64 offset;
	u64 remaining;
};

/**
 * struct vvram_vram_res - a VRAM resource: the buddy blocks backing a BO
 * @base: the TTM resource; @base.start is the first block's page number
 * @blocks: the blocks, linked through their link member
 * @alloc_bytes: bytes of the blocks (the BO size rounded up to the chunk)
 * @visible_bytes: bytes of the blocks inside the CPU-visible window
 * @fault_cursor: where vvram_vram_res_offset() stopped last; unused until
 *	its &vvram_vram_cursor.mgr is set
 *
 * The fault cursor makes the page-by-page lookups of a CPU fault O(1)
 * each instead of a walk of the block list; it is used under the BO's
 * reservation lock.
 */
struct vvram_vram_res {
	struct ttm_resource base;
	struct list_head blocks;
	u64 alloc_bytes;
	u64 visible_bytes;
	struct vvram_vram_cursor fault_cursor;
};

static inline struct vvram_vram_res *to_vvram_vram_res(struct ttm_resource *res)
{
	return container_of(res, struct vvram_vram_res, base);
}

/**
 * struct vvram_clear_stats - what clearing VRAM cost and saved, for debugfs
 * @cleared_bytes: bytes zeroed for new BOs
 * @clear_ns: time spent zeroing them
 * @skipped_clear_bytes: bytes of new BOs the buddy already knew zeroed
 * @copied_bytes: bytes filled by a copy on a move, which needs no clear
 */
struct vvram_clear_stats {
	atomic64_t cleared_bytes;
	atomic64_t clear_ns;
	atomic64_t skipped_clear_bytes;
	atomic64_t copied_bytes;
};

/**
 * struct vvram_device - one vvram device
 * @drm: the DRM device; its lifetime is the device's lifetime
 * @pdev: the platform device the DRM device hangs off
 * @params: the validated module parameters
 * @vram: the emulated VRAM
 * @bdev: the TTM device
 * @vram_mgr: the VRAM manager
 * @evictions: BOs moved out of VRAM by eviction
 * @scanout_bytes: bytes of the BOs pinned for the display, each counted
 *	once however many planes show it
 * @vram_pinned_bytes: bytes of the BOs pinned in VRAM for any reason,
 *	kept by vvram_bo_pin() and vvram_bo_unpin() (a pinned BO never
 *	moves, so where it was pinned is where it is unpinned)
 * @clear: clearing statistics
 * @outputs: the display pipes, the first @params.crtcs of them in use
 */
struct vvram_device {
	struct drm_device drm;
	struct platform_device *pdev;
	struct vvram_params params;
	struct vvram_vram vram;
	struct ttm_device bdev;
	struct vvram_vram_mgr vram_mgr;
	atomic64_t evictions;
	atomic64_t scanout_bytes;
	atomic64_t vram_pinned_bytes;
	struct vvram_clear_stats clear;
	struct vvram_output outputs[VVRAM_MAX_CRTCS];
};

static inline struct vvram_device *to_vvram(struct drm_device *drm)
{
	return container_of(drm, struct vvram_device, drm);
}

static inline struct vvram_device *bdev_to_vvram(struct ttm_device *bdev)
{
	return container_of(bdev, struct vvram_device, bdev);
}

/* Places of a BO: at most one per domain. */
#define VVRAM_BO_MAX_PLACES	3

/**
 * struct vvram_bo - a vvram buffer object
 * @tbo: the TTM BO; @tbo.base is the GEM object
 * @placement: placement for the next validation, built from @places
 * @places: storage for @placement
 * @domains: VVRAM_GEM_DOMAIN_* the BO may be placed in (creation)
 * @create_flags: VVRAM_GEM_CREATE_* given at creation
 * @user_pin_domain: the domain of the pin set by DRM_IOCTL_VVRAM_GEM_PIN,
 *	0 when none; protected by the reservation lock
 * @vmap_count: number of live kernel mappings; protected by the
 *	reservation lock
 * @vmap_addr: the kernel mapping while @vmap_count > 0
 * @scanout_pins: pins taken by vvram_bo_pin_scanout(), part of
 *	&ttm_buffer_object.pin_count; protected by the reservation lock
 */
struct vvram_bo {
	struct ttm_buffer_object tbo;
	struct ttm_placement placement;
	struct ttm_place places[VVRAM_BO_MAX_PLACES];
	u32 domains;
	u32 create_flags;
	u32 user_pin_domain;
	unsigned int vmap_count;
	void *vmap_addr;
	unsigned int scanout_pins;
};

static inline struct vvram_bo *to_vvram_bo(struct ttm_buffer_object *tbo)
{
	return container_of(tbo, struct vvram_bo, tbo);
}

static inline struct vvram_bo *gem_to_vvram_bo(struct drm_gem_object *obj)
{
	return container_of(obj, struct vvram_bo, tbo.base);
}

/* vvram_vram.c */
int vvram_vram_init(struct vvram_device *vdev);
void *vvram_vram_vaddr(struct vvram_device *vdev, u64 offset);
unsigned long vvram_vram_pfn(struct vvram_device *vdev, u64 offset);

/* vvram_vram_mgr.c */
int vvram_vram_mgr_init(struct vvram_device *vdev);
bool vvram_vram_mgr_fits(struct vvram_vram_mgr *mgr, u64 size_bytes,
			 u64 align_bytes, u64 end_bytes);
u64 vvram_vram_mgr_used(struct vvram_vram_mgr *mgr);
u64 vvram_vram_mgr_visible_used(struct vvram_vram_mgr *mgr);
void vvram_vram_mgr_stats(struct vvram_vram_mgr *mgr,
			  struct vvram_buddy_stats_brief *stats);
bool vvram_vram_res_is_visible(struct ttm_resource *res);
bool vvram_vram_res_is_contiguous(struct ttm_resource *res);
void vvram_vram_cursor_first(struct vvram_vram_cursor *cur,
			     struct vvram_vram_mgr *mgr,
			     struct ttm_resource *res, u64 start);
void vvram_vram_cursor_next(struct vvram_vram_cursor *cur, u64 bytes);
bool vvram_vram_cursor_is_clear(const struct vvram_vram_cursor *cur);
u64 vvram_vram_res_offset(struct vvram_vram_mgr *mgr, struct ttm_resource *res,
			  u64 bo_offset);

/* vvram_ttm.c */
int vvram_ttm_init(struct vvram_device *vdev);
extern const struct ttm_device_funcs vvram_ttm_funcs;
u64 vvram_gtt_size(struct vvram_device *vdev);

/* vvram_gem.c */
extern const struct drm_gem_object_funcs vvram_gem_funcs;
int vvram_bo_create(struct vvram_device *vdev, u64 size, u64 alignment,
		    u32 domains, u32 flags, struct vvram_bo **out);
int vvram_bo_placement_from_domains(struct vvram_bo *bo, u32 domains,
				    bool visible_only);
int vvram_bo_validate(struct vvram_bo *bo, u32 domains);
struct drm_gem_object *
vvram_gem_prime_import_sg_table(struct drm_device *dev,
				struct dma_buf_attachment *attach,
				struct sg_table *sgt);
int vvram_gem_dumb_create(struct drm_file *file, struct drm_device *dev,
			  struct drm_mode_create_dumb *args);
u32 vvram_bo_domain(struct vvram_bo *bo);
void vvram_bo_pin(struct vvram_bo *bo);
void vvram_bo_unpin(struct vvram_bo *bo);
int vvram_bo_check_scanout(struct vvram_bo *bo);
int vvram_bo_check_scanout_room(struct vvram_bo *const *bos, unsigned int count);
int vvram_bo_pin_scanout(struct vvram_bo *bo, bool top_down);
void vvram_bo_unpin_scanout(struct vvram_bo *bo);

/* vvram_ioctl.c */
#define VVRAM_NUM_IOCTLS	6
extern const struct drm_ioctl_desc vvram_ioctls[VVRAM_NUM_IOCTLS];

/* vvram_debugfs.c */
void vvram_debugfs_init(struct drm_minor *minor);

/* vvram_sysfs.c */
int vvram_sysfs_init(struct vvram_device *vdev);

/* vvram_fdinfo.c */
void vvram_show_fdinfo(struct drm_printer *p, struct drm_file *file);

/* vvram_output.c */
int vvram_modeset_init(struct vvram_device *vdev);
void vvram_modeset_fini(struct vvram_device *vdev);

/* vvram_crtc.c */
int vvram_crtc_init(struct vvram_device *vdev, struct vvram_output *out,
		    struct drm_plane *primary, struct drm_plane *cursor);

/* vvram_plane.c */
struct drm_plane *vvram_plane_create(struct vvram_device *vdev,
				     enum drm_plane_type type,
				     unsigned int index, unsigned int zpos);

/* vvram_composer.c */
int vvram_composer_init(struct vvram_device *vdev, struct vvram_output *out);
void vvram_composer_vblank(struct vvram_output *out, u64 frame);
void vvram_composer_set_frame(struct vvram_output *out,
			      struct vvram_crtc_state *state);
void vvram_composer_flush(struct vvram_output *out);
void vvram_composer_queue_writeback(struct vvram_output *out,
				    struct vvram_wb_target *target);
void vvram_composer_stop(struct vvram_output *out);
const char *const *vvram_get_crc_sources(struct drm_crtc *crtc, size_t *count);
int vvram_verify_crc_source(struct drm_crtc *crtc, const char *source,
			    size_t *values_cnt);
int vvram_set_crc_source(struct drm_crtc *crtc, const char *source);

/* vvram_writeback.c */
int vvram_writeback_init(struct vvram_device *vdev, struct vvram_output *out);

/* vvram_formats.c */
extern const u32 vvram_plane_formats[VVRAM_NUM_PLANE_FORMATS];
extern const u32 vvram_cursor_formats[VVRAM_NUM_CURSOR_FORMATS];
extern const u32 vvram_writeback_formats[VVRAM_NUM_WRITEBACK_FORMATS];

/**
 * struct vvram_row_span - the framebuffer pixels one displayed row of a
 *	plane reads: a straight line, whatever the rotation
 * @x: framebuffer column of the first pixel
 * @y: framebuffer row of the first pixel
 * @dx: column step from one pixel to the next: -1, 0 or 1
 * @dy: row step from one pixel to the next: -1, 0 or 1
 * @count: pixels
 */
struct vvram_row_span {
	int x, y, dx, dy, count;
};

/*
 * ARGB8888 pixel @p as one pixel of the composer's line (16-bit ARGB, each
 * channel c * 257) in a u64 whose 16-bit lanes, from the lowest, are A, R,
 * G and B: the order of the line in memory on little-endian CPUs. The
 * channels are spread to their lanes and widened by one multiplication,
 * which carries into no other lane.
 */
static inline u64 vvram_widen_argb8888(u32 p)
{
	u64 v = (u64)(p >> 24) | (u64)(p >> 16 & 0xff) << 16 |
		(u64)(p >> 8 & 0xff) << 32 | (u64)(p & 0xff) << 48;

	return v * 257;
}

/* Narrow a 16-bit channel to n bits, rounding to nearest. */
static inline u32 vvram_narrow16(u16 value, unsigned int bits)
{
	return DIV_ROUND_CLOSEST(value * ((1u << bits) - 1), 0xffff);
}

int vvram_format_check_fb(const struct drm_format_info *info, u32 width,
			  u32 height);
int vvram_format_check_src(const struct drm_plane_state *ps);
void vvram_read_row(const struct drm_plane_state *ps, const struct iosys_map *data,
		    const struct vvram_row_span *span, u16 *argb);
void vvram_write_row(u32 format, const u16 *line, int width, u8 *dst);

#endif /* _VVRAM_DRV_H_ */
