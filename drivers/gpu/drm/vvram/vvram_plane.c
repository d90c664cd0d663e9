// SPDX-License-Identifier: GPL-2.0
/**
 * DOC: vvram planes and scanout from VRAM
 *
 * As on a discrete GPU, the display engine reads framebuffers only from
 * VRAM. &drm_plane_helper_funcs.prepare_fb therefore pins every BO of a
 * plane's framebuffer into VRAM through vvram_bo_pin_scanout(): a BO in
 * GTT or system memory moves in, evicting unpinned BOs to make room; with
 * ``scanout_contiguous`` (the default) its VRAM is one contiguous range;
 * cursor BOs are placed top-down so that they do not fragment the bottom
 * of VRAM. &drm_plane_helper_funcs.cleanup_fb drops the pin. A pinned BO
 * is never evicted, so nothing on screen moves, and the framebuffer's
 * reference keeps a BO its owner closed alive for as long as it is shown.
 *
 * A framebuffer whose BOs can never be scanned out (a BO that may not be
 * in VRAM, or too large for it) fails &drm_plane_helper_funcs.atomic_check,
 * so TEST_ONLY commits see it too, as they see one for which the pinned
 * BOs leave too little VRAM (-ENOSPC). One that still does not find room
 * when placed (no contiguous range even after eviction) fails the commit
 * with -ENOSPC in prepare_fb, before anything changes.
 *
 * A framebuffer of several colour planes is scanned out of VRAM like any
 * other: each distinct BO behind its planes is pinned once, and the room
 * check adds up those not yet pinned.
 *
 * Every plane may be positioned, and offers rotation and reflection.
 */
#include <drm/drm_atomic.h>
#include <drm/drm_atomic_helper.h>
#include <drm/drm_blend.h>
#include <drm/drm_color_mgmt.h>
#include <drm/drm_fourcc.h>
#include <drm/drm_framebuffer.h>
#include <drm/drm_gem_atomic_helper.h>
#include <drm/drm_gem_framebuffer_helper.h>
#include <drm/drm_plane.h>

#include "vvram_drv.h"

/**
 * struct vvram_plane - a plane
 * @base: the DRM plane; its states are &struct drm_shadow_plane_state,
 *	whose first mapping is the framebuffer's, for the composer
 */
struct vvram_plane {
	struct drm_plane base;
};

/*
 * The distinct BOs of @fb into @bos, in plane order: the colour planes of
 * a multi-planar framebuffer may share a BO, which is pinned and counted
 * once. Returns how many.
 */
static unsigned int fb_bos(const struct drm_framebuffer *fb,
			   struct vvram_bo **bos)
{
	unsigned int i, j, n = 0;

	for (i = 0; i < fb->format->num_planes; i++) {
		for (j = 0; j < i && fb->obj[j] != fb->obj[i]; j++)
			;
		if (j == i)
			bos[n++] = gem_to_vvram_bo(fb->obj[i]);
	}
	return n;
}

static int vvram_plane_atomic_check(struct drm_plane *plane,
				    struct drm_atomic_state *state)
{
	struct drm_plane_state *new_state =
		drm_atomic_get_new_plane_state(state, plane);
	struct drm_plane_state *old_state =
		drm_atomic_get_old_plane_state(state, plane);
	struct drm_crtc *crtc = new_state->crtc ?: old_state->crtc;
	struct drm_framebuffer *fb = new_state->fb;
	struct vvram_bo *bos[DRM_FORMAT_MAX_PLANES];
	struct drm_crtc_state *crtc_state;
	unsigned int i, n;
	int ret;

	/* The CRTC's list of planes to blend must see every plane change. */
	if (crtc) {
		crtc_state = drm_atomic_get_crtc_state(state, crtc);
		if (IS_ERR(crtc_state))
			return PTR_ERR(crtc_state);
	}
	if (!fb || !new_state->crtc)
		return 0;
	if (plane->type == DRM_PLANE_TYPE_CURSOR &&
	    (new_state->crtc_w > VVRAM_CURSOR_MAX ||
	     new_state->crtc_h > VVRAM_CURSOR_MAX))
		return -EINVAL;

	ret = vvram_format_check_src(new_state);
	if (ret)
		return ret;

	n = fb_bos(fb, bos);
	for (i = 0; i < n; i++) {
		ret = vvram_bo_check_scanout(bos[i]);
		if (ret)
			return ret;
	}
	ret = vvram_bo_check_scanout_room(bos, n);
	if (ret)
		return ret;

	crtc_state = drm_atomic_get_new_crtc_state(state, new_state->crtc);
	return drm_atomic_helper_check_plane_state(new_state, crtc_state,
						   DRM_PLANE_NO_SCALING,
						   DRM_PLANE_NO_SCALING,
						   true, true);
}

static void vvram_plane_unpin_bos(struct vvram_bo **bos, unsigned int count)
{
	while (count--)
		vvram_bo_unpin_scanout(bos[count]);
}

static int vvram_plane_prepare_fb(struct drm_plane *plane,
				  struct drm_plane_state *new_state)
{
	struct drm_shadow_plane_state *shadow = to_drm_shadow_plane_state(new_state);
	struct drm_framebuffer *fb = new_state->fb;
	bool top_down = plane->type == DRM_PLANE_TYPE_CURSOR;
	struct vvram_bo *bos[DRM_FORMAT_MAX_PLANES];
	unsigned int i, n;
	int ret;

	if (!fb)
		return 0;

	n = fb_bos(fb, bos);
	for (i = 0; i < n; i++) {
		ret = vvram_bo_pin_scanout(bos[i], top_down);
		if (ret) {
			vvram_plane_unpin_bos(bos, i);
			return ret;
		}
	}
	ret = drm_gem_plane_helper_prepare_fb(plane, new_state);
	if (!ret)
		ret = drm_gem_fb_vmap(fb, shadow->map, shadow->data);
	if (ret)
		vvram_plane_unpin_bos(bos, n);
	return ret;
}

static void vvram_plane_cleanup_fb(struct drm_plane *plane,
				   struct drm_plane_state *old_state)
{
	struct drm_shadow_plane_state *shadow = to_drm_shadow_plane_state(old_state);
	struct vvram_bo *bos[DRM_FORMAT_MAX_PLANES];

	if (!old_state->fb)
		return;
	drm_gem_fb_vunmap(old_state->fb, shadow->map);
	vvram_plane_unpin_bos(bos, fb_bos(old_state->fb, bos));
}

/* The composer reads the plane states themselves: nothing to latch. */
static void vvram_plane_atomic_update(struct drm_plane *plane,
				      struct drm_atomic_state *state)
{
}

static const struct drm_plane_helper_funcs vvram_plane_helper_funcs = {
	.prepare_fb	= vvram_plane_prepare_fb,
	.cleanup_fb	= vvram_plane_cleanup_fb,
	.atomic_check	= vvram_plane_atomic_check,
	.atomic_update	= vvram_plane_atomic_update,
};

static const struct drm_plane_funcs vvram_plane_funcs = {
	.update_plane		= drm_atomic_helper_update_plane,
	.disable_plane		= drm_atomic_helper_disable_plane,
	DRM_GEM_SHADOW_PLANE_FUNCS,
};

/**
 * vvram_plane_create - create a plane of one display pipe
 * @vdev: the device
 * @type: primary, cursor or overlay
 * @index: the pipe, whose CRTC alone the plane can feed
 * @zpos: the plane's place in the blending order by default, 0 at the
 *	bottom; every plane's zpos may be set from 0 to
 *	%VVRAM_MAX_PIPE_PLANES - 1
 *
 * Every plane also has rotation and reflection, a plane-wide alpha and
 * the three pixel blend modes. Primary and overlay planes take every
 * format of vvram_formats.c, with COLOR_ENCODING and COLOR_RANGE for the
 * YCbCr ones; the cursor takes the RGB formats only.
 *
 * Return: the plane, drmm-managed, or an ERR_PTR().
 */
struct drm_plane *vvram_plane_create(struct vvram_device *vdev,
				     enum drm_plane_type type,
				     unsigned int index, unsigned int zpos)
{
	bool cursor = type == DRM_PLANE_TYPE_CURSOR;
	struct vvram_plane *plane;
	int ret;

	plane = drmm_universal_plane_alloc(&vdev->drm, struct vvram_plane, base,
					   BIT(index), &vvram_plane_funcs,
					   cursor ? vvram_cursor_formats :
						    vvram_plane_formats,
					   cursor ? ARRAY_SIZE(vvram_cursor_formats) :
						    ARRAY_SIZE(vvram_plane_formats),
					   NULL, type, NULL);
	if (IS_ERR(plane))
		return ERR_CAST(plane);
	drm_plane_helper_add(&plane->base, &vvram_plane_helper_funcs);

	ret = drm_plane_create_rotation_property(&plane->base, DRM_MODE_ROTATE_0,
						 DRM_MODE_ROTATE_MASK |
						 DRM_MODE_REFLECT_MASK);
	if (!ret)
		ret = drm_plane_create_zpos_property(&plane->base, zpos, 0,
						     VVRAM_MAX_PIPE_PLANES - 1);
	if (!ret)
		ret = drm_plane_create_alpha_property(&plane->base);
	if (!ret)
		ret = drm_plane_create_blend_mode_property(&plane->base,
							   BIT(DRM_MODE_BLEND_PIXEL_NONE) |
							   BIT(DRM_MODE_BLEND_PREMULTI) |
							   BIT(DRM_MODE_BLEND_COVERAGE));
	/* Only planes that take YCbCr formats need their conversion. */
	if (!ret && !cursor)
		ret = drm_plane_create_color_properties(&plane->base,
							BIT(DRM_COLOR_YCBCR_BT601) |
							BIT(DRM_COLOR_YCBCR_BT709) |
							BIT(DRM_COLOR_YCBCR_BT2020),
							BIT(DRM_COLOR_YCBCR_LIMITED_RANGE) |
							BIT(DRM_COLOR_YCBCR_FULL_RANGE),
							DRM_COLOR_YCBCR_BT601,
							DRM_COLOR_YCBCR_LIMITED_RANGE);
	if (ret)
		return ERR_PTR(ret);
	return &plane->base;
}
