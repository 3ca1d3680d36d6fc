#!/bin/sh
# Runs Debian's redis-server in the foreground on loopback, in memory only: FOURSITE_DATA, REDIS_PORT, REDIS_PASSWORD.
set -eu
mkdir -p "$FOURSITE_DATA"
exec redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --requirepass "$REDIS_PASSWORD" \
  --save "" --appendonly no --dir "$FOURSITE_DATA" --daemonize no
