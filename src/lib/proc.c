/*
 * proc.c - run child programs in parallel, each with a real time limit.
 *
 * Health checks and import validation run interpreters that may hang
 * (a deadlocked import, a driver that never answers), so every child
 * gets a deadline and is killed with its whole process group when it
 * passes.  No shell is involved: argv goes to execvp as given.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

/* Output beyond this is drained but not kept: a traceback fits. */
#define OUTPUT_MAX (256u * 1024)

struct atlas_proc {
	atlas_proc_result *results;
	size_t n_results;
};

typedef struct running {
	size_t index;		/* into the specs and results */
	pid_t pid;
	int fd;			/* the read end of the output pipe, or -1 */
	double start;
	double deadline;	/* 0: none */
	buf output;
} running;

static double
now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A pipe whose ends close on exec, so children do not inherit each
 * other's pipes (pipe2 is not POSIX). */
static int
cloexec_pipe(int fds[2])
{
	if (pipe(fds) != 0)
		return -1;
	if (fcntl(fds[0], F_SETFD, FD_CLOEXEC) != 0 || fcntl(fds[1], F_SETFD, FD_CLOEXEC) != 0) {
		int saved = errno;
		close(fds[0]);
		close(fds[1]);
		errno = saved;
		return -1;
	}
	return 0;
}

/* Start one child.  Returns 0, or -1 with the reason in result->error
 * when the program cannot run, or -2 when the machinery failed. */
static int
start_child(const atlas_proc_spec *spec, atlas_proc_result *result,
    running *r, atlas_error *err)
{
	int out[2], report[2];
	int child_errno = 0;
	ssize_t n;

	if (cloexec_pipe(out) != 0) {
		atlas_error_set(err, ATLAS_ERR_IO, NULL, 0, 0, "pipe: %s", strerror(errno));
		return -2;
	}
	/* The child reports a failed exec through a pipe that a successful
	 * exec closes, so "cannot run" is told apart from "exit 127". */
	if (cloexec_pipe(report) != 0) {
		atlas_error_set(err, ATLAS_ERR_IO, NULL, 0, 0, "pipe: %s", strerror(errno));
		close(out[0]);
		close(out[1]);
		return -2;
	}
	r->start = now_seconds();
	r->pid = fork();
	if (r->pid < 0) {
		atlas_error_set(err, ATLAS_ERR_IO, NULL, 0, 0, "fork: %s", strerror(errno));
		close(out[0]);
		close(out[1]);
		close(report[0]);
		close(report[1]);
		return -2;
	}
	if (r->pid == 0) {
		int null_fd = open("/dev/null", O_RDONLY);
		int e;

		/* A group of its own, so that a timeout kills what it started. */
		setpgid(0, 0);
		signal(SIGPIPE, SIG_DFL);
		if (null_fd < 0 || dup2(null_fd, STDIN_FILENO) < 0
		    || dup2(out[1], STDOUT_FILENO) < 0 || dup2(out[1], STDERR_FILENO) < 0) {
			e = errno;
		} else {
			execvp(spec->argv[0], (char *const *)spec->argv);
			e = errno;
		}
		if (write(report[1], &e, sizeof e) < 0)
			_exit(127);
		_exit(127);
	}
	close(out[1]);
	close(report[1]);
	/* Also done by the parent, so the group exists before any kill. */
	setpgid(r->pid, r->pid);
	do
		n = read(report[0], &child_errno, sizeof child_errno);
	while (n < 0 && errno == EINTR);
	close(report[0]);
	if (n == (ssize_t)sizeof child_errno) {
		buf b;
		close(out[0]);
		waitpid(r->pid, NULL, 0);
		buf_init(&b);
		buf_printf(&b, "cannot run '%s': %s", spec->argv[0], strerror(child_errno));
		result->error = buf_take(&b);
		result->exit_code = -1;
		result->seconds = now_seconds() - r->start;
		return -1;
	}
	r->fd = out[0];
	r->deadline = spec->timeout > 0 ? r->start + spec->timeout : 0;
	buf_init(&r->output);
	result->started = true;
	return 0;
}

static void
read_output(running *r)
{
	char chunk[4096];
	ssize_t n = read(r->fd, chunk, sizeof chunk);

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n <= 0) {
		close(r->fd);
		r->fd = -1;
		return;
	}
	if (r->output.len < OUTPUT_MAX) {
		size_t keep = (size_t)n;
		if (keep > OUTPUT_MAX - r->output.len)
			keep = OUTPUT_MAX - r->output.len;
		buf_append(&r->output, chunk, keep);
	}
}

/* Reap r when it has ended (or kill it when told to); true when done. */
static bool
finish_child(running *r, atlas_proc_result *result, bool kill_it)
{
	int status;
	pid_t got;

	if (kill_it) {
		kill(-r->pid, SIGKILL);
		kill(r->pid, SIGKILL);
		result->timed_out = true;
	}
	do
		got = waitpid(r->pid, &status, kill_it ? 0 : WNOHANG);
	while (got < 0 && errno == EINTR);
	if (got == 0)
		return false;
	result->seconds = now_seconds() - r->start;
	if (got > 0 && WIFEXITED(status)) {
		result->exit_code = WEXITSTATUS(status);
	} else {
		result->exit_code = -1;
		if (got > 0 && WIFSIGNALED(status))
			result->signal = WTERMSIG(status);
	}
	if (r->fd >= 0) {
		close(r->fd);
		r->fd = -1;
	}
	result->output = buf_take(&r->output);
	return true;
}

atlas_proc *
atlas_proc_run(const atlas_proc_spec *specs, size_t n_specs,
    unsigned max_parallel, atlas_error *err)
{
	atlas_proc *proc = calloc(1, sizeof *proc);
	running *live = NULL;
	struct pollfd *fds = NULL;
	size_t n_live = 0, next = 0, done = 0;
	bool broken = false;

	if (max_parallel == 0)
		max_parallel = 1;
	if (proc != NULL) {
		proc->results = calloc(n_specs ? n_specs : 1, sizeof *proc->results);
		live = calloc(max_parallel, sizeof *live);
		fds = calloc(max_parallel, sizeof *fds);
	}
	if (proc == NULL || proc->results == NULL || live == NULL || fds == NULL) {
		if (proc != NULL)
			free(proc->results);
		free(proc);
		free(live);
		free(fds);
		atlas_error_set(err, ATLAS_ERR_NOMEM, NULL, 0, 0, "out of memory");
		return NULL;
	}
	proc->n_results = n_specs;

	while (done < n_specs && !broken) {
		/* Fill the free slots. */
		while (n_live < max_parallel && next < n_specs) {
			size_t i = next++;
			running *r = &live[n_live];
			int rc;

			memset(r, 0, sizeof *r);
			r->index = i;
			r->fd = -1;
			proc->results[i].exit_code = -1;
			if (specs[i].argv == NULL || specs[i].argv[0] == NULL) {
				proc->results[i].error = atlas_strdup_internal("no program given");
				done++;
				continue;
			}
			rc = start_child(&specs[i], &proc->results[i], r, err);
			if (rc == -2) {
				broken = true;
				break;
			}
			if (rc == -1) {
				done++;
				continue;
			}
			n_live++;
		}
		if (broken || n_live == 0)
			continue;

		/* Wait for output, an end, or the nearest deadline. */
		double now = now_seconds(), wait = -1;
		size_t n_fds = 0;
		bool waiting_for_exit = false;
		for (size_t k = 0; k < n_live; k++) {
			if (live[k].fd >= 0) {
				fds[n_fds].fd = live[k].fd;
				fds[n_fds].events = POLLIN;
				fds[n_fds].revents = 0;
				n_fds++;
			} else {
				waiting_for_exit = true;
			}
			if (live[k].deadline > 0) {
				double left = live[k].deadline - now;
				if (left < 0)
					left = 0;
				if (wait < 0 || left < wait)
					wait = left;
			}
		}
		/* A child that closed its output but has not ended is polled
		 * for its exit every few milliseconds. */
		if (waiting_for_exit && (wait < 0 || wait > 0.01))
			wait = 0.01;
		int timeout_ms = wait < 0 ? -1 : (int)(wait * 1000) + 1;
		if (poll(fds, n_fds, timeout_ms) < 0 && errno != EINTR) {
			atlas_error_set(err, ATLAS_ERR_IO, NULL, 0, 0, "poll: %s", strerror(errno));
			broken = true;
			continue;
		}
		for (size_t k = 0, f = 0; k < n_live; k++) {
			if (live[k].fd < 0)
				continue;
			if (fds[f].revents & (POLLIN | POLLHUP | POLLERR))
				read_output(&live[k]);
			f++;
		}

		/* Reap what ended; kill what is late. */
		now = now_seconds();
		for (size_t k = 0; k < n_live;) {
			running *r = &live[k];
			atlas_proc_result *res = &proc->results[r->index];
			bool late = r->deadline > 0 && now >= r->deadline;
			bool ended = false;

			if (r->fd < 0)
				ended = finish_child(r, res, false);
			if (!ended && late)
				ended = finish_child(r, res, true);
			if (ended) {
				live[k] = live[--n_live];
				done++;
			} else {
				k++;
			}
		}
	}

	/* After a failure of the machinery nothing is left running. */
	for (size_t k = 0; k < n_live; k++) {
		finish_child(&live[k], &proc->results[live[k].index], true);
		buf_free(&live[k].output);
	}
	free(live);
	free(fds);
	if (broken) {
		atlas_proc_free(proc);
		return NULL;
	}
	return proc;
}

void
atlas_proc_free(atlas_proc *proc)
{
	if (proc == NULL)
		return;
	for (size_t i = 0; i < proc->n_results; i++) {
		free(proc->results[i].output);
		free(proc->results[i].error);
	}
	free(proc->results);
	free(proc);
}

size_t
atlas_proc_count(const atlas_proc *proc)
{
	return proc ? proc->n_results : 0;
}

const atlas_proc_result *
atlas_proc_get(const atlas_proc *proc, size_t i)
{
	return proc && i < proc->n_results ? &proc->results[i] : NULL;
}

char *
atlas_proc_last_line(const atlas_proc_result *result)
{
	const char *s = result ? result->output : NULL;
	const char *end;

	if (s == NULL)
		return NULL;
	end = s + strlen(s);
	while (end > s) {
		const char *stop = end;
		while (stop > s && is_ascii_space((unsigned char)stop[-1]))
			stop--;
		const char *start = stop;
		while (start > s && start[-1] != '\n')
			start--;
		if (stop > start) {
			while (is_ascii_space((unsigned char)*start))
				start++;
			return atlas_strndup_internal(start, (size_t)(stop - start));
		}
		end = start > s ? start - 1 : s;
	}
	return NULL;
}
