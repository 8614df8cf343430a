// SPDX-License-Identifier: GPL-2.0
/*
 * spctl config: the namespace's settings, each the namespace's own value
 * or the module parameter's; config set changes them.
 */

#include <inttypes.h>
#include <stdio.h>

#include "json.h"
#include "spctl.h"

const char config_synopsis[] =
	"config [-j | set KEY VALUE|default [KEY VALUE|default]...]";

static const char *origin(const struct sp_config *c, unsigned int i)
{
	return c->own & (1U << i) ? "own" : "default";
}

static void print_config_json(const struct sp_config *c)
{
	struct json_writer jw;
	unsigned int i;

	json_init(&jw, stdout);
	json_object_start(&jw);
	for (i = 0; i < SP_CONFIG_COUNT; i++) {
		if (!(c->has & (1U << i)))
			continue;
		json_key(&jw, config_keys[i].param);
		json_object_start(&jw);
		json_uint_field(&jw, "value", c->value[i]);
		json_bool_field(&jw, "own", c->own & (1U << i));
		json_object_end(&jw);
	}
	json_object_end(&jw);
	putchar('\n');
}

static void print_config(const struct sp_config *c)
{
	char val[16];
	unsigned int i;

	for (i = 0; i < SP_CONFIG_COUNT; i++) {
		if (!(c->has & (1U << i)))
			continue;
		format_setting(i, c->value[i], val, sizeof(val));
		printf("%s %s %s\n", config_keys[i].key, val, origin(c, i));
	}
}

int config_main(int argc, char **argv, struct spctl_opts *opts)
{
	struct config_args args;
	struct sp_config c;
	enum parse_result res;
	struct sp_nl *nl;

	res = parse_config(argc, argv, &args);
	if (res != PARSE_OK)
		return parse_exit(res, config_synopsis, opts);
	if (spctl_nl(opts, &nl))
		return SPCTL_EXIT_FAIL;
	if (args.set)
		return sp_nl_config_set(nl, &args.changes) ? SPCTL_EXIT_FAIL :
							     SPCTL_EXIT_OK;
	if (sp_nl_config_get(nl, &c))
		return SPCTL_EXIT_FAIL;
	if (args.json || opts->json)
		print_config_json(&c);
	else
		print_config(&c);
	return SPCTL_EXIT_OK;
}
