from capture.clock import SessionClock


def test_session_time_counts_from_the_start() -> None:
    ticks = iter([1_000, 1_250, 4_000])
    clock = SessionClock.start(monotonic=lambda: next(ticks), wall=lambda: 1_700_000_000_000)
    assert clock.now() == 250
    assert clock.now() == 3_000
    assert clock.to_wall_ns(3_000) == 1_700_000_003_000


def test_wall_time_is_read_once() -> None:
    walls = iter([10, 99, 99])
    clock = SessionClock.start(monotonic=lambda: 0, wall=lambda: next(walls))
    assert clock.wall_start_ns == 10
    assert clock.to_wall_ns(5) == 15
