"""Garbage-collector settings for a serving process (docs/decisions.md #28).

A full (generation 2) collection walks every tracked object of the process. In a server worker
holding 600 chat sockets that is ≈140,000 objects beside Django's own and took 90–110 ms of CPU,
during which the event loop delivers nothing: it set the chat's p99 latency on its own. Two
changes make it rare and cheaper:

- ``gc.freeze()`` once the application is loaded moves the ≈110,000 objects of the imported code
  (modules, classes, functions, settings) into the permanent generation, which no collection walks;
- a generation-2 threshold ten times the default: young cycles are still collected at once by the
  cheap generation 0 and 1 passes, and only the full pass runs less often.
"""

import gc

GENERATION_THRESHOLDS = (700, 10, 100)  # CPython's defaults are (700, 10, 10)


def tune_for_serving() -> None:
    """Call once per process after the application is loaded and before it serves."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GENERATION_THRESHOLDS)
