"""A desktop like a person's, on its own Xvfb: a window manager and the accessibility bus.

``Desktop`` starts a window manager (jwm), a D-Bus session bus and the
accessibility bus (at-spi2-core's bus launcher) for one X server, and gives
the environment apps and the recorder run in: Qt apps with accessibility on,
GTK apps on the same bus.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scripted.xserver import ROOT, XServer, read_line, require_tool, stop_process

BUS_LAUNCHER = Path("/usr/libexec/at-spi-bus-launcher")
SYSTEM_PYTHON = "/usr/bin/python3"  # Debian's, with python3-gi and GTK 3's introspection data


class Desktop:
    def __init__(self, x: XServer, home: Path) -> None:
        require_tool("jwm")
        require_tool("dbus-daemon")
        require_tool("xauth")
        if not BUS_LAUNCHER.exists():
            raise RuntimeError("at-spi2-core is not installed: run scripts/setup.sh")
        self.x = x
        home.mkdir(parents=True, exist_ok=True)
        (home / "runtime").mkdir(mode=0o700, exist_ok=True)
        xauthority = home / "Xauthority"
        subprocess.run(
            ["xauth", "-f", str(xauthority), "add", x.display, ".", os.urandom(16).hex()],
            check=True,
            capture_output=True,
        )
        self._procs: list[subprocess.Popen[Any]] = []
        base = {
            **x.env,
            "HOME": str(home),
            "XDG_RUNTIME_DIR": str(home / "runtime"),
            "XAUTHORITY": str(xauthority),
        }
        daemon = subprocess.run(
            ["dbus-daemon", "--session", "--fork", "--print-address=1", "--print-pid=1"],
            env=base,
            check=True,
            capture_output=True,
            text=True,
            timeout=30,
        )
        address, pid = daemon.stdout.split()[:2]
        self._bus_pid = int(pid)
        self.env = {
            **base,
            "DBUS_SESSION_BUS_ADDRESS": address,
            "QT_LINUX_ACCESSIBILITY_ALWAYS_ON": "1",
            "QT_ACCESSIBILITY": "1",
            "GTK_A11Y": "atspi",
        }
        self.env.pop("NO_AT_BRIDGE", None)
        self._start([str(BUS_LAUNCHER), "--launch-immediately"])
        self._start(["jwm"])
        self._wait_for_root_property("AT_SPI_BUS")
        self._wait_for_root_property("_NET_SUPPORTING_WM_CHECK")

    def _start(self, argv: list[str]) -> None:
        self._procs.append(
            subprocess.Popen(
                argv, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
        )

    def _wait_for_root_property(self, name: str) -> None:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            out = subprocess.run(
                ["xprop", "-root", name], env=self.env, capture_output=True, text=True
            ).stdout
            if out.strip() and "not found" not in out and "no such atom" not in out:
                return
            time.sleep(0.1)
        raise RuntimeError(f"{name} never appeared on the root window")

    def xdotool(self, *args: str) -> str:
        out = subprocess.run(
            ["xdotool", *args], env=self.env, check=True, capture_output=True, text=True, timeout=60
        )
        return out.stdout

    def close(self) -> None:
        for proc in reversed(self._procs):
            stop_process(proc)
        with contextlib.suppress(ProcessLookupError):
            os.kill(self._bus_pid, 15)


@dataclass
class AccessibleApp:
    """scripted/apps/accessible.py or gtk_form.py running on the desktop."""

    proc: subprocess.Popen[str]
    widgets: dict[str, list[int]]

    def center(self, name: str) -> tuple[int, int]:
        x, y, w, h = self.widgets[name]
        return x + w // 2, y + h // 2

    def wait_for(self, key: str, timeout: float = 20) -> Any:
        """The value of the next line the app prints with ``key``."""
        deadline = time.monotonic() + timeout
        while True:
            line = read_line(self.proc, max(0.1, deadline - time.monotonic())).strip()
            if not line and self.proc.poll() is not None:
                raise RuntimeError("the app exited")
            if line.startswith("{"):
                data = json.loads(line)
                if key in data:
                    return data[key]

    def close(self) -> None:
        stop_process(self.proc)


def start_accessible_app(
    desktop: Desktop, title: str, geometry: str, options: tuple[str, ...] = ()
) -> AccessibleApp:
    """scripted/apps/accessible.py (Qt)."""
    argv = [sys.executable, "-m", "scripted.apps.accessible", *options]
    return _start(desktop, argv, title, geometry)


def start_gtk_app(desktop: Desktop, title: str, geometry: str) -> AccessibleApp:
    """scripted/apps/gtk_form.py (GTK 3), on the system Python that has the GObject bindings."""
    if not Path(SYSTEM_PYTHON).exists():
        raise RuntimeError(f"{SYSTEM_PYTHON} is missing: run scripts/setup.sh")
    return _start(
        desktop, [SYSTEM_PYTHON, str(ROOT / "scripted/apps/gtk_form.py")], title, geometry
    )


def _start(desktop: Desktop, argv: list[str], title: str, geometry: str) -> AccessibleApp:
    proc = subprocess.Popen(
        [*argv, "--title", title, "--geometry", geometry],
        env=desktop.env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    app = AccessibleApp(proc, {})
    try:
        app.widgets = app.wait_for("widgets", timeout=60)
        app.wait_for("ready")
    except BaseException:
        stop_process(proc)
        raise
    return app


CHROMIUM_NAMES = ("chromium", "chromium-browser")
# A browser of its own: no first-run pages, no sync or updates, no GPU under Xvfb, the
# page's accessibility tree on from the start, the page filling the screen (kiosk).
CHROMIUM_FLAGS = (
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-gpu",
    "--disable-sync",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-features=Translate,MediaRouter",
    "--password-store=basic",
    "--force-renderer-accessibility",
    "--force-device-scale-factor=1",
    "--kiosk",
)


@dataclass
class Browser:
    """Chromium showing one page, full screen: the page's CSS pixels are screen pixels."""

    proc: subprocess.Popen[bytes]

    @property
    def pid(self) -> int:
        return self.proc.pid

    def close(self) -> None:
        # Its renderers and helpers are in its process group: end them with it.
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, 15)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, 9)
            self.proc.wait()


def start_browser(
    desktop: Desktop, page: Path, profile: Path, geometry: str | None = None
) -> Browser:
    """Chromium (scripts/setup.sh installs it) on ``page``, with a throwaway profile.

    Full screen; with ``geometry`` ("x,y,w,h") a window there instead, the page
    alone in it (an app window: no tabs or address bar).
    """
    binary = next((found for n in CHROMIUM_NAMES if (found := shutil.which(n))), None)
    if binary is None:
        raise RuntimeError("chromium is not installed: run scripts/setup.sh")
    sandbox = ["--no-sandbox"] if os.geteuid() == 0 else []  # root may not use the sandbox
    flags = list(CHROMIUM_FLAGS)
    target = [page.as_uri()]
    if geometry is not None:
        x, y, w, h = geometry.split(",")
        flags.remove("--kiosk")
        flags += [f"--window-position={x},{y}", f"--window-size={w},{h}"]
        target = [f"--app={page.as_uri()}"]
    proc = subprocess.Popen(
        [binary, *sandbox, *flags, f"--user-data-dir={profile}", *target],
        env=desktop.env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    return Browser(proc)
