"""Whether the street-map tiles can be fetched, so an offline map never asks for them.

deck.gl logs "Failed to fetch" in the reader's console when the tile style cannot be loaded,
and the reader sees an empty grey background. The server checks once (cached ten minutes)
whether the tile host answers; when it does not, the map is drawn as district outlines only and
says so in one line. A reader online behind an offline server gets the outline map too, which is
the safe side. HKCCTV_TILES=on|off overrides the check (deployments that know their network).
"""
from __future__ import annotations

import os
import socket
import threading

import streamlit as st

TILE_HOST = "basemaps.cartocdn.com"  # Streamlit's default Carto style and its tiles
TIMEOUT_S = 1.5


def probe(host: str = TILE_HOST, port: int = 443, timeout: float = TIMEOUT_S) -> bool:
    """True when a TCP connection to host:port opens within timeout (name lookup included)."""
    answer: list[bool] = []

    def connect() -> None:
        try:
            with socket.create_connection((host, port), timeout=timeout):
                answer.append(True)
        except OSError:
            answer.append(False)

    # A thread, because a stuck name lookup ignores the socket timeout.
    worker = threading.Thread(target=connect, daemon=True)
    worker.start()
    worker.join(timeout)
    return bool(answer and answer[0])


@st.cache_resource(ttl=600, show_spinner=False)
def _cached_probe() -> bool:
    return probe()


def tiles_reachable() -> bool:
    forced = os.environ.get("HKCCTV_TILES", "").strip().lower()
    if forced in ("on", "off"):
        return forced == "on"
    return _cached_probe()
