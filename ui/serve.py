"""Start the app: `python -m ui.serve [streamlit options]` (what `make run` and the browser tests use).

Why not plain `streamlit run app.py`: Streamlit sees the `pages/` folder beside app.py and runs the
first session of a fresh server in its old multipage mode (pages without app.py's frame: no
language switch, no footer) until app.py has called st.navigation once. A journalist's deep link
(/map?...) as the first visit would get that page. Declaring navigation mode up front avoids it.

This leans on one Streamlit internal, `PagesManager.uses_pages_directory` (None = decide from the
folder; False = app.py calls st.navigation). tests/test_serve.py fails if an upgrade changes it,
and the AppTests use the same switch (tests/apptest.py), so they run the path `make run` serves.

`--production` (what `make serve`, the compose file and the Kubernetes example pass) adds
PRODUCTION_OPTIONS: no file watcher, no run-on-save, no browser, no usage statistics, and no
error details shown to readers (a traceback names server paths). Several replicas run this same
command on different ports behind nginx (deploy/stack.py); they share one cookie secret, given in
the environment (STREAMLIT_SERVER_COOKIE_SECRET), so a session that moves to another replica keeps
working.
"""
import sys
from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager

APP = Path(__file__).resolve().parent.parent / "app.py"


def declare_navigation_mode() -> None:
    """Tell Streamlit that app.py always calls st.navigation (never the pages/ folder's old mode)."""
    PagesManager.uses_pages_directory = False


PRODUCTION_OPTIONS = (
    "--server.headless", "true",
    "--server.fileWatcherType", "none",
    "--server.runOnSave", "false",
    "--browser.gatherUsageStats", "false",
    "--client.showErrorDetails", "none",
)


def streamlit_args(argv: list[str]) -> list[str]:
    """The `streamlit run` options for argv: `--production` expands to PRODUCTION_OPTIONS (options
    given after it still win, as Streamlit takes the last value of an option)."""
    out: list[str] = []
    for arg in argv:
        out.extend(PRODUCTION_OPTIONS if arg == "--production" else (arg,))
    return out


def command(port: int, address: str = "127.0.0.1", *extra: str, python: str = sys.executable) -> list[str]:
    """The command line of one production replica on a port (deploy/stack.py runs several)."""
    return [python, "-m", "ui.serve", "--production", "--server.port", str(port), "--server.address", address, *extra]


UPLOAD_SPOOL_BYTES = 32 * 1024 * 1024  # above .streamlit/config.toml's 20 MB upload limit


def keep_uploads_in_memory() -> None:
    """Uploaded files never touch the disk.

    Streamlit's upload route parses the form with Starlette, which spools any file part over 1 MB
    to a temporary file (SpooledTemporaryFile) before Streamlit reads it back into memory. A file
    a reader uploads must not be written to disk (CONTRIBUTING: nothing a user supplies is), so the
    spool threshold is raised above the upload limit. tests/test_serve_config.py fails if
    Starlette renames this setting."""
    from starlette.formparsers import MultiPartParser

    MultiPartParser.spool_max_size = UPLOAD_SPOOL_BYTES


def main(argv: list[str]) -> int:
    from streamlit.web import cli

    declare_navigation_mode()
    keep_uploads_in_memory()
    sys.argv = ["streamlit", "run", str(APP), *streamlit_args(argv)]
    return cli.main()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
