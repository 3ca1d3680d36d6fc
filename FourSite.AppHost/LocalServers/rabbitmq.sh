#!/bin/sh
# Runs Debian's RabbitMQ node in the foreground on loopback: FOURSITE_DATA, RABBITMQ_NODE_PORT, RABBITMQ_DIST_PORT,
# ERL_EPMD_PORT (an epmd already listening there), RABBITMQ_NODENAME, RABBITMQ_USER, RABBITMQ_PASSWORD.
set -eu
mkdir -p "$FOURSITE_DATA/mnesia" "$FOURSITE_DATA/log"
cat > "$FOURSITE_DATA/rabbitmq.conf" <<CONF
listeners.tcp.1 = 127.0.0.1:$RABBITMQ_NODE_PORT
default_user = $RABBITMQ_USER
default_pass = $RABBITMQ_PASSWORD
loopback_users = none
CONF
printf '[].\n' > "$FOURSITE_DATA/enabled_plugins"
export HOME="$FOURSITE_DATA"
export RABBITMQ_CONFIG_FILE="$FOURSITE_DATA/rabbitmq.conf"
export RABBITMQ_ENABLED_PLUGINS_FILE="$FOURSITE_DATA/enabled_plugins"
export RABBITMQ_MNESIA_BASE="$FOURSITE_DATA/mnesia"
export RABBITMQ_LOG_BASE="$FOURSITE_DATA/log"
export RABBITMQ_LOGS=-
export RABBITMQ_CONF_ENV_FILE=/dev/null
export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
exec /usr/lib/rabbitmq/bin/rabbitmq-server
