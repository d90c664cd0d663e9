// SPDX-License-Identifier: MIT
/*
 * kms_pipeline: the display pipeline any KMS driver with CRC and writeback
 * should have, through libdrm's drmMode* calls and dumb buffers only:
 * modesets on every pipe, page flips and their events, CRCs, writeback
 * byte for byte in every format with a blended, rotated cursor, and
 * errnos for bad input.  Nothing in it knows vvram, so that igt-tests/run
 * also runs it on vkms (built from linux-source-6.12) in the same guest:
 * a subtest that fails on vkms for a feature vkms has is suspect.
 * IGT_FORCE_DRIVER picks the device (vvram when unset).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "vvram_igt.h"

#define MAX_PIPES 8

static int fd = -1;
static struct kms_pipe pipes[MAX_PIPES];
static int num_pipes;

static void modeset_tests(void)
{
	igt_fixture
		num_pipes = kms_pipes(fd, pipes, MAX_PIPES);

	igt_describe("Every connector lights up on its CRTC with its preferred "
		     "mode and turns off again.");
	igt_subtest("modeset-every-pipe") {
		for (int i = 0; i < num_pipes; i++) {
			struct kms_fb fb;

			kms_fb_create(fd, &fb, pipes[i].mode.hdisplay,
				      pipes[i].mode.vdisplay);
			kms_set_crtc(fd, &pipes[i], &fb);
			igt_assert_eq(kms_crtc_fb(fd, &pipes[i]), fb.id);
			kms_disable_crtc(fd, &pipes[i]);
			igt_assert_eq(kms_crtc_fb(fd, &pipes[i]), 0);
			kms_fb_destroy(fd, &fb);
		}
	}
}

/* Nanoseconds between the vblanks of @mode. */
static double frame_ns(const drmModeModeInfo *mode)
{
	return 1e6 * mode->htotal * mode->vtotal / mode->clock;
}

static double ns(const struct timespec *t)
{
	return t->tv_sec * 1e9 + t->tv_nsec;
}

static void flip_tests(void)
{
	struct kms_fb fbs[2];

	igt_fixture {
		num_pipes = kms_pipes(fd, pipes, MAX_PIPES);
		kms_fb_create(fd, &fbs[0], 1920, 1080);
		kms_fb_create(fd, &fbs[1], 1920, 1080);
		kms_set_crtc(fd, &pipes[0], &fbs[0]);
	}

	igt_describe("Right after a modeset, the last vblank's timestamp and "
		     "the first page-flip event's are the time of now (within "
		     "a second, for an emulated machine), not zero or stale.");
	igt_subtest("vblank-timestamps-are-now") {
		drmVBlank vbl = { .request.type = DRM_VBLANK_RELATIVE };
		struct timespec now;
		double stamp;

		kms_disable_crtc(fd, &pipes[0]);
		kms_set_crtc(fd, &pipes[0], &fbs[0]);
		igt_assert_eq(drmWaitVBlank(fd, &vbl), 0);
		clock_gettime(CLOCK_MONOTONIC, &now);
		stamp = vbl.reply.tval_sec * 1e9 + vbl.reply.tval_usec * 1e3;
		igt_assert_f(stamp > ns(&now) - 1e9 && stamp < ns(&now) + 1e9,
			     "last vblank at %.3f s, now is %.3f s\n", stamp / 1e9,
			     ns(&now) / 1e9);
		stamp = kms_flip_and_wait(fd, &pipes[0], &fbs[1]);
		clock_gettime(CLOCK_MONOTONIC, &now);
		igt_assert_f(stamp > ns(&now) - 1e9 && stamp < ns(&now) + 1e9,
			     "first flip at %.3f s, now is %.3f s\n", stamp / 1e9,
			     ns(&now) / 1e9);
	}

	igt_describe("Page flips complete with events whose timestamps step "
		     "by the mode's frame period, within 10%.");
	igt_subtest("flip-event-timestamps") {
		double period = frame_ns(&pipes[0].mode), last = 0, stamp, step;
		double frames, off;
		int i, late = 0;

		for (i = 0; i < 12; i++) {
			stamp = kms_flip_and_wait(fd, &pipes[0], &fbs[(i + 1) % 2]);
			igt_assert_eq(kms_crtc_fb(fd, &pipes[0]), fbs[(i + 1) % 2].id);
			if (i) {
				step = stamp - last;
				frames = (int)(step / period + 0.5);
				off = step / period - frames;
				/* Every stamp is on the vblank grid... */
				igt_assert_f(frames >= 1 && off < 0.1 && off > -0.1,
					     "step %.0f ns is not a multiple of the period %.0f ns\n",
					     step, period);
				/* ...and most flips make the next vblank. */
				if (step > 1.5 * period)
					late++;
			}
			last = stamp;
		}
		igt_assert_f(late <= 6, "%d of 11 flips missed a vblank\n", late);
	}

	igt_describe("A second page flip before the first one's event is "
		     "EBUSY.");
	igt_subtest("flip-twice-is-ebusy") {
		double stamp = -1;

		igt_assert_eq(drmModePageFlip(fd, pipes[0].crtc, fbs[1].id,
					      DRM_MODE_PAGE_FLIP_EVENT, &stamp), 0);
		igt_assert_eq(drmModePageFlip(fd, pipes[0].crtc, fbs[0].id,
					      DRM_MODE_PAGE_FLIP_EVENT, &stamp),
			      -EBUSY);
		while (stamp < 0)
			kms_handle_event(fd);
		igt_assert_eq(kms_crtc_fb(fd, &pipes[0]), fbs[1].id);
	}

	igt_describe("A page flip on a disabled CRTC is EBUSY, as the DRM core "
		     "answers for a CRTC with no framebuffer bound.");
	igt_subtest("flip-disabled-crtc-is-ebusy") {
		kms_disable_crtc(fd, &pipes[0]);
		igt_assert_eq(drmModePageFlip(fd, pipes[0].crtc, fbs[0].id,
					      DRM_MODE_PAGE_FLIP_EVENT, NULL),
			      -EBUSY);
	}

	igt_fixture {
		kms_disable_crtc(fd, &pipes[0]);
		kms_fb_destroy(fd, &fbs[0]);
		kms_fb_destroy(fd, &fbs[1]);
	}
}

/* Open a file of the debugfs directory of CRTC 0. */
static int crc_open(const char *name, int flags)
{
	char path[128];
	struct stat st;

	igt_assert_eq(fstat(fd, &st), 0);
	snprintf(path, sizeof(path), "/sys/kernel/debug/dri/%u/crtc-0/crc/%s",
		 minor(st.st_rdev), name);
	return open(path, flags);
}

/* Read the next CRC entry of @data; returns the CRC, frame in *@frame. */
static uint32_t crc_read(int data, unsigned int *frame)
{
	char line[64];
	unsigned int crc;
	ssize_t n;

	/* "0xFRAMENUM 0xCRC\n" and a NUL: the DRM core's one-value line. */
	n = read(data, line, 23);
	igt_assert_f(n == 23, "reading a CRC entry returned %zd (%m)\n", n);
	igt_assert_eq(sscanf(line, "%x %x", frame, &crc), 2);
	return crc;
}

/*
 * The CRC of the first frame composed after now: entries come in the order
 * of their frames, and those of frames up to the current vblank may have
 * been composed before it.
 */
static uint32_t crc_read_from_now(int data)
{
	drmVBlank vbl = { .request.type = DRM_VBLANK_RELATIVE };
	unsigned int frame;
	uint32_t crc;

	igt_assert_eq(drmWaitVBlank(fd, &vbl), 0);
	do
		crc = crc_read(data, &frame);
	while (frame <= vbl.reply.sequence);
	return crc;
}

static void crc_tests(void)
{
	struct kms_fb fb;
	uint32_t *pixels;
	uint64_t middle;
	int control, data;

	igt_fixture {
		num_pipes = kms_pipes(fd, pipes, MAX_PIPES);
		kms_fb_create(fd, &fb, 1920, 1080);
		/* A pixel the mode shows, whatever mode the driver prefers. */
		middle = pipes[0].mode.vdisplay / 2 * (fb.pitch / 4) +
			 pipes[0].mode.hdisplay / 2;
		pixels = kms_fb_map(fd, &fb);
		for (uint64_t i = 0; i < fb.size / 4; i++)
			pixels[i] = 0xff000000 | (uint32_t)(i * 2654435761u >> 8);
		kms_set_crtc(fd, &pipes[0], &fb);
		control = crc_open("control", O_WRONLY);
		igt_require_f(control >= 0, "no CRC debugfs (debugfs not mounted?)\n");
		igt_assert_eq(write(control, "auto", 4), 4);
		data = crc_open("data", O_RDONLY);
		igt_assert(data >= 0);
	}

	igt_describe("The CRC of a frame that does not change stays the same, "
		     "frame after frame, and the frame counter moves on.");
	igt_subtest("crc-static-frame-is-stable") {
		unsigned int frame, last;
		uint32_t crc = crc_read(data, &last), next;
		int i;

		for (i = 0; i < 5; i++) {
			next = crc_read(data, &frame);
			igt_assert_eq_u32(next, crc);
			igt_assert(frame > last);
			last = frame;
		}
	}

	igt_describe("Changing one pixel of the framebuffer in VRAM changes the "
		     "CRC of the next frame, the new CRC is stable, and undoing "
		     "the change brings the old CRC back.");
	igt_subtest("crc-one-pixel-changes-it") {
		uint32_t before = crc_read_from_now(data), after;
		unsigned int frame;

		pixels[middle] ^= 0x00010000;
		after = crc_read_from_now(data);
		igt_assert_f(after != before, "CRC unchanged by a pixel\n");
		igt_assert_eq_u32(crc_read(data, &frame), after);
		pixels[middle] ^= 0x00010000;
		igt_assert_eq_u32(crc_read_from_now(data), before);
	}

	igt_fixture {
		close(data);
		close(control);
		munmap(pixels, fb.size);
		kms_disable_crtc(fd, &pipes[0]);
		kms_fb_destroy(fd, &fb);
	}

	igt_describe("A CRC source other than auto is refused.");
	igt_subtest("crc-bad-source-is-einval") {
		control = crc_open("control", O_WRONLY);
		igt_require(control >= 0);
		igt_assert_eq(write(control, "bogus", 5), -1);
		igt_assert_eq(errno, EINVAL);
		close(control);
	}
}

/* ---- Writeback ---- */

static void add_plane(drmModeAtomicReq *req, uint32_t plane, const struct kms_pipe *p,
		      const struct kms_fb *fb, int x, int y, int w, int h,
		      uint64_t rotation)
{
	kms_add_prop(fd, req, plane, DRM_MODE_OBJECT_PLANE, "FB_ID", fb->id);
	kms_add_prop(fd, req, plane, DRM_MODE_OBJECT_PLANE, "CRTC_ID", p->crtc);
	kms_add_prop(fd, req, plane, DRM_MODE_OBJECT_PLANE, "SRC_X", 0);
	kms_add_prop(fd, req, plane, DRM_MODE_OBJECT_PLANE, "SRC_Y", 0);
	kms_add_prop(fd, req, plane, DRM_MODE_OBJECT_PLANE, "SRC_W", (uint64_t)w << 16);
	kms_add_prop(fd, req, plane, DRM_MODE_OBJECT_PLANE, "SRC_H", (uint64_t)h << 16);
	kms_add_prop(fd, req, plane, DRM_MODE_OBJECT_PLANE, "CRTC_X", (uint64_t)(int64_t)x);
	kms_add_prop(fd, req, plane, DRM_MODE_OBJECT_PLANE, "CRTC_Y", (uint64_t)(int64_t)y);
	/* Rotated by a quarter turn, the plane is h wide and w high. */
	if (rotation & (DRM_MODE_ROTATE_90 | DRM_MODE_ROTATE_270)) {
		int t = w;

		w = h;
		h = t;
	}
	kms_add_prop(fd, req, plane, DRM_MODE_OBJECT_PLANE, "CRTC_W", w);
	kms_add_prop(fd, req, plane, DRM_MODE_OBJECT_PLANE, "CRTC_H", h);
	kms_add_prop(fd, req, plane, DRM_MODE_OBJECT_PLANE, "rotation", rotation);
}

/* The reference of the composer's arithmetic, 16 bits per channel. */
static uint16_t widen8(uint32_t v)
{
	return (v * 0xffff + 127) / 255;
}

static uint32_t narrow16(uint32_t v, unsigned int bits)
{
	return (v * ((1u << bits) - 1) + 0x7fff) / 0xffff;
}

static void blend_over(uint16_t *dst, const uint16_t *src)
{
	uint32_t keep = 0xffff - src[0];
	int c;

	dst[0] = src[0] + (dst[0] * keep + 0x7fff) / 0xffff;
	for (c = 1; c < 4; c++) {
		uint32_t v = src[c] + (dst[c] * keep + 0x7fff) / 0xffff;

		dst[c] = v > 0xffff ? 0xffff : v;
	}
}

static void argb8888_to_16(uint32_t p, bool alpha, uint16_t *argb)
{
	argb[0] = alpha ? widen8(p >> 24) : 0xffff;
	argb[1] = widen8((p >> 16) & 0xff);
	argb[2] = widen8((p >> 8) & 0xff);
	argb[3] = widen8(p & 0xff);
}

/* The bytes of @argb in writeback @format at @dst; returns the bytes. */
static unsigned int store_pixel(uint32_t format, const uint16_t *argb, uint8_t *dst)
{
	uint32_t v;

	switch (format) {
	case DRM_FORMAT_XRGB8888:
	case DRM_FORMAT_ARGB8888:
		v = (format == DRM_FORMAT_ARGB8888 ? narrow16(argb[0], 8) : 0xff) << 24 |
		    narrow16(argb[1], 8) << 16 | narrow16(argb[2], 8) << 8 |
		    narrow16(argb[3], 8);
		memcpy(dst, &v, 4);
		return 4;
	case DRM_FORMAT_XRGB16161616:
	case DRM_FORMAT_ARGB16161616: {
		uint16_t w[4] = { argb[3], argb[2], argb[1],
				  format == DRM_FORMAT_ARGB16161616 ? argb[0] : 0xffff };

		memcpy(dst, w, 8);
		return 8;
	}
	default: {
		uint16_t w = narrow16(argb[1], 5) << 11 | narrow16(argb[2], 6) << 5 |
			     narrow16(argb[3], 5);

		memcpy(dst, &w, 2);
		return 2;
	}
	}
}

/* Widen an n-bit channel to 16 bits, rounding to nearest. */
static uint16_t widen_bits(uint32_t v, unsigned int bits)
{
	uint32_t max = (1u << bits) - 1;

	return (v * 0xffff + max / 2) / max;
}

/* The 16-bit channels a plane reads from the pixel at @src in @format. */
static void load_pixel(uint32_t format, const uint8_t *src, uint16_t *argb)
{
	uint32_t v;
	uint16_t w[4];

	switch (format) {
	case DRM_FORMAT_XRGB8888:
	case DRM_FORMAT_ARGB8888:
		memcpy(&v, src, 4);
		argb[0] = format == DRM_FORMAT_ARGB8888 ? widen8(v >> 24) : 0xffff;
		argb[1] = widen8((v >> 16) & 0xff);
		argb[2] = widen8((v >> 8) & 0xff);
		argb[3] = widen8(v & 0xff);
		break;
	case DRM_FORMAT_XRGB16161616:
	case DRM_FORMAT_ARGB16161616:
		memcpy(w, src, 8);
		argb[0] = format == DRM_FORMAT_ARGB16161616 ? w[3] : 0xffff;
		argb[1] = w[2];
		argb[2] = w[1];
		argb[3] = w[0];
		break;
	default:
		memcpy(w, src, 2);
		argb[0] = 0xffff;
		argb[1] = widen_bits(w[0] >> 11, 5);
		argb[2] = widen_bits((w[0] >> 5) & 0x3f, 6);
		argb[3] = widen_bits(w[0] & 0x1f, 5);
	}
}

static const struct {
	const char *name;
	uint32_t format, bpp;
} wb_formats[] = {
	{ "xrgb8888", DRM_FORMAT_XRGB8888, 32 },
	{ "argb8888", DRM_FORMAT_ARGB8888, 32 },
	{ "xrgb16161616", DRM_FORMAT_XRGB16161616, 64 },
	{ "argb16161616", DRM_FORMAT_ARGB16161616, 64 },
	{ "rgb565", DRM_FORMAT_RGB565, 16 },
};

static const struct {
	const char *name;
	uint64_t rotation;
} cursor_rotations[] = {
	{ "rotate-0", DRM_MODE_ROTATE_0 },
	{ "rotate-90", DRM_MODE_ROTATE_90 },
	{ "rotate-180", DRM_MODE_ROTATE_180 },
	{ "rotate-270", DRM_MODE_ROTATE_270 },
	{ "reflect-x", DRM_MODE_ROTATE_0 | DRM_MODE_REFLECT_X },
	{ "reflect-y", DRM_MODE_ROTATE_0 | DRM_MODE_REFLECT_Y },
	{ "rotate-90-reflect-x", DRM_MODE_ROTATE_90 | DRM_MODE_REFLECT_X },
};

static const struct {
	const char *name, *prop;
} blend_modes[] = {
	{ "premultiplied", "Pre-multiplied" },
	{ "coverage", "Coverage" },
	{ "none", "None" },
};

#define WB_W 640
#define WB_H 480
#define CUR 64

static uint32_t primary_pixel(int x, int y)
{
	return (uint32_t)(x * 0x010305 + y * 0x070201) & 0xffffff;
}

/* Premultiplied: no channel above alpha. */
static uint32_t cursor_pixel(int x, int y)
{
	uint32_t a = (x * 4 + y) & 0xff, r = a * x / CUR, g = a * y / CUR, b = a / 2;

	return a << 24 | r << 16 | g << 8 | b;
}

/*
 * The 16-bit channels of the primary's pixel (@x, @y) once stored in
 * @format, as the plane reads them back.
 */
static void primary_reference(uint32_t format, int x, int y, uint16_t *argb)
{
	uint8_t bytes[8];

	argb8888_to_16(primary_pixel(x, y) | 0xff000000, true, argb);
	store_pixel(format, argb, bytes);
	load_pixel(format, bytes, argb);
}

/* Position of cursor source pixel (sx, sy) on its unclipped destination. */
static void cursor_forward(uint64_t rotation, int sx, int sy, int *u, int *v)
{
	if (rotation & DRM_MODE_REFLECT_X)
		sx = CUR - 1 - sx;
	if (rotation & DRM_MODE_REFLECT_Y)
		sy = CUR - 1 - sy;
	switch (rotation & 0xf) {
	case DRM_MODE_ROTATE_90:
		*u = sy;
		*v = CUR - 1 - sx;
		break;
	case DRM_MODE_ROTATE_180:
		*u = CUR - 1 - sx;
		*v = CUR - 1 - sy;
		break;
	case DRM_MODE_ROTATE_270:
		*u = CUR - 1 - sy;
		*v = sx;
		break;
	default:
		*u = sx;
		*v = sy;
	}
}

/* Fill the @width x @height 32-bit framebuffer @fb with @pixel. */
static void fb_paint(const struct kms_fb *fb, int width, int height,
		     uint32_t (*pixel)(int, int))
{
	uint32_t *px = kms_fb_map(fd, fb);

	for (int y = 0; y < height; y++)
		for (int x = 0; x < width; x++)
			px[y * (fb->pitch / 4) + x] = pixel(x, y);
	munmap(px, fb->size);
}

/* Turn pipe 0's plane of @type off in @req, if it has one. */
static void plane_off(drmModeAtomicReq *req, uint64_t type)
{
	uint32_t plane = __kms_pipe_plane(fd, &pipes[0], type);

	if (!plane)
		return;
	kms_add_prop(fd, req, plane, DRM_MODE_OBJECT_PLANE, "FB_ID", 0);
	kms_add_prop(fd, req, plane, DRM_MODE_OBJECT_PLANE, "CRTC_ID", 0);
}

/* Premultiplied, and unlike the cursor's: mostly translucent. */
static uint32_t overlay_pixel(int x, int y)
{
	uint32_t a = 0x40 + ((x ^ y) & 0x7f), r = a / 3, g = a * (CUR - 1 - y) / CUR;

	return a << 24 | r << 16 | g << 8 | (a * x / CUR);
}

/**
 * struct wb_scene - what writeback_check() shows over the primary plane
 * @cursor: a CUR x CUR ARGB8888 cursor of cursor_pixel(), or NULL
 * @cx: the cursor's position, x
 * @cy: the cursor's position, y
 * @rotation: the cursor's rotation and reflection
 * @overlay: a CUR x CUR ARGB8888 overlay of overlay_pixel() under the
 *	cursor, or NULL
 * @ox: the overlay's position, x
 * @oy: the overlay's position, y
 * @invert: a GAMMA_LUT that inverts every channel
 * @primary_format: the primary's format, XRGB8888 when 0
 * @orotation: the overlay's rotation and reflection, none when 0
 * @oalpha: the overlay's plane alpha, opaque when 0
 * @oblend: the overlay's pixel blend mode, "Pre-multiplied" when NULL
 * @overlay_on_top: the overlay's zpos above the cursor's
 */
struct wb_scene {
	struct kms_fb *cursor;
	int cx, cy;
	uint64_t rotation;
	struct kms_fb *overlay;
	int ox, oy;
	bool invert;
	uint32_t primary_format;
	uint64_t orotation;
	uint16_t oalpha;
	const char *oblend;
	bool overlay_on_top;
};

/* The zpos the overlay and cursor planes of pipe 0 had at first. */
static uint64_t overlay_zpos, cursor_zpos;

/* Add property @name of @plane to @req, if the plane has it. */
static void add_if_present(drmModeAtomicReq *req, uint32_t plane, const char *name,
			   uint64_t value)
{
	uint32_t prop = vvram_kms_prop_id(fd, plane, DRM_MODE_OBJECT_PLANE, name);

	if (prop)
		igt_assert(drmModeAtomicAddProperty(req, plane, prop, value) > 0);
}

/*
 * The overlay's and cursor's blending properties for @scene, or back to
 * their first values: alpha, blend mode and zpos.
 */
static void add_blending(drmModeAtomicReq *req, const struct wb_scene *scene)
{
	uint32_t overlay = __kms_pipe_plane(fd, &pipes[0], DRM_PLANE_TYPE_OVERLAY);
	uint32_t cursor = __kms_pipe_plane(fd, &pipes[0], DRM_PLANE_TYPE_CURSOR);
	const char *blend = scene->oblend ?: "Pre-multiplied";

	if (scene->oalpha || scene->oblend || scene->overlay_on_top)
		igt_require(overlay && cursor);
	if (scene->oalpha)
		igt_require(vvram_kms_prop_id(fd, overlay, DRM_MODE_OBJECT_PLANE, "alpha"));
	if (overlay) {
		add_if_present(req, overlay, "alpha", scene->oalpha ?: 0xffff);
		if (scene->oblend || vvram_kms_prop_id(fd, overlay, DRM_MODE_OBJECT_PLANE,
						       "pixel blend mode"))
			kms_add_prop(fd, req, overlay, DRM_MODE_OBJECT_PLANE, "pixel blend mode",
				     kms_prop_enum(fd, overlay, DRM_MODE_OBJECT_PLANE,
						   "pixel blend mode", blend));
	}
	if (scene->overlay_on_top) {
		kms_add_prop(fd, req, overlay, DRM_MODE_OBJECT_PLANE, "zpos", cursor_zpos);
		kms_add_prop(fd, req, cursor, DRM_MODE_OBJECT_PLANE, "zpos", overlay_zpos);
	} else if (overlay && cursor) {
		add_if_present(req, overlay, "zpos", overlay_zpos);
		add_if_present(req, cursor, "zpos", cursor_zpos);
	}
}

/* Blend a CUR x CUR plane of @pixel, @rotation, at (@px, @py) into @frame. */
static void blend_reference(uint16_t (*frame)[4], uint32_t (*pixel)(int, int),
			    int px, int py, uint64_t rotation, uint16_t alpha,
			    const char *blend)
{
	int x, y, u, v, c;

	for (y = 0; y < CUR; y++)
		for (x = 0; x < CUR; x++) {
			uint16_t src[4];

			cursor_forward(rotation, x, y, &u, &v);
			u += px;
			v += py;
			if (u < 0 || v < 0 || u >= WB_W || v >= WB_H)
				continue;
			argb8888_to_16(pixel(x, y), true, src);
			/* Made premultiplied as the blend mode says... */
			if (blend && !strcmp(blend, "None"))
				src[0] = 0xffff;
			else if (blend && !strcmp(blend, "Coverage"))
				for (c = 1; c < 4; c++)
					src[c] = (src[c] * src[0] + 0x7fff) / 0xffff;
			/* ...then scaled by the plane's alpha. */
			for (c = 0; alpha != 0xffff && c < 4; c++)
				src[c] = (src[c] * alpha + 0x7fff) / 0xffff;
			blend_over(frame[v * WB_W + u], src);
		}
}

/*
 * Commit a WB_W x WB_H @mode on pipe 0 with @primary and @scene, writing
 * back into a new framebuffer of @format; check its every byte against
 * the reference.
 */
static void writeback_check(const drmModeModeInfo *mode, struct kms_fb *primary,
			    const struct wb_scene *scene, uint32_t format)
{
	struct kms_fb out;
	unsigned int bpp = 0;
	uint16_t (*frame)[4] = calloc(WB_W * WB_H, sizeof(*frame));
	uint32_t blob, lut_blob = 0, gamma;
	drmModeAtomicReq *req = kms_primary_req(fd, &pipes[0], mode, primary, &blob);
	uint8_t *got, expect[8];
	unsigned int n;
	int x, y, c;

	igt_assert(frame);
	for (unsigned int f = 0; f < ARRAY_SIZE(wb_formats); f++)
		if (wb_formats[f].format == format)
			bpp = wb_formats[f].bpp;
	igt_assert(bpp);
	igt_assert_eq(__kms_fb_create(fd, &out, WB_W, WB_H, format, bpp), 0);
	if (scene->overlay)
		add_plane(req, kms_pipe_plane(fd, &pipes[0], DRM_PLANE_TYPE_OVERLAY),
			  &pipes[0], scene->overlay, scene->ox, scene->oy, CUR, CUR,
			  scene->orotation ?: DRM_MODE_ROTATE_0);
	else
		plane_off(req, DRM_PLANE_TYPE_OVERLAY);
	if (scene->cursor)
		add_plane(req, kms_pipe_plane(fd, &pipes[0], DRM_PLANE_TYPE_CURSOR),
			  &pipes[0], scene->cursor, scene->cx, scene->cy, CUR, CUR,
			  scene->rotation ?: DRM_MODE_ROTATE_0);
	else
		plane_off(req, DRM_PLANE_TYPE_CURSOR);
	add_blending(req, scene);
	gamma = vvram_kms_prop_id(fd, pipes[0].crtc, DRM_MODE_OBJECT_CRTC, "GAMMA_LUT");
	if (scene->invert) {
		struct drm_color_lut lut[256];

		igt_require_f(gamma, "the CRTC has no GAMMA_LUT\n");

		for (int i = 0; i < 256; i++)
			lut[i].red = lut[i].green = lut[i].blue = 0xffff - i * 257;
		igt_assert_eq(drmModeCreatePropertyBlob(fd, lut, sizeof(lut), &lut_blob), 0);
	}
	/* Set every time, so that no LUT stays from an earlier subtest. */
	if (gamma)
		igt_assert(drmModeAtomicAddProperty(req, pipes[0].crtc, gamma, lut_blob) > 0);
	kms_writeback_commit(fd, req, &pipes[0], &out, DRM_MODE_ATOMIC_ALLOW_MODESET);

	/* The reference frame: primary, overlay, cursor, then the LUT. */
	for (y = 0; y < WB_H; y++)
		for (x = 0; x < WB_W; x++)
			primary_reference(scene->primary_format ?: DRM_FORMAT_XRGB8888,
					  x, y, frame[y * WB_W + x]);
	if (scene->overlay && !scene->overlay_on_top)
		blend_reference(frame, overlay_pixel, scene->ox, scene->oy,
				scene->orotation, scene->oalpha ?: 0xffff, scene->oblend);
	if (scene->cursor)
		blend_reference(frame, cursor_pixel, scene->cx, scene->cy,
				scene->rotation, 0xffff, NULL);
	if (scene->overlay && scene->overlay_on_top)
		blend_reference(frame, overlay_pixel, scene->ox, scene->oy,
				scene->orotation, scene->oalpha ?: 0xffff, scene->oblend);
	/* On the primary alone every channel is an entry of the LUT exactly. */
	if (scene->invert)
		for (n = 0; n < WB_W * WB_H; n++)
			for (c = 1; c < 4; c++)
				frame[n][c] = 0xffff - frame[n][c];

	got = kms_fb_map(fd, &out);
	for (y = 0; y < WB_H; y++)
		for (x = 0; x < WB_W; x++) {
			n = store_pixel(format, frame[y * WB_W + x], expect);
			igt_assert_f(!memcmp(got + y * out.pitch + x * n, expect, n),
				     "pixel (%d, %d) differs\n", x, y);
		}
	munmap(got, out.size);
	drmModeAtomicFree(req);
	drmModeDestroyPropertyBlob(fd, blob);
	if (lut_blob)
		drmModeDestroyPropertyBlob(fd, lut_blob);
	kms_fb_destroy(fd, &out);
	free(frame);
}

static void writeback_tests(void)
{
	drmModeModeInfo mode;
	struct kms_fb primary, cursor, overlay;

	igt_fixture {
		num_pipes = kms_pipes(fd, pipes, MAX_PIPES);
		igt_require(drmSetClientCap(fd, DRM_CLIENT_CAP_ATOMIC, 1) == 0);
		igt_require(drmSetClientCap(fd, DRM_CLIENT_CAP_WRITEBACK_CONNECTORS, 1) == 0);
		mode = kms_pipe_mode(fd, &pipes[0], WB_W, WB_H);
		kms_fb_create(fd, &primary, WB_W, WB_H);
		fb_paint(&primary, WB_W, WB_H, primary_pixel);
		igt_assert_eq(__kms_fb_create(fd, &cursor, CUR, CUR, DRM_FORMAT_ARGB8888, 32), 0);
		fb_paint(&cursor, CUR, CUR, cursor_pixel);
		igt_assert_eq(__kms_fb_create(fd, &overlay, CUR, CUR, DRM_FORMAT_ARGB8888, 32), 0);
		fb_paint(&overlay, CUR, CUR, overlay_pixel);
		if (vvram_kms_prop_id(fd, __kms_pipe_plane(fd, &pipes[0], DRM_PLANE_TYPE_OVERLAY),
				      DRM_MODE_OBJECT_PLANE, "zpos"))
			overlay_zpos = kms_prop_value(fd, __kms_pipe_plane(fd, &pipes[0],
								DRM_PLANE_TYPE_OVERLAY),
						      DRM_MODE_OBJECT_PLANE, "zpos");
		if (vvram_kms_prop_id(fd, __kms_pipe_plane(fd, &pipes[0], DRM_PLANE_TYPE_CURSOR),
				      DRM_MODE_OBJECT_PLANE, "zpos"))
			cursor_zpos = kms_prop_value(fd, __kms_pipe_plane(fd, &pipes[0],
							       DRM_PLANE_TYPE_CURSOR),
						     DRM_MODE_OBJECT_PLANE, "zpos");
	}

	for (unsigned int f = 0; f < ARRAY_SIZE(wb_formats); f++) {
		igt_describe("Writeback of the primary plane alone gives the "
			     "expected bytes in this format.");
		igt_subtest_f("writeback-%s", wb_formats[f].name) {
			writeback_check(&mode, &primary, &(struct wb_scene){},
					wb_formats[f].format);
		}
	}

	for (unsigned int f = 0; f < ARRAY_SIZE(wb_formats); f++) {
		igt_describe("A primary plane in this format is read as the "
			     "reference reads it: writeback in XRGB16161616 keeps "
			     "every bit.");
		igt_subtest_f("writeback-from-%s", wb_formats[f].name) {
			struct kms_fb in;
			uint8_t *px;

			igt_assert_eq(__kms_fb_create(fd, &in, WB_W, WB_H, wb_formats[f].format,
						      wb_formats[f].bpp), 0);
			px = kms_fb_map(fd, &in);
			for (int y = 0; y < WB_H; y++)
				for (int x = 0; x < WB_W; x++) {
					uint16_t argb[4];

					argb8888_to_16(primary_pixel(x, y) | 0xff000000, true, argb);
					store_pixel(wb_formats[f].format, argb,
						    px + y * in.pitch + x * wb_formats[f].bpp / 8);
				}
			munmap(px, in.size);
			writeback_check(&mode, &in, &(struct wb_scene){
						.primary_format = wb_formats[f].format,
					}, DRM_FORMAT_XRGB16161616);
			kms_fb_destroy(fd, &in);
		}
	}

	for (unsigned int r = 0; r < ARRAY_SIZE(cursor_rotations); r++) {
		igt_describe("An alpha-blended cursor, partly off the bottom-left "
			     "edge and rotated or reflected so, comes back byte "
			     "for byte as the reference blend computes it.");
		igt_subtest_f("writeback-cursor-%s", cursor_rotations[r].name) {
			writeback_check(&mode, &primary, &(struct wb_scene){
						.cursor = &cursor, .cx = -20, .cy = WB_H - 40,
						.rotation = cursor_rotations[r].rotation,
					}, DRM_FORMAT_ARGB8888);
		}
	}

	igt_describe("A translucent overlay partly off the top-right edge, "
		     "rotated and reflected, and the cursor over it partly off the "
		     "top, blend in that order, byte for byte as the reference "
		     "computes it.");
	igt_subtest("writeback-overlay-under-cursor") {
		writeback_check(&mode, &primary, &(struct wb_scene){
					.overlay = &overlay, .ox = WB_W - CUR / 2, .oy = -CUR / 3,
					.orotation = DRM_MODE_ROTATE_270 | DRM_MODE_REFLECT_Y,
					.cursor = &cursor, .cx = WB_W - CUR, .cy = -CUR / 2,
					.rotation = DRM_MODE_ROTATE_0,
				}, DRM_FORMAT_ARGB8888);
	}

	for (unsigned int b = 0; b < ARRAY_SIZE(blend_modes); b++) {
		igt_describe("An overlay at half plane alpha in this pixel blend "
			     "mode, under the cursor, blends byte for byte as the "
			     "reference computes it.");
		igt_subtest_f("writeback-overlay-alpha-%s", blend_modes[b].name) {
			writeback_check(&mode, &primary, &(struct wb_scene){
						.overlay = &overlay, .ox = 100, .oy = 80,
						.oalpha = 0x8000, .oblend = blend_modes[b].prop,
						.cursor = &cursor, .cx = 132, .cy = 112,
					}, DRM_FORMAT_ARGB8888);
		}
	}

	igt_describe("With its zpos above the cursor's, the overlay blends "
		     "over the cursor.");
	igt_subtest("writeback-zpos-overlay-over-cursor") {
		writeback_check(&mode, &primary, &(struct wb_scene){
					.overlay = &overlay, .ox = 100, .oy = 80,
					.cursor = &cursor, .cx = 132, .cy = 112,
					.overlay_on_top = true,
				}, DRM_FORMAT_ARGB8888);
	}

	igt_describe("A GAMMA_LUT that inverts every channel inverts the "
		     "written-back frame.");
	igt_subtest("writeback-gamma-inverts") {
		writeback_check(&mode, &primary, &(struct wb_scene){ .invert = true },
				DRM_FORMAT_XRGB8888);
	}

	igt_describe("A writeback framebuffer of another size than the mode is "
		     "refused, where one of the mode's size is accepted.");
	igt_subtest("writeback-wrong-size-is-einval") {
		uint32_t wb = kms_writeback_connector(fd, &pipes[0]);
		const unsigned int flags = DRM_MODE_ATOMIC_TEST_ONLY |
					   DRM_MODE_ATOMIC_ALLOW_MODESET;
		struct kms_fb outs[2];
		int i;

		kms_fb_create(fd, &outs[0], WB_W, WB_H);
		kms_fb_create(fd, &outs[1], WB_W / 2, WB_H);
		for (i = 0; i < 2; i++) {
			uint32_t blob;
			drmModeAtomicReq *req = kms_primary_req(fd, &pipes[0], &mode,
								&primary, &blob);

			kms_add_prop(fd, req, wb, DRM_MODE_OBJECT_CONNECTOR, "CRTC_ID",
				 pipes[0].crtc);
			kms_add_prop(fd, req, wb, DRM_MODE_OBJECT_CONNECTOR, "WRITEBACK_FB_ID",
				 outs[i].id);
			igt_assert_eq(drmModeAtomicCommit(fd, req, flags, NULL),
				      i ? -EINVAL : 0);
			drmModeAtomicFree(req);
			drmModeDestroyPropertyBlob(fd, blob);
		}
		kms_fb_destroy(fd, &outs[0]);
		kms_fb_destroy(fd, &outs[1]);
	}

	igt_fixture {
		kms_disable_crtc(fd, &pipes[0]);
		kms_fb_destroy(fd, &primary);
		kms_fb_destroy(fd, &cursor);
		kms_fb_destroy(fd, &overlay);
		drmSetClientCap(fd, DRM_CLIENT_CAP_WRITEBACK_CONNECTORS, 0);
		drmSetClientCap(fd, DRM_CLIENT_CAP_ATOMIC, 0);
	}
}

static void bad_input_tests(void)
{
	igt_fixture
		num_pipes = kms_pipes(fd, pipes, MAX_PIPES);

	igt_describe("Plane properties out of their range (rotation, zpos, "
		     "alpha, pixel blend mode) are refused with EINVAL, TEST_ONLY "
		     "or not.");
	igt_subtest("plane-properties-out-of-range") {
		uint32_t plane = kms_pipe_plane(fd, &pipes[0], DRM_PLANE_TYPE_PRIMARY);
		const struct {
			const char *name;
			uint64_t value;
		} bad[] = {
			{ "rotation", 0 },
			{ "rotation", DRM_MODE_ROTATE_0 | DRM_MODE_ROTATE_90 },
			{ "zpos", 1u << 20 },
			{ "alpha", 0x10000 },
			{ "pixel blend mode", 1u << 20 },
		};
		unsigned int tried = 0;

		igt_require(drmSetClientCap(fd, DRM_CLIENT_CAP_ATOMIC, 1) == 0);
		for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
			uint32_t prop = vvram_kms_prop_id(fd, plane, DRM_MODE_OBJECT_PLANE,
							  bad[i].name);
			drmModeAtomicReq *req;

			if (!prop)
				continue;
			req = drmModeAtomicAlloc();
			igt_assert(drmModeAtomicAddProperty(req, plane, prop, bad[i].value) > 0);
			igt_assert_eq(drmModeAtomicCommit(fd, req, DRM_MODE_ATOMIC_TEST_ONLY, NULL),
				      -EINVAL);
			igt_assert_eq(drmModeAtomicCommit(fd, req, 0, NULL), -EINVAL);
			drmModeAtomicFree(req);
			tried++;
		}
		drmSetClientCap(fd, DRM_CLIENT_CAP_ATOMIC, 0);
		igt_assert(tried);
	}

	igt_describe("A framebuffer smaller than the mode is refused.");
	igt_subtest("fb-smaller-than-mode-is-enospc") {
		struct kms_fb fb;

		kms_fb_create(fd, &fb, 640, 480);
		igt_assert_eq(__kms_set_crtc(fd, &pipes[0], &fb, &pipes[0].mode), -ENOSPC);
		kms_fb_destroy(fd, &fb);
	}

	igt_describe("Framebuffers with a bad pitch, offset, format, modifier "
		     "or handle are refused when created.");
	igt_subtest("addfb-bad-input") {
		/* Modifiers no plane takes: DRM_FORMAT_MOD_INVALID, X-tiled. */
		static const uint64_t no_plane_modifiers[] = {
			DRM_FORMAT_MOD_INVALID,
			fourcc_mod_code(INTEL, 1),
		};
		uint32_t handles[4] = {}, pitches[4] = {}, offsets[4] = {};
		uint32_t pitch, handle, id;
		uint64_t size;

		igt_assert_eq(drmModeCreateDumbBuffer(fd, 256, 256, 32, 0, &handle,
						      &pitch, &size), 0);
		handles[0] = handle;
		pitches[0] = 256 * 4 - 4;	/* shorter than a row */
		igt_assert_eq(drmModeAddFB2(fd, 256, 256, DRM_FORMAT_XRGB8888,
					    handles, pitches, offsets, &id, 0), -EINVAL);
		pitches[0] = pitch;
		offsets[0] = size;		/* past the end of the BO */
		igt_assert_eq(drmModeAddFB2(fd, 256, 256, DRM_FORMAT_XRGB8888,
					    handles, pitches, offsets, &id, 0), -EINVAL);
		offsets[0] = 0;
		igt_assert_eq(drmModeAddFB2(fd, 256, 256, DRM_FORMAT_NV12,
					    handles, pitches, offsets, &id, 0), -EINVAL);
		for (unsigned int i = 0; i < ARRAY_SIZE(no_plane_modifiers); i++) {
			uint64_t modifiers[4] = { no_plane_modifiers[i] };

			igt_assert_eq(drmModeAddFB2WithModifiers(fd, 256, 256,
								 DRM_FORMAT_XRGB8888,
								 handles, pitches, offsets,
								 modifiers, &id,
								 DRM_MODE_FB_MODIFIERS),
				      -EINVAL);
		}
		handles[0] = handle + 1000;	/* no such handle in this file */
		igt_assert_eq(drmModeAddFB2(fd, 256, 256, DRM_FORMAT_XRGB8888,
					    handles, pitches, offsets, &id, 0), -ENOENT);
		drmModeDestroyDumbBuffer(fd, handle);
	}

}

igt_main
{
	static const vvram_topic_fn topics[] = {
		modeset_tests,
		flip_tests,
		crc_tests,
		bad_input_tests,
		writeback_tests,
	};

	igt_fixture
		fd = kms_igt_open();
	for (unsigned int i = 0; i < ARRAY_SIZE(topics); i++)
		igt_subtest_group
			topics[i]();
	igt_fixture
		close(fd);
}
