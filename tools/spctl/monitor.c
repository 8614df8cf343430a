// SPDX-License-Identifier: GPL-2.0
/*
 * spctl monitor: the module's events as they happen, like ip monitor:
 *
 *   added br0 52:54:00:aa:bb:cc
 *   proxying br0 52:54:00:aa:bb:cc
 *   wake br0 52:54:00:aa:bb:cc syn from 192.168.1.2 port 40312 (...) to port 22
 *   awake br0 52:54:00:aa:bb:cc
 *   removed br0 52:54:00:aa:bb:cc lease
 *
 * or, with -j, one JSON object per line.  Runs until interrupted.
 */

#include <stdio.h>
#include <net/if.h>

#include "json.h"
#include "spctl.h"

const char monitor_synopsis[] = "monitor [-j]";

static const char *event_name(uint8_t event)
{
	static const char *const names[] = {
		[SLEEPPROXY_EVENT_ADDED]	= "added",
		[SLEEPPROXY_EVENT_PROXYING]	= "proxying",
		[SLEEPPROXY_EVENT_WAKE]		= "wake",
		[SLEEPPROXY_EVENT_AWAKE]	= "awake",
		[SLEEPPROXY_EVENT_REMOVED]	= "removed",
	};

	if (event >= ARRAY_SIZE(names) || !names[event])
		return "unknown";
	return names[event];
}

static const char *removed_name(uint8_t why)
{
	static const char *const names[] = {
		[SLEEPPROXY_REMOVED_DELETED]	= "deleted",
		[SLEEPPROXY_REMOVED_LEASE]	= "lease",
		[SLEEPPROXY_REMOVED_INTERFACE]	= "interface",
	};

	if (why >= ARRAY_SIZE(names) || !names[why])
		return "unknown";
	return names[why];
}

/* The interface's name then, else now, else "if<index>". */
static void event_dev(const struct sp_event *ev, char name[IF_NAMESIZE])
{
	if (ev->ifname[0])
		snprintf(name, IF_NAMESIZE, "%s", ev->ifname);
	else if (!if_indextoname(ev->ifindex, name))
		snprintf(name, IF_NAMESIZE, "if%u", ev->ifindex);
}

static bool print_event(const struct sp_event *ev, void *data)
{
	char dev[IF_NAMESIZE], mac[MAC_STRLEN];

	(void)data;
	event_dev(ev, dev);
	mac_str(ev->lladdr, mac);
	printf("%s %s %s", event_name(ev->event), dev, mac);
	if (ev->has_wake) {
		printf(" %s", wake_reason_name(ev->wake.reason));
		print_wake_cause(&ev->wake);
	}
	if (ev->has_removed)
		printf(" %s", removed_name(ev->removed));
	putchar('\n');
	/* A pipe or a file sees each event when it happens. */
	fflush(stdout);
	return false;
}

static bool print_event_json(const struct sp_event *ev, void *data)
{
	char dev[IF_NAMESIZE], mac[MAC_STRLEN];
	struct json_writer jw;

	(void)data;
	event_dev(ev, dev);
	mac_str(ev->lladdr, mac);
	json_init(&jw, stdout);
	json_object_start(&jw);
	json_string_field(&jw, "event", event_name(ev->event));
	json_uint_field(&jw, "id", ev->id);
	json_string_field(&jw, "dev", dev);
	json_uint_field(&jw, "ifindex", ev->ifindex);
	json_string_field(&jw, "mac", mac);
	if (ev->has_wake) {
		json_key(&jw, "wake");
		json_object_start(&jw);
		json_string_field(&jw, "reason",
				  wake_reason_name(ev->wake.reason));
		json_wake_cause(&jw, &ev->wake);
		json_object_end(&jw);
	}
	if (ev->has_removed)
		json_string_field(&jw, "removed", removed_name(ev->removed));
	json_object_end(&jw);
	putchar('\n');
	fflush(stdout);
	return false;
}

int monitor_main(int argc, char **argv, struct spctl_opts *opts)
{
	enum parse_result res;
	struct monitor_args args;
	struct sp_nl *nl;

	res = parse_monitor(argc, argv, &args);
	if (res != PARSE_OK)
		return parse_exit(res, monitor_synopsis, opts);
	if (spctl_nl(opts, &nl))
		return SPCTL_EXIT_FAIL;
	if (sp_nl_monitor(nl, args.json || opts->json ? print_event_json :
							print_event, NULL))
		return SPCTL_EXIT_FAIL;
	return SPCTL_EXIT_OK;
}
