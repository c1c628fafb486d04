"""Messages of a page's last action ("Đã lưu …"), kept in the session across the ``st.rerun``
that follows the action and shown once, at the top of the page's next run.

They are drawn into one container that is there with or without messages, so the elements
below keep their place when the messages go: Streamlit would otherwise treat them as new and
reset them (an organiser's chosen tab jumped back to the first one).
"""
from __future__ import annotations

import streamlit as st


def push(key: str, kind: str, markdown: str) -> None:
    """Keep a message for the next run: ``kind`` is ``success``, ``info``, ``warning`` or
    ``error``; ``markdown`` is shown as it is (escape user text before)."""
    st.session_state.setdefault(key, []).append((kind, markdown))


def show(key: str) -> None:
    """Draw the messages kept under ``key`` and forget them."""
    notices = st.container()
    for kind, markdown in st.session_state.pop(key, []):
        getattr(notices, kind)(markdown)
