// SPDX-License-Identifier: GPL-2.0
/*
 * hcctl local: show and manage local Host Cache entries, this host's
 * address sets. Entry 1, the default, holds every address of the namespace
 * and follows them; the others are the administrator's.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <netlink/genl/genl.h>
#include <linux/hostcache.h>

#include "hcctl.h"

/**
 * local_to_json() - a %HOSTCACHE_A_LOCAL nest as a JSON object
 * @nest: the nest
 *
 * Return: the object, or NULL if the nest is malformed.
 */
struct json_object *local_to_json(struct nlattr *nest)
{
	struct nlattr *tb[HOSTCACHE_LOCAL_A_MAX + 1];
	struct nlattr *atb[HOSTCACHE_ADDR_A_MAX + 1];
	struct json_object *obj, *addrs;
	char text[INET6_ADDRSTRLEN];
	struct nlattr *attr;
	uint32_t id;
	int rem;

	if (!nest || nla_parse_nested(tb, HOSTCACHE_LOCAL_A_MAX, nest, NULL) ||
	    !tb[HOSTCACHE_LOCAL_A_ID])
		return NULL;
	id = nla_get_u32(tb[HOSTCACHE_LOCAL_A_ID]);
	obj = json_object_new_object();
	json_object_object_add(obj, "id", json_object_new_int64(id));
	json_object_object_add(obj, "default",
			       json_object_new_boolean(id == HOSTCACHE_LOCAL_DEFAULT));
	addrs = json_object_new_array();
	nla_for_each_nested(attr, nest, rem) {
		if (nla_type(attr) != HOSTCACHE_LOCAL_A_ADDR ||
		    nla_parse_nested(atb, HOSTCACHE_ADDR_A_MAX, attr, NULL) ||
		    !atb[HOSTCACHE_ADDR_A_ADDR] ||
		    nla_len(atb[HOSTCACHE_ADDR_A_ADDR]) != 16)
			continue;
		inet_ntop(AF_INET6, nla_data(atb[HOSTCACHE_ADDR_A_ADDR]), text,
			  sizeof(text));
		json_object_array_add(addrs, json_object_new_string(text));
	}
	json_object_object_add(obj, "addrs", addrs);
	return obj;
}

/**
 * local_print() - print a local entry as text
 * @entry: the entry, from local_to_json()
 */
void local_print(struct json_object *entry)
{
	struct json_object *v, *addrs;
	size_t i;

	json_object_object_get_ex(entry, "id", &v);
	printf("local %lld", (long long)json_object_get_int64(v));
	json_object_object_get_ex(entry, "default", &v);
	printf("%s\n", json_object_get_boolean(v) ? " default" : "");
	json_object_object_get_ex(entry, "addrs", &addrs);
	for (i = 0; i < json_object_array_length(addrs); i++)
		printf("    %s\n", json_object_get_string(json_object_array_get_idx(addrs, i)));
}

static int collect_local(struct nlattr **tb, void *arg)
{
	struct json_object *entry = local_to_json(tb[HOSTCACHE_A_LOCAL]);

	if (!entry) {
		error("malformed reply from the kernel");
		return -EPROTO;
	}
	entries_add(arg, entry);
	return 0;
}

static void print_locals(struct json_object *entries)
{
	size_t i;

	if (opts.json)
		json_print(entries);
	else
		for (i = 0; i < json_object_array_length(entries); i++)
			local_print(json_object_array_get_idx(entries, i));
}

static int show(struct nl_msg *msg)
{
	struct json_object *entries = json_object_new_array();
	int err = genl_transact(msg, collect_local, entries);

	if (!err)
		print_locals(entries);
	json_object_put(entries);
	return err;
}

static int show_all(void)
{
	struct json_object *entries = json_object_new_array();
	int err = genl_dump(HOSTCACHE_CMD_GET_LOCAL, collect_local, entries);

	if (!err)
		print_locals(entries);
	json_object_put(entries);
	return err;
}

static struct nl_msg *local_msg(uint8_t cmd, int flags, uint32_t id,
				struct nlattr **nestp)
{
	struct nl_msg *msg = genl_msg(cmd, flags);
	struct nlattr *nest;

	if (!msg)
		return NULL;
	nest = nla_nest_start(msg, HOSTCACHE_A_LOCAL);
	if (!nest || (id && nla_put_u32(msg, HOSTCACHE_LOCAL_A_ID, id))) {
		nlmsg_free(msg);
		error("out of memory");
		return NULL;
	}
	*nestp = nest;
	return msg;
}

static int put_local_addr(struct nl_msg *msg, const char *arg)
{
	struct in6_addr addr;
	struct nlattr *nest;

	if (inet_pton(AF_INET6, arg, &addr) != 1)
		usage_error("\"%s\" is not an IPv6 address", arg);
	nest = nla_nest_start(msg, HOSTCACHE_LOCAL_A_ADDR);
	if (!nest || nla_put(msg, HOSTCACHE_ADDR_A_ADDR, sizeof(addr), &addr))
		return -1;
	nla_nest_end(msg, nest);
	return 0;
}

static uint32_t parse_id(const char *arg)
{
	uint32_t id;

	parse_u32("local entry ID", arg, &id);
	if (!id)
		usage_error("entry IDs start at 1");
	return id;
}

/* Send @msg, finished with the addresses @argv, and handle the replies. */
static int send_with_addrs(struct nl_msg *msg, struct nlattr *nest, int argc,
			   char **argv, bool print)
{
	for (; argc > 0; argc--, argv++) {
		if (put_local_addr(msg, argv[0])) {
			nlmsg_free(msg);
			error("request too large");
			return 1;
		}
	}
	nla_nest_end(msg, nest);
	if (print)
		return show(msg) ? 1 : 0;
	return genl_transact(msg, NULL, NULL) ? 1 : 0;
}

int do_local(int argc, char **argv)
{
	struct nlattr *nest;
	struct nl_msg *msg;
	bool add;

	if (argc == 0 || matches(argv[0], "show") || matches(argv[0], "list")) {
		if (argc > 2)
			usage_error("usage: hcctl local show [ID]");
		if (argc < 2)
			return show_all() ? 1 : 0;
		msg = local_msg(HOSTCACHE_CMD_GET_LOCAL, 0, parse_id(argv[1]), &nest);
		if (!msg)
			return 1;
		nla_nest_end(msg, nest);
		return show(msg) ? 1 : 0;
	}
	if (matches(argv[0], "add")) {
		if (argc < 2)
			usage_error("usage: hcctl local add ADDR...");
		msg = local_msg(HOSTCACHE_CMD_NEW_LOCAL, 0, 0, &nest);
		return msg ? send_with_addrs(msg, nest, argc - 1, argv + 1, true) : 1;
	}
	if (matches(argv[0], "delete")) {
		if (argc != 2)
			usage_error("usage: hcctl local del ID");
		msg = local_msg(HOSTCACHE_CMD_DEL_LOCAL, 0, parse_id(argv[1]), &nest);
		return msg ? send_with_addrs(msg, nest, 0, NULL, false) : 1;
	}
	if (matches(argv[0], "address")) {
		if (argc != 4 || !(matches(argv[1], "add") || matches(argv[1], "delete")))
			usage_error("usage: hcctl local addr { add | del } ID ADDR");
		add = matches(argv[1], "add");
		msg = local_msg(add ? HOSTCACHE_CMD_NEW_ADDR : HOSTCACHE_CMD_DEL_ADDR,
				0, parse_id(argv[2]), &nest);
		return msg ? send_with_addrs(msg, nest, 1, argv + 3, false) : 1;
	}
	usage_error("unknown command \"local %s\"", argv[0]);
	return 1;
}
