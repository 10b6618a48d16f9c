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
- AUDIT-C (Bush et al. 1998): three items 0-4, total 0-12; a positive screen is 4 or more for
  men and 3 or more for women (Bradley et al. 2007; 3 is used when sex is not given). Bands
  0-3 low, 4-5 moderate, 6-7 high, 8-12 severe risk.
- DAST-10 (Skinner 1982): ten yes/no items about the past 12 months, 1 point for "yes" except
  item 3 ("always able to stop"), which scores 1 for "no"; total 0-10; bands 0 none, 1-2 low,
  3-5 moderate, 6-8 substantial, 9-10 severe.
AUDIT-C and DAST-10 are intake screeners (SCREENERS), not periodic check-in measures (MEASURES).
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
    # Per-item choices where items differ (AUDIT-C); empty: ``options`` for every item.
    item_options: tuple[tuple[tuple[int, str], ...], ...] = ()
    # 0-based items whose points run the other way (DAST-10 item 3: "no" scores 1).
    reverse_scored: frozenset[int] = frozenset()
    # (sex, lowest positive total); "" is the cut-off when sex is not given.
    positive_cutoffs: tuple[tuple[str, int], ...] = ()

    def options_for(self, index: int) -> tuple[tuple[int, str], ...]:
        return self.item_options[index] if self.item_options else self.options

    def points(self, index: int, answer: int) -> int:
        values = [value for value, _label in self.options_for(index)]
        return min(values) + max(values) - answer if index in self.reverse_scored else answer

    @property
    def min_total(self) -> int:
        return sum(min(v for v, _l in self.options_for(i)) for i in range(len(self.items)))

    @property
    def max_total(self) -> int:
        return sum(max(v for v, _l in self.options_for(i)) for i in range(len(self.items)))

    def is_positive(self, total: int, sex: str = "") -> bool | None:
        if not self.positive_cutoffs:
            return None
        cutoffs = dict(self.positive_cutoffs)
        return total >= cutoffs.get(sex, cutoffs[""])

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
    # Screeners with a published cut-off (AUDIT-C); None where the measure has none.
    positive: bool | None = None


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

AUDITC = Measure(
    code="auditc",
    name="AUDIT-C",
    instructions=_("These questions are about drinks containing alcohol in the past year."),
    items=(
        _("How often do you have a drink containing alcohol?"),
        _("How many standard drinks containing alcohol do you have on a typical day?"),
        _("How often do you have six or more drinks on one occasion?"),
    ),
    options=((0, "0"), (1, "1"), (2, "2"), (3, "3"), (4, "4")),
    item_options=(
        (
            (0, _("Never")),
            (1, _("Monthly or less")),
            (2, _("2 to 4 times a month")),
            (3, _("2 to 3 times a week")),
            (4, _("4 or more times a week")),
        ),
        ((0, _("1 or 2")), (1, _("3 or 4")), (2, _("5 or 6")), (3, _("7 to 9")), (4, _("10 or more"))),
        (
            (0, _("Never")),
            (1, _("Less than monthly")),
            (2, _("Monthly")),
            (3, _("Weekly")),
            (4, _("Daily or almost daily")),
        ),
    ),
    bands=(
        Band(0, 3, _("Low risk"), "ok"),
        Band(4, 5, _("Moderate risk"), "watch"),
        Band(6, 7, _("High risk"), "concern"),
        Band(8, 12, _("Severe risk"), "concern"),
    ),
    positive_cutoffs=(("male", 4), ("female", 3), ("", 3)),
)

YES_NO = ((1, _("Yes")), (0, _("No")))

DAST10 = Measure(
    code="dast10",
    name="DAST-10",
    instructions=_(
        "These questions are about drug use in the past 12 months, not counting alcohol or medicines taken "
        "as prescribed."
    ),
    items=(
        _("Have you used drugs other than those required for medical reasons?"),
        _("Do you use more than one drug at a time?"),
        _("Are you always able to stop using drugs when you want to?"),
        _("Have you had “blackouts” or “flashbacks” as a result of drug use?"),
        _("Do you ever feel bad or guilty about your drug use?"),
        _("Does your spouse (or parents) ever complain about your involvement with drugs?"),
        _("Have you neglected your family because of your use of drugs?"),
        _("Have you engaged in illegal activities in order to obtain drugs?"),
        _("Have you ever experienced withdrawal symptoms (felt sick) when you stopped taking drugs?"),
        _(
            "Have you had medical problems as a result of your drug use (for example memory loss, hepatitis, "
            "convulsions, bleeding)?"
        ),
    ),
    options=YES_NO,
    reverse_scored=frozenset({2}),
    bands=(
        Band(0, 0, _("No problems reported"), "ok"),
        Band(1, 2, _("Low level"), "ok"),
        Band(3, 5, _("Moderate level"), "watch"),
        Band(6, 8, _("Substantial level"), "concern"),
        Band(9, 10, _("Severe level"), "concern"),
    ),
)

MEASURES: dict[str, Measure] = {m.code: m for m in (PHQ9, GAD7, BARC10, UCLA3)}
# The four screening instruments of remote intake (hearth.intake).
SCREENERS: dict[str, Measure] = {m.code: m for m in (PHQ9, GAD7, AUDITC, DAST10)}
MEASURE_CHOICES = [(m.code, m.name) for m in MEASURES.values()]


def measure_for(code: str) -> Measure:
    try:
        return MEASURES[code]
    except KeyError:
        raise ValidationError(_("Unknown questionnaire.")) from None


def score(measure: Measure, answers: list[int], *, sex: str = "") -> Score:
    """Total and band by the published rule (a sum of item points, reverse-scored items turned
    around); every item must be answered. ``sex`` only matters for sex-specific cut-offs (AUDIT-C)."""
    if len(answers) != len(measure.items):
        raise ValidationError(_("Please answer every question."))
    for index, answer in enumerate(answers):
        allowed = {value for value, _label in measure.options_for(index)}
        if not isinstance(answer, int) or isinstance(answer, bool) or answer not in allowed:
            raise ValidationError(_("An answer is outside the choices offered."))
    total = sum(measure.points(index, answer) for index, answer in enumerate(answers))
    return Score(
        total=total,
        band=measure.band_for(total),
        item9_positive=measure is PHQ9 and answers[8] > 0,
        positive=measure.is_positive(total, sex),
    )
