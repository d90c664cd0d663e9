// SPDX-License-Identifier: GPL-2.0
/**
 * DOC: vvram pixel formats
 *
 * The formats vvram scans out, all linear, and how the composer reads each
 * into its 16 bits per channel ARGB.
 *
 * RGB, on every plane: XRGB8888, ARGB8888, XBGR8888, ABGR8888, RGB888,
 * BGR888, XRGB16161616, ARGB16161616 and RGB565. An n-bit channel c
 * becomes c * 65535 / (2^n - 1), rounded to nearest (8 bits: c * 257);
 * formats without alpha read as opaque.
 *
 * YCbCr, on primary and overlay planes: NV12, NV21 (4:2:0, a Y plane and
 * one of CbCr or CrCb pairs), NV16 (4:2:2, a Y plane and CbCr pairs) and
 * YUV420 (4:2:0, Y, Cb and Cr planes). Not on the cursor: a cursor is an
 * ARGB sprite, and no client draws one in YCbCr. Nor written back: a
 * writeback job receives the blended RGB frame. The colour planes may be
 * in one BO or several, at any offsets; each distinct BO is pinned in VRAM
 * while the plane shows it (see vvram_plane.c).
 *
 * Subsampled framebuffers must cover whole chroma samples: their width
 * must be even, and for 4:2:0 their height too, or ADDFB2 fails with
 * -EINVAL; likewise a plane's source rectangle (SRC_X, SRC_W and, for
 * 4:2:0, SRC_Y, SRC_H) must start and end on the chroma grid, or the
 * commit fails with -EINVAL. Chroma is sampled nearest, replicated: the
 * pixel at framebuffer column x and row y takes the chroma sample at
 * column x / 2 and row y / 2 (4:2:0) or y (4:2:2) of its chroma plane,
 * whatever the rotation.
 *
 * The conversion is defined in integers, so that a test can compute the
 * same result independently. With Y, Cb and Cr the 8-bit code values:
 *
 *	y = Y - y0, u = Cb - 128, v = Cr - 128
 *	R = (cy * y + crv * v + 2048) >> 12
 *	G = (cy * y - cgu * u - cgv * v + 2048) >> 12
 *	B = (cy * y + cbu * u + 2048) >> 12
 *
 * each clamped to 0..65535 (a negative sum gives 0) and alpha 65535. The
 * coefficients are those of the plane's COLOR_ENCODING (BT.601, BT.709 or
 * BT.2020: Kr and Kb of the standard, Kg = 1 - Kr - Kb), scaled for its
 * COLOR_RANGE and for 16-bit output, and rounded to nearest integers:
 *
 *	cy  = 4096 * 257 * ys
 *	crv = 4096 * 257 * cs * 2 * (1 - Kr)
 *	cgu = 4096 * 257 * cs * 2 * Kb * (1 - Kb) / Kg
 *	cgv = 4096 * 257 * cs * 2 * Kr * (1 - Kr) / Kg
 *	cbu = 4096 * 257 * cs * 2 * (1 - Kb)
 *
 * where full range has y0 = 0, ys = cs = 1, and limited range y0 = 16,
 * ys = 255 / 219 and cs = 255 / 224 (Y from 16 to 235, Cb and Cr from 16
 * to 240). The planes default to BT.601, limited range.
 */
#include <linux/iosys-map.h>

#include <drm/drm_color_mgmt.h>
#include <drm/drm_fourcc.h>
#include <drm/drm_framebuffer.h>
#include <drm/drm_plane.h>

#include "vvram_drv.h"

const u32 vvram_plane_formats[VVRAM_NUM_PLANE_FORMATS] = {
	DRM_FORMAT_XRGB8888,
	DRM_FORMAT_ARGB8888,
	DRM_FORMAT_XRGB16161616,
	DRM_FORMAT_ARGB16161616,
	DRM_FORMAT_RGB565,
	DRM_FORMAT_XBGR8888,
	DRM_FORMAT_ABGR8888,
	DRM_FORMAT_RGB888,
	DRM_FORMAT_BGR888,
	DRM_FORMAT_NV12,
	DRM_FORMAT_NV21,
	DRM_FORMAT_NV16,
	DRM_FORMAT_YUV420,
};

const u32 vvram_cursor_formats[VVRAM_NUM_CURSOR_FORMATS] = {
	DRM_FORMAT_XRGB8888,
	DRM_FORMAT_ARGB8888,
	DRM_FORMAT_XRGB16161616,
	DRM_FORMAT_ARGB16161616,
	DRM_FORMAT_RGB565,
	DRM_FORMAT_XBGR8888,
	DRM_FORMAT_ABGR8888,
	DRM_FORMAT_RGB888,
	DRM_FORMAT_BGR888,
};

const u32 vvram_writeback_formats[VVRAM_NUM_WRITEBACK_FORMATS] = {
	DRM_FORMAT_XRGB8888,
	DRM_FORMAT_ARGB8888,
	DRM_FORMAT_XRGB16161616,
	DRM_FORMAT_ARGB16161616,
	DRM_FORMAT_RGB565,
};

/**
 * struct vvram_yuv_matrix - the integer YCbCr to RGB conversion
 * @y0: the code value of black
 * @cy: the weight of luma
 * @crv: the weight of Cr in red
 * @cgu: the weight of Cb in green, subtracted
 * @cgv: the weight of Cr in green, subtracted
 * @cbu: the weight of Cb in blue
 *
 * As the DOC comment defines them, in units of 2^-12 of a 16-bit channel.
 */
struct vvram_yuv_matrix {
	s32 y0, cy, crv, cgu, cgv, cbu;
};

/* Kr, Kb: BT.601 0.299, 0.114; BT.709 0.2126, 0.0722; BT.2020 0.2627, 0.0593. */
static const struct vvram_yuv_matrix
yuv_matrices[DRM_COLOR_ENCODING_MAX][DRM_COLOR_RANGE_MAX] = {
	[DRM_COLOR_YCBCR_BT601] = {
		[DRM_COLOR_YCBCR_LIMITED_RANGE] = { 16, 1225714, 1680093, 412397, 855788, 2123484 },
		[DRM_COLOR_YCBCR_FULL_RANGE] = { 0, 1052672, 1475846, 362263, 751751, 1865335 },
	},
	[DRM_COLOR_YCBCR_BT709] = {
		[DRM_COLOR_YCBCR_LIMITED_RANGE] = { 16, 1225714, 1887168, 224481, 560979, 2223666 },
		[DRM_COLOR_YCBCR_FULL_RANGE] = { 0, 1052672, 1657748, 197191, 492781, 1953338 },
	},
	[DRM_COLOR_YCBCR_BT2020] = {
		[DRM_COLOR_YCBCR_LIMITED_RANGE] = { 16, 1225714, 1767093, 197193, 684683, 2254584 },
		[DRM_COLOR_YCBCR_FULL_RANGE] = { 0, 1052672, 1552270, 173220, 601447, 1980497 },
	},
};

/**
 * vvram_format_check_fb - whether a framebuffer's size suits its format
 * @info: the format
 * @width: the framebuffer's width
 * @height: the framebuffer's height
 *
 * Return: 0, or -EINVAL if a subsampled format's framebuffer ends in the
 * middle of a chroma sample.
 */
int vvram_format_check_fb(const struct drm_format_info *info, u32 width,
			  u32 height)
{
	if (width % info->hsub || height % info->vsub)
		return -EINVAL;
	return 0;
}

/**
 * vvram_format_check_src - whether a plane's source rectangle suits its
 *	framebuffer's format
 * @ps: the plane state, with a framebuffer
 *
 * Return: 0, or -EINVAL if the unclipped source rectangle of a subsampled
 * format starts or ends off the chroma grid.
 */
int vvram_format_check_src(const struct drm_plane_state *ps)
{
	const struct drm_format_info *info = ps->fb->format;
	u32 h = info->hsub << 16, v = info->vsub << 16;

	if (ps->src_x % h || ps->src_w % h || ps->src_y % v || ps->src_h % v)
		return -EINVAL;
	return 0;
}

static u16 widen(u32 value, unsigned int bits)
{
	return DIV_ROUND_CLOSEST(value * 0xffff, (1u << bits) - 1);
}

/* widen(value, 8) without the division: 0xffff is 255 * 257. */
static u16 widen8(u32 value)
{
	return value * 257;
}

static u16 yuv_channel(s32 sum)
{
	sum += 2048;
	if (sum < 0)
		return 0;
	return min(sum >> 12, 0xffff);
}

static void yuv_to_argb(const struct vvram_yuv_matrix *m, u8 y8, u8 cb, u8 cr,
			u16 *argb)
{
	s32 y = m->cy * ((s32)y8 - m->y0), u = (s32)cb - 128, v = (s32)cr - 128;

	argb[0] = 0xffff;
	argb[1] = yuv_channel(y + m->crv * v);
	argb[2] = yuv_channel(y - m->cgu * u - m->cgv * v);
	argb[3] = yuv_channel(y + m->cbu * u);
}

/* Read the RGB pixel at @src of @format as ARGB, 16 bits per channel. */
static void read_rgb(u32 format, const u8 *src, u16 *argb)
{
	u32 p32;
	u16 p16;

	switch (format) {
	case DRM_FORMAT_XRGB8888:
	case DRM_FORMAT_ARGB8888:
		p32 = get_unaligned_le32(src);
		argb[0] = format == DRM_FORMAT_ARGB8888 ? widen8(p32 >> 24) : 0xffff;
		argb[1] = widen8((p32 >> 16) & 0xff);
		argb[2] = widen8((p32 >> 8) & 0xff);
		argb[3] = widen8(p32 & 0xff);
		break;
	case DRM_FORMAT_XBGR8888:
	case DRM_FORMAT_ABGR8888:
		argb[0] = format == DRM_FORMAT_ABGR8888 ? widen8(src[3]) : 0xffff;
		argb[1] = widen8(src[0]);
		argb[2] = widen8(src[1]);
		argb[3] = widen8(src[2]);
		break;
	case DRM_FORMAT_RGB888:
		argb[0] = 0xffff;
		argb[1] = widen8(src[2]);
		argb[2] = widen8(src[1]);
		argb[3] = widen8(src[0]);
		break;
	case DRM_FORMAT_BGR888:
		argb[0] = 0xffff;
		argb[1] = widen8(src[0]);
		argb[2] = widen8(src[1]);
		argb[3] = widen8(src[2]);
		break;
	case DRM_FORMAT_XRGB16161616:
	case DRM_FORMAT_ARGB16161616:
		argb[0] = format == DRM_FORMAT_ARGB16161616 ?
			  get_unaligned_le16(src + 6) : 0xffff;
		argb[1] = get_unaligned_le16(src + 4);
		argb[2] = get_unaligned_le16(src + 2);
		argb[3] = get_unaligned_le16(src);
		break;
	case DRM_FORMAT_RGB565:
		p16 = get_unaligned_le16(src);
		argb[0] = 0xffff;
		argb[1] = widen(p16 >> 11, 5);
		argb[2] = widen((p16 >> 5) & 0x3f, 6);
		argb[3] = widen(p16 & 0x1f, 5);
		break;
	}
}

/*
 * Read @span of a YCbCr framebuffer @fb, whose colour planes are mapped at
 * @planes (offsets included), converting through @m into @argb.
 */
static void read_yuv_row(const struct drm_framebuffer *fb, const u8 *const *planes,
			 const struct vvram_yuv_matrix *m,
			 const struct vvram_row_span *span, u16 *argb)
{
	u32 format = fb->format->format;
	unsigned int hsub = fb->format->hsub, vsub = fb->format->vsub;
	int x = span->x, y = span->y, i;
	const u8 *c;
	u8 cb, cr;

	for (i = 0; i < span->count; i++, argb += 4) {
		int cx = x / hsub, cy = y / vsub;

		if (format == DRM_FORMAT_YUV420) {
			cb = planes[1][cy * fb->pitches[1] + cx];
			cr = planes[2][cy * fb->pitches[2] + cx];
		} else {
			c = planes[1] + cy * fb->pitches[1] + 2 * cx;
			cb = format == DRM_FORMAT_NV21 ? c[1] : c[0];
			cr = format == DRM_FORMAT_NV21 ? c[0] : c[1];
		}
		yuv_to_argb(m, planes[0][y * fb->pitches[0] + x], cb, cr, argb);
		x += span->dx;
		y += span->dy;
	}
}

/*
 * Read @count pixels of XRGB8888 or ARGB8888 (@opaque: the former) at @src,
 * as read_rgb() would, each with one 64-bit store (little-endian only).
 */
static void read_xrgb8888_row(const u8 *src, int count, bool opaque,
			      u16 *argb)
{
	u64 *dst = (u64 *)argb;
	u32 alpha = opaque ? 0xff000000 : 0;
	int i;

	for (i = 0; i < count; i++, src += 4)
		dst[i] = vvram_widen_argb8888(get_unaligned_le32(src) | alpha);
}

/**
 * vvram_read_row - read a line of a plane's pixels as 16-bit ARGB
 * @ps: the plane state, visible, with a framebuffer
 * @data: the mappings of the framebuffer's colour planes, offsets included
 *	(as drm_gem_fb_vmap() gives them)
 * @span: the framebuffer pixels to read, in display order
 * @argb: out, @span->count pixels, ARGB with 16 bits per channel, straight
 *	from the framebuffer (alpha not yet applied)
 *
 * Context: the composer; no locks, no allocation.
 */
void vvram_read_row(const struct drm_plane_state *ps, const struct iosys_map *data,
		    const struct vvram_row_span *span, u16 *argb)
{
	const struct drm_framebuffer *fb = ps->fb;
	const struct drm_format_info *info = fb->format;
	const u8 *planes[DRM_FORMAT_MAX_PLANES];
	long step;
	const u8 *src;
	unsigned int i;

	for (i = 0; i < info->num_planes; i++)
		planes[i] = data[i].vaddr;
	if (info->is_yuv) {
		enum drm_color_encoding enc = ps->color_encoding;
		enum drm_color_range range = ps->color_range;

		/* The core admits only the enum's values; be safe anyway. */
		if (enc >= DRM_COLOR_ENCODING_MAX)
			enc = DRM_COLOR_YCBCR_BT601;
		if (range >= DRM_COLOR_RANGE_MAX)
			range = DRM_COLOR_YCBCR_LIMITED_RANGE;
		read_yuv_row(fb, planes, &yuv_matrices[enc][range], span, argb);
		return;
	}
	src = planes[0] + span->y * fb->pitches[0] + span->x * info->cpp[0];
	step = (long)span->dy * fb->pitches[0] + (long)span->dx * info->cpp[0];
	/* The common case, an unrotated 8-bit row: no per-pixel switch. */
	if (!IS_ENABLED(CONFIG_CPU_BIG_ENDIAN) && step == 4 &&
	    (info->format == DRM_FORMAT_XRGB8888 ||
	     info->format == DRM_FORMAT_ARGB8888)) {
		read_xrgb8888_row(src, span->count,
				  info->format == DRM_FORMAT_XRGB8888, argb);
		return;
	}
	for (i = 0; i < span->count; i++, argb += 4, src += step)
		read_rgb(info->format, src, argb);
}

/**
 * vvram_write_row - write a line of blended pixels in a writeback format
 * @format: one of vvram_writeback_formats
 * @line: @width pixels, ARGB with 16 bits per channel
 * @width: pixels
 * @dst: where the row goes
 *
 * Context: the composer; no locks, no allocation.
 */
void vvram_write_row(u32 format, const u16 *line, int width, u8 *dst)
{
	u32 a;
	int x;

	/* The common case, without a switch per pixel. */
	if (format == DRM_FORMAT_XRGB8888) {
		for (x = 0; x < width; x++, line += 4, dst += 4)
			put_unaligned_le32(0xffu << 24 |
					   vvram_narrow16(line[1], 8) << 16 |
					   vvram_narrow16(line[2], 8) << 8 |
					   vvram_narrow16(line[3], 8), dst);
		return;
	}

	for (x = 0; x < width; x++, line += 4) {
		switch (format) {
		case DRM_FORMAT_XRGB8888:
		case DRM_FORMAT_ARGB8888:
			a = format == DRM_FORMAT_ARGB8888 ? vvram_narrow16(line[0], 8) : 0xff;
			put_unaligned_le32(a << 24 | vvram_narrow16(line[1], 8) << 16 |
					   vvram_narrow16(line[2], 8) << 8 |
					   vvram_narrow16(line[3], 8), dst);
			dst += 4;
			break;
		case DRM_FORMAT_XRGB16161616:
		case DRM_FORMAT_ARGB16161616:
			put_unaligned_le16(line[3], dst);
			put_unaligned_le16(line[2], dst + 2);
			put_unaligned_le16(line[1], dst + 4);
			put_unaligned_le16(format == DRM_FORMAT_ARGB16161616 ?
					   line[0] : 0xffff, dst + 6);
			dst += 8;
			break;
		case DRM_FORMAT_RGB565:
			put_unaligned_le16(vvram_narrow16(line[1], 5) << 11 |
					   vvram_narrow16(line[2], 6) << 5 |
					   vvram_narrow16(line[3], 5), dst);
			dst += 2;
			break;
		}
	}
}
