// SPDX-License-Identifier: GPL-2.0
/*
 * hcctl version: the tool's and the module's versions.
 */

#include <stdio.h>

#include <netlink/genl/genl.h>
#include <linux/hostcache.h>

#include "hcctl.h"

struct module_info {
	char version[64];
	uint32_t genl_version;
};

static int parse_info(struct nlattr **tb, void *arg)
{
	struct module_info *info = arg;

	if (tb[HOSTCACHE_A_VERSION])
		nla_strlcpy(info->version, tb[HOSTCACHE_A_VERSION],
			    sizeof(info->version));
	if (tb[HOSTCACHE_A_GENL_VERSION])
		info->genl_version = nla_get_u32(tb[HOSTCACHE_A_GENL_VERSION]);
	return 0;
}

int do_version(int argc, char **argv)
{
	struct module_info info = { .version = "unknown" };
	struct json_object *obj;
	struct nl_msg *msg;

	if (argc > 0)
		usage_error("\"version\" takes no arguments, got \"%s\"", argv[0]);

	msg = genl_msg(HOSTCACHE_CMD_GET_INFO, 0);
	if (!msg || genl_transact(msg, parse_info, &info))
		return 1;

	if (!opts.json) {
		printf("hcctl %s, module %s, netlink API %u\n", HCCTL_VERSION,
		       info.version, info.genl_version);
		return 0;
	}
	obj = json_object_new_object();
	json_object_object_add(obj, "hcctl", json_object_new_string(HCCTL_VERSION));
	json_object_object_add(obj, "module", json_object_new_string(info.version));
	json_object_object_add(obj, "genl_version",
			       json_object_new_int64(info.genl_version));
	json_print(obj);
	json_object_put(obj);
	return 0;
}
