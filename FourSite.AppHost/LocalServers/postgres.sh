#!/bin/sh
# Runs Debian's PostgreSQL in the foreground on loopback: FOURSITE_DATA (folder), PGPORT, POSTGRES_PASSWORD.
# As root it drops to the postgres user, which PostgreSQL requires. A stop (SIGTERM or SIGINT) becomes PostgreSQL's
# immediate shutdown: on SIGTERM postgres would wait for every session to end (pooled clients never leave), and a fast
# shutdown still writes every dirty buffer in its closing checkpoint, which on two busy cores outlasted the orchestrator's
# patience. The data folder belongs to this run; a start within the run recovers every committed transaction from the
# write-ahead log, as after a crash.
set -eu
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
as_postgres() { if [ "$(id -u)" = 0 ]; then setpriv --reuid=postgres --regid=postgres --init-groups -- "$@"; else "$@"; fi; }

mkdir -p "$FOURSITE_DATA"
[ "$(id -u)" = 0 ] && chown postgres:postgres "$FOURSITE_DATA"
chmod 700 "$FOURSITE_DATA"
if [ ! -f "$FOURSITE_DATA/PG_VERSION" ]; then
  pwfile="$FOURSITE_DATA/../postgres.pw"
  printf '%s' "$POSTGRES_PASSWORD" > "$pwfile"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$pwfile"
  as_postgres "$bin/initdb" -D "$FOURSITE_DATA" -U postgres --pwfile="$pwfile" --auth=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null
  rm -f "$pwfile"
fi
set -- "$bin/postgres" -D "$FOURSITE_DATA" -p "$PGPORT" -k /tmp -c listen_addresses=127.0.0.1 -c max_connections=300
# Should this script itself be killed (the orchestrator's SIGKILL after its patience runs out), postgres goes with it:
# an orphaned postmaster would hold the port and the output pipes, and the resource would never be seen to stop.
if [ "$(id -u)" = 0 ]; then
  setpriv --pdeathsig KILL --reuid=postgres --regid=postgres --init-groups -- "$@" &
else
  setpriv --pdeathsig KILL -- "$@" &
fi
pid=$!
trap 'kill -QUIT "$pid" 2>/dev/null || true' TERM INT
status=0
# wait returns early when a signal arrives: keep waiting until postgres itself has exited.
while kill -0 "$pid" 2>/dev/null; do
  if wait "$pid"; then status=0; else status=$?; fi
done
exit "$status"
