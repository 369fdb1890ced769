// SPDX-License-Identifier: GPL-2.0
/*
 * hcctl monitor: print Host Cache changes as they happen, as
 * "ip monitor" does.
 */

#include <stdio.h>

#include <netlink/genl/genl.h>
#include <linux/hostcache.h>

#include "hcctl.h"

static const char *const events[] = {
	[HOSTCACHE_CMD_NEW_FOREIGN] = "new",
	[HOSTCACHE_CMD_DEL_FOREIGN] = "deleted",
	[HOSTCACHE_CMD_SET_FOREIGN] = "changed",
	[HOSTCACHE_CMD_NEW_ADDR] = "new-addr",
	[HOSTCACHE_CMD_DEL_ADDR] = "deleted-addr",
	[HOSTCACHE_CMD_NEW_LOCAL] = "new",
	[HOSTCACHE_CMD_DEL_LOCAL] = "deleted",
	[HOSTCACHE_CMD_ACQUIRE] = "acquire",
};

static int print_event(uint8_t cmd, struct nlattr **tb)
{
	struct json_object *entry;
	struct nlattr *local;
	const char *event;

	if (cmd >= sizeof(events) / sizeof(events[0]) || !events[cmd])
		return 0;
	event = events[cmd];
	local = tb[HOSTCACHE_A_LOCAL];
	entry = local ? local_to_json(local) : foreign_to_json(tb[HOSTCACHE_A_FOREIGN]);
	if (!entry)
		return 0;
	if (opts.json) {
		json_object_object_add(entry, "event", json_object_new_string(event));
		json_object_object_add(entry, "object",
				       json_object_new_string(local ? "local" : "foreign"));
		json_print(entry);
	} else {
		printf("%s ", event);
		if (local)
			local_print(entry);
		else
			foreign_print(entry);
	}
	fflush(stdout);
	json_object_put(entry);
	return 0;
}

int do_monitor(int argc, char **argv)
{
	if (argc > 0)
		usage_error("\"monitor\" takes no arguments, got \"%s\"", argv[0]);
	return genl_listen(print_event) ? 1 : 0;
}
