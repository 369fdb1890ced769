// SPDX-License-Identifier: GPL-2.0
/*
 * hcctl param: show and set the namespace's Host Cache parameters.
 */

#include <stdio.h>
#include <string.h>

#include <netlink/genl/genl.h>
#include <linux/hostcache.h>

#include "hcctl.h"

static const struct param {
	const char *name;	/* on the command line and in text output */
	const char *json;	/* key in JSON output */
	int attr;
	bool is_switch;		/* u8 "on" or "off"; else u32 */
} params[] = {
	{ "enabled", "enabled", HOSTCACHE_PARAM_A_ENABLED, true },
	{ "default-lifetime", "default_lifetime",
	  HOSTCACHE_PARAM_A_DEFAULT_LIFETIME, false },
	{ "max-expired-lifetime", "max_expired_lifetime",
	  HOSTCACHE_PARAM_A_MAX_EXPIRED_LIFETIME, false },
	{ "max-entries", "max_entries", HOSTCACHE_PARAM_A_MAX_ENTRIES, false },
	{ "max-addrs", "max_addrs", HOSTCACHE_PARAM_A_MAX_ADDRS, false },
	{ "binding-lifetime", "binding_lifetime",
	  HOSTCACHE_PARAM_A_BINDING_LIFETIME, false },
	{ "max-binding-lifetime", "max_binding_lifetime",
	  HOSTCACHE_PARAM_A_MAX_BINDING_LIFETIME, false },
	{ "max-flows", "max_flows", HOSTCACHE_PARAM_A_MAX_FLOWS, false },
	{ "ordinary-hold", "ordinary_hold", HOSTCACHE_PARAM_A_ORDINARY_HOLD,
	  false },
	{ "accept-unauthenticated", "accept_unauthenticated",
	  HOSTCACHE_PARAM_A_ACCEPT_UNAUTHENTICATED, true },
};

#define N_PARAMS (sizeof(params) / sizeof(params[0]))

static const struct param *find_param(const char *arg)
{
	const struct param *found = NULL;
	size_t i;

	for (i = 0; i < N_PARAMS; i++) {
		if (!strcmp(arg, params[i].name))
			return &params[i];
		if (matches(arg, params[i].name)) {
			if (found)
				usage_error("parameter \"%s\" is ambiguous", arg);
			found = &params[i];
		}
	}
	if (!found)
		usage_error("unknown parameter \"%s\"", arg);
	return found;
}

static int print_params(struct nlattr **tb, void *arg)
{
	struct nlattr *ptb[HOSTCACHE_PARAM_A_MAX + 1];
	struct json_object *obj = NULL;
	size_t i;

	if (!tb[HOSTCACHE_A_PARAMS] ||
	    nla_parse_nested(ptb, HOSTCACHE_PARAM_A_MAX, tb[HOSTCACHE_A_PARAMS],
			     NULL)) {
		error("malformed reply from the kernel");
		return -1;
	}
	if (opts.json)
		obj = json_object_new_object();
	for (i = 0; i < N_PARAMS; i++) {
		struct nlattr *attr = ptb[params[i].attr];

		if (!attr)
			continue;
		if (params[i].is_switch && obj)
			json_object_object_add(obj, params[i].json,
					       json_object_new_boolean(nla_get_u8(attr)));
		else if (params[i].is_switch)
			printf("%-22s %s\n", params[i].name,
			       nla_get_u8(attr) ? "on" : "off");
		else if (obj)
			json_object_object_add(obj, params[i].json,
					       json_object_new_int64(nla_get_u32(attr)));
		else
			printf("%-22s %u\n", params[i].name, nla_get_u32(attr));
	}
	if (obj) {
		json_print(obj);
		json_object_put(obj);
	}
	return 0;
}

static int param_show(int argc, char **argv)
{
	struct nl_msg *msg;

	if (argc > 0)
		usage_error("\"param show\" takes no arguments, got \"%s\"",
			    argv[0]);
	msg = genl_msg(HOSTCACHE_CMD_GET_PARAMS, 0);
	if (!msg || genl_transact(msg, print_params, NULL))
		return 1;
	return 0;
}

static int param_set(int argc, char **argv)
{
	struct nl_msg *msg;
	struct nlattr *nest;
	uint32_t value;

	if (argc == 0 || argc % 2)
		usage_error("usage: hcctl param set NAME VALUE [NAME VALUE]...");

	msg = genl_msg(HOSTCACHE_CMD_SET_PARAMS, 0);
	if (!msg)
		return 1;
	nest = nla_nest_start(msg, HOSTCACHE_A_PARAMS);
	if (!nest)
		goto nomem;
	for (; argc > 0; argc -= 2, argv += 2) {
		const struct param *p = find_param(argv[0]);
		int err;

		if (p->is_switch) {
			if (!strcmp(argv[1], "on"))
				value = 1;
			else if (!strcmp(argv[1], "off"))
				value = 0;
			else
				usage_error("%s: expected \"on\" or \"off\", got \"%s\"",
					    p->name, argv[1]);
			err = nla_put_u8(msg, p->attr, value);
		} else {
			parse_u32(p->name, argv[1], &value);
			err = nla_put_u32(msg, p->attr, value);
		}
		if (err)
			goto nomem;
	}
	nla_nest_end(msg, nest);
	return genl_transact(msg, NULL, NULL) ? 1 : 0;

nomem:
	nlmsg_free(msg);
	error("out of memory");
	return 1;
}

int do_param(int argc, char **argv)
{
	if (argc == 0 || matches(argv[0], "show") || matches(argv[0], "list"))
		return param_show(argc ? argc - 1 : 0, argv + 1);
	if (matches(argv[0], "set"))
		return param_set(argc - 1, argv + 1);
	usage_error("unknown command \"param %s\"", argv[0]);
	return 1;
}
