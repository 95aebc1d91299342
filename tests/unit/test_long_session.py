"""Memory stays flat while a long session goes through the real writer and live segmenter.

A shortened run of bench/long_session.py (which simulates eight hours): fifteen
simulated minutes of input at 100 Hz, frames of the screen every second. A
leak of frames (0.9 MB each, 900 of them) or of queued items would show as
hundreds of MB; the per-session history (steps, screen changes) is a few
hundred kB.
"""

from __future__ import annotations

from pathlib import Path

from bench.long_session import simulate


def test_resident_memory_stays_flat_over_a_quarter_hour_of_dense_input(tmp_path: Path) -> None:
    run = simulate(0.25, tmp_path, sample_every_h=1 / 60)
    assert run.events > 80_000 and run.steps > 100
    halfway = next(mb for h, mb in run.samples if h >= 0.125)
    assert run.samples[-1][1] - halfway < 4.0, run.samples
