/*
 * cmd-gpu.c - atlas gpu [--format=text|json]: what the NVIDIA driver
 * sees, asked directly through libcuda and NVML, with no Python.
 *
 * A host without the driver is a CPU host, not an error.  The fully
 * static atlas (ATLAS_STATIC_BUILD) cannot dlopen the driver, so there
 * the probe is compiled out and says so.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char *const unavailable_message =
    "not available in the static build of atlas, which cannot load the driver";

atlas_gpu *
cli_gpu_probe(atlas_error *err)
{
#ifdef ATLAS_STATIC_BUILD
	atlas_error_set(err, ATLAS_ERR_INVALID, NULL, 0, 0, "%s", unavailable_message);
	return NULL;
#else
	/* The variables let the tests load a stand-in driver. */
	return atlas_gpu_probe(getenv("ATLAS_LIBCUDA"), getenv("ATLAS_LIBNVML"), err);
#endif
}

void
cli_gpu_free(atlas_gpu *gpu)
{
#ifdef ATLAS_STATIC_BUILD
	(void)gpu;
#else
	atlas_gpu_free(gpu);
#endif
}

static json_t *
cuda_version_json(int version)
{
	char text[32];
	if (version <= 0)
		return json_null();
	snprintf(text, sizeof text, "%d.%d", version / 1000, version % 1000 / 10);
	return json_string(text);
}

static const char *
state_name(const atlas_gpu *gpu)
{
	if (gpu == NULL)
		return "unavailable";
	switch (gpu->state) {
	case ATLAS_GPU_NO_DRIVER:
		return "none";
	case ATLAS_GPU_OK:
		return "ok";
	case ATLAS_GPU_FAILED:
		return "failed";
	}
	return "failed";
}

json_t *
cli_gpu_json(const atlas_gpu *gpu, const atlas_error *err)
{
	json_t *o = json_object(), *devices = json_array();

	json_object_set_new(o, "driver", json_string(state_name(gpu)));
	json_object_set_new(o, "driver_version", gpu && gpu->driver_version
	    ? cli_json_string(gpu->driver_version) : json_null());
	json_object_set_new(o, "cuda_version", cuda_version_json(gpu ? gpu->cuda_version : 0));
	json_object_set_new(o, "libcuda", json_boolean(gpu && gpu->have_cuda));
	json_object_set_new(o, "nvml", json_boolean(gpu && gpu->have_nvml));
	for (size_t i = 0; gpu && i < gpu->n_devices; i++) {
		json_t *d = json_object();
		json_object_set_new(d, "index", json_integer(gpu->devices[i].index));
		json_object_set_new(d, "name", cli_json_string(gpu->devices[i].name));
		json_object_set_new(d, "memory_bytes",
		    json_integer((json_int_t)gpu->devices[i].total_memory));
		json_array_append_new(devices, d);
	}
	json_object_set_new(o, "devices", devices);
	if (gpu == NULL)
		json_object_set_new(o, "error", cli_json_string(err ? err->message : ""));
	else
		json_object_set_new(o, "error", gpu->error ? cli_json_string(gpu->error) : json_null());
	return o;
}

char *
cli_gpu_summary(const atlas_gpu *gpu, const atlas_error *err)
{
	char text[1024];
	char cuda[32] = "";

	if (gpu == NULL) {
		snprintf(text, sizeof text, "%s", err ? err->message : unavailable_message);
		return strdup(text);
	}
	if (gpu->cuda_version > 0)
		snprintf(cuda, sizeof cuda, ", CUDA %d.%d", gpu->cuda_version / 1000,
		    gpu->cuda_version % 1000 / 10);
	switch (gpu->state) {
	case ATLAS_GPU_NO_DRIVER:
		snprintf(text, sizeof text, "no NVIDIA driver");
		break;
	case ATLAS_GPU_FAILED:
		snprintf(text, sizeof text, "NVIDIA driver present but failing: %s",
		    gpu->error ? gpu->error : "unknown error");
		break;
	case ATLAS_GPU_OK:
		if (gpu->n_devices == 0 && gpu->driver_version == NULL && gpu->cuda_version == 0) {
			/* cuInit said "no device" or NVML "driver not loaded". */
			snprintf(text, sizeof text, "NVIDIA driver libraries present, no GPU");
			break;
		}
		snprintf(text, sizeof text, "NVIDIA driver %s%s, %zu GPU%s",
		    gpu->driver_version ? gpu->driver_version : "(version unknown)",
		    cuda, gpu->n_devices, gpu->n_devices == 1 ? "" : "s");
		break;
	}
	return strdup(text);
}

int
cmd_gpu(int argc, char **argv)
{
	static const struct option options[] = {
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 }
	};
	cli_format format = CLI_FORMAT_TEXT;
	atlas_error err = { 0 };
	atlas_gpu *gpu;
	int opt, status;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		if (opt != 'f')
			return EXIT_USAGE;
		if (!cli_parse_format("gpu", optarg, false, &format))
			return EXIT_USAGE;
	}
	if (optind < argc)
		return cli_usage("gpu", "unexpected argument '%s'", argv[optind]);

	gpu = cli_gpu_probe(&err);
	if (gpu == NULL && err.status != ATLAS_ERR_INVALID) {
		fprintf(stderr, "atlas: gpu: %s\n", err.message);
		return EXIT_USAGE;
	}
	/* Unavailable (the static build) is a usage problem; a failing
	 * driver is a problem found; no driver at all is a clean answer. */
	status = gpu == NULL ? EXIT_USAGE
	    : gpu->state == ATLAS_GPU_FAILED ? EXIT_PROBLEMS : EXIT_CLEAN;

	if (format == CLI_FORMAT_JSON) {
		cli_json_line(cli_gpu_json(gpu, &err));
	} else if (gpu == NULL) {
		fprintf(stderr, "atlas: gpu: %s\n", err.message);
	} else if (gpu->state == ATLAS_GPU_NO_DRIVER) {
		puts("no NVIDIA driver: a CPU-only host");
	} else if (gpu->state == ATLAS_GPU_FAILED) {
		fprintf(stderr, "atlas: gpu: NVIDIA driver present but failing: %s\n", gpu->error);
	} else {
		char *summary = cli_gpu_summary(gpu, NULL);
		puts(summary ? summary : "NVIDIA driver");
		free(summary);
		for (size_t i = 0; i < gpu->n_devices; i++)
			printf("GPU %u: %s, %llu MiB\n", gpu->devices[i].index, gpu->devices[i].name,
			    gpu->devices[i].total_memory >> 20);
	}
	cli_gpu_free(gpu);
	return status;
}
