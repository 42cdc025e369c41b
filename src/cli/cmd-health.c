/*
 * cmd-health.c - atlas health: the image's HEALTHCHECK.
 *
 * Healthy means: the interpreter starts, the tier's key imports succeed
 * within the time limit, and, only when the container asks for a GPU
 * (ATLAS_REQUIRE_GPU=1), CUDA is usable.  A CPU-only host is healthy.
 * Every check runs in a child interpreter of its own with a real time
 * limit, so a hung import makes the check fail instead of hang.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define DEFAULT_TIMEOUT 60.0

/* The imports that prove a tier works; each tier adds to the one below. */
static const char *const tier_modules[][8] = {
	{ "numpy", "scipy", "pandas", "sklearn", "matplotlib", NULL },
	{ "torch", "transformers", NULL },
	{ NULL },
};
#define MAX_TIER 2

/* Runs in the child: import the module; for torch also ask CUDA, since
 * torch.cuda.is_available() is what a user of the image will see. */
static const char import_code[] =
    "import importlib, sys\n"
    "m = importlib.import_module(sys.argv[1])\n"
    "if sys.argv[1] == 'torch':\n"
    "    try:\n"
    "        a = m.cuda.is_available()\n"
    "    except Exception as e:\n"
    "        a = False\n"
    "    print('atlas-health-cuda=' + ('yes' if a else 'no'))\n";

static const char python_code[] =
    "import sys; print(sys.version.split()[0])";

typedef struct check {
	const char *module;	/* NULL for the interpreter itself */
	const char *argv[6];
} check;

/* ATLAS_REQUIRE_GPU: "1" asks for a GPU, unset, empty or "0" does not. */
static bool
parse_require_gpu(bool *require)
{
	const char *value = getenv("ATLAS_REQUIRE_GPU");
	if (value == NULL || value[0] == '\0' || strcmp(value, "0") == 0) {
		*require = false;
		return true;
	}
	if (strcmp(value, "1") == 0) {
		*require = true;
		return true;
	}
	cli_usage("health", "ATLAS_REQUIRE_GPU=%s is not valid; valid values: 1, 0", value);
	return false;
}

/* A one-line reason a check failed; malloc'd. */
static char *
failure_reason(const atlas_proc_result *r, double timeout)
{
	char text[1024];
	char *last;

	if (!r->started)
		return strdup(r->error ? r->error : "could not be run");
	if (r->timed_out) {
		snprintf(text, sizeof text, "no answer within %g s", timeout);
		return strdup(text);
	}
	last = atlas_proc_last_line(r);
	if (r->signal != 0)
		snprintf(text, sizeof text, "killed by signal %d%s%s", r->signal,
		    last ? ": " : "", last ? last : "");
	else if (last != NULL)
		snprintf(text, sizeof text, "%s", last);
	else
		snprintf(text, sizeof text, "exit status %d", r->exit_code);
	free(last);
	return strdup(text);
}

static bool
succeeded(const atlas_proc_result *r)
{
	return r->started && !r->timed_out && r->signal == 0 && r->exit_code == 0;
}

int
cmd_health(int argc, char **argv)
{
	static const struct option options[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "timeout", required_argument, NULL, 't' },
		{ "tier", required_argument, NULL, 'T' },
		{ "python", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 }
	};
	cli_format format = CLI_FORMAT_TEXT;
	double timeout = DEFAULT_TIMEOUT;
	const char *python = "python3";
	const char *tier_env = getenv("ATLAS_TIER");
	int tier = 0, opt;
	bool tier_given = false, require_gpu;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case 'f':
			if (!cli_parse_format("health", optarg, false, &format))
				return EXIT_USAGE;
			break;
		case 't':
			if (!cli_parse_seconds("health", "--timeout", optarg, &timeout))
				return EXIT_USAGE;
			break;
		case 'T':
			if (!cli_parse_tier("health", "--tier", optarg, &tier))
				return EXIT_USAGE;
			tier_given = true;
			break;
		case 'p':
			if (optarg[0] == '\0')
				return cli_usage("health", "--python needs a program");
			python = optarg;
			break;
		default:
			return EXIT_USAGE;
		}
	}
	if (optind < argc)
		return cli_usage("health", "unexpected argument '%s'", argv[optind]);
	if (!tier_given && tier_env != NULL && tier_env[0] != '\0'
	    && !cli_parse_tier("health", "ATLAS_TIER", tier_env, &tier))
		return EXIT_USAGE;
	if (!parse_require_gpu(&require_gpu))
		return EXIT_USAGE;

	/* The interpreter first, then the imports of every tier up to this one. */
	check checks[1 + (MAX_TIER + 1) * 8];
	size_t n_checks = 0;
	/* -B: a health check writes nothing into the image. */
	checks[n_checks++] = (check){ NULL, { python, "-B", "-c", python_code, NULL } };
	for (int t = 0; t <= tier; t++)
		for (const char *const *m = tier_modules[t]; *m; m++)
			checks[n_checks++] = (check){ *m, { python, "-B", "-c", import_code, *m, NULL } };

	atlas_proc_spec specs[sizeof checks / sizeof checks[0]];
	for (size_t i = 0; i < n_checks; i++)
		specs[i] = (atlas_proc_spec){ checks[i].argv, timeout };
	atlas_error err = { 0 };
	atlas_proc *proc = atlas_proc_run(specs, n_checks, cli_default_jobs(), &err);
	if (proc == NULL) {
		fprintf(stderr, "atlas: health: cannot run checks: %s\n", err.message);
		return EXIT_USAGE;
	}

	atlas_error gpu_err = { 0 };
	atlas_gpu *gpu = cli_gpu_probe(&gpu_err);

	const atlas_proc_result *py = atlas_proc_get(proc, 0);
	bool python_ok = succeeded(py);
	size_t failed_imports = 0;
	int torch_cuda = -1;	/* -1: torch not checked or not importable */
	for (size_t i = 1; i < n_checks; i++) {
		const atlas_proc_result *r = atlas_proc_get(proc, i);
		if (!succeeded(r)) {
			failed_imports++;
			continue;
		}
		if (strcmp(checks[i].module, "torch") == 0 && r->output != NULL)
			torch_cuda = strstr(r->output, "atlas-health-cuda=yes") != NULL;
	}
	bool driver_gpu = gpu != NULL && gpu->state == ATLAS_GPU_OK && gpu->n_devices > 0;
	bool cuda_available = torch_cuda >= 0 ? torch_cuda == 1 : driver_gpu;
	bool healthy = python_ok && failed_imports == 0 && (!require_gpu || cuda_available);

	if (format == CLI_FORMAT_JSON) {
		json_t *o = json_object(), *p = json_object(), *imports = json_array();
		char *version = python_ok ? atlas_proc_last_line(py) : NULL;
		char *reason = python_ok ? NULL : failure_reason(py, timeout);

		json_object_set_new(p, "program", cli_json_string(python));
		json_object_set_new(p, "ok", json_boolean(python_ok));
		json_object_set_new(p, "version", version ? cli_json_string(version) : json_null());
		json_object_set_new(p, "seconds", json_real(py->seconds));
		json_object_set_new(p, "error", reason ? cli_json_string(reason) : json_null());
		free(version);
		free(reason);
		json_object_set_new(o, "python", p);
		json_object_set_new(o, "tier", json_integer(tier));
		for (size_t i = 1; i < n_checks; i++) {
			const atlas_proc_result *r = atlas_proc_get(proc, i);
			json_t *im = json_object();
			bool ok = succeeded(r);
			char *why = ok ? NULL : failure_reason(r, timeout);
			json_object_set_new(im, "module", json_string(checks[i].module));
			json_object_set_new(im, "ok", json_boolean(ok));
			json_object_set_new(im, "timed_out", json_boolean(r->timed_out));
			json_object_set_new(im, "seconds", json_real(r->seconds));
			json_object_set_new(im, "error", why ? cli_json_string(why) : json_null());
			free(why);
			json_array_append_new(imports, im);
		}
		json_object_set_new(o, "imports", imports);
		json_t *cuda = json_object();
		json_object_set_new(cuda, "available", json_boolean(cuda_available));
		json_object_set_new(cuda, "source", json_string(torch_cuda >= 0 ? "torch" : "driver"));
		json_object_set_new(o, "cuda", cuda);
		json_object_set_new(o, "gpu", cli_gpu_json(gpu, &gpu_err));
		json_object_set_new(o, "require_gpu", json_boolean(require_gpu));
		json_object_set_new(o, "healthy", json_boolean(healthy));
		cli_json_line(o);
	} else {
		if (python_ok) {
			printf("%-8s python\n", "ok");
		} else {
			char *why = failure_reason(py, timeout);
			printf("%-8s python: %s\n", "FAILED", why ? why : "");
			free(why);
		}
		for (size_t i = 1; i < n_checks; i++) {
			const atlas_proc_result *r = atlas_proc_get(proc, i);
			if (succeeded(r)) {
				printf("%-8s import %s\n", "ok", checks[i].module);
			} else {
				char *why = failure_reason(r, timeout);
				printf("%-8s import %s: %s\n", r->timed_out ? "TIMEOUT" : "FAILED",
				    checks[i].module, why ? why : "");
				free(why);
			}
		}
		printf("%-8s %s (%s)\n", "cuda", cuda_available ? "available" : "not available",
		    torch_cuda >= 0 ? "torch" : "driver");
		char *summary = cli_gpu_summary(gpu, &gpu_err);
		printf("%-8s %s\n", "gpu", summary ? summary : "");
		free(summary);
		if (healthy) {
			puts("healthy");
		} else {
			const char *sep = " ";
			printf("unhealthy:");
			if (!python_ok) {
				printf("%spython does not start", sep);
				sep = "; ";
			}
			if (failed_imports > 0) {
				printf("%s%zu import%s failed", sep, failed_imports,
				    failed_imports == 1 ? "" : "s");
				sep = "; ";
			}
			if (require_gpu && !cuda_available)
				printf("%sATLAS_REQUIRE_GPU=1 but CUDA is not available", sep);
			putchar('\n');
		}
	}
	cli_gpu_free(gpu);
	atlas_proc_free(proc);
	return healthy ? EXIT_CLEAN : EXIT_PROBLEMS;
}
