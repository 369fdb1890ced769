// SPDX-License-Identifier: GPL-2.0
/* hostcache: local Host Cache entries, this host's address sets.
 *
 * See local.h for the data structures and the locking rules.
 */

#include <linux/netlink.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <linux/stringify.h>
#include <net/ipv6.h>
#include <linux/hostcache.h>

#include "hostcache.h"

static const struct rhashtable_params hc_laddr_params = {
	.key_len = sizeof(struct in6_addr),
	.key_offset = offsetof(struct hc_laddr, addr),
	.head_offset = offsetof(struct hc_laddr, node),
	.automatic_shrinking = true,
};

/* Admin-created entries take IDs after the default one; the range is the
 * limit on their number (anyone with a user namespace can make them).
 */
static const struct xa_limit hc_local_ids =
	XA_LIMIT(HOSTCACHE_LOCAL_DEFAULT + 1,
		 HOSTCACHE_LOCAL_DEFAULT + HOSTCACHE_LOCAL_MAX);

static void hc_laddr_free_rcu(struct rcu_head *head)
{
	kfree(container_of(head, struct hc_laddr, rcu));
}

static struct hc_local *hc_local_alloc(gfp_t gfp)
{
	struct hc_local *entry = kzalloc(sizeof(*entry), gfp);

	if (entry)
		INIT_LIST_HEAD(&entry->addrs);
	return entry;
}

/**
 * hc_locals_init() - set up the local entries, with an empty default one
 * @locals: the local entries
 * @net: the namespace, for events; NULL for none
 *
 * The caller fills the default entry with the namespace's addresses.
 *
 * Return: 0 or -ENOMEM.
 */
int hc_locals_init(struct hc_locals *locals, struct net *net)
{
	struct hc_local *def;
	int err;

	memset(locals, 0, sizeof(*locals));
	spin_lock_init(&locals->lock);
	xa_init_flags(&locals->entries, XA_FLAGS_ALLOC | XA_FLAGS_LOCK_BH);
	locals->net = net;
	err = rhltable_init(&locals->addrs, &hc_laddr_params);
	if (err)
		return err;
	def = hc_local_alloc(GFP_KERNEL);
	if (!def)
		goto err;
	def->id = HOSTCACHE_LOCAL_DEFAULT;
	err = xa_insert_bh(&locals->entries, def->id, def, GFP_KERNEL);
	if (err) {
		kfree(def);
		goto err;
	}
	return 0;
err:
	rhltable_destroy(&locals->addrs);
	return -ENOMEM;
}

/* Unlink one address; the caller holds the lock. */
static void hc_laddr_remove(struct hc_locals *locals, struct hc_laddr *la)
{
	rhltable_remove(&locals->addrs, &la->node, hc_laddr_params);
	list_del_rcu(&la->list);
	la->entry->naddrs--;
	locals->seq++;
	call_rcu(&la->rcu, hc_laddr_free_rcu);
}

static void hc_local_remove(struct hc_locals *locals, struct hc_local *entry)
{
	struct hc_laddr *la, *tmp;

	list_for_each_entry_safe(la, tmp, &entry->addrs, list)
		hc_laddr_remove(locals, la);
	xa_erase(&locals->entries, entry->id);
	kfree_rcu(entry, rcu);
}

/**
 * hc_locals_destroy() - remove every local entry
 * @locals: the local entries; nobody may use them any more
 */
void hc_locals_destroy(struct hc_locals *locals)
{
	struct hc_local *entry;
	unsigned long id;

	spin_lock_bh(&locals->lock);
	xa_for_each(&locals->entries, id, entry)
		hc_local_remove(locals, entry);
	spin_unlock_bh(&locals->lock);
	xa_destroy(&locals->entries);
	rhltable_destroy(&locals->addrs);
}

/**
 * hc_local_has() - whether @addr is one of this host's addresses
 * @locals: the local entries
 * @addr: the address
 *
 * Context: RCU read lock.
 * Return: true if a local entry holds @addr.
 */
bool hc_local_has(struct hc_locals *locals, const struct in6_addr *addr)
{
	return rhltable_lookup(&locals->addrs, addr, hc_laddr_params);
}

/* The address @addr of @entry, or NULL; the caller holds the lock. */
static struct hc_laddr *hc_laddr_find(struct hc_locals *locals,
				      const struct hc_local *entry,
				      const struct in6_addr *addr)
{
	struct rhlist_head *list, *pos;
	struct hc_laddr *la, *found = NULL;

	rcu_read_lock();
	list = rhltable_lookup(&locals->addrs, addr, hc_laddr_params);
	rhl_for_each_entry_rcu(la, pos, list, node) {
		if (la->entry == entry) {
			found = la;
			break;
		}
	}
	rcu_read_unlock();
	return found;
}

/* Add @addr to @entry; the caller holds the lock, checked that it is new,
 * and reports it.
 */
static int hc_laddr_insert(struct hc_locals *locals, struct hc_local *entry,
			   const struct in6_addr *addr)
{
	struct hc_laddr *la;
	int err;

	la = kzalloc(sizeof(*la), GFP_ATOMIC | __GFP_ACCOUNT);
	if (!la)
		return -ENOMEM;
	la->addr = *addr;
	la->entry = entry;
	err = rhltable_insert(&locals->addrs, &la->node, hc_laddr_params);
	if (err) {
		kfree(la);
		return err;
	}
	list_add_tail_rcu(&la->list, &entry->addrs);
	entry->naddrs++;
	locals->seq++;
	return 0;
}

/**
 * hc_local_addr_up() - the namespace gained @addr: add it to the default
 * @locals: the local entries
 * @addr: the new address
 *
 * Context: any; does not sleep.
 */
void hc_local_addr_up(struct hc_locals *locals, const struct in6_addr *addr)
{
	struct hc_local *def;

	spin_lock_bh(&locals->lock);
	def = xa_load(&locals->entries, HOSTCACHE_LOCAL_DEFAULT);
	if (!def || hc_laddr_find(locals, def, addr))
		goto out;
	if (hc_laddr_insert(locals, def, addr))
		net_warn_ratelimited("hostcache: no memory for local address %pI6c\n",
				     addr);
	else
		hc_notify_local(locals, def, list_last_entry(&def->addrs,
							     struct hc_laddr,
							     list),
				HOSTCACHE_CMD_NEW_ADDR);
out:
	spin_unlock_bh(&locals->lock);
}

/**
 * hc_local_addr_down() - the namespace lost @addr: remove it everywhere
 * @locals: the local entries
 * @addr: the address that went
 *
 * An admin entry left without an address stays, empty, until removed.
 *
 * Context: any; does not sleep.
 */
void hc_local_addr_down(struct hc_locals *locals,
			const struct in6_addr *addr)
{
	struct rhlist_head *list, *pos;
	struct hc_laddr *la;

	spin_lock_bh(&locals->lock);
	rcu_read_lock();
	list = rhltable_lookup(&locals->addrs, addr, hc_laddr_params);
	rhl_for_each_entry_rcu(la, pos, list, node) {
		hc_notify_local(locals, la->entry, la, HOSTCACHE_CMD_DEL_ADDR);
		hc_laddr_remove(locals, la);
	}
	rcu_read_unlock();
	spin_unlock_bh(&locals->lock);
}

/* The admin entry @id, or NULL with @extack set; the caller holds the lock. */
static struct hc_local *hc_local_find_admin(struct hc_locals *locals, u32 id,
					    struct netlink_ext_ack *extack)
{
	struct hc_local *entry;

	if (id == HOSTCACHE_LOCAL_DEFAULT) {
		NL_SET_ERR_MSG_MOD(extack, "cannot change the default local entry");
		return ERR_PTR(-EPERM);
	}
	entry = xa_load(&locals->entries, id);
	if (!entry) {
		NL_SET_ERR_MSG_MOD(extack, "no such local entry");
		return ERR_PTR(-ENOENT);
	}
	return entry;
}

/* An admin entry's addresses must be the host's: in the default entry. */
static int hc_local_check_addr(struct hc_locals *locals,
			       struct hc_local *entry,
			       const struct in6_addr *addr,
			       const struct nlattr *attr,
			       struct netlink_ext_ack *extack)
{
	if (!hc_laddr_find(locals, xa_load(&locals->entries, HOSTCACHE_LOCAL_DEFAULT),
			   addr)) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "not an address of this host");
		return -EADDRNOTAVAIL;
	}
	if (hc_laddr_find(locals, entry, addr)) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "address already in this entry");
		return -EEXIST;
	}
	return 0;
}

/**
 * hc_local_create() - create a local entry of some of the host's addresses
 * @locals: the local entries
 * @specs: the addresses (only &struct hc_faddr_spec.addr and .attr count)
 * @n: number of @specs, at least one
 * @id: set to the new entry's ID
 * @extack: where to say what is wrong
 *
 * Return: 0, -EADDRNOTAVAIL for an address the host does not have,
 * -EEXIST for an address given twice, or -ENOMEM. Nothing changes on
 * error.
 */
int hc_local_create(struct hc_locals *locals,
		    const struct hc_faddr_spec *specs, unsigned int n,
		    u32 *id, struct netlink_ext_ack *extack)
{
	struct hc_laddr *la, *tmp;
	struct hc_local *entry;
	unsigned int i;
	int err;

	entry = hc_local_alloc(GFP_KERNEL_ACCOUNT);
	if (!entry)
		return -ENOMEM;
	err = xa_alloc_cyclic_bh(&locals->entries, &entry->id, NULL,
				 hc_local_ids, &locals->next_id,
				 GFP_KERNEL_ACCOUNT);
	if (err < 0) {
		kfree(entry);
		if (err != -EBUSY)
			return err;
		NL_SET_ERR_MSG_MOD(extack, "at most " __stringify(HOSTCACHE_LOCAL_MAX)
				   " local entries besides the default one");
		return -ENOSPC;
	}

	spin_lock_bh(&locals->lock);
	for (i = 0; i < n; i++) {
		err = hc_local_check_addr(locals, entry, &specs[i].addr,
					  specs[i].attr, extack);
		if (!err)
			err = hc_laddr_insert(locals, entry, &specs[i].addr);
		if (err)
			goto err;
	}
	xa_store(&locals->entries, entry->id, entry, 0);
	hc_notify_local(locals, entry, NULL, HOSTCACHE_CMD_NEW_LOCAL);
	*id = entry->id;
	spin_unlock_bh(&locals->lock);
	return 0;
err:
	list_for_each_entry_safe(la, tmp, &entry->addrs, list)
		hc_laddr_remove(locals, la);
	spin_unlock_bh(&locals->lock);
	xa_erase_bh(&locals->entries, entry->id);
	kfree_rcu(entry, rcu);
	return err;
}

/**
 * hc_local_delete() - remove an administrator's local entry
 * @locals: the local entries
 * @id: its ID; the default entry cannot be removed
 * @extack: where to say what is wrong
 *
 * Return: 0, -EPERM for the default entry, or -ENOENT.
 */
int hc_local_delete(struct hc_locals *locals, u32 id,
		    struct netlink_ext_ack *extack)
{
	struct hc_local *entry;

	spin_lock_bh(&locals->lock);
	entry = hc_local_find_admin(locals, id, extack);
	if (!IS_ERR(entry)) {
		hc_notify_local(locals, entry, NULL, HOSTCACHE_CMD_DEL_LOCAL);
		hc_local_remove(locals, entry);
	}
	spin_unlock_bh(&locals->lock);
	return PTR_ERR_OR_ZERO(entry);
}

/**
 * hc_local_add_addr() - add one of the host's addresses to an admin entry
 * @locals: the local entries
 * @id: the entry's ID
 * @addr: the address
 * @extack: where to say what is wrong
 *
 * Return: 0, -EPERM for the default entry, -ENOENT, -EADDRNOTAVAIL,
 * -EEXIST, or -ENOMEM.
 */
int hc_local_add_addr(struct hc_locals *locals, u32 id,
		      const struct in6_addr *addr,
		      struct netlink_ext_ack *extack)
{
	struct hc_local *entry;
	int err;

	spin_lock_bh(&locals->lock);
	entry = hc_local_find_admin(locals, id, extack);
	err = PTR_ERR_OR_ZERO(entry);
	if (!err)
		err = hc_local_check_addr(locals, entry, addr, NULL, extack);
	if (!err)
		err = hc_laddr_insert(locals, entry, addr);
	if (!err)
		hc_notify_local(locals, entry, list_last_entry(&entry->addrs,
							       struct hc_laddr,
							       list),
				HOSTCACHE_CMD_NEW_ADDR);
	spin_unlock_bh(&locals->lock);
	return err;
}

/**
 * hc_local_del_addr() - remove an address from an admin entry
 * @locals: the local entries
 * @id: the entry's ID
 * @addr: the address
 * @extack: where to say what is wrong
 *
 * Return: 0, -EPERM for the default entry, or -ENOENT.
 */
int hc_local_del_addr(struct hc_locals *locals, u32 id,
		      const struct in6_addr *addr,
		      struct netlink_ext_ack *extack)
{
	struct hc_local *entry;
	struct hc_laddr *la;
	int err;

	spin_lock_bh(&locals->lock);
	entry = hc_local_find_admin(locals, id, extack);
	err = PTR_ERR_OR_ZERO(entry);
	if (!err) {
		la = hc_laddr_find(locals, entry, addr);
		if (la) {
			hc_notify_local(locals, entry, la,
					HOSTCACHE_CMD_DEL_ADDR);
			hc_laddr_remove(locals, la);
		} else {
			NL_SET_ERR_MSG_MOD(extack, "the entry has no such address");
			err = -ENOENT;
		}
	}
	spin_unlock_bh(&locals->lock);
	return err;
}
