/*
 * test-gpu.c - unit tests of gpu.c against the stand-in driver built by
 * the test suite (tests/gpu/fake-driver.c), whose results are set by
 * ATLAS_FAKE_GPU_COUNT and ATLAS_FAKE_GPU_FAIL.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "atlas.h"

#define GIB (1ULL << 30)

typedef struct gpu_case {
	const char *title;
	const char *libcuda;	/* "stand-in", "missing" */
	const char *libnvml;
	const char *count;	/* ATLAS_FAKE_GPU_COUNT, NULL: unset */
	const char *fail;	/* ATLAS_FAKE_GPU_FAIL, NULL: unset */
	atlas_gpu_state state;
	bool have_cuda, have_nvml;
	const char *driver_version;
	int cuda_version;
	size_t n_devices;
	const char *error;
} gpu_case;

static const gpu_case cases[] = {
	{ "no driver at all is a CPU host", "missing", "missing", NULL, NULL,
	  ATLAS_GPU_NO_DRIVER, false, false, NULL, 0, 0, NULL },
	{ "both libraries: two devices", "stand-in", "stand-in", NULL, NULL,
	  ATLAS_GPU_OK, true, true, "550.54.15", 12040, 2, NULL },
	{ "CUDA alone: no driver version", "stand-in", "missing", "3", NULL,
	  ATLAS_GPU_OK, true, false, NULL, 12040, 3, NULL },
	{ "NVML alone lists the devices", "missing", "stand-in", "1", NULL,
	  ATLAS_GPU_OK, false, true, "550.54.15", 0, 1, NULL },
	{ "zero devices", "stand-in", "stand-in", "0", NULL,
	  ATLAS_GPU_OK, true, true, "550.54.15", 12040, 0, NULL },
	{ "no device: the driver is there, the GPU is not", "stand-in", "stand-in", NULL, "no-device",
	  ATLAS_GPU_OK, true, true, NULL, 0, 0, NULL },
	/* NVML still tells the driver's version, which helps the diagnosis. */
	{ "cuInit fails", "stand-in", "stand-in", NULL, "cuInit",
	  ATLAS_GPU_FAILED, true, true, "550.54.15", 0, 0,
	  "cuInit failed: CUDA_ERROR_NOT_INITIALIZED (3)" },
	{ "cuDeviceGetName fails", "stand-in", "missing", NULL, "cuDeviceGetName",
	  ATLAS_GPU_FAILED, true, false, NULL, 12040, 0,
	  "cuDeviceGetName failed: CUDA_ERROR_INVALID_DEVICE (101)" },
	{ "nvmlInit_v2 fails", "missing", "stand-in", NULL, "nvmlInit_v2",
	  ATLAS_GPU_FAILED, false, true, NULL, 0, 0,
	  "nvmlInit_v2 failed: Unknown Error (999)" },
	{ "NVML's memory query fails", "missing", "stand-in", NULL, "nvmlDeviceGetMemoryInfo",
	  ATLAS_GPU_FAILED, false, true, "550.54.15", 0, 0,
	  "nvmlDeviceGetMemoryInfo failed: Invalid Argument (2)" },
	{ "a library without the entry points is a failing driver", "libc", "missing", NULL, NULL,
	  ATLAS_GPU_FAILED, true, false, NULL, 0, 0, "libc.so.6 has no cuInit" },
};

static const char *
library(const char *which)
{
	if (strcmp(which, "stand-in") == 0)
		return TEST_FAKE_DRIVER;
	if (strcmp(which, "libc") == 0)
		return "libc.so.6";
	return "/nonexistent/libnvidia-stand-in.so.1";
}

static void
set_or_unset(const char *name, const char *value)
{
	if (value)
		setenv(name, value, 1);
	else
		unsetenv(name);
}

static void
test_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const gpu_case *c = &cases[i];
		atlas_error err = { 0 };
		atlas_gpu *gpu;

		print_message("case: %s\n", c->title);
		set_or_unset("ATLAS_FAKE_GPU_COUNT", c->count);
		set_or_unset("ATLAS_FAKE_GPU_FAIL", c->fail);
		gpu = atlas_gpu_probe(library(c->libcuda), library(c->libnvml), &err);
		assert_non_null(gpu);
		assert_int_equal(gpu->state, c->state);
		assert_int_equal(gpu->have_cuda, c->have_cuda);
		assert_int_equal(gpu->have_nvml, c->have_nvml);
		if (c->driver_version)
			assert_string_equal(gpu->driver_version, c->driver_version);
		else
			assert_null(gpu->driver_version);
		assert_int_equal(gpu->cuda_version, c->cuda_version);
		assert_int_equal(gpu->n_devices, c->n_devices);
		for (size_t d = 0; d < gpu->n_devices; d++) {
			char name[64];
			snprintf(name, sizeof name, "Stand-in GPU %zu", d);
			assert_int_equal(gpu->devices[d].index, d);
			assert_string_equal(gpu->devices[d].name, name);
			assert_true(gpu->devices[d].total_memory == (16 + 8 * d) * GIB);
		}
		if (c->error)
			assert_string_equal(gpu->error, c->error);
		else
			assert_null(gpu->error);
		atlas_gpu_free(gpu);
	}
	unsetenv("ATLAS_FAKE_GPU_COUNT");
	unsetenv("ATLAS_FAKE_GPU_FAIL");
	atlas_gpu_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
