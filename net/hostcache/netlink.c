// SPDX-License-Identifier: GPL-2.0
/* hostcache: generic netlink interface.
 *
 * Commands act on the caller's network namespace. Reading is open to all;
 * every changing command is flagged GENL_UNS_ADMIN_PERM.
 */

#include <net/genetlink.h>
#include <net/sock.h>
#include <linux/hostcache.h>

#include "hostcache.h"

static struct genl_family hc_genl_family;

enum hc_mcgrps {
	HC_MCGRP_EVENTS,
};

static const struct genl_multicast_group hc_mcgrps[] = {
	[HC_MCGRP_EVENTS] = { .name = HOSTCACHE_GENL_MCGRP_EVENTS },
};

static const struct nla_policy hc_addr_policy[HOSTCACHE_ADDR_A_MAX + 1] = {
	[HOSTCACHE_ADDR_A_ADDR] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[HOSTCACHE_ADDR_A_STATE] = { .type = NLA_REJECT },
	[HOSTCACHE_ADDR_A_FLAGS] =
		NLA_POLICY_MASK(NLA_U32, HOSTCACHE_ADDR_F_VERIFIED),
	[HOSTCACHE_ADDR_A_LIFETIME] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &hc_lifetime_range),
	[HOSTCACHE_ADDR_A_BID] = NLA_POLICY_MIN(NLA_U16, 1),
	[HOSTCACHE_ADDR_A_EXPIRES] = { .type = NLA_REJECT },
	[HOSTCACHE_ADDR_A_IDLE] = { .type = NLA_REJECT },
};

static const struct nla_policy hc_foreign_policy[HOSTCACHE_FOREIGN_A_MAX + 1] = {
	[HOSTCACHE_FOREIGN_A_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[HOSTCACHE_FOREIGN_A_FLAGS] =
		NLA_POLICY_MASK(NLA_U32, HOSTCACHE_FOREIGN_F_TRUSTED |
					 HOSTCACHE_FOREIGN_F_HOMELESS |
					 HOSTCACHE_FOREIGN_F_ORDINARY),
	[HOSTCACHE_FOREIGN_A_ADDR] = NLA_POLICY_NESTED(hc_addr_policy),
	[HOSTCACHE_FOREIGN_A_REASON] = { .type = NLA_REJECT },
	[HOSTCACHE_FOREIGN_A_AH_REQID] = { .type = NLA_U32 },
};

/* A local entry's address is just an address. */
static const struct nla_policy hc_laddr_policy[HOSTCACHE_ADDR_A_MAX + 1] = {
	[HOSTCACHE_ADDR_A_ADDR] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[HOSTCACHE_ADDR_A_STATE] = { .type = NLA_REJECT },
	[HOSTCACHE_ADDR_A_FLAGS] = { .type = NLA_REJECT },
	[HOSTCACHE_ADDR_A_LIFETIME] = { .type = NLA_REJECT },
	[HOSTCACHE_ADDR_A_BID] = { .type = NLA_REJECT },
	[HOSTCACHE_ADDR_A_EXPIRES] = { .type = NLA_REJECT },
	[HOSTCACHE_ADDR_A_IDLE] = { .type = NLA_REJECT },
};

static const struct nla_policy hc_local_policy[HOSTCACHE_LOCAL_A_MAX + 1] = {
	[HOSTCACHE_LOCAL_A_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[HOSTCACHE_LOCAL_A_ADDR] = NLA_POLICY_NESTED(hc_laddr_policy),
};

static const struct nla_policy hc_set_params_policy[HOSTCACHE_A_MAX + 1] = {
	[HOSTCACHE_A_PARAMS] = { .type = NLA_NESTED },
};

static const struct nla_policy hc_foreign_req_policy[HOSTCACHE_A_MAX + 1] = {
	[HOSTCACHE_A_FOREIGN] = NLA_POLICY_NESTED(hc_foreign_policy),
};

static const struct nla_policy hc_local_req_policy[HOSTCACHE_A_MAX + 1] = {
	[HOSTCACHE_A_LOCAL] = NLA_POLICY_NESTED(hc_local_policy),
};

/* Address requests name a foreign or a local entry. */
static const struct nla_policy hc_addr_req_policy[HOSTCACHE_A_MAX + 1] = {
	[HOSTCACHE_A_FOREIGN] = NLA_POLICY_NESTED(hc_foreign_policy),
	[HOSTCACHE_A_LOCAL] = NLA_POLICY_NESTED(hc_local_policy),
};

/* The largest reply with one entry, some 1,200 local addresses: 32 KiB
 * with the skb's overhead, as costlier allocations fail easily. A dump
 * takes an entry of any size, over several messages.
 */
#define HC_REPLY_MAX	(8 * NLMSG_DEFAULT_SIZE)

/* Start a reply to @info of @size bytes of payload, or return NULL after
 * freeing the skb.
 */
static void *hc_genl_reply_sized(struct sk_buff **skbp, struct genl_info *info,
				 size_t size)
{
	struct sk_buff *skb;
	void *hdr;

	skb = genlmsg_new(size, GFP_KERNEL);
	if (!skb)
		return NULL;
	hdr = genlmsg_put_reply(skb, info, &hc_genl_family, 0,
				info->genlhdr->cmd);
	if (!hdr) {
		nlmsg_free(skb);
		return NULL;
	}
	*skbp = skb;
	return hdr;
}

/* Start a reply to @info, or return NULL after freeing the skb. */
static void *hc_genl_reply_start(struct sk_buff **skbp, struct genl_info *info)
{
	return hc_genl_reply_sized(skbp, info, NLMSG_DEFAULT_SIZE);
}

/**
 * struct hc_kind - a kind of entry (foreign, local), as the replies and
 *	dumps walk it
 * @lock: the lock that keeps @entries and @seq still
 * @entries: the entries, by ID
 * @seq: changes with every change, for genl_dump_check_consistent()
 * @cmd: the command dump messages carry
 * @fill: puts one entry into a message, its addresses from the *@from'th
 *	on: 0 once all are in, 1 if the message is full with *@from the
 *	first left out, -EMSGSIZE if not one address fitted
 * @owner: passed to @fill
 */
struct hc_kind {
	spinlock_t *lock;	/* the entries' writers' lock */
	struct xarray *entries;
	const u32 *seq;
	u8 cmd;
	int (*fill)(struct sk_buff *skb, void *owner, void *entry,
		    unsigned long *from);
	void *owner;
};

/* Reply with entry @id as it is now, in one message; -ENOENT if there is
 * none. The message grows until the entry fits, up to HC_REPLY_MAX.
 */
static int hc_reply_entry(struct genl_info *info, const struct hc_kind *k,
			  u32 id)
{
	size_t size = NLMSG_DEFAULT_SIZE;
	unsigned long from;
	struct sk_buff *skb;
	void *hdr, *entry;
	int err;

	for (;;) {
		hdr = hc_genl_reply_sized(&skb, info, size);
		if (!hdr)
			return -ENOMEM;
		from = 0;
		spin_lock_bh(k->lock);
		entry = xa_load(k->entries, id);
		err = entry ? k->fill(skb, k->owner, entry, &from) : -ENOENT;
		spin_unlock_bh(k->lock);
		if (!err)
			break;
		nlmsg_free(skb);
		if (err < 0)
			return err;
		if (size >= HC_REPLY_MAX) {
			NL_SET_ERR_MSG_MOD(info->extack,
					   "entry too large for one reply: dump the entries");
			return -EMSGSIZE;
		}
		size *= 2;
	}
	genlmsg_end(skb, hdr);
	return genlmsg_reply(skb, info);
}

/* Dump entries in ID order, a message each, from where the last call
 * stopped; an entry too large for one message goes on in the next, with
 * its ID again and the addresses left. Each call holds the lock; a change
 * between calls marks the dump interrupted.
 */
static int hc_dump_entries(struct sk_buff *skb, struct netlink_callback *cb,
			   const struct hc_kind *k)
{
	unsigned long index = cb->args[0];
	void *entry, *hdr;
	int err = 0;

	spin_lock_bh(k->lock);
	cb->seq = *k->seq;
	xa_for_each_start(k->entries, index, entry, index) {
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &hc_genl_family,
				  NLM_F_MULTI, k->cmd);
		if (!hdr) {
			err = -EMSGSIZE;
			break;
		}
		genl_dump_check_consistent(cb, hdr);
		err = k->fill(skb, k->owner, entry, &cb->args[1]);
		if (err < 0) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		if (err)
			break;
		cb->args[1] = 0;
	}
	spin_unlock_bh(k->lock);
	/* Go on from the entry that did not fit, or past the last one. */
	cb->args[0] = err ? index : ULONG_MAX;
	if (err < 0 && !skb->len)
		return err;
	return skb->len;
}

static int hc_genl_get_info(struct sk_buff *unused, struct genl_info *info)
{
	struct sk_buff *skb;
	void *hdr;

	hdr = hc_genl_reply_start(&skb, info);
	if (!hdr)
		return -ENOMEM;
	if (nla_put_string(skb, HOSTCACHE_A_VERSION, HOSTCACHE_VERSION) ||
	    nla_put_u32(skb, HOSTCACHE_A_GENL_VERSION, HOSTCACHE_GENL_VERSION)) {
		nlmsg_free(skb);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return genlmsg_reply(skb, info);
}

static int hc_genl_get_params(struct sk_buff *unused, struct genl_info *info)
{
	struct hc_net *hn = hc_net(genl_info_net(info));
	struct sk_buff *skb;
	void *hdr;
	int err;

	hdr = hc_genl_reply_start(&skb, info);
	if (!hdr)
		return -ENOMEM;
	err = hc_params_fill(skb, &hn->params);
	if (err) {
		nlmsg_free(skb);
		return err;
	}
	genlmsg_end(skb, hdr);
	return genlmsg_reply(skb, info);
}

static int hc_genl_set_params(struct sk_buff *unused, struct genl_info *info)
{
	struct nlattr *tb[HOSTCACHE_PARAM_A_MAX + 1];
	struct net *net = genl_info_net(info);
	struct hc_net *hn = hc_net(net);
	struct nlattr *on;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, HOSTCACHE_A_PARAMS))
		return -EINVAL;
	err = hc_params_parse(tb, info->attrs[HOSTCACHE_A_PARAMS],
			      info->extack);
	if (err)
		return err;

	mutex_lock(&hn->lock);
	/* The switch first: it alone can fail, and then nothing changes. */
	on = tb[HOSTCACHE_PARAM_A_ENABLED];
	if (on) {
		err = hc_net_enable(net, hn, nla_get_u8(on));
		if (err) {
			NL_SET_ERR_MSG_ATTR(info->extack, on,
					    "cannot register the module's hooks");
			goto unlock;
		}
	}
	hc_params_apply(&hn->params, tb);
unlock:
	mutex_unlock(&hn->lock);
	return err;
}

/* Changes to the foreign entries wait for hc_net_enable() (hc_net.lock)
 * and are refused while the module is off in the namespace: it is to
 * behave as without the module.
 */
static int hc_genl_lock_enabled(struct hc_net *hn, struct genl_info *info)
{
	mutex_lock(&hn->lock);
	if (hc_enabled(hn))
		return 0;
	mutex_unlock(&hn->lock);
	NL_SET_ERR_MSG_MOD(info->extack,
			   "hostcache is off in this namespace (param enabled)");
	return -ENETDOWN;
}

/* Seconds from @now to @then, 0 if @then has passed. */
static u32 hc_seconds_until(unsigned long then, unsigned long now)
{
	return time_after(then, now) ? (then - now) / HZ : 0;
}

static int hc_fill_addr(struct sk_buff *skb, const struct hc_cache *cache,
			const struct hc_faddr *fa, unsigned long now)
{
	unsigned long last_used = READ_ONCE(fa->last_used);
	struct nlattr *nest;

	nest = nla_nest_start(skb, HOSTCACHE_FOREIGN_A_ADDR);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_in6_addr(skb, HOSTCACHE_ADDR_A_ADDR, &fa->addr) ||
	    nla_put_u8(skb, HOSTCACHE_ADDR_A_STATE, fa->state) ||
	    nla_put_u32(skb, HOSTCACHE_ADDR_A_FLAGS, fa->flags) ||
	    (fa->bid && nla_put_u16(skb, HOSTCACHE_ADDR_A_BID, fa->bid)) ||
	    nla_put_u32(skb, HOSTCACHE_ADDR_A_EXPIRES,
			hc_seconds_until(hc_faddr_deadline(cache, fa), now)) ||
	    nla_put_u32(skb, HOSTCACHE_ADDR_A_IDLE,
			time_after(now, last_used) ? (now - last_used) / HZ : 0)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* An entry's nest @nest in @skb is full at its @next'th address: end it
 * there if addresses from *@from on went in, and have the next message
 * start at @next, as &struct hc_kind's fill; else take it out.
 */
static int hc_fill_rest(struct sk_buff *skb, struct nlattr *nest,
			unsigned long *from, unsigned long next)
{
	if (!from || next == *from) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	*from = next;
	return 1;
}

/* Put a %HOSTCACHE_A_FOREIGN nest for @fe: only @only, or its addresses
 * from the *@from'th on, as &struct hc_kind's fill (all of them or
 * -EMSGSIZE if @from is NULL). The caller holds the cache's lock.
 */
static int hc_fill_foreign(struct sk_buff *skb, const struct hc_cache *cache,
			   const struct hc_foreign *fe,
			   const struct hc_faddr *only, int reason,
			   unsigned long *from)
{
	unsigned long i = 0, first = from ? *from : 0;
	unsigned long now = jiffies;
	const struct hc_faddr *fa;
	struct nlattr *nest;

	nest = nla_nest_start(skb, HOSTCACHE_A_FOREIGN);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, HOSTCACHE_FOREIGN_A_ID, fe->id) ||
	    nla_put_u32(skb, HOSTCACHE_FOREIGN_A_FLAGS, fe->flags |
			(hc_foreign_ordinary(cache, fe) ?
			 HOSTCACHE_FOREIGN_F_ORDINARY : 0)) ||
	    (fe->ah_reqid &&
	     nla_put_u32(skb, HOSTCACHE_FOREIGN_A_AH_REQID, fe->ah_reqid)) ||
	    (reason >= 0 && nla_put_u8(skb, HOSTCACHE_FOREIGN_A_REASON, reason)))
		goto err;
	if (only) {
		if (hc_fill_addr(skb, cache, only, now))
			goto err;
	} else {
		list_for_each_entry(fa, &fe->addrs, list) {
			if (i++ < first)
				continue;
			if (hc_fill_addr(skb, cache, fa, now))
				return hc_fill_rest(skb, nest, from, i - 1);
		}
	}
	nla_nest_end(skb, nest);
	return 0;
err:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

/* Start an event message for @net's listeners; NULL if none listens. */
static struct sk_buff *hc_event_start(struct net *net, u8 cmd, void **hdr)
{
	struct sk_buff *skb;

	if (!net || !genl_has_listeners(&hc_genl_family, net, HC_MCGRP_EVENTS))
		return NULL;
	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_ATOMIC);
	if (!skb)
		return NULL;
	*hdr = genlmsg_put(skb, 0, 0, &hc_genl_family, 0, cmd);
	if (!*hdr) {
		nlmsg_free(skb);
		return NULL;
	}
	return skb;
}

/* Send an event filled without error (@err 0), or drop it. */
static void hc_event_send(struct net *net, struct sk_buff *skb, void *hdr,
			  int err)
{
	if (err) {
		nlmsg_free(skb);
		return;
	}
	genlmsg_end(skb, hdr);
	genlmsg_multicast_netns(&hc_genl_family, net, skb, 0, HC_MCGRP_EVENTS,
				GFP_ATOMIC);
}

/* Send an event about @fe, or one address of it, if anyone listens. */
static void hc_notify(struct hc_cache *cache, const struct hc_foreign *fe,
		      const struct hc_faddr *only, u8 cmd, int reason)
{
	struct sk_buff *skb;
	void *hdr;

	skb = hc_event_start(cache->net, cmd, &hdr);
	if (skb)
		hc_event_send(cache->net, skb, hdr,
			      hc_fill_foreign(skb, cache, fe, only, reason,
					      NULL));
}

/**
 * hc_notify_foreign() - report a change of a foreign entry
 * @cache: the cache; the caller holds its lock
 * @fe: the entry
 * @cmd: %HOSTCACHE_CMD_NEW_FOREIGN, _DEL_FOREIGN, _SET_FOREIGN or _ACQUIRE
 * @reason: for _DEL_FOREIGN, &enum hostcache_reason
 */
void hc_notify_foreign(struct hc_cache *cache, const struct hc_foreign *fe,
		       u8 cmd, int reason)
{
	hc_notify(cache, fe, NULL, cmd,
		  cmd == HOSTCACHE_CMD_DEL_FOREIGN ? reason : -1);
}

/**
 * hc_notify_addr() - report an added, changed or removed address
 * @cache: the cache; the caller holds its lock
 * @fa: the address
 * @cmd: %HOSTCACHE_CMD_NEW_ADDR or _DEL_ADDR
 */
void hc_notify_addr(struct hc_cache *cache, const struct hc_faddr *fa, u8 cmd)
{
	hc_notify(cache, fa->entry, fa, cmd, -1);
}

/* The request's %HOSTCACHE_A_FOREIGN nest, parsed; or an error. */
static int hc_parse_foreign(struct genl_info *info, struct nlattr **tb)
{
	if (GENL_REQ_ATTR_CHECK(info, HOSTCACHE_A_FOREIGN))
		return -EINVAL;
	return nla_parse_nested(tb, HOSTCACHE_FOREIGN_A_MAX,
				info->attrs[HOSTCACHE_A_FOREIGN],
				hc_foreign_policy, info->extack);
}

static int hc_require(struct genl_info *info, struct nlattr **tb, int type)
{
	if (tb[type])
		return 0;
	NL_SET_ERR_ATTR_MISS(info->extack, info->attrs[HOSTCACHE_A_FOREIGN],
			     type);
	return -EINVAL;
}

/* Read the addresses of the request's @nest_type nest, each a @addr_type
 * nest checked against @policy, into an array the caller frees: at least
 * one, at most HOSTCACHE_MAX_ADDRS_MAX.
 */
static int hc_parse_addrs(struct genl_info *info, int nest_type, int addr_type,
			  const struct nla_policy *policy,
			  struct hc_faddr_spec **specsp, unsigned int *np)
{
	struct nlattr *nest = info->attrs[nest_type];
	struct nlattr *tb[HOSTCACHE_ADDR_A_MAX + 1];
	struct hc_faddr_spec *specs, *spec;
	unsigned int n = 0;
	struct nlattr *attr;
	int rem, err;

	nla_for_each_nested(attr, nest, rem)
		n += nla_type(attr) == addr_type;
	if (!n) {
		NL_SET_ERR_ATTR_MISS(info->extack, nest, addr_type);
		return -EINVAL;
	}
	if (n > HOSTCACHE_MAX_ADDRS_MAX) {
		NL_SET_ERR_MSG_ATTR(info->extack, nest,
				    "more addresses than an entry may hold");
		return -E2BIG;
	}
	specs = kcalloc(n, sizeof(*specs), GFP_KERNEL);
	if (!specs)
		return -ENOMEM;

	spec = specs;
	nla_for_each_nested(attr, nest, rem) {
		if (nla_type(attr) != addr_type)
			continue;
		err = nla_parse_nested(tb, HOSTCACHE_ADDR_A_MAX, attr, policy,
				       info->extack);
		if (err)
			goto err;
		if (!tb[HOSTCACHE_ADDR_A_ADDR]) {
			NL_SET_ERR_ATTR_MISS(info->extack, attr,
					     HOSTCACHE_ADDR_A_ADDR);
			err = -EINVAL;
			goto err;
		}
		spec->attr = attr;
		spec->addr = nla_get_in6_addr(tb[HOSTCACHE_ADDR_A_ADDR]);
		/* Only the foreign policy lets these through. */
		if (tb[HOSTCACHE_ADDR_A_LIFETIME])
			spec->lifetime = nla_get_u32(tb[HOSTCACHE_ADDR_A_LIFETIME]);
		if (tb[HOSTCACHE_ADDR_A_BID])
			spec->bid = nla_get_u16(tb[HOSTCACHE_ADDR_A_BID]);
		if (tb[HOSTCACHE_ADDR_A_FLAGS])
			spec->flags = nla_get_u32(tb[HOSTCACHE_ADDR_A_FLAGS]);
		spec++;
	}
	*specsp = specs;
	*np = n;
	return 0;
err:
	kfree(specs);
	return err;
}

static int hc_parse_specs(struct genl_info *info,
			  struct hc_faddr_spec **specsp, unsigned int *np)
{
	return hc_parse_addrs(info, HOSTCACHE_A_FOREIGN, HOSTCACHE_FOREIGN_A_ADDR,
			      hc_addr_policy, specsp, np);
}

static int hc_put_foreign(struct sk_buff *skb, void *cache, void *fe,
			  unsigned long *from)
{
	return hc_fill_foreign(skb, cache, fe, NULL, -1, from);
}

static struct hc_kind hc_foreign_kind(struct hc_cache *cache)
{
	return (struct hc_kind){
		.lock = &cache->lock,
		.entries = &cache->entries,
		.seq = &cache->seq,
		.cmd = HOSTCACHE_CMD_GET_FOREIGN,
		.fill = hc_put_foreign,
		.owner = cache,
	};
}

/* Reply with the entry @id as it is now. */
static int hc_reply_foreign(struct genl_info *info, struct hc_cache *cache,
			    u32 id)
{
	const struct hc_kind k = hc_foreign_kind(cache);
	int err = hc_reply_entry(info, &k, id);

	if (err == -ENOENT)
		NL_SET_ERR_MSG_MOD(info->extack, "no such foreign entry");
	return err;
}

static int hc_genl_dump_foreign(struct sk_buff *skb, struct netlink_callback *cb)
{
	const struct hc_kind k = hc_foreign_kind(&hc_net(sock_net(skb->sk))->cache);

	return hc_dump_entries(skb, cb, &k);
}

static int hc_genl_new_foreign(struct sk_buff *unused, struct genl_info *info)
{
	struct hc_net *hn = hc_net(genl_info_net(info));
	struct nlattr *tb[HOSTCACHE_FOREIGN_A_MAX + 1];
	struct hc_faddr_spec *specs;
	u32 flags = 0, reqid = 0, id;
	unsigned int n;
	int err;

	err = hc_parse_foreign(info, tb);
	if (err)
		return err;
	if (tb[HOSTCACHE_FOREIGN_A_ID]) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[HOSTCACHE_FOREIGN_A_ID],
				    "the module chooses the ID of a new entry");
		return -EINVAL;
	}
	if (tb[HOSTCACHE_FOREIGN_A_FLAGS])
		flags = nla_get_u32(tb[HOSTCACHE_FOREIGN_A_FLAGS]);
	if (flags & HOSTCACHE_FOREIGN_F_ORDINARY) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[HOSTCACHE_FOREIGN_A_FLAGS],
				    "an entry becomes ordinary by a change, once it exists");
		return -EINVAL;
	}
	if (tb[HOSTCACHE_FOREIGN_A_AH_REQID])
		reqid = nla_get_u32(tb[HOSTCACHE_FOREIGN_A_AH_REQID]);
	err = hc_parse_specs(info, &specs, &n);
	if (err)
		return err;
	err = hc_genl_lock_enabled(hn, info);
	if (err)
		goto free;
	err = hc_foreign_create(&hn->cache, specs, n, flags, reqid, jiffies,
				GFP_KERNEL_ACCOUNT, &id, info->extack);
	if (!err)
		hc_gc_start(hn);
	mutex_unlock(&hn->lock);
free:
	kfree(specs);
	if (err)
		return err;
	return hc_reply_foreign(info, &hn->cache, id);
}

static int hc_genl_del_foreign(struct sk_buff *unused, struct genl_info *info)
{
	struct hc_net *hn = hc_net(genl_info_net(info));
	struct nlattr *tb[HOSTCACHE_FOREIGN_A_MAX + 1];
	int err;

	err = hc_parse_foreign(info, tb);
	if (!err)
		err = hc_require(info, tb, HOSTCACHE_FOREIGN_A_ID);
	if (err)
		return err;
	return hc_foreign_delete(&hn->cache,
				 nla_get_u32(tb[HOSTCACHE_FOREIGN_A_ID]),
				 info->extack);
}

static int hc_genl_set_foreign(struct sk_buff *unused, struct genl_info *info)
{
	struct hc_net *hn = hc_net(genl_info_net(info));
	struct nlattr *tb[HOSTCACHE_FOREIGN_A_MAX + 1];
	struct hc_foreign_change chg = {};
	bool found_ordinary;
	u32 id;
	int err;

	err = hc_parse_foreign(info, tb);
	if (!err)
		err = hc_require(info, tb, HOSTCACHE_FOREIGN_A_ID);
	if (err)
		return err;
	if (tb[HOSTCACHE_FOREIGN_A_FLAGS]) {
		chg.set_flags = true;
		chg.flags = nla_get_u32(tb[HOSTCACHE_FOREIGN_A_FLAGS]);
	}
	if (tb[HOSTCACHE_FOREIGN_A_AH_REQID]) {
		chg.set_ah_reqid = true;
		chg.ah_reqid = nla_get_u32(tb[HOSTCACHE_FOREIGN_A_AH_REQID]);
	}
	if (!chg.set_flags && !chg.set_ah_reqid) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[HOSTCACHE_A_FOREIGN],
				    "nothing to change: give flags or an AH reqid");
		return -EINVAL;
	}
	id = nla_get_u32(tb[HOSTCACHE_FOREIGN_A_ID]);
	err = hc_genl_lock_enabled(hn, info);
	if (err)
		return err;
	found_ordinary = chg.flags & HOSTCACHE_FOREIGN_F_ORDINARY &&
			 !hc_foreign_id_ordinary(&hn->cache, id);
	err = hc_foreign_set(&hn->cache, id, &chg, info->extack);
	if (!err && chg.ah_reqid)
		hc_sa_named(hn, id);
	if (!err && found_ordinary)
		atomic64_inc(&hn->mh_stats[HC_STAT_ORDINARY]);
	mutex_unlock(&hn->lock);
	if (err)
		return err;
	return hc_reply_foreign(info, &hn->cache, id);
}

/* GET by ID, or by one of the entry's addresses. */
static int hc_genl_get_foreign(struct sk_buff *unused, struct genl_info *info)
{
	struct hc_net *hn = hc_net(genl_info_net(info));
	struct nlattr *tb[HOSTCACHE_FOREIGN_A_MAX + 1];
	struct hc_faddr_spec *specs;
	struct hc_faddr *fa;
	unsigned int n;
	u32 id = 0;
	int err;

	err = hc_parse_foreign(info, tb);
	if (err)
		return err;
	if (tb[HOSTCACHE_FOREIGN_A_ID])
		return hc_reply_foreign(info, &hn->cache,
					nla_get_u32(tb[HOSTCACHE_FOREIGN_A_ID]));
	err = hc_parse_specs(info, &specs, &n);
	if (err) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "name the entry by ID or by one address");
		return err;
	}
	rcu_read_lock();
	fa = hc_faddr_lookup(&hn->cache, &specs[0].addr);
	if (fa)
		id = fa->entry->id;
	rcu_read_unlock();
	kfree(specs);
	if (!id) {
		NL_SET_ERR_MSG_MOD(info->extack, "no foreign entry has this address");
		return -ENOENT;
	}
	return hc_reply_foreign(info, &hn->cache, id);
}

static int hc_fill_laddr(struct sk_buff *skb, const struct hc_laddr *la)
{
	struct nlattr *nest = nla_nest_start(skb, HOSTCACHE_LOCAL_A_ADDR);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_in6_addr(skb, HOSTCACHE_ADDR_A_ADDR, &la->addr)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* Put a %HOSTCACHE_A_LOCAL nest for @entry: only @only, or its addresses
 * from the *@from'th on, as &struct hc_kind's fill (all of them or
 * -EMSGSIZE if @from is NULL).
 */
static int hc_fill_local(struct sk_buff *skb, const struct hc_local *entry,
			 const struct hc_laddr *only, unsigned long *from)
{
	unsigned long i = 0, first = from ? *from : 0;
	const struct hc_laddr *la;
	struct nlattr *nest;

	nest = nla_nest_start(skb, HOSTCACHE_A_LOCAL);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, HOSTCACHE_LOCAL_A_ID, entry->id))
		goto err;
	list_for_each_entry(la, &entry->addrs, list) {
		if ((only && la != only) || i++ < first)
			continue;
		if (hc_fill_laddr(skb, la))
			return hc_fill_rest(skb, nest, from, i - 1);
	}
	nla_nest_end(skb, nest);
	return 0;
err:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

/**
 * hc_notify_local() - report a change of a local entry
 * @locals: the local entries; the caller holds their lock
 * @entry: the entry
 * @only: the one address concerned, or NULL for the whole entry
 * @cmd: %HOSTCACHE_CMD_NEW_LOCAL, _DEL_LOCAL, _NEW_ADDR or _DEL_ADDR
 */
void hc_notify_local(struct hc_locals *locals, const struct hc_local *entry,
		     const struct hc_laddr *only, u8 cmd)
{
	struct sk_buff *skb;
	void *hdr;

	skb = hc_event_start(locals->net, cmd, &hdr);
	if (skb)
		hc_event_send(locals->net, skb, hdr,
			      hc_fill_local(skb, entry, only, NULL));
}

static int hc_parse_local(struct genl_info *info, struct nlattr **tb)
{
	if (GENL_REQ_ATTR_CHECK(info, HOSTCACHE_A_LOCAL))
		return -EINVAL;
	return nla_parse_nested(tb, HOSTCACHE_LOCAL_A_MAX,
				info->attrs[HOSTCACHE_A_LOCAL],
				hc_local_policy, info->extack);
}

static int hc_parse_laddrs(struct genl_info *info,
			   struct hc_faddr_spec **specsp, unsigned int *np)
{
	return hc_parse_addrs(info, HOSTCACHE_A_LOCAL, HOSTCACHE_LOCAL_A_ADDR,
			      hc_laddr_policy, specsp, np);
}

static int hc_put_local(struct sk_buff *skb, void *locals, void *entry,
			unsigned long *from)
{
	return hc_fill_local(skb, entry, NULL, from);
}

static struct hc_kind hc_local_kind(struct hc_locals *locals)
{
	return (struct hc_kind){
		.lock = &locals->lock,
		.entries = &locals->entries,
		.seq = &locals->seq,
		.cmd = HOSTCACHE_CMD_GET_LOCAL,
		.fill = hc_put_local,
		.owner = locals,
	};
}

static int hc_reply_local(struct genl_info *info, struct hc_locals *locals,
			  u32 id)
{
	const struct hc_kind k = hc_local_kind(locals);
	int err = hc_reply_entry(info, &k, id);

	if (err == -ENOENT)
		NL_SET_ERR_MSG_MOD(info->extack, "no such local entry");
	return err;
}

static int hc_genl_dump_local(struct sk_buff *skb, struct netlink_callback *cb)
{
	const struct hc_kind k = hc_local_kind(&hc_net(sock_net(skb->sk))->locals);

	return hc_dump_entries(skb, cb, &k);
}

static int hc_genl_new_local(struct sk_buff *unused, struct genl_info *info)
{
	struct hc_locals *locals = &hc_net(genl_info_net(info))->locals;
	struct nlattr *tb[HOSTCACHE_LOCAL_A_MAX + 1];
	struct hc_faddr_spec *specs;
	unsigned int n;
	u32 id;
	int err;

	err = hc_parse_local(info, tb);
	if (err)
		return err;
	if (tb[HOSTCACHE_LOCAL_A_ID]) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[HOSTCACHE_LOCAL_A_ID],
				    "the module chooses the ID of a new entry");
		return -EINVAL;
	}
	err = hc_parse_laddrs(info, &specs, &n);
	if (err)
		return err;
	err = hc_local_create(locals, specs, n, &id, info->extack);
	kfree(specs);
	return err ?: hc_reply_local(info, locals, id);
}

static int hc_genl_del_local(struct sk_buff *unused, struct genl_info *info)
{
	struct hc_locals *locals = &hc_net(genl_info_net(info))->locals;
	struct nlattr *tb[HOSTCACHE_LOCAL_A_MAX + 1];
	int err;

	err = hc_parse_local(info, tb);
	if (err)
		return err;
	if (!tb[HOSTCACHE_LOCAL_A_ID]) {
		NL_SET_ERR_ATTR_MISS(info->extack, info->attrs[HOSTCACHE_A_LOCAL],
				     HOSTCACHE_LOCAL_A_ID);
		return -EINVAL;
	}
	return hc_local_delete(locals, nla_get_u32(tb[HOSTCACHE_LOCAL_A_ID]),
			       info->extack);
}

static int hc_genl_get_local(struct sk_buff *unused, struct genl_info *info)
{
	struct hc_locals *locals = &hc_net(genl_info_net(info))->locals;
	struct nlattr *tb[HOSTCACHE_LOCAL_A_MAX + 1];
	int err;

	err = hc_parse_local(info, tb);
	if (err)
		return err;
	if (!tb[HOSTCACHE_LOCAL_A_ID]) {
		NL_SET_ERR_ATTR_MISS(info->extack, info->attrs[HOSTCACHE_A_LOCAL],
				     HOSTCACHE_LOCAL_A_ID);
		return -EINVAL;
	}
	return hc_reply_local(info, locals, nla_get_u32(tb[HOSTCACHE_LOCAL_A_ID]));
}

/* NEW_ADDR and DEL_ADDR for a local entry: one address at a time. */
static int hc_genl_local_addr(struct genl_info *info, bool add)
{
	struct hc_locals *locals = &hc_net(genl_info_net(info))->locals;
	struct nlattr *tb[HOSTCACHE_LOCAL_A_MAX + 1];
	struct hc_faddr_spec *specs;
	unsigned int n;
	u32 id;
	int err;

	err = hc_parse_local(info, tb);
	if (err)
		return err;
	if (!tb[HOSTCACHE_LOCAL_A_ID]) {
		NL_SET_ERR_ATTR_MISS(info->extack, info->attrs[HOSTCACHE_A_LOCAL],
				     HOSTCACHE_LOCAL_A_ID);
		return -EINVAL;
	}
	id = nla_get_u32(tb[HOSTCACHE_LOCAL_A_ID]);
	err = hc_parse_laddrs(info, &specs, &n);
	if (err)
		return err;
	if (n != 1) {
		NL_SET_ERR_MSG_MOD(info->extack, "one address at a time");
		err = -EINVAL;
	} else if (add) {
		err = hc_local_add_addr(locals, id, &specs[0].addr, info->extack);
	} else {
		err = hc_local_del_addr(locals, id, &specs[0].addr, info->extack);
	}
	kfree(specs);
	return err;
}

/* NEW_ADDR and DEL_ADDR for a foreign entry; removal one at a time. */
static int hc_genl_foreign_addr(struct genl_info *info, bool add)
{
	struct hc_net *hn = hc_net(genl_info_net(info));
	struct nlattr *tb[HOSTCACHE_FOREIGN_A_MAX + 1];
	struct hc_faddr_spec *specs;
	unsigned int n;
	u32 id;
	int err;

	err = hc_parse_foreign(info, tb);
	if (!err)
		err = hc_require(info, tb, HOSTCACHE_FOREIGN_A_ID);
	if (!err)
		err = hc_parse_specs(info, &specs, &n);
	if (err)
		return err;
	id = nla_get_u32(tb[HOSTCACHE_FOREIGN_A_ID]);
	if (add) {
		err = hc_genl_lock_enabled(hn, info);
		if (!err) {
			err = hc_foreign_add_addrs(&hn->cache, id, specs, n,
						   jiffies, GFP_KERNEL_ACCOUNT,
						   info->extack);
			mutex_unlock(&hn->lock);
		}
	} else if (n == 1) {
		err = hc_foreign_del_addr(&hn->cache, id, &specs[0].addr,
					  info->extack);
	} else {
		NL_SET_ERR_MSG_MOD(info->extack, "remove one address at a time");
		err = -EINVAL;
	}
	kfree(specs);
	return err;
}

/* The address commands act on a foreign or on a local entry. */
static int hc_genl_addr(struct genl_info *info, bool add)
{
	if (info->attrs[HOSTCACHE_A_FOREIGN] && info->attrs[HOSTCACHE_A_LOCAL]) {
		NL_SET_ERR_MSG_MOD(info->extack, "name a foreign or a local entry, not both");
		return -EINVAL;
	}
	if (info->attrs[HOSTCACHE_A_LOCAL])
		return hc_genl_local_addr(info, add);
	return hc_genl_foreign_addr(info, add);
}

static int hc_genl_new_addr(struct sk_buff *unused, struct genl_info *info)
{
	return hc_genl_addr(info, true);
}

static int hc_genl_del_addr(struct sk_buff *unused, struct genl_info *info)
{
	return hc_genl_addr(info, false);
}

/* The netlink attribute of each Mobility Header receive counter. */
static const u16 hc_mh_stat_attrs[HC_MH_STAT_MAX] = {
	[HC_MH_OK] = HOSTCACHE_STATS_A_MH_WELL_FORMED,
	[HC_MH_ERR_SHORT] = HOSTCACHE_STATS_A_MH_SHORT,
	[HC_MH_ERR_LENGTH] = HOSTCACHE_STATS_A_MH_LENGTH,
	[HC_MH_ERR_PROTO] = HOSTCACHE_STATS_A_MH_PROTO,
	[HC_MH_ERR_CSUM] = HOSTCACHE_STATS_A_MH_CHECKSUM,
	[HC_MH_ERR_TYPE] = HOSTCACHE_STATS_A_MH_TYPE,
	[HC_MH_ERR_OPTION] = HOSTCACHE_STATS_A_MH_OPTION,
	[HC_MH_ERR_OPTLEN] = HOSTCACHE_STATS_A_MH_OPTION_LENGTH,
	[HC_MH_ERR_PREFIXES] = HOSTCACHE_STATS_A_MH_PREFIXES,
	[HC_MH_ERR_BID_LEN] = HOSTCACHE_STATS_A_MH_BID_LENGTH,
	[HC_MH_ERR_TOO_MANY] = HOSTCACHE_STATS_A_MH_TOO_MANY,
	[HC_MH_STAT_RECEIVED] = HOSTCACHE_STATS_A_MH_RECEIVED,
	[HC_MH_STAT_UNAUTHENTICATED] = HOSTCACHE_STATS_A_MH_UNAUTHENTICATED,
	[HC_MH_STAT_BU_ACCEPTED] = HOSTCACHE_STATS_A_MH_BU_ACCEPTED,
	[HC_MH_STAT_BU_REJECTED] = HOSTCACHE_STATS_A_MH_BU_REJECTED,
	[HC_MH_STAT_ACKS_SENT] = HOSTCACHE_STATS_A_MH_ACKS_SENT,
	[HC_MH_STAT_ERRORS_SENT] = HOSTCACHE_STATS_A_MH_ERRORS_SENT,
	[HC_MH_STAT_SEND_FAILED] = HOSTCACHE_STATS_A_MH_SEND_FAILED,
	[HC_MH_STAT_BU_SENT] = HOSTCACHE_STATS_A_MH_BU_SENT,
	[HC_MH_STAT_BU_RETRIED] = HOSTCACHE_STATS_A_MH_BU_RETRIED,
	[HC_MH_STAT_BU_ACKED] = HOSTCACHE_STATS_A_MH_BU_ACKED,
	[HC_MH_STAT_BU_GIVEN_UP] = HOSTCACHE_STATS_A_MH_BU_GIVEN_UP,
	[HC_STAT_LEARNED] = HOSTCACHE_STATS_A_LEARNED,
	[HC_STAT_FLOWS_CREATED] = HOSTCACHE_STATS_A_FLOWS_CREATED,
	[HC_MH_STAT_AUTHENTICATED] = HOSTCACHE_STATS_A_MH_AUTHENTICATED,
	[HC_MH_STAT_WRONG_SA] = HOSTCACHE_STATS_A_MH_WRONG_SA,
	[HC_MH_STAT_MISALIGNED] = HOSTCACHE_STATS_A_MH_ALIGN,
	[HC_STAT_ACQUIRES] = HOSTCACHE_STATS_A_ACQUIRES,
	[HC_STAT_TESTS_SENT] = HOSTCACHE_STATS_A_TESTS_SENT,
	[HC_STAT_TESTS_FAILED] = HOSTCACHE_STATS_A_TESTS_FAILED,
	[HC_STAT_TESTS_REFUSED] = HOSTCACHE_STATS_A_TESTS_REFUSED,
	[HC_STAT_ADDRS_VERIFIED] = HOSTCACHE_STATS_A_ADDRS_VERIFIED,
	[HC_STAT_ECHOES] = HOSTCACHE_STATS_A_ECHOES,
	[HC_STAT_FLOWS_REFUSED] = HOSTCACHE_STATS_A_FLOWS_REFUSED,
	[HC_STAT_HELD] = HOSTCACHE_STATS_A_HELD,
	[HC_STAT_UNREACHABLE] = HOSTCACHE_STATS_A_UNREACHABLE,
	[HC_STAT_ADDRS_MOVED] = HOSTCACHE_STATS_A_ADDRS_MOVED,
	[HC_STAT_ORDINARY] = HOSTCACHE_STATS_A_ORDINARY,
	[HC_STAT_SPARED] = HOSTCACHE_STATS_A_SPARED,
};

static int hc_put_mh_stats(struct sk_buff *skb, const struct hc_net *hn)
{
	unsigned int i;

	for (i = 0; i < HC_MH_STAT_MAX; i++)
		if (nla_put_u64_64bit(skb, hc_mh_stat_attrs[i],
				      atomic64_read(&hn->mh_stats[i]),
				      HOSTCACHE_STATS_A_PAD))
			return -EMSGSIZE;
	return 0;
}

static int hc_genl_get_stats(struct sk_buff *unused, struct genl_info *info)
{
	struct hc_net *hn = hc_net(genl_info_net(info));
	struct hc_cache *cache = &hn->cache;
	struct hc_cache_stats stats;
	u32 entries, untrusted;
	struct nlattr *nest;
	struct sk_buff *skb;
	void *hdr;

	spin_lock_bh(&cache->lock);
	stats = cache->stats;
	entries = cache->n_entries;
	untrusted = cache->n_untrusted;
	spin_unlock_bh(&cache->lock);

	hdr = hc_genl_reply_start(&skb, info);
	if (!hdr)
		return -ENOMEM;
	nest = nla_nest_start(skb, HOSTCACHE_A_STATS);
	if (!nest ||
	    nla_put_u32(skb, HOSTCACHE_STATS_A_ENTRIES, entries) ||
	    nla_put_u32(skb, HOSTCACHE_STATS_A_UNTRUSTED, untrusted) ||
	    nla_put_u32(skb, HOSTCACHE_STATS_A_FLOWS,
			atomic_read(&hn->flows.nelems)) ||
	    nla_put_u64_64bit(skb, HOSTCACHE_STATS_A_CREATED, stats.created,
			      HOSTCACHE_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, HOSTCACHE_STATS_A_REMOVED, stats.removed,
			      HOSTCACHE_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, HOSTCACHE_STATS_A_EVICTED, stats.evicted,
			      HOSTCACHE_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, HOSTCACHE_STATS_A_ADDRS_EXPIRED,
			      stats.addrs_expired, HOSTCACHE_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, HOSTCACHE_STATS_A_ADDRS_REMOVED,
			      stats.addrs_removed, HOSTCACHE_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, HOSTCACHE_STATS_A_REFUSED_FULL,
			      stats.refused_full, HOSTCACHE_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, HOSTCACHE_STATS_A_REFUSED_ADDRS,
			      stats.refused_addrs, HOSTCACHE_STATS_A_PAD) ||
	    hc_put_mh_stats(skb, hn)) {
		nlmsg_free(skb);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return genlmsg_reply(skb, info);
}

static const struct genl_ops hc_genl_ops[] = {
	{
		.cmd = HOSTCACHE_CMD_GET_INFO,
		.doit = hc_genl_get_info,
	},
	{
		.cmd = HOSTCACHE_CMD_GET_PARAMS,
		.doit = hc_genl_get_params,
	},
	{
		.cmd = HOSTCACHE_CMD_SET_PARAMS,
		.doit = hc_genl_set_params,
		.policy = hc_set_params_policy,
		.maxattr = HOSTCACHE_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = HOSTCACHE_CMD_NEW_FOREIGN,
		.doit = hc_genl_new_foreign,
		.policy = hc_foreign_req_policy,
		.maxattr = HOSTCACHE_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = HOSTCACHE_CMD_DEL_FOREIGN,
		.doit = hc_genl_del_foreign,
		.policy = hc_foreign_req_policy,
		.maxattr = HOSTCACHE_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = HOSTCACHE_CMD_GET_FOREIGN,
		.doit = hc_genl_get_foreign,
		.dumpit = hc_genl_dump_foreign,
		.policy = hc_foreign_req_policy,
		.maxattr = HOSTCACHE_A_MAX,
	},
	{
		.cmd = HOSTCACHE_CMD_SET_FOREIGN,
		.doit = hc_genl_set_foreign,
		.policy = hc_foreign_req_policy,
		.maxattr = HOSTCACHE_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = HOSTCACHE_CMD_NEW_ADDR,
		.doit = hc_genl_new_addr,
		.policy = hc_addr_req_policy,
		.maxattr = HOSTCACHE_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = HOSTCACHE_CMD_DEL_ADDR,
		.doit = hc_genl_del_addr,
		.policy = hc_addr_req_policy,
		.maxattr = HOSTCACHE_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = HOSTCACHE_CMD_GET_STATS,
		.doit = hc_genl_get_stats,
	},
	{
		.cmd = HOSTCACHE_CMD_NEW_LOCAL,
		.doit = hc_genl_new_local,
		.policy = hc_local_req_policy,
		.maxattr = HOSTCACHE_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = HOSTCACHE_CMD_DEL_LOCAL,
		.doit = hc_genl_del_local,
		.policy = hc_local_req_policy,
		.maxattr = HOSTCACHE_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = HOSTCACHE_CMD_GET_LOCAL,
		.doit = hc_genl_get_local,
		.dumpit = hc_genl_dump_local,
		.policy = hc_local_req_policy,
		.maxattr = HOSTCACHE_A_MAX,
	},
};

static struct genl_family hc_genl_family __ro_after_init = {
	.name = HOSTCACHE_GENL_NAME,
	.version = HOSTCACHE_GENL_VERSION,
	.module = THIS_MODULE,
	.netnsok = true,
	.parallel_ops = true,
	/* Every command is new: validate strictly, reject reserved fields. */
	.resv_start_op = HOSTCACHE_CMD_GET_INFO,
	.ops = hc_genl_ops,
	.n_ops = ARRAY_SIZE(hc_genl_ops),
	.mcgrps = hc_mcgrps,
	.n_mcgrps = ARRAY_SIZE(hc_mcgrps),
};

int __init hc_genl_init(void)
{
	return genl_register_family(&hc_genl_family);
}

void hc_genl_exit(void)
{
	genl_unregister_family(&hc_genl_family);
}

MODULE_ALIAS_GENL_FAMILY(HOSTCACHE_GENL_NAME);
