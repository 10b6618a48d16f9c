#!/usr/bin/env bash
# Refresh the Spanish catalogue from the code and templates, then compile it.
# Run from anywhere: messages are extracted from the hearth/ package only (never .venv or node_modules)
# into hearth/locale/es/LC_MESSAGES/django.po (settings.LOCALE_PATHS), and compiled to django.mo.
# After running it, translate any new or changed msgid in the .po (no empty or fuzzy entries) and run it
# again so the .mo matches; hearth/core/tests/test_translations.py fails until every msgid is translated.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
py="$root/.venv/bin/python"
[ -x "$py" ] || py=python3
command -v xgettext >/dev/null 2>&1 || { echo "xgettext is missing: install the Debian package gettext" >&2; exit 1; }
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-hearth.config.settings.test}"
cd "$root/hearth"
mkdir -p locale
"$py" ../manage.py makemessages -l es --domain django \
  --ignore=.venv --ignore=node_modules --ignore=var --no-obsolete --no-location
"$py" ../manage.py compilemessages -l es --ignore=.venv --ignore=node_modules --ignore=var
