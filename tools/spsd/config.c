// SPDX-License-Identifier: GPL-2.0
/*
 * /etc/sleepproxy/spsd.conf: "key = value" lines, '#' starts a comment.
 *
 *   interfaces = br0 br0.20     where registrations are taken (required)
 *   name = gateway              the human part of the advertised name
 *   intent = 30                 the four metrics of the advertised name,
 *   portability = 40            10 to 99 each, lower is preferred by
 *   marginal_power = 30         clients (see spsd.8)
 *   total_power = 65
 *   features = 0                0 to 99 (1: TCP keepalive, not offered)
 *   max_lease = 7200            seconds granted at most, 1 to 86400
 *   max_hosts = 256
 *   max_records = 10000         records kept for all hosts together
 *   port = 0                    UDP port; 0 picks a free one
 */

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "spsd.h"

void spsd_config_defaults(struct spsd_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	/*
	 * An always-on gateway: primary network infrastructure hardware
	 * (30), about a kilogram (40), next to no power for proxying on
	 * top of what it draws anyway (1 mW: 30) and a few watts in all
	 * (65).
	 */
	cfg->intent = 30;
	cfg->portability = 40;
	cfg->marginal_power = 30;
	cfg->total_power = 65;
	cfg->features = 0;
	cfg->max_lease = SPSD_LEASE_DEFAULT;
	cfg->max_hosts = 256;
	cfg->max_records = 10000;
}

static int spsd_conf_uint(const char *value, unsigned long min,
			  unsigned long max, unsigned int *out)
{
	unsigned long v;
	char *end;

	if (!isdigit((unsigned char)*value))
		return -1;
	errno = 0;
	v = strtoul(value, &end, 10);
	if (errno || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

static int spsd_conf_ifaces(struct spsd_config *cfg, char *value)
{
	char *save, *tok;

	cfg->n_ifaces = 0;
	for (tok = strtok_r(value, " \t,", &save); tok;
	     tok = strtok_r(NULL, " \t,", &save)) {
		if (cfg->n_ifaces == SPSD_MAX_IFACES || !*tok ||
		    strlen(tok) >= IF_NAMESIZE)
			return -1;
		strcpy(cfg->ifnames[cfg->n_ifaces++], tok);
	}
	return cfg->n_ifaces ? 0 : -1;
}

/* Letters, digits, spaces and a little punctuation: it goes on the wire. */
static int spsd_conf_name(struct spsd_config *cfg, const char *value)
{
	const char *p;

	if (!*value || strlen(value) > SPSD_NAME_MAX)
		return -1;
	for (p = value; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr(" -_'()", *p))
			return -1;
	strcpy(cfg->name, value);
	return 0;
}

static int spsd_conf_set(struct spsd_config *cfg, const char *key,
			 char *value, const char **expect)
{
	unsigned int v;

	if (!strcmp(key, "interfaces")) {
		*expect = "up to 16 interface names";
		return spsd_conf_ifaces(cfg, value);
	}
	if (!strcmp(key, "name")) {
		*expect = "up to 40 letters, digits, spaces or -_'()";
		return spsd_conf_name(cfg, value);
	}
	*expect = "a number from 10 to 99";
	if (!strcmp(key, "intent"))
		return spsd_conf_uint(value, 10, 99, &cfg->intent);
	if (!strcmp(key, "portability"))
		return spsd_conf_uint(value, 10, 99, &cfg->portability);
	if (!strcmp(key, "marginal_power"))
		return spsd_conf_uint(value, 10, 99, &cfg->marginal_power);
	if (!strcmp(key, "total_power"))
		return spsd_conf_uint(value, 10, 99, &cfg->total_power);
	*expect = "a number from 0 to 99";
	if (!strcmp(key, "features"))
		return spsd_conf_uint(value, 0, 99, &cfg->features);
	*expect = "seconds, from 1 to 86400";
	if (!strcmp(key, "max_lease")) {
		if (spsd_conf_uint(value, 1, SPSD_LEASE_LIMIT, &v))
			return -1;
		cfg->max_lease = v;
		return 0;
	}
	*expect = "a number from 1 to 100000";
	if (!strcmp(key, "max_hosts"))
		return spsd_conf_uint(value, 1, 100000, &cfg->max_hosts);
	*expect = "a number from 1 to 1000000";
	if (!strcmp(key, "max_records"))
		return spsd_conf_uint(value, 1, 1000000, &cfg->max_records);
	*expect = "a UDP port, 0 for any";
	if (!strcmp(key, "port")) {
		if (spsd_conf_uint(value, 0, 65535, &v))
			return -1;
		cfg->port = v;
		return 0;
	}
	*expect = NULL;
	return -1;
}

static char *spsd_trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

int spsd_config_load(struct spsd_config *cfg, const char *path)
{
	unsigned int lineno = 0;
	char line[512];
	int ret = 0;
	FILE *f;

	f = fopen(path, "re");
	if (!f) {
		fprintf(stderr, "spsd: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		char *key, *value, *eq;
		const char *expect;

		lineno++;
		if (!strchr(line, '\n') && !feof(f)) {
			fprintf(stderr, "spsd: %s:%u: line too long\n", path,
				lineno);
			ret = -1;
			break;
		}
		*strchrnul(line, '#') = '\0';
		key = spsd_trim(line);
		if (!*key)
			continue;
		eq = strchr(key, '=');
		if (!eq) {
			fprintf(stderr, "spsd: %s:%u: expected \"key = value\"\n",
				path, lineno);
			ret = -1;
			continue;
		}
		*eq = '\0';
		key = spsd_trim(key);
		value = spsd_trim(eq + 1);
		if (spsd_conf_set(cfg, key, value, &expect)) {
			if (expect)
				fprintf(stderr, "spsd: %s:%u: %s: expected %s\n",
					path, lineno, key, expect);
			else
				fprintf(stderr, "spsd: %s:%u: unknown key \"%s\"\n",
					path, lineno, key);
			ret = -1;
		}
	}
	fclose(f);
	if (!ret && !cfg->n_ifaces) {
		fprintf(stderr, "spsd: %s: no \"interfaces\" given\n", path);
		ret = -1;
	}
	return ret;
}

int spsd_config_instance(const struct spsd_config *cfg, char *buf,
			 size_t size)
{
	char host[SPSD_NAME_MAX + 1];
	const char *name = cfg->name;
	int n;

	if (!*name) {
		if (gethostname(host, sizeof(host)))
			strcpy(host, "sleepproxy");
		host[sizeof(host) - 1] = '\0';
		*strchrnul(host, '.') = '\0';
		name = host;
	}
	n = snprintf(buf, size, "%u-%u-%u-%u.%u %s", cfg->intent,
		     cfg->portability, cfg->marginal_power, cfg->total_power,
		     cfg->features, name);
	return n < 0 || (size_t)n >= size ? -1 : 0;
}
