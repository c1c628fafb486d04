"""Entry script of the web app: ``streamlit run app/web/main.py`` (or ``hoctap app``).

Pages: Hỏi đáp (chat), Thư viện tài liệu (library), and the study pages when present.
"""
from __future__ import annotations

from pathlib import Path

import streamlit as st

HERE = Path(__file__).resolve().parent
WIDE = {"thu-vien", "theo-doi"}  # the pages of wide tables: their columns fit whole at 1280 px

# A local image: a ``:material/…:`` page icon is fetched from fonts.gstatic.com (the app must
# work, and leak nothing, with no network).
st.set_page_config(page_title="Học tập Nghị quyết", page_icon=str(HERE / "icon.png"))
# Vietnamese in place of Streamlit's built-in English texts (the file uploader's, a picker's
# «No results»); a style sheet alone takes no room on the page
st.html(HERE / "vietnamese.css")

CHAT = st.Page(HERE / "page_chat.py", title="Hỏi đáp", icon=":material/forum:", default=True)


def _to_chat() -> None:
    """``/hoi-dap``: Streamlit serves the default page at ``/`` only, and answered its own URL
    with an English «Page not found» dialog; this hidden page sends it to the chat."""
    st.switch_page(CHAT)


pages = [
    CHAT,
    st.Page(_to_chat, title="Hỏi đáp", url_path="hoi-dap", visibility="hidden"),
    st.Page(HERE / "page_library.py", title="Thư viện tài liệu",
            icon=":material/library_books:", url_path="thu-vien"),
]
for name, title, icon, url in (("page_quiz.py", "Ôn tập", ":material/quiz:", "on-tap"),
                               ("page_outline.py", "Chuẩn bị thu hoạch",
                                ":material/edit_note:", "thu-hoach"),
                               ("page_tracking.py", "Theo dõi học tập",
                                ":material/monitoring:", "theo-doi")):
    if (HERE / name).is_file():
        pages.append(st.Page(HERE / name, title=title, icon=icon, url_path=url))

page = st.navigation(pages)
# The layout is set once a run, here: with a second set_page_config of another layout in the
# same run (centred here, wide in the page), the page was sometimes drawn centred after a
# rerun, as Streamlit's frontend compares each layout with one it has not stored yet.
st.set_page_config(layout="wide" if page.url_path in WIDE else "centered")
page.run()
