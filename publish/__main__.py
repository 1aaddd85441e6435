"""`python -m publish --out site/` (make site): build the static edition from data/."""
from __future__ import annotations

import argparse
import sys

from publish.site import Options, build, main_log


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m publish", description="Write the static edition (HTML, SVG, PNG, CSV, feeds) into a folder.")
    p.add_argument("--out", required=True, help="folder to write (replaced as a whole once the build is complete)")
    p.add_argument("--data-dir", default=None, help="data directory (default: $HKCCTV_DATA_DIR or data/)")
    p.add_argument("--app-url", default=None,
                   help="address of the live app (default: relative links one level above the edition, as production serves "
                        "the app at / and the edition at /edition/)")
    p.add_argument("--base-url", default=None,
                   help="the edition's own public address (e.g. https://example.org/edition/): enables sitemap.xml, canonical "
                        "links and absolute feed and embed links; nothing absolute is written without it")
    p.add_argument("--no-images", action="store_true", help="skip the SVG/PNG chart images (no browser needed)")
    p.add_argument("--chrome", default=None, help="Chrome/Chromium for the chart images (default: $BROWSER_PATH, then /usr/bin/chromium)")
    p.add_argument("--built-at", default=None, help="the build's timestamp (default: $SOURCE_DATE_EPOCH, else now)")
    p.add_argument("--snapshot", action="store_true", help="also keep this edition under versions/<data version>/")
    p.add_argument("--drop-versions", action="store_true", help="do not carry earlier versions/<label>/ snapshots into the new build")
    p.add_argument("--history-dir", default=None, help="history folder for data versions (default: $HKCCTV_HISTORY_DIR or history/)")
    a = p.parse_args(argv)
    for url in (a.app_url, a.base_url):
        if url and not url.startswith(("http://", "https://")):
            p.error(f"expected an http(s) address, got {url!r}")
    options = Options(app_url=a.app_url, base_url=a.base_url, images=not a.no_images, chrome=a.chrome, built_at=a.built_at,
                      snapshot=a.snapshot, keep_versions=not a.drop_versions, history_dir=a.history_dir)
    report = build(a.out, a.data_dir, options)
    for problem in report.problems:
        print(f"warning: {problem}", file=sys.stderr)
    if report.image_problem:
        print(f"note: {report.image_problem}", file=sys.stderr)
    main_log(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
