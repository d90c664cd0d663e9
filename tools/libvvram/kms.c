// SPDX-License-Identifier: MIT
/*
 * libvvram: the KMS lookups that vvram's display tools and tests share.
 */
#include <string.h>

#include <xf86drm.h>
#include <xf86drmMode.h>

#include "vvram.h"

uint32_t vvram_kms_prop_id(int fd, uint32_t obj, uint32_t type, const char *name)
{
	drmModeObjectProperties *props = drmModeObjectGetProperties(fd, obj, type);
	uint32_t id = 0, i;

	for (i = 0; props && i < props->count_props && !id; i++) {
		drmModePropertyRes *prop = drmModeGetProperty(fd, props->props[i]);

		if (prop && !strcmp(prop->name, name))
			id = prop->prop_id;
		drmModeFreeProperty(prop);
	}
	drmModeFreeObjectProperties(props);
	return id;
}

uint32_t vvram_kms_writeback_connector(int fd, unsigned int crtc_index)
{
	drmModeRes *res = drmModeGetResources(fd);
	uint32_t id = 0;
	int i;

	for (i = 0; res && i < res->count_connectors && !id; i++) {
		drmModeConnector *conn = drmModeGetConnector(fd, res->connectors[i]);
		drmModeEncoder *enc = NULL;

		if (conn && conn->connector_type == DRM_MODE_CONNECTOR_WRITEBACK &&
		    conn->count_encoders == 1)
			enc = drmModeGetEncoder(fd, conn->encoders[0]);
		if (enc && enc->possible_crtcs == 1u << crtc_index)
			id = conn->connector_id;
		drmModeFreeEncoder(enc);
		drmModeFreeConnector(conn);
	}
	drmModeFreeResources(res);
	return id;
}
