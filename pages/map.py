"""map page (placeholder until its issue lands)."""
import streamlit as st

from ui import data_io, layout, state
from ui.i18n import t

lang = state.lang()
bundle = data_io.bundle()
st.title(t("nav.map", lang))
layout.problems_warning(bundle, lang)
st.info(t("common.placeholder", lang))
