// SPDX-License-Identifier: GPL-2.0
/*
 * victim.c - see victim.h.
 */
#include "victim.h"

#include <fcntl.h>
#include <linux/seccomp.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>

void victim_raw(struct fx *f, struct victim *v, long nr, const long a[6])
{
	const struct trap traps[] = { TRAP64((int)nr) };

	memset(v, 0, sizeof(*v));
	v->valid_kind = -1;
	v->c = shm_alloc(f, sizeof(*v->c));
	v->c->nr = nr;
	memcpy(v->c->a, a, sizeof(v->c->a));
	v->t = spawn_trapped(f, traps, 1, child_raw, v->c);
	recv_notif(v->t, &v->n);
	assert_int_equal(v->n.data.nr, nr);
}

void victim_openat(struct fx *f, struct victim *v)
{
	const char *file = tpath(f, "victim");
	long a[6] = { AT_FDCWD, 0, O_RDONLY | O_CLOEXEC };

	write_file(file, "V");
	a[1] = (long)shm_str(f, file, PATH_MAX);
	victim_raw(f, v, __NR_openat, a);
	v->valid_kind = SECCOMP_PIN_CSTRING;
	v->valid_idx = 1;
	v->valid_max = PATH_MAX;
}

void victim_write(struct fx *f, struct victim *v)
{
	long a[6] = { fx_fd(f, open("/dev/null", O_WRONLY)), 0, 64 };
	char *buf = shm_alloc(f, 64);

	memset(buf, 'w', 64);
	a[1] = (long)buf;
	victim_raw(f, v, __NR_write, a);
	v->valid_kind = SECCOMP_PIN_FIXED;
	v->valid_idx = 1;
	v->valid_max = 64;
}

void victim_execve(struct fx *f, struct victim *v)
{
	char **argv = shm_alloc(f, 4 * sizeof(char *));
	char **envp = shm_alloc(f, 4 * sizeof(char *));
	long a[6];

	argv[0] = shm_str(f, "victim", 0);
	argv[1] = shm_str(f, "arg", 0);
	envp[0] = shm_str(f, "K=V", 0);
	a[0] = (long)shm_str(f, "/nonexistent/victim", 0);
	a[1] = (long)argv;
	a[2] = (long)envp;
	a[3] = a[4] = a[5] = 0;
	victim_raw(f, v, __NR_execve, a);
	v->valid_kind = SECCOMP_PIN_CSTRING_ARRAY;
	v->valid_idx = 1;
	v->valid_max = 4096;
}

void victim_request(struct fx *f, const struct victim *v,
		    struct seccomp_pin_request *req)
{
	assert_true(v->valid_kind >= 0);
	memset(req, 0, sizeof(*req));
	req->listener_fd = v->t->listener;
	pin_init(&req->pin, v->n.id, f->buf, SNAP_BUF_SIZE);
	pin_add(&req->pin, v->valid_idx, (__u8)v->valid_kind, v->valid_max);
}

int raw_pin(struct fx *f, struct seccomp_pin_request *req)
{
	return ioctl(f->dev, SECCOMP_PIN_IOC_PIN_ARGS, req) < 0 ? -errno : 0;
}

int raw_send(struct fx *f, struct seccomp_pin_response *rsp)
{
	return ioctl(f->dev, SECCOMP_PIN_IOC_SEND, rsp) < 0 ? -errno : 0;
}

void victim_deny(struct fx *f, struct victim *v)
{
	assert_ret(pin_send(f, v->t, v->n.id, 0, -EPERM, 0), 0);
	assert_int_equal(reap_exit(v->t), 0);
	assert_int_equal(v->c->ret[0], -1);
	assert_int_equal(v->c->err[0], EPERM);
}

void victim_still_answerable(struct fx *f, struct victim *v)
{
	struct seccomp_pin_request req;

	if (v->valid_kind >= 0) {
		victim_request(f, v, &req);
		assert_ret(raw_pin(f, &req), 0);
		assert_int_equal(live_pins_now(f->dev), f->live_base + 1);
	}
	victim_deny(f, v);
}
