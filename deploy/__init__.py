"""Serving the app to real traffic: nginx in front of Streamlit replicas.

- nginx.conf.template, proxy.conf.template: the one nginx configuration (rendered by render.py)
- render.py: fills the template, builds the error pages, precompresses Streamlit's static files
- stack.py: `make serve`: N replicas (`python -m ui.serve --production`) + nginx on one machine
- compose/, k8s/: the same configuration across machines (examples; see deploy/README.md)
"""
