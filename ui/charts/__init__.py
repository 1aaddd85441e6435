"""Charts as pure functions: (view model, Presenter, options) -> plotly Figure (or a deck spec).

No Streamlit, so the app and the static edition draw the same figures, and tests assert on a
figure's traces and labels directly.
"""
