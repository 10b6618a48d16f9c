#!/usr/bin/env bash
# Install the Debian packages the tests need when missing and the machine allows it (root + apt):
# chromium and chromium-driver for browser tests, gettext (xgettext, msgmerge) for the translation
# check, janus (Janus 1.1 SFU) for the video integration test and bench/video_join, nginx for the
# `nginx -t` check of deploy/nginx/ (hearth/tests/test_deploy_configs.py). Otherwise say loudly
# which tests will skip.
set -u
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
command -v xgettext >/dev/null 2>&1 || missing+=(gettext)
[ -x /usr/bin/janus ] || missing+=(janus)
[ -x /usr/sbin/nginx ] || missing+=(nginx)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null && exit 0
fi
echo "!!! WARNING: could not install ${missing[*]} (needs root and apt)." >&2
echo "!!! Tests that need them will be SKIPPED (browser tests need chromium and chromium-driver;" >&2
echo "!!! the check that every marked string has a Spanish translation needs gettext; the Janus video" >&2
echo "!!! test needs janus; the deploy config check needs nginx). Install them with apt." >&2
exit 1
