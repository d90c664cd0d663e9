// SPDX-License-Identifier: GPL-2.0
/**
 * DOC: vvram composer, the emulated display engine
 *
 * The composer blends the visible planes of a CRTC into one frame, reading
 * their pixels straight from the VRAM they are pinned in, then applies the
 * CRTC's colour pipeline: DEGAMMA_LUT, CTM, GAMMA_LUT. It runs only while
 * someone consumes its output: the CRC source ``auto`` of the standard
 * debugfs ``crtc-N/crc`` files, which receives a CRC32 of each frame, or a
 * writeback job, which receives the frame itself in the format of its
 * framebuffer.
 *
 * Where it runs: the vblank timer only notes the frame range and queues the
 * work; composition happens on an ordered workqueue, outside the vblank
 * path, with no allocation and no reservation lock (the BOs are pinned and
 * mapped in &drm_plane_helper_funcs.prepare_fb).
 *
 * What it reads: &vvram_output.frame, the CRTC state of the last commit,
 * set in &drm_crtc_helper_funcs.atomic_flush and cleared when the CRTC is
 * disabled. The commit tail flushes the workqueue before it unmaps the old
 * framebuffers, so a frame is never composed from unmapped memory.
 *
 * Pixels are blended one row at a time in 16 bits per channel,
 * premultiplied alpha, planes in the order of their normalized zpos
 * (primary, overlays, cursor by default), over an opaque black background.
 * Each plane's part of the row is first read into a line of 16-bit ARGB,
 * as vvram_formats.c defines it for the plane's format (vvram_read_row()).
 * A plane's pixels are then made premultiplied as its pixel blend mode
 * says ("None" ignores their alpha, "Coverage" multiplies the colour by
 * it), then scaled by the plane's alpha property; opaque "Pre-multiplied"
 * planes skip both.
 *
 * The result is defined by the above; what follows only saves work. A row
 * starts at the topmost plane that covers it whole with opaque pixels shown
 * as they are: the background and the planes under that one are not read.
 * Unrotated XRGB8888 and ARGB8888 rows are widened without a per-pixel
 * format switch, and premultiplied ARGB8888 planes are blended straight
 * from their framebuffer, copying opaque pixels and skipping transparent
 * ones. The CRC is computed only while CRCs are on.
 */
#include <linux/crc32.h>
#include <linux/dma-fence.h>
#include <linux/workqueue.h>

#include <drm/drm_atomic.h>
#include <drm/drm_blend.h>
#include <drm/drm_crtc.h>
#include <drm/drm_fourcc.h>
#include <drm/drm_framebuffer.h>
#include <drm/drm_rect.h>
#include <drm/drm_gem_atomic_helper.h>
#include <drm/drm_managed.h>
#include <drm/drm_vblank.h>
#include <drm/drm_writeback.h>

#include "vvram_drv.h"

/*
 * The displayed pixel (u, v) of @ps, counted from the corner of its clipped
 * destination, comes from framebuffer pixel (*x, *y). The clipped source
 * and destination rectangles correspond through the plane's rotation.
 */
static void plane_source_xy(const struct drm_plane_state *ps, int u, int v,
			    int *x, int *y)
{
	int sw = drm_rect_width(&ps->src) >> 16;
	int sh = drm_rect_height(&ps->src) >> 16;

	switch (ps->rotation & DRM_MODE_ROTATE_MASK) {
	case DRM_MODE_ROTATE_90:
		*x = sw - 1 - v;
		*y = u;
		break;
	case DRM_MODE_ROTATE_180:
		*x = sw - 1 - u;
		*y = sh - 1 - v;
		break;
	case DRM_MODE_ROTATE_270:
		*x = v;
		*y = sh - 1 - u;
		break;
	default:
		*x = u;
		*y = v;
		break;
	}
	if (ps->rotation & DRM_MODE_REFLECT_X)
		*x = sw - 1 - *x;
	if (ps->rotation & DRM_MODE_REFLECT_Y)
		*y = sh - 1 - *y;
	*x += ps->src.x1 >> 16;
	*y += ps->src.y1 >> 16;
}

/* @v * @a / 0xffff, rounded: scaling by a 16-bit fraction. */
static u16 scale16(u32 v, u32 a)
{
	return DIV_ROUND_CLOSEST(v * a, 0xffff);
}

/*
 * Make @argb, as read from plane @ps, premultiplied by its own alpha (per
 * the blend mode) and by the plane's alpha.
 */
static void apply_plane_alpha(const struct drm_plane_state *ps, u16 *argb)
{
	int c;

	switch (ps->pixel_blend_mode) {
	case DRM_MODE_BLEND_PIXEL_NONE:
		argb[0] = 0xffff;
		break;
	case DRM_MODE_BLEND_COVERAGE:
		for (c = 1; c < 4; c++)
			argb[c] = scale16(argb[c], argb[0]);
		break;
	}
	if (ps->alpha != DRM_BLEND_ALPHA_OPAQUE)
		for (c = 0; c < 4; c++)
			argb[c] = scale16(argb[c], ps->alpha);
}

/* @ps shows its framebuffer's pixels as they are: no alpha to apply. */
static bool plane_is_plain(const struct drm_plane_state *ps)
{
	return ps->alpha == DRM_BLEND_ALPHA_OPAQUE &&
	       ps->pixel_blend_mode == DRM_MODE_BLEND_PREMULTI;
}

/*
 * @ps hides everything under it on row @y: opaque pixels from the first
 * column to the last, shown as they are.
 */
static bool plane_covers_row(const struct drm_plane_state *ps, int y,
			     int width)
{
	const struct drm_shadow_plane_state *shadow =
		container_of(ps, struct drm_shadow_plane_state, base);

	return y >= ps->dst.y1 && y < ps->dst.y2 && ps->dst.x1 <= 0 &&
	       ps->dst.x2 >= width && shadow->data[0].vaddr &&
	       !ps->fb->format->has_alpha && plane_is_plain(ps);
}

/* Blend premultiplied @src over @dst, both 16-bit ARGB. */
static void blend_pixel(const u16 *src, u16 *dst)
{
	u32 keep = 0xffff - src[0];
	int c;

	dst[0] = src[0] + DIV_ROUND_CLOSEST(dst[0] * keep, 0xffff);
	for (c = 1; c < 4; c++)
		dst[c] = min_t(u32, 0xffff, src[c] +
			       DIV_ROUND_CLOSEST(dst[c] * keep, 0xffff));
}

/*
 * Lane @shift of blend_pixel() for an ARGB8888 source: @src and @dst are
 * line pixels in one u64 (see vvram_widen_argb8888()), @keep is 255 minus
 * the source's 8-bit alpha. With keep16 = 257 * @keep, d * keep16 / 0xffff
 * is exactly d * @keep / 255, and rounding both to nearest agrees: with
 * d * @keep + 127 = 255 q + r, d * keep16 + 0x7fff is 0xffff q + 257 r +
 * 128, and 257 r + 128 < 0xffff.
 */
static u64 blend_lane(u64 src, u64 dst, u32 keep, unsigned int shift)
{
	u32 s = src >> shift & 0xffff, d = dst >> shift & 0xffff;

	return (u64)min_t(u32, 0xffff, s + DIV_ROUND_CLOSEST(d * keep, 255)) <<
	       shift;
}

/*
 * Blend @count premultiplied ARGB8888 pixels at @src over @line, exactly as
 * reading them with vvram_read_row() and blending with blend_pixel() would,
 * one u64 per pixel and without the intermediate line: most pixels of a
 * cursor or an overlay are either opaque (a copy) or fully transparent
 * (nothing to do). Little-endian only.
 */
static void blend_argb8888_row(const u8 *src, int count, u16 *line)
{
	u64 *dst = (u64 *)line;
	int i;

	for (i = 0; i < count; i++, src += 4) {
		u32 p = get_unaligned_le32(src), keep = 255 - (p >> 24);
		u64 s, d;

		/* Zero alpha and colour: the blend keeps @dst as it is. */
		if (!p)
			continue;
		s = vvram_widen_argb8888(p);
		if (!keep) {
			dst[i] = s;
			continue;
		}
		d = dst[i];
		dst[i] = blend_lane(s, d, keep, 0) | blend_lane(s, d, keep, 16) |
			 blend_lane(s, d, keep, 32) | blend_lane(s, d, keep, 48);
	}
}

/*
 * Blend row @y of plane @ps over @line (premultiplied alpha), reading the
 * plane's pixels into @src_line first.
 */
static void blend_plane_row(const struct drm_plane_state *ps, int y,
			    int width, u16 *line, u16 *src_line)
{
	const struct drm_shadow_plane_state *shadow =
		container_of(ps, struct drm_shadow_plane_state, base);
	int x0 = max(ps->dst.x1, 0), x1 = min(ps->dst.x2, width);
	bool plain = plane_is_plain(ps);
	const struct drm_framebuffer *fb = ps->fb;
	struct vvram_row_span span;
	int i, nx, ny;

	if (y < ps->dst.y1 || y >= ps->dst.y2 || x0 >= x1 ||
	    !shadow->data[0].vaddr)
		return;
	/* The row is a straight line in the source, whatever the rotation. */
	plane_source_xy(ps, x0 - ps->dst.x1, y - ps->dst.y1, &span.x, &span.y);
	plane_source_xy(ps, x0 + 1 - ps->dst.x1, y - ps->dst.y1, &nx, &ny);
	span.dx = nx - span.x;
	span.dy = ny - span.y;
	span.count = x1 - x0;
	/* Opaque pixels, shown as they are: the blend would copy them. */
	if (plain && !fb->format->has_alpha) {
		vvram_read_row(ps, shadow->data, &span, &line[4 * x0]);
		return;
	}
	if (!IS_ENABLED(CONFIG_CPU_BIG_ENDIAN) && plain &&
	    fb->format->format == DRM_FORMAT_ARGB8888 &&
	    span.dx == 1 && span.dy == 0) {
		/* The mapping includes the framebuffer's offset. */
		blend_argb8888_row((const u8 *)shadow->data[0].vaddr +
				   span.y * fb->pitches[0] + span.x * 4,
				   span.count, &line[4 * x0]);
		return;
	}
	vvram_read_row(ps, shadow->data, &span, src_line);

	for (i = 0; i < span.count; i++) {
		u16 *src = &src_line[4 * i], *dst = &line[4 * (x0 + i)];

		if (!plain)
			apply_plane_alpha(ps, src);
		/* Opaque: the blend below would give exactly the source. */
		if (src[0] == 0xffff)
			memcpy(dst, src, 4 * sizeof(*src));
		else
			blend_pixel(src, dst);
	}
}

/*
 * Map the colour channels of @line through @lut (VVRAM_LUT_SIZE entries),
 * a DEGAMMA_LUT or a GAMMA_LUT. The entry is the channel rounded to 8 bits
 * by vvram_narrow16(), not by drm_color_lut_extract(), whose rounding
 * changed after 6.1.
 */
static void apply_lut(const struct drm_color_lut *lut, int width, u16 *line)
{
	int x;

	for (x = 0; x < width; x++) {
		u16 *px = &line[4 * x];

		px[1] = lut[vvram_narrow16(px[1], 8)].red;
		px[2] = lut[vvram_narrow16(px[2], 8)].green;
		px[3] = lut[vvram_narrow16(px[3], 8)].blue;
	}
}

/*
 * A CTM coefficient of magnitude at least 2^47 (32768.0) is taken as
 * 2^47 - 1, so that a product with a 16-bit channel fits in 63 bits.
 */
#define CTM_MAGNITUDE_MAX	(BIT_ULL(47) - 1)

/*
 * The CTM's coefficients, sign-magnitude S31.32 as userspace gives them,
 * as a sign and a clamped magnitude each.
 */
struct ctm {
	u64 magnitude[9];
	bool negative[9];
};

static void ctm_from_blob(const struct drm_color_ctm *blob, struct ctm *ctm)
{
	int i;

	for (i = 0; i < 9; i++) {
		ctm->negative[i] = blob->matrix[i] & BIT_ULL(63);
		ctm->magnitude[i] = min(blob->matrix[i] & ~BIT_ULL(63),
					CTM_MAGNITUDE_MAX);
	}
}

/*
 * Multiply the colour channels of @line by @ctm, row by row: each output
 * channel is the sum of the three products, each product the coefficient
 * times the channel shifted right by 16 bits (truncated), and the sum
 * rounded to the nearest integer (halves up) and clamped to 0..0xffff.
 */
static void apply_ctm(const struct ctm *ctm, int width, u16 *line)
{
	int x, row, col;

	for (x = 0; x < width; x++) {
		u16 *px = &line[4 * x];
		s64 sum[3] = {};

		for (row = 0; row < 3; row++) {
			for (col = 0; col < 3; col++) {
				u64 term = (ctm->magnitude[3 * row + col] *
					    px[1 + col]) >> 16;

				sum[row] += ctm->negative[3 * row + col] ?
					    -(s64)term : (s64)term;
			}
		}
		for (row = 0; row < 3; row++)
			px[1 + row] = clamp_t(s64, (sum[row] + 0x8000) >> 16,
					      0, 0xffff);
	}
}

/*
 * Compose the frame of @state, writing it to @target if there is one;
 * returns the CRC32 of its rows if @crc_on, else 0.
 */
static u32 compose(struct vvram_output *out, struct vvram_crtc_state *state,
		   struct vvram_wb_target *target, bool crc_on)
{
	const struct drm_display_mode *mode = &state->base.mode;
	const struct drm_color_lut *degamma = NULL, *gamma = NULL;
	int width = mode->hdisplay, y, x;
	unsigned int i, bottom;
	struct ctm ctm;
	u32 crc = 0;

	if (state->base.degamma_lut)
		degamma = state->base.degamma_lut->data;
	if (state->base.ctm)
		ctm_from_blob(state->base.ctm->data, &ctm);
	if (state->base.gamma_lut)
		gamma = state->base.gamma_lut->data;
	for (y = 0; y < mode->vdisplay; y++) {
		/* Only what the topmost plane covering the row lets show. */
		for (bottom = state->num_planes; bottom > 0; bottom--)
			if (plane_covers_row(state->planes[bottom - 1], y, width))
				break;
		if (bottom)
			bottom--;
		else
			for (x = 0; x < width; x++) {
				out->line[4 * x] = 0xffff;
				out->line[4 * x + 1] = 0;
				out->line[4 * x + 2] = 0;
				out->line[4 * x + 3] = 0;
			}
		for (i = bottom; i < state->num_planes; i++)
			blend_plane_row(state->planes[i], y, width, out->line,
					out->plane_line);
		if (degamma)
			apply_lut(degamma, width, out->line);
		if (state->base.ctm)
			apply_ctm(&ctm, width, out->line);
		if (gamma)
			apply_lut(gamma, width, out->line);
		/* The mapping includes the framebuffer's offset. */
		if (target)
			vvram_write_row(target->fb->format->format, out->line, width,
					(u8 *)target->data[0].vaddr +
					y * target->fb->pitches[0]);
		if (crc_on)
			crc = crc32_le(crc, (const u8 *)out->line,
				       width * 4 * sizeof(*out->line));
	}
	return crc;
}

static void vvram_compose_work(struct work_struct *work)
{
	struct vvram_output *out = container_of(work, struct vvram_output,
						compose_work);
	struct vvram_wb_target *target;
	struct vvram_crtc_state *state;
	u64 frame, last;
	bool crc_on, cookie;
	u32 crc;

	spin_lock_irq(&out->lock);
	state = out->frame;
	crc_on = out->crc_on;
	frame = out->frame_first;
	last = out->frame_last;
	target = out->wb_target;
	out->wb_target = NULL;
	out->compose_pending = false;
	spin_unlock_irq(&out->lock);

	if (!state || (!crc_on && !target))
		return;
	/* Completing the writeback job signals its out-fence. */
	cookie = dma_fence_begin_signalling();
	crc = compose(out, state, target, crc_on);
	if (target)
		drm_writeback_signal_completion(&out->wb, 0);
	dma_fence_end_signalling(cookie);
	if (target)
		drm_crtc_vblank_put(&out->crtc);
	if (!crc_on)
		return;
	/* Frames the composer fell behind on showed the same picture. */
	for (; frame <= last; frame++)
		drm_crtc_add_crc_entry(&out->crtc, true, frame, &crc);
}

/**
 * vvram_composer_vblank - note a vblank for the composer
 * @out: the pipe
 * @frame: the vblank count
 *
 * Context: the vblank timer (hard interrupt); queues the composition.
 */
void vvram_composer_vblank(struct vvram_output *out, u64 frame)
{
	spin_lock(&out->lock);
	if ((out->crc_on || out->wb_target) && out->frame) {
		if (!out->compose_pending)
			out->frame_first = frame;
		out->frame_last = frame;
		out->compose_pending = true;
		queue_work(out->compose_wq, &out->compose_work);
	}
	spin_unlock(&out->lock);
}

/**
 * vvram_composer_set_frame - what the composer shows from now on
 * @out: the pipe
 * @state: the CRTC state of the commit, or NULL when the CRTC goes off
 */
void vvram_composer_set_frame(struct vvram_output *out,
			      struct vvram_crtc_state *state)
{
	spin_lock_irq(&out->lock);
	out->frame = state;
	spin_unlock_irq(&out->lock);
}

/**
 * vvram_composer_queue_writeback - write the next frame to a writeback job
 * @out: the pipe
 * @target: the job's framebuffer, pinned and mapped
 *
 * The composition at the next vblank writes the frame and completes the
 * oldest job queued on the writeback connector. Vblanks stay on until
 * then: the job holds a vblank reference.
 */
void vvram_composer_queue_writeback(struct vvram_output *out,
				    struct vvram_wb_target *target)
{
	/* The CRTC is on: writeback jobs need an active CRTC. */
	WARN_ON(drm_crtc_vblank_get(&out->crtc));
	spin_lock_irq(&out->lock);
	out->wb_target = target;
	spin_unlock_irq(&out->lock);
}

/**
 * vvram_composer_stop - the CRTC is off: cancel a writeback not composed
 * @out: the pipe, its vblank already off
 */
void vvram_composer_stop(struct vvram_output *out)
{
	struct vvram_wb_target *target;

	flush_workqueue(out->compose_wq);
	spin_lock_irq(&out->lock);
	out->frame = NULL;
	target = out->wb_target;
	out->wb_target = NULL;
	spin_unlock_irq(&out->lock);
	if (target) {
		drm_writeback_signal_completion(&out->wb, -ECANCELED);
		drm_crtc_vblank_put(&out->crtc);
	}
}

/**
 * vvram_composer_flush - wait until no composition reads old framebuffers
 * @out: the pipe
 */
void vvram_composer_flush(struct vvram_output *out)
{
	flush_workqueue(out->compose_wq);
}

static const char * const vvram_crc_sources[] = { "auto" };

/**
 * vvram_get_crc_sources - &drm_crtc_funcs.get_crc_sources: only ``auto``
 * @crtc: the CRTC
 * @count: out, the number of sources
 *
 * Return: the source names.
 */
const char *const *vvram_get_crc_sources(struct drm_crtc *crtc, size_t *count)
{
	*count = ARRAY_SIZE(vvram_crc_sources);
	return vvram_crc_sources;
}

/**
 * vvram_verify_crc_source - &drm_crtc_funcs.verify_crc_source
 * @crtc: the CRTC
 * @source: the source asked for, NULL for none
 * @values_cnt: out, CRC values per frame
 *
 * Return: 0, or -EINVAL for a source other than ``auto``.
 */
int vvram_verify_crc_source(struct drm_crtc *crtc, const char *source,
			    size_t *values_cnt)
{
	if (source && strcmp(source, "auto"))
		return -EINVAL;
	*values_cnt = 1;
	return 0;
}

/**
 * vvram_set_crc_source - &drm_crtc_funcs.set_crc_source: turn CRCs on or off
 * @crtc: the CRTC
 * @source: ``auto``, or NULL for off
 *
 * Return: 0; -EINVAL for another source; the error of drm_crtc_vblank_get()
 * when the CRTC is off.
 */
int vvram_set_crc_source(struct drm_crtc *crtc, const char *source)
{
	struct vvram_output *out = container_of(crtc, struct vvram_output, crtc);
	bool on = source && !strcmp(source, "auto"), was_on;
	int ret;

	if (source && !on)
		return -EINVAL;
	/* CRCs need vblanks: hold a vblank reference while they are on. */
	if (on) {
		ret = drm_crtc_vblank_get(crtc);
		if (ret)
			return ret;
	}
	spin_lock_irq(&out->lock);
	was_on = out->crc_on;
	out->crc_on = on;
	spin_unlock_irq(&out->lock);
	if (was_on)
		drm_crtc_vblank_put(crtc);
	return 0;
}

static void vvram_composer_fini(struct drm_device *drm, void *data)
{
	struct vvram_output *out = data;

	destroy_workqueue(out->compose_wq);
}

/**
 * vvram_composer_init - set up the composer of one pipe
 * @vdev: the device
 * @out: the pipe
 *
 * Return: 0 or a negative errno.
 */
int vvram_composer_init(struct vvram_device *vdev, struct vvram_output *out)
{
	spin_lock_init(&out->lock);
	INIT_WORK(&out->compose_work, vvram_compose_work);
	out->line = drmm_kcalloc(&vdev->drm, 4 * VVRAM_MODE_MAX,
				 sizeof(*out->line), GFP_KERNEL);
	out->plane_line = drmm_kcalloc(&vdev->drm, 4 * VVRAM_MODE_MAX,
				       sizeof(*out->plane_line), GFP_KERNEL);
	if (!out->line || !out->plane_line)
		return -ENOMEM;
	out->compose_wq = alloc_ordered_workqueue("vvram_composer", 0);
	if (!out->compose_wq)
		return -ENOMEM;
	return drmm_add_action_or_reset(&vdev->drm, vvram_composer_fini, out);
}
