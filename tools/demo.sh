#!/usr/bin/env bash
# Sets up, builds and runs the main job on the embedded defaults: migrates a mailbox into the
# local Zimbra SOAP test server (started here and stopped at the end) over verified TLS, then
# prints the summary and where the audit log is. The default mailbox is testdata/pstgen/demo.pst,
# written by tools/pstgen from testdata/pstgen/demo-description.json (40 items: appointments in
# ten zones incl. the DESY all-day trap and a long UID, series with deleted and modified
# instances, contacts, a distribution list, tasks; docs/pstgen.md).
#   tools/demo.sh [PST-FILE]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

tools/setup.sh

shared="${M2Z_SHARED_DIR:-$(cd .. && pwd)/shared}"
source_pst="${1:-$root/testdata/pstgen/demo.pst}"
account="user1@test.local"

echo "== build (release)"
cmake --preset release -DM2Z_SHARED_DIR="$shared" >/dev/null
cmake --build --preset release --target mapi2zimbra -j "$(nproc)" | tail -n 1

work="$root/out/demo"
mkdir -p "$work"
run_dir=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$run_dir"
}
trap cleanup EXIT

echo "== start the Zimbra SOAP test server (HTTPS on loopback, self-signed certificate)"
tools/zimbra-test-server/make-test-cert.sh "$run_dir" >/dev/null
umask 077
printf '%s\n' "demo-admin-secret" > "$run_dir/admin-password"
/usr/bin/python3 tools/zimbra-test-server/zimbra_test_server.py \
  --host 127.0.0.1 --port 0 --port-file "$run_dir/port" \
  --tls-cert "$run_dir/test-server.crt" --tls-key "$run_dir/test-server.key" \
  --schemas "$shared/zimbra-schemas/zcs8-2014a" \
  --admin-user admin@test.local --admin-password "$(cat "$run_dir/admin-password")" \
  --account "$account" 2>"$work/test-server.log" &
server_pid=$!
for _ in $(seq 1 100); do [ -s "$run_dir/port" ] && break; sleep 0.1; done
[ -s "$run_dir/port" ] || { echo "test server did not start; see $work/test-server.log" >&2; exit 1; }
port=$(cat "$run_dir/port")

echo "== migrate $(basename "$source_pst") -> $account"
status=0
build/release/tools/mapi2zimbra/mapi2zimbra migrate \
  --source "$source_pst" --account "$account" \
  --server "https://127.0.0.1:$port/service/admin/soap" \
  --admin-user admin@test.local --admin-password-file "$run_dir/admin-password" \
  --ca-file "$run_dir/test-server.crt" --schemas "$shared/zimbra-schemas/zcs8-2014a" \
  --audit-dir "$work/audit" || status=$?

curl -s --cacert "$run_dir/test-server.crt" "https://127.0.0.1:$port/test/state?account=$account" > "$work/server-state.json" || true
echo "== what the test server holds now: $work/server-state.json"
exit $status
