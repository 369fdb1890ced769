// SPDX-License-Identifier: GPL-2.0
/*
 * hckeyd: dropping privileges. Once its sockets are open, the daemon
 * needs only CAP_NET_ADMIN: to install SAs and to change Host Cache
 * entries. The capability calls are made directly, without libcap.
 */

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/capability.h>

#include "hckeyd.h"

static int capset_net_admin(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};

	data[CAP_TO_INDEX(CAP_NET_ADMIN)].permitted = CAP_TO_MASK(CAP_NET_ADMIN);
	data[CAP_TO_INDEX(CAP_NET_ADMIN)].effective = CAP_TO_MASK(CAP_NET_ADMIN);
	return syscall(SYS_capset, &hdr, data);
}

/* Drop every capability but CAP_NET_ADMIN from the bounding set. */
static void drop_bounding(void)
{
	int cap;

	for (cap = 0; cap < 64; cap++) {
		if (cap == CAP_NET_ADMIN)
			continue;
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) && errno == EINVAL)
			break;		/* past the kernel's last capability */
		/* EPERM: no CAP_SETPCAP; the service manager bounds us. */
	}
}

/*
 * @user as a user and group ID: a name, or a number (its group that of
 * the passwd entry if there is one, else the same number).
 */
static int user_ids(const char *user, uid_t *uid, gid_t *gid)
{
	struct passwd *pw = getpwnam(user);
	unsigned long n;
	char *end;

	if (pw) {
		*uid = pw->pw_uid;
		*gid = pw->pw_gid;
		return 0;
	}
	errno = 0;
	n = strtoul(user, &end, 10);
	if (errno || !*user || *end || n >= (uid_t)-1)
		return -1;
	pw = getpwuid(n);
	*uid = n;
	*gid = pw ? pw->pw_gid : n;
	return 0;
}

/* Before anything reads a key: no core dump, no ptrace by the same user. */
void privs_undumpable(void)
{
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

/**
 * privs_drop() - keep CAP_NET_ADMIN only, as @user if given
 * @user: a user name or numeric ID, or NULL to stay who we are
 *
 * Return: 0, or -1 after logging.
 */
int privs_drop(const char *user)
{
	uid_t uid = 0;
	gid_t gid = 0;

	if (user && user_ids(user, &uid, &gid)) {
		log_err("no user \"%s\"", user);
		return -1;
	}
	drop_bounding();
	prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	if (user) {
		/* Keep the permitted set across the change of user. */
		if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) ||
		    setgroups(0, NULL) || setgid(gid) || setuid(uid)) {
			log_err("cannot become user \"%s\": %s", user,
				strerror(errno));
			return -1;
		}
		prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0);
	}
	if (capset_net_admin()) {
		log_err("cannot keep CAP_NET_ADMIN: %s", strerror(errno));
		return -1;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) {
		log_err("cannot set no_new_privs: %s", strerror(errno));
		return -1;
	}
	/* Changing the user made us dumpable again. */
	privs_undumpable();
	return 0;
}
