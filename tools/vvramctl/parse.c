// SPDX-License-Identifier: MIT
/*
 * Parsing and printing of the values vvramctl takes and shows: sizes with
 * binary suffixes, domain names. Kept apart from the commands so the host
 * tests can check them without a device.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "vvramctl.h"

/* The leading number of @text; strtoull would take "-1" and blanks too. */
static int parse_number(const char *text, unsigned long long *number, char **end)
{
	if (!text || !isdigit((unsigned char)text[0]))
		return -EINVAL;
	errno = 0;
	*number = strtoull(text, end, 0);
	if (errno == ERANGE)
		return -ERANGE;
	return errno || *end == text ? -EINVAL : 0;
}

int ctl_parse_u64(const char *text, uint64_t *value)
{
	unsigned long long parsed;
	char *end;
	int ret = parse_number(text, &parsed, &end);

	if (ret)
		return ret;
	if (*end)
		return -EINVAL;
	*value = parsed;
	return 0;
}

int ctl_parse_size(const char *text, uint64_t *bytes)
{
	static const char suffixes[] = "KMGT";
	unsigned long long number;
	unsigned int shift = 0;
	const char *unit;
	char *end;
	int ret = parse_number(text, &number, &end);

	if (ret)
		return ret;
	if (*end) {
		unit = strchr(suffixes, toupper((unsigned char)*end));
		if (!unit)
			return -EINVAL;
		shift = 10 * (unsigned int)(unit - suffixes + 1);
		end++;
		/* Accept "16M", "16MB", "16MiB". */
		if (!strcasecmp(end, "ib") || !strcasecmp(end, "b"))
			end += strlen(end);
		if (*end)
			return -EINVAL;
	}
	if (shift && number > (UINT64_MAX >> shift))
		return -ERANGE;
	*bytes = (uint64_t)number << shift;
	return 0;
}

static const struct {
	const char *name;
	uint32_t domain;
} domain_names[] = {
	{ "vram", VVRAM_GEM_DOMAIN_VRAM },
	{ "gtt", VVRAM_GEM_DOMAIN_GTT },
	{ "cpu", VVRAM_GEM_DOMAIN_CPU },
};

#define N_DOMAINS (sizeof(domain_names) / sizeof(domain_names[0]))

int ctl_parse_domains(const char *text, uint32_t *domains)
{
	char *copy, *tok, *save = NULL;
	uint32_t result = 0;
	int ret = 0;

	if (!text || !*text)
		return -EINVAL;
	copy = strdup(text);
	if (!copy)
		return -ENOMEM;
	for (tok = strtok_r(copy, ",+", &save); tok && !ret;
	     tok = strtok_r(NULL, ",+", &save)) {
		size_t i;

		for (i = 0; i < N_DOMAINS; i++)
			if (!strcasecmp(tok, domain_names[i].name))
				break;
		if (i == N_DOMAINS)
			ret = -EINVAL;
		else
			result |= domain_names[i].domain;
	}
	free(copy);
	if (!ret && !result)
		ret = -EINVAL;
	if (!ret)
		*domains = result;
	return ret;
}

const char *ctl_domain_name(uint32_t domain)
{
	size_t i;

	for (i = 0; i < N_DOMAINS; i++)
		if (domain == domain_names[i].domain)
			return domain_names[i].name;
	return domain ? "?" : "none";
}

const char *ctl_format_size(uint64_t bytes, char *buf, unsigned int len)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	unsigned int unit = 0;

	/* Exact units only: a size printed is a size that can be typed back. */
	while (unit + 1 < sizeof(units) / sizeof(units[0]) && bytes &&
	       !(bytes & 1023)) {
		bytes >>= 10;
		unit++;
	}
	snprintf(buf, len, "%llu %s", (unsigned long long)bytes, units[unit]);
	return buf;
}
