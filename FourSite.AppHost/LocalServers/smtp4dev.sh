#!/bin/sh
# Runs smtp4dev, the mail catcher, on loopback: SMTP on SMTP4DEV_SMTP_PORT, IMAP on SMTP4DEV_IMAP_PORT, its web inbox on
# SMTP4DEV_HTTP_PORT, its messages in memory for the run. The Rnwood.Smtp4dev dotnet tool is installed into
# FOURSITE_TOOLS on first use.
set -eu
mkdir -p "$FOURSITE_TOOLS"
# Runs starting at the same moment (test assemblies side by side) take turns: the first installs, the others find it.
(
  flock 9
  if [ ! -x "$FOURSITE_TOOLS/smtp4dev" ]; then
    dotnet tool install Rnwood.Smtp4dev --version "$SMTP4DEV_VERSION" --tool-path "$FOURSITE_TOOLS" >&2
  fi
) 9>"$FOURSITE_TOOLS/.install.lock"
exec "$FOURSITE_TOOLS/smtp4dev" --urls="http://127.0.0.1:$SMTP4DEV_HTTP_PORT" --smtpport="$SMTP4DEV_SMTP_PORT" --bindaddress=127.0.0.1 \
  --hostname=localhost --db="" --nousersettings --messagestokeep=1000 --imapport="$SMTP4DEV_IMAP_PORT" --pop3port=0
