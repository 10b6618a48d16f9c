#!/usr/bin/env bash
# Install the Debian packages the browser tests need (chromium, chromium-driver, gettext) when
# missing and the machine allows it (root + apt). Otherwise say loudly that browser tests will skip.
set -u
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null && exit 0
fi
echo "!!! WARNING: could not install ${missing[*]} (needs root and apt)." >&2
echo "!!! Browser tests will be SKIPPED. Install Debian's chromium and chromium-driver to run them." >&2
exit 1
