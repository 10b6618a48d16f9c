"""Mentor matching benchmark: a batch of synthetic participants and mentors matched by
``hearth.mentorship.matching.match_batch`` (deferred acceptance with capacities).

    python -m bench.match [--participants 5000] [--mentors 300] [--seed 16] [--runs 3]
                          [--out var/bench/match.json]

``seconds`` is the median wall time of ``match_batch`` alone over ``--runs`` runs (scoring every
acceptable pair, ranking, proposing); ``cpu_seconds`` the median CPU time of the same runs (on the
shared 2-core machine wall time also measures waiting for a core); ``peak_mb`` is the peak Python
memory it allocated (tracemalloc, in another run so tracing does not slow the timed ones).
The three checks are computed on the result: ``capacity_ok`` (no mentor over their places),
``hard_preferences_ok`` (language and gender kept, nobody with themself) and ``stable`` (no
blocking pair, every pair's score recomputed independently).
Figures are not assertions. No Django settings, database or network needed.
"""

import argparse
import json
import random
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

from hearth.mentorship.matching import (
    GENDERS,
    INTERESTS,
    LIVED_EXPERIENCE,
    PATHWAYS,
    Mentor,
    Seeker,
    blocking_pairs,
    capacity_respected,
    hard_preferences_respected,
    hours_of_week,
    match_batch,
)

CHICAGO = -6 * 60
OFFSETS = (CHICAGO, CHICAGO, CHICAGO, -5 * 60, -7 * 60, -8 * 60)  # most people in the program's zone
LANGUAGE_MIX = (("en",),) * 14 + (("es",),) * 2 + (("en", "es"),) * 3 + (("en", "vi"),)


def _windows(rng: random.Random) -> list[tuple[int, int, int]]:
    windows = []
    for _ in range(rng.randint(1, 4)):
        day = rng.randrange(7)
        start = rng.choice((7, 9, 12, 15, 17, 18, 19)) * 60
        windows.append((day, start, min(start + rng.choice((60, 120, 180)), 24 * 60)))
    return windows


def _some(rng: random.Random, vocabulary, most: int) -> frozenset:
    return frozenset(rng.sample(sorted(vocabulary), rng.randint(0, most)))


def synthetic(participants: int, mentors: int, seed: int) -> tuple[list[Seeker], list[Mentor]]:
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not secrets
    people = []
    for i in range(participants):
        offset = rng.choice(OFFSETS)
        languages = rng.choice(LANGUAGE_MIX)
        people.append(
            Seeker(
                id=i + 1,
                person_id=i + 1,
                # Most name the language they want to talk in; a third ask for a gender.
                languages=frozenset(languages[:1]) if rng.random() < 0.8 else frozenset(),
                gender=rng.choice(sorted(GENDERS)) if rng.random() < 0.33 else "",
                pathways=_some(rng, PATHWAYS, 2),
                lived_experience=_some(rng, LIVED_EXPERIENCE, 2),
                interests=_some(rng, INTERESTS, 4),
                availability=hours_of_week(_windows(rng), offset),
                utc_offset_minutes=offset,
            )
        )
    guides = []
    for j in range(mentors):
        offset = rng.choice(OFFSETS)
        guides.append(
            Mentor(
                id=j + 1,
                person_id=participants + j + 1,
                languages=frozenset(rng.choice(LANGUAGE_MIX)),
                gender=rng.choice(("woman", "woman", "man", "man", "nonbinary")),
                pathways=_some(rng, PATHWAYS, 3),
                lived_experience=_some(rng, LIVED_EXPERIENCE, 3),
                interests=_some(rng, INTERESTS, 5),
                availability=hours_of_week(_windows(rng) + _windows(rng), offset),
                capacity=rng.randint(2, 6),
            )
        )
    return people, guides


def run(participants: int, mentors: int, seed: int, runs: int = 3) -> dict:
    seekers, guides = synthetic(participants, mentors, seed)
    walls, cpus = [], []
    for _ in range(max(runs, 1)):
        started, cpu_started = time.perf_counter(), time.process_time()
        result = match_batch(seekers, guides)
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu_started)
    tracemalloc.start()
    match_batch(seekers, guides)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    blocking = blocking_pairs(result, seekers, guides, limit=1)
    return {
        "participants": participants,
        "mentors": mentors,
        "places": sum(m.capacity for m in guides),
        "matched": len(result),
        "seconds": round(statistics.median(walls), 3),
        "cpu_seconds": round(statistics.median(cpus), 3),
        "runs": len(walls),
        "peak_mb": round(peak / 2**20, 1),
        "stable": not blocking,
        "capacity_ok": capacity_respected(result, guides),
        "hard_preferences_ok": hard_preferences_respected(result, seekers, guides),
        "mean_score": round(sum(s.score for s in result.values()) / max(len(result), 1), 2),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=5000)
    parser.add_argument("--mentors", type=int, default=300)
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=Path("var/bench/match.json"))
    args = parser.parse_args(argv)
    report = run(args.participants, args.mentors, args.seed, args.runs)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    json.dump(report, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
