"""Independent pieces of work on every core, when there is enough work to pay for the processes.

Packages are validated, and their downloads made, independently of each other; on a large
site that is most of a build. Worker processes are started fresh ("spawn"), never forked, so
that a build run from the live-preview server (which has threads) is safe. Results come back
in the order of the inputs, so the output does not depend on which worker finished first.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

from generator.problems import progress

Item = TypeVar("Item")
Result = TypeVar("Result")

WORTH_A_PROCESS = 20 * 1024 * 1024  # bytes of input: below this, starting processes costs more than it saves


def workers() -> int:
    """How many processes may work at once: the cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def map_ordered(function: Callable[[Item], Result], items: Sequence[Item], input_bytes: int) -> list[Result]:
    """``[function(item) for item in items]``, spread over processes when it is worth it.

    ``function`` and the items and results must be picklable (a module-level function).
    """
    processes = min(workers(), len(items))
    if processes < 2 or input_bytes < WORTH_A_PROCESS:
        return [function(item) for item in items]
    initializer = progress.show if progress.showing() else None  # a worker shows progress when this process does
    with ProcessPoolExecutor(max_workers=processes, mp_context=multiprocessing.get_context("spawn"), initializer=initializer) as pool:
        return list(pool.map(function, items))
