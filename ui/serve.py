"""Start the app: `python -m ui.serve [streamlit options]` (what `make run` and the browser tests use).

Why not plain `streamlit run app.py`: Streamlit sees the `pages/` folder beside app.py and runs the
first session of a fresh server in its old multipage mode (pages without app.py's frame: no
language switch, no footer) until app.py has called st.navigation once. A journalist's deep link
(/map?...) as the first visit would get that page. Declaring navigation mode up front avoids it.

This leans on one Streamlit internal, `PagesManager.uses_pages_directory` (None = decide from the
folder; False = app.py calls st.navigation). tests/test_serve.py fails if an upgrade changes it,
and the AppTests use the same switch (tests/apptest.py), so they run the path `make run` serves.
"""
import sys
from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager

APP = Path(__file__).resolve().parent.parent / "app.py"


def declare_navigation_mode() -> None:
    """Tell Streamlit that app.py always calls st.navigation (never the pages/ folder's old mode)."""
    PagesManager.uses_pages_directory = False


def main(argv: list[str]) -> int:
    from streamlit.web import cli

    declare_navigation_mode()
    sys.argv = ["streamlit", "run", str(APP), *argv]
    return cli.main()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
