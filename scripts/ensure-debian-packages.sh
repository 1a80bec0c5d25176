#!/usr/bin/env bash
# Install the Debian packages given as arguments when they are missing and we may
# (root, or password-less sudo). Otherwise say which are missing and carry on: the tests
# that need them skip with a reason (and fail in CI).
set -u
missing=()
for package in "$@"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ]; then
  SUDO=""
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  SUDO="sudo -n"
else
  echo "Missing Debian packages (install them to run everything): ${missing[*]}" >&2
  exit 0
fi
if ! command -v apt-get >/dev/null; then
  echo "No apt-get here; missing packages: ${missing[*]}" >&2
  exit 0
fi
echo "Installing ${missing[*]}…" >&2
$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null \
  || echo "Could not install: ${missing[*]}" >&2
exit 0
