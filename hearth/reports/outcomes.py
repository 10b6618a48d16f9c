"""What counts as a reliable improvement on each measure the program report follows.

| measure | better | reliable improvement | source |
|---|---|---|---|
| PHQ-9 | lower | 5 points | Kroenke, Spitzer & Williams 2001; Löwe et al. 2004 (5 points: clinically meaningful) |
| GAD-7 | lower | 4 points | Toussaint et al. 2020 (minimal important difference 4); NHS Talking Therapies |
| BARC-10 | higher | 5 points | program convention: no published reliable change index; half a point per item |
| UCLA-3 | lower | 2 points | program convention: no published reliable change index; a third of the 3-9 range |

Recorded in docs/decisions.md (39). Change is measured from the person's first answer to their
latest answer up to the end of the report's range; a person with one answer has no change.
"""

from dataclasses import dataclass

from hearth.checkins.measures import BARC10, GAD7, PHQ9, UCLA3, Measure


@dataclass(frozen=True)
class ReliableChange:
    measure: Measure
    short: str  # the name on a chart's axis
    points: int
    source: str

    def improved(self, first: int, latest: int) -> bool:
        change = latest - first
        return change >= self.points if self.measure.higher_is_better else -change >= self.points


RELIABLE_CHANGE: tuple[ReliableChange, ...] = (
    ReliableChange(PHQ9, "PHQ-9", 5, "Kroenke, Spitzer & Williams 2001; Löwe et al. 2004"),
    ReliableChange(GAD7, "GAD-7", 4, "Toussaint et al. 2020"),
    ReliableChange(BARC10, "BARC-10", 5, "program convention (no published index)"),
    ReliableChange(UCLA3, "UCLA-3", 2, "program convention (no published index)"),
)

# Groups smaller than this are not shown in exports shared outside the care team.
SMALL_GROUP = 5
