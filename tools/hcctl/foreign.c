// SPDX-License-Identifier: GPL-2.0
/*
 * hcctl foreign: show, add, change and remove foreign Host Cache entries.
 *
 * Replies are turned into JSON objects first; text output is printed from
 * them, so both forms show the same facts.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <netlink/genl/genl.h>
#include <linux/hostcache.h>

#include "hcctl.h"

static const char *const addr_states[] = {
	[HOSTCACHE_ADDR_VALID] = "valid",
	[HOSTCACHE_ADDR_EXPIRED] = "expired",
};

static struct json_object *addr_to_json(struct nlattr *nest)
{
	struct nlattr *tb[HOSTCACHE_ADDR_A_MAX + 1];
	char text[INET6_ADDRSTRLEN];
	struct json_object *obj;
	uint32_t flags;
	uint8_t state;

	if (nla_parse_nested(tb, HOSTCACHE_ADDR_A_MAX, nest, NULL) ||
	    !tb[HOSTCACHE_ADDR_A_ADDR] || nla_len(tb[HOSTCACHE_ADDR_A_ADDR]) != 16)
		return NULL;
	inet_ntop(AF_INET6, nla_data(tb[HOSTCACHE_ADDR_A_ADDR]), text, sizeof(text));
	obj = json_object_new_object();
	json_object_object_add(obj, "addr", json_object_new_string(text));
	if (tb[HOSTCACHE_ADDR_A_STATE]) {
		state = nla_get_u8(tb[HOSTCACHE_ADDR_A_STATE]);
		json_object_object_add(obj, "state", json_object_new_string(
			state <= HOSTCACHE_ADDR_EXPIRED ? addr_states[state] : "unknown"));
	}
	if (tb[HOSTCACHE_ADDR_A_FLAGS]) {
		flags = nla_get_u32(tb[HOSTCACHE_ADDR_A_FLAGS]);
		json_object_object_add(obj, "lifetime", json_object_new_string(
			flags & HOSTCACHE_ADDR_F_ABSOLUTE ? "absolute" : "activity"));
		json_object_object_add(obj, "verified",
			json_object_new_boolean(flags & HOSTCACHE_ADDR_F_VERIFIED));
		json_object_object_add(obj, "preferred",
			json_object_new_boolean(flags & HOSTCACHE_ADDR_F_PREFERRED));
		json_object_object_add(obj, "from_bu",
			json_object_new_boolean(flags & HOSTCACHE_ADDR_F_FROM_BU));
	}
	if (tb[HOSTCACHE_ADDR_A_BID])
		json_object_object_add(obj, "bid",
			json_object_new_int(nla_get_u16(tb[HOSTCACHE_ADDR_A_BID])));
	if (tb[HOSTCACHE_ADDR_A_EXPIRES])
		json_object_object_add(obj, "expires",
			json_object_new_int64(nla_get_u32(tb[HOSTCACHE_ADDR_A_EXPIRES])));
	if (tb[HOSTCACHE_ADDR_A_IDLE])
		json_object_object_add(obj, "idle",
			json_object_new_int64(nla_get_u32(tb[HOSTCACHE_ADDR_A_IDLE])));
	return obj;
}

static const char *const reasons[] = {
	[HOSTCACHE_REASON_REQUEST] = "request",
	[HOSTCACHE_REASON_EVICTED] = "evicted",
	[HOSTCACHE_REASON_EXPIRED] = "expired",
	[HOSTCACHE_REASON_MERGED] = "merged",
};

/**
 * foreign_to_json() - a %HOSTCACHE_A_FOREIGN nest as a JSON object
 * @nest: the nest
 *
 * Return: the object, or NULL if the nest is malformed.
 */
struct json_object *foreign_to_json(struct nlattr *nest)
{
	struct nlattr *tb[HOSTCACHE_FOREIGN_A_MAX + 1];
	struct json_object *obj, *addrs, *addr;
	struct nlattr *attr;
	uint32_t flags;
	uint8_t reason;
	int rem;

	if (!nest || nla_parse_nested(tb, HOSTCACHE_FOREIGN_A_MAX, nest, NULL) ||
	    !tb[HOSTCACHE_FOREIGN_A_ID])
		return NULL;
	obj = json_object_new_object();
	json_object_object_add(obj, "id",
		json_object_new_int64(nla_get_u32(tb[HOSTCACHE_FOREIGN_A_ID])));
	flags = tb[HOSTCACHE_FOREIGN_A_FLAGS] ?
		nla_get_u32(tb[HOSTCACHE_FOREIGN_A_FLAGS]) : 0;
	json_object_object_add(obj, "trusted",
		json_object_new_boolean(flags & HOSTCACHE_FOREIGN_F_TRUSTED));
	json_object_object_add(obj, "homeless",
		json_object_new_boolean(flags & HOSTCACHE_FOREIGN_F_HOMELESS));
	json_object_object_add(obj, "ordinary",
		json_object_new_boolean(flags & HOSTCACHE_FOREIGN_F_ORDINARY));
	if (tb[HOSTCACHE_FOREIGN_A_AH_REQID])
		json_object_object_add(obj, "ah_reqid", json_object_new_int64(
			nla_get_u32(tb[HOSTCACHE_FOREIGN_A_AH_REQID])));
	if (tb[HOSTCACHE_FOREIGN_A_REASON]) {
		reason = nla_get_u8(tb[HOSTCACHE_FOREIGN_A_REASON]);
		json_object_object_add(obj, "reason", json_object_new_string(
			reason <= HOSTCACHE_REASON_MERGED ? reasons[reason] : "unknown"));
	}
	addrs = json_object_new_array();
	nla_for_each_nested(attr, nest, rem) {
		if (nla_type(attr) != HOSTCACHE_FOREIGN_A_ADDR)
			continue;
		addr = addr_to_json(attr);
		if (!addr) {
			json_object_put(addrs);
			json_object_put(obj);
			return NULL;
		}
		json_object_array_add(addrs, addr);
	}
	json_object_object_add(obj, "addrs", addrs);
	return obj;
}

static bool get_bool(struct json_object *obj, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(obj, key, &v) && json_object_get_boolean(v);
}

static const char *get_string(struct json_object *obj, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(obj, key, &v) ? json_object_get_string(v) : NULL;
}

static void print_addr(struct json_object *addr)
{
	static const char *const flags[] = { "verified", "preferred", "from_bu" };
	struct json_object *v;
	size_t i;

	printf("    %s %s %s", get_string(addr, "addr"),
	       get_string(addr, "state") ?: "", get_string(addr, "lifetime") ?: "");
	if (json_object_object_get_ex(addr, "bid", &v))
		printf(" bid %d", json_object_get_int(v));
	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		if (get_bool(addr, flags[i]))
			printf(" %s", flags[i]);
	if (json_object_object_get_ex(addr, "expires", &v))
		printf(" %s %llds", strcmp(get_string(addr, "state") ?: "", "expired") ?
		       "expires" : "removed", (long long)json_object_get_int64(v));
	if (json_object_object_get_ex(addr, "idle", &v))
		printf(" idle %llds", (long long)json_object_get_int64(v));
	putchar('\n');
}

/**
 * foreign_print() - print an entry as text
 * @entry: the entry, from foreign_to_json()
 */
void foreign_print(struct json_object *entry)
{
	struct json_object *addrs, *v;
	size_t i;

	json_object_object_get_ex(entry, "id", &v);
	printf("foreign %lld %s%s%s", (long long)json_object_get_int64(v),
	       get_bool(entry, "trusted") ? "trusted" : "untrusted",
	       get_bool(entry, "homeless") ? " homeless" : "",
	       get_bool(entry, "ordinary") ? " ordinary" : "");
	if (json_object_object_get_ex(entry, "ah_reqid", &v))
		printf(" ah-reqid %lld", (long long)json_object_get_int64(v));
	if (get_string(entry, "reason"))
		printf(" reason %s", get_string(entry, "reason"));
	putchar('\n');
	if (json_object_object_get_ex(entry, "addrs", &addrs))
		for (i = 0; i < json_object_array_length(addrs); i++)
			print_addr(json_object_array_get_idx(addrs, i));
}

/* Collect each reply's entry into a JSON array. */
static int collect_entry(struct nlattr **tb, void *arg)
{
	struct json_object *entry = foreign_to_json(tb[HOSTCACHE_A_FOREIGN]);

	if (!entry) {
		error("malformed reply from the kernel");
		return -EPROTO;
	}
	entries_add(arg, entry);
	return 0;
}

static void print_entries(struct json_object *entries)
{
	size_t i;

	if (opts.json) {
		json_print(entries);
		return;
	}
	for (i = 0; i < json_object_array_length(entries); i++)
		foreign_print(json_object_array_get_idx(entries, i));
}

/*
 * With -s, the listing of all entries comes with the cache's counters: in
 * JSON as {"foreign": [...], "stats": {...}}.
 */
static int print_entries_stats(struct json_object *entries)
{
	struct json_object *stats = stats_get(), *obj;

	if (!stats)
		return -1;
	if (opts.json) {
		obj = json_object_new_object();
		json_object_object_add(obj, "foreign", json_object_get(entries));
		json_object_object_add(obj, "stats", stats);
		json_print(obj);
		json_object_put(obj);
		return 0;
	}
	print_entries(entries);
	printf("\n");
	stats_print(stats);
	json_object_put(stats);
	return 0;
}

static bool parse_addr(const char *arg, struct in6_addr *addr)
{
	return inet_pton(AF_INET6, arg, addr) == 1;
}

static int put_addr_only(struct nl_msg *msg, const struct in6_addr *addr)
{
	struct nlattr *nest = nla_nest_start(msg, HOSTCACHE_FOREIGN_A_ADDR);

	if (!nest || nla_put(msg, HOSTCACHE_ADDR_A_ADDR, sizeof(*addr), addr))
		return -1;
	nla_nest_end(msg, nest);
	return 0;
}

/*
 * Start a request about one entry, named by ID or by one of its
 * addresses (which the kernel resolves for GET).
 */
static struct nl_msg *entry_msg(uint8_t cmd, int flags, uint32_t id,
				struct nlattr **nestp)
{
	struct nl_msg *msg = genl_msg(cmd, flags);
	struct nlattr *nest;

	if (!msg)
		return NULL;
	nest = nla_nest_start(msg, HOSTCACHE_A_FOREIGN);
	if (!nest || (id && nla_put_u32(msg, HOSTCACHE_FOREIGN_A_ID, id))) {
		nlmsg_free(msg);
		error("out of memory");
		return NULL;
	}
	*nestp = nest;
	return msg;
}

/* Send a request for one or all entries and print what comes back. */
static int show(struct nl_msg *msg)
{
	struct json_object *entries = json_object_new_array();
	int err = genl_transact(msg, collect_entry, entries);

	if (!err)
		print_entries(entries);
	json_object_put(entries);
	return err;
}

/* Resolve "ID" or "ADDR" to an entry ID; 0 after printing an error. */
static uint32_t resolve_entry(const char *arg)
{
	struct json_object *entries, *v;
	struct in6_addr addr;
	struct nlattr *nest;
	struct nl_msg *msg;
	uint32_t id = 0;

	if (!parse_addr(arg, &addr)) {
		parse_u32("entry ID or address", arg, &id);
		if (!id)
			usage_error("entry IDs start at 1");
		return id;
	}
	msg = entry_msg(HOSTCACHE_CMD_GET_FOREIGN, 0, 0, &nest);
	if (!msg || put_addr_only(msg, &addr)) {
		nlmsg_free(msg);
		return 0;
	}
	nla_nest_end(msg, nest);
	entries = json_object_new_array();
	if (!genl_transact(msg, collect_entry, entries) &&
	    json_object_array_length(entries) == 1 &&
	    json_object_object_get_ex(json_object_array_get_idx(entries, 0), "id", &v))
		id = json_object_get_int64(v);
	json_object_put(entries);
	return id;
}

static int foreign_show(int argc, char **argv)
{
	struct json_object *entries;
	struct nlattr *nest;
	struct nl_msg *msg;
	uint32_t id;
	int err;

	if (argc > 1)
		usage_error("usage: hcctl foreign show [ID | ADDR]");
	if (argc == 1) {
		id = resolve_entry(argv[0]);
		if (!id)
			return 1;
		msg = entry_msg(HOSTCACHE_CMD_GET_FOREIGN, 0, id, &nest);
		if (!msg)
			return 1;
		nla_nest_end(msg, nest);
		return show(msg) ? 1 : 0;
	}
	entries = json_object_new_array();
	err = genl_dump(HOSTCACHE_CMD_GET_FOREIGN, collect_entry, entries);
	if (!err) {
		/* -s adds the counters to the listing. */
		if (opts.stats)
			err = print_entries_stats(entries);
		else
			print_entries(entries);
	}
	json_object_put(entries);
	return err ? 1 : 0;
}

static int end_addr(struct nl_msg *msg, struct nlattr *nest, uint32_t flags)
{
	if (flags && nla_put_u32(msg, HOSTCACHE_ADDR_A_FLAGS, flags))
		return -1;
	nla_nest_end(msg, nest);
	return 0;
}

/* Entry options of "foreign add". */
struct entry_opts {
	uint32_t flags;
	uint32_t ah_reqid;
};

/*
 * Parse "ADDR [lifetime SECS] [bid BID] [verified]"... into address nests
 * of @msg; if @eo is not NULL, "trusted" and "homeless" set entry flags in
 * it and "ah-reqid N" the reqid. Returns the number of addresses.
 */
static int put_addrs(struct nl_msg *msg, int argc, char **argv,
		     struct entry_opts *eo)
{
	struct nlattr *addr_nest = NULL;
	struct in6_addr addr;
	uint32_t value, aflags = 0;
	int n = 0;

	for (; argc > 0; argc--, argv++) {
		if (parse_addr(argv[0], &addr)) {
			if (addr_nest && end_addr(msg, addr_nest, aflags))
				return -1;
			aflags = 0;
			addr_nest = nla_nest_start(msg, HOSTCACHE_FOREIGN_A_ADDR);
			if (!addr_nest ||
			    nla_put(msg, HOSTCACHE_ADDR_A_ADDR, sizeof(addr), &addr))
				return -1;
			n++;
			continue;
		}
		if (eo && !strcmp(argv[0], "trusted")) {
			eo->flags |= HOSTCACHE_FOREIGN_F_TRUSTED;
			continue;
		}
		if (eo && !strcmp(argv[0], "homeless")) {
			eo->flags |= HOSTCACHE_FOREIGN_F_HOMELESS;
			continue;
		}
		if (eo && !strcmp(argv[0], "ah-reqid") && argc > 1) {
			parse_u32("ah-reqid", argv[1], &eo->ah_reqid);
			argc--, argv++;
			continue;
		}
		if (!addr_nest)
			usage_error("\"%s\" is not an IPv6 address", argv[0]);
		if (!strcmp(argv[0], "verified")) {
			aflags |= HOSTCACHE_ADDR_F_VERIFIED;
		} else if (!strcmp(argv[0], "lifetime") && argc > 1) {
			parse_u32("lifetime", argv[1], &value);
			if (nla_put_u32(msg, HOSTCACHE_ADDR_A_LIFETIME, value))
				return -1;
			argc--, argv++;
		} else if (!strcmp(argv[0], "bid") && argc > 1) {
			parse_u32("bid", argv[1], &value);
			if (value > UINT16_MAX)
				usage_error("a BID is at most %u", UINT16_MAX);
			if (nla_put_u16(msg, HOSTCACHE_ADDR_A_BID, value))
				return -1;
			argc--, argv++;
		} else {
			usage_error("unknown address option \"%s\"", argv[0]);
		}
	}
	if (addr_nest && end_addr(msg, addr_nest, aflags))
		return -1;
	if (!n)
		usage_error("no address given");
	return n;
}

static int foreign_add(int argc, char **argv)
{
	struct entry_opts eo = {};
	struct nlattr *nest;
	struct nl_msg *msg;

	msg = entry_msg(HOSTCACHE_CMD_NEW_FOREIGN, 0, 0, &nest);
	if (!msg)
		return 1;
	if (put_addrs(msg, argc, argv, &eo) < 0 ||
	    (eo.flags && nla_put_u32(msg, HOSTCACHE_FOREIGN_A_FLAGS, eo.flags)) ||
	    (eo.ah_reqid &&
	     nla_put_u32(msg, HOSTCACHE_FOREIGN_A_AH_REQID, eo.ah_reqid))) {
		nlmsg_free(msg);
		error("request too large");
		return 1;
	}
	nla_nest_end(msg, nest);
	return show(msg) ? 1 : 0;
}

static int foreign_del(int argc, char **argv)
{
	struct nlattr *nest;
	struct nl_msg *msg;
	uint32_t id;

	if (argc != 1)
		usage_error("usage: hcctl foreign del ID | ADDR");
	id = resolve_entry(argv[0]);
	if (!id)
		return 1;
	msg = entry_msg(HOSTCACHE_CMD_DEL_FOREIGN, 0, id, &nest);
	if (!msg)
		return 1;
	nla_nest_end(msg, nest);
	return genl_transact(msg, NULL, NULL) ? 1 : 0;
}

static int foreign_set(int argc, char **argv)
{
	struct json_object *entries, *entry;
	uint32_t id, flags = 0, reqid = 0;
	bool set_flags = false, set_reqid = false;
	struct nlattr *nest;
	struct nl_msg *msg;
	int i;

	if (argc < 2)
		usage_error("usage: hcctl foreign set ID | ADDR { trusted | untrusted | homeless | nohomeless | ordinary | noordinary | ah-reqid N }...");
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "ah-reqid")) {
			if (i + 1 == argc)
				usage_error("\"ah-reqid\" needs a value");
			parse_u32("ah-reqid", argv[++i], &reqid);
			set_reqid = true;
		} else {
			set_flags = true;
		}
	}
	id = resolve_entry(argv[0]);
	if (!id)
		return 1;
	if (!set_flags)
		goto send;
	/* Start from the entry's flags: the request sets them all. */
	msg = entry_msg(HOSTCACHE_CMD_GET_FOREIGN, 0, id, &nest);
	if (!msg)
		return 1;
	nla_nest_end(msg, nest);
	entries = json_object_new_array();
	if (genl_transact(msg, collect_entry, entries)) {
		json_object_put(entries);
		return 1;
	}
	entry = json_object_array_get_idx(entries, 0);
	if (get_bool(entry, "trusted"))
		flags |= HOSTCACHE_FOREIGN_F_TRUSTED;
	if (get_bool(entry, "homeless"))
		flags |= HOSTCACHE_FOREIGN_F_HOMELESS;
	if (get_bool(entry, "ordinary"))
		flags |= HOSTCACHE_FOREIGN_F_ORDINARY;
	json_object_put(entries);

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "ah-reqid"))
			i++;
		else if (!strcmp(argv[i], "trusted"))
			flags |= HOSTCACHE_FOREIGN_F_TRUSTED;
		else if (!strcmp(argv[i], "untrusted"))
			flags &= ~HOSTCACHE_FOREIGN_F_TRUSTED;
		else if (!strcmp(argv[i], "homeless"))
			flags |= HOSTCACHE_FOREIGN_F_HOMELESS;
		else if (!strcmp(argv[i], "nohomeless"))
			flags &= ~HOSTCACHE_FOREIGN_F_HOMELESS;
		else if (!strcmp(argv[i], "ordinary"))
			flags |= HOSTCACHE_FOREIGN_F_ORDINARY;
		else if (!strcmp(argv[i], "noordinary"))
			flags &= ~HOSTCACHE_FOREIGN_F_ORDINARY;
		else
			usage_error("unknown entry flag \"%s\"", argv[i]);
	}
send:
	msg = entry_msg(HOSTCACHE_CMD_SET_FOREIGN, 0, id, &nest);
	if (!msg)
		return 1;
	if ((set_flags && nla_put_u32(msg, HOSTCACHE_FOREIGN_A_FLAGS, flags)) ||
	    (set_reqid && nla_put_u32(msg, HOSTCACHE_FOREIGN_A_AH_REQID, reqid))) {
		nlmsg_free(msg);
		return 1;
	}
	nla_nest_end(msg, nest);
	return show(msg) ? 1 : 0;
}

/* hcctl foreign addr { add | del } ID|ADDR ADDR [options] */
static int foreign_addr(int argc, char **argv)
{
	struct nlattr *nest;
	struct nl_msg *msg;
	bool add;
	uint32_t id;

	if (argc < 3 || !(matches(argv[0], "add") || matches(argv[0], "delete")))
		usage_error("usage: hcctl foreign addr { add | del } ID | ADDR ADDR [OPTIONS]");
	add = matches(argv[0], "add");
	id = resolve_entry(argv[1]);
	if (!id)
		return 1;
	msg = entry_msg(add ? HOSTCACHE_CMD_NEW_ADDR : HOSTCACHE_CMD_DEL_ADDR,
			0, id, &nest);
	if (!msg)
		return 1;
	if (!add && argc != 3)
		usage_error("remove one address at a time");
	if (put_addrs(msg, argc - 2, argv + 2, NULL) < 0) {
		nlmsg_free(msg);
		error("request too large");
		return 1;
	}
	nla_nest_end(msg, nest);
	return genl_transact(msg, NULL, NULL) ? 1 : 0;
}

int do_foreign(int argc, char **argv)
{
	if (argc == 0 || matches(argv[0], "show") || matches(argv[0], "list"))
		return foreign_show(argc ? argc - 1 : 0, argv + 1);
	if (matches(argv[0], "add"))
		return foreign_add(argc - 1, argv + 1);
	if (matches(argv[0], "delete"))
		return foreign_del(argc - 1, argv + 1);
	if (matches(argv[0], "set"))
		return foreign_set(argc - 1, argv + 1);
	if (matches(argv[0], "address"))
		return foreign_addr(argc - 1, argv + 1);
	usage_error("unknown command \"foreign %s\"", argv[0]);
	return 1;
}
