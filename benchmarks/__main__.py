"""`python -m benchmarks` (make bench): see benchmarks/run.py and docs/benchmarks.md.

`python -m benchmarks site [...]` measures the static edition only (benchmarks/site.py); plain
`python -m benchmarks` runs both, the static edition after the app's benchmarks.
"""
import sys

argv = sys.argv[1:]
if argv[:1] == ["site"]:
    from benchmarks.site import main as site_main

    sys.exit(site_main(argv[1:]))

from benchmarks.run import main  # noqa: E402

code = main(argv)
if code == 0 and "--child" not in argv:
    from benchmarks.site import main as site_main  # noqa: E402

    code = site_main(["--update-doc"] if "--update-doc" in argv else [])
sys.exit(code)
