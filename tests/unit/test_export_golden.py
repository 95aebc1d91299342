"""Every format's output for one small fixed session, compared with files reviewed by eye.

Screenshots are not compared here (their bytes follow the PNG encoder's
version); in inline formats an image reads ``<png WxH>``. To accept a
deliberate change: ``DEMOTRACE_UPDATE_GOLDEN=1 pytest tests/unit/test_export_golden.py``,
then read the diff.
"""

from __future__ import annotations

import base64
import json
import os
import re
import tarfile
from pathlib import Path

import cv2
import numpy as np
import pyarrow.parquet as pq
import pytest

from capture.store.database import Database
from replay.export.registry import FORMATS
from tests.exports import DATASET_FORMATS, annotated, export

GOLDEN = Path(__file__).parent.parent / "golden" / "export"
UPDATE = os.environ.get("DEMOTRACE_UPDATE_GOLDEN") == "1"


def _png(data: bytes) -> str:
    img = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    return f"<png {img.shape[1]}x{img.shape[0]}>"


def _inline(text: str) -> str:
    """Base64 PNGs (raw or as data URLs) replaced by their size."""

    def swap(m: re.Match[str]) -> str:
        return _png(base64.b64decode(m.group(2))) if m.group(1) is None else (
            "data:" + _png(base64.b64decode(m.group(2)))
        )  # fmt: skip

    return re.sub(r"(data:image/png;base64,)?(iVBORw0KGgo[A-Za-z0-9+/=]+)", swap, text)


def _texts(fmt: str, out: Path) -> dict[str, str]:
    """The export as named texts: text files as they are, binary containers rendered."""
    texts: dict[str, str] = {}
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        name = str(path.relative_to(out))
        if path.suffix == ".png":
            texts.setdefault("images.txt", "")
            texts["images.txt"] += f"{name} {_png(path.read_bytes())}\n"
        elif path.suffix == ".parquet":
            rows = pq.read_table(path).to_pylist()
            for row in rows:
                for col in ("before", "after"):
                    row[col] = {"path": row[col]["path"], "bytes": _png(row[col]["bytes"])}
            texts[name + ".json"] = json.dumps(rows, indent=1, ensure_ascii=False) + "\n"
        elif path.suffix == ".tar":
            lines = []
            with tarfile.open(path) as tar:
                for member in tar.getmembers():
                    data = tar.extractfile(member).read()  # type: ignore[union-attr]
                    shown = _png(data) if member.name.endswith(".png") else data.decode()
                    lines.append(f"{member.name}: {shown}")
            texts[name + ".txt"] = "\n".join(lines) + "\n"
        else:
            texts[name] = _inline(path.read_text(encoding="utf-8"))
    return texts


def test_every_golden_format_is_registered() -> None:
    assert set(DATASET_FORMATS) <= set(FORMATS)


@pytest.mark.parametrize("fmt", DATASET_FORMATS)
def test_export_matches_its_golden_files(db: Database, tmp_path: Path, fmt: str) -> None:
    out = export(fmt, [annotated(db)], tmp_path / "out")
    texts = _texts(fmt, out)
    folder = GOLDEN / fmt
    if UPDATE:
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.rglob("*"):
            if old.is_file():
                old.unlink()
        for name, text in texts.items():
            (folder / (name.replace("/", "__"))).write_text(text, encoding="utf-8")
    expected = {
        p.name.replace("__", "/"): p.read_text(encoding="utf-8")
        for p in folder.iterdir()
        if p.is_file()
    }
    assert sorted(texts) == sorted(expected)
    for name, text in texts.items():
        assert text == expected[name], f"{fmt}: {name} differs from its golden file"
