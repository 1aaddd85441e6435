"""Command line: `python -m loaders {check,import-cameras,import-districts,build-geo,export,docs,refresh,changes,watch,add-figure} ...`."""
from __future__ import annotations

import argparse
import sys


def main_check(argv: list[str]) -> int:
    from loaders.datasets import load_all

    p = argparse.ArgumentParser(prog="python -m loaders check", description="Validate every data file.")
    p.add_argument("--data-dir", default=None, help="data directory (default: $HKCCTV_DATA_DIR or data/)")
    a = p.parse_args(argv)
    bundle = load_all(a.data_dir)
    for prob in bundle.problems:
        print(prob)
    # The refresh and watch settings are checked too, so the daily job fails before it fetches.
    settings = _check_settings(bundle.root)
    for line in settings:
        print(line)
    if not bundle.problems and not settings:
        counts = ", ".join(f"{name} {len(df)}" for name, df in bundle.frames.items())
        print(f"ok: {bundle.root}: {counts}", file=sys.stderr)
    return 1 if bundle.problems or settings else 0


def _check_settings(root) -> list[str]:
    """Problems in data/refresh.yaml and data/watch.yaml (FILE:LINE: field: message), where present."""
    from loaders.refresh import RECIPE, RefreshError, load_recipe
    from loaders.watch import CONFIG, WatchError, load_config

    out = []
    for name, load, error in ((RECIPE, load_recipe, RefreshError), (CONFIG, load_config, WatchError)):
        if (root / name).exists():
            try:
                load(root)
            except error as exc:
                out += str(exc).splitlines()
    return out


def main_build_geo(argv: list[str]) -> int:
    from pathlib import Path

    from loaders.geo import build_geo

    p = argparse.ArgumentParser(prog="python -m loaders build-geo", description="Simplify the HAD district boundaries for display.")
    p.add_argument("source", type=Path)
    p.add_argument("--out", required=True, type=Path)
    p.add_argument("--tolerance", type=float, default=None)
    a = p.parse_args(argv)
    kwargs = {"tolerance": a.tolerance} if a.tolerance is not None else {}
    build_geo(a.source, a.out, **kwargs)
    return 0


def _import_cameras(argv: list[str]) -> int:
    from loaders.importers.cameras import main_import_cameras

    return main_import_cameras(argv)


def _import_districts(argv: list[str]) -> int:
    from loaders.importers.districts import main_import_districts

    return main_import_districts(argv)


def _export(argv: list[str]) -> int:
    from loaders.export import main_export

    return main_export(argv)


def _docs(argv: list[str]) -> int:
    from loaders.data_docs import main_docs

    return main_docs(argv)


def _refresh(argv: list[str]) -> int:
    from loaders.refresh import main_refresh

    return main_refresh(argv)


def _changes(argv: list[str]) -> int:
    from loaders.changes import main_changes

    return main_changes(argv)


def _watch(argv: list[str]) -> int:
    from loaders.watch import main_watch

    return main_watch(argv)


def _add_figure(argv: list[str]) -> int:
    from loaders.add_figure import main_add_figure

    return main_add_figure(argv)


COMMANDS = {
    "check": main_check,
    "import-cameras": _import_cameras,
    "import-districts": _import_districts,
    "build-geo": main_build_geo,
    "export": _export,
    "docs": _docs,
    "refresh": _refresh,
    "changes": _changes,
    "watch": _watch,
    "add-figure": _add_figure,
}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in COMMANDS:
        print(f"usage: python -m loaders {{{','.join(COMMANDS)}}} ...", file=sys.stderr)
        return 2
    return COMMANDS[argv[0]](argv[1:])


if __name__ == "__main__":
    sys.exit(main())
