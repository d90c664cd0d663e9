// SPDX-License-Identifier: MIT
/*
 * vvram_igt_kms.c - the KMS part of the IGT glue (see vvram_igt.h): pipes,
 * dumb-buffer framebuffers, properties, flips and writeback, through
 * libdrm's drmMode* calls only, so that the tests built on it run on any
 * KMS driver (kms_pipeline runs on vvram and on vkms).
 */
#include <poll.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/select.h>
#include <unistd.h>

#include "vvram_igt.h"

/**
 * kms_igt_open() - the primary node of the driver IGT_FORCE_DRIVER names
 * (vvram when unset), whichever it is.
 */
int kms_igt_open(void)
{
	if (!getenv("IGT_FORCE_DRIVER"))
		__set_forced_driver(VVRAM_DRIVER_NAME);
	return drm_open_driver(DRIVER_ANY);
}

/**
 * kms_pipes() - the fixture of a KMS topic: universal planes, DRM master,
 * and the device's pipes into @pipes (at most @max).  A pipe is a
 * connected connector whose one encoder feeds one CRTC; writeback
 * connectors are not pipes.  Returns how many there are, at least one.
 */
int kms_pipes(int fd, struct kms_pipe *pipes, int max)
{
	drmModeRes *res;
	int i, m, n = 0;

	igt_require(drmSetClientCap(fd, DRM_CLIENT_CAP_UNIVERSAL_PLANES, 1) == 0);
	drmSetMaster(fd);
	res = drmModeGetResources(fd);
	igt_require_f(res, "the device has no display\n");
	for (i = 0; i < res->count_connectors && n < max; i++) {
		drmModeConnector *conn = drmModeGetConnector(fd, res->connectors[i]);
		drmModeEncoder *enc;
		int crtc;

		igt_assert(conn);
		if (conn->connector_type == DRM_MODE_CONNECTOR_WRITEBACK) {
			drmModeFreeConnector(conn);
			continue;
		}
		igt_assert_eq(conn->connection, DRM_MODE_CONNECTED);
		igt_assert_eq(conn->count_encoders, 1);
		enc = drmModeGetEncoder(fd, conn->encoders[0]);
		igt_assert(enc);
		crtc = __builtin_ffs(enc->possible_crtcs) - 1;
		igt_assert_f(crtc >= 0 && enc->possible_crtcs == 1u << crtc &&
			     crtc < res->count_crtcs,
			     "encoder %u feeds CRTCs %#x\n", enc->encoder_id,
			     enc->possible_crtcs);
		pipes[n] = (struct kms_pipe){
			.connector = conn->connector_id,
			.crtc = res->crtcs[crtc],
			.index = crtc,
		};
		for (m = 0; m < conn->count_modes; m++)
			if (conn->modes[m].type & DRM_MODE_TYPE_PREFERRED)
				pipes[n].mode = conn->modes[m];
		igt_assert_f(pipes[n].mode.hdisplay, "connector %u has no preferred mode\n",
			     conn->connector_id);
		n++;
		drmModeFreeEncoder(enc);
		drmModeFreeConnector(conn);
	}
	drmModeFreeResources(res);
	igt_assert(n >= 1);
	return n;
}

/**
 * __kms_fb_create() - a framebuffer of @format on a new dumb buffer of
 * @bpp bits per pixel.  Returns 0 or libdrm's negative errno.
 */
int __kms_fb_create(int fd, struct kms_fb *fb, uint32_t width, uint32_t height,
		    uint32_t format, uint32_t bpp)
{
	uint32_t handles[4] = {}, pitches[4] = {}, offsets[4] = {};
	int ret;

	memset(fb, 0, sizeof(*fb));
	ret = drmModeCreateDumbBuffer(fd, width, height, bpp, 0, &fb->handle,
				      &fb->pitch, &fb->size);
	if (ret)
		return ret;
	handles[0] = fb->handle;
	pitches[0] = fb->pitch;
	return drmModeAddFB2(fd, width, height, format, handles, pitches,
			     offsets, &fb->id, 0);
}

/** kms_fb_create() - an XRGB8888 framebuffer of @width x @height. */
void kms_fb_create(int fd, struct kms_fb *fb, uint32_t width, uint32_t height)
{
	igt_assert_eq(__kms_fb_create(fd, fb, width, height, DRM_FORMAT_XRGB8888, 32), 0);
}

/** kms_fb_destroy() - remove the framebuffer and its dumb buffer. */
void kms_fb_destroy(int fd, struct kms_fb *fb)
{
	if (fb->id)
		drmModeRmFB(fd, fb->id);
	if (fb->handle)
		drmModeDestroyDumbBuffer(fd, fb->handle);
	memset(fb, 0, sizeof(*fb));
}

/** kms_fb_map() - map the framebuffer's dumb buffer read-write. */
void *kms_fb_map(int fd, const struct kms_fb *fb)
{
	uint64_t offset;
	void *ptr;

	igt_assert_eq(drmModeMapDumbBuffer(fd, fb->handle, &offset), 0);
	ptr = mmap(NULL, fb->size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, offset);
	igt_assert(ptr != MAP_FAILED);
	return ptr;
}

/**
 * __kms_set_crtc() - legacy modeset of @p to @fb in @mode.  Returns 0 or
 * the negative errno.
 */
int __kms_set_crtc(int fd, const struct kms_pipe *p, const struct kms_fb *fb,
		   drmModeModeInfo *mode)
{
	uint32_t conn = p->connector;

	return drmModeSetCrtc(fd, p->crtc, fb->id, 0, 0, &conn, 1, mode);
}

/** kms_set_crtc() - show @fb on @p in its preferred mode. */
void kms_set_crtc(int fd, const struct kms_pipe *p, const struct kms_fb *fb)
{
	drmModeModeInfo mode = p->mode;

	igt_assert_eq(__kms_set_crtc(fd, p, fb, &mode), 0);
}

/** kms_disable_crtc() - turn @p off. */
void kms_disable_crtc(int fd, const struct kms_pipe *p)
{
	igt_assert_eq(drmModeSetCrtc(fd, p->crtc, 0, 0, 0, NULL, 0, NULL), 0);
}

/** kms_crtc_fb() - the framebuffer @p shows, 0 when it is off. */
uint32_t kms_crtc_fb(int fd, const struct kms_pipe *p)
{
	drmModeCrtc *crtc = drmModeGetCrtc(fd, p->crtc);
	uint32_t id;

	igt_assert(crtc);
	id = crtc->mode_valid ? crtc->buffer_id : 0;
	drmModeFreeCrtc(crtc);
	return id;
}

/** kms_prop_id() - the id of property @name of a KMS object, or fail. */
uint32_t kms_prop_id(int fd, uint32_t obj, uint32_t type, const char *name)
{
	uint32_t id = vvram_kms_prop_id(fd, obj, type, name);

	igt_assert_f(id, "object %u has no property %s\n", obj, name);
	return id;
}

/** kms_prop_value() - the value of property @name of a KMS object. */
uint64_t kms_prop_value(int fd, uint32_t obj, uint32_t type, const char *name)
{
	drmModeObjectProperties *props = drmModeObjectGetProperties(fd, obj, type);
	uint32_t id = kms_prop_id(fd, obj, type, name), i;
	uint64_t value = 0;

	igt_assert(props);
	for (i = 0; i < props->count_props; i++)
		if (props->props[i] == id)
			value = props->prop_values[i];
	drmModeFreeObjectProperties(props);
	return value;
}

/**
 * kms_prop_enum() - the value of enum entry @entry of property @name of a
 * KMS object, or skip when it has no such entry.
 */
uint64_t kms_prop_enum(int fd, uint32_t obj, uint32_t type, const char *name,
		       const char *entry)
{
	drmModePropertyRes *prop = drmModeGetProperty(fd, kms_prop_id(fd, obj, type, name));
	uint64_t value = 0;
	bool found = false;

	igt_assert(prop);
	for (int i = 0; i < prop->count_enums && !found; i++)
		if (!strcmp(prop->enums[i].name, entry)) {
			value = prop->enums[i].value;
			found = true;
		}
	drmModeFreeProperty(prop);
	igt_require_f(found, "property %s has no value %s\n", name, entry);
	return value;
}

/** kms_add_prop() - add property @name of an object to an atomic request. */
void kms_add_prop(int fd, drmModeAtomicReq *req, uint32_t obj, uint32_t type,
		  const char *name, uint64_t value)
{
	igt_assert(drmModeAtomicAddProperty(req, obj, kms_prop_id(fd, obj, type, name),
					    value) > 0);
}

/** kms_pipe_mode() - the @width x @height mode of @p's connector, or fail. */
drmModeModeInfo kms_pipe_mode(int fd, const struct kms_pipe *p, int width, int height)
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

/** __kms_pipe_plane() - the plane of @type (DRM_PLANE_TYPE_*) of @p, or 0. */
uint32_t __kms_pipe_plane(int fd, const struct kms_pipe *p, uint64_t type)
{
	drmModePlaneRes *res = drmModeGetPlaneResources(fd);
	uint32_t id = 0, i;

	igt_assert(res);
	for (i = 0; i < res->count_planes && !id; i++) {
		drmModePlane *plane = drmModeGetPlane(fd, res->planes[i]);

		if (plane->possible_crtcs & 1u << p->index &&
		    kms_prop_value(fd, plane->plane_id, DRM_MODE_OBJECT_PLANE,
				   "type") == type)
			id = plane->plane_id;
		drmModeFreePlane(plane);
	}
	drmModeFreePlaneResources(res);
	return id;
}

/** kms_pipe_plane() - the plane of @type of @p, or skip. */
uint32_t kms_pipe_plane(int fd, const struct kms_pipe *p, uint64_t type)
{
	uint32_t id = __kms_pipe_plane(fd, p, type);

	igt_require_f(id, "pipe has no plane of type %llu\n", (unsigned long long)type);
	return id;
}

/**
 * kms_primary_req() - an atomic request that shows @fb in @mode on @p's
 * connector through its primary plane, uncropped.  The mode's blob goes
 * to *@blob, for the caller to destroy after the commit.
 */
drmModeAtomicReq *kms_primary_req(int fd, const struct kms_pipe *p,
				  const drmModeModeInfo *mode,
				  const struct kms_fb *fb, uint32_t *blob)
{
	drmModeAtomicReq *req = drmModeAtomicAlloc();
	uint32_t plane = kms_pipe_plane(fd, p, DRM_PLANE_TYPE_PRIMARY);
	const struct {
		const char *name;
		uint64_t value;
	} props[] = {
		{ "FB_ID", fb->id }, { "CRTC_ID", p->crtc },
		{ "SRC_X", 0 }, { "SRC_Y", 0 },
		{ "SRC_W", (uint64_t)mode->hdisplay << 16 },
		{ "SRC_H", (uint64_t)mode->vdisplay << 16 },
		{ "CRTC_X", 0 }, { "CRTC_Y", 0 },
		{ "CRTC_W", mode->hdisplay }, { "CRTC_H", mode->vdisplay },
	};

	igt_assert(req);
	igt_assert_eq(drmModeCreatePropertyBlob(fd, mode, sizeof(*mode), blob), 0);
	kms_add_prop(fd, req, p->crtc, DRM_MODE_OBJECT_CRTC, "MODE_ID", *blob);
	kms_add_prop(fd, req, p->crtc, DRM_MODE_OBJECT_CRTC, "ACTIVE", 1);
	kms_add_prop(fd, req, p->connector, DRM_MODE_OBJECT_CONNECTOR, "CRTC_ID", p->crtc);
	for (unsigned int i = 0; i < ARRAY_SIZE(props); i++)
		kms_add_prop(fd, req, plane, DRM_MODE_OBJECT_PLANE, props[i].name,
			     props[i].value);
	return req;
}

/**
 * kms_writeback_connector() - the writeback connector of @p (the client
 * cap must be set), or skip.
 */
uint32_t kms_writeback_connector(int fd, const struct kms_pipe *p)
{
	uint32_t id = vvram_kms_writeback_connector(fd, p->index);

	igt_require_f(id, "no writeback connector\n");
	return id;
}

/**
 * kms_writeback_commit() - commit @req with @p's writeback connector
 * writing into @out, and wait until the frame is written.
 */
void kms_writeback_commit(int fd, drmModeAtomicReq *req, const struct kms_pipe *p,
			  const struct kms_fb *out, uint32_t flags)
{
	uint32_t wb = kms_writeback_connector(fd, p);
	int32_t fence = -1;
	struct pollfd pfd;

	kms_add_prop(fd, req, wb, DRM_MODE_OBJECT_CONNECTOR, "CRTC_ID", p->crtc);
	kms_add_prop(fd, req, wb, DRM_MODE_OBJECT_CONNECTOR, "WRITEBACK_FB_ID", out->id);
	kms_add_prop(fd, req, wb, DRM_MODE_OBJECT_CONNECTOR, "WRITEBACK_OUT_FENCE_PTR",
		     (uintptr_t)&fence);
	igt_assert_eq(drmModeAtomicCommit(fd, req, flags, NULL), 0);
	igt_assert(fence >= 0);
	pfd = (struct pollfd){ .fd = fence, .events = POLLIN };
	igt_assert_f(poll(&pfd, 1, 10000) == 1, "writeback fence not signalled\n");
	close(fence);
}

static void flip_handler(int fd __attribute__((unused)),
			 unsigned int seq __attribute__((unused)),
			 unsigned int sec, unsigned int usec, void *data)
{
	double *stamp = data;

	*stamp = sec * 1e9 + usec * 1e3;
}

/**
 * kms_flip_and_wait() - flip @p to @fb with an event and wait for it.
 * Returns the event's timestamp in ns.
 */
double kms_flip_and_wait(int fd, const struct kms_pipe *p, const struct kms_fb *fb)
{
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
		kms_handle_event(fd);
	}
	return stamp;
}

/** kms_handle_event() - read and handle the DRM events waiting on @fd. */
void kms_handle_event(int fd)
{
	drmEventContext ctx = {
		.version = 2,
		.page_flip_handler = flip_handler,
	};

	igt_assert_eq(drmHandleEvent(fd, &ctx), 0);
}

/* Subsampling of the YCbCr formats kms_yuv_fb knows: 2, and 2 or 1. */
static void yuv_subsampling(uint32_t format, unsigned int *hsub, unsigned int *vsub)
{
	*hsub = 2;
	*vsub = format == DRM_FORMAT_NV16 ? 1 : 2;
}

/**
 * __kms_yuv_fb_create() - a @width x @height framebuffer of the YCbCr
 * @format (NV12, NV21, NV16 or YUV420) on dumb buffers: its colour planes
 * in one buffer, the luma after 4 unused rows and each chroma plane after
 * the one before, when @one_bo; else each in a buffer of its own.
 * Returns 0 or libdrm's negative errno (that of ADDFB2 once the buffers
 * exist; they are destroyed then).
 */
int __kms_yuv_fb_create(int fd, struct kms_yuv_fb *fb, uint32_t format,
			uint32_t width, uint32_t height, bool one_bo)
{
	uint32_t handles[4] = {}, pitches[4] = {}, offsets[4] = {};
	unsigned int hsub, vsub, p, planes = format == DRM_FORMAT_YUV420 ? 3 : 2;
	/* Bytes per row and rows of each colour plane. */
	uint32_t row[3], rows[3];
	int ret;

	memset(fb, 0, sizeof(*fb));
	yuv_subsampling(format, &hsub, &vsub);
	row[0] = width;
	rows[0] = height;
	for (p = 1; p < planes; p++) {
		row[p] = (planes == 2 ? 2 : 1) * ((width + hsub - 1) / hsub);
		rows[p] = (height + vsub - 1) / vsub;
	}
	fb->format = format;
	fb->width = width;
	fb->height = height;
	fb->num_planes = planes;
	fb->num_bos = one_bo ? 1 : planes;
	if (one_bo) {
		uint32_t pitch, total = 4;

		for (p = 0; p < planes; p++)
			total += rows[p];
		/* Rows of an even width, so that a chroma pair row fits. */
		ret = drmModeCreateDumbBuffer(fd, width + (width & 1), total, 8, 0, &fb->bos[0],
					      &pitch, &fb->bo_sizes[0]);
		if (ret)
			return ret;
		offsets[0] = 4 * pitch;
		for (p = 0; p < planes; p++) {
			handles[p] = fb->bos[0];
			pitches[p] = pitch;
			if (p)
				offsets[p] = offsets[p - 1] + rows[p - 1] * pitch;
		}
	} else {
		for (p = 0; p < planes; p++) {
			ret = drmModeCreateDumbBuffer(fd, row[p], rows[p], 8, 0, &fb->bos[p],
						      &pitches[p], &fb->bo_sizes[p]);
			if (ret) {
				kms_yuv_fb_destroy(fd, fb);
				return ret;
			}
			handles[p] = fb->bos[p];
		}
	}
	memcpy(fb->handles, handles, sizeof(fb->handles));
	memcpy(fb->pitches, pitches, sizeof(fb->pitches));
	memcpy(fb->offsets, offsets, sizeof(fb->offsets));
	ret = drmModeAddFB2(fd, width, height, format, handles, pitches, offsets,
			    &fb->id, 0);
	if (ret)
		kms_yuv_fb_destroy(fd, fb);
	return ret;
}

/** kms_yuv_fb_create() - __kms_yuv_fb_create(), which must succeed. */
void kms_yuv_fb_create(int fd, struct kms_yuv_fb *fb, uint32_t format,
		       uint32_t width, uint32_t height, bool one_bo)
{
	igt_assert_eq(__kms_yuv_fb_create(fd, fb, format, width, height, one_bo), 0);
}

/** kms_yuv_fb_destroy() - remove the framebuffer and its dumb buffers. */
void kms_yuv_fb_destroy(int fd, struct kms_yuv_fb *fb)
{
	if (fb->id)
		drmModeRmFB(fd, fb->id);
	for (unsigned int i = 0; i < fb->num_bos; i++)
		if (fb->bos[i])
			drmModeDestroyDumbBuffer(fd, fb->bos[i]);
	memset(fb, 0, sizeof(*fb));
}

/**
 * kms_yuv_fb_fill() - write every sample of @fb: @sample(0, x, y) is the
 * luma of pixel (x, y), @sample(1, x, y) and @sample(2, x, y) the Cb and
 * Cr of chroma sample (x, y) (pixel (2x, 2y) in 4:2:0, (2x, y) in 4:2:2).
 */
void kms_yuv_fb_fill(int fd, const struct kms_yuv_fb *fb,
		     uint8_t (*sample)(int component, int x, int y))
{
	unsigned int hsub, vsub, b;
	uint8_t *maps[3];
	int x, y, cw, ch;

	yuv_subsampling(fb->format, &hsub, &vsub);
	cw = (fb->width + hsub - 1) / hsub;
	ch = (fb->height + vsub - 1) / vsub;
	for (b = 0; b < fb->num_bos; b++) {
		uint64_t offset;

		igt_assert_eq(drmModeMapDumbBuffer(fd, fb->bos[b], &offset), 0);
		maps[b] = mmap(NULL, fb->bo_sizes[b], PROT_READ | PROT_WRITE, MAP_SHARED,
			       fd, offset);
		igt_assert(maps[b] != MAP_FAILED);
	}
#define PLANE(p) (maps[fb->num_bos == 1 ? 0 : (p)] + fb->offsets[p])
	for (y = 0; y < (int)fb->height; y++)
		for (x = 0; x < (int)fb->width; x++)
			PLANE(0)[y * fb->pitches[0] + x] = sample(0, x, y);
	for (y = 0; y < ch; y++)
		for (x = 0; x < cw; x++) {
			uint8_t cb = sample(1, x, y), cr = sample(2, x, y);

			if (fb->format == DRM_FORMAT_YUV420) {
				PLANE(1)[y * fb->pitches[1] + x] = cb;
				PLANE(2)[y * fb->pitches[2] + x] = cr;
			} else {
				uint8_t *pair = PLANE(1) + y * fb->pitches[1] + 2 * x;

				pair[0] = fb->format == DRM_FORMAT_NV21 ? cr : cb;
				pair[1] = fb->format == DRM_FORMAT_NV21 ? cb : cr;
			}
		}
#undef PLANE
	for (b = 0; b < fb->num_bos; b++)
		munmap(maps[b], fb->bo_sizes[b]);
}

/**
 * kms_fbdev_open() - vvram's framebuffer device, the one sysfs names
 * "vvramdrmfb", opened read-write; -1 when there is none.
 */
int kms_fbdev_open(void)
{
	char path[64], name[32];

	for (int i = 0; i < 32; i++) {
		FILE *file;
		bool ours;

		snprintf(path, sizeof(path), "/sys/class/graphics/fb%d/name", i);
		file = fopen(path, "r");
		if (!file)
			continue;
		ours = fgets(name, sizeof(name), file) && !strcmp(name, "vvramdrmfb\n");
		fclose(file);
		if (ours) {
			snprintf(path, sizeof(path), "/dev/fb%d", i);
			return open(path, O_RDWR | O_CLOEXEC);
		}
	}
	return -1;
}
