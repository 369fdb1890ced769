// SPDX-License-Identifier: GPL-2.0
/*
 * hcctl: the generic netlink connection to the hostcache module.
 *
 * Requests are sent with an ACK asked for; errors come back with the
 * kernel's extended ACK message, which is shown to the user as ip(8) does.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <linux/hostcache.h>

#include "hcctl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

static struct nl_sock *sock;
static int family;

struct transaction {
	genl_parse_fn parse;
	void *arg;
	int err;
	bool done;
};

static int enter_netns(const char *name)
{
	char path[256];
	int fd, err;

	if (strchr(name, '/'))
		snprintf(path, sizeof(path), "%s", name);
	else
		snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		error("cannot open network namespace \"%s\": %s", name,
		      strerror(errno));
		return -1;
	}
	err = setns(fd, CLONE_NEWNET);
	if (err)
		error("cannot enter network namespace \"%s\": %s", name,
		      strerror(errno));
	close(fd);
	return err;
}

int genl_open(void)
{
	int one = 1, err;

	if (opts.netns && enter_netns(opts.netns))
		return -1;

	sock = nl_socket_alloc();
	if (!sock) {
		error("out of memory");
		return -1;
	}
	err = genl_connect(sock);
	if (err) {
		error("cannot open a generic netlink socket: %s",
		      nl_geterror(err));
		goto err_free;
	}
	/* Ask for the kernel's error messages, without the request echoed. */
	setsockopt(nl_socket_get_fd(sock), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	setsockopt(nl_socket_get_fd(sock), SOL_NETLINK, NETLINK_CAP_ACK,
		   &one, sizeof(one));

	family = genl_ctrl_resolve(sock, HOSTCACHE_GENL_NAME);
	if (family < 0) {
		error("the hostcache module is not loaded (no generic netlink family \"%s\")",
		      HOSTCACHE_GENL_NAME);
		goto err_free;
	}
	return 0;

err_free:
	nl_socket_free(sock);
	sock = NULL;
	return -1;
}

void genl_close(void)
{
	nl_socket_free(sock);
	sock = NULL;
}

/* A fresh socket, with nothing left queued from earlier requests. */
int genl_reopen(void)
{
	genl_close();
	return genl_open();
}

struct nl_msg *genl_msg(uint8_t cmd, int flags)
{
	/* Room for the largest request, an entry of HOSTCACHE_MAX_ADDRS_MAX. */
	struct nl_msg *msg = nlmsg_alloc_size(65536);

	if (!msg || !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0,
				 flags, cmd, HOSTCACHE_GENL_VERSION)) {
		nlmsg_free(msg);
		error("out of memory");
		return NULL;
	}
	return msg;
}

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct transaction *t = arg;
	struct nlattr *tb[HOSTCACHE_A_MAX + 1];
	int err;

	err = genlmsg_parse(nlmsg_hdr(msg), 0, tb, HOSTCACHE_A_MAX, NULL);
	if (err) {
		error("malformed reply from the kernel: %s", nl_geterror(err));
		t->err = -EPROTO;
		return NL_STOP;
	}
	if (t->parse) {
		err = t->parse(tb, t->arg);
		if (err) {
			t->err = err;
			return NL_STOP;
		}
	}
	return NL_OK;
}

/* Print the extended ACK message that follows a netlink error. */
static void print_extack(const struct nlmsgerr *e, int err)
{
	const struct nlmsghdr *hdr = (const void *)((const char *)e - NLMSG_HDRLEN);
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1] = {};
	const char *payload = (const char *)(e + 1);
	const char *end = (const char *)hdr + hdr->nlmsg_len;
	char missing[64];
	const char *msg = NULL;

	if (!(hdr->nlmsg_flags & NLM_F_CAPPED))
		payload += e->msg.nlmsg_len - NLMSG_HDRLEN;
	if ((hdr->nlmsg_flags & NLM_F_ACK_TLVS) && payload < end &&
	    !nla_parse(tb, NLMSGERR_ATTR_MAX, (struct nlattr *)payload,
		       end - payload, NULL)) {
		if (tb[NLMSGERR_ATTR_MSG]) {
			msg = nla_get_string(tb[NLMSGERR_ATTR_MSG]);
		} else if (tb[NLMSGERR_ATTR_MISS_TYPE]) {
			snprintf(missing, sizeof(missing),
				 "the request lacks attribute %u",
				 nla_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]));
			msg = missing;
		}
	}

	if (msg)
		fprintf(stderr, "Error: %s (%s).\n", msg, strerror(-err));
	else
		fprintf(stderr, "Error: %s.\n", strerror(-err));
}

static int on_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct transaction *t = arg;

	t->err = e->error < 0 ? e->error : -EPROTO;
	t->done = true;
	print_extack(e, t->err);
	return NL_STOP;
}

static int on_done(struct nl_msg *msg, void *arg)
{
	struct transaction *t = arg;

	t->done = true;
	return NL_STOP;
}

/**
 * genl_transact() - send a request and handle every reply to it
 * @msg: the request, freed here
 * @parse: called with the attributes of each reply message, may be NULL
 * @arg: passed to @parse
 *
 * Return: 0, or a negative errno after the error was printed.
 */
int genl_transact(struct nl_msg *msg, genl_parse_fn parse, void *arg)
{
	struct transaction t = { .parse = parse, .arg = arg };
	struct nl_cb *cb;
	int err;

	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb) {
		nlmsg_free(msg);
		error("out of memory");
		return -ENOMEM;
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, &t);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_done, &t);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, on_done, &t);
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, &t);

	err = nl_send_auto(sock, msg);
	nlmsg_free(msg);
	if (err < 0) {
		error("cannot send the request: %s", nl_geterror(err));
		t.err = -EIO;
	}
	while (err >= 0 && !t.done && !t.err) {
		err = nl_recvmsgs(sock, cb);
		if (err == -NLE_DUMP_INTR) {
			/* The cache changed under a dump: the caller retries. */
			t.err = -EAGAIN;
		} else if (err < 0 && !t.err) {
			error("cannot read the reply: %s", nl_geterror(err));
			t.err = -EIO;
		}
	}
	nl_cb_put(cb);
	return t.err;
}

/**
 * entries_add() - add an entry of a reply or dump message to @entries
 * @entries: a JSON array of entries, each with "id" and "addrs"
 * @entry: the message's entry; @entries takes it
 *
 * The kernel dumps an entry too large for one message over several, each
 * with the entry's ID and more of its addresses: one with the ID of the
 * last entry extends it.
 */
void entries_add(struct json_object *entries, struct json_object *entry)
{
	size_t n = json_object_array_length(entries);
	struct json_object *last, *id, *last_id, *addrs, *more;
	size_t i;

	last = n ? json_object_array_get_idx(entries, n - 1) : NULL;
	if (!last || !json_object_object_get_ex(last, "id", &last_id) ||
	    !json_object_object_get_ex(entry, "id", &id) ||
	    json_object_get_int64(id) != json_object_get_int64(last_id) ||
	    !json_object_object_get_ex(last, "addrs", &addrs) ||
	    !json_object_object_get_ex(entry, "addrs", &more)) {
		json_object_array_add(entries, entry);
		return;
	}
	for (i = 0; i < json_object_array_length(more); i++) {
		struct json_object *addr = json_object_array_get_idx(more, i);

		json_object_array_add(addrs, json_object_get(addr));
	}
	json_object_put(entry);
}

/**
 * genl_dump() - dump @cmd into @entries, again if the dump was interrupted
 * @cmd: the GET command to dump
 * @parse: adds one reply message's object to @entries
 * @entries: a JSON array; emptied before each new try
 *
 * The kernel marks a dump during which the cache changed; it is then done
 * again, on a new socket, since the rest of the old one may be queued.
 *
 * Return: 0, or a negative errno after the error was printed.
 */
int genl_dump(uint8_t cmd, genl_parse_fn parse, struct json_object *entries)
{
	struct nl_msg *msg;
	int tries, err;

	for (tries = 0; tries < 5; tries++) {
		if (tries) {
			if (genl_reopen())
				return -EIO;
			json_object_array_del_idx(entries, 0,
						  json_object_array_length(entries));
		}
		msg = genl_msg(cmd, NLM_F_DUMP);
		if (!msg)
			return -ENOMEM;
		err = genl_transact(msg, parse, entries);
		if (err != -EAGAIN)
			return err;
	}
	error("the cache kept changing during the dump; try again");
	return -EAGAIN;
}

static genl_event_fn event_fn;

static int on_event(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[HOSTCACHE_A_MAX + 1];

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, HOSTCACHE_A_MAX, NULL))
		return NL_SKIP;
	return event_fn(genlmsg_hdr(nlmsg_hdr(msg))->cmd, tb) ? NL_STOP : NL_OK;
}

/**
 * genl_listen() - call @fn for each event of the module's group, forever
 * @fn: handles one event; a non-zero return ends the loop
 *
 * Return: only on error or when @fn asks, with a negative errno or 0.
 */
int genl_listen(genl_event_fn fn)
{
	int grp, err;

	grp = genl_ctrl_resolve_grp(sock, HOSTCACHE_GENL_NAME,
				    HOSTCACHE_GENL_MCGRP_EVENTS);
	if (grp < 0) {
		error("the module has no \"%s\" group: %s",
		      HOSTCACHE_GENL_MCGRP_EVENTS, nl_geterror(grp));
		return -ENOENT;
	}
	err = nl_socket_add_membership(sock, grp);
	if (err) {
		error("cannot join the event group: %s", nl_geterror(err));
		return -EIO;
	}
	nl_socket_disable_seq_check(sock);
	event_fn = fn;
	nl_socket_modify_cb(sock, NL_CB_VALID, NL_CB_CUSTOM, on_event, NULL);
	for (;;) {
		err = nl_recvmsgs_default(sock);
		if (err < 0) {
			error("cannot read events: %s", nl_geterror(err));
			return -EIO;
		}
	}
}
