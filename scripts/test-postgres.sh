#!/usr/bin/env bash
# npm run test:postgres — runs test/integration/postgres.test.ts against a throwaway PostgreSQL:
# installs Debian's postgresql when it is missing, starts a cluster of its own on 127.0.0.1 and a
# free port (trust auth, data in a temporary directory), runs the test with POSTGRES_URL set,
# then stops the server and deletes the cluster. Extra arguments go to vitest.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$pg_bin" ]; then
  echo "test:postgres: installing Debian's postgresql" >&2
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq postgresql >/dev/null
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi

# PostgreSQL refuses to run as root: root runs it as the postgres user the package created
run_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

data=$(mktemp -d "${TMPDIR:-/tmp}/livekit-langgraph-pg.XXXXXX")
[ "$(id -u)" -eq 0 ] && chown postgres: "$data"
port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")

stop() {
  run_pg "$pg_bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$data"
}
trap stop EXIT

run_pg "$pg_bin/initdb" -D "$data" -U postgres --auth=trust --no-sync -E UTF8 >/dev/null
run_pg "$pg_bin/pg_ctl" -D "$data" -l "$data/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $data -c fsync=off" start >/dev/null

echo "test:postgres: PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port" >&2
POSTGRES_URL="postgresql://postgres@127.0.0.1:$port/postgres" \
  npx vitest run test/integration/postgres.test.ts "$@"
