#!/usr/bin/env bash
# Test setup for the browser sign-in tests: makes sure Debian's chromium is at /usr/bin/chromium (apt-get, as root)
# and that tests/node/node_modules matches package-lock.json (npm ci; playwright-core never downloads a browser).
# Safe to run from several test processes at once (one flock). Exit 0 when ready; 2 when chromium is missing and
# cannot be installed here (not root), with the reason on stderr; 1 when an install failed.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec 9>"${TMPDIR:-/tmp}/m365-ensure-browser.lock"
flock -w 900 9 || { echo "ensure-browser: another setup held the lock for 15 minutes" >&2; exit 1; }

if [[ ! -x /usr/bin/chromium ]]; then
  if [[ $(id -u) -ne 0 ]]; then
    echo "ensure-browser: /usr/bin/chromium is missing and this is not root; install it with: sudo apt-get install -y chromium" >&2
    exit 2
  fi
  echo "ensure-browser: installing Debian's chromium" >&2
  export DEBIAN_FRONTEND=noninteractive
  timeout 600 apt-get update -qq >&2
  timeout 900 apt-get install -y -qq chromium >&2
fi

# node_modules is stale when it was installed from another package-lock.json (or by hand, without this script).
lock_hash="$(sha256sum "$here/package-lock.json" | cut -d' ' -f1)"
stamp="$here/node_modules/.m365-package-lock.sha256"
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$lock_hash" || ! -d "$here/node_modules/playwright-core" ]]; then
  echo "ensure-browser: npm ci in tests/node" >&2
  (cd "$here" && timeout 900 npm ci --no-audit --no-fund --ignore-scripts --loglevel=error >&2)
  echo "$lock_hash" >"$stamp"
fi
echo "ensure-browser: ready ($(/usr/bin/chromium --version 2>/dev/null | head -1), playwright-core $(node -p "require('$here/node_modules/playwright-core/package.json').version"))" >&2
