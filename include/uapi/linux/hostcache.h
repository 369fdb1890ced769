/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * hostcache: Host Cache for homeless Mobile IPv6 hosts.
 *
 * Generic netlink API. This header is the single description of the API:
 * the module and the userspace tools (hcctl, the key daemon) include it.
 *
 * Every command that changes state needs CAP_NET_ADMIN in the user
 * namespace that owns the network namespace; reading is open to everyone.
 * Attributes are validated strictly: unknown attributes are rejected.
 */
#ifndef _UAPI_LINUX_HOSTCACHE_H
#define _UAPI_LINUX_HOSTCACHE_H

#define HOSTCACHE_GENL_NAME		"hostcache"
#define HOSTCACHE_GENL_VERSION		1

/**
 * enum hostcache_cmd - generic netlink commands
 * @HOSTCACHE_CMD_UNSPEC: reserved
 * @HOSTCACHE_CMD_GET_INFO: module version and per-namespace summary
 *	(reply: %HOSTCACHE_A_VERSION, %HOSTCACHE_A_GENL_VERSION)
 * @HOSTCACHE_CMD_GET_PARAMS: read the namespace's parameters
 *	(reply: %HOSTCACHE_A_PARAMS)
 * @HOSTCACHE_CMD_SET_PARAMS: change one or more parameters; the whole
 *	request is validated before any value is applied (request:
 *	%HOSTCACHE_A_PARAMS)
 * @__HOSTCACHE_CMD_MAX: number of commands
 * @HOSTCACHE_CMD_MAX: highest command number
 */
enum hostcache_cmd {
	HOSTCACHE_CMD_UNSPEC,
	HOSTCACHE_CMD_GET_INFO,
	HOSTCACHE_CMD_GET_PARAMS,
	HOSTCACHE_CMD_SET_PARAMS,

	__HOSTCACHE_CMD_MAX
};

#define HOSTCACHE_CMD_MAX (__HOSTCACHE_CMD_MAX - 1)

/**
 * enum hostcache_attr - top-level attributes
 * @HOSTCACHE_A_UNSPEC: reserved
 * @HOSTCACHE_A_VERSION: module version (NUL-terminated string)
 * @HOSTCACHE_A_GENL_VERSION: API version, %HOSTCACHE_GENL_VERSION (u32)
 * @HOSTCACHE_A_PARAMS: per-namespace parameters (nest of
 *	&enum hostcache_param_attr)
 * @__HOSTCACHE_A_MAX: number of attributes
 * @HOSTCACHE_A_MAX: highest attribute number
 */
enum hostcache_attr {
	HOSTCACHE_A_UNSPEC,
	HOSTCACHE_A_VERSION,
	HOSTCACHE_A_GENL_VERSION,
	HOSTCACHE_A_PARAMS,

	__HOSTCACHE_A_MAX
};

#define HOSTCACHE_A_MAX (__HOSTCACHE_A_MAX - 1)

/**
 * enum hostcache_param_attr - per-namespace parameters (all u32)
 * @HOSTCACHE_PARAM_A_UNSPEC: reserved
 * @HOSTCACHE_PARAM_A_DEFAULT_LIFETIME: seconds an address not learned from
 *	a Binding Update stays valid without use (draft DEFAULT-LIFETIME)
 * @HOSTCACHE_PARAM_A_MAX_EXPIRED_LIFETIME: seconds an expired address is
 *	kept before it is removed (draft MAXIMUM-EXPIRED-LIFETIME)
 * @__HOSTCACHE_PARAM_A_MAX: number of attributes
 * @HOSTCACHE_PARAM_A_MAX: highest attribute number
 */
enum hostcache_param_attr {
	HOSTCACHE_PARAM_A_UNSPEC,
	HOSTCACHE_PARAM_A_DEFAULT_LIFETIME,
	HOSTCACHE_PARAM_A_MAX_EXPIRED_LIFETIME,

	__HOSTCACHE_PARAM_A_MAX
};

#define HOSTCACHE_PARAM_A_MAX (__HOSTCACHE_PARAM_A_MAX - 1)

/* Draft defaults and the range the module accepts, in seconds. */
#define HOSTCACHE_DEFAULT_LIFETIME		600
#define HOSTCACHE_DEFAULT_MAX_EXPIRED_LIFETIME	1800
#define HOSTCACHE_LIFETIME_MIN			1
#define HOSTCACHE_LIFETIME_MAX			(7 * 24 * 3600)

#endif /* _UAPI_LINUX_HOSTCACHE_H */
