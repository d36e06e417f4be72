#!/usr/bin/env bash
# Checkov from PyPI, into a virtualenv at <cache>/checkov, with <cache>/bin/checkov linking to its
# entry point. Every dependency is pinned by checkov-constraints.txt. pip keeps no download cache
# (nothing lands outside the e2e cache); a change of version reinstalls everything (under a minute).
#
# A virtualenv is tied to the Python that made it (its interpreter is a link to that Python), so
# the Python version is part of the stamp: a new Python rebuilds the virtualenv.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

require_tool python3 "Install Python 3.9 or later with its venv module (Debian: apt-get install python3 python3-venv); Checkov is installed from PyPI into a virtualenv."
python_version="$(python3 -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])')"
python3 -c 'import sys; sys.exit(0 if sys.version_info >= (3, 9) else 1)' ||
  die "Python $python_version is too old for Checkov $CHECKOV_VERSION (3.9 or later)."

constraints="$TOOLCHAIN_DIR/checkov-constraints.txt"
venv="$E2E_CACHE/checkov"
target="$E2E_BIN/checkov"
recipe="checkov $CHECKOV_VERSION python $python_version constraints $(sha256sum "$constraints" | cut -d' ' -f1)"
if stamp_matches "$target" "$recipe"; then
  log "checkov $CHECKOV_VERSION: cached"
  exit 0
fi

log "checkov $CHECKOV_VERSION (Python $python_version): installing from PyPI into $venv"
rm -rf "$venv" "$target" "$target.stamp"
python3 -m venv "$venv" 2>"$E2E_LOGS/checkov-venv.log" ||
  die "python3 -m venv failed (see $E2E_LOGS/checkov-venv.log); on Debian: apt-get install python3-venv"
run_logged "pip install checkov==$CHECKOV_VERSION" "$E2E_LOGS/checkov.log" \
  env PIP_DISABLE_PIP_VERSION_CHECK=1 \
  "$venv/bin/pip" install --no-cache-dir --no-input --progress-bar off -c "$constraints" "checkov==$CHECKOV_VERSION"
ln -s "$venv/bin/checkov" "$target"
write_stamp "$target" "$recipe"
# CKV_SKIP_PACKAGE_UPDATE_CHECK: no version check against PyPI.
log "  checkov $(CKV_SKIP_PACKAGE_UPDATE_CHECK=true "$target" --version)"
