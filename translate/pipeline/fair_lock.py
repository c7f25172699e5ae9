"""A lock handed out in the order it was asked for.

The model is one and the CPU is too, so model batches run one at a time; with a
plain lock a long job that asks again at once can take it back before a waiting
caller wakes up. Turns in arrival order let two users' jobs interleave batch by
batch: a short text waits for one batch of a long one, never for all of it.
"""
from __future__ import annotations

import itertools
import threading


class FairLock:
    """A mutual-exclusion lock granted first come, first served (a ticket lock)."""

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._tickets = itertools.count()
        self._serving = 0
        self._abandoned: set[int] = set()

    def __enter__(self) -> FairLock:
        with self._condition:
            ticket = next(self._tickets)
            try:
                self._condition.wait_for(lambda: self._serving == ticket)
            except BaseException:  # interrupted while waiting: give the turn up
                self._abandoned.add(ticket)
                self._advance_past_abandoned()
                raise
        return self

    def __exit__(self, *exc) -> None:
        with self._condition:
            self._serving += 1
            self._advance_past_abandoned()

    def _advance_past_abandoned(self) -> None:
        while self._serving in self._abandoned:
            self._abandoned.discard(self._serving)
            self._serving += 1
        self._condition.notify_all()
