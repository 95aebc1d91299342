"""The real ``demotrace`` app as a process: start it, read its log lines, find its buttons."""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from typing import Any

from tests.xsession import ROOT, XServer, stop_process


@dataclass
class AppProcess:
    proc: subprocess.Popen[bytes]
    x: XServer
    events: list[dict[str, Any]] = field(default_factory=list)
    other: list[str] = field(default_factory=list)
    _buffer: bytearray = field(default_factory=bytearray)

    def _read(self, timeout: float) -> bool:
        assert self.proc.stderr is not None
        fd = self.proc.stderr.fileno()
        ready, _, _ = select.select([fd], [], [], timeout)
        if not ready:
            return False
        chunk = os.read(fd, 65536)
        if not chunk:
            return False
        self._buffer.extend(chunk)
        while b"\n" in self._buffer:
            end = self._buffer.index(b"\n") + 1
            line = self._buffer[:end].decode().strip()
            del self._buffer[:end]
            if line.startswith("{"):
                self.events.append(json.loads(line))
            elif line:
                self.other.append(line)
        return True

    def wait_for(self, event: str, timeout: float = 20, since: int = 0) -> dict[str, Any]:
        """The first ``event`` line at or after position ``since`` in the log."""
        deadline = time.monotonic() + timeout
        while True:
            for e in self.events[since:]:
                if e["event"] == event:
                    return e
            left = deadline - time.monotonic()
            if left <= 0 or (self.proc.poll() is not None and not self._read(0)):
                raise TimeoutError(f"no {event!r} from the app; saw {self.events} {self.other}")
            self._read(min(left, 0.2))

    def drain(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            self._read(max(0.0, end - time.monotonic()))

    def click(self, rect: list[int], button: str = "1") -> None:
        x, y, w, h = rect
        self.x.xdotool("mousemove", str(x + w // 2), str(y + h // 2), "click", button)

    def terminate(self, timeout: float = 30) -> int:
        self.proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while self.proc.poll() is None and time.monotonic() < deadline:
            self._read(0.1)
        return self.proc.wait(timeout=max(0.1, deadline - time.monotonic()))

    def close(self) -> None:
        stop_process(self.proc)


def start_app(x: XServer, db_url: str, home: str) -> AppProcess:
    """``demotrace --db URL`` on ``x``, its settings kept under ``home``; waits until shown."""
    env = {**x.env, "DEMOTRACE_LOG": "1", "XDG_CONFIG_HOME": home}
    proc = subprocess.Popen(
        [sys.executable, "-m", "desktop.cli", "--db", db_url],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    app = AppProcess(proc, x)
    try:
        app.wait_for("shown", timeout=60)
    except BaseException:
        app.close()
        raise
    return app
