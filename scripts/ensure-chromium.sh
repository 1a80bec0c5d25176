#!/usr/bin/env bash
# The browser tests drive Debian's Chromium. Install it when it is missing and we may.
set -u
[ -x /usr/bin/chromium ] && exit 0
if [ "$(id -u)" = 0 ]; then
  SUDO=""
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  SUDO="sudo -n"
else
  echo "Chromium is missing and this user cannot install it: browser tests will be skipped." >&2
  exit 0
fi
if command -v apt-get >/dev/null; then
  echo "Installing Chromium for the browser tests…" >&2
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null \
    || echo "Could not install Chromium: browser tests will be skipped." >&2
fi
exit 0
