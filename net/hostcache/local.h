/* SPDX-License-Identifier: GPL-2.0 */
/* hostcache: the local part of the Host Cache.
 *
 * A local entry is a set of this host's own addresses: one host
 * personality (draft 1.3). The default entry, ID 1, holds every IPv6
 * address of the namespace, ::1 included, and follows addresses as they
 * come and go; the administrator creates the others, from addresses the
 * host has. An address may be in several local entries, so the address
 * table is an rhltable. An address that leaves the host leaves every entry.
 *
 * Locking: every change holds &struct hc_locals.lock (BH-safe: address
 * events may come in atomic context). Readers use RCU.
 */
#ifndef _NET_HOSTCACHE_LOCAL_H
#define _NET_HOSTCACHE_LOCAL_H

#include <linux/in6.h>
#include <linux/list.h>
#include <linux/rhashtable-types.h>
#include <linux/spinlock.h>
#include <linux/xarray.h>
#include <linux/hostcache.h>

struct hc_faddr_spec;
struct net;
struct netlink_ext_ack;
struct nlattr;

/**
 * struct hc_laddr - an address of a local entry
 * @node: in &struct hc_locals.addrs, keyed by @addr
 * @addr: the address
 * @entry: the entry it belongs to
 * @list: in &struct hc_local.addrs (RCU readers)
 * @rcu: for freeing after a grace period
 */
struct hc_laddr {
	struct rhlist_head node;
	struct in6_addr addr;
	struct hc_local *entry;
	struct list_head list;
	struct rcu_head rcu;
};

/**
 * struct hc_local - a local Host Cache entry
 * @addrs: its &struct hc_laddr (RCU list)
 * @id: key in &struct hc_locals.entries; %HOSTCACHE_LOCAL_DEFAULT for the
 *	default
 * @naddrs: number of addresses
 * @rcu: for freeing after a grace period
 */
struct hc_local {
	struct list_head addrs;
	u32 id;
	u32 naddrs;
	struct rcu_head rcu;
};

/**
 * struct hc_locals - the local entries of one network namespace
 * @lock: serialises every change
 * @addrs: &struct hc_laddr by address, several per address (RCU readers)
 * @entries: &struct hc_local by ID (RCU readers)
 * @next_id: where the cyclic ID allocation goes on
 * @seq: changes on every change, for consistent netlink dumps
 * @net: the namespace, for change events; NULL sends none (tests)
 */
struct hc_locals {
	spinlock_t lock;	/* serialises writers */
	struct rhltable addrs;
	struct xarray entries;
	u32 next_id;
	u32 seq;
	struct net *net;
};

int hc_locals_init(struct hc_locals *locals, struct net *net);
void hc_locals_destroy(struct hc_locals *locals);

bool hc_local_has(struct hc_locals *locals, const struct in6_addr *addr);

void hc_local_addr_up(struct hc_locals *locals, const struct in6_addr *addr);
void hc_local_addr_down(struct hc_locals *locals,
			const struct in6_addr *addr);

int hc_local_create(struct hc_locals *locals,
		    const struct hc_faddr_spec *specs, unsigned int n,
		    u32 *id, struct netlink_ext_ack *extack);
int hc_local_delete(struct hc_locals *locals, u32 id,
		    struct netlink_ext_ack *extack);
int hc_local_add_addr(struct hc_locals *locals, u32 id,
		      const struct in6_addr *addr,
		      struct netlink_ext_ack *extack);
int hc_local_del_addr(struct hc_locals *locals, u32 id,
		      const struct in6_addr *addr,
		      struct netlink_ext_ack *extack);

/* Change events; netlink.c. */
void hc_notify_local(struct hc_locals *locals, const struct hc_local *entry,
		     const struct hc_laddr *only, u8 cmd);

#endif /* _NET_HOSTCACHE_LOCAL_H */
