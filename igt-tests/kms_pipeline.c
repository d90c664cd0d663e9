// SPDX-License-Identifier: MIT
/*
 * kms_pipeline: the display pipeline any KMS driver with CRC and writeback
 * should have, through libdrm's drmMode* calls and dumb buffers only:
 * modesets on every pipe, page flips and their events, CRCs, writeback
 * byte for byte in every format with a blended, rotated cursor, from
 * primaries in RGB and YCbCr formats (the latter against the test's own
 * fixed-point conversion), and errnos for bad input.  Nothing in it knows vvram, so that igt-tests/run
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

/* VVRAM_TIME_SCALE: how much slower than usual the kernel runs (tools/vm/run). */
static int time_scale(void)
{
	const char *scale = getenv("VVRAM_TIME_SCALE");

	return scale && atoi(scale) > 1 ? atoi(scale) : 1;
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
		     "by the mode's frame period, within 10%, and most make the "
		     "next vblank (not judged on a slowed-down debug kernel).");
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
		/* A debug kernel is too slow to be judged on that. */
		if (time_scale() == 1)
			igt_assert_f(late <= 6, "%d of 11 flips missed a vblank\n", late);
		else
			igt_info("%d of 11 flips missed a vblank\n", late);
	}

	igt_describe("A second page flip before the first one's event is "
		     "EBUSY. (On a slow kernel the first may complete before "
		     "the second is asked for: then both complete, one vblank "
		     "after the other, and it is tried again, up to 10 times.)");
	igt_subtest("flip-twice-is-ebusy") {
		bool busy = false;
		int shown = 0, ret;

		for (int attempt = 0; attempt < 10 && !busy; attempt++) {
			double first = -1, second = -1;

			igt_assert_eq(drmModePageFlip(fd, pipes[0].crtc, fbs[!shown].id,
						      DRM_MODE_PAGE_FLIP_EVENT, &first), 0);
			ret = drmModePageFlip(fd, pipes[0].crtc, fbs[shown].id,
					      DRM_MODE_PAGE_FLIP_EVENT, &second);
			busy = ret == -EBUSY;
			if (!busy)
				igt_assert_eq(ret, 0);
			while (first < 0 || (!busy && second < 0))
				kms_handle_event(fd);
			if (!busy) {
				igt_assert_f(second > first,
					     "the second flip completed at %.0f ns, the first at %.0f ns\n",
					     second, first);
				igt_info("attempt %d: the first flip completed before the second\n",
					 attempt);
			} else {
				shown = !shown;
			}
			igt_assert_eq(kms_crtc_fb(fd, &pipes[0]), fbs[shown].id);
		}
		igt_assert_f(busy, "no second flip of 10 was EBUSY\n");
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

/*
 * Show the @w x @h source rectangle of @fb at (@sx, @sy) on @plane at
 * (@x, @y), rotated by @rotation.
 */
static void add_plane(drmModeAtomicReq *req, uint32_t plane, const struct kms_pipe *p,
		      const struct kms_fb *fb, int sx, int sy, int x, int y, int w, int h,
		      uint64_t rotation)
{
	kms_add_prop(fd, req, plane, DRM_MODE_OBJECT_PLANE, "FB_ID", fb->id);
	kms_add_prop(fd, req, plane, DRM_MODE_OBJECT_PLANE, "CRTC_ID", p->crtc);
	kms_add_prop(fd, req, plane, DRM_MODE_OBJECT_PLANE, "SRC_X", (uint64_t)sx << 16);
	kms_add_prop(fd, req, plane, DRM_MODE_OBJECT_PLANE, "SRC_Y", (uint64_t)sy << 16);
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
	case DRM_FORMAT_XBGR8888:
	case DRM_FORMAT_ABGR8888:
		dst[0] = narrow16(argb[1], 8);
		dst[1] = narrow16(argb[2], 8);
		dst[2] = narrow16(argb[3], 8);
		dst[3] = format == DRM_FORMAT_ABGR8888 ? narrow16(argb[0], 8) : 0xff;
		return 4;
	case DRM_FORMAT_RGB888:
	case DRM_FORMAT_BGR888:
		/* Little-endian [23:0] R:G:B, so blue first; BGR888 the other way. */
		dst[format == DRM_FORMAT_RGB888 ? 2 : 0] = narrow16(argb[1], 8);
		dst[1] = narrow16(argb[2], 8);
		dst[format == DRM_FORMAT_RGB888 ? 0 : 2] = narrow16(argb[3], 8);
		return 3;
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
	case DRM_FORMAT_XBGR8888:
	case DRM_FORMAT_ABGR8888:
		argb[0] = format == DRM_FORMAT_ABGR8888 ? widen8(src[3]) : 0xffff;
		argb[1] = widen8(src[0]);
		argb[2] = widen8(src[1]);
		argb[3] = widen8(src[2]);
		break;
	case DRM_FORMAT_RGB888:
	case DRM_FORMAT_BGR888:
		argb[0] = 0xffff;
		argb[1] = widen8(src[format == DRM_FORMAT_RGB888 ? 2 : 0]);
		argb[2] = widen8(src[1]);
		argb[3] = widen8(src[format == DRM_FORMAT_RGB888 ? 0 : 2]);
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

/* Formats planes take but writeback need not: read back in XRGB16161616. */
static const struct {
	const char *name;
	uint32_t format, bpp;
} plane_rgb_formats[] = {
	{ "xbgr8888", DRM_FORMAT_XBGR8888, 32 },
	{ "abgr8888", DRM_FORMAT_ABGR8888, 32 },
	{ "rgb888", DRM_FORMAT_RGB888, 24 },
	{ "bgr888", DRM_FORMAT_BGR888, 24 },
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

/*
 * Position of pixel (sx, sy) of a @w x @h source rectangle on its
 * unclipped destination, rotated by @rotation.
 */
static void plane_forward(uint64_t rotation, int w, int h, int sx, int sy,
			  int *u, int *v)
{
	if (rotation & DRM_MODE_REFLECT_X)
		sx = w - 1 - sx;
	if (rotation & DRM_MODE_REFLECT_Y)
		sy = h - 1 - sy;
	switch (rotation & 0xf) {
	case DRM_MODE_ROTATE_90:
		*u = sy;
		*v = w - 1 - sx;
		break;
	case DRM_MODE_ROTATE_180:
		*u = w - 1 - sx;
		*v = h - 1 - sy;
		break;
	case DRM_MODE_ROTATE_270:
		*u = h - 1 - sy;
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
 * @degamma_invert: a DEGAMMA_LUT that inverts every channel
 * @ctm: a CTM, or NULL
 * @primary_format: the primary's format, XRGB8888 when 0
 * @orotation: the overlay's rotation and reflection, none when 0
 * @oalpha: the overlay's plane alpha, opaque when 0
 * @oblend: the overlay's pixel blend mode, "Pre-multiplied" when NULL
 * @overlay_on_top: the overlay's zpos above the cursor's
 * @primary_argb: what the primary's framebuffer holds, each pixel as the
 *	plane reads it, @primary_stride pixels per row; NULL to compute it
 *	from primary_pixel() and @primary_format
 * @primary_stride: pixels per row of @primary_argb
 * @psx: the primary's source rectangle, x (WB_W x WB_H, or WB_H x WB_W
 *	when @protation turns it by a quarter)
 * @psy: the primary's source rectangle, y
 * @protation: the primary's rotation and reflection, none when 0
 * @encoding: the primary's COLOR_ENCODING, its entry name; BT.601 if NULL
 * @range: the primary's COLOR_RANGE, its entry name; limited if NULL
 */
struct wb_scene {
	struct kms_fb *cursor;
	int cx, cy;
	uint64_t rotation;
	struct kms_fb *overlay;
	int ox, oy;
	bool invert, degamma_invert;
	const struct drm_color_ctm *ctm;
	uint32_t primary_format;
	uint64_t orotation;
	uint16_t oalpha;
	const char *oblend;
	bool overlay_on_top;
	const uint16_t (*primary_argb)[4];
	int primary_stride;
	int psx, psy;
	uint64_t protation;
	const char *encoding, *range;
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

			plane_forward(rotation, CUR, CUR, x, y, &u, &v);
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
 * An atomic request that shows @primary on pipe 0's primary plane in
 * @mode as @scene says: the whole WB_W x WB_H mode, from the source
 * rectangle at (psx, psy), rotated by protation, with the scene's
 * COLOR_ENCODING and COLOR_RANGE where the plane has them.  The mode's
 * blob goes to *@blob.
 */
static drmModeAtomicReq *primary_req(const drmModeModeInfo *mode, const struct kms_fb *primary,
				     const struct wb_scene *scene, uint32_t *blob)
{
	uint32_t plane = kms_pipe_plane(fd, &pipes[0], DRM_PLANE_TYPE_PRIMARY);
	uint64_t rotation = scene->protation ?: DRM_MODE_ROTATE_0;
	bool quarter = rotation & (DRM_MODE_ROTATE_90 | DRM_MODE_ROTATE_270);
	drmModeAtomicReq *req;

	if (!scene->psx && !scene->psy && !scene->protation) {
		req = kms_primary_req(fd, &pipes[0], mode, primary, blob);
		/* Set every time, so that no rotation stays from an earlier subtest. */
		add_if_present(req, plane, "rotation", DRM_MODE_ROTATE_0);
	} else {
		req = drmModeAtomicAlloc();
		igt_assert(req);
		igt_assert_eq(drmModeCreatePropertyBlob(fd, mode, sizeof(*mode), blob), 0);
		kms_add_prop(fd, req, pipes[0].crtc, DRM_MODE_OBJECT_CRTC, "MODE_ID", *blob);
		kms_add_prop(fd, req, pipes[0].crtc, DRM_MODE_OBJECT_CRTC, "ACTIVE", 1);
		kms_add_prop(fd, req, pipes[0].connector, DRM_MODE_OBJECT_CONNECTOR, "CRTC_ID",
			     pipes[0].crtc);
		add_plane(req, plane, &pipes[0], primary, scene->psx, scene->psy, 0, 0,
			  quarter ? WB_H : WB_W, quarter ? WB_W : WB_H, rotation);
	}
	if (scene->encoding)
		kms_add_prop(fd, req, plane, DRM_MODE_OBJECT_PLANE, "COLOR_ENCODING",
			     kms_prop_enum(fd, plane, DRM_MODE_OBJECT_PLANE, "COLOR_ENCODING",
					   scene->encoding));
	else if (vvram_kms_prop_id(fd, plane, DRM_MODE_OBJECT_PLANE, "COLOR_ENCODING"))
		kms_add_prop(fd, req, plane, DRM_MODE_OBJECT_PLANE, "COLOR_ENCODING",
			     kms_prop_enum(fd, plane, DRM_MODE_OBJECT_PLANE, "COLOR_ENCODING",
					   "ITU-R BT.601 YCbCr"));
	if (scene->range)
		kms_add_prop(fd, req, plane, DRM_MODE_OBJECT_PLANE, "COLOR_RANGE",
			     kms_prop_enum(fd, plane, DRM_MODE_OBJECT_PLANE, "COLOR_RANGE",
					   scene->range));
	else if (vvram_kms_prop_id(fd, plane, DRM_MODE_OBJECT_PLANE, "COLOR_RANGE"))
		kms_add_prop(fd, req, plane, DRM_MODE_OBJECT_PLANE, "COLOR_RANGE",
			     kms_prop_enum(fd, plane, DRM_MODE_OBJECT_PLANE, "COLOR_RANGE",
					   "YCbCr limited range"));
	return req;
}

/*
 * The primary's part of the reference frame from @scene's primary_argb:
 * each pixel of the source rectangle goes where the rotation sends it.
 */
static void primary_from_argb(uint16_t (*frame)[4], const struct wb_scene *scene)
{
	uint64_t rotation = scene->protation ?: DRM_MODE_ROTATE_0;
	bool quarter = rotation & (DRM_MODE_ROTATE_90 | DRM_MODE_ROTATE_270);
	int w = quarter ? WB_H : WB_W, h = quarter ? WB_W : WB_H, x, y, u, v;

	for (y = 0; y < h; y++)
		for (x = 0; x < w; x++) {
			plane_forward(rotation, w, h, x, y, &u, &v);
			memcpy(frame[v * WB_W + u],
			       scene->primary_argb[(scene->psy + y) * scene->primary_stride +
						   scene->psx + x], 4 * sizeof(uint16_t));
		}
}

/*
 * The colour pipeline's reference, as the driver documents it: each LUT
 * entry is the channel rounded to 8 bits; the CTM takes each coefficient
 * as sign and magnitude (at most 2^47 - 1), sums the products shifted
 * right by 16 bits, then rounds halves up and clamps to 16 bits.
 */
static uint16_t invert_lut_reference(uint16_t c)
{
	unsigned int entry = (c * 255u + 32767) / 65535;

	return 0xffff - entry * 257;
}

static void ctm_reference(const struct drm_color_ctm *ctm, uint16_t px[4])
{
	int64_t sum[3] = {};

	for (int row = 0; row < 3; row++)
		for (int col = 0; col < 3; col++) {
			uint64_t coef = ctm->matrix[3 * row + col];
			uint64_t magnitude = coef & ~(1ull << 63);
			int64_t term;

			if (magnitude > (1ull << 47) - 1)
				magnitude = (1ull << 47) - 1;
			term = (int64_t)((magnitude * px[1 + col]) >> 16);
			sum[row] += coef >> 63 ? -term : term;
		}
	for (int row = 0; row < 3; row++) {
		int64_t v = (sum[row] + 0x8000) >> 16;

		px[1 + row] = v < 0 ? 0 : v > 0xffff ? 0xffff : v;
	}
}

/* @eighths / 8 in the CTM's sign-magnitude S31.32. */
#define CTM_EIGHTHS(eighths) \
	((eighths) < 0 ? (uint64_t)-(eighths) << 29 | 1ull << 63 : (uint64_t)(eighths) << 29)

/* Set CRTC property @name to a new blob of @data, or to none. */
static uint32_t add_crtc_blob(drmModeAtomicReq *req, const char *name,
			      const void *data, size_t size)
{
	uint32_t prop = vvram_kms_prop_id(fd, pipes[0].crtc, DRM_MODE_OBJECT_CRTC, name);
	uint32_t blob = 0;

	igt_require_f(prop || !data, "the CRTC has no %s\n", name);
	if (data)
		igt_assert_eq(drmModeCreatePropertyBlob(fd, data, size, &blob), 0);
	/* Set every time, so that no blob stays from an earlier subtest. */
	if (prop)
		igt_assert(drmModeAtomicAddProperty(req, pipes[0].crtc, prop, blob) > 0);
	return blob;
}

static const struct drm_color_ctm ctm_rotate = { .matrix = {
	0, CTM_EIGHTHS(8), 0,
	0, 0, CTM_EIGHTHS(8),
	CTM_EIGHTHS(8), 0, 0,
} };
static const struct drm_color_ctm ctm_mix = { .matrix = {
	CTM_EIGHTHS(12), CTM_EIGHTHS(-2), 0,
	0, CTM_EIGHTHS(4), CTM_EIGHTHS(1),
	CTM_EIGHTHS(-8), 0, CTM_EIGHTHS(16),
} };
static const struct drm_color_ctm ctm_half = { .matrix = {
	CTM_EIGHTHS(4), 0, 0,
	0, CTM_EIGHTHS(4), 0,
	0, 0, CTM_EIGHTHS(4),
} };
static const struct drm_color_ctm ctm_huge = { .matrix = {
	1ull << 62, 1ull << 62 | 1ull << 63, 0,
	0, 1, 0,
	0, 0, 1ull << 63 | 1ull << 40,
} };

/* The writeback-color-* subtests: each a colour pipeline on the primary. */
static const struct {
	const char *name, *what;
	struct wb_scene scene;
} color_cases[] = {
	{ "degamma-inverts", "inverts every channel with an inverting DEGAMMA_LUT",
	  { .degamma_invert = true } },
	{ "ctm-rotates-channels", "moves green to red, blue to green and red to blue with a CTM",
	  { .ctm = &ctm_rotate } },
	{ "ctm-mixes-and-clamps", "mixes channels with fractional and negative CTM coefficients, clamping below 0 and above 1",
	  { .ctm = &ctm_mix } },
	{ "ctm-huge-coefficients", "takes CTM coefficients beyond 32768.0 as 32768.0",
	  { .ctm = &ctm_huge } },
	{ "degamma-ctm-gamma-in-order", "applies an inverting DEGAMMA_LUT, a halving CTM and an inverting GAMMA_LUT in that order",
	  { .degamma_invert = true, .ctm = &ctm_half, .invert = true } },
};

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
	uint32_t blob, color_blobs[3];
	struct drm_color_lut invert_lut[256];
	drmModeAtomicReq *req = primary_req(mode, primary, scene, &blob);
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
			  &pipes[0], scene->overlay, 0, 0, scene->ox, scene->oy, CUR, CUR,
			  scene->orotation ?: DRM_MODE_ROTATE_0);
	else
		plane_off(req, DRM_PLANE_TYPE_OVERLAY);
	if (scene->cursor)
		add_plane(req, kms_pipe_plane(fd, &pipes[0], DRM_PLANE_TYPE_CURSOR),
			  &pipes[0], scene->cursor, 0, 0, scene->cx, scene->cy, CUR, CUR,
			  scene->rotation ?: DRM_MODE_ROTATE_0);
	else
		plane_off(req, DRM_PLANE_TYPE_CURSOR);
	add_blending(req, scene);
	for (int i = 0; i < 256; i++)
		invert_lut[i].red = invert_lut[i].green = invert_lut[i].blue =
			0xffff - i * 257;
	color_blobs[0] = add_crtc_blob(req, "DEGAMMA_LUT",
				       scene->degamma_invert ? invert_lut : NULL,
				       sizeof(invert_lut));
	color_blobs[1] = add_crtc_blob(req, "CTM", scene->ctm, sizeof(*scene->ctm));
	color_blobs[2] = add_crtc_blob(req, "GAMMA_LUT",
				       scene->invert ? invert_lut : NULL,
				       sizeof(invert_lut));
	kms_writeback_commit(fd, req, &pipes[0], &out, DRM_MODE_ATOMIC_ALLOW_MODESET);

	/* The reference frame: primary, overlay, cursor, then the colour pipeline. */
	if (scene->primary_argb)
		primary_from_argb(frame, scene);
	else
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
	for (n = 0; n < WB_W * WB_H; n++) {
		for (c = 1; c < 4 && scene->degamma_invert; c++)
			frame[n][c] = invert_lut_reference(frame[n][c]);
		if (scene->ctm)
			ctm_reference(scene->ctm, frame[n]);
		for (c = 1; c < 4 && scene->invert; c++)
			frame[n][c] = invert_lut_reference(frame[n][c]);
	}

	got = kms_fb_map(fd, &out);
	for (y = 0; y < WB_H; y++)
		for (x = 0; x < WB_W; x++) {
			uint64_t is = 0, want = 0;

			n = store_pixel(format, frame[y * WB_W + x], expect);
			memcpy(&is, got + y * out.pitch + x * n, n);
			memcpy(&want, expect, n);
			igt_assert_f(is == want, "pixel (%d, %d) is %#llx, not %#llx\n", x, y,
				     (unsigned long long)is, (unsigned long long)want);
		}
	munmap(got, out.size);
	drmModeAtomicFree(req);
	drmModeDestroyPropertyBlob(fd, blob);
	for (c = 0; c < 3; c++)
		if (color_blobs[c])
			drmModeDestroyPropertyBlob(fd, color_blobs[c]);
	kms_fb_destroy(fd, &out);
	free(frame);
}

/* ---- YCbCr ---- */

/* The YCbCr framebuffers are YUV_FB x YUV_FB; each subtest shows a part. */
#define YUV_FB 672

static const struct {
	const char *name;
	uint32_t format;
	bool one_bo;
} yuv_formats[] = {
	{ "nv12", DRM_FORMAT_NV12, true },
	{ "nv21", DRM_FORMAT_NV21, true },
	{ "nv16", DRM_FORMAT_NV16, true },
	{ "yuv420", DRM_FORMAT_YUV420, false },
};

/* Kr and Kb of each standard, as its recommendation gives them. */
static const struct {
	const char *name, *prop;
	double kr, kb;
} yuv_encodings[] = {
	{ "bt601", "ITU-R BT.601 YCbCr", 0.299, 0.114 },
	{ "bt709", "ITU-R BT.709 YCbCr", 0.2126, 0.0722 },
	{ "bt2020", "ITU-R BT.2020 YCbCr", 0.2627, 0.0593 },
};

static const struct {
	const char *name, *prop;
	bool full;
} yuv_ranges[] = {
	{ "limited", "YCbCr limited range", false },
	{ "full", "YCbCr full range", true },
};

/* A cropped source turned every way, a colour plane per BO or not. */
static const struct {
	const char *name;
	uint32_t format;
	bool one_bo;
	uint64_t rotation;
} yuv_rotated[] = {
	{ "nv12-cropped-rotate-90", DRM_FORMAT_NV12, false, DRM_MODE_ROTATE_90 },
	{ "nv21-cropped-rotate-270-reflect-x", DRM_FORMAT_NV21, true,
	  DRM_MODE_ROTATE_270 | DRM_MODE_REFLECT_X },
	{ "nv16-cropped-rotate-180", DRM_FORMAT_NV16, false, DRM_MODE_ROTATE_180 },
	{ "yuv420-cropped-reflect-y", DRM_FORMAT_YUV420, true,
	  DRM_MODE_ROTATE_0 | DRM_MODE_REFLECT_Y },
};

/*
 * The samples of the test's YCbCr framebuffers: Y of pixel (x, y), Cb and
 * Cr of chroma sample (x, y).  Every code value occurs, outside the
 * limited range too, and no two neighbouring chroma samples are equal.
 */
static uint8_t yuv_sample(int component, int x, int y)
{
	switch (component) {
	case 0:
		return x * 7 + y * 3;
	case 1:
		return x * 5 + y * 11 + 64;
	default:
		return (x * 3) ^ (y * 13 + 1);
	}
}

/*
 * The conversion as vvram_formats.c documents it, its coefficients
 * computed here from Kr and Kb: 8-bit codes to 16-bit channels in units
 * of 2^-12, rounded to nearest.
 */
struct yuv_coeffs {
	int64_t y0, cy, crv, cgu, cgv, cbu;
};

static int64_t round_pos(double v)
{
	return (int64_t)(v + 0.5);
}

static struct yuv_coeffs yuv_coeffs(double kr, double kb, bool full)
{
	double kg = 1 - kr - kb, unit = 4096.0 * 257;
	double ys = full ? 1 : 255.0 / 219, cs = full ? 1 : 255.0 / 224;

	return (struct yuv_coeffs){
		.y0 = full ? 0 : 16,
		.cy = round_pos(unit * ys),
		.crv = round_pos(unit * cs * 2 * (1 - kr)),
		.cgu = round_pos(unit * cs * 2 * kb * (1 - kb) / kg),
		.cgv = round_pos(unit * cs * 2 * kr * (1 - kr) / kg),
		.cbu = round_pos(unit * cs * 2 * (1 - kb)),
	};
}

/* A sum in units of 2^-12 as a 16-bit channel: rounded, clamped. */
static uint16_t yuv_channel(int64_t sum)
{
	sum += 2048;
	if (sum < 0)
		return 0;
	sum /= 4096;
	return sum > 0xffff ? 0xffff : sum;
}

static void yuv_reference(const struct yuv_coeffs *k, int y8, int cb, int cr, uint16_t *argb)
{
	int64_t y = k->cy * (y8 - k->y0);

	argb[0] = 0xffff;
	argb[1] = yuv_channel(y + k->crv * (cr - 128));
	argb[2] = yuv_channel(y - k->cgu * (cb - 128) - k->cgv * (cr - 128));
	argb[3] = yuv_channel(y + k->cbu * (cb - 128));
}

/*
 * Show a YUV_FB x YUV_FB framebuffer of the YCbCr @format on pipe 0's
 * primary, from (@sx, @sy), rotated by @rotation, in COLOR_ENCODING @enc
 * and COLOR_RANGE @range (indices of the tables above), and check the
 * frame written back in XRGB16161616 against the reference, which
 * samples chroma nearest: pixel (x, y) takes chroma sample (x / 2, y / 2),
 * or (x / 2, y) in 4:2:2.
 */
static void writeback_yuv(const drmModeModeInfo *mode, uint32_t format, bool one_bo,
			  unsigned int enc, unsigned int range, int sx, int sy,
			  uint64_t rotation)
{
	struct yuv_coeffs k = yuv_coeffs(yuv_encodings[enc].kr, yuv_encodings[enc].kb,
					 yuv_ranges[range].full);
	uint16_t (*argb)[4] = calloc(YUV_FB * YUV_FB, sizeof(*argb));
	int vsub = format == DRM_FORMAT_NV16 ? 1 : 2, ret;
	struct kms_yuv_fb yuv;
	struct kms_fb view;

	igt_assert(argb);
	ret = __kms_yuv_fb_create(fd, &yuv, format, YUV_FB, YUV_FB, one_bo);
	igt_require_f(ret != -EINVAL, "no plane takes the format\n");
	igt_assert_eq(ret, 0);
	kms_yuv_fb_fill(fd, &yuv, yuv_sample);
	for (int y = 0; y < YUV_FB; y++)
		for (int x = 0; x < YUV_FB; x++)
			yuv_reference(&k, yuv_sample(0, x, y), yuv_sample(1, x / 2, y / vsub),
				      yuv_sample(2, x / 2, y / vsub), argb[y * YUV_FB + x]);
	view = (struct kms_fb){ .id = yuv.id };
	writeback_check(mode, &view, &(struct wb_scene){
				.primary_argb = (const uint16_t (*)[4])argb,
				.primary_stride = YUV_FB,
				.psx = sx, .psy = sy, .protation = rotation,
				.encoding = yuv_encodings[enc].prop,
				.range = yuv_ranges[range].prop,
			}, DRM_FORMAT_XRGB16161616);
	kms_yuv_fb_destroy(fd, &yuv);
	free(argb);
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

	for (unsigned int f = 0; f < ARRAY_SIZE(plane_rgb_formats); f++) {
		igt_describe("A primary plane in this RGB format, which writeback "
			     "need not take, is read as the reference reads it: "
			     "writeback in XRGB16161616 keeps every bit.");
		igt_subtest_f("writeback-from-%s", plane_rgb_formats[f].name) {
			unsigned int cpp = plane_rgb_formats[f].bpp / 8;
			struct kms_fb in;
			uint8_t *px;
			int ret;

			ret = __kms_fb_create(fd, &in, WB_W, WB_H, plane_rgb_formats[f].format,
					      plane_rgb_formats[f].bpp);
			igt_require_f(ret != -EINVAL, "no plane takes the format\n");
			igt_assert_eq(ret, 0);
			px = kms_fb_map(fd, &in);
			for (int y = 0; y < WB_H; y++)
				for (int x = 0; x < WB_W; x++) {
					uint16_t argb[4];

					argb8888_to_16(primary_pixel(x, y) | 0xff000000, true, argb);
					store_pixel(plane_rgb_formats[f].format, argb,
						    px + y * in.pitch + x * cpp);
				}
			munmap(px, in.size);
			writeback_check(&mode, &in, &(struct wb_scene){
						.primary_format = plane_rgb_formats[f].format,
					}, DRM_FORMAT_XRGB16161616);
			kms_fb_destroy(fd, &in);
		}
	}

	for (unsigned int f = 0; f < ARRAY_SIZE(yuv_formats); f++)
		for (unsigned int e = 0; e < ARRAY_SIZE(yuv_encodings); e++)
			for (unsigned int r = 0; r < ARRAY_SIZE(yuv_ranges); r++) {
				igt_describe("A primary plane in this YCbCr format, "
					     "COLOR_ENCODING and COLOR_RANGE, from a "
					     "cropped source, is converted exactly as the "
					     "test computes it from the standard's Kr and "
					     "Kb, chroma sampled nearest; written back in "
					     "XRGB16161616.");
				igt_subtest_f("writeback-from-%s-%s-%s", yuv_formats[f].name,
					      yuv_encodings[e].name, yuv_ranges[r].name)
					writeback_yuv(&mode, yuv_formats[f].format,
						      yuv_formats[f].one_bo, e, r, 16, 8,
						      DRM_MODE_ROTATE_0);
			}

	for (unsigned int i = 0; i < ARRAY_SIZE(yuv_rotated); i++) {
		igt_describe("A YCbCr primary plane, its source cropped and rotated "
			     "or reflected so, keeps each chroma sample with its "
			     "pixels (BT.709, limited range).");
		igt_subtest_f("writeback-from-%s", yuv_rotated[i].name)
			writeback_yuv(&mode, yuv_rotated[i].format, yuv_rotated[i].one_bo,
				      1, 0, 32, 16, yuv_rotated[i].rotation);
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

	for (unsigned int i = 0; i < ARRAY_SIZE(color_cases); i++) {
		igt_describe_f("The CRTC's colour pipeline (DEGAMMA_LUT, CTM, GAMMA_LUT, "
			       "in that order) %s.", color_cases[i].what);
		igt_subtest_f("writeback-color-%s", color_cases[i].name)
			writeback_check(&mode, &primary, &color_cases[i].scene,
					DRM_FORMAT_XRGB16161616);
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

/* The colour planes of a 256 x 256 multi-planar framebuffer, for ADDFB2. */
struct yuv_addfb {
	uint32_t handles[4], pitches[4], offsets[4];
};

/* ADDFB2 of @fb in @format; returns its errno, removing what it made. */
static int yuv_addfb(uint32_t format, const struct yuv_addfb *fb)
{
	uint32_t id;
	int ret = drmModeAddFB2(fd, 256, 256, format, fb->handles, fb->pitches,
				fb->offsets, &id, 0);

	if (!ret)
		drmModeRmFB(fd, id);
	return ret;
}

static void addfb_multiplanar_bad_input(void)
{
	struct yuv_addfb nv12 = {}, yuv420 = {}, bad;
	uint32_t one, small, bos[3], pitch;
	uint64_t size, small_size, sizes[3];
	const struct {
		uint32_t format;
		unsigned int plane;
		enum { HANDLE, PITCH, OFFSET } field;
		uint32_t value;
		int err;
	} cases[] = {
		{ DRM_FORMAT_NV12, 1, HANDLE, 0, -EINVAL },
		{ DRM_FORMAT_NV12, 1, HANDLE, ~0u, -ENOENT },
		{ DRM_FORMAT_NV12, 1, PITCH, 0, -EINVAL },
		{ DRM_FORMAT_NV12, 1, PITCH, 254, -EINVAL },
		{ DRM_FORMAT_NV12, 0, PITCH, 255, -EINVAL },
		/* One byte more and the chroma plane's last row is past the end. */
		{ DRM_FORMAT_NV12, 1, OFFSET, 1, -EINVAL },
		/* Luma may overlap chroma, but not run past the end. */
		{ DRM_FORMAT_NV12, 0, OFFSET, 128 * 256 + 1, -EINVAL },
		{ DRM_FORMAT_YUV420, 2, HANDLE, 0, -EINVAL },
		{ DRM_FORMAT_YUV420, 1, PITCH, 127, -EINVAL },
		/* A Cr plane of 128 rows of 128 in a 4 KiB BO. */
		{ DRM_FORMAT_YUV420, 2, HANDLE, 1, -EINVAL },
		{ DRM_FORMAT_YUV420, 2, OFFSET, 1, -EINVAL },
	};
	int ret;

	/* NV12 in one BO of exactly its size; YUV420 in three. */
	igt_assert_eq(drmModeCreateDumbBuffer(fd, 256, 384, 8, 0, &one, &pitch, &size), 0);
	igt_require(pitch == 256);
	nv12 = (struct yuv_addfb){
		.handles = { one, one }, .pitches = { 256, 256 }, .offsets = { 0, 256 * 256 },
	};
	igt_assert_eq(drmModeCreateDumbBuffer(fd, 256, 256, 8, 0, &bos[0], &pitch,
					      &sizes[0]), 0);
	igt_assert_eq(drmModeCreateDumbBuffer(fd, 128, 128, 8, 0, &bos[1], &pitch,
					      &sizes[1]), 0);
	igt_assert_eq(drmModeCreateDumbBuffer(fd, 128, 128, 8, 0, &bos[2], &pitch,
					      &sizes[2]), 0);
	igt_assert_eq(drmModeCreateDumbBuffer(fd, 64, 64, 8, 0, &small, &pitch,
					      &small_size), 0);
	yuv420 = (struct yuv_addfb){
		.handles = { bos[0], bos[1], bos[2] }, .pitches = { 256, 128, 128 },
	};

	ret = yuv_addfb(DRM_FORMAT_NV12, &nv12);
	igt_require_f(ret != -EINVAL, "no plane takes NV12\n");
	igt_assert_eq(ret, 0);
	igt_assert_eq(yuv_addfb(DRM_FORMAT_YUV420, &yuv420), 0);
	for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++) {
		unsigned int p = cases[i].plane;

		bad = cases[i].format == DRM_FORMAT_NV12 ? nv12 : yuv420;
		switch (cases[i].field) {
		case HANDLE:
			/* ~0: no such handle; 1: the small BO. */
			bad.handles[p] = cases[i].value == 1 ? small : cases[i].value;
			break;
		case PITCH:
			bad.pitches[p] = cases[i].value;
			break;
		case OFFSET:
			bad.offsets[p] += cases[i].value;
			break;
		}
		igt_assert_f(yuv_addfb(cases[i].format, &bad) == cases[i].err,
			     "case %u: not %d\n", i, cases[i].err);
	}
	drmModeDestroyDumbBuffer(fd, small);
	for (unsigned int i = 0; i < 3; i++)
		drmModeDestroyDumbBuffer(fd, bos[i]);
	drmModeDestroyDumbBuffer(fd, one);
}

static void bad_input_tests(void)
{
	igt_fixture
		num_pipes = kms_pipes(fd, pipes, MAX_PIPES);

	igt_describe("Plane properties out of their range (rotation, zpos, "
		     "alpha, pixel blend mode, COLOR_ENCODING, COLOR_RANGE) are "
		     "refused with EINVAL, TEST_ONLY or not.");
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
			{ "COLOR_ENCODING", 3 },	/* past BT.2020 */
			{ "COLOR_ENCODING", 1u << 20 },
			{ "COLOR_RANGE", 2 },		/* past full */
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

	igt_describe("Multi-planar framebuffers (NV12 in one BO, YUV420 in "
		     "three) with a colour plane's handle missing or unknown, its "
		     "pitch short, or its offset running past the end of its BO "
		     "are refused when created, where the well-formed one is "
		     "accepted.");
	igt_subtest("addfb-multiplanar-bad-input")
		addfb_multiplanar_bad_input();

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
