// SPDX-License-Identifier: GPL-2.0
/**
 * DOC: vvram display outputs
 *
 * With the ``display`` module parameter on (the default), the device is a
 * KMS device with ``crtcs`` pipes. Each pipe is a CRTC fed by a primary
 * plane, an optional cursor plane and ``enable_overlay`` overlay planes,
 * an encoder, and a Virtual connector that is always connected and offers
 * every standard mode up to 8192x8192, 1920x1080 preferred, and, with
 * ``enable_writeback``, a writeback connector. Every plane
 * and the encoder belong to their own CRTC only.
 *
 * The connector's status can be changed at runtime, as if a monitor were
 * plugged in or out: write ``connected`` or ``disconnected`` to its debugfs
 * file ``vvram_status`` (``dri/N/Virtual-M/vvram_status``). The change sends
 * a hotplug uevent, and a disconnected connector offers no modes.
 *
 * Everything here is drmm-managed: the objects live as long as the DRM
 * device, and unloading shuts the pipes down first (vvram_modeset_fini()).
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/string.h>

#include <drm/drm_atomic.h>
#include <drm/drm_atomic_helper.h>
#include <drm/drm_drv.h>
#include <drm/drm_edid.h>
#include <drm/drm_encoder.h>
#include <drm/drm_gem_framebuffer_helper.h>
#include <drm/drm_managed.h>
#include <drm/drm_plane.h>
#include <drm/drm_probe_helper.h>
#include <drm/drm_vblank.h>

#include "vvram_drv.h"

static int vvram_connector_get_modes(struct drm_connector *connector)
{
	int count = drm_add_modes_noedid(connector, VVRAM_MODE_MAX, VVRAM_MODE_MAX);

	drm_set_preferred_mode(connector, VVRAM_MODE_PREFERRED_WIDTH,
			       VVRAM_MODE_PREFERRED_HEIGHT);
	return count;
}

static const struct drm_connector_helper_funcs vvram_connector_helper_funcs = {
	.get_modes = vvram_connector_get_modes,
};

static struct vvram_output *connector_to_output(struct drm_connector *connector)
{
	return container_of(connector, struct vvram_output, connector);
}

static enum drm_connector_status
vvram_connector_detect(struct drm_connector *connector, bool force)
{
	return READ_ONCE(connector_to_output(connector)->status);
}

static int vvram_status_show(struct seq_file *m, void *data)
{
	struct drm_connector *connector = m->private;

	seq_printf(m, "%s\n", vvram_connector_detect(connector, false) ==
		   connector_status_connected ? "connected" : "disconnected");
	return 0;
}

static int vvram_status_open(struct inode *inode, struct file *file)
{
	return single_open(file, vvram_status_show, inode->i_private);
}

static ssize_t vvram_status_write(struct file *file, const char __user *ubuf,
				  size_t len, loff_t *offp)
{
	struct drm_connector *connector =
		((struct seq_file *)file->private_data)->private;
	enum drm_connector_status status;
	char buf[16];

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = 0;
	if (sysfs_streq(buf, "connected"))
		status = connector_status_connected;
	else if (sysfs_streq(buf, "disconnected"))
		status = connector_status_disconnected;
	else
		return -EINVAL;

	if (xchg(&connector_to_output(connector)->status, status) != status)
		drm_kms_helper_connector_hotplug_event(connector);
	return len;
}

static const struct file_operations vvram_status_fops = {
	.owner		= THIS_MODULE,
	.open		= vvram_status_open,
	.read		= seq_read,
	.llseek		= seq_lseek,
	.release	= single_release,
	.write		= vvram_status_write,
};

static void vvram_connector_debugfs_init(struct drm_connector *connector,
					 struct dentry *root)
{
	debugfs_create_file("vvram_status", 0644, root, connector,
			    &vvram_status_fops);
}

static const struct drm_connector_funcs vvram_connector_funcs = {
	.detect			= vvram_connector_detect,
	.debugfs_init		= vvram_connector_debugfs_init,
	.fill_modes		= drm_helper_probe_single_connector_modes,
	.reset			= drm_atomic_helper_connector_reset,
	.atomic_duplicate_state	= drm_atomic_helper_connector_duplicate_state,
	.atomic_destroy_state	= drm_atomic_helper_connector_destroy_state,
};

/*
 * The old framebuffers may be unpinned once the new ones are on screen,
 * which is when the flip's event is sent at the next vblank. Waiting for
 * that event rather than for a vblank count keeps a slow vblank timer
 * (a loaded host) from looking like a hung display.
 */
static void vvram_atomic_commit_tail(struct drm_atomic_state *state)
{
	struct drm_device *drm = state->dev;
	struct vvram_device *vdev = to_vvram(drm);
	unsigned int i;

	drm_atomic_helper_commit_modeset_disables(drm, state);
	drm_atomic_helper_commit_planes(drm, state, 0);
	drm_atomic_helper_commit_modeset_enables(drm, state);
	drm_atomic_helper_commit_hw_done(state);
	drm_atomic_helper_wait_for_flip_done(drm, state);
	for (i = 0; i < vdev->params.crtcs; i++)
		vvram_composer_flush(&vdev->outputs[i]);
	drm_atomic_helper_cleanup_planes(drm, state);
}

static const struct drm_mode_config_helper_funcs vvram_mode_config_helpers = {
	.atomic_commit_tail = vvram_atomic_commit_tail,
};

/*
 * A framebuffer that no plane can show is refused when it is created.
 * 6.12's core checks the modifier itself; 6.1's takes one no plane has
 * (DRM_FORMAT_MOD_INVALID with DRM_MODE_FB_MODIFIERS, as kmscube passes
 * it) and fails the modeset instead, which clients do not retry. So is a
 * subsampled one that ends in the middle of a chroma sample.
 */
static struct drm_framebuffer *
vvram_fb_create(struct drm_device *drm, struct drm_file *file,
		const struct drm_mode_fb_cmd2 *cmd)
{
	if ((cmd->flags & DRM_MODE_FB_MODIFIERS) &&
	    !drm_any_plane_has_format(drm, cmd->pixel_format, cmd->modifier[0]))
		return ERR_PTR(-EINVAL);
	if (vvram_format_check_fb(drm_get_format_info(drm, cmd), cmd->width,
				  cmd->height))
		return ERR_PTR(-EINVAL);
	return drm_gem_fb_create(drm, file, cmd);
}

static const struct drm_mode_config_funcs vvram_mode_config_funcs = {
	.fb_create	= vvram_fb_create,
	.atomic_check	= drm_atomic_helper_check,
	.atomic_commit	= drm_atomic_helper_commit,
};

static int vvram_output_init(struct vvram_device *vdev, unsigned int index)
{
	struct vvram_output *out = &vdev->outputs[index];
	struct drm_device *drm = &vdev->drm;
	struct drm_plane *primary, *cursor = NULL, *overlay;
	unsigned int i;
	u32 clones;
	int ret;

	/* By default the primary is at the bottom, the cursor on top. */
	primary = vvram_plane_create(vdev, DRM_PLANE_TYPE_PRIMARY, index, 0);
	if (IS_ERR(primary))
		return PTR_ERR(primary);
	if (vdev->params.cursor) {
		cursor = vvram_plane_create(vdev, DRM_PLANE_TYPE_CURSOR, index,
					    vdev->params.overlays + 1);
		if (IS_ERR(cursor))
			return PTR_ERR(cursor);
	}
	for (i = 0; i < vdev->params.overlays; i++) {
		overlay = vvram_plane_create(vdev, DRM_PLANE_TYPE_OVERLAY, index,
					     i + 1);
		if (IS_ERR(overlay))
			return PTR_ERR(overlay);
	}

	ret = vvram_crtc_init(vdev, out, primary, cursor);
	if (ret)
		return ret;

	ret = drmm_encoder_init(drm, &out->encoder, NULL,
				DRM_MODE_ENCODER_VIRTUAL, NULL);
	if (ret)
		return ret;
	out->encoder.possible_crtcs = drm_crtc_mask(&out->crtc);

	out->status = connector_status_connected;
	ret = drmm_connector_init(drm, &out->connector, &vvram_connector_funcs,
				  DRM_MODE_CONNECTOR_VIRTUAL, NULL);
	if (ret)
		return ret;
	drm_connector_helper_add(&out->connector, &vvram_connector_helper_funcs);
	ret = drm_connector_attach_encoder(&out->connector, &out->encoder);
	if (ret || !vdev->params.writeback)
		return ret;
	ret = vvram_writeback_init(vdev, out);
	if (ret)
		return ret;
	/* The CRTC drives its connector and its writeback at once. */
	clones = drm_encoder_mask(&out->encoder) | drm_encoder_mask(&out->wb.encoder);
	out->encoder.possible_clones = clones;
	out->wb.encoder.possible_clones = clones;
	return 0;
}

/**
 * vvram_modeset_init - create the display pipes of a device
 * @vdev: the device, before drm_dev_register()
 *
 * With the ``display`` module parameter off, the device drops its KMS
 * features instead and is render-only.
 *
 * Return: 0 or a negative errno.
 */
int vvram_modeset_init(struct vvram_device *vdev)
{
	struct drm_device *drm = &vdev->drm;
	unsigned int i;
	int ret;

	if (!vdev->params.display) {
		drm->driver_features &= ~(DRIVER_MODESET | DRIVER_ATOMIC);
		return 0;
	}

	ret = drmm_mode_config_init(drm);
	if (ret)
		return ret;
	drm->mode_config.funcs = &vvram_mode_config_funcs;
	drm->mode_config.helper_private = &vvram_mode_config_helpers;
	drm->mode_config.min_width = 1;
	drm->mode_config.min_height = 1;
	drm->mode_config.max_width = VVRAM_MODE_MAX;
	drm->mode_config.max_height = VVRAM_MODE_MAX;
	drm->mode_config.cursor_width = VVRAM_CURSOR_MAX;
	drm->mode_config.cursor_height = VVRAM_CURSOR_MAX;
	drm->mode_config.preferred_depth = 24;
	/* The CRTC blends its planes in normalized_zpos order. */
	drm->mode_config.normalize_zpos = true;

	for (i = 0; i < vdev->params.crtcs; i++) {
		ret = vvram_output_init(vdev, i);
		if (ret)
			return ret;
	}
	ret = drm_vblank_init(drm, vdev->params.crtcs);
	if (ret)
		return ret;
	drm_mode_config_reset(drm);
	return 0;
}

/**
 * vvram_modeset_fini - turn every display pipe off
 * @vdev: the device, after drm_dev_unregister()
 *
 * Disables the CRTCs, which stops their vblank timers and unpins the
 * framebuffers they scanned out, so that no BO stays pinned past the
 * device.
 */
void vvram_modeset_fini(struct vvram_device *vdev)
{
	if (vdev->params.display)
		drm_atomic_helper_shutdown(&vdev->drm);
}
