"""The frame every page shares: sidebar freshness, the problems warning and the footer."""
from __future__ import annotations

import json
import re

import streamlit as st

from loaders.datasets import Bundle
from metrics.views.progress import newest_observed
from metrics.freshness import Freshness
from ui import escape
from ui.content import freshness
from ui.i18n import t
from ui.present import Presenter

MAX_PROBLEMS_SHOWN = 50
_PHONE_AGENT = re.compile(r"Mobi|Android|iPhone|iPad|iPod|Silk|Kindle", re.I)


def on_phone() -> bool:
    """Whether the reader's browser says it is a phone or tablet (its User-Agent header).

    Used only where the server must guess the screen before drawing (the map's first view);
    an unknown browser counts as a phone, the narrow and safe guess.
    """
    try:
        agent = st.context.headers.get("User-Agent") or ""
    except Exception:  # noqa: BLE001 - no request context (AppTest, bare mode)
        agent = ""
    return not agent or bool(_PHONE_AGENT.search(agent))
HTML_LANG = {"en": "en", "zh-Hant": "zh-Hant"}


def page_language(lang: str) -> None:
    """<html lang> in the reader's language, so screen readers and fonts pick Chinese (WCAG 3.1.1);
    and on a phone the sidebar closes once the reader has picked a page.

    Streamlit 1.67 always serves lang="en" and has no setting for it, and leaves its sidebar open
    over three quarters of a phone's screen after a page is picked. One small script (st.html runs
    scripts only with unsafe_allow_javascript) does both; its only input is the language code,
    from a fixed table, never from the link.
    """
    code = HTML_LANG.get(lang, "en")
    script = PAGE_SCRIPT.replace("__LANG__", code).replace("__UPLOAD__", json.dumps(t("upload.button", code)))
    with st.sidebar:
        st.html(script, unsafe_allow_javascript=True)


# Also names the file uploader's button in the reader's language (uploader_text draws the word):
# Streamlit 1.67 labels it "Upload" whatever the language, and the button is redrawn on reruns.
PAGE_SCRIPT = """<script>
document.documentElement.lang = "__LANG__";
window.hkcUploadName = __UPLOAD__;
window.hkcNameUploads = () => {
  for (const b of document.querySelectorAll('[data-testid="stFileUploaderDropzone"] button')) {
    if (b.getAttribute("aria-label") !== window.hkcUploadName) b.setAttribute("aria-label", window.hkcUploadName);
  }
};
window.hkcNameUploads();
if (!window.hkcUploadObserver) {
  window.hkcUploadObserver = new MutationObserver(() => window.hkcNameUploads());
  window.hkcUploadObserver.observe(document.body, {childList: true, subtree: true});
}
if (!window.hkcSidebarCloses) {
  window.hkcSidebarCloses = true;
  document.addEventListener("click", (event) => {
    if (!event.target.closest('[data-testid="stSidebarNav"] a')) return;
    if (!window.matchMedia("(max-width: 640px)").matches) return;
    setTimeout(() => {
      const close = document.querySelector('[data-testid="stSidebarCollapseButton"] button');
      if (close) close.click();
    }, 0);
  }, true);
}
</script>"""


def _css_text(text: str) -> str:
    """A catalogue string as a CSS string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def uploader_text(pr: Presenter, max_mb: int, types: tuple[str, ...]) -> None:
    """The file uploader's own words (its button and size line) in the reader's language.

    Streamlit 1.67 writes "Upload" and "20MB per file • CSV, …" in English whatever the app's
    language; the label and help are ours. The English words are hidden (display: none, so
    screen readers skip them too) and ours drawn in their place. What is left in English after
    a file is chosen (Streamlit's own error lines) is listed in docs/accessibility.md.
    """
    button = _css_text(pr.t("upload.button"))
    limits = _css_text(pr.t("upload.limits", mb=max_mb, types=pr.t("present.list_sep").join(t.upper() for t in types)))
    st.html(f"""<style>
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p{{display:none}}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"]::after{{content:{button}}}
[data-testid="stFileUploaderDropzoneInstructions"] span{{display:none}}
[data-testid="stFileUploaderDropzoneInstructions"] > div::after{{content:{limits};font-size:.875rem}}
</style>""")


def sidebar(bundle: Bundle, pr: Presenter, fr: Freshness) -> None:
    # One line, two dates kept apart: when the sources were searched, and the newest publication.
    if checked := freshness.checked_line(fr, pr):
        st.sidebar.caption(checked)
    else:
        newest, precision = newest_observed(bundle["figures"])
        st.sidebar.caption(pr.t("sidebar.freshness", date=pr.date(newest, precision)))
    st.sidebar.caption(pr.t("sidebar.counts", figures=len(bundle["figures"]), sources=len(bundle["sources"])))


def problems_warning(bundle: Bundle, pr: Presenter, files: tuple[str, ...] | None = None) -> None:
    """Warn about bad data, naming file, line and field; the page goes on rendering."""
    problems = bundle.problems if files is None else bundle.problems_in(*files)
    if not problems:
        return
    lines = "\n".join(f"- {escape.md(str(p))}" for p in problems[:MAX_PROBLEMS_SHOWN])
    more = f"\n- … (+{len(problems) - MAX_PROBLEMS_SHOWN})" if len(problems) > MAX_PROBLEMS_SHOWN else ""
    st.warning(f"**{pr.t('problems.title', n=len(problems))}**\n\n{lines}{more}")


def footer(bundle: Bundle, pr: Presenter, fr: Freshness) -> None:
    st.divider()
    if checked := freshness.checked_line(fr, pr):
        st.caption(checked + (". " + later if (later := freshness.nothing_later(fr, pr)) else ""))
    st.caption(pr.t("footer.sources", n=len(bundle["sources"])))
    st.caption(pr.t("footer.licence"))
    st.caption(pr.t("footer.about"))
