"""The documents a participant signs at intake, as data. Changing a text means a new version:
a signature always names the version the person read."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Document:
    code: str
    version: str
    title: str
    paragraphs: tuple[str, ...]


TREATMENT = Document(
    code="treatment",
    version="treatment-2026.1",
    title=_("Consent to treatment"),
    paragraphs=(
        _(
            "I agree to take part in the intensive outpatient program: group and individual sessions, "
            "check-ins and questionnaires, and a treatment plan I make with my care team."
        ),
        _("I can ask questions at any time, and I can stop treatment at any time by telling my care team."),
    ),
)
TELEHEALTH = Document(
    code="telehealth",
    version="telehealth-2026.1",
    title=_("Consent to telehealth"),
    paragraphs=(
        _(
            "Sessions take place by video. Video has limits: a poor connection can cut a session short, and "
            "my care team cannot step in physically in an emergency."
        ),
        _(
            "At the start of each session I will be somewhere private, and I will tell my clinician where I "
            "am in case emergency help is needed."
        ),
    ),
)
GROUP_RULES = Document(
    code="group_rules",
    version="group-rules-2026.1",
    title=_("Group agreement"),
    paragraphs=(
        _("What is said in group stays in group. I will not share other members' names or stories."),
        _("I will not record, photograph or screenshot any session, chat or message."),
        _("Nobody else will be in the room or listening while I am in a group session."),
        _("I will treat everyone with respect, and come to sessions not under the influence."),
    ),
)
PART2_NOTICE = Document(
    code="part2_notice",
    version="part2-notice-2024.1",
    title=_("Notice of privacy: 42 CFR Part 2"),
    paragraphs=(
        _(
            "Federal law (42 CFR Part 2) protects the confidentiality of substance use treatment records. "
            "We do not tell anyone outside your care team that you take part in this program, or share "
            "your records, unless you give written consent or the law allows it (for example a medical "
            "emergency, a court order that meets Part 2, or reporting suspected child abuse)."
        ),
        _(
            "You can see who looked at your record, and you can grant or take back consent to share on "
            "the Sharing page at any time."
        ),
    ),
)

DOCUMENTS: dict[str, Document] = {d.code: d for d in (TREATMENT, TELEHEALTH, GROUP_RULES, PART2_NOTICE)}
