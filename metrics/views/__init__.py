"""View models: one per page, language-free, computed from the loaded bundle (cached by ui/data_io.py)."""
