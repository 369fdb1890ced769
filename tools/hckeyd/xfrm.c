// SPDX-License-Identifier: GPL-2.0
/*
 * hckeyd: the xfrm side. The SAs are transport-mode AH, hmac(sha256)
 * truncated to 128 bits, any source, for the Mobility Header (proto 135)
 * only; the output policies send the MH to one peer address under the
 * peer's reqid. The layout is that of tests/selftests/mh_ah.sh.
 *
 * libnl-xfrm builds the messages. It keeps a key it is given in objects
 * and buffers it frees without clearing them, so the key never goes to it:
 * the authentication attribute is added to the built message here, and
 * the message cleared once sent; SAs are dumped into a locked buffer of
 * our own, cleared after use.
 */

#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>

#include <linux/netlink.h>
#include <linux/xfrm.h>
#include <netlink/addr.h>
#include <netlink/cache.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/xfrm/lifetime.h>
#include <netlink/xfrm/sa.h>
#include <netlink/xfrm/selector.h>
#include <netlink/xfrm/sp.h>
#include <netlink/xfrm/template.h>

#include "hckeyd.h"

#define IPPROTO_MH_		135
#define AUTH_ALG		"hmac(sha256)"
#define AUTH_TRUNC_BITS		128
#define REPLAY_WINDOW		32

static struct nl_sock *sock;
/* The kernel sends dumps in messages of up to 32 KiB. */
static uint8_t dump_buf[65536] __attribute__((aligned(4096)));
static uint32_t dump_seq = 0x80000000;
#define DUMP_TRIES	5

int xfrm_open(void)
{
	struct nl_cb *cb;
	int one = 1, err;

	/* Callbacks of our own: NLCB=debug in the environment would have the
	 * default ones print every message, keys included.
	 */
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	sock = cb ? nl_socket_alloc_cb(cb) : NULL;
	nl_cb_put(cb);
	if (!sock) {
		log_err("out of memory");
		return -1;
	}
	err = nl_connect(sock, NETLINK_XFRM);
	if (err) {
		log_err("cannot open an xfrm netlink socket: %s", nl_geterror(err));
		return -1;
	}
	/* An error must not echo a request, which may hold a key. */
	setsockopt(nl_socket_get_fd(sock), SOL_NETLINK, NETLINK_CAP_ACK,
		   &one, sizeof(one));
	if (mlock(dump_buf, sizeof(dump_buf)))
		log_warn("cannot lock the SA dump buffer: %s", strerror(errno));
	if (madvise(dump_buf, sizeof(dump_buf), MADV_DONTDUMP))
		log_warn("cannot keep the SA dump buffer out of core dumps: %s",
			 strerror(errno));
	return 0;
}

static struct nl_addr *nladdr(const struct in6_addr *addr, int plen)
{
	static const struct in6_addr any;
	struct nl_addr *a;

	a = nl_addr_build(AF_INET6, addr ? addr : &any, sizeof(*addr));
	if (a)
		nl_addr_set_prefixlen(a, plen);
	return a;
}

/* Any source; @daddr or any destination; the Mobility Header only. */
static struct xfrmnl_sel *mh_selector(const struct in6_addr *daddr)
{
	struct xfrmnl_sel *sel = xfrmnl_sel_alloc();
	struct nl_addr *s = nladdr(NULL, 0), *d = nladdr(daddr, daddr ? 128 : 0);

	if (!sel || !s || !d) {
		xfrmnl_sel_put(sel);
		sel = NULL;
		goto out;
	}
	xfrmnl_sel_set_family(sel, AF_INET6);
	xfrmnl_sel_set_saddr(sel, s);
	xfrmnl_sel_set_daddr(sel, d);
	xfrmnl_sel_set_prefixlen_s(sel, 0);
	xfrmnl_sel_set_prefixlen_d(sel, daddr ? 128 : 0);
	xfrmnl_sel_set_proto(sel, IPPROTO_MH_);
out:
	nl_addr_put(s);
	nl_addr_put(d);
	return sel;
}

/* No limit of bytes, packets or time: a zero limit would expire at once. */
static struct xfrmnl_ltime_cfg *no_limits(void)
{
	struct xfrmnl_ltime_cfg *lft = xfrmnl_ltime_cfg_alloc();

	if (lft) {
		xfrmnl_ltime_cfg_set_soft_bytelimit(lft, XFRM_INF);
		xfrmnl_ltime_cfg_set_hard_bytelimit(lft, XFRM_INF);
		xfrmnl_ltime_cfg_set_soft_packetlimit(lft, XFRM_INF);
		xfrmnl_ltime_cfg_set_hard_packetlimit(lft, XFRM_INF);
	}
	return lft;
}

/* Send @msg, clear and free it, and wait for the kernel's answer. */
static int send_wiped(struct nl_msg *msg)
{
	struct nlmsghdr *hdr = nlmsg_hdr(msg);
	int err;

	err = nl_send_auto(sock, msg);
	secret_wipe(hdr, hdr->nlmsg_len);
	nlmsg_free(msg);
	if (err < 0)
		return err;
	return nl_wait_for_ack(sock);
}

static int xfrm_sa_reqid(const struct in6_addr *daddr, uint32_t spi,
			 uint32_t *reqid);

/**
 * xfrm_sa_add() - install one SA, if it is not there yet
 * @daddr: its destination: ours for an inbound SA, the peer's for outbound
 * @spi: its SPI
 * @reqid: the peer's reqid
 * @key: the hmac(sha256) key, KEY_LEN bytes
 *
 * Return: 0 (also if the SA exists with @reqid), -NLE_EXIST if the SA at
 * (@daddr, @spi) is another's, or another negative libnl error.
 */
int xfrm_sa_add(const struct in6_addr *daddr, uint32_t spi, uint32_t reqid,
		const uint8_t key[KEY_LEN])
{
	struct xfrmnl_sa *sa = xfrmnl_sa_alloc();
	struct xfrmnl_sel *sel = mh_selector(NULL);
	struct nl_addr *d = nladdr(daddr, 128), *s = nladdr(NULL, 0);
	struct xfrmnl_ltime_cfg *lft = no_limits();
	struct xfrm_algo_auth *auth;
	struct nl_msg *msg = NULL;
	struct nlattr *attr;
	int err = -NLE_NOMEM;

	if (!sa || !sel || !d || !s || !lft)
		goto out;
	xfrmnl_sa_set_lifetime_cfg(sa, lft);
	xfrmnl_sa_set_family(sa, AF_INET6);
	xfrmnl_sa_set_daddr(sa, d);
	xfrmnl_sa_set_saddr(sa, s);
	xfrmnl_sa_set_proto(sa, IPPROTO_AH);
	xfrmnl_sa_set_spi(sa, spi);
	xfrmnl_sa_set_reqid(sa, reqid);
	xfrmnl_sa_set_mode(sa, XFRM_MODE_TRANSPORT);
	xfrmnl_sa_set_replay_window(sa, REPLAY_WINDOW);
	xfrmnl_sa_set_sel(sa, sel);
	err = xfrmnl_sa_build_add_request(sa, NLM_F_CREATE | NLM_F_EXCL, &msg);
	if (err)
		goto out;
	attr = nla_reserve(msg, XFRMA_ALG_AUTH_TRUNC, sizeof(*auth) + KEY_LEN);
	if (!attr) {
		secret_wipe(nlmsg_hdr(msg), nlmsg_hdr(msg)->nlmsg_len);
		nlmsg_free(msg);
		err = -NLE_NOMEM;
		goto out;
	}
	auth = nla_data(attr);
	memset(auth, 0, sizeof(*auth));
	strcpy(auth->alg_name, AUTH_ALG);
	auth->alg_key_len = KEY_LEN * 8;
	auth->alg_trunc_len = AUTH_TRUNC_BITS;
	memcpy(auth->alg_key, key, KEY_LEN);
	err = send_wiped(msg);
	if (!err) {
		counters.sa_added++;
		log_debug("SA to %s spi 0x%08x reqid 0x%08x added",
			  addr_str(daddr), spi, reqid);
	} else if (err == -NLE_EXIST) {
		uint32_t owner = 0;

		/* Ours from before, or another peer's: never take that over. */
		if (!xfrm_sa_reqid(daddr, spi, &owner) && owner == reqid)
			err = 0;
		else
			log_warn("the SA to %s spi 0x%08x exists with reqid 0x%08x",
				 addr_str(daddr), spi, owner);
	}
out:
	xfrmnl_sa_put(sa);
	xfrmnl_sel_put(sel);
	if (lft)
		xfrmnl_ltime_cfg_put(lft);
	nl_addr_put(d);
	nl_addr_put(s);
	if (err)
		log_err("cannot add the SA to %s spi 0x%08x: %s", addr_str(daddr),
			spi, nl_geterror(err));
	return err;
}

/* Remove one SA of @reqid; 0 also if it was not there or is another's. */
int xfrm_sa_del(const struct in6_addr *daddr, uint32_t spi, uint32_t reqid)
{
	struct xfrmnl_sa *sa;
	struct nl_addr *d;
	uint32_t owner;
	int err;

	/* Never delete what may be another peer's. */
	err = xfrm_sa_reqid(daddr, spi, &owner);
	if (err)
		return err == -ENOENT ? 0 : err;
	if (owner != reqid) {
		log_debug("SA to %s spi 0x%08x left: its reqid is 0x%08x",
			  addr_str(daddr), spi, owner);
		return 0;
	}
	sa = xfrmnl_sa_alloc();
	d = nladdr(daddr, 128);
	err = -NLE_NOMEM;
	if (sa && d) {
		xfrmnl_sa_set_daddr(sa, d);
		xfrmnl_sa_set_proto(sa, IPPROTO_AH);
		xfrmnl_sa_set_spi(sa, spi);
		err = xfrmnl_sa_delete(sock, sa, 0);
	}
	xfrmnl_sa_put(sa);
	nl_addr_put(d);
	if (err == -NLE_OBJ_NOTFOUND)
		return 0;
	if (err) {
		log_err("cannot remove the SA to %s spi 0x%08x: %s",
			addr_str(daddr), spi, nl_geterror(err));
		return err;
	}
	counters.sa_removed++;
	log_debug("SA to %s spi 0x%08x removed", addr_str(daddr), spi);
	return 0;
}

static struct xfrmnl_sp *mh_policy(const struct in6_addr *daddr)
{
	struct xfrmnl_sp *sp = xfrmnl_sp_alloc();
	struct xfrmnl_sel *sel = mh_selector(daddr);

	if (!sp || !sel) {
		xfrmnl_sp_put(sp);
		xfrmnl_sel_put(sel);
		return NULL;
	}
	xfrmnl_sp_set_sel(sp, sel);
	xfrmnl_sel_put(sel);
	xfrmnl_sp_set_dir(sp, XFRM_POLICY_OUT);
	return sp;
}

/**
 * xfrm_policy_set() - the MH to @daddr goes under the SAs of @reqid
 * @daddr: a peer address
 * @reqid: the peer's reqid
 *
 * An update: a policy for @daddr that is there already is replaced, not
 * doubled.
 *
 * Return: 0, or a negative libnl error.
 */
int xfrm_policy_set(const struct in6_addr *daddr, uint32_t reqid)
{
	struct xfrmnl_sp *sp = mh_policy(daddr);
	struct xfrmnl_user_tmpl *tmpl = xfrmnl_user_tmpl_alloc();
	struct xfrmnl_ltime_cfg *lft = no_limits();
	struct nl_addr *any = nladdr(NULL, 0);
	int err = -NLE_NOMEM;

	if (!sp || !tmpl || !any || !lft) {
		xfrmnl_user_tmpl_free(tmpl);
		goto out;
	}
	xfrmnl_sp_set_lifetime_cfg(sp, lft);
	xfrmnl_sp_set_action(sp, XFRM_POLICY_ALLOW);
	xfrmnl_user_tmpl_set_family(tmpl, AF_INET6);
	xfrmnl_user_tmpl_set_daddr(tmpl, any);
	xfrmnl_user_tmpl_set_saddr(tmpl, any);
	xfrmnl_user_tmpl_set_proto(tmpl, IPPROTO_AH);
	xfrmnl_user_tmpl_set_mode(tmpl, XFRM_MODE_TRANSPORT);
	xfrmnl_user_tmpl_set_reqid(tmpl, reqid);
	xfrmnl_user_tmpl_set_aalgos(tmpl, ~0u);
	xfrmnl_user_tmpl_set_ealgos(tmpl, ~0u);
	xfrmnl_user_tmpl_set_calgos(tmpl, ~0u);
	/* The policy owns the template from here. */
	xfrmnl_sp_add_usertemplate(sp, tmpl);
	err = xfrmnl_sp_update(sock, sp, 0);
out:
	xfrmnl_sp_put(sp);
	nl_addr_put(any);
	if (lft)
		xfrmnl_ltime_cfg_put(lft);
	if (err)
		log_err("cannot set the policy to %s: %s", addr_str(daddr),
			nl_geterror(err));
	else
		log_debug("policy to %s reqid 0x%08x set", addr_str(daddr), reqid);
	return err;
}

int xfrm_policy_del(const struct in6_addr *daddr)
{
	struct xfrmnl_sp *sp = mh_policy(daddr);
	int err = -NLE_NOMEM;

	if (sp)
		err = xfrmnl_sp_delete(sock, sp, 0);
	xfrmnl_sp_put(sp);
	if (err == -NLE_OBJ_NOTFOUND)
		return 0;
	if (err) {
		log_err("cannot remove the policy to %s: %s", addr_str(daddr),
			nl_geterror(err));
		return err;
	}
	log_debug("policy to %s removed", addr_str(daddr));
	return 0;
}

static void parse_sa(struct nlmsghdr *nlh, xfrm_sa_fn fn, void *arg)
{
	struct xfrm_usersa_info *p = nlmsg_data(nlh);
	struct nlattr *tb[XFRMA_MAX + 1];
	struct xfrm_algo_auth *auth;
	struct xfrm_sa_info sa = {};

	if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*p)) ||
	    nlmsg_parse(nlh, sizeof(*p), tb, XFRMA_MAX, NULL) ||
	    p->family != AF_INET6 || p->id.proto != IPPROTO_AH ||
	    p->mode != XFRM_MODE_TRANSPORT)
		return;
	memcpy(&sa.daddr, &p->id.daddr, sizeof(sa.daddr));
	sa.spi = ntohl(p->id.spi);
	sa.reqid = p->reqid;
	sa.packets = p->curlft.packets;
	if (tb[XFRMA_ALG_AUTH_TRUNC] &&
	    nla_len(tb[XFRMA_ALG_AUTH_TRUNC]) >= (int)sizeof(*auth) + KEY_LEN) {
		auth = nla_data(tb[XFRMA_ALG_AUTH_TRUNC]);
		if (!strncmp(auth->alg_name, AUTH_ALG, sizeof(auth->alg_name)) &&
		    auth->alg_key_len == KEY_LEN * 8 &&
		    auth->alg_trunc_len == AUTH_TRUNC_BITS) {
			sa.key = (uint8_t *)auth->alg_key;
			/* lockdown=confidentiality: every key shows as zero. */
			sa.redacted = key_is_zero(sa.key);
			sa.has_key = !sa.redacted;
			if (sa.redacted)
				sa.key = NULL;
		}
	}
	fn(&sa, arg);
}

/**
 * xfrm_sa_request() - send a GETSA of our own and hand each SA to @fn
 * @msg: the request, freed here
 * @fn: gets each SA
 * @arg: for @fn
 * @intr: set if the kernel flags the dump as interrupted
 *
 * The replies, keys included, are read into the locked buffer and
 * cleared after use; libnl never sees them.
 *
 * Return: 0, or a negative errno (-ESRCH: no such SA).
 */
static int xfrm_sa_request(struct nl_msg *msg, xfrm_sa_fn fn, void *arg,
			   bool *intr)
{
	struct nlmsghdr *nlh;
	bool done = false;
	int fd = nl_socket_get_fd(sock), err, rem;
	ssize_t len;

	/* A sequence number of our own: libnl does not see the answer, and
	 * must not wait for it.
	 */
	nlmsg_hdr(msg)->nlmsg_seq = ++dump_seq;
	err = nl_send_auto(sock, msg);
	nlmsg_free(msg);
	if (err < 0) {
		log_err("cannot ask for SAs: %s", nl_geterror(err));
		return -EIO;
	}
	err = 0;
	while (!done) {
		len = recv(fd, dump_buf, sizeof(dump_buf), 0);
		if (len < 0) {
			if (errno == EINTR)
				continue;
			err = -errno;
			break;
		}
		rem = len;
		for (nlh = (struct nlmsghdr *)dump_buf; nlmsg_ok(nlh, rem);
		     nlh = nlmsg_next(nlh, &rem)) {
			if (nlh->nlmsg_seq != dump_seq)
				continue;
			if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
				*intr = true;
			if (nlh->nlmsg_type == NLMSG_DONE) {
				done = true;
				break;
			}
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = nlmsg_data(nlh);

				/* 0: the acknowledgment of a plain GETSA. */
				err = e->error;
				done = true;
				break;
			}
			if (nlh->nlmsg_type == XFRM_MSG_NEWSA)
				parse_sa(nlh, fn, arg);
		}
	}
	secret_wipe(dump_buf, sizeof(dump_buf));
	return err;
}

/**
 * xfrm_sa_dump() - call @fn for each transport-mode IPv6 AH SA
 * @fn: gets the SA; its key is valid only during the call
 * @arg: for @fn
 *
 * A dump the SAs changed under is done again: @fn may see an SA twice
 * and must not mind.
 *
 * Return: 0, or a negative errno.
 */
int xfrm_sa_dump(xfrm_sa_fn fn, void *arg)
{
	struct nl_msg *msg;
	bool intr = true;
	int tries, err = 0;

	for (tries = 0; tries < DUMP_TRIES && intr; tries++) {
		intr = false;
		/* No header, only the filter: the kernel parses the attributes
		 * of a dump request right after the nlmsghdr.
		 */
		msg = nlmsg_alloc_simple(XFRM_MSG_GETSA, NLM_F_DUMP);
		if (!msg || nla_put_u8(msg, XFRMA_PROTO, IPPROTO_AH)) {
			nlmsg_free(msg);
			return -ENOMEM;
		}
		err = xfrm_sa_request(msg, fn, arg, &intr);
		if (err)
			break;
	}
	if (!err && intr)
		err = -EAGAIN;
	if (err)
		log_err("cannot dump the SAs: %s", strerror(-err));
	return err;
}

/**
 * xfrm_sa_get() - call @fn for the AH SA at (@daddr, @spi), if any
 * @daddr: its destination
 * @spi: its SPI
 * @fn: gets the SA; its key is valid only during the call
 * @arg: for @fn
 *
 * Return: 0, -ENOENT if there is none, or another negative errno.
 */
static int xfrm_sa_get(const struct in6_addr *daddr, uint32_t spi,
		       xfrm_sa_fn fn, void *arg)
{
	struct xfrm_usersa_id id = {
		.spi = htonl(spi),
		.family = AF_INET6,
		.proto = IPPROTO_AH,
	};
	struct nl_msg *msg;
	bool intr = false;
	int err;

	memcpy(&id.daddr, daddr, sizeof(*daddr));
	msg = nlmsg_alloc_simple(XFRM_MSG_GETSA, NLM_F_ACK);
	if (!msg || nlmsg_append(msg, &id, sizeof(id), NLMSG_ALIGNTO)) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	err = xfrm_sa_request(msg, fn, arg, &intr);
	if (err == -ESRCH || err == -ENOENT)
		return -ENOENT;
	if (err)
		log_err("cannot read the SA to %s spi 0x%08x: %s",
			addr_str(daddr), spi, strerror(-err));
	return err;
}

static void take_reqid(const struct xfrm_sa_info *sa, void *arg)
{
	*(uint32_t *)arg = sa->reqid;
}

/* The reqid of the SA at (@daddr, @spi): 0, -ENOENT, or a negative errno. */
static int xfrm_sa_reqid(const struct in6_addr *daddr, uint32_t spi,
			 uint32_t *reqid)
{
	*reqid = 0;
	return xfrm_sa_get(daddr, spi, take_reqid, reqid);
}

struct policy_walk {
	xfrm_policy_fn fn;
	void *arg;
};

static void walk_policy(struct nl_object *obj, void *arg)
{
	struct xfrmnl_sp *sp = (struct xfrmnl_sp *)obj;
	struct policy_walk *w = arg;
	struct xfrmnl_user_tmpl *tmpl;
	struct xfrmnl_sel *sel;
	struct nl_addr *d;
	struct in6_addr daddr;

	sel = xfrmnl_sp_get_sel(sp);
	if (xfrmnl_sp_get_dir(sp) != XFRM_POLICY_OUT || !sel ||
	    xfrmnl_sel_get_family(sel) != AF_INET6 ||
	    xfrmnl_sel_get_proto(sel) != IPPROTO_MH_ ||
	    xfrmnl_sp_get_nusertemplates(sp) != 1)
		return;
	tmpl = xfrmnl_sp_usertemplate_n(sp, 0);
	d = xfrmnl_sel_get_daddr(sel);
	if (!tmpl || xfrmnl_user_tmpl_get_proto(tmpl) != IPPROTO_AH || !d ||
	    nl_addr_get_len(d) != sizeof(daddr))
		return;
	memcpy(&daddr, nl_addr_get_binary_addr(d), sizeof(daddr));
	w->fn(&daddr, xfrmnl_sel_get_prefixlen_d(sel),
	      xfrmnl_user_tmpl_get_reqid(tmpl), w->arg);
}

/**
 * xfrm_policy_dump() - call @fn for each output policy of the MH under AH
 * @fn: gets the policy's destination, its prefix length and reqid
 * @arg: for @fn
 *
 * Return: 0, or a negative libnl error.
 */
int xfrm_policy_dump(xfrm_policy_fn fn, void *arg)
{
	struct policy_walk w = { .fn = fn, .arg = arg };
	struct nl_cache *cache;
	int err;

	err = xfrmnl_sp_alloc_cache(sock, &cache);
	if (err) {
		log_err("cannot dump the policies: %s", nl_geterror(err));
		return err;
	}
	nl_cache_foreach(cache, walk_policy, &w);
	nl_cache_free(cache);
	return 0;
}
