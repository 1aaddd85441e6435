"""Loaders: published files in data/ -> validated pandas DataFrames. No Streamlit here."""
