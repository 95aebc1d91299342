"""Exporters registered by name, and the one way an export reaches its output path.

Each format lives in a module of its own with a class following ``Exporter``;
``FORMATS`` maps the name users type to ``module:Class``, imported only when
that format is asked for.
"""

from __future__ import annotations

import importlib
import os
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from capture.errors import DemotraceError
from replay.trajectory import TrajectorySource

# name -> "module:Class"; the CLI's --format choices and help come from here.
FORMATS: dict[str, str] = {
    "bundle": "replay.export.bundle:BundleExporter",
    "agentnet": "replay.export.agentnet:AgentNetExporter",
    "anthropic": "replay.export.anthropic:AnthropicExporter",
    "openai": "replay.export.openai:OpenAIExporter",
    "uitars": "replay.export.uitars:UITarsExporter",
    "uitars-1.0": "replay.export.uitars:UITars10Exporter",
    "hf": "replay.export.hf:HuggingFaceExporter",
    "webdataset": "replay.export.webdataset:WebDatasetExporter",
    "atif": "replay.export.atif:AtifExporter",
    "markdown": "replay.export.markdown:MarkdownExporter",
    "html": "replay.export.html:HtmlReport",
}

# Called as progress(done, total) after each step written.
Progress = Callable[[int, int], None]


class ExportError(DemotraceError):
    """An export that cannot be made; nothing is left at the output path."""


@dataclass(frozen=True)
class ExportOptions:
    # Longest screenshot edge in the export (formats whose consumers resize); None keeps pixels.
    max_size: int | None = None
    # Bundles only: add context.mp4, the session's kept frames as video.
    video: bool = False


class Exporter(Protocol):
    name: str
    summary: str  # one line for --help

    def export(
        self,
        sources: Sequence[TrajectorySource],
        out: Path,
        options: ExportOptions,
        progress: Progress,
    ) -> None:
        """Write ``sources`` into the directory (or file) ``out``, which does not exist yet."""


def exporter(name: str) -> Exporter:
    spec = FORMATS.get(name)
    if spec is None:
        known = ", ".join(sorted(FORMATS)) or "none"
        raise ExportError(f"unknown format {name!r}; known formats: {known}")
    module_name, _, class_name = spec.partition(":")
    cls = getattr(importlib.import_module(module_name), class_name)
    return cls()


def check_output(out: Path, force: bool) -> None:
    """Refuse an output path that exists and holds something, unless ``force``."""
    if out.is_dir() and any(out.iterdir()) and not force:
        raise ExportError(f"{out} exists and is not empty; choose another path or pass --force")
    if out.exists() and not out.is_dir() and not force:
        raise ExportError(f"{out} exists; choose another path or pass --force")


def write_atomically(out: Path, force: bool, write: Callable[[Path], None]) -> None:
    """Run ``write(tmp)`` into a fresh path beside ``out``, then move it into place.

    On any failure the temporary output is removed and ``out`` is untouched,
    so an export never leaves a half-written dataset behind.
    """
    check_output(out, force)
    parent = out.parent if str(out.parent) else Path(".")
    try:
        parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=parent))
    except OSError as exc:
        raise ExportError(f"cannot write to {parent}: {exc.strerror}") from None
    tmp = staging / out.name
    try:
        write(tmp)
        if out.exists():
            if out.is_dir() and not out.is_symlink():
                shutil.rmtree(out)
            else:
                out.unlink()
        os.replace(tmp, out)
    except OSError as exc:
        raise ExportError(f"cannot write {out}: {exc.strerror or exc}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
