// SPDX-License-Identifier: GPL-2.0
/**
 * DOC: vvram writeback
 *
 * With ``enable_writeback`` (the default) each pipe has a writeback
 * connector: a commit that attaches a framebuffer to it (WRITEBACK_FB_ID)
 * gets the next frame the composer blends, written into that framebuffer
 * in its format, and the writeback out-fence signals when the frame is
 * complete. Its format is one of the RGB formats XRGB8888, ARGB8888,
 * XRGB16161616, ARGB16161616 and RGB565, each channel rounded to nearest
 * from the composer's 16 bits. The framebuffer must be the size of the CRTC's mode and may be
 * any vvram BO: like a scanout buffer it is pinned into VRAM for the job
 * (&drm_connector_helper_funcs.prepare_writeback_job) and unpinned when
 * the job is cleaned up.
 */
#include <drm/drm_atomic.h>
#include <drm/drm_atomic_helper.h>
#include <drm/drm_edid.h>
#include <drm/drm_framebuffer.h>
#include <drm/drm_gem_framebuffer_helper.h>
#include <drm/drm_probe_helper.h>
#include <drm/drm_writeback.h>

#include "vvram_drv.h"

static struct vvram_output *wb_to_output(struct drm_writeback_connector *wb)
{
	return container_of(wb, struct vvram_output, wb);
}

static int vvram_wb_get_modes(struct drm_connector *connector)
{
	return drm_add_modes_noedid(connector, VVRAM_MODE_MAX, VVRAM_MODE_MAX);
}

static int vvram_wb_atomic_check(struct drm_connector *connector,
				 struct drm_atomic_state *state)
{
	struct drm_connector_state *conn_state =
		drm_atomic_get_new_connector_state(state, connector);
	struct drm_framebuffer *fb;
	struct drm_crtc_state *crtc_state;
	int ret;

	if (!conn_state->writeback_job || !conn_state->writeback_job->fb ||
	    !conn_state->crtc)
		return 0;
	fb = conn_state->writeback_job->fb;
	crtc_state = drm_atomic_get_new_crtc_state(state, conn_state->crtc);
	if (fb->width != crtc_state->mode.hdisplay ||
	    fb->height != crtc_state->mode.vdisplay)
		return -EINVAL;
	ret = vvram_bo_check_scanout(gem_to_vvram_bo(fb->obj[0]));
	if (ret)
		return ret;
	return drm_atomic_helper_check_wb_connector_state(connector, state);
}

static int vvram_wb_prepare_job(struct drm_writeback_connector *wb,
				struct drm_writeback_job *job)
{
	struct vvram_wb_target *target;
	struct vvram_bo *bo;
	int ret;

	if (!job->fb)
		return 0;
	bo = gem_to_vvram_bo(job->fb->obj[0]);
	target = kzalloc(sizeof(*target), GFP_KERNEL);
	if (!target)
		return -ENOMEM;
	ret = vvram_bo_pin_scanout(bo, false);
	if (ret)
		goto free;
	ret = drm_gem_fb_vmap(job->fb, target->map, target->data);
	if (ret)
		goto unpin;
	target->fb = job->fb;
	job->priv = target;
	return 0;

unpin:
	vvram_bo_unpin_scanout(bo);
free:
	kfree(target);
	return ret;
}

static void vvram_wb_cleanup_job(struct drm_writeback_connector *wb,
				 struct drm_writeback_job *job)
{
	struct vvram_wb_target *target = job->priv;

	if (!target)
		return;
	drm_gem_fb_vunmap(job->fb, target->map);
	vvram_bo_unpin_scanout(gem_to_vvram_bo(job->fb->obj[0]));
	kfree(target);
}

static void vvram_wb_atomic_commit(struct drm_connector *connector,
				   struct drm_atomic_state *state)
{
	struct drm_connector_state *conn_state =
		drm_atomic_get_new_connector_state(state, connector);
	struct drm_writeback_connector *wb = drm_connector_to_writeback(connector);

	if (!conn_state->writeback_job || !conn_state->writeback_job->fb)
		return;
	vvram_composer_queue_writeback(wb_to_output(wb),
				       conn_state->writeback_job->priv);
	drm_writeback_queue_job(wb, conn_state);
}

static const struct drm_connector_helper_funcs vvram_wb_helper_funcs = {
	.get_modes		= vvram_wb_get_modes,
	.atomic_check		= vvram_wb_atomic_check,
	.prepare_writeback_job	= vvram_wb_prepare_job,
	.cleanup_writeback_job	= vvram_wb_cleanup_job,
	.atomic_commit		= vvram_wb_atomic_commit,
};

static const struct drm_connector_funcs vvram_wb_connector_funcs = {
	.fill_modes		= drm_helper_probe_single_connector_modes,
	.destroy		= drm_connector_cleanup,
	.reset			= drm_atomic_helper_connector_reset,
	.atomic_duplicate_state	= drm_atomic_helper_connector_duplicate_state,
	.atomic_destroy_state	= drm_atomic_helper_connector_destroy_state,
};

/**
 * vvram_writeback_init - create the writeback connector of one pipe
 * @vdev: the device
 * @out: the pipe; its CRTC must exist
 *
 * Return: 0 or a negative errno.
 */
int vvram_writeback_init(struct vvram_device *vdev, struct vvram_output *out)
{
	drm_connector_helper_add(&out->wb.base, &vvram_wb_helper_funcs);
	return drm_writeback_connector_init(&vdev->drm, &out->wb,
					    &vvram_wb_connector_funcs, NULL,
					    vvram_writeback_formats,
					    ARRAY_SIZE(vvram_writeback_formats),
					    drm_crtc_mask(&out->crtc));
}
