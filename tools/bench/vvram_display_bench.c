// SPDX-License-Identifier: MIT
/*
 * vvram_display_bench: the KMS client of `make bench-display`. It shows
 * one frame on the first CRTC of a KMS driver (vvram or vkms), through an
 * atomic commit with a user mode of any size, so that both drivers compose
 * the same planes with the same pixels; the guest script times their
 * composition workers meanwhile.
 *
 * Usage: vvram_display_bench DRIVER WIDTH HEIGHT OVERLAYS CURSOR WB_JOBS
 *   OVERLAYS  0 to 2 ARGB8888 overlays, premultiplied, partly transparent,
 *             overlapping each other
 *   CURSOR    1 for a 64x64 ARGB8888 cursor over them
 *   WB_JOBS   0: print "ready", then hold the frame until stdin closes;
 *             N: print "ready", wait for a line on stdin, then run N
 *             writeback jobs of the frame one after the other, each to
 *             completion, and exit
 * Exit status 0, or 1 with a message on stderr.
 */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <drm_fourcc.h>
#include <xf86drm.h>
#include <xf86drmMode.h>

#include "vvram.h"

#define CURSOR_SIZE	64

struct fb {
	uint32_t id, handle, pitch, width, height;
	uint32_t *pixels;
};

static void die(const char *what)
{
	fprintf(stderr, "vvram_display_bench: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void fb_create(int fd, uint32_t width, uint32_t height, uint32_t format,
		      struct fb *fb)
{
	struct drm_mode_create_dumb create = {
		.width = width, .height = height, .bpp = 32,
	};
	struct drm_mode_map_dumb map = {};
	uint32_t handles[4] = {}, pitches[4] = {}, offsets[4] = {};

	if (drmIoctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &create))
		die("CREATE_DUMB");
	map.handle = create.handle;
	if (drmIoctl(fd, DRM_IOCTL_MODE_MAP_DUMB, &map))
		die("MAP_DUMB");
	fb->pixels = mmap(NULL, create.size, PROT_READ | PROT_WRITE, MAP_SHARED,
			  fd, map.offset);
	if (fb->pixels == MAP_FAILED)
		die("mmap");
	handles[0] = create.handle;
	pitches[0] = create.pitch;
	if (drmModeAddFB2(fd, width, height, format, handles, pitches, offsets,
			  &fb->id, 0))
		die("ADDFB2");
	fb->handle = create.handle;
	fb->pitch = create.pitch;
	fb->width = width;
	fb->height = height;
}

/* Premultiplied ARGB from straight colour @rgb and alpha @a. */
static uint32_t premultiply(uint32_t rgb, uint32_t a)
{
	uint32_t r = (rgb >> 16 & 0xff) * a / 255, g = (rgb >> 8 & 0xff) * a / 255;
	uint32_t b = (rgb & 0xff) * a / 255;

	return a << 24 | r << 16 | g << 8 | b;
}

/*
 * Opaque gradient for the primary; for overlays and the cursor, bands of
 * alpha 0, 0xff and ramps in between, so that every blend case occurs.
 */
static void fb_fill(struct fb *fb, uint32_t seed, int translucent)
{
	uint32_t x, y;

	for (y = 0; y < fb->height; y++) {
		uint32_t *row = fb->pixels + y * (fb->pitch / 4);

		for (x = 0; x < fb->width; x++) {
			uint32_t rgb = ((x + seed) & 0xff) << 16 |
				       ((y * 3 + seed) & 0xff) << 8 |
				       ((x ^ y ^ seed) & 0xff);
			uint32_t a = (x / 16 + y / 16) % 4;

			if (!translucent)
				row[x] = 0xff000000 | rgb;
			else
				row[x] = premultiply(rgb, a == 0 ? 0 : a == 1 ? 0xff :
						     (x * 7 + y) & 0xff);
		}
	}
}

/* The first plane of @type that can show on the CRTC of index @crtc. */
static uint32_t find_plane(int fd, unsigned int crtc, uint64_t type,
			   uint32_t after)
{
	drmModePlaneRes *res = drmModeGetPlaneResources(fd);
	uint32_t id = 0, i;

	for (i = 0; res && i < res->count_planes && !id; i++) {
		drmModePlane *plane = drmModeGetPlane(fd, res->planes[i]);
		drmModeObjectProperties *props;
		uint32_t j;

		if (!plane)
			continue;
		props = drmModeObjectGetProperties(fd, plane->plane_id,
						   DRM_MODE_OBJECT_PLANE);
		for (j = 0; props && j < props->count_props; j++) {
			drmModePropertyRes *prop = drmModeGetProperty(fd, props->props[j]);

			if (prop && !strcmp(prop->name, "type") &&
			    props->prop_values[j] == type &&
			    (plane->possible_crtcs & (1u << crtc)) &&
			    plane->plane_id > after)
				id = plane->plane_id;
			drmModeFreeProperty(prop);
		}
		drmModeFreeObjectProperties(props);
		drmModeFreePlane(plane);
	}
	drmModeFreePlaneResources(res);
	return id;
}

static void add(drmModeAtomicReq *req, int fd, uint32_t obj, uint32_t type,
		const char *name, uint64_t value)
{
	uint32_t prop = vvram_kms_prop_id(fd, obj, type, name);

	if (!prop) {
		errno = ENOENT;
		die(name);
	}
	if (drmModeAtomicAddProperty(req, obj, prop, value) < 0)
		die("drmModeAtomicAddProperty");
}

static void add_plane(drmModeAtomicReq *req, int fd, uint32_t plane,
		      uint32_t crtc, const struct fb *fb, int x, int y)
{
	const uint32_t t = DRM_MODE_OBJECT_PLANE;

	add(req, fd, plane, t, "FB_ID", fb->id);
	add(req, fd, plane, t, "CRTC_ID", crtc);
	add(req, fd, plane, t, "SRC_X", 0);
	add(req, fd, plane, t, "SRC_Y", 0);
	add(req, fd, plane, t, "SRC_W", (uint64_t)fb->width << 16);
	add(req, fd, plane, t, "SRC_H", (uint64_t)fb->height << 16);
	add(req, fd, plane, t, "CRTC_X", x);
	add(req, fd, plane, t, "CRTC_Y", y);
	add(req, fd, plane, t, "CRTC_W", fb->width);
	add(req, fd, plane, t, "CRTC_H", fb->height);
}

/* A mode of @width x @height at about 60 Hz; the timings are nominal. */
static void make_mode(uint32_t width, uint32_t height, drmModeModeInfo *mode)
{
	memset(mode, 0, sizeof(*mode));
	mode->hdisplay = width;
	mode->hsync_start = width + 48;
	mode->hsync_end = width + 80;
	mode->htotal = width + 160;
	mode->vdisplay = height;
	mode->vsync_start = height + 3;
	mode->vsync_end = height + 8;
	mode->vtotal = height + 30;
	mode->clock = mode->htotal * mode->vtotal * 60 / 1000;
	mode->vrefresh = 60;
	mode->type = DRM_MODE_TYPE_USERDEF;
	mode->flags = DRM_MODE_FLAG_PHSYNC | DRM_MODE_FLAG_PVSYNC;
	snprintf(mode->name, sizeof(mode->name), "%ux%u", width, height);
}

static uint32_t find_connector(int fd)
{
	drmModeRes *res = drmModeGetResources(fd);
	uint32_t id = 0;
	int i;

	for (i = 0; res && i < res->count_connectors && !id; i++) {
		drmModeConnector *conn = drmModeGetConnector(fd, res->connectors[i]);

		if (conn && conn->connection == DRM_MODE_CONNECTED &&
		    conn->connector_type != DRM_MODE_CONNECTOR_WRITEBACK)
			id = conn->connector_id;
		drmModeFreeConnector(conn);
	}
	drmModeFreeResources(res);
	return id;
}

static void run_writeback(int fd, uint32_t crtc, const drmModeModeInfo *mode,
			  unsigned long jobs)
{
	uint32_t wb = vvram_kms_writeback_connector(fd, 0);
	const uint32_t t = DRM_MODE_OBJECT_CONNECTOR;
	struct fb target;
	unsigned long i;

	if (!wb) {
		errno = ENODEV;
		die("no writeback connector on CRTC 0");
	}
	fb_create(fd, mode->hdisplay, mode->vdisplay, DRM_FORMAT_XRGB8888,
		  &target);
	for (i = 0; i < jobs; i++) {
		drmModeAtomicReq *req = drmModeAtomicAlloc();
		int32_t fence = -1;
		struct pollfd pfd;

		add(req, fd, wb, t, "CRTC_ID", crtc);
		add(req, fd, wb, t, "WRITEBACK_FB_ID", target.id);
		add(req, fd, wb, t, "WRITEBACK_OUT_FENCE_PTR",
		    (uint64_t)(uintptr_t)&fence);
		/* The first job routes the connector: a modeset. */
		if (drmModeAtomicCommit(fd, req, DRM_MODE_ATOMIC_ALLOW_MODESET,
					NULL))
			die("writeback commit");
		drmModeAtomicFree(req);
		pfd.fd = fence;
		pfd.events = POLLIN;
		if (fence < 0 || poll(&pfd, 1, 10000) != 1) {
			errno = ETIMEDOUT;
			die("writeback fence");
		}
		close(fence);
	}
}

int main(int argc, char **argv)
{
	static const int overlay_xy[2][2] = { { 240, 160 }, { 720, 420 } };
	uint32_t width, height, conn, crtc, plane, blob, prev = 0;
	struct fb primary, overlays[2], cursor;
	unsigned long overlays_n, cursor_on, wb_jobs;
	drmModeAtomicReq *req;
	drmModeModeInfo mode;
	drmModeRes *res;
	char line[16];
	unsigned long i;
	int fd;

	if (argc != 7) {
		fprintf(stderr, "usage: %s DRIVER WIDTH HEIGHT OVERLAYS CURSOR WB_JOBS\n",
			argv[0]);
		return 1;
	}
	width = strtoul(argv[2], NULL, 0);
	height = strtoul(argv[3], NULL, 0);
	overlays_n = strtoul(argv[4], NULL, 0);
	cursor_on = strtoul(argv[5], NULL, 0);
	wb_jobs = strtoul(argv[6], NULL, 0);
	if (overlays_n > 2 || width < 1024 || height < 768) {
		errno = EINVAL;
		die("arguments");
	}
	fd = vvram_open_driver(argv[1], VVRAM_OPEN_PRIMARY);
	if (fd < 0) {
		errno = -fd;
		die(argv[1]);
	}
	if (drmSetClientCap(fd, DRM_CLIENT_CAP_UNIVERSAL_PLANES, 1) ||
	    drmSetClientCap(fd, DRM_CLIENT_CAP_ATOMIC, 1) ||
	    drmSetClientCap(fd, DRM_CLIENT_CAP_WRITEBACK_CONNECTORS, 1))
		die("client caps");
	res = drmModeGetResources(fd);
	if (!res || res->count_crtcs < 1)
		die("resources");
	crtc = res->crtcs[0];
	drmModeFreeResources(res);
	conn = find_connector(fd);
	if (!conn) {
		errno = ENODEV;
		die("no connected connector");
	}

	make_mode(width, height, &mode);
	if (drmModeCreatePropertyBlob(fd, &mode, sizeof(mode), &blob))
		die("mode blob");
	req = drmModeAtomicAlloc();
	add(req, fd, crtc, DRM_MODE_OBJECT_CRTC, "MODE_ID", blob);
	add(req, fd, crtc, DRM_MODE_OBJECT_CRTC, "ACTIVE", 1);
	add(req, fd, conn, DRM_MODE_OBJECT_CONNECTOR, "CRTC_ID", crtc);

	fb_create(fd, width, height, DRM_FORMAT_XRGB8888, &primary);
	fb_fill(&primary, 0, 0);
	plane = find_plane(fd, 0, DRM_PLANE_TYPE_PRIMARY, 0);
	add_plane(req, fd, plane, crtc, &primary, 0, 0);
	for (i = 0; i < overlays_n; i++) {
		fb_create(fd, width / 2, height / 2, DRM_FORMAT_ARGB8888,
			  &overlays[i]);
		fb_fill(&overlays[i], 40 * (i + 1), 1);
		plane = find_plane(fd, 0, DRM_PLANE_TYPE_OVERLAY, prev);
		prev = plane;
		if (!plane) {
			errno = ENODEV;
			die("not enough overlay planes");
		}
		add_plane(req, fd, plane, crtc, &overlays[i], overlay_xy[i][0],
			  overlay_xy[i][1]);
	}
	if (cursor_on) {
		fb_create(fd, CURSOR_SIZE, CURSOR_SIZE, DRM_FORMAT_ARGB8888,
			  &cursor);
		fb_fill(&cursor, 200, 1);
		plane = find_plane(fd, 0, DRM_PLANE_TYPE_CURSOR, 0);
		if (!plane) {
			errno = ENODEV;
			die("no cursor plane");
		}
		/* Over both overlays where they overlap. */
		add_plane(req, fd, plane, crtc, &cursor, 900, 500);
	}
	if (drmModeAtomicCommit(fd, req, DRM_MODE_ATOMIC_ALLOW_MODESET, NULL))
		die("modeset commit");
	drmModeAtomicFree(req);

	printf("ready\n");
	fflush(stdout);
	if (wb_jobs) {
		if (!fgets(line, sizeof(line), stdin))
			return 1;
		run_writeback(fd, crtc, &mode, wb_jobs);
		return 0;
	}
	while (fgets(line, sizeof(line), stdin))
		;
	return 0;
}
