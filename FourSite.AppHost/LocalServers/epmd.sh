#!/bin/sh
# Runs the Erlang port mapper RabbitMQ registers with, in the foreground on loopback: ERL_EPMD_PORT.
set -eu
export ERL_EPMD_ADDRESS=127.0.0.1
exec epmd -port "$ERL_EPMD_PORT"
