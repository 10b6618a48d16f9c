from django.urls import reverse
from django.utils import translation

from hearth.family.course import modules
from hearth.family.models import CourseProgress

TOPICS = {
    "understanding-use",
    "positive-communication",
    "rewarding-non-use",
    "natural-consequences",
    "self-care",
    "staying-safe",
    "inviting-to-treatment",
}


def test_the_course_has_every_module_in_both_languages():
    assert {m.slug for m in modules()} == TOPICS
    for module in modules():
        for language in ("en", "es"):
            text = module.text(language)
            assert text["title"] and text["summary"] and text["body"] and text["exercise"]
    assert "911" in " ".join(modules()[5].text("en")["body"]) and "naloxon" in " ".join(modules()[5].text("es")["body"])


def test_short_sentences_for_easy_reading():
    """A rough reading-level guard: short sentences (grade 6-8 text averages well under 20 words)."""
    for module in modules():
        words = " ".join(module.text("en")["body"]).split()
        sentences = sum(" ".join(module.text("en")["body"]).count(mark) for mark in ".?!")
        assert len(words) / sentences < 16, module.slug


def test_progress_is_saved_per_family_member(world, client_for):
    client = client_for(world.family_with_consent)
    response = client.post(reverse("family:course_module", args=["understanding-use"]))
    assert response.status_code == 302
    client.post(reverse("family:course_module", args=["understanding-use"]))  # twice: saved once
    assert CourseProgress.objects.filter(person=world.family_with_consent).count() == 1
    assert not CourseProgress.objects.filter(person=world.family_without).exists()
    assert "1 of 7" in client.get(reverse("family:course")).content.decode()


def test_module_page_in_spanish(world, client_for):
    client = client_for(world.family_with_consent)
    with translation.override("es"):
        html = client.get(reverse("family:course_module", args=["staying-safe"]), HTTP_ACCEPT_LANGUAGE="es").content
    assert b"naloxona" in html or b"Staying safe" in html


def test_unknown_module_is_404_and_non_family_403(world, client_for):
    assert client_for(world.family_with_consent).get(reverse("family:course_module", args=["nope"])).status_code == 404
    assert client_for(world.participant).get(reverse("family:course")).status_code == 403
