// SPDX-License-Identifier: GPL-2.0
/**
 * DOC: vvram CRTCs
 *
 * A vvram CRTC has no hardware behind it; its vblank interrupt is an
 * hrtimer that fires once per frame of the current mode while vblank
 * interrupts are enabled. Each expiry first moves the timer one period
 * on, then reports the vblank, so that when the DRM core asks for the
 * timestamp of the vblank just handled it is the timer's next expiry less
 * one period: the timestamps step by exactly the frame duration.
 *
 * Page-flip and commit events are armed in &drm_crtc_helper_funcs.atomic_flush
 * and sent by the DRM core at the next vblank; a CRTC whose vblank is
 * off (it is being disabled) sends them at once.
 *
 * The CRTC's colour pipeline is DEGAMMA_LUT, then CTM, then GAMMA_LUT, in
 * that order (the composer applies them, see vvram_composer.c); each LUT
 * has %VVRAM_LUT_SIZE entries, and a LUT of another size is -EINVAL.
 */
#include <linux/dma-fence.h>
#include <linux/hrtimer.h>
#include <linux/slab.h>

#include <drm/drm_atomic.h>
#include <drm/drm_atomic_helper.h>
#include <drm/drm_color_mgmt.h>
#include <drm/drm_managed.h>
#include <drm/drm_vblank.h>

#include "vvram_drv.h"

static struct vvram_output *crtc_to_output(struct drm_crtc *crtc)
{
	return container_of(crtc, struct vvram_output, crtc);
}

static enum hrtimer_restart vvram_vblank_fire(struct hrtimer *timer)
{
	struct vvram_output *out = container_of(timer, struct vvram_output,
						vblank_timer);

	bool cookie = dma_fence_begin_signalling();

	hrtimer_forward_now(timer, out->period);
	if (drm_crtc_handle_vblank(&out->crtc))
		vvram_composer_vblank(out,
				      drm_crtc_accurate_vblank_count(&out->crtc));
	dma_fence_end_signalling(cookie);
	return HRTIMER_RESTART;
}

static int vvram_crtc_enable_vblank(struct drm_crtc *crtc)
{
	struct vvram_output *out = crtc_to_output(crtc);
	struct drm_vblank_crtc *vblank = drm_crtc_vblank_crtc(crtc);

	drm_calc_timestamping_constants(crtc, &crtc->mode);
	if (!vblank->framedur_ns)
		return -EINVAL;
	out->period = ns_to_ktime(vblank->framedur_ns);
	hrtimer_start(&out->vblank_timer, out->period, HRTIMER_MODE_REL);
	return 0;
}

static void vvram_crtc_disable_vblank(struct drm_crtc *crtc)
{
	hrtimer_cancel(&crtc_to_output(crtc)->vblank_timer);
}

static bool vvram_crtc_get_vblank_timestamp(struct drm_crtc *crtc,
					    int *max_error, ktime_t *vblank_time,
					    bool in_vblank_irq)
{
	struct vvram_output *out = crtc_to_output(crtc);

	if (!READ_ONCE(drm_crtc_vblank_crtc(crtc)->enabled)) {
		*vblank_time = ktime_get();
		return true;
	}
	/* The timer was moved on before the vblank was reported. */
	*vblank_time = ktime_sub(hrtimer_get_expires(&out->vblank_timer),
				 out->period);
	return true;
}

static struct drm_crtc_state *vvram_crtc_duplicate_state(struct drm_crtc *crtc)
{
	struct vvram_crtc_state *state;

	if (WARN_ON(!crtc->state))
		return NULL;
	state = kzalloc(sizeof(*state), GFP_KERNEL);
	if (!state)
		return NULL;
	__drm_atomic_helper_crtc_duplicate_state(crtc, &state->base);
	/* The planes are found again by atomic_check. */
	return &state->base;
}

static void vvram_crtc_destroy_state(struct drm_crtc *crtc,
				     struct drm_crtc_state *state)
{
	__drm_atomic_helper_crtc_destroy_state(state);
	kfree(to_vvram_crtc_state(state));
}

static void vvram_crtc_reset(struct drm_crtc *crtc)
{
	struct vvram_crtc_state *state = kzalloc(sizeof(*state), GFP_KERNEL);

	if (crtc->state)
		vvram_crtc_destroy_state(crtc, crtc->state);
	crtc->state = NULL;
	if (state)
		__drm_atomic_helper_crtc_reset(crtc, &state->base);
}

static const struct drm_crtc_funcs vvram_crtc_funcs = {
	.set_config		= drm_atomic_helper_set_config,
	.page_flip		= drm_atomic_helper_page_flip,
	.reset			= vvram_crtc_reset,
	.atomic_duplicate_state	= vvram_crtc_duplicate_state,
	.atomic_destroy_state	= vvram_crtc_destroy_state,
	.enable_vblank		= vvram_crtc_enable_vblank,
	.disable_vblank		= vvram_crtc_disable_vblank,
	.get_vblank_timestamp	= vvram_crtc_get_vblank_timestamp,
	.get_crc_sources	= vvram_get_crc_sources,
	.verify_crc_source	= vvram_verify_crc_source,
	.set_crc_source		= vvram_set_crc_source,
};

static enum drm_mode_status
vvram_crtc_mode_valid(struct drm_crtc *crtc, const struct drm_display_mode *mode)
{
	if (mode->hdisplay > VVRAM_MODE_MAX || mode->vdisplay > VVRAM_MODE_MAX)
		return MODE_BAD;
	return MODE_OK;
}

static int vvram_crtc_atomic_check(struct drm_crtc *crtc,
				   struct drm_atomic_state *state)
{
	struct drm_crtc_state *crtc_state =
		drm_atomic_get_new_crtc_state(state, crtc);
	struct vvram_crtc_state *vstate = to_vvram_crtc_state(crtc_state);
	struct drm_plane_state *plane_state;
	struct drm_plane *plane;
	unsigned int i;
	int ret;

	if ((crtc_state->gamma_lut &&
	     drm_color_lut_size(crtc_state->gamma_lut) != VVRAM_LUT_SIZE) ||
	    (crtc_state->degamma_lut &&
	     drm_color_lut_size(crtc_state->degamma_lut) != VVRAM_LUT_SIZE))
		return -EINVAL;

	ret = drm_atomic_add_affected_planes(state, crtc);
	if (ret)
		return ret;
	/* The visible planes, bottom first: normalized zpos is 0, 1, 2... */
	vstate->num_planes = 0;
	drm_for_each_plane_mask(plane, crtc->dev, crtc_state->plane_mask) {
		plane_state = drm_atomic_get_new_plane_state(state, plane);
		if (!plane_state || !plane_state->visible)
			continue;
		if (WARN_ON(vstate->num_planes == VVRAM_MAX_PIPE_PLANES))
			return -EINVAL;
		i = vstate->num_planes++;
		while (i && vstate->planes[i - 1]->normalized_zpos >
			    plane_state->normalized_zpos) {
			vstate->planes[i] = vstate->planes[i - 1];
			i--;
		}
		vstate->planes[i] = plane_state;
	}
	return 0;
}

static void vvram_crtc_atomic_enable(struct drm_crtc *crtc,
				     struct drm_atomic_state *state)
{
	drm_crtc_vblank_on(crtc);
}

static void vvram_crtc_atomic_disable(struct drm_crtc *crtc,
				      struct drm_atomic_state *state)
{
	struct vvram_output *out = crtc_to_output(crtc);

	drm_crtc_vblank_off(crtc);
	vvram_composer_stop(out);
}

static void vvram_crtc_atomic_flush(struct drm_crtc *crtc,
				    struct drm_atomic_state *state)
{
	struct drm_pending_vblank_event *event = crtc->state->event;

	if (crtc->state->active)
		vvram_composer_set_frame(crtc_to_output(crtc),
					 to_vvram_crtc_state(crtc->state));
	if (!event)
		return;
	crtc->state->event = NULL;

	spin_lock_irq(&crtc->dev->event_lock);
	if (drm_crtc_vblank_get(crtc) == 0)
		drm_crtc_arm_vblank_event(crtc, event);
	else
		drm_crtc_send_vblank_event(crtc, event);
	spin_unlock_irq(&crtc->dev->event_lock);
}

static const struct drm_crtc_helper_funcs vvram_crtc_helper_funcs = {
	.mode_valid	= vvram_crtc_mode_valid,
	.atomic_check	= vvram_crtc_atomic_check,
	.atomic_flush	= vvram_crtc_atomic_flush,
	.atomic_enable	= vvram_crtc_atomic_enable,
	.atomic_disable	= vvram_crtc_atomic_disable,
};

static void vvram_crtc_stop_timer(struct drm_device *drm, void *data)
{
	struct vvram_output *out = data;

	hrtimer_cancel(&out->vblank_timer);
}

/**
 * vvram_crtc_init - create the CRTC of one display pipe
 * @vdev: the device
 * @out: the pipe
 * @primary: its primary plane
 * @cursor: its cursor plane, or NULL
 *
 * Return: 0 or a negative errno.
 */
int vvram_crtc_init(struct vvram_device *vdev, struct vvram_output *out,
		    struct drm_plane *primary, struct drm_plane *cursor)
{
	struct drm_crtc *crtc = &out->crtc;
	int ret;

	ret = vvram_composer_init(vdev, out);
	if (ret)
		return ret;
	hrtimer_init(&out->vblank_timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	out->vblank_timer.function = vvram_vblank_fire;
	/* Whatever path tears the device down, the timer is stopped first. */
	ret = drmm_add_action_or_reset(&vdev->drm, vvram_crtc_stop_timer, out);
	if (ret)
		return ret;

	ret = drmm_crtc_init_with_planes(&vdev->drm, crtc, primary, cursor,
					 &vvram_crtc_funcs, NULL);
	if (ret)
		return ret;
	drm_crtc_helper_add(crtc, &vvram_crtc_helper_funcs);

	ret = drm_mode_crtc_set_gamma_size(crtc, VVRAM_LUT_SIZE);
	if (ret)
		return ret;
	drm_crtc_enable_color_mgmt(crtc, VVRAM_LUT_SIZE, true, VVRAM_LUT_SIZE);
	return 0;
}
