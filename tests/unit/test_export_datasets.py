"""Hugging Face Parquet and WebDataset exports, read back by ``datasets`` and ``webdataset``."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

import datasets
import numpy as np
import pyarrow.parquet as pq
import webdataset as wds

from capture.store.database import Database
from replay.export import hf
from replay.export.webdataset import WebDatasetExporter
from replay.store_source import StoreTrajectory
from tests.exports import DRAFT, NOTE, annotated, export
from tests.stored import HEIGHT, WIDTH, stored_session


def test_hf_parquet_loads_with_images_decoded(db: Database, tmp_path: Path) -> None:
    out = export("hf", [annotated(db)], tmp_path / "out")
    files = sorted(str(p) for p in (out / "data").glob("*.parquet"))
    ds = datasets.load_dataset(
        "parquet", data_files=files, split="train", cache_dir=str(tmp_path / "cache")
    )
    assert isinstance(ds.features["before"], datasets.Image)
    assert isinstance(ds.features["after"], datasets.Image)
    assert len(ds) == 6
    row = ds[0]
    before = np.asarray(row["before"])
    assert before.shape == (HEIGHT, WIDTH, 3)
    assert before[30, 40].max() == 20  # the dark square where the click landed
    assert np.asarray(row["after"]).shape == (HEIGHT, WIDTH, 3)
    assert row["action_type"] == "click"
    assert json.loads(row["action"]) == {
        "type": "click", "x": 40, "y": 30, "button": "left", "modifiers": []
    }  # fmt: skip
    assert row["point"] == [0.125, 0.15000000596046448]
    # the grounding box of the element clicked, in fractions of the screenshot
    assert (row["element_role"], row["element_name"]) == ("text", "Name")
    assert np.allclose(row["element_box"], [20 / WIDTH, 20 / HEIGHT, 100 / WIDTH, 44 / HEIGHT])
    assert ds[1]["element_box"] is None
    assert row["note"] == NOTE and row["draft_note"] == ""
    assert ds[1]["note"] == "" and ds[1]["draft_note"] == DRAFT
    failed = ds[2]
    assert (failed["outcome"], failed["tags"], failed["error_type"]) == (
        "failure", ["mistake"], "wrong_target"
    )  # fmt: skip
    assert row["verdict"] == "accept" and row["task_completed"] is True
    assert [r["step_index"] for r in ds] == list(range(6))
    # the dataset card points at the shards: the folder loads as it would from the Hub
    whole = datasets.load_dataset(str(out), split="train", cache_dir=str(tmp_path / "cache2"))
    assert len(whole) == 6 and isinstance(whole.features["before"], datasets.Image)


def test_hf_row_groups_stay_small_and_shards_rotate(
    db: Database, tmp_path: Path, monkeypatch
) -> None:
    sources = [StoreTrajectory(db, stored_session(db).id) for _ in range(12)]
    monkeypatch.setattr(hf, "ROW_GROUP", 16)
    monkeypatch.setattr(hf, "SHARD_BYTES", 40_000)
    out = export("hf", sources, tmp_path / "out")
    files = sorted((out / "data").glob("*.parquet"))
    assert len(files) > 1
    rows = 0
    for f in files:
        meta = pq.ParquetFile(f).metadata
        assert all(meta.row_group(i).num_rows <= 16 for i in range(meta.num_row_groups))
        rows += meta.num_rows
    assert rows == 72


def _samples(shards: list[str]) -> list[dict[str, Any]]:
    """Every sample through webdataset's own tar expansion, grouping and decoding.

    ``wds.WebDataset`` leaves its last shard's file for the garbage collector
    to close (a ResourceWarning); here the test opens and closes the files.
    """
    with contextlib.ExitStack() as files:
        streams = [{"url": s, "stream": files.enter_context(open(s, "rb"))} for s in shards]
        expanded = wds.tariterators.tar_file_expander(iter(streams))
        return list(wds.decode("rgb8")(wds.tariterators.group_by_keys(expanded)))


def test_webdataset_iterates_every_sample(db: Database, tmp_path: Path, monkeypatch) -> None:
    sources = [annotated(db)] + [StoreTrajectory(db, stored_session(db).id) for _ in range(3)]
    monkeypatch.setattr(WebDatasetExporter, "shard_bytes", 30_000)
    out = export("webdataset", sources, tmp_path / "out")
    shards = sorted(str(p) for p in out.glob("shard-*.tar"))
    assert len(shards) > 1
    samples = _samples(shards)
    assert len(samples) == 24
    for sample in samples:
        assert "." not in sample["__key__"]
        assert sample["before.png"].shape == (HEIGHT, WIDTH, 3)
        assert sample["after.png"].shape == (HEIGHT, WIDTH, 3)
        meta = sample["json"]
        assert sample["__key__"].endswith(f"_{meta['step_index']:06d}")
    first = samples[0]["json"]
    assert first["note"] == NOTE and first["action"]["type"] == "click"
    assert first["point"] == [0.125, 0.15]
    assert first["element"] == {
        "role": "text", "name": "Name", "states": ["editable", "focusable"],
        "box": [0.0625, 0.1, 0.3125, 0.22], "bbox_px": [20, 20, 80, 24],
    }  # fmt: skip
    assert samples[1]["json"]["element"] is None
    assert samples[1]["json"]["draft_note"] == DRAFT
    assert samples[2]["json"]["error_type"] == "wrong_target"
    assert first["trajectory"]["verdict"] == "accept"
