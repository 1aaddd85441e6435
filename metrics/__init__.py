"""Pure computations over the loaded frames (no Streamlit): what the pages chart."""
