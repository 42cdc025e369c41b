/*
 * gpu.c - ask the NVIDIA driver what it sees, through dlopen of the
 * driver's own libraries (libcuda and NVML), with no Python involved.
 *
 * The few types used are declared here rather than taken from the CUDA
 * headers, which are not installed where atlas is built; they are the
 * stable C ABI of both libraries.
 */
#include "config.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

typedef int cu_result;
typedef int cu_device;
typedef int nvml_return;
typedef struct nvml_device_st *nvml_device;
typedef struct nvml_memory {
	unsigned long long total;
	unsigned long long free;
	unsigned long long used;
} nvml_memory;

/* "No GPU here" rather than "the driver is broken". */
#define CUDA_ERROR_NO_DEVICE 100
#define NVML_ERROR_DRIVER_NOT_LOADED 9

#define NAME_MAX_LEN 256

typedef struct cuda_api {
	cu_result (*init)(unsigned int);
	cu_result (*driver_get_version)(int *);
	cu_result (*device_get_count)(int *);
	cu_result (*device_get)(cu_device *, int);
	cu_result (*device_get_name)(char *, int, cu_device);
	cu_result (*device_total_mem)(size_t *, cu_device);
	cu_result (*get_error_name)(cu_result, const char **);	/* optional */
} cuda_api;

typedef struct nvml_api {
	nvml_return (*init)(void);
	nvml_return (*system_get_driver_version)(char *, unsigned int);
	nvml_return (*device_get_count)(unsigned int *);
	nvml_return (*device_get_handle_by_index)(unsigned int, nvml_device *);
	nvml_return (*device_get_name)(nvml_device, char *, unsigned int);
	nvml_return (*device_get_memory_info)(nvml_device, nvml_memory *);
	nvml_return (*shutdown)(void);
	const char *(*error_string)(nvml_return);	/* optional */
} nvml_api;

/* Look a symbol up; a missing required one is remembered by name. */
static void *
lookup(void *handle, const char *symbol, const char **missing)
{
	void *p = dlsym(handle, symbol);
	if (p == NULL && missing != NULL && *missing == NULL)
		*missing = symbol;
	return p;
}

/* dlsym gives a void *; POSIX guarantees it converts to a function. */
#define LOAD(handle, field, symbol, missing) \
	do { void *p_ = lookup(handle, symbol, missing); memcpy(&(field), &p_, sizeof p_); } while (0)

static void
set_failure(atlas_gpu *gpu, const char *what, const char *name, int code)
{
	buf b;

	if (gpu->state == ATLAS_GPU_FAILED)
		return;	/* the first failure is the one that explains */
	gpu->state = ATLAS_GPU_FAILED;
	buf_init(&b);
	if (name != NULL)
		buf_printf(&b, "%s failed: %s (%d)", what, name, code);
	else
		buf_printf(&b, "%s failed: error %d", what, code);
	gpu->error = buf_take(&b);
}

static void
cuda_failure(atlas_gpu *gpu, const cuda_api *api, const char *what, cu_result rc)
{
	const char *name = NULL;
	if (api->get_error_name == NULL || api->get_error_name(rc, &name) != 0)
		name = NULL;
	set_failure(gpu, what, name, rc);
}

static void
nvml_failure(atlas_gpu *gpu, const nvml_api *api, const char *what, nvml_return rc)
{
	set_failure(gpu, what, api->error_string ? api->error_string(rc) : NULL, rc);
}

static bool
add_device(atlas_gpu *gpu, unsigned index, const char *name,
    unsigned long long memory)
{
	atlas_gpu_device *devices = realloc(gpu->devices,
	    (gpu->n_devices + 1) * sizeof *devices);
	if (devices == NULL)
		return false;
	gpu->devices = devices;
	devices[gpu->n_devices].index = index;
	devices[gpu->n_devices].total_memory = memory;
	devices[gpu->n_devices].name = atlas_strdup_internal(name);
	if (devices[gpu->n_devices].name == NULL)
		return false;
	gpu->n_devices++;
	return true;
}

static void
missing_symbol(atlas_gpu *gpu, const char *library, const char *symbol)
{
	buf b;
	if (gpu->state == ATLAS_GPU_FAILED)
		return;
	gpu->state = ATLAS_GPU_FAILED;
	buf_init(&b);
	buf_printf(&b, "%s has no %s", library, symbol);
	gpu->error = buf_take(&b);
}

/* Returns false only when out of memory. */
static bool
probe_cuda(atlas_gpu *gpu, void *handle, const char *library)
{
	cuda_api api = { 0 };
	const char *missing = NULL;
	cu_result rc;
	int count = 0;

	LOAD(handle, api.init, "cuInit", &missing);
	LOAD(handle, api.driver_get_version, "cuDriverGetVersion", &missing);
	LOAD(handle, api.device_get_count, "cuDeviceGetCount", &missing);
	LOAD(handle, api.device_get, "cuDeviceGet", &missing);
	LOAD(handle, api.device_get_name, "cuDeviceGetName", &missing);
	LOAD(handle, api.device_total_mem, "cuDeviceTotalMem_v2", &missing);
	LOAD(handle, api.get_error_name, "cuGetErrorName", NULL);
	if (missing != NULL) {
		missing_symbol(gpu, library, missing);
		return true;
	}
	if ((rc = api.init(0)) != 0) {
		if (rc != CUDA_ERROR_NO_DEVICE)
			cuda_failure(gpu, &api, "cuInit", rc);
		return true;
	}
	if ((rc = api.driver_get_version(&gpu->cuda_version)) != 0) {
		cuda_failure(gpu, &api, "cuDriverGetVersion", rc);
		return true;
	}
	if ((rc = api.device_get_count(&count)) != 0) {
		cuda_failure(gpu, &api, "cuDeviceGetCount", rc);
		return true;
	}
	for (int i = 0; i < count; i++) {
		char name[NAME_MAX_LEN] = "";
		size_t memory = 0;
		cu_device device;

		if ((rc = api.device_get(&device, i)) != 0) {
			cuda_failure(gpu, &api, "cuDeviceGet", rc);
			return true;
		}
		if ((rc = api.device_get_name(name, (int)sizeof name - 1, device)) != 0) {
			cuda_failure(gpu, &api, "cuDeviceGetName", rc);
			return true;
		}
		if ((rc = api.device_total_mem(&memory, device)) != 0) {
			cuda_failure(gpu, &api, "cuDeviceTotalMem_v2", rc);
			return true;
		}
		if (!add_device(gpu, (unsigned)i, name, memory))
			return false;
	}
	return true;
}

static bool
probe_nvml(atlas_gpu *gpu, void *handle, const char *library, bool list_devices)
{
	nvml_api api = { 0 };
	const char *missing = NULL;
	char version[NAME_MAX_LEN] = "";
	unsigned count = 0;
	nvml_return rc;
	bool ok = true;

	LOAD(handle, api.init, "nvmlInit_v2", &missing);
	LOAD(handle, api.system_get_driver_version, "nvmlSystemGetDriverVersion", &missing);
	LOAD(handle, api.device_get_count, "nvmlDeviceGetCount_v2", &missing);
	LOAD(handle, api.device_get_handle_by_index, "nvmlDeviceGetHandleByIndex_v2", &missing);
	LOAD(handle, api.device_get_name, "nvmlDeviceGetName", &missing);
	LOAD(handle, api.device_get_memory_info, "nvmlDeviceGetMemoryInfo", &missing);
	LOAD(handle, api.shutdown, "nvmlShutdown", &missing);
	LOAD(handle, api.error_string, "nvmlErrorString", NULL);
	if (missing != NULL) {
		missing_symbol(gpu, library, missing);
		return true;
	}
	if ((rc = api.init()) != 0) {
		if (rc != NVML_ERROR_DRIVER_NOT_LOADED)
			nvml_failure(gpu, &api, "nvmlInit_v2", rc);
		return true;
	}
	if ((rc = api.system_get_driver_version(version, sizeof version - 1)) != 0) {
		nvml_failure(gpu, &api, "nvmlSystemGetDriverVersion", rc);
		goto out;
	}
	gpu->driver_version = atlas_strdup_internal(version);
	if (gpu->driver_version == NULL) {
		ok = false;
		goto out;
	}
	if (!list_devices)
		goto out;
	if ((rc = api.device_get_count(&count)) != 0) {
		nvml_failure(gpu, &api, "nvmlDeviceGetCount_v2", rc);
		goto out;
	}
	for (unsigned i = 0; i < count; i++) {
		char name[NAME_MAX_LEN] = "";
		nvml_memory memory = { 0 };
		nvml_device device;

		if ((rc = api.device_get_handle_by_index(i, &device)) != 0) {
			nvml_failure(gpu, &api, "nvmlDeviceGetHandleByIndex_v2", rc);
			goto out;
		}
		if ((rc = api.device_get_name(device, name, sizeof name - 1)) != 0) {
			nvml_failure(gpu, &api, "nvmlDeviceGetName", rc);
			goto out;
		}
		if ((rc = api.device_get_memory_info(device, &memory)) != 0) {
			nvml_failure(gpu, &api, "nvmlDeviceGetMemoryInfo", rc);
			goto out;
		}
		if (!add_device(gpu, i, name, memory.total)) {
			ok = false;
			goto out;
		}
	}
out:
	api.shutdown();
	return ok;
}

atlas_gpu *
atlas_gpu_probe(const char *libcuda, const char *libnvml, atlas_error *err)
{
	atlas_gpu *gpu = calloc(1, sizeof *gpu);
	void *cuda, *nvml;
	bool ok = true;

	if (gpu == NULL) {
		atlas_error_set(err, ATLAS_ERR_NOMEM, NULL, 0, 0, "out of memory");
		return NULL;
	}
	if (libcuda == NULL || libcuda[0] == '\0')
		libcuda = "libcuda.so.1";
	if (libnvml == NULL || libnvml[0] == '\0')
		libnvml = "libnvidia-ml.so.1";

	/* The handles stay open: unloading libcuda after cuInit is known
	 * to crash at exit, since the driver leaves threads behind. */
	cuda = dlopen(libcuda, RTLD_NOW | RTLD_LOCAL);
	nvml = dlopen(libnvml, RTLD_NOW | RTLD_LOCAL);
	gpu->have_cuda = cuda != NULL;
	gpu->have_nvml = nvml != NULL;
	gpu->state = cuda || nvml ? ATLAS_GPU_OK : ATLAS_GPU_NO_DRIVER;
	if (cuda != NULL)
		ok = probe_cuda(gpu, cuda, libcuda);
	/* NVML lists the devices only when CUDA could not. */
	if (ok && nvml != NULL)
		ok = probe_nvml(gpu, nvml, libnvml, cuda == NULL);
	if (!ok) {
		atlas_gpu_free(gpu);
		atlas_error_set(err, ATLAS_ERR_NOMEM, NULL, 0, 0, "out of memory");
		return NULL;
	}
	return gpu;
}

void
atlas_gpu_free(atlas_gpu *gpu)
{
	if (gpu == NULL)
		return;
	for (size_t i = 0; i < gpu->n_devices; i++)
		free(gpu->devices[i].name);
	free(gpu->devices);
	free(gpu->driver_version);
	free(gpu->error);
	free(gpu);
}
