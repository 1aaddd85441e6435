"""Entry point: page config, shared sidebar and footer, and navigation over pages/."""
import streamlit as st

from ui import data_io, layout, state
from ui.i18n import t

# No page_icon: a Material icon favicon is fetched from a font CDN, which fails offline.
st.set_page_config(page_title="Hong Kong CCTV Watch", layout="wide")

lang = state.language_picker()
bundle = data_io.bundle()

PAGES = [
    st.Page("pages/progress.py", title=t("nav.progress", lang), icon=":material/trending_up:", url_path="progress", default=True),
    st.Page("pages/map.py", title=t("nav.map", lang), icon=":material/map:", url_path="map"),
    st.Page("pages/phases.py", title=t("nav.phases", lang), icon=":material/account_balance:", url_path="phases"),
    st.Page("pages/safeguards.py", title=t("nav.safeguards", lang), icon=":material/shield:", url_path="safeguards"),
    st.Page("pages/data.py", title=t("nav.data", lang), icon=":material/dataset:", url_path="data"),
]
page = st.navigation(PAGES)
layout.sidebar(bundle, lang)
page.run()
layout.footer(bundle, lang)
