// SPDX-License-Identifier: GPL-2.0
/*
 * hcctl stats: the namespace's Host Cache counters.
 */

#include <stdio.h>

#include <netlink/genl/genl.h>
#include <linux/hostcache.h>

#include "hcctl.h"

static const struct counter {
	int attr;
	const char *name;	/* JSON key; text output uses it too */
	bool is_u32;
} counters[] = {
	{ HOSTCACHE_STATS_A_ENTRIES, "entries", true },
	{ HOSTCACHE_STATS_A_UNTRUSTED, "untrusted", true },
	{ HOSTCACHE_STATS_A_CREATED, "created", false },
	{ HOSTCACHE_STATS_A_REMOVED, "removed", false },
	{ HOSTCACHE_STATS_A_EVICTED, "evicted", false },
	{ HOSTCACHE_STATS_A_ADDRS_EXPIRED, "addrs_expired", false },
	{ HOSTCACHE_STATS_A_ADDRS_REMOVED, "addrs_removed", false },
	{ HOSTCACHE_STATS_A_REFUSED_FULL, "refused_full", false },
	{ HOSTCACHE_STATS_A_REFUSED_ADDRS, "refused_addrs", false },
};

static int print_stats(struct nlattr **tb, void *arg)
{
	struct nlattr *stb[HOSTCACHE_STATS_A_MAX + 1];
	struct json_object *obj = NULL;
	unsigned long long value;
	size_t i;

	if (!tb[HOSTCACHE_A_STATS] ||
	    nla_parse_nested(stb, HOSTCACHE_STATS_A_MAX, tb[HOSTCACHE_A_STATS], NULL)) {
		error("malformed reply from the kernel");
		return -1;
	}
	if (opts.json)
		obj = json_object_new_object();
	for (i = 0; i < sizeof(counters) / sizeof(counters[0]); i++) {
		struct nlattr *attr = stb[counters[i].attr];

		if (!attr)
			continue;
		value = counters[i].is_u32 ? nla_get_u32(attr) : nla_get_u64(attr);
		if (obj)
			json_object_object_add(obj, counters[i].name,
					       json_object_new_int64(value));
		else
			printf("%-16s %llu\n", counters[i].name, value);
	}
	if (obj) {
		json_print(obj);
		json_object_put(obj);
	}
	return 0;
}

int do_stats(int argc, char **argv)
{
	struct nl_msg *msg;

	if (argc > 1 || (argc == 1 && !matches(argv[0], "show")))
		usage_error("usage: hcctl stats [show]");
	msg = genl_msg(HOSTCACHE_CMD_GET_STATS, 0);
	if (!msg || genl_transact(msg, print_stats, NULL))
		return 1;
	return 0;
}
