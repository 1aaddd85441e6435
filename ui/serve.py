"""Start the app: `python -m ui.serve [streamlit options]` (what `make run` and the browser tests use).

Why not plain `streamlit run app.py`: Streamlit sees the `pages/` folder beside app.py and runs the
first session of a fresh server in its old multipage mode (pages without app.py's frame: no
language switch, no footer) until app.py has called st.navigation once. A journalist's deep link
(/map?...) as the first visit would get that page. Declaring navigation mode up front avoids it.
"""
import sys
from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

APP = Path(__file__).resolve().parent.parent / "app.py"

if __name__ == "__main__":
    PagesManager.uses_pages_directory = False  # app.py always calls st.navigation
    sys.argv = ["streamlit", "run", str(APP), *sys.argv[1:]]
    sys.exit(cli.main())
