// SPDX-License-Identifier: MIT
/*
 * vvramctl capture: save what a CRTC shows as a PNG, through the CRTC's
 * writeback connector. The next frame the display engine composes is
 * written into a dumb buffer, and libpng encodes it.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <drm_fourcc.h>
#include <png.h>
#include <xf86drm.h>
#include <xf86drmMode.h>

#include "vvramctl.h"

static const char capture_usage[] =
"usage: vvramctl capture [--crtc N] FILE.png\n"
"Save the picture CRTC N (default 0) shows, through its writeback\n"
"connector. The CRTC must be on, and nobody else may be DRM master (a\n"
"running compositor is): the capture is an atomic commit.\n";

static int write_png(const char *path, const uint8_t *pixels, uint32_t width,
		     uint32_t height, uint32_t pitch)
{
	png_image image = {
		.version = PNG_IMAGE_VERSION,
		.width = width,
		.height = height,
		.format = PNG_FORMAT_BGRA,	/* XRGB8888 in memory order */
	};
	uint8_t *rgba;
	uint32_t y, x;
	int ok;

	/* The X byte is not alpha: make every pixel opaque. */
	rgba = malloc((size_t)width * height * 4);
	if (!rgba)
		return -ENOMEM;
	for (y = 0; y < height; y++) {
		memcpy(rgba + (size_t)y * width * 4, pixels + (size_t)y * pitch,
		       (size_t)width * 4);
		for (x = 0; x < width; x++)
			rgba[((size_t)y * width + x) * 4 + 3] = 0xff;
	}
	ok = png_image_write_to_file(&image, path, 0, rgba, 0, NULL);
	free(rgba);
	if (!ok)
		return ctl_error(0, "writing %s: %s", path, image.message);
	return 0;
}

/*
 * Commit a writeback of CRTC @crtc_id into framebuffer @fb_id on
 * connector @wb, and wait for the frame.
 */
static int writeback_frame(int fd, uint32_t crtc_id, uint32_t wb, uint32_t fb_id)
{
	drmModeAtomicReq *req = drmModeAtomicAlloc();
	int32_t fence = -1;
	const struct {
		const char *name;
		uint64_t value;
	} props[] = {
		{ "CRTC_ID", crtc_id },
		{ "WRITEBACK_FB_ID", fb_id },
		{ "WRITEBACK_OUT_FENCE_PTR", (uintptr_t)&fence },
	};
	struct pollfd pfd;
	unsigned int i;
	int ret;

	if (!req)
		return -ENOMEM;
	for (i = 0; i < sizeof(props) / sizeof(props[0]); i++)
		drmModeAtomicAddProperty(req, wb,
					 vvram_kms_prop_id(fd, wb, DRM_MODE_OBJECT_CONNECTOR,
							   props[i].name),
					 props[i].value);
	ret = drmModeAtomicCommit(fd, req, DRM_MODE_ATOMIC_ALLOW_MODESET, NULL);
	drmModeAtomicFree(req);
	if (ret)
		return ret;
	pfd = (struct pollfd){ .fd = fence, .events = POLLIN };
	ret = poll(&pfd, 1, 10000) == 1 ? 0 : -ETIMEDOUT;
	close(fence);
	return ret;
}

static int capture(int fd, int index, const char *path)
{
	uint32_t handles[4] = {}, pitches[4] = {}, offsets[4] = {};
	uint32_t wb, fb_id = 0, handle = 0, pitch, width, height;
	drmModeCrtc *crtc = NULL;
	drmModeRes *res = NULL;
	void *pixels = NULL;
	uint64_t size = 0;
	int ret;

	if (drmSetClientCap(fd, DRM_CLIENT_CAP_ATOMIC, 1) ||
	    drmSetClientCap(fd, DRM_CLIENT_CAP_WRITEBACK_CONNECTORS, 1))
		return ctl_error(errno, "the device has no atomic writeback");
	res = drmModeGetResources(fd);
	if (!res)
		return ctl_error(errno, "the device has no display (display=0?)");
	if (index < 0 || index >= res->count_crtcs) {
		ret = ctl_error(0, "no CRTC %d: the device has %d", index,
				res->count_crtcs);
		goto out;
	}
	crtc = drmModeGetCrtc(fd, res->crtcs[index]);
	if (!crtc || !crtc->mode_valid) {
		ret = ctl_error(0, "CRTC %d is off: nothing to capture", index);
		goto out;
	}
	wb = vvram_kms_writeback_connector(fd, index);
	if (!wb) {
		ret = ctl_error(0, "CRTC %d has no writeback connector (enable_writeback=0?)",
				index);
		goto out;
	}
	width = crtc->mode.hdisplay;
	height = crtc->mode.vdisplay;

	ret = drmModeCreateDumbBuffer(fd, width, height, 32, 0, &handle, &pitch, &size);
	if (ret) {
		ret = ctl_error(ret, "cannot create a %ux%u buffer", width, height);
		goto out;
	}
	handles[0] = handle;
	pitches[0] = pitch;
	ret = drmModeAddFB2(fd, width, height, DRM_FORMAT_XRGB8888, handles, pitches,
			    offsets, &fb_id, 0);
	if (ret) {
		ret = ctl_error(ret, "cannot add the capture framebuffer");
		goto out;
	}
	ret = writeback_frame(fd, crtc->crtc_id, wb, fb_id);
	if (ret == -EACCES) {
		ret = ctl_error(ret, "writeback refused: another client is DRM master");
		goto out;
	}
	if (ret) {
		ret = ctl_error(ret, "writeback of CRTC %d failed", index);
		goto out;
	}
	ret = vvram_bo_mmap(fd, handle, size, PROT_READ, &pixels);
	if (ret) {
		ret = ctl_error(ret, "cannot map the captured frame");
		goto out;
	}
	ret = write_png(path, pixels, width, height, pitch);
	if (!ret)
		printf("%s: %ux%u from CRTC %d\n", path, width, height, index);
	munmap(pixels, size);
out:
	if (fb_id)
		drmModeRmFB(fd, fb_id);
	if (handle)
		drmModeDestroyDumbBuffer(fd, handle);
	drmModeFreeCrtc(crtc);
	drmModeFreeResources(res);
	return ret ? 1 : 0;
}

int cmd_capture(int argc, char **argv)
{
	static const struct option options[] = {
		{ "crtc", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	uint64_t index = 0;
	int opt, fd, ret;

	while ((opt = getopt_long(argc, argv, "c:h", options, NULL)) != -1) {
		switch (opt) {
		case 'c':
			if (ctl_parse_u64(optarg, &index) || index > 64)
				return ctl_usage_error(capture_usage, "bad CRTC '%s'", optarg);
			break;
		case 'h':
			fputs(capture_usage, stdout);
			return 0;
		default:
			return ctl_usage_error(capture_usage, "bad option");
		}
	}
	if (optind != argc - 1)
		return ctl_usage_error(capture_usage, "expected one FILE.png");
	fd = ctl_open(VVRAM_OPEN_PRIMARY);
	if (fd < 0)
		return 1;
	ret = capture(fd, (int)index, argv[optind]);
	close(fd);
	return ret;
}
