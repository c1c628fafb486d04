"""Theo dõi học tập: units, campaigns tied to a plan, unit reports, progress, results report.

Library code only (no streamlit). ``db.open_db(settings)`` gives the database; the other modules
take it as their first argument and open one short transaction per call.
"""
