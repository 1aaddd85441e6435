"""The static edition: `python -m publish --out site/` writes the whole dashboard as static files.

See publish/site.py (the build), publish/urls.py (the address of every page) and README.md
("The static edition") for how it is published and how it relates to the live app.
"""
