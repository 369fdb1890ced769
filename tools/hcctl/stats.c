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
	{ HOSTCACHE_STATS_A_MH_RECEIVED, "mh_received", false },
	{ HOSTCACHE_STATS_A_MH_WELL_FORMED, "mh_well_formed", false },
	{ HOSTCACHE_STATS_A_MH_UNAUTHENTICATED, "mh_unauthenticated", false },
	{ HOSTCACHE_STATS_A_MH_SHORT, "mh_short", false },
	{ HOSTCACHE_STATS_A_MH_LENGTH, "mh_length", false },
	{ HOSTCACHE_STATS_A_MH_PROTO, "mh_proto", false },
	{ HOSTCACHE_STATS_A_MH_CHECKSUM, "mh_checksum", false },
	{ HOSTCACHE_STATS_A_MH_TYPE, "mh_type", false },
	{ HOSTCACHE_STATS_A_MH_OPTION, "mh_option", false },
	{ HOSTCACHE_STATS_A_MH_ALIGN, "mh_align", false },
	{ HOSTCACHE_STATS_A_MH_OPTION_LENGTH, "mh_option_length", false },
	{ HOSTCACHE_STATS_A_MH_PREFIXES, "mh_prefixes", false },
	{ HOSTCACHE_STATS_A_MH_BID_LENGTH, "mh_bid_length", false },
	{ HOSTCACHE_STATS_A_MH_TOO_MANY, "mh_too_many", false },
	{ HOSTCACHE_STATS_A_MH_BU_ACCEPTED, "mh_bu_accepted", false },
	{ HOSTCACHE_STATS_A_MH_BU_REJECTED, "mh_bu_rejected", false },
	{ HOSTCACHE_STATS_A_MH_ACKS_SENT, "mh_acks_sent", false },
	{ HOSTCACHE_STATS_A_MH_ERRORS_SENT, "mh_errors_sent", false },
	{ HOSTCACHE_STATS_A_MH_SEND_FAILED, "mh_send_failed", false },
	{ HOSTCACHE_STATS_A_MH_BU_SENT, "mh_bu_sent", false },
	{ HOSTCACHE_STATS_A_MH_BU_RETRIED, "mh_bu_retried", false },
	{ HOSTCACHE_STATS_A_MH_BU_ACKED, "mh_bu_acked", false },
	{ HOSTCACHE_STATS_A_MH_BU_GIVEN_UP, "mh_bu_given_up", false },
	{ HOSTCACHE_STATS_A_LEARNED, "learned", false },
	{ HOSTCACHE_STATS_A_FLOWS, "flows", true },
	{ HOSTCACHE_STATS_A_FLOWS_CREATED, "flows_created", false },
	{ HOSTCACHE_STATS_A_MH_AUTHENTICATED, "mh_authenticated", false },
	{ HOSTCACHE_STATS_A_MH_WRONG_SA, "mh_wrong_sa", false },
	{ HOSTCACHE_STATS_A_ACQUIRES, "acquires", false },
	{ HOSTCACHE_STATS_A_TESTS_SENT, "tests_sent", false },
	{ HOSTCACHE_STATS_A_TESTS_FAILED, "tests_failed", false },
	{ HOSTCACHE_STATS_A_TESTS_REFUSED, "tests_refused", false },
	{ HOSTCACHE_STATS_A_ADDRS_VERIFIED, "addrs_verified", false },
	{ HOSTCACHE_STATS_A_ECHOES, "echoes", false },
	{ HOSTCACHE_STATS_A_FLOWS_REFUSED, "flows_refused", false },
	{ HOSTCACHE_STATS_A_HELD, "held", false },
	{ HOSTCACHE_STATS_A_UNREACHABLE, "unreachable", false },
	{ HOSTCACHE_STATS_A_ADDRS_MOVED, "addrs_moved", false },
	{ HOSTCACHE_STATS_A_ORDINARY, "ordinary", false },
	{ HOSTCACHE_STATS_A_SPARED, "spared", false },
};

static int collect_stats(struct nlattr **tb, void *arg)
{
	struct nlattr *stb[HOSTCACHE_STATS_A_MAX + 1];
	struct json_object *obj = arg;
	unsigned long long value;
	size_t i;

	if (!tb[HOSTCACHE_A_STATS] ||
	    nla_parse_nested(stb, HOSTCACHE_STATS_A_MAX, tb[HOSTCACHE_A_STATS], NULL)) {
		error("malformed reply from the kernel");
		return -1;
	}
	for (i = 0; i < sizeof(counters) / sizeof(counters[0]); i++) {
		struct nlattr *attr = stb[counters[i].attr];

		if (!attr)
			continue;
		value = counters[i].is_u32 ? nla_get_u32(attr) : nla_get_u64(attr);
		json_object_object_add(obj, counters[i].name,
				       json_object_new_int64(value));
	}
	return 0;
}

/**
 * stats_get() - the namespace's counters
 *
 * Return: a JSON object of them, or NULL after printing an error.
 */
struct json_object *stats_get(void)
{
	struct json_object *obj = json_object_new_object();
	struct nl_msg *msg = genl_msg(HOSTCACHE_CMD_GET_STATS, 0);

	if (!msg || genl_transact(msg, collect_stats, obj)) {
		json_object_put(obj);
		return NULL;
	}
	return obj;
}

/**
 * stats_print() - print counters as text, one a line
 * @obj: from stats_get()
 */
void stats_print(struct json_object *obj)
{
	json_object_object_foreach(obj, key, value)
		printf("%-20s %lld\n", key, (long long)json_object_get_int64(value));
}

int do_stats(int argc, char **argv)
{
	struct json_object *obj;

	if (argc > 1 || (argc == 1 && !matches(argv[0], "show")))
		usage_error("usage: hcctl stats [show]");
	obj = stats_get();
	if (!obj)
		return 1;
	if (opts.json)
		json_print(obj);
	else
		stats_print(obj);
	json_object_put(obj);
	return 0;
}
