/* SPDX-License-Identifier: GPL-2.0 */
/* hostcache: benchmarks linked into the module by CONFIG_HOSTCACHE_BENCH=y,
 * as files under /sys/kernel/debug/hostcache/.
 */
#ifndef _HOSTCACHE_BENCH_H
#define _HOSTCACHE_BENCH_H

struct dentry;

void hc_bu_bench_init(struct dentry *dir);

#endif /* _HOSTCACHE_BENCH_H */
