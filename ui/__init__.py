"""Presentation helpers shared by the pages. Only ui/state.py, ui/data_io.py and ui/layout.py import Streamlit."""
