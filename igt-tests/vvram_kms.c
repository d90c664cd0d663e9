// SPDX-License-Identifier: MIT
/*
 * vvram_kms: the display pipes through libdrm's KMS calls. Modesets on
 * every connector, page flips and their events, and the rule that a
 * framebuffer is scanned out of VRAM: pinned there while shown, never
 * evicted, and a commit that cannot place it fails without changing what
 * is on screen. Bad input gets its errno.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <linux/netlink.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include <drm_fourcc.h>
#include <xf86drmMode.h>

#include "vvram_igt.h"

/**
 * struct pipe - one connector and the CRTC that drives it
 * @connector: connector id
 * @crtc: CRTC id
 * @mode: the connector's preferred mode
 */
struct pipe {
	uint32_t connector;
	uint32_t crtc;
	drmModeModeInfo mode;
};

/**
 * struct fb - a framebuffer on a dumb buffer
 * @handle: the dumb buffer
 * @id: the framebuffer
 * @size: bytes of the dumb buffer
 */
struct fb {
	uint32_t handle;
	uint32_t id;
	uint64_t size;
};

static int fd = -1;
static struct pipe pipes[8];
static int num_pipes;

/*
 * The fixture of every topic: KMS with universal planes, as DRM master,
 * and the pipes of the device.
 */
static void kms_require(void)
{
	drmModeRes *res;
	int i, m;

	igt_require(drmSetClientCap(fd, DRM_CLIENT_CAP_UNIVERSAL_PLANES, 1) == 0);
	drmSetMaster(fd);
	res = drmModeGetResources(fd);
	igt_require_f(res, "vvram has no display (display=0?)\n");
	num_pipes = 0;
	for (i = 0; i < res->count_connectors && num_pipes < 8; i++) {
		drmModeConnector *conn = drmModeGetConnector(fd, res->connectors[i]);
		drmModeEncoder *enc;

		igt_assert(conn);
		if (conn->connector_type == DRM_MODE_CONNECTOR_WRITEBACK) {
			drmModeFreeConnector(conn);
			continue;
		}
		igt_assert_eq(conn->connection, DRM_MODE_CONNECTED);
		igt_assert_eq(conn->connector_type, DRM_MODE_CONNECTOR_VIRTUAL);
		igt_assert_eq(conn->count_encoders, 1);
		enc = drmModeGetEncoder(fd, conn->encoders[0]);
		igt_assert(enc);
		/* Each encoder feeds exactly one CRTC, the one of its index. */
		igt_assert_eq(enc->possible_crtcs, 1u << num_pipes);
		pipes[num_pipes].connector = conn->connector_id;
		pipes[num_pipes].crtc = res->crtcs[num_pipes];
		for (m = 0; m < conn->count_modes; m++)
			if (conn->modes[m].type & DRM_MODE_TYPE_PREFERRED)
				pipes[num_pipes].mode = conn->modes[m];
		igt_assert_eq(pipes[num_pipes].mode.hdisplay, 1920);
		igt_assert_eq(pipes[num_pipes].mode.vdisplay, 1080);
		num_pipes++;
		drmModeFreeEncoder(enc);
		drmModeFreeConnector(conn);
	}
	igt_assert(num_pipes >= 1);
	igt_assert_eq(num_pipes, res->count_crtcs);
	drmModeFreeResources(res);
}

static int __fb_create(struct fb *fb, uint32_t width, uint32_t height,
		       uint32_t format, uint32_t bpp)
{
	uint32_t handles[4] = {}, pitches[4] = {}, offsets[4] = {};
	uint32_t pitch;
	int ret;

	memset(fb, 0, sizeof(*fb));
	ret = drmModeCreateDumbBuffer(fd, width, height, bpp, 0, &fb->handle,
				      &pitch, &fb->size);
	if (ret)
		return ret;
	handles[0] = fb->handle;
	pitches[0] = pitch;
	return drmModeAddFB2(fd, width, height, format, handles, pitches,
			     offsets, &fb->id, 0);
}

static void fb_create(struct fb *fb, uint32_t width, uint32_t height)
{
	igt_assert_eq(__fb_create(fb, width, height, DRM_FORMAT_XRGB8888, 32), 0);
}

static void fb_destroy(struct fb *fb)
{
	if (fb->id)
		drmModeRmFB(fd, fb->id);
	if (fb->handle)
		drmModeDestroyDumbBuffer(fd, fb->handle);
	memset(fb, 0, sizeof(*fb));
}

static int __set_crtc(const struct pipe *p, const struct fb *fb,
		      drmModeModeInfo *mode)
{
	uint32_t conn = p->connector;

	/* libdrm's KMS calls return -errno. */
	return drmModeSetCrtc(fd, p->crtc, fb->id, 0, 0, &conn, 1, mode);
}

static void set_crtc(const struct pipe *p, const struct fb *fb)
{
	drmModeModeInfo mode = p->mode;

	igt_assert_eq(__set_crtc(p, fb, &mode), 0);
}

static void disable_crtc(const struct pipe *p)
{
	igt_assert_eq(drmModeSetCrtc(fd, p->crtc, 0, 0, 0, NULL, 0, NULL), 0);
}

static uint32_t crtc_fb(const struct pipe *p)
{
	drmModeCrtc *crtc = drmModeGetCrtc(fd, p->crtc);
	uint32_t id;

	igt_assert(crtc);
	id = crtc->mode_valid ? crtc->buffer_id : 0;
	drmModeFreeCrtc(crtc);
	return id;
}

static uint32_t bo_flags(uint32_t handle)
{
	struct vvram_bo_info info;

	vvram_gem_info(fd, handle, &info);
	return info.flags;
}

static uint64_t bo_dev_addr(uint32_t handle)
{
	struct vvram_bo_info info;

	vvram_gem_info(fd, handle, &info);
	return info.address;
}

/* The id of the property @name of a KMS object; fails when it has none. */
static uint32_t prop_id(uint32_t obj, uint32_t type, const char *name)
{
	uint32_t id = vvram_kms_prop_id(fd, obj, type, name);

	igt_assert_f(id, "object %u has no property %s\n", obj, name);
	return id;
}

/* The value of property @name of a KMS object. */
static uint64_t prop_value(uint32_t obj, uint32_t type, const char *name)
{
	drmModeObjectProperties *props = drmModeObjectGetProperties(fd, obj, type);
	uint32_t id = prop_id(obj, type, name), i;
	uint64_t value = 0;

	igt_assert(props);
	for (i = 0; i < props->count_props; i++)
		if (props->props[i] == id)
			value = props->prop_values[i];
	drmModeFreeObjectProperties(props);
	return value;
}

/* Nanoseconds between the vblanks of @mode. */
static double frame_ns(const drmModeModeInfo *mode)
{
	return 1e6 * mode->htotal * mode->vtotal / mode->clock;
}

static void flip_handler(int fd_ __attribute__((unused)),
			 unsigned int seq __attribute__((unused)),
			 unsigned int sec, unsigned int usec, void *data)
{
	double *stamp = data;

	*stamp = sec * 1e9 + usec * 1e3;
}

/*
 * Flip to @fb with an event and wait for it; returns the event's
 * timestamp in ns.
 */
static double flip_and_wait(const struct pipe *p, const struct fb *fb)
{
	drmEventContext ctx = {
		.version = 2,
		.page_flip_handler = flip_handler,
	};
	struct timeval tv = { .tv_sec = 10 };
	double stamp = -1;
	fd_set set;

	igt_assert_eq(drmModePageFlip(fd, p->crtc, fb->id,
				      DRM_MODE_PAGE_FLIP_EVENT, &stamp), 0);
	while (stamp < 0) {
		FD_ZERO(&set);
		FD_SET(fd, &set);
		igt_assert_f(select(fd + 1, &set, NULL, NULL, &tv) == 1,
			     "no page-flip event within 10 s\n");
		igt_assert_eq(drmHandleEvent(fd, &ctx), 0);
	}
	return stamp;
}

/* The scanout_bytes figure of the device's debugfs file "scanout". */
static uint64_t debugfs_scanout_bytes(void)
{
	unsigned long long bytes = ~0ull;
	char path[128];
	struct stat st;
	FILE *file;

	igt_assert_eq(fstat(fd, &st), 0);
	snprintf(path, sizeof(path), "/sys/kernel/debug/dri/%u/scanout",
		 minor(st.st_rdev));
	file = fopen(path, "r");
	igt_require_f(file, "no %s\n", path);
	igt_assert_eq(fscanf(file, "scanout_bytes %llu", &bytes), 1);
	fclose(file);
	return bytes;
}

static void modeset_tests(void)
{
	igt_fixture
		kms_require();

	igt_describe("Every connector lights up on its CRTC with its preferred "
		     "mode, scanning a dumb buffer out of contiguous VRAM that "
		     "QUERY and debugfs count as scanout, and turns off again, "
		     "which drops the scanout pin.");
	igt_subtest("modeset-preferred") {
		int i;

		for (i = 0; i < num_pipes; i++) {
			struct fb fb;
			uint32_t flags;

			fb_create(&fb, pipes[i].mode.hdisplay, pipes[i].mode.vdisplay);
			igt_assert_eq(bo_flags(fb.handle) & VVRAM_GEM_INFO_SCANOUT, 0);
			set_crtc(&pipes[i], &fb);
			igt_assert_eq(crtc_fb(&pipes[i]), fb.id);
			flags = bo_flags(fb.handle);
			igt_assert(flags & VVRAM_GEM_INFO_SCANOUT);
			igt_assert_eq_u64(vvram_memory(fd).scanout_bytes, fb.size);
			igt_assert_eq_u64(debugfs_scanout_bytes(), fb.size);
			igt_assert(flags & VVRAM_GEM_INFO_PINNED);
			igt_assert(flags & VVRAM_GEM_INFO_CONTIGUOUS);
			igt_assert_eq(vvram_gem_domain(fd, fb.handle),
				      VVRAM_GEM_DOMAIN_VRAM);
			disable_crtc(&pipes[i]);
			igt_assert_eq(crtc_fb(&pipes[i]), 0);
			igt_assert_eq(bo_flags(fb.handle) &
				      (VVRAM_GEM_INFO_SCANOUT | VVRAM_GEM_INFO_PINNED), 0);
			igt_assert_eq_u64(vvram_memory(fd).scanout_bytes, 0);
			igt_assert_eq_u64(debugfs_scanout_bytes(), 0);
			fb_destroy(&fb);
		}
	}

	igt_describe("A framebuffer in GTT moves into VRAM when it is shown.");
	igt_subtest("modeset-from-gtt") {
		struct fb fb;

		fb_create(&fb, 1920, 1080);
		vvram_gem_migrate(fd, fb.handle, VVRAM_GEM_DOMAIN_GTT);
		igt_assert_eq(vvram_gem_domain(fd, fb.handle), VVRAM_GEM_DOMAIN_GTT);
		set_crtc(&pipes[0], &fb);
		igt_assert_eq(vvram_gem_domain(fd, fb.handle), VVRAM_GEM_DOMAIN_VRAM);
		igt_assert(bo_flags(fb.handle) & VVRAM_GEM_INFO_SCANOUT);
		disable_crtc(&pipes[0]);
		fb_destroy(&fb);
	}

	igt_describe("A framebuffer whose BO handle its owner closed stays on "
		     "screen until it is replaced.");
	igt_subtest("modeset-closed-bo-stays") {
		struct fb a, b;

		fb_create(&a, 1920, 1080);
		fb_create(&b, 1920, 1080);
		set_crtc(&pipes[0], &a);
		/* Closing the handle leaves the framebuffer's reference. */
		drmModeDestroyDumbBuffer(fd, a.handle);
		a.handle = 0;
		igt_assert_eq(crtc_fb(&pipes[0]), a.id);
		set_crtc(&pipes[0], &b);
		igt_assert_eq(crtc_fb(&pipes[0]), b.id);
		disable_crtc(&pipes[0]);
		fb_destroy(&a);
		fb_destroy(&b);
	}
}

static void flip_tests(void)
{
	struct fb fbs[2];

	igt_fixture {
		kms_require();
		fb_create(&fbs[0], 1920, 1080);
		fb_create(&fbs[1], 1920, 1080);
		set_crtc(&pipes[0], &fbs[0]);
	}

	igt_describe("Page flips complete with events whose timestamps step "
		     "by the mode's frame period, within 10%.");
	igt_subtest("flip-event-timestamps") {
		double period = frame_ns(&pipes[0].mode), last = 0, stamp, step;
		double frames, off;
		int i, late = 0;

		for (i = 0; i < 12; i++) {
			stamp = flip_and_wait(&pipes[0], &fbs[(i + 1) % 2]);
			igt_assert_eq(crtc_fb(&pipes[0]), fbs[(i + 1) % 2].id);
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
		drmEventContext ctx = {
			.version = 2,
			.page_flip_handler = flip_handler,
		};
		double stamp = -1;

		igt_assert_eq(drmModePageFlip(fd, pipes[0].crtc, fbs[1].id,
					      DRM_MODE_PAGE_FLIP_EVENT, &stamp), 0);
		igt_assert_eq(drmModePageFlip(fd, pipes[0].crtc, fbs[0].id,
					      DRM_MODE_PAGE_FLIP_EVENT, &stamp),
			      -EBUSY);
		while (stamp < 0)
			igt_assert_eq(drmHandleEvent(fd, &ctx), 0);
		igt_assert_eq(crtc_fb(&pipes[0]), fbs[1].id);
	}

	igt_describe("A page flip on a disabled CRTC is EBUSY, as the DRM core "
		     "answers for a CRTC with no framebuffer bound.");
	igt_subtest("flip-disabled-crtc-is-ebusy") {
		disable_crtc(&pipes[0]);
		igt_assert_eq(drmModePageFlip(fd, pipes[0].crtc, fbs[0].id,
					      DRM_MODE_PAGE_FLIP_EVENT, NULL),
			      -EBUSY);
	}

	igt_fixture {
		disable_crtc(&pipes[0]);
		fb_destroy(&fbs[0]);
		fb_destroy(&fbs[1]);
	}
}

static void vram_tests(void)
{
	igt_fixture
		kms_require();

	igt_describe("While shown, a framebuffer stays put through 4x VRAM "
		     "overcommit, and every byte of the BOs evicted around it "
		     "survives.");
	igt_subtest("scanout-survives-overcommit") {
		uint32_t handles[64];
		uint64_t addr, bo_size = SZ_4M;
		int i, n;
		struct fb fb;

		n = 4 * vvram_memory(fd).vram_total_bytes / bo_size;
		igt_require(n <= 64);
		fb_create(&fb, 1920, 1080);
		set_crtc(&pipes[0], &fb);
		addr = bo_dev_addr(fb.handle);
		for (i = 0; i < n; i++)
			handles[i] = vvram_bo_create_in_vram(fd, bo_size,
							     VVRAM_GEM_DOMAIN_VRAM |
							     VVRAM_GEM_DOMAIN_GTT,
							     0, 100 + i);
		igt_assert_eq(vvram_gem_domain(fd, fb.handle), VVRAM_GEM_DOMAIN_VRAM);
		igt_assert_eq(bo_dev_addr(fb.handle), addr);
		for (i = 0; i < n; i++) {
			vvram_bo_assert_pattern(fd, handles[i], bo_size, 100 + i);
			vvram_gem_close(fd, handles[i]);
		}
		disable_crtc(&pipes[0]);
		fb_destroy(&fb);
	}

	igt_describe("A commit whose framebuffer does not fit VRAM even after "
		     "eviction (the rest is pinned) fails with ENOSPC and leaves "
		     "the old frame on screen.");
	igt_subtest("scanout-no-room-is-enospc") {
		uint32_t pinned[64];
		struct fb shown, next;
		int i, n = 0;

		fb_create(&shown, 1920, 1080);
		set_crtc(&pipes[0], &shown);
		fb_create(&next, 1920, 1080);
		vvram_gem_migrate(fd, next.handle, VVRAM_GEM_DOMAIN_GTT);
		/* Pin VRAM full around the shown framebuffer. */
		for (;;) {
			struct vvram_memory mem = vvram_memory(fd);
			uint32_t h;

			if (mem.vram_total_bytes - mem.vram_used_bytes < SZ_1M || n == 64)
				break;
			h = vvram_gem_create(fd, SZ_1M, VVRAM_GEM_DOMAIN_VRAM, 0);
			vvram_gem_pin(fd, h, VVRAM_GEM_DOMAIN_VRAM);
			pinned[n++] = h;
		}
		igt_assert_eq(__set_crtc(&pipes[0], &next, &pipes[0].mode), -ENOSPC);
		igt_assert_eq(crtc_fb(&pipes[0]), shown.id);
		igt_assert(bo_flags(shown.handle) & VVRAM_GEM_INFO_SCANOUT);
		igt_assert_eq(bo_flags(next.handle) & VVRAM_GEM_INFO_PINNED, 0);
		for (i = 0; i < n; i++) {
			vvram_gem_unpin(fd, pinned[i]);
			vvram_gem_close(fd, pinned[i]);
		}
		set_crtc(&pipes[0], &next);
		disable_crtc(&pipes[0]);
		fb_destroy(&shown);
		fb_destroy(&next);
	}

	igt_describe("A framebuffer on a BO that may never be in VRAM (GTT "
		     "only) is EINVAL, one larger than VRAM E2BIG, and the old "
		     "frame stays.");
	igt_subtest("scanout-impossible") {
		uint32_t handles[4] = {}, pitches[4] = { 1920 * 4 }, offsets[4] = {};
		drmModeModeInfo big_mode;
		struct fb shown, big, gtt = {};
		uint64_t vram_total;
		uint32_t id;
		drmModeConnector *conn;
		int m;

		fb_create(&shown, 1920, 1080);
		set_crtc(&pipes[0], &shown);

		handles[0] = vvram_gem_create(fd, 1920 * 1080 * 4,
					      VVRAM_GEM_DOMAIN_GTT, 0);
		igt_assert_eq(drmModeAddFB2(fd, 1920, 1080, DRM_FORMAT_XRGB8888,
					    handles, pitches, offsets, &id, 0), 0);
		gtt.id = id;
		igt_assert_eq(__set_crtc(&pipes[0], &gtt, &pipes[0].mode), -EINVAL);
		igt_assert_eq(crtc_fb(&pipes[0]), shown.id);
		drmModeRmFB(fd, id);
		vvram_gem_close(fd, handles[0]);

		vram_total = vvram_memory(fd).vram_total_bytes;
		conn = drmModeGetConnector(fd, pipes[0].connector);
		igt_assert(conn);
		memset(&big_mode, 0, sizeof(big_mode));
		for (m = 0; m < conn->count_modes; m++)
			if ((uint64_t)conn->modes[m].hdisplay * conn->modes[m].vdisplay * 4 >
			    vram_total)
				big_mode = conn->modes[m];
		drmModeFreeConnector(conn);
		igt_require_f(big_mode.hdisplay, "VRAM larger than every mode\n");
		fb_create(&big, big_mode.hdisplay, big_mode.vdisplay);
		igt_assert_eq(__set_crtc(&pipes[0], &big, &big_mode), -E2BIG);
		igt_assert_eq(crtc_fb(&pipes[0]), shown.id);
		disable_crtc(&pipes[0]);
		fb_destroy(&big);
		fb_destroy(&shown);
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
	struct fb fb;
	uint32_t *pixels;
	int control, data;

	igt_fixture {
		kms_require();
		fb_create(&fb, 1920, 1080);
		pixels = vvram_gem_mmap(fd, fb.handle, fb.size);
		for (uint64_t i = 0; i < fb.size / 4; i++)
			pixels[i] = 0xff000000 | (uint32_t)(i * 2654435761u >> 8);
		set_crtc(&pipes[0], &fb);
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

		pixels[1080 / 2 * 1920 + 1920 / 2] ^= 0x00010000;
		after = crc_read_from_now(data);
		igt_assert_f(after != before, "CRC unchanged by a pixel\n");
		igt_assert_eq_u32(crc_read(data, &frame), after);
		pixels[1080 / 2 * 1920 + 1920 / 2] ^= 0x00010000;
		igt_assert_eq_u32(crc_read_from_now(data), before);
	}

	igt_fixture {
		close(data);
		close(control);
		munmap(pixels, fb.size);
		disable_crtc(&pipes[0]);
		fb_destroy(&fb);
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

/* The mode @width x @height of @p's connector; fails if it has none. */
static drmModeModeInfo pipe_mode(const struct pipe *p, int width, int height)
{
	drmModeConnector *conn = drmModeGetConnector(fd, p->connector);
	drmModeModeInfo mode = {};
	int m;

	igt_assert(conn);
	for (m = conn->count_modes - 1; m >= 0; m--)
		if (conn->modes[m].hdisplay == width &&
		    conn->modes[m].vdisplay == height)
			mode = conn->modes[m];
	drmModeFreeConnector(conn);
	igt_assert_f(mode.hdisplay, "no %dx%d mode\n", width, height);
	return mode;
}

/* ---- Writeback ---- */

/* The writeback connector of @p (the client cap must be set). */
static uint32_t writeback_connector(const struct pipe *p)
{
	uint32_t id = vvram_kms_writeback_connector(fd, p - pipes);

	igt_require_f(id, "no writeback connector (enable_writeback=0?)\n");
	return id;
}

static void add_prop(drmModeAtomicReq *req, uint32_t obj, uint32_t type,
		     const char *name, uint64_t value)
{
	igt_assert(drmModeAtomicAddProperty(req, obj, prop_id(obj, type, name),
					    value) > 0);
}

static void add_plane(drmModeAtomicReq *req, uint32_t plane, const struct pipe *p,
		      const struct fb *fb, int x, int y, int w, int h,
		      uint64_t rotation)
{
	add_prop(req, plane, DRM_MODE_OBJECT_PLANE, "FB_ID", fb->id);
	add_prop(req, plane, DRM_MODE_OBJECT_PLANE, "CRTC_ID", p->crtc);
	add_prop(req, plane, DRM_MODE_OBJECT_PLANE, "SRC_X", 0);
	add_prop(req, plane, DRM_MODE_OBJECT_PLANE, "SRC_Y", 0);
	add_prop(req, plane, DRM_MODE_OBJECT_PLANE, "SRC_W", (uint64_t)w << 16);
	add_prop(req, plane, DRM_MODE_OBJECT_PLANE, "SRC_H", (uint64_t)h << 16);
	add_prop(req, plane, DRM_MODE_OBJECT_PLANE, "CRTC_X", (uint64_t)(int64_t)x);
	add_prop(req, plane, DRM_MODE_OBJECT_PLANE, "CRTC_Y", (uint64_t)(int64_t)y);
	/* Rotated by a quarter turn, the plane is h wide and w high. */
	if (rotation & (DRM_MODE_ROTATE_90 | DRM_MODE_ROTATE_270)) {
		int t = w;

		w = h;
		h = t;
	}
	add_prop(req, plane, DRM_MODE_OBJECT_PLANE, "CRTC_W", w);
	add_prop(req, plane, DRM_MODE_OBJECT_PLANE, "CRTC_H", h);
	add_prop(req, plane, DRM_MODE_OBJECT_PLANE, "rotation", rotation);
}

/* The plane of @type (DRM_PLANE_TYPE_*) that feeds @p. */
static uint32_t pipe_plane(const struct pipe *p, uint64_t type)
{
	drmModePlaneRes *res = drmModeGetPlaneResources(fd);
	uint32_t id = 0, i;

	igt_assert(res);
	for (i = 0; i < res->count_planes && !id; i++) {
		drmModePlane *plane = drmModeGetPlane(fd, res->planes[i]);

		if (plane->possible_crtcs == 1u << (p - pipes) &&
		    prop_value(plane->plane_id, DRM_MODE_OBJECT_PLANE, "type") == type)
			id = plane->plane_id;
		drmModeFreePlane(plane);
	}
	drmModeFreePlaneResources(res);
	igt_require_f(id, "pipe has no plane of type %llu\n", (unsigned long long)type);
	return id;
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

/*
 * Commit @mode on pipe 0 with the primary (and the cursor at (@cx, @cy)
 * if @cursor), writing back into @out; check every byte of @out.
 */
static void writeback_check(const drmModeModeInfo *mode, struct fb *primary,
			    struct fb *cursor, int cx, int cy, uint64_t rotation,
			    struct fb *out, uint32_t format)
{
	uint16_t (*frame)[4] = calloc(WB_W * WB_H, sizeof(*frame));
	drmModeAtomicReq *req = drmModeAtomicAlloc();
	uint32_t wb = writeback_connector(&pipes[0]), blob;
	uint8_t *got, expect[8];
	int32_t fence = -1;
	struct pollfd pfd;
	unsigned int pitch = out->size / WB_H, n;
	int x, y, u, v;

	igt_assert(frame && req);
	igt_assert_eq(drmModeCreatePropertyBlob(fd, mode, sizeof(*mode), &blob), 0);
	add_prop(req, pipes[0].crtc, DRM_MODE_OBJECT_CRTC, "MODE_ID", blob);
	add_prop(req, pipes[0].crtc, DRM_MODE_OBJECT_CRTC, "ACTIVE", 1);
	add_prop(req, pipes[0].connector, DRM_MODE_OBJECT_CONNECTOR, "CRTC_ID",
		 pipes[0].crtc);
	add_plane(req, pipe_plane(&pipes[0], DRM_PLANE_TYPE_PRIMARY), &pipes[0],
		  primary, 0, 0, WB_W, WB_H, DRM_MODE_ROTATE_0);
	if (cursor)
		add_plane(req, pipe_plane(&pipes[0], DRM_PLANE_TYPE_CURSOR),
			  &pipes[0], cursor, cx, cy, CUR, CUR, rotation);
	add_prop(req, wb, DRM_MODE_OBJECT_CONNECTOR, "CRTC_ID", pipes[0].crtc);
	add_prop(req, wb, DRM_MODE_OBJECT_CONNECTOR, "WRITEBACK_FB_ID", out->id);
	add_prop(req, wb, DRM_MODE_OBJECT_CONNECTOR, "WRITEBACK_OUT_FENCE_PTR",
		 (uintptr_t)&fence);
	igt_assert_eq(drmModeAtomicCommit(fd, req, DRM_MODE_ATOMIC_ALLOW_MODESET,
					  NULL), 0);
	igt_assert(fence >= 0);
	pfd = (struct pollfd){ .fd = fence, .events = POLLIN };
	igt_assert_f(poll(&pfd, 1, 10000) == 1, "writeback fence not signalled\n");
	close(fence);

	/* The reference frame: primary, then the cursor over it. */
	for (y = 0; y < WB_H; y++)
		for (x = 0; x < WB_W; x++)
			argb8888_to_16(primary_pixel(x, y), false, frame[y * WB_W + x]);
	if (cursor) {
		for (y = 0; y < CUR; y++)
			for (x = 0; x < CUR; x++) {
				uint16_t src[4];

				cursor_forward(rotation, x, y, &u, &v);
				u += cx;
				v += cy;
				if (u < 0 || v < 0 || u >= WB_W || v >= WB_H)
					continue;
				argb8888_to_16(cursor_pixel(x, y), true, src);
				blend_over(frame[v * WB_W + u], src);
			}
	}

	got = vvram_gem_mmap(fd, out->handle, out->size);
	for (y = 0; y < WB_H; y++)
		for (x = 0; x < WB_W; x++) {
			n = store_pixel(format, frame[y * WB_W + x], expect);
			igt_assert_f(!memcmp(got + y * pitch + x * n, expect, n),
				     "pixel (%d, %d) differs\n", x, y);
		}
	munmap(got, out->size);
	drmModeAtomicFree(req);
	drmModeDestroyPropertyBlob(fd, blob);
	free(frame);
}

static void writeback_tests(void)
{
	drmModeModeInfo mode;
	struct fb primary, cursor;

	igt_fixture {
		uint32_t *px;
		int x, y;

		kms_require();
		igt_require(drmSetClientCap(fd, DRM_CLIENT_CAP_ATOMIC, 1) == 0);
		igt_require(drmSetClientCap(fd, DRM_CLIENT_CAP_WRITEBACK_CONNECTORS, 1) == 0);
		mode = pipe_mode(&pipes[0], WB_W, WB_H);
		fb_create(&primary, WB_W, WB_H);
		px = vvram_gem_mmap(fd, primary.handle, primary.size);
		for (y = 0; y < WB_H; y++)
			for (x = 0; x < WB_W; x++)
				px[y * (primary.size / WB_H / 4) + x] = primary_pixel(x, y);
		munmap(px, primary.size);
		igt_assert_eq(__fb_create(&cursor, CUR, CUR, DRM_FORMAT_ARGB8888, 32), 0);
		px = vvram_gem_mmap(fd, cursor.handle, cursor.size);
		for (y = 0; y < CUR; y++)
			for (x = 0; x < CUR; x++)
				px[y * CUR + x] = cursor_pixel(x, y);
		munmap(px, cursor.size);
	}

	for (unsigned int f = 0; f < ARRAY_SIZE(wb_formats); f++) {
		igt_describe("Writeback of the primary plane alone gives the "
			     "expected bytes in this format.");
		igt_subtest_f("writeback-%s", wb_formats[f].name) {
			struct fb out;

			igt_assert_eq(__fb_create(&out, WB_W, WB_H, wb_formats[f].format,
						  wb_formats[f].bpp), 0);
			writeback_check(&mode, &primary, NULL, 0, 0, 0, &out,
					wb_formats[f].format);
			fb_destroy(&out);
		}
	}

	for (unsigned int r = 0; r < ARRAY_SIZE(cursor_rotations); r++) {
		igt_describe("An alpha-blended cursor, partly off the bottom-left "
			     "edge and rotated or reflected so, comes back byte "
			     "for byte as the reference blend computes it.");
		igt_subtest_f("writeback-cursor-%s", cursor_rotations[r].name) {
			struct fb out;

			fb_create(&out, WB_W, WB_H);
			writeback_check(&mode, &primary, &cursor, -20, WB_H - 40,
					cursor_rotations[r].rotation, &out,
					DRM_FORMAT_ARGB8888);
			fb_destroy(&out);
		}
	}

	igt_describe("A writeback framebuffer of another size than the mode is "
		     "refused, where one of the mode's size is accepted.");
	igt_subtest("writeback-wrong-size-is-einval") {
		uint32_t wb = writeback_connector(&pipes[0]);
		const unsigned int flags = DRM_MODE_ATOMIC_TEST_ONLY |
					   DRM_MODE_ATOMIC_ALLOW_MODESET;
		struct fb outs[2];
		int i;

		fb_create(&outs[0], WB_W, WB_H);
		fb_create(&outs[1], WB_W / 2, WB_H);
		igt_assert_eq(__set_crtc(&pipes[0], &primary, &mode), 0);
		for (i = 0; i < 2; i++) {
			drmModeAtomicReq *req = drmModeAtomicAlloc();

			add_prop(req, wb, DRM_MODE_OBJECT_CONNECTOR, "CRTC_ID",
				 pipes[0].crtc);
			add_prop(req, wb, DRM_MODE_OBJECT_CONNECTOR, "WRITEBACK_FB_ID",
				 outs[i].id);
			igt_assert_eq(drmModeAtomicCommit(fd, req, flags, NULL),
				      i ? -EINVAL : 0);
			drmModeAtomicFree(req);
		}
		fb_destroy(&outs[0]);
		fb_destroy(&outs[1]);
	}

	igt_fixture {
		disable_crtc(&pipes[0]);
		fb_destroy(&primary);
		fb_destroy(&cursor);
		drmSetClientCap(fd, DRM_CLIENT_CAP_WRITEBACK_CONNECTORS, 0);
		drmSetClientCap(fd, DRM_CLIENT_CAP_ATOMIC, 0);
	}
}

static void layout_tests(void)
{
	igt_fixture {
		close(fd);
		vvram_igt_reload("crtcs=4 enable_overlay=2");
		fd = vvram_igt_open();
		kms_require();
	}

	igt_describe("With crtcs=4 and enable_overlay=2, each of the four pipes "
		     "has a primary, a cursor and two overlay planes of its own.");
	igt_subtest("four-pipes-have-their-planes") {
		drmModePlaneRes *res = drmModeGetPlaneResources(fd);
		unsigned int count[4][3] = {}, i;

		igt_assert_eq(num_pipes, 4);
		igt_assert(res);
		igt_assert_eq(res->count_planes, 16);
		for (i = 0; i < res->count_planes; i++) {
			drmModePlane *plane = drmModeGetPlane(fd, res->planes[i]);
			uint32_t type = 3;
			uint64_t value;
			int pipe = __builtin_ffs(plane->possible_crtcs) - 1;

			igt_assert(plane);
			igt_assert_f(pipe >= 0 && plane->possible_crtcs == 1u << pipe,
				     "plane %u has possible_crtcs %#x\n",
				     plane->plane_id, plane->possible_crtcs);
			value = prop_value(plane->plane_id, DRM_MODE_OBJECT_PLANE, "type");
			if (value == DRM_PLANE_TYPE_PRIMARY)
				type = 0;
			else if (value == DRM_PLANE_TYPE_CURSOR)
				type = 1;
			else if (value == DRM_PLANE_TYPE_OVERLAY)
				type = 2;
			igt_assert(type < 3);
			count[pipe][type]++;
			drmModeFreePlane(plane);
		}
		for (i = 0; i < 4; i++) {
			igt_assert_eq(count[i][0], 1);
			igt_assert_eq(count[i][1], 1);
			igt_assert_eq(count[i][2], 2);
		}
		drmModeFreePlaneResources(res);
	}

	igt_describe("All four pipes light up at once, each on its own "
		     "framebuffer pinned in VRAM, and turn off.");
	igt_subtest("four-pipes-at-once") {
		struct fb fbs[4];
		int i;

		for (i = 0; i < 4; i++) {
			drmModeModeInfo mode = pipe_mode(&pipes[i], 1024, 768);

			fb_create(&fbs[i], 1024, 768);
			igt_assert_eq(__set_crtc(&pipes[i], &fbs[i], &mode), 0);
		}
		for (i = 0; i < 4; i++) {
			igt_assert_eq(crtc_fb(&pipes[i]), fbs[i].id);
			igt_assert(bo_flags(fbs[i].handle) & VVRAM_GEM_INFO_SCANOUT);
		}
		for (i = 0; i < 4; i++) {
			disable_crtc(&pipes[i]);
			fb_destroy(&fbs[i]);
		}
	}

	igt_describe("Twenty unload and load cycles, each with a mode set and a "
		     "page flip in between, leave the device working.");
	igt_subtest("reload-cycles-with-modeset") {
		int cycle;

		for (cycle = 0; cycle < 20; cycle++) {
			struct fb fbs[2];

			close(fd);
			vvram_igt_reload("");
			fd = vvram_igt_open();
			kms_require();
			fb_create(&fbs[0], 1920, 1080);
			fb_create(&fbs[1], 1920, 1080);
			set_crtc(&pipes[0], &fbs[0]);
			flip_and_wait(&pipes[0], &fbs[1]);
			igt_assert_eq(crtc_fb(&pipes[0]), fbs[1].id);
			/* Closing the file takes the framebuffers off screen. */
		}
	}

	igt_describe("With scanout_contiguous=0 a framebuffer scattered over "
		     "fragmented VRAM is shown, and written back byte for byte.");
	igt_subtest("scattered-scanout-writeback") {
		uint32_t holes[256], *px;
		drmModeModeInfo mode;
		struct fb primary, out;
		int n, i, x, y;

		close(fd);
		vvram_igt_reload("scanout_contiguous=0");
		fd = vvram_igt_open();
		kms_require();
		igt_require(drmSetClientCap(fd, DRM_CLIENT_CAP_ATOMIC, 1) == 0);
		igt_require(drmSetClientCap(fd, DRM_CLIENT_CAP_WRITEBACK_CONNECTORS, 1) == 0);
		/* Fill the CPU-visible window with 64 KiB BOs, free every other. */
		for (n = 0; n < 256; n++) {
			struct vvram_memory mem = vvram_memory(fd);

			if (mem.visible_used_bytes + SZ_64K > mem.visible_total_bytes)
				break;
			holes[n] = vvram_gem_create(fd, SZ_64K, VVRAM_GEM_DOMAIN_VRAM,
						    VVRAM_GEM_CREATE_CPU_ACCESS_REQUIRED);
		}
		for (i = 0; i < n; i += 2)
			vvram_gem_close(fd, holes[i]);

		mode = pipe_mode(&pipes[0], WB_W, WB_H);
		fb_create(&primary, WB_W, WB_H);
		px = vvram_gem_mmap(fd, primary.handle, primary.size);
		for (y = 0; y < WB_H; y++)
			for (x = 0; x < WB_W; x++)
				px[y * WB_W + x] = primary_pixel(x, y);
		munmap(px, primary.size);
		fb_create(&out, WB_W, WB_H);
		writeback_check(&mode, &primary, NULL, 0, 0, 0, &out,
				DRM_FORMAT_XRGB8888);
		igt_assert(bo_flags(primary.handle) & VVRAM_GEM_INFO_SCANOUT);
		igt_assert_eq(bo_flags(primary.handle) & VVRAM_GEM_INFO_CONTIGUOUS, 0);

		disable_crtc(&pipes[0]);
		fb_destroy(&primary);
		fb_destroy(&out);
		for (i = 1; i < n; i += 2)
			vvram_gem_close(fd, holes[i]);
		drmSetClientCap(fd, DRM_CLIENT_CAP_WRITEBACK_CONNECTORS, 0);
		drmSetClientCap(fd, DRM_CLIENT_CAP_ATOMIC, 0);
	}

	igt_describe("With display=0 the device is render-only: no KMS, and "
		     "the GEM UAPI works as before.");
	igt_subtest("display-off-is-render-only") {
		uint32_t handle;

		close(fd);
		vvram_igt_reload("display=0");
		fd = vvram_igt_open();
		igt_assert(!drmModeGetResources(fd));
		handle = vvram_gem_create(fd, SZ_1M, VVRAM_GEM_DOMAIN_VRAM, 0);
		vvram_bo_fill(fd, handle, SZ_1M, 5);
		vvram_bo_assert_pattern(fd, handle, SZ_1M, 5);
		vvram_gem_close(fd, handle);
	}

	igt_fixture {
		close(fd);
		vvram_igt_restore();
		fd = vvram_igt_open();
	}
}

/* A socket that receives the kernel's uevents. */
static int uevent_open(void)
{
	struct sockaddr_nl addr = { .nl_family = AF_NETLINK, .nl_groups = 1 };
	int sock = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_KOBJECT_UEVENT);

	igt_assert(sock >= 0);
	igt_assert_eq(bind(sock, (struct sockaddr *)&addr, sizeof(addr)), 0);
	return sock;
}

/* Whether a DRM hotplug uevent arrives on @sock within 5 s. */
static bool uevent_hotplug(int sock)
{
	char msg[4096];
	struct pollfd pfd = { .fd = sock, .events = POLLIN };

	while (poll(&pfd, 1, 5000) == 1) {
		ssize_t n = recv(sock, msg, sizeof(msg) - 1, 0), i;
		bool drm = false, hotplug = false;

		for (i = 0; i < n; i += strlen(msg + i) + 1) {
			drm |= !strcmp(msg + i, "SUBSYSTEM=drm");
			hotplug |= !strcmp(msg + i, "HOTPLUG=1");
		}
		if (drm && hotplug)
			return true;
	}
	return false;
}

static int status_write(const char *value)
{
	char path[160];
	struct stat st;
	int file, ret;

	igt_assert_eq(fstat(fd, &st), 0);
	snprintf(path, sizeof(path), "/sys/kernel/debug/dri/%u/Virtual-1/vvram_status",
		 minor(st.st_rdev));
	file = open(path, O_WRONLY);
	igt_require_f(file >= 0, "no %s\n", path);
	ret = write(file, value, strlen(value)) < 0 ? -errno : 0;
	close(file);
	return ret;
}

static drmModeConnection connector_state(int *modes)
{
	drmModeConnector *conn = drmModeGetConnector(fd, pipes[0].connector);
	drmModeConnection state;

	igt_assert(conn);
	state = conn->connection;
	*modes = conn->count_modes;
	drmModeFreeConnector(conn);
	return state;
}

static void hotplug_tests(void)
{
	int sock, modes;

	igt_fixture {
		kms_require();
		sock = uevent_open();
	}

	igt_describe("Unplugging and replugging the connector through debugfs "
		     "sends hotplug uevents; unplugged it offers no mode.");
	igt_subtest("connector-unplug-replug") {
		igt_assert_eq(status_write("disconnected"), 0);
		igt_assert_f(uevent_hotplug(sock), "no hotplug uevent\n");
		igt_assert_eq(connector_state(&modes), DRM_MODE_DISCONNECTED);
		igt_assert_eq(modes, 0);
		igt_assert_eq(status_write("connected\n"), 0);
		igt_assert_f(uevent_hotplug(sock), "no hotplug uevent\n");
		igt_assert_eq(connector_state(&modes), DRM_MODE_CONNECTED);
		igt_assert(modes > 0);
	}

	igt_describe("Anything but connected or disconnected is EINVAL and "
		     "changes nothing.");
	igt_subtest("connector-bad-status-is-einval") {
		igt_assert_eq(status_write("unplugged"), -EINVAL);
		igt_assert_eq(status_write(""), -EINVAL);
		igt_assert_eq(status_write("connected-and-more-than-16-bytes"), -EINVAL);
		igt_assert_eq(connector_state(&modes), DRM_MODE_CONNECTED);
	}

	igt_fixture {
		status_write("connected");
		close(sock);
	}
}

static void bad_input_tests(void)
{
	igt_fixture
		kms_require();

	igt_describe("An atomic commit of a mode wider than 8192 pixels is "
		     "refused, TEST_ONLY or not.");
	igt_subtest("mode-too-wide-is-einval") {
		drmModeModeInfo mode = pipes[0].mode;
		drmModeAtomicReq *req;
		uint32_t blob;

		igt_require(drmSetClientCap(fd, DRM_CLIENT_CAP_ATOMIC, 1) == 0);
		mode.hdisplay = 9000;
		mode.hsync_start = 9010;
		mode.hsync_end = 9020;
		mode.htotal = 9100;
		igt_assert_eq(drmModeCreatePropertyBlob(fd, &mode, sizeof(mode),
							&blob), 0);
		req = drmModeAtomicAlloc();
		drmModeAtomicAddProperty(req, pipes[0].crtc,
					 prop_id(pipes[0].crtc, DRM_MODE_OBJECT_CRTC,
						 "MODE_ID"), blob);
		drmModeAtomicAddProperty(req, pipes[0].crtc,
					 prop_id(pipes[0].crtc, DRM_MODE_OBJECT_CRTC,
						 "ACTIVE"), 1);
		drmModeAtomicAddProperty(req, pipes[0].connector,
					 prop_id(pipes[0].connector,
						 DRM_MODE_OBJECT_CONNECTOR,
						 "CRTC_ID"), pipes[0].crtc);
		igt_assert_eq(drmModeAtomicCommit(fd, req, DRM_MODE_ATOMIC_TEST_ONLY |
						  DRM_MODE_ATOMIC_ALLOW_MODESET,
						  NULL), -EINVAL);
		igt_assert_eq(drmModeAtomicCommit(fd, req,
						  DRM_MODE_ATOMIC_ALLOW_MODESET,
						  NULL), -EINVAL);
		igt_assert_eq(crtc_fb(&pipes[0]), 0);
		drmModeAtomicFree(req);
		drmModeDestroyPropertyBlob(fd, blob);
		drmSetClientCap(fd, DRM_CLIENT_CAP_ATOMIC, 0);
	}

	igt_describe("A framebuffer smaller than the mode is refused.");
	igt_subtest("fb-smaller-than-mode-is-enospc") {
		struct fb fb;

		fb_create(&fb, 640, 480);
		igt_assert_eq(__set_crtc(&pipes[0], &fb, &pipes[0].mode), -ENOSPC);
		fb_destroy(&fb);
	}

	igt_describe("Framebuffers with a bad pitch, offset, format or handle "
		     "are refused when created.");
	igt_subtest("addfb-bad-input") {
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
		handles[0] = handle + 1000;	/* no such handle in this file */
		igt_assert_eq(drmModeAddFB2(fd, 256, 256, DRM_FORMAT_XRGB8888,
					    handles, pitches, offsets, &id, 0), -ENOENT);
		drmModeDestroyDumbBuffer(fd, handle);
	}

	igt_describe("A cursor larger than 512x512 is refused.");
	igt_subtest("cursor-too-large-is-einval") {
		uint32_t pitch, handle;
		uint64_t size;
		struct fb fb;

		fb_create(&fb, 1920, 1080);
		set_crtc(&pipes[0], &fb);
		igt_assert_eq(drmModeCreateDumbBuffer(fd, 1024, 1024, 32, 0, &handle,
						      &pitch, &size), 0);
		igt_assert_eq(drmModeSetCursor(fd, pipes[0].crtc, handle, 1024, 1024),
			      -EINVAL);
		igt_assert_eq(drmModeSetCursor(fd, pipes[0].crtc, handle, 64, 64), 0);
		igt_assert_eq(drmModeSetCursor(fd, pipes[0].crtc, 0, 0, 0), 0);
		drmModeDestroyDumbBuffer(fd, handle);
		disable_crtc(&pipes[0]);
		fb_destroy(&fb);
	}
}

igt_main
{
	static const vvram_topic_fn topics[] = {
		modeset_tests,
		flip_tests,
		vram_tests,
		crc_tests,
		bad_input_tests,
		writeback_tests,
		hotplug_tests,
		layout_tests,
	};

	vvram_igt_run(&fd, NULL, topics, ARRAY_SIZE(topics));
}
