"""The refusal and coping skills a scene's choices are tagged with, and the coach's checklist for
an answer a person types in their own words.

The checklist looks for simple word cues in English and Spanish. It is a prompt to reflect, not
a score: a cue found is "you did this", a cue missing is a gentle tip, and skills that live in
the voice and the body (a firm voice, eye contact) are always a reminder to try out loud.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

SKILLS = {
    "say_no_first": _("Saying no first, without hesitation"),
    "firm_voice": _("A clear, firm voice"),
    "eye_contact": _("Eye contact and steady posture"),
    "suggest_alternative": _("Suggesting something else to do"),
    "ask_to_stop": _("Asking them to stop offering"),
    "change_subject": _("Changing the subject"),
    "no_excuses": _("No excuses or vague answers"),
    "no_guilt": _("No guilt"),
    "leave": _("Leaving the situation"),
    "delay": _("Delaying"),
    "call_support": _("Calling support"),
}

TIPS = {
    "say_no_first": _("Try starting with “No” or “No, thanks”. Saying it first makes the rest easier."),
    "firm_voice": _("Say it out loud once, in a calm, clear voice, as if you mean it. You do."),
    "eye_contact": _("Picture yourself looking at the person and standing tall while you say it."),
    "suggest_alternative": _("You could offer something else: a soda, a walk, a coffee tomorrow."),
    "ask_to_stop": _("If they keep asking, you can ask them to stop offering."),
    "change_subject": _("After your answer, you can move the talk to something else."),
    "no_excuses": _("Words like “maybe” or “not tonight” can sound like a door left open. A plain no is enough."),
    "no_guilt": _("You do not owe anyone an apology for taking care of your recovery."),
    "leave": _("It is always fine to leave. Knowing your way out is a skill."),
    "delay": _("Buying time helps: “Let me think about it” gives the urge a chance to pass."),
    "call_support": _("Think of who you could call or text right after: a mentor, a friend, your group."),
}

# Refusal basics: when one of these is missing, the coach suggests it; other skills are only
# mentioned when seen (a checklist of eleven tips would be a wall of text).
CORE_SKILLS = ("say_no_first", "suggest_alternative", "no_excuses", "no_guilt")
# Skills heard in how something is said, not in the words: always shown as something to try.
SPOKEN_SKILLS = ("firm_voice", "eye_contact")
# Skills shown when their cue words are *absent* (vague or apologetic words found = a tip).
ABSENCE_SKILLS = ("no_excuses", "no_guilt")

_CUES = {
    "say_no_first": r"^\W*(no|nope|nah|no thanks|no, gracias)\b",
    "suggest_alternative": (
        r"\b(instead|how about|what about|let'?s|i'?ll have a|i'?ll take a|soda|coffee|water|juice|tea|"
        r"en vez|mejor|qu[eé] tal si|vamos a|un caf[eé]|un refresco|agua|jugo|t[eé])\b"
    ),
    "ask_to_stop": (
        r"\b(stop (asking|offering)|please stop|don'?t offer|quit asking|don'?t ask me|"
        r"deja de|dejes de|no me ofrezcas|no insistas|ya no me ofrezcas|no me preguntes)\b"
    ),
    "change_subject": (
        r"\b(anyway|by the way|so how|how'?s|how is|tell me about|what'?s new|"
        r"por cierto|oye|cu[eé]ntame|c[oó]mo (va|est[aá]|te fue)|qu[eé] tal)\b"
    ),
    "leave": r"\b(leave|leaving|head(ing)? out|go home|going home|step outside|me voy|irme|salgo|me retiro)\b",
    "delay": (
        r"\b(let me think|give me a (minute|second)|not right now|i'?ll wait|later|tomorrow|"
        r"d[eé]jame pensar|dame un (minuto|momento)|ahora no|despu[eé]s|ma[nñ]ana)\b"
    ),
    "call_support": (
        r"\b(call|text|phone|sponsor|mentor|counsel?or|therapist|my group|"
        r"llamar|llamo|mensaje|padrino|madrina|consejer[oa]|terapeuta|mi grupo)\b"
    ),
    # Found = a tip (vague words or apologies), not a tick.
    "no_excuses": (
        r"\b(maybe|perhaps|i guess|kind of|sort of|not tonight|"
        r"tal vez|quiz[aá]s|a lo mejor|no s[eé]|hoy no)\b"
    ),
    "no_guilt": r"\b(sorry|i feel bad|forgive me|my fault|lo siento|perd[oó]n|disculpa|me siento mal|culpa)\b",
}
_PATTERNS = {skill: re.compile(pattern, re.IGNORECASE) for skill, pattern in _CUES.items()}


@dataclass(frozen=True)
class ChecklistItem:
    skill: str
    label: str
    state: str  # "seen" (you did this), "tip" (something to try), "try_aloud" (voice and body), "quiet"
    tip: str


def skill_label(code: str) -> str:
    return str(SKILLS.get(code, code))


def coach_checklist(text: str) -> list[ChecklistItem]:
    """What the coach notices in a typed answer, skill by skill, in the order of SKILLS."""
    text = (text or "").strip()
    items = []
    for skill in SKILLS:
        if skill in SPOKEN_SKILLS:
            state = "try_aloud"
        elif skill in ABSENCE_SKILLS:
            state = "tip" if _PATTERNS[skill].search(text) else "seen"
        else:
            state = "seen" if _PATTERNS[skill].search(text) else ("tip" if skill in CORE_SKILLS else "quiet")
        items.append(ChecklistItem(skill=skill, label=str(SKILLS[skill]), state=state, tip=str(TIPS[skill])))
    return items
