#!/bin/sh
# Runs Debian's redis-server in the foreground on loopback: FOURSITE_DATA, REDIS_PORT, REDIS_PASSWORD. Writes go to an
# append-only file in FOURSITE_DATA (synced every second, and on a clean stop), so what Redis accepted (RUM beacons
# waiting for PostgreSQL, share dedupe claims) survives a restart.
set -eu
mkdir -p "$FOURSITE_DATA"
exec redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --requirepass "$REDIS_PASSWORD" \
  --save "" --appendonly yes --appendfsync everysec --dir "$FOURSITE_DATA" --daemonize no
