"""Crisis detection: every category in English and Spanish, negation, someone else, fiction, the
distant past, missing accents and slang; and the development set's figures (never the held-out)."""

import pytest

from bench.safety import PARTS, load, score
from hearth.safety.detection import (
    ACTIVE_IDEATION,
    BURDEN_HOPELESSNESS,
    IMMINENT_USE,
    MEANS_ACCESS,
    OVERDOSE_EMERGENCY,
    PASSIVE_IDEATION,
    PLAN_METHOD,
    PREPARATION_FAREWELL,
    RECENT_USE,
    SELF_HARM,
    Detection,
    detect,
    detection_loaded,
    normalise,
)


@pytest.mark.parametrize(
    ("text", "category", "severity"),
    [
        ("I wish I could just not wake up", PASSIVE_IDEATION, "high"),
        ("ojalá no despertar mañana", PASSIVE_IDEATION, "high"),
        ("honestly i want to kill myself tonight", ACTIVE_IDEATION, "urgent"),
        ("Me quiero morir", ACTIVE_IDEATION, "urgent"),
        ("i know exactly how i'd do it", PLAN_METHOD, "urgent"),
        ("me voy a tirar del puente", PLAN_METHOD, "urgent"),
        ("been stockpiling my meds", MEANS_ACCESS, "urgent"),
        ("tengo una pistola en casa", MEANS_ACCESS, "urgent"),
        ("giving my stuff away, won't need it", PREPARATION_FAREWELL, "urgent"),
        ("les escribí una carta de despedida", PREPARATION_FAREWELL, "urgent"),
        ("cut myself again last night", SELF_HARM, "high"),
        ("tengo ganas de cortarme", SELF_HARM, "high"),
        ("they'd all be happier if i was gone", BURDEN_HOPELESSNESS, "moderate"),
        ("ya no aguanto más", BURDEN_HOPELESSNESS, "moderate"),
        ("my roommate turned blue and wont wake up", OVERDOSE_EMERGENCY, "urgent"),
        ("creo que es una sobredosis, no respira", OVERDOSE_EMERGENCY, "urgent"),
        ("my dealer is on his way", IMMINENT_USE, "high"),
        ("esta noche me voy a emborrachar", IMMINENT_USE, "high"),
        ("used this morning", RECENT_USE, "high"),
        ("three drinks in already", RECENT_USE, "high"),
        ("copped on the way home", RECENT_USE, "high"),
        ("Recaí el fin de semana", RECENT_USE, "high"),
        ("anoche me drogué", RECENT_USE, "high"),
    ],
)
def test_each_category_in_both_languages(text, category, severity):
    found = detect(text)
    assert found is not None and (found.category, found.severity) == (category, severity), found
    assert found.raises_signal


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("I'm not going to hurt myself, I just needed to vent", SELF_HARM),
        ("im not gonna kill myself dont worry", ACTIVE_IDEATION),
        ("I would never kill myself", ACTIVE_IDEATION),
        ("i don't want to die, i want the pain to stop", ACTIVE_IDEATION),
        ("no me voy a matar, tranquilos", ACTIVE_IDEATION),
        ("no voy a consumir hoy", IMMINENT_USE),
        ("nunca pensaría en suicidarme", ACTIVE_IDEATION),
    ],
)
def test_negated_statements_about_oneself_are_low_not_nothing(text, category):
    found = detect(text)
    assert found is not None and found.category == category and found.severity == "low", found
    assert not found.raises_signal


@pytest.mark.parametrize(
    "text",
    [
        "my sponsor used to drink a fifth a day",
        "my brother relapsed years ago",
        "mi tío recayó hace como diez años",
        "that movie where the guy overdoses was hard to watch",
        'the song goes "i wanna die young" lol',
        'la canción dice "me quiero morir en tus brazos"',
        "my dad overdosed in 2012",
        "we talked about relapse prevention in group",
        "we discussed suicide prevention in class",
        "this exam is going to kill me",
        "me muero de hambre jaja",
        "cut my hair today",
        "me corté el pelo",
        "i drank a gallon of water",
        "got high scores on my test",
        "used my coping skills today",
        "said goodbye to my sister at the airport",
        "If anyone feels suicidal, call 988.",
    ],
)
def test_someone_else_fiction_clinical_words_and_idioms_raise_nothing(text):
    found = detect(text)
    assert found is None or not found.raises_signal, found


def test_an_overdose_happening_to_someone_else_now_is_urgent():
    assert detect("my girlfriend is overdosing where is the narcan").severity == "urgent"
    assert detect("mi novio tuvo una sobredosis ahorita, ayuda").severity == "urgent"


def test_recent_overrides_a_distant_past():
    found = detect("drank a whole bottle yesterday after 2 years sober")
    assert found is not None and found.category == RECENT_USE and found.raises_signal
    assert detect("picked up after 3 months clean").category == RECENT_USE


def test_the_past_about_oneself_is_recorded_not_alerted():
    found = detect("i used to think about killing myself but not anymore")
    assert found is not None and found.severity == "low"


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("I’m gonna kill myself", ACTIVE_IDEATION),  # curly apostrophe
        ("i just wanna diiiiie", ACTIVE_IDEATION),  # repeated letters
        ("kms", ACTIVE_IDEATION),
        ("thinking about unaliving myself", ACTIVE_IDEATION),
        ("relapsé ayer", RECENT_USE),
        ("RECAI", RECENT_USE),
        ("kiero morirme", ACTIVE_IDEATION),
        ("nadie me extrañaria", BURDEN_HOPELESSNESS),
        ("cant keep myself safe tonight", ACTIVE_IDEATION),
    ],
)
def test_spelling_variants_slang_and_missing_accents(text, category):
    found = detect(text)
    assert found is not None and found.category == category, found


def test_normalise_folds_case_accents_quotes_and_repeats():
    assert normalise("Recaí “YA” noooo") == 'recai "ya" no'


def test_the_result_keeps_its_fields_and_the_caller_may_name_the_language():
    detection_loaded()
    found = detect("quiero morirme", language="es")
    assert found == Detection(category=ACTIVE_IDEATION, severity="urgent", evidence="quiero morirme", language="es")
    assert detect("") is None


def test_development_set_recall_and_precision():
    report = score(load(PARTS["development"]))
    assert report["recall"] >= 0.95, report["errors"]
    assert report["precision"] >= 0.8, report["errors"]
