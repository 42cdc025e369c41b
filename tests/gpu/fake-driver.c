/*
 * fake-driver.c - a stand-in for the NVIDIA driver's libcuda and NVML,
 * loaded by the tests through ATLAS_LIBCUDA and ATLAS_LIBNVML so that
 * `atlas gpu` can be tested on machines without a GPU.
 *
 * It exports the entry points atlas uses, with results set by the
 * environment:
 *   ATLAS_FAKE_GPU_COUNT  the number of devices (unset or empty: 2), named
 *                         "Stand-in GPU 0", "Stand-in GPU 1", ..., device
 *                         i with 16 + 8 * i GiB
 *   ATLAS_FAKE_GPU_FAIL   the name of one entry point that fails
 *                         ("cuInit", "nvmlDeviceGetName", ...), or
 *                         "no-device" for a driver without a GPU
 * The driver version is "550.54.15", the CUDA version 12.4.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CUDA_SUCCESS 0
#define CUDA_ERROR_NOT_INITIALIZED 3
#define CUDA_ERROR_INVALID_DEVICE 101
#define CUDA_ERROR_NO_DEVICE 100
#define NVML_SUCCESS 0
#define NVML_ERROR_INVALID_ARGUMENT 2
#define NVML_ERROR_DRIVER_NOT_LOADED 9
#define NVML_ERROR_UNKNOWN 999

typedef struct fake_device { int index; } *nvml_device;
typedef struct nvml_memory {
	unsigned long long total;
	unsigned long long free;
	unsigned long long used;
} nvml_memory;

/* Exported, so declared here to keep -Wmissing-prototypes quiet. */
int cuInit(unsigned int flags);
int cuDriverGetVersion(int *version);
int cuDeviceGetCount(int *count);
int cuDeviceGet(int *device, int ordinal);
int cuDeviceGetName(char *name, int len, int device);
int cuDeviceTotalMem_v2(size_t *bytes, int device);
int cuGetErrorName(int error, const char **name);
int nvmlInit_v2(void);
int nvmlShutdown(void);
int nvmlSystemGetDriverVersion(char *version, unsigned int length);
int nvmlDeviceGetCount_v2(unsigned int *count);
int nvmlDeviceGetHandleByIndex_v2(unsigned int index, nvml_device *device);
int nvmlDeviceGetName(nvml_device device, char *name, unsigned int length);
int nvmlDeviceGetMemoryInfo(nvml_device device, nvml_memory *memory);
const char *nvmlErrorString(int result);

static struct fake_device devices[16];

static int
device_count(void)
{
	const char *s = getenv("ATLAS_FAKE_GPU_COUNT");
	int n = s && *s ? atoi(s) : 2;
	return n < 0 ? 0 : n > 16 ? 16 : n;
}

static int
fails(const char *function)
{
	const char *s = getenv("ATLAS_FAKE_GPU_FAIL");
	return s != NULL && strcmp(s, function) == 0;
}

static int
no_device(void)
{
	return fails("no-device");
}

static unsigned long long
device_memory(int i)
{
	return (16ULL + 8ULL * (unsigned long long)i) << 30;
}

int
cuInit(unsigned int flags)
{
	if (flags != 0)
		return CUDA_ERROR_NOT_INITIALIZED;
	if (no_device())
		return CUDA_ERROR_NO_DEVICE;
	return fails("cuInit") ? CUDA_ERROR_NOT_INITIALIZED : CUDA_SUCCESS;
}

int
cuDriverGetVersion(int *version)
{
	if (fails("cuDriverGetVersion"))
		return CUDA_ERROR_NOT_INITIALIZED;
	*version = 12040;
	return CUDA_SUCCESS;
}

int
cuDeviceGetCount(int *count)
{
	if (fails("cuDeviceGetCount"))
		return CUDA_ERROR_NOT_INITIALIZED;
	*count = device_count();
	return CUDA_SUCCESS;
}

int
cuDeviceGet(int *device, int ordinal)
{
	if (fails("cuDeviceGet") || ordinal < 0 || ordinal >= device_count())
		return CUDA_ERROR_INVALID_DEVICE;
	*device = ordinal;
	return CUDA_SUCCESS;
}

int
cuDeviceGetName(char *name, int len, int device)
{
	if (fails("cuDeviceGetName") || device < 0 || device >= device_count() || len <= 0)
		return CUDA_ERROR_INVALID_DEVICE;
	snprintf(name, (size_t)len, "Stand-in GPU %d", device);
	return CUDA_SUCCESS;
}

int
cuDeviceTotalMem_v2(size_t *bytes, int device)
{
	if (fails("cuDeviceTotalMem_v2") || device < 0 || device >= device_count())
		return CUDA_ERROR_INVALID_DEVICE;
	*bytes = (size_t)device_memory(device);
	return CUDA_SUCCESS;
}

int
cuGetErrorName(int error, const char **name)
{
	switch (error) {
	case CUDA_SUCCESS: *name = "CUDA_SUCCESS"; return CUDA_SUCCESS;
	case CUDA_ERROR_NOT_INITIALIZED: *name = "CUDA_ERROR_NOT_INITIALIZED"; return CUDA_SUCCESS;
	case CUDA_ERROR_NO_DEVICE: *name = "CUDA_ERROR_NO_DEVICE"; return CUDA_SUCCESS;
	case CUDA_ERROR_INVALID_DEVICE: *name = "CUDA_ERROR_INVALID_DEVICE"; return CUDA_SUCCESS;
	}
	return 1;
}

int
nvmlInit_v2(void)
{
	if (no_device())
		return NVML_ERROR_DRIVER_NOT_LOADED;
	return fails("nvmlInit_v2") ? NVML_ERROR_UNKNOWN : NVML_SUCCESS;
}

int
nvmlShutdown(void)
{
	return NVML_SUCCESS;
}

int
nvmlSystemGetDriverVersion(char *version, unsigned int length)
{
	if (fails("nvmlSystemGetDriverVersion") || length == 0)
		return NVML_ERROR_UNKNOWN;
	snprintf(version, length, "550.54.15");
	return NVML_SUCCESS;
}

int
nvmlDeviceGetCount_v2(unsigned int *count)
{
	if (fails("nvmlDeviceGetCount_v2"))
		return NVML_ERROR_UNKNOWN;
	*count = (unsigned)device_count();
	return NVML_SUCCESS;
}

int
nvmlDeviceGetHandleByIndex_v2(unsigned int index, nvml_device *device)
{
	if (fails("nvmlDeviceGetHandleByIndex_v2") || index >= (unsigned)device_count())
		return NVML_ERROR_INVALID_ARGUMENT;
	devices[index].index = (int)index;
	*device = &devices[index];
	return NVML_SUCCESS;
}

int
nvmlDeviceGetName(nvml_device device, char *name, unsigned int length)
{
	if (fails("nvmlDeviceGetName") || device == NULL || length == 0)
		return NVML_ERROR_INVALID_ARGUMENT;
	snprintf(name, length, "Stand-in GPU %d", device->index);
	return NVML_SUCCESS;
}

int
nvmlDeviceGetMemoryInfo(nvml_device device, nvml_memory *memory)
{
	if (fails("nvmlDeviceGetMemoryInfo") || device == NULL)
		return NVML_ERROR_INVALID_ARGUMENT;
	memory->total = device_memory(device->index);
	memory->used = 1ULL << 20;
	memory->free = memory->total - memory->used;
	return NVML_SUCCESS;
}

const char *
nvmlErrorString(int result)
{
	switch (result) {
	case NVML_SUCCESS: return "Success";
	case NVML_ERROR_INVALID_ARGUMENT: return "Invalid Argument";
	case NVML_ERROR_DRIVER_NOT_LOADED: return "Driver Not Loaded";
	}
	return "Unknown Error";
}
