// SPDX-License-Identifier: GPL-2.0
/* hostcache: following this host's addresses.
 *
 * The default local entry holds every IPv6 address of the namespace from
 * the moment the kernel adds it (inet6addr notifier, NETDEV_UP) until it
 * goes (NETDEV_DOWN), so that this host always knows its own addresses.
 * An address is fit to announce to peers and to choose as a source once
 * it is neither tentative nor DAD-failed, as the kernel itself judges it
 * (ipv6_chk_addr_and_flags(): an optimistic address counts as not
 * tentative, RFC 4429); a deprecated one only while there is no preferred
 * one (RFC 4862 5.5.4).
 *
 * An address becomes fit when DAD completes (at once without DAD, when DAD
 * starts for an optimistic one). The kernel tells no in-kernel listener of
 * that but the FIB: it installs the address's local route then. So each
 * namespace listens to FIB events too, and a local /128 route of a global
 * address announces at once.
 */

#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/addrconf.h>
#include <net/fib_notifier.h>
#include <net/ip6_fib.h>

#include "hostcache.h"

#define HC_ADDR_UNFIT_FLAGS	(IFA_F_TENTATIVE | IFA_F_DADFAILED)

/**
 * hc_addr_fit() - how fit this host's address @addr is to announce and to
 *	send from
 * @net: the namespace
 * @addr: the address
 *
 * Context: any.
 * Return: %HC_ADDR_PREFERRED, %HC_ADDR_DEPRECATED, or %HC_ADDR_UNFIT for
 * an address that is tentative, DAD-failed or not @net's.
 */
enum hc_addr_fit hc_addr_fit(struct net *net, const struct in6_addr *addr)
{
	if (ipv6_chk_addr_and_flags(net, addr, NULL, true, 0,
				    HC_ADDR_UNFIT_FLAGS | IFA_F_DEPRECATED))
		return HC_ADDR_PREFERRED;
	if (ipv6_chk_addr_and_flags(net, addr, NULL, true, 0,
				    HC_ADDR_UNFIT_FLAGS))
		return HC_ADDR_DEPRECATED;
	return HC_ADDR_UNFIT;
}

/**
 * hc_addr_best() - this host's fittest address of @dst's scope
 * @hn: the namespace's state
 * @dst: the address to send to
 * @than: the fitness the address must beat
 *
 * Of the addresses of the default local entry of @dst's scope (loopback
 * aside), the oldest preferred one, else the oldest deprecated one, if it
 * is fitter than @than.
 *
 * Context: RCU read lock.
 * Return: the address, or NULL if none is fitter than @than.
 */
const struct in6_addr *hc_addr_best(struct hc_net *hn,
				    const struct in6_addr *dst,
				    enum hc_addr_fit than)
{
	const struct in6_addr *best = NULL;
	enum hc_addr_fit fit;
	struct hc_local *entry;
	struct hc_laddr *la;

	entry = xa_load(&hn->locals.entries, HOSTCACHE_LOCAL_DEFAULT);
	if (!entry)
		return NULL;
	list_for_each_entry_rcu(la, &entry->addrs, list) {
		if (ipv6_addr_scope(&la->addr) != ipv6_addr_scope(dst) ||
		    ipv6_addr_loopback(&la->addr))
			continue;
		fit = hc_addr_fit(hn->locals.net, &la->addr);
		if (fit > than) {
			best = &la->addr;
			than = fit;
		}
		if (than == HC_ADDR_PREFERRED)
			break;
	}
	return best;
}

static int hc_inet6addr_event(struct notifier_block *nb, unsigned long event,
			      void *ptr)
{
	struct inet6_ifaddr *ifa = ptr;
	struct hc_net *hn = hc_net(dev_net(ifa->idev->dev));

	if (event == NETDEV_UP)
		hc_local_addr_up(&hn->locals, &ifa->addr);
	else if (event == NETDEV_DOWN)
		hc_local_addr_down(&hn->locals, &ifa->addr);
	else
		return NOTIFY_DONE;
	/* Peers hear of a global address (scope 0 in ipv6_addr_scope())
	 * that goes at once; of one that comes when its route is installed.
	 * The local entries follow the addresses even while the module is
	 * off, so that it finds them right when it is switched on.
	 */
	if (event == NETDEV_DOWN && !ipv6_addr_scope(&ifa->addr) &&
	    hc_enabled(hn)) {
		hc_flows_addr_gone(hn, &ifa->addr);
		hc_announce_changed(hn);
	}
	return NOTIFY_DONE;
}

static struct notifier_block hc_inet6addr_nb = {
	.notifier_call = hc_inet6addr_event,
};

/* A local route of a global address: the address became fit (DAD
 * completed). Context: atomic, under the FIB table's lock.
 */
static int hc_fib_event(struct notifier_block *nb, unsigned long event,
			void *ptr)
{
	struct hc_net *hn = container_of(nb, struct hc_net, fib_nb);
	struct fib_notifier_info *info = ptr;
	struct fib6_entry_notifier_info *fen;
	const struct fib6_info *rt;

	if (info->family != AF_INET6 ||
	    (event != FIB_EVENT_ENTRY_REPLACE && event != FIB_EVENT_ENTRY_APPEND))
		return NOTIFY_DONE;
	fen = container_of(info, struct fib6_entry_notifier_info, info);
	rt = fen->rt;
	if (rt->fib6_flags & RTF_LOCAL && rt->fib6_dst.plen == 128 &&
	    !ipv6_addr_scope(&rt->fib6_dst.addr))
		hc_announce_changed(hn);
	return NOTIFY_DONE;
}

/* Nothing to undo when a dump of the FIB at registration is retried. */
static void hc_fib_dump_flush(struct notifier_block *nb)
{
}

/**
 * hc_addrwatch_net_init() - hear when @net's addresses become fit
 * @net: the namespace
 * @hn: its state; its announcer must be set up
 *
 * Context: process, may sleep.
 * Return: 0 or an error from register_fib_notifier().
 */
int hc_addrwatch_net_init(struct net *net, struct hc_net *hn)
{
	hn->fib_nb.notifier_call = hc_fib_event;
	return register_fib_notifier(net, &hn->fib_nb, hc_fib_dump_flush,
				     NULL);
}

/**
 * hc_addrwatch_net_exit() - stop following @net's addresses
 * @net: the namespace
 * @hn: its state
 */
void hc_addrwatch_net_exit(struct net *net, struct hc_net *hn)
{
	unregister_fib_notifier(net, &hn->fib_nb);
}

/* Fill the default local entries with the addresses namespaces had before
 * the notifier was registered. RTNL keeps addresses from going meanwhile;
 * those that come are also reported by the notifier, and adding an address
 * twice is harmless. Every namespace on the list has run hc_net_init().
 */
static void hc_locals_populate(void)
{
	struct inet6_ifaddr *ifa;
	struct inet6_dev *idev;
	struct net_device *dev;
	struct net *net;

	rtnl_lock();
	rcu_read_lock();
	for_each_net_rcu(net) {
		for_each_netdev_rcu(net, dev) {
			idev = __in6_dev_get(dev);
			if (!idev)
				continue;
			read_lock_bh(&idev->lock);
			list_for_each_entry(ifa, &idev->addr_list, if_list)
				hc_local_addr_up(&hc_net(net)->locals,
						 &ifa->addr);
			read_unlock_bh(&idev->lock);
		}
	}
	rcu_read_unlock();
	rtnl_unlock();
}

/**
 * hc_addrwatch_init() - follow the addresses of every namespace
 *
 * Context: module load, after the per-namespace state is registered.
 * Return: 0 or an error from register_inet6addr_notifier().
 */
int hc_addrwatch_init(void)
{
	int err = register_inet6addr_notifier(&hc_inet6addr_nb);

	if (!err)
		hc_locals_populate();
	return err;
}

/**
 * hc_addrwatch_exit() - stop following addresses
 */
void hc_addrwatch_exit(void)
{
	unregister_inet6addr_notifier(&hc_inet6addr_nb);
}
