"""Standard questionnaires as data, scored by their published rules.

- PHQ-9 (Kroenke, Spitzer & Williams 2001): nine items 0-3, total 0-27; bands 0-4 minimal,
  5-9 mild, 10-14 moderate, 15-19 moderately severe, 20-27 severe. Item 9 (thoughts of
  death or self-harm) above 0 starts the safety protocol whatever the total.
- GAD-7 (Spitzer et al. 2006): seven items 0-3, total 0-21; bands 0-4 minimal, 5-9 mild,
  10-14 moderate, 15-21 severe.
- BARC-10 (Vilsaint et al. 2017): ten statements rated 1 (strongly disagree) to 6 (strongly
  agree), total 10-60; 47 or more goes with sustained remission.
- UCLA 3-item loneliness scale (Hughes et al. 2004): three items 1 (hardly ever) to 3
  (often), total 3-9; 6 or more is commonly read as lonely (Steptoe et al. 2013).
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Band:
    low: int
    high: int
    label: str
    # "ok" | "watch" | "concern": how a clinician's eye should be drawn, not a diagnosis.
    level: str


@dataclass(frozen=True)
class Measure:
    code: str
    name: str
    instructions: str
    items: tuple[str, ...]
    options: tuple[tuple[int, str], ...]
    bands: tuple[Band, ...]
    higher_is_better: bool = False

    @property
    def min_total(self) -> int:
        return min(value for value, _label in self.options) * len(self.items)

    @property
    def max_total(self) -> int:
        return max(value for value, _label in self.options) * len(self.items)

    def band_for(self, total: int) -> Band:
        for band in self.bands:
            if band.low <= total <= band.high:
                return band
        raise ValueError(f"{self.code}: total {total} outside every band")


@dataclass(frozen=True)
class Score:
    total: int
    band: Band
    item9_positive: bool = False


FREQUENCY_0_3 = (
    (0, _("Not at all")),
    (1, _("Several days")),
    (2, _("More than half the days")),
    (3, _("Nearly every day")),
)

PHQ9 = Measure(
    code="phq9",
    name="PHQ-9",
    instructions=_("Over the last 2 weeks, how often have you been bothered by any of the following problems?"),
    items=(
        _("Little interest or pleasure in doing things"),
        _("Feeling down, depressed, or hopeless"),
        _("Trouble falling or staying asleep, or sleeping too much"),
        _("Feeling tired or having little energy"),
        _("Poor appetite or overeating"),
        _("Feeling bad about yourself — or that you are a failure or have let yourself or your family down"),
        _("Trouble concentrating on things, such as reading the newspaper or watching television"),
        _(
            "Moving or speaking so slowly that other people could have noticed? Or the opposite — being so "
            "fidgety or restless that you have been moving around a lot more than usual"
        ),
        _("Thoughts that you would be better off dead or of hurting yourself in some way"),
    ),
    options=FREQUENCY_0_3,
    bands=(
        Band(0, 4, _("Minimal"), "ok"),
        Band(5, 9, _("Mild"), "ok"),
        Band(10, 14, _("Moderate"), "watch"),
        Band(15, 19, _("Moderately severe"), "concern"),
        Band(20, 27, _("Severe"), "concern"),
    ),
)

GAD7 = Measure(
    code="gad7",
    name="GAD-7",
    instructions=_("Over the last 2 weeks, how often have you been bothered by the following problems?"),
    items=(
        _("Feeling nervous, anxious, or on edge"),
        _("Not being able to stop or control worrying"),
        _("Worrying too much about different things"),
        _("Trouble relaxing"),
        _("Being so restless that it is hard to sit still"),
        _("Becoming easily annoyed or irritable"),
        _("Feeling afraid, as if something awful might happen"),
    ),
    options=FREQUENCY_0_3,
    bands=(
        Band(0, 4, _("Minimal"), "ok"),
        Band(5, 9, _("Mild"), "ok"),
        Band(10, 14, _("Moderate"), "watch"),
        Band(15, 21, _("Severe"), "concern"),
    ),
)

BARC10 = Measure(
    code="barc10",
    name="BARC-10",
    instructions=_("How much do you agree with each statement?"),
    items=(
        _("There are more important things to me in life than using substances."),
        _("In general I am happy with my life."),
        _("I have enough energy to complete the tasks I set myself."),
        _("I am proud of the community I live in and feel part of it."),
        _("I get lots of support from friends."),
        _("I regard my life as challenging and fulfilling without the need for using drugs or alcohol."),
        _("My living space has helped to drive my recovery journey."),
        _("I take full responsibility for my actions."),
        _("I am happy dealing with a range of professional people."),
        _("I am making good progress on my recovery journey."),
    ),
    options=(
        (1, _("Strongly disagree")),
        (2, _("Disagree")),
        (3, _("Somewhat disagree")),
        (4, _("Somewhat agree")),
        (5, _("Agree")),
        (6, _("Strongly agree")),
    ),
    bands=(
        Band(10, 46, _("Building recovery capital"), "watch"),
        Band(47, 60, _("Strong recovery capital"), "ok"),
    ),
    higher_is_better=True,
)

UCLA3 = Measure(
    code="ucla3",
    name=_("Loneliness (UCLA 3-item)"),
    instructions=_("How often do you feel…"),
    items=(
        _("…that you lack companionship?"),
        _("…left out?"),
        _("…isolated from others?"),
    ),
    options=((1, _("Hardly ever")), (2, _("Some of the time")), (3, _("Often"))),
    bands=(
        Band(3, 5, _("Not lonely"), "ok"),
        Band(6, 9, _("Lonely"), "watch"),
    ),
)

MEASURES: dict[str, Measure] = {m.code: m for m in (PHQ9, GAD7, BARC10, UCLA3)}
MEASURE_CHOICES = [(m.code, m.name) for m in MEASURES.values()]


def measure_for(code: str) -> Measure:
    try:
        return MEASURES[code]
    except KeyError:
        raise ValidationError(_("Unknown questionnaire.")) from None


def score(measure: Measure, answers: list[int]) -> Score:
    """Total and band by the published rule (a plain sum for all four); every item must be answered."""
    if len(answers) != len(measure.items):
        raise ValidationError(_("Please answer every question."))
    allowed = {value for value, _label in measure.options}
    if any(not isinstance(a, int) or isinstance(a, bool) or a not in allowed for a in answers):
        raise ValidationError(_("An answer is outside the choices offered."))
    total = sum(answers)
    return Score(total=total, band=measure.band_for(total), item9_positive=measure is PHQ9 and answers[8] > 0)
