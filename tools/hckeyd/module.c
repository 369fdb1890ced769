// SPDX-License-Identifier: GPL-2.0
/*
 * hckeyd: the hostcache module's generic netlink family. One socket
 * listens to the "events" group; requests go on another, so that their
 * replies never mix with events.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>

#include "hckeyd.h"

#define EVENT_RCVBUF	(4 << 20)

static struct nl_sock *ev_sock, *req_sock;
static int family;

static struct nla_policy top_policy[HOSTCACHE_A_MAX + 1] = {
	[HOSTCACHE_A_VERSION]		= { .type = NLA_STRING },
	[HOSTCACHE_A_GENL_VERSION]	= { .type = NLA_U32 },
	[HOSTCACHE_A_PARAMS]		= { .type = NLA_NESTED },
	[HOSTCACHE_A_FOREIGN]		= { .type = NLA_NESTED },
	[HOSTCACHE_A_STATS]		= { .type = NLA_NESTED },
	[HOSTCACHE_A_LOCAL]		= { .type = NLA_NESTED },
};

static struct nla_policy foreign_policy[HOSTCACHE_FOREIGN_A_MAX + 1] = {
	[HOSTCACHE_FOREIGN_A_ID]	= { .type = NLA_U32 },
	[HOSTCACHE_FOREIGN_A_FLAGS]	= { .type = NLA_U32 },
	[HOSTCACHE_FOREIGN_A_ADDR]	= { .type = NLA_NESTED },
	[HOSTCACHE_FOREIGN_A_AH_REQID]	= { .type = NLA_U32 },
};

static struct nla_policy addr_policy[HOSTCACHE_ADDR_A_MAX + 1] = {
	[HOSTCACHE_ADDR_A_ADDR]		= { .minlen = sizeof(struct in6_addr),
					    .maxlen = sizeof(struct in6_addr) },
	[HOSTCACHE_ADDR_A_STATE]	= { .type = NLA_U8 },
};

static struct nla_policy local_policy[HOSTCACHE_LOCAL_A_MAX + 1] = {
	[HOSTCACHE_LOCAL_A_ID]		= { .type = NLA_U32 },
	[HOSTCACHE_LOCAL_A_ADDR]	= { .type = NLA_NESTED },
};

static struct nla_policy extack_policy[NLMSGERR_ATTR_MAX + 1] = {
	[NLMSGERR_ATTR_MSG]		= { .type = NLA_STRING },
	[NLMSGERR_ATTR_OFFS]		= { .type = NLA_U32 },
};

typedef int (*parse_fn)(struct nlattr **tb, void *arg);

struct transaction {
	parse_fn parse;
	void *arg;
	int err;
	int quiet;	/* an errno the caller expects: not logged */
	bool done;
	bool kernel;	/* the error is the kernel's answer */
};

static struct nl_sock *genl_socket(void)
{
	struct nl_sock *sk = nl_socket_alloc();
	int one = 1, err;

	if (!sk) {
		log_err("out of memory");
		return NULL;
	}
	err = genl_connect(sk);
	if (err) {
		log_err("cannot open a generic netlink socket: %s",
			nl_geterror(err));
		nl_socket_free(sk);
		return NULL;
	}
	setsockopt(nl_socket_get_fd(sk), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	setsockopt(nl_socket_get_fd(sk), SOL_NETLINK, NETLINK_CAP_ACK,
		   &one, sizeof(one));
	return sk;
}

static int on_event(struct nl_msg *msg, void *arg);

int module_open(void)
{
	int grp, err;

	req_sock = genl_socket();
	ev_sock = genl_socket();
	if (!req_sock || !ev_sock)
		return -1;
	family = genl_ctrl_resolve(req_sock, HOSTCACHE_GENL_NAME);
	if (family < 0) {
		log_err("the hostcache module is not loaded (no generic netlink family \"%s\")",
			HOSTCACHE_GENL_NAME);
		return -1;
	}
	grp = genl_ctrl_resolve_grp(req_sock, HOSTCACHE_GENL_NAME,
				    HOSTCACHE_GENL_MCGRP_EVENTS);
	if (grp < 0) {
		log_err("the module has no \"%s\" group: %s",
			HOSTCACHE_GENL_MCGRP_EVENTS, nl_geterror(grp));
		return -1;
	}
	err = nl_socket_add_membership(ev_sock, grp);
	if (err) {
		log_err("cannot join the event group: %s", nl_geterror(err));
		return -1;
	}
	/* Room for bursts, such as a host that loses many addresses; beyond
	 * rmem_max while CAP_NET_ADMIN is held.
	 */
	if (setsockopt(nl_socket_get_fd(ev_sock), SOL_SOCKET, SO_RCVBUFFORCE,
		       &(int){ EVENT_RCVBUF }, sizeof(int))) {
		log_info("cannot force the event buffer to %d bytes (%s): rmem_max bounds it",
			 EVENT_RCVBUF, strerror(errno));
		if (setsockopt(nl_socket_get_fd(ev_sock), SOL_SOCKET, SO_RCVBUF,
			       &(int){ EVENT_RCVBUF }, sizeof(int)))
			log_warn("cannot set the event buffer size: %s",
				 strerror(errno));
	}
	nl_socket_disable_seq_check(ev_sock);
	nl_socket_set_nonblocking(ev_sock);
	nl_socket_modify_cb(ev_sock, NL_CB_VALID, NL_CB_CUSTOM, on_event, NULL);
	return 0;
}

int module_event_fd(void)
{
	return nl_socket_get_fd(ev_sock);
}

static struct nl_msg *genl_msg(uint8_t cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg || !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0,
				 flags, cmd, HOSTCACHE_GENL_VERSION)) {
		nlmsg_free(msg);
		log_err("out of memory");
		return NULL;
	}
	return msg;
}

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct transaction *t = arg;
	struct nlattr *tb[HOSTCACHE_A_MAX + 1];
	int err;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, HOSTCACHE_A_MAX, top_policy)) {
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

/* The extended ACK message that follows a netlink error, if any. */
static const char *extack_msg(const struct nlmsgerr *e)
{
	const struct nlmsghdr *hdr = (const void *)((const char *)e - NLMSG_HDRLEN);
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1] = {};
	const char *payload = (const char *)(e + 1);
	const char *end = (const char *)hdr + hdr->nlmsg_len;
	const char *s;
	int len;

	if (!(hdr->nlmsg_flags & NLM_F_CAPPED))
		payload += e->msg.nlmsg_len - NLMSG_HDRLEN;
	if (!(hdr->nlmsg_flags & NLM_F_ACK_TLVS) || payload >= end ||
	    nla_parse(tb, NLMSGERR_ATTR_MAX, (struct nlattr *)payload,
		      end - payload, extack_policy) || !tb[NLMSGERR_ATTR_MSG])
		return NULL;
	/* Printed as a C string: it must end within the attribute. */
	s = nla_data(tb[NLMSGERR_ATTR_MSG]);
	len = nla_len(tb[NLMSGERR_ATTR_MSG]);
	return len > 0 && !s[len - 1] ? s : NULL;
}

static int on_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct transaction *t = arg;
	const char *msg;

	t->err = e->error < 0 ? e->error : -EPROTO;
	t->kernel = true;
	t->done = true;
	if (t->err != -t->quiet) {
		msg = extack_msg(e);
		log_err("the module refused a request: %s%s%s%s",
			msg ?: "", msg ? " (" : "", strerror(-t->err),
			msg ? ")" : "");
	}
	return NL_STOP;
}

static int on_done(struct nl_msg *msg, void *arg)
{
	struct transaction *t = arg;

	t->done = true;
	return NL_STOP;
}

static int reopen_req(void)
{
	nl_socket_free(req_sock);
	req_sock = genl_socket();
	return req_sock ? 0 : -EIO;
}

/**
 * transact() - send a request and handle every reply to it
 * @msg: the request, freed here
 * @parse: called with the attributes of each reply message, may be NULL
 * @arg: for @parse
 * @quiet: an errno not to log
 *
 * Return: 0, or a negative errno.
 */
static int transact(struct nl_msg *msg, parse_fn parse, void *arg, int quiet)
{
	struct transaction t = { .parse = parse, .arg = arg, .quiet = quiet };
	struct nl_cb *cb;
	int err;

	if (!req_sock && reopen_req()) {
		nlmsg_free(msg);
		return -EIO;
	}
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, &t);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_done, &t);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, on_done, &t);
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, &t);

	err = nl_send_auto(req_sock, msg);
	nlmsg_free(msg);
	if (err < 0) {
		log_err("cannot send a request to the module: %s",
			nl_geterror(err));
		t.err = -EIO;
	}
	while (err >= 0 && !t.done && !t.err) {
		err = nl_recvmsgs(req_sock, cb);
		if (err == -NLE_DUMP_INTR) {
			t.err = -EAGAIN;
		} else if (err < 0 && !t.err) {
			log_err("cannot read the module's reply: %s",
				nl_geterror(err));
			t.err = -EIO;
		}
	}
	nl_cb_put(cb);
	/* Stopped before the end of the reply: what is left of it would
	 * come as the answer to the next request.
	 */
	if (t.err && !t.kernel && reopen_req())
		log_err("cannot open a new socket to the module");
	return t.err;
}

static int parse_addr(struct nlattr *nest, struct in6_addr *addr, uint8_t *state)
{
	struct nlattr *tb[HOSTCACHE_ADDR_A_MAX + 1];

	if (nla_parse_nested(tb, HOSTCACHE_ADDR_A_MAX, nest, addr_policy) ||
	    !tb[HOSTCACHE_ADDR_A_ADDR])
		return -EPROTO;
	memcpy(addr, nla_data(tb[HOSTCACHE_ADDR_A_ADDR]), sizeof(*addr));
	if (state)
		*state = tb[HOSTCACHE_ADDR_A_STATE] ?
			 nla_get_u8(tb[HOSTCACHE_ADDR_A_STATE]) :
			 HOSTCACHE_ADDR_VALID;
	return 0;
}

static int parse_foreign(struct nlattr *nest, struct fentry *fe)
{
	struct nlattr *tb[HOSTCACHE_FOREIGN_A_MAX + 1];
	struct nlattr *attr;
	int rem;

	memset(fe, 0, sizeof(*fe));
	if (!nest ||
	    nla_parse_nested(tb, HOSTCACHE_FOREIGN_A_MAX, nest, foreign_policy) ||
	    !tb[HOSTCACHE_FOREIGN_A_ID])
		return -EPROTO;
	fe->id = nla_get_u32(tb[HOSTCACHE_FOREIGN_A_ID]);
	if (tb[HOSTCACHE_FOREIGN_A_FLAGS])
		fe->flags = nla_get_u32(tb[HOSTCACHE_FOREIGN_A_FLAGS]);
	if (tb[HOSTCACHE_FOREIGN_A_AH_REQID])
		fe->reqid = nla_get_u32(tb[HOSTCACHE_FOREIGN_A_AH_REQID]);
	nla_for_each_nested(attr, nest, rem) {
		if (nla_type(attr) != HOSTCACHE_FOREIGN_A_ADDR ||
		    fe->naddrs == HOSTCACHE_MAX_ADDRS_MAX)
			continue;
		if (parse_addr(attr, &fe->addrs[fe->naddrs].addr,
			       &fe->addrs[fe->naddrs].state))
			return -EPROTO;
		fe->naddrs++;
	}
	return 0;
}

/* The first valid address an exchange can go to, or NULL. */
const struct in6_addr *fentry_first_valid(const struct fentry *fe)
{
	int i;

	for (i = 0; i < fe->naddrs; i++)
		if (fe->addrs[i].state == HOSTCACHE_ADDR_VALID &&
		    addr_is_global(&fe->addrs[i].addr))
			return &fe->addrs[i].addr;
	return NULL;
}

bool fentry_has(const struct fentry *fe, const struct in6_addr *addr)
{
	int i;

	for (i = 0; i < fe->naddrs; i++)
		if (IN6_ARE_ADDR_EQUAL(&fe->addrs[i].addr, addr))
			return true;
	return false;
}

static int on_local_event(uint8_t cmd, struct nlattr *nest)
{
	struct nlattr *tb[HOSTCACHE_LOCAL_A_MAX + 1];
	struct in6_addr addr;
	struct nlattr *attr;
	int rem;

	if (nla_parse_nested(tb, HOSTCACHE_LOCAL_A_MAX, nest, local_policy) ||
	    !tb[HOSTCACHE_LOCAL_A_ID] ||
	    nla_get_u32(tb[HOSTCACHE_LOCAL_A_ID]) != HOSTCACHE_LOCAL_DEFAULT)
		return NL_OK;
	if (cmd != HOSTCACHE_CMD_NEW_ADDR && cmd != HOSTCACHE_CMD_DEL_ADDR)
		return NL_OK;
	nla_for_each_nested(attr, nest, rem)
		if (nla_type(attr) == HOSTCACHE_LOCAL_A_ADDR &&
		    !parse_addr(attr, &addr, NULL)) {
			peers_local_event(cmd, &addr);
			exchange_local_event(cmd, &addr);
		}
	return NL_OK;
}

static int on_event(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[HOSTCACHE_A_MAX + 1];
	struct fentry fe;
	uint8_t cmd;

	if (nlmsg_hdr(msg)->nlmsg_type != family ||
	    genlmsg_parse(nlmsg_hdr(msg), 0, tb, HOSTCACHE_A_MAX, top_policy))
		return NL_SKIP;
	cmd = genlmsg_hdr(nlmsg_hdr(msg))->cmd;
	if (tb[HOSTCACHE_A_LOCAL])
		return on_local_event(cmd, tb[HOSTCACHE_A_LOCAL]);
	if (!tb[HOSTCACHE_A_FOREIGN] ||
	    parse_foreign(tb[HOSTCACHE_A_FOREIGN], &fe))
		return NL_SKIP;
	if (cmd == HOSTCACHE_CMD_ACQUIRE)
		exchange_acquire(&fe);
	else
		peers_foreign_event(cmd, &fe);
	return NL_OK;
}

/* Handle every event queued; after lost ones, find the state anew. */
void module_read_events(void)
{
	int err;

	for (;;) {
		err = nl_recvmsgs_default(ev_sock);
		if (err == -NLE_AGAIN)
			return;
		if (err == -NLE_NOMEM) {
			log_warn("events were lost; reading the state again");
			peers_recover();
			continue;
		}
		if (err < 0) {
			log_err("cannot read events: %s", nl_geterror(err));
			return;
		}
	}
}

struct dump_walk {
	fentry_fn fn;
	void *arg;
};

static int collect_foreign(struct nlattr **tb, void *arg)
{
	struct dump_walk *w = arg;
	struct fentry fe;

	if (parse_foreign(tb[HOSTCACHE_A_FOREIGN], &fe))
		return -EPROTO;
	w->fn(&fe, w->arg);
	return 0;
}

/**
 * module_dump_foreign() - call @fn for every foreign entry
 * @fn: gets each entry
 * @arg: for @fn
 *
 * A dump the cache changed under is done again (transact() has opened a
 * new socket): @fn may see an entry twice and must not mind.
 *
 * Return: 0, or a negative errno.
 */
int module_dump_foreign(fentry_fn fn, void *arg)
{
	struct dump_walk w = { .fn = fn, .arg = arg };
	struct nl_msg *msg;
	int tries, err = -EAGAIN;

	for (tries = 0; tries < 5 && err == -EAGAIN; tries++) {
		msg = genl_msg(HOSTCACHE_CMD_GET_FOREIGN, NLM_F_DUMP);
		if (!msg)
			return -ENOMEM;
		err = transact(msg, collect_foreign, &w, 0);
	}
	return err;
}

static int reply_foreign(struct nlattr **tb, void *arg)
{
	return parse_foreign(tb[HOSTCACHE_A_FOREIGN], arg);
}

static int put_addr(struct nl_msg *msg, int type, const struct in6_addr *addr)
{
	struct nlattr *nest = nla_nest_start(msg, type);

	if (!nest || nla_put(msg, HOSTCACHE_ADDR_A_ADDR, sizeof(*addr), addr))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

/**
 * module_get_foreign() - one entry, by ID or by one of its addresses
 * @id: the ID, or 0
 * @addr: if @id is 0, the address
 * @fe: the entry
 *
 * Return: 0, -ENOENT if there is none, or another negative errno.
 */
int module_get_foreign(uint32_t id, const struct in6_addr *addr,
		       struct fentry *fe)
{
	struct nl_msg *msg = genl_msg(HOSTCACHE_CMD_GET_FOREIGN, 0);
	struct nlattr *nest;

	if (!msg)
		return -ENOMEM;
	nest = nla_nest_start(msg, HOSTCACHE_A_FOREIGN);
	if (!nest || (id ? nla_put_u32(msg, HOSTCACHE_FOREIGN_A_ID, id) :
			   put_addr(msg, HOSTCACHE_FOREIGN_A_ADDR, addr))) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	nla_nest_end(msg, nest);
	fe->id = 0;
	return transact(msg, reply_foreign, fe, ENOENT);
}

/* Name the SAs of entry @id by @reqid (0: none). */
int module_set_reqid(uint32_t id, uint32_t reqid)
{
	struct nl_msg *msg = genl_msg(HOSTCACHE_CMD_SET_FOREIGN, 0);
	struct nlattr *nest;

	if (!msg)
		return -ENOMEM;
	nest = nla_nest_start(msg, HOSTCACHE_A_FOREIGN);
	if (!nest || nla_put_u32(msg, HOSTCACHE_FOREIGN_A_ID, id) ||
	    nla_put_u32(msg, HOSTCACHE_FOREIGN_A_AH_REQID, reqid)) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	nla_nest_end(msg, nest);
	return transact(msg, NULL, NULL, 0);
}

/*
 * The peer of entry @id is not homeless: the module leaves it alone for a
 * while (ordinary-hold), also past the entry's life. Its other flags stay.
 */
int module_set_ordinary(uint32_t id)
{
	struct nl_msg *msg;
	struct nlattr *nest;
	struct fentry fe;
	uint32_t flags;
	int err;

	err = module_get_foreign(id, NULL, &fe);
	if (err)
		return err;
	flags = (fe.flags & ~HOSTCACHE_FOREIGN_F_HOMELESS) |
		HOSTCACHE_FOREIGN_F_ORDINARY;
	msg = genl_msg(HOSTCACHE_CMD_SET_FOREIGN, 0);
	if (!msg)
		return -ENOMEM;
	nest = nla_nest_start(msg, HOSTCACHE_A_FOREIGN);
	if (!nest || nla_put_u32(msg, HOSTCACHE_FOREIGN_A_ID, id) ||
	    nla_put_u32(msg, HOSTCACHE_FOREIGN_A_FLAGS, flags)) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	nla_nest_end(msg, nest);
	return transact(msg, NULL, NULL, 0);
}

/* A new entry for the peer at @addr, its SAs named by @reqid. */
int module_new_foreign(const struct in6_addr *addr, uint32_t reqid,
		       uint32_t *id)
{
	struct nl_msg *msg = genl_msg(HOSTCACHE_CMD_NEW_FOREIGN, 0);
	struct nlattr *nest;
	struct fentry fe = {};
	int err;

	if (!msg)
		return -ENOMEM;
	nest = nla_nest_start(msg, HOSTCACHE_A_FOREIGN);
	if (!nest || nla_put_u32(msg, HOSTCACHE_FOREIGN_A_FLAGS, 0) ||
	    put_addr(msg, HOSTCACHE_FOREIGN_A_ADDR, addr) ||
	    nla_put_u32(msg, HOSTCACHE_FOREIGN_A_AH_REQID, reqid)) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	nla_nest_end(msg, nest);
	err = transact(msg, reply_foreign, &fe, 0);
	if (!err && !fe.id)
		err = -EPROTO;
	if (!err)
		*id = fe.id;
	return err;
}

struct local_list {
	struct in6_addr *addrs;
	int n;
};

static int reply_local(struct nlattr **tb, void *arg)
{
	struct nlattr *ltb[HOSTCACHE_LOCAL_A_MAX + 1];
	struct local_list *l = arg;
	struct in6_addr addr, *grown;
	struct nlattr *attr;
	int rem;

	if (!tb[HOSTCACHE_A_LOCAL] ||
	    nla_parse_nested(ltb, HOSTCACHE_LOCAL_A_MAX, tb[HOSTCACHE_A_LOCAL],
			     local_policy))
		return -EPROTO;
	nla_for_each_nested(attr, tb[HOSTCACHE_A_LOCAL], rem) {
		if (nla_type(attr) != HOSTCACHE_LOCAL_A_ADDR ||
		    parse_addr(attr, &addr, NULL))
			continue;
		grown = realloc(l->addrs, (l->n + 1) * sizeof(*grown));
		if (!grown)
			return -ENOMEM;
		l->addrs = grown;
		l->addrs[l->n++] = addr;
	}
	return 0;
}

/**
 * module_get_local() - the addresses of the default local entry
 * @addrs: an array the caller frees
 * @n: how many
 *
 * Return: 0, or a negative errno.
 */
int module_get_local(struct in6_addr **addrs, int *n)
{
	struct nl_msg *msg = genl_msg(HOSTCACHE_CMD_GET_LOCAL, 0);
	struct local_list l = {};
	struct nlattr *nest;
	int err;

	if (!msg)
		return -ENOMEM;
	nest = nla_nest_start(msg, HOSTCACHE_A_LOCAL);
	if (!nest || nla_put_u32(msg, HOSTCACHE_LOCAL_A_ID, HOSTCACHE_LOCAL_DEFAULT)) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	nla_nest_end(msg, nest);
	err = transact(msg, reply_local, &l, 0);
	if (err) {
		free(l.addrs);
		return err;
	}
	*addrs = l.addrs;
	*n = l.n;
	return 0;
}
