"""`python -m loaders import-cameras SOURCE [--zh SOURCE] --out CSV`: a camera list -> cameras.csv.

The CSV is written by loaders.export (the app's one CSV writer: UTF-8, LF, formula guard) in
the schema's column order, so the same input always gives the same bytes.
"""
from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

import pandas as pd

from loaders import export
from loaders.importers.cameras.fetch import MAX_BYTES, fetch
from loaders.importers.cameras.importer import import_cameras
from loaders.importers.cameras.normalise import COLUMNS
from loaders.importers.cameras.notices import DataError, errors
from loaders.schema import CAMERA_PROGRAMMES, OPERATORS


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """cameras.csv bytes: UTF-8, LF, the schema's column order, shortest number formatting."""
    frame = pd.DataFrame({c: df[c] if c in df.columns else pd.Series([""] * len(df), dtype=object) for c in COLUMNS})
    return export.to_csv_bytes(frame)


def _default_source_id(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", Path(name).stem.lower()).strip("-")
    return slug or "user-upload"


def main_import_cameras(argv: list[str]) -> int:
    """Returns 0 when every row was imported (notices allowed), 1 when anything was left out."""
    p = argparse.ArgumentParser(prog="python -m loaders import-cameras",
                                description="Import a camera list (file or http(s) URL) into cameras.csv format.")
    p.add_argument("source", help="file path or http(s) URL")
    p.add_argument("--zh", help="Chinese Transport Department list joined on key for description_zh")
    p.add_argument("--out", required=True, type=Path, help="CSV to write")
    p.add_argument("--source-id", help="id of the source in sources.yaml for rows that name none (default: from the file name)")
    p.add_argument("--operator", choices=OPERATORS)
    p.add_argument("--programme", choices=CAMERA_PROGRAMMES)
    p.add_argument("--max-bytes", type=int, default=MAX_BYTES)
    a = p.parse_args(argv)
    try:
        data, name = fetch(a.source, max_bytes=a.max_bytes)
        zh, zh_name = fetch(a.zh, max_bytes=a.max_bytes) if a.zh else (None, None)
    except DataError as exc:
        for prob in exc.problems:
            print(prob, file=sys.stderr)
        return 1
    df, problems = import_cameras(data, name, zh=zh, zh_name=zh_name, source_id=a.source_id or _default_source_id(name),
                                  operator=a.operator, programme=a.programme, max_bytes=a.max_bytes)
    for prob in problems:
        print(prob, file=sys.stderr)
    left_out = errors(problems)
    if len(df) or not left_out:  # never replace a good file with nothing because the input was unusable
        a.out.parent.mkdir(parents=True, exist_ok=True)
        tmp = a.out.with_name(a.out.name + ".tmp")
        tmp.write_bytes(to_csv_bytes(df))
        os.replace(tmp, a.out)
        zh_count = int((df["description_zh"] != "").sum()) if len(df) else 0
        districts = df["district_code"].replace("", pd.NA).dropna().nunique() if len(df) else 0
        print(f"wrote {len(df)} cameras ({districts} districts, {zh_count} with a Chinese description) to {a.out}",
              file=sys.stderr)
    return 1 if left_out else 0
