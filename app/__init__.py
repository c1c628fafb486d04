"""hoctap read side: search, answers, quiz, the command line and the web app.

``search`` / ``answer`` / ``quiz`` are plain libraries; ``commands`` is the CLI edge and ``web``
the Streamlit edge (the only code that imports streamlit).
"""
