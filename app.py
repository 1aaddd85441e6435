"""Entry point: page config, shared sidebar and footer, and navigation over pages/."""
from pathlib import Path

import streamlit as st

from ui import data_io, layout, state

# A local favicon: with none, Streamlit shows the page's ":material/…:" icon, fetched from a font CDN.
FAVICON = Path(__file__).resolve().parent / "ui" / "assets" / "favicon.png"

st.set_page_config(page_icon=FAVICON, layout="wide")

lang = state.language_picker()
bundle = data_io.bundle()
pr = data_io.presenter(bundle.signature, lang, bundle)
fresh = data_io.view("freshness", bundle, lang)

PAGES = [
    st.Page("pages/progress.py", title=pr.t("nav.progress"), icon=":material/trending_up:", url_path="progress", default=True),
    st.Page("pages/map.py", title=pr.t("nav.map"), icon=":material/map:", url_path="map"),
    st.Page("pages/phases.py", title=pr.t("nav.phases"), icon=":material/account_balance:", url_path="phases"),
    st.Page("pages/safeguards.py", title=pr.t("nav.safeguards"), icon=":material/shield:", url_path="safeguards"),
    st.Page("pages/data.py", title=pr.t("nav.data"), icon=":material/dataset:", url_path="data"),
]
page = st.navigation(PAGES)
# The browser tab names the page and the site in the reader's language.
st.set_page_config(page_title=f"{page.title} · {pr.t('app.title')}")
layout.page_language(lang)
layout.sidebar(bundle, pr, fresh)
page.run()
layout.footer(bundle, pr, fresh)
