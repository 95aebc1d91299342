import threading

import numpy as np

from capture.clock import SessionClock
from capture.grabber import Frame, FrameRing, ScreenChange, ScreenGrabber, changed_fraction


def frame(number: int, t_ns: int) -> Frame:
    return Frame(number, t_ns, 0, 0, 2, 2, bytes([number]) * 16)


def test_before_is_the_frame_of_the_last_grab_strictly_before() -> None:
    ring = FrameRing(capacity=3)
    ring.add_grab(100, frame(1, 100))
    ring.add_grab(200, None)  # same content again
    ring.add_grab(300, frame(2, 300))
    assert ring.before(100) is None
    found = ring.before(250)
    assert found is not None and found[0].number == 1 and found[1] == 200
    found = ring.before(301)
    assert found is not None and found[0].number == 2 and found[1] == 300


def test_ring_forgets_old_frames() -> None:
    ring = FrameRing(capacity=2)
    for n in range(1, 5):
        ring.add_grab(n * 100, frame(n, n * 100))
    assert ring.before(150) is None  # frame 1 is gone: better nothing than a wrong frame
    latest = ring.latest()
    assert latest is not None and latest.number == 4


def test_changed_fraction_samples_a_grid() -> None:
    a = np.zeros((64, 64, 4), np.uint8)
    b = a.copy()
    b[:32] = 255  # top half changed
    assert changed_fraction(a.tobytes(), b.tobytes(), 64, 64) == 0.5
    c = a.copy()
    c[1, 1] = 9  # off the grid: still reported as a (tiny) change
    assert 0 < changed_fraction(a.tobytes(), c.tobytes(), 64, 64) < 0.02


class FakeScreen:
    def __init__(self, images: list[bytes]) -> None:
        self.images = images
        self.closed = False

    def grab(self) -> tuple[int, int, int, int, bytes]:
        data = self.images.pop(0) if len(self.images) > 1 else self.images[0]
        return 0, 0, 4, 4, data

    def close(self) -> None:
        self.closed = True


def test_identical_grabs_are_not_new_frames() -> None:
    black, white = bytes(64), b"\xff" * 64
    changes: list[ScreenChange] = []
    ring = FrameRing()
    ticks = iter(range(0, 10**9, 1000))
    clock = SessionClock.start(monotonic=lambda: next(ticks), wall=lambda: 0)
    grabber = ScreenGrabber(FakeScreen([black, black, white, white]), clock, ring, changes.append)
    for _ in range(4):
        grabber.grab_once()
    assert [c.changed for c in changes] == [1.0, 1.0]
    latest = ring.latest()
    assert latest is not None and latest.number == 2 and latest.pixels == white
    assert grabber.grabs == 4


def test_grabber_thread_grabs_until_stopped_and_pauses() -> None:
    screen = FakeScreen([bytes(64)])
    ring = FrameRing()
    grabber = ScreenGrabber(screen, SessionClock.start(), ring, lambda _c: None, fps=200)
    grabber.start()
    threading.Event().wait(0.1)
    grabber.pause()
    paused_at = grabber.grabs
    threading.Event().wait(0.1)
    assert grabber.grabs - paused_at <= 1
    grabber.resume()
    threading.Event().wait(0.1)
    grabber.stop()
    assert paused_at > 5 and grabber.grabs > paused_at + 5
    assert screen.closed


class Hint:
    def __init__(self, answers: list[bool]) -> None:
        self.answers = answers
        self.closed = False

    def drawn(self) -> bool:
        return self.answers.pop(0)

    def close(self) -> None:
        self.closed = True


def test_ticks_grab_only_when_something_was_drawn() -> None:
    black, white = bytes(64), b"\xff" * 64
    screen = FakeScreen([black, white])
    ring = FrameRing()
    now = [0]
    clock = SessionClock.start(monotonic=lambda: now[0], wall=lambda: 0)
    hint = Hint([False, False, True, False])
    grabber = ScreenGrabber(screen, clock, ring, lambda _c: None, hint=hint, recheck_s=5)
    for t in (100, 200, 300, 400, 500):
        now[0] = t
        grabber.grab_once() if t == 100 else grabber.tick()
    assert (grabber.grabs, grabber.skipped) == (2, 3)
    # A skipped tick is still a look at the screen: the latest frame, seen then.
    found = ring.before(250)
    assert found is not None and found[0].pixels == black and found[1] == 200
    found = ring.before(450)
    assert found is not None and found[0].pixels == white and found[1] == 400


def test_a_real_grab_happens_every_recheck_interval_anyway() -> None:
    screen = FakeScreen([bytes(64)])
    now = [0]
    clock = SessionClock.start(monotonic=lambda: now[0], wall=lambda: 0)
    grabber = ScreenGrabber(
        screen, clock, FrameRing(), lambda _c: None, hint=Hint([False] * 10), recheck_s=1
    )
    grabber.grab_once()
    now[0] = 500_000_000
    grabber.tick()
    now[0] = 1_100_000_000
    grabber.tick()
    assert (grabber.grabs, grabber.skipped) == (2, 1)
    grabber.stop()
    assert screen.closed


def test_own_windows_are_painted_out_and_their_redraws_are_not_changes() -> None:
    from capture.grabber import MASK_BGRA
    from capture.screen import Rect

    white = b"\xff" * (8 * 4 * 4)
    other = bytearray(white)
    other[0:4] = b"\x00\x00\x00\xff"  # only pixel (0, 0) differs: inside the own window
    screen = FakeScreen([white, bytes(other)])
    changes: list[ScreenChange] = []
    ring = FrameRing()
    own = [Rect(0, 0, 2, 2)]
    grabber = ScreenGrabber(
        SizedScreen(screen, 8, 4), SessionClock.start(), ring, changes.append, masks=lambda: own
    )
    grabber.grab_once()
    grabber.grab_once()
    latest = ring.latest()
    assert latest is not None
    image = np.frombuffer(latest.pixels, np.uint8).reshape(4, 8, 4)
    assert [tuple(int(v) for v in image[y, x]) for y, x in ((0, 0), (1, 1))] == [MASK_BGRA] * 2
    assert tuple(int(v) for v in image[2, 2]) == (255, 255, 255, 255)
    assert len(changes) == 1  # the second grab differs only under the mask


class SizedScreen:
    def __init__(self, inner: FakeScreen, width: int, height: int) -> None:
        self.inner, self.width, self.height = inner, width, height

    def grab(self) -> tuple[int, int, int, int, bytes]:
        _, _, _, _, data = self.inner.grab()
        return 0, 0, self.width, self.height, data

    def close(self) -> None:
        self.inner.close()
