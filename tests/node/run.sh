#!/usr/bin/env bash
# Starts a throw-away sandbox tenant on a free port, runs the MSAL for Node check against it under
# the real Microsoft host names (sandbox-preload.cjs), optionally the CLI for Microsoft 365 check
# (--cli), and always stops the sandbox.
#   bash tests/node/run.sh          # msal-node check
#   bash tests/node/run.sh --cli    # msal-node check, then the CLI for Microsoft 365 check
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
run_cli=0
[[ "${1:-}" == "--cli" ]] && run_cli=1

work="$(mktemp -d /tmp/m365-node-check.XXXXXX)"
sandbox_pid=""
cleanup() {
  if [[ -n "$sandbox_pid" ]] && kill -0 "$sandbox_pid" 2>/dev/null; then
    kill "$sandbox_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$sandbox_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$sandbox_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

if [[ ! -d "$here/node_modules/@azure/msal-node" ]]; then
  (cd "$here" && timeout 600 npm install --no-audit --no-fund --ignore-scripts)
fi

# Other sessions build the sandbox too; the lock keeps the builds from colliding.
(cd "$repo" && timeout 600 flock /tmp/m365-sandbox.lock dotnet build src/M365.Sandbox -v quiet -nologo >"$work/build.log" 2>&1) \
  || { cat "$work/build.log"; exit 1; }

descriptor="$work/state/sandbox.json"
dotnet "$repo/src/M365.Sandbox/bin/Debug/net10.0/M365.Sandbox.dll" serve --port 0 --state "$work/state" \
  --device-code-interval 1 >"$work/sandbox.log" 2>&1 &
sandbox_pid=$!

for _ in $(seq 1 300); do
  [[ -s "$descriptor" ]] && grep -q '"port"' "$descriptor" && break
  kill -0 "$sandbox_pid" 2>/dev/null || { echo "sandbox exited:"; cat "$work/sandbox.log"; exit 1; }
  sleep 0.1
done
[[ -s "$descriptor" ]] || { echo "sandbox did not write $descriptor within 30 s"; cat "$work/sandbox.log"; exit 1; }
ca="$(node -e 'process.stdout.write(require(process.argv[1]).caCertificatePath)' "$descriptor")"
echo "sandbox: $(node -e 'const d=require(process.argv[1]); process.stdout.write(d.url + " tenant " + d.tenantName + " " + d.tenantId)' "$descriptor")"

# No proxy: the preload routes the Microsoft hosts itself and refuses every other host.
export M365_SANDBOX="$descriptor" NODE_EXTRA_CA_CERTS="$ca"
unset HTTPS_PROXY HTTP_PROXY https_proxy http_proxy ALL_PROXY all_proxy

status=0
(cd "$here" && timeout 120 node --require ./sandbox-preload.cjs msal-node-check.mjs) || status=1

if [[ $run_cli -eq 1 ]]; then
  (cd "$here" && timeout 600 bash ./cli-check.sh "$work/cli-home") || status=1
fi
exit $status
