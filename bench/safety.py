"""Crisis-detection benchmark: recall and precision of ``hearth.safety.detection.detect`` on the
labelled evaluation set, and its time per message.

    python -m bench.safety [--repeat 20] [--out var/bench/safety.json]

A message is positive when its label is a category and its expected severity raises a signal
(urgent, high or moderate); a prediction is positive when detect returns one of those severities.
``recall``/``precision`` are over crisis + relapse together (any category); ``per_category`` needs
the category to match too. ``confusion`` counts expected → predicted, where a class is the category
when it raises a signal, ``low`` for a recorded-only result and ``none`` for nothing.
The held-out part (hearth/safety/evaluation/held_out.jsonl) is never used to tune the lexicon; the
development part is. ``p99_ms_per_message`` is over messages, each timed as the CPU time of
``--repeat`` calls divided by ``--repeat``; ``p99_ms_wall_single_call`` is wall time of single calls
(on a busy shared machine it mostly measures waiting for a core).
Timings are figures, not assertions. No Django, database or network needed.
"""

import argparse
import gc
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EVALUATION = ROOT / "hearth" / "safety" / "evaluation"
PARTS = {"held_out": EVALUATION / "held_out.jsonl", "development": EVALUATION / "development.jsonl"}


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _ratio(numerator: int, denominator: int) -> float:
    return round(numerator / denominator, 4) if denominator else 1.0


def expected_class(row: dict) -> str:
    if row["label"] == "none" or row["severity"] == "none":
        return "none"
    return "low" if row["severity"] == "low" else row["label"]


def predicted_class(detection) -> str:
    if detection is None:
        return "none"
    return detection.category if detection.raises_signal else "low"


def score(rows: list[dict]) -> dict:
    from hearth.safety.detection import CATEGORIES, detect

    tp = fp = fn = 0
    per = {category: Counter() for category in CATEGORIES}
    confusion: dict[str, Counter] = defaultdict(Counter)
    errors = []
    for row in rows:
        expected = expected_class(row)
        predicted = predicted_class(detect(row["text"], language=row["language"]))
        confusion[expected][predicted] += 1
        is_positive, said_positive = expected not in ("none", "low"), predicted not in ("none", "low")
        tp += is_positive and said_positive
        fp += said_positive and not is_positive
        fn += is_positive and not said_positive
        if expected in per:
            per[expected]["support"] += 1
        if expected == predicted and expected in per:
            per[expected]["tp"] += 1
        else:
            if predicted in per:
                per[predicted]["fp"] += 1
            if expected in per:
                per[expected]["fn"] += 1
        if expected != predicted:
            errors.append({"text": row["text"], "expected": expected, "predicted": predicted})
    per_category = {
        category: {
            "recall": _ratio(counts["tp"], counts["tp"] + counts["fn"]),
            "precision": _ratio(counts["tp"], counts["tp"] + counts["fp"]),
            "support": counts["support"],
            "tp": counts["tp"],
            "fp": counts["fp"],
            "fn": counts["fn"],
        }
        for category, counts in per.items()
    }
    return {
        "messages": len(rows),
        "recall": _ratio(tp, tp + fn),
        "precision": _ratio(tp, tp + fp),
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "per_category": per_category,
        "confusion": {expected: dict(sorted(row.items())) for expected, row in sorted(confusion.items())},
        "errors": errors,
    }


def timings_ms(texts: list[str], repeat: int) -> dict:
    """Per message: CPU time of ``repeat`` calls divided by ``repeat`` (the machine is shared, so wall
    time of a single call mostly measures the scheduler); and, for comparison, wall time per call."""
    from hearth.safety.detection import detect, detection_loaded

    detection_loaded()
    per_message, per_call = [], []
    gc.disable()
    try:
        for text in texts:
            started = time.process_time_ns()
            for _ in range(repeat):
                began = time.perf_counter_ns()
                detect(text)
                per_call.append(time.perf_counter_ns() - began)
            per_message.append((time.process_time_ns() - started) / repeat)
    finally:
        gc.enable()

    def percentile(values: list[float], fraction: float) -> float:
        values = sorted(values)
        return round(values[min(len(values) - 1, int(len(values) * fraction))] / 1e6, 4)

    return {
        "p99_ms_per_message": percentile(per_message, 0.99),
        "p50_ms_per_message": percentile(per_message, 0.5),
        "max_ms_per_message": percentile(per_message, 1.0),
        "p99_ms_wall_single_call": percentile(per_call, 0.99),
    }


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="timed passes over every message")
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "bench" / "safety.json")
    parser.add_argument("--errors", action="store_true", help="list the misclassified messages too")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    parts = {name: load(path) for name, path in PARTS.items()}
    report = {name: score(rows) for name, rows in parts.items()}
    if not args.errors:
        for part in report.values():
            part.pop("errors")
    report.update(timings_ms([row["text"] for rows in parts.values() for row in rows], args.repeat))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return report


if __name__ == "__main__":
    main()
