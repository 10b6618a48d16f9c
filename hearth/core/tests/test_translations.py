"""Spanish is a first-class language: every string is marked, and every marked string is translated.

A string added later without a Spanish translation fails here. To fix it: run scripts/i18n.sh,
translate the new entries in hearth/locale/es/LC_MESSAGES/django.po, run scripts/i18n.sh again.
"""

import ast
import gettext
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

PACKAGE_DIR = Path(settings.PACKAGE_DIR)
PO_PATH = PACKAGE_DIR / "locale" / "es" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")
FIX = "run scripts/i18n.sh, translate the entries in hearth/locale/es/LC_MESSAGES/django.po, run it again"

# %(name)s / %s style placeholders; both sides of a translation must use the same ones.
PLACEHOLDER = re.compile(r"%(?:\([A-Za-z_][A-Za-z0-9_]*\))?[sdif]")


def parse_po(text: str) -> list[dict]:
    """Entries of a .po file as dicts: flags, msgctxt, msgid, msgid_plural, msgstr (list of forms)."""
    entries = []
    for block in re.split(r"\n\s*\n", text.strip()):
        entry: dict = {"flags": set(), "msgstr": {}}
        key = None
        for line in block.splitlines():
            line = line.strip()
            if line.startswith("#~"):  # obsolete entry: not part of the catalogue
                entry = None
                break
            if line.startswith("#,"):
                entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#") or not line:
                continue
            elif line.startswith('"'):
                value = ast.literal_eval(line)
                if isinstance(key, int):
                    entry["msgstr"][key] += value
                else:
                    entry[key] += value
            else:
                keyword, _space, rest = line.partition(" ")
                value = ast.literal_eval(rest)
                match = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
                if match:
                    key = int(match.group(1))
                    entry["msgstr"][key] = value
                elif keyword == "msgstr":
                    key = 0
                    entry["msgstr"][0] = value
                else:
                    key = keyword
                    entry[key] = value
        if entry is not None and "msgid" in entry:
            entries.append(entry)
    return entries


def catalogue_problems(entries: list[dict]) -> list[str]:
    """msgids with an empty or fuzzy translation (the header entry excepted)."""
    problems = []
    for entry in entries:
        if entry["msgid"] == "":
            if "fuzzy" in entry["flags"]:
                problems.append("the header entry is marked fuzzy")
            continue
        label = entry["msgid"] if "msgctxt" not in entry else f"{entry['msgctxt']}|{entry['msgid']}"
        if "fuzzy" in entry["flags"]:
            problems.append(f"fuzzy: {label!r}")
        elif not entry["msgstr"] or any(not form for form in entry["msgstr"].values()):
            problems.append(f"untranslated: {label!r}")
    return problems


def test_spanish_catalogue_exists():
    assert PO_PATH.is_file(), f"{PO_PATH} is missing: {FIX}"
    assert MO_PATH.is_file(), f"{MO_PATH} is missing: run scripts/i18n.sh (it compiles the catalogue)"


def test_every_entry_is_translated_and_none_is_fuzzy():
    entries = parse_po(PO_PATH.read_text(encoding="utf-8"))
    assert len(entries) > 100, "the Spanish catalogue looks truncated"
    problems = catalogue_problems(entries)
    assert not problems, f"Spanish catalogue incomplete ({FIX}):\n" + "\n".join(problems)


def test_translations_keep_their_placeholders():
    wrong = []
    for entry in parse_po(PO_PATH.read_text(encoding="utf-8")):
        if not entry["msgid"]:
            continue
        sources = [entry["msgid"], entry.get("msgid_plural", entry["msgid"])]
        for index, translated in entry["msgstr"].items():
            source = sources[min(index, 1)]
            expected = sorted(PLACEHOLDER.findall(source))
            if translated and sorted(PLACEHOLDER.findall(translated)) != expected:
                wrong.append(f"{entry['msgid']!r} -> {translated!r}")
    assert not wrong, "translations that lost or changed a placeholder:\n" + "\n".join(wrong)


def test_compiled_catalogue_matches_the_po():
    """The .mo Django reads holds exactly the .po's translations (no forgotten compilemessages)."""
    with MO_PATH.open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    stale = []
    for entry in parse_po(PO_PATH.read_text(encoding="utf-8")):
        if not entry["msgid"] or "fuzzy" in entry["flags"]:
            continue
        context = entry.get("msgctxt")
        if "msgid_plural" in entry:
            plural = (entry["msgid"], entry["msgid_plural"], 1)
            got = compiled.npgettext(context, *plural) if context else compiled.ngettext(*plural)
            want = entry["msgstr"].get(0, "")
        else:
            got = compiled.pgettext(context, entry["msgid"]) if context else compiled.gettext(entry["msgid"])
            want = entry["msgstr"].get(0, "")
        if want and got != want:
            stale.append(repr(entry["msgid"]))
    assert not stale, "django.mo is out of date; run scripts/i18n.sh:\n" + "\n".join(stale)


def test_no_marked_string_lacks_a_spanish_translation(tmp_path, monkeypatch):
    """Extract messages from a copy of the package (so the real catalogue is untouched) and check
    that every msgid found in the code and templates has a Spanish translation."""
    if shutil.which("xgettext") is None or shutil.which("msgmerge") is None:
        pytest.skip(
            "xgettext/msgmerge not on PATH: install the Debian package gettext (scripts/ensure-system-packages.sh)"
        )
    copy = tmp_path / "hearth"
    shutil.copytree(
        PACKAGE_DIR,
        copy,
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo", "static", "node_modules"),
    )
    monkeypatch.chdir(copy)
    with override_settings(LOCALE_PATHS=[copy / "locale"]):
        call_command(
            "makemessages",
            locale=["es"],
            domain="django",
            ignore_patterns=[".venv", "node_modules", "var"],
            no_obsolete=True,
            verbosity=0,
        )
    extracted = parse_po((copy / "locale" / "es" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8"))
    assert len(extracted) > 100, "makemessages found suspiciously few strings"
    problems = catalogue_problems(extracted)
    assert not problems, f"strings in the code with no Spanish translation ({FIX}):\n" + "\n".join(problems)


@pytest.mark.django_db
def test_dashboard_speaks_spanish_to_a_spanish_speaker(world, client_for):
    world.participant.language = "es"
    world.participant.save(update_fields=["language"])
    response = client_for(world.participant).get("/dashboard/")
    assert response.status_code == 200
    page = response.content.decode()
    assert re.search(r'<html lang="es"[ >]', page)
    for text in (
        "Hola, Participant",
        "Tus próximos pasos",
        "Elige lo que tu familia puede ver",
        "Pide ayuda ahora",
        "Llama o envía un mensaje de texto al 988",
    ):
        assert text in page, f"{text!r} missing from the Spanish dashboard"
    assert "Your next steps" not in page
