"""The Streamlit web app (``hoctap app``): pages are thin; what they show comes from plain
functions in ``app.library``, ``app.knowledge``, ``app.answer`` and ``app.web.render``."""
