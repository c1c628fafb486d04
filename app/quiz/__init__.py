"""Quiz mode and the thu hoạch guide: study questions and a dàn ý made from indexed passages.

Everything here is a pure function over ``Passage`` objects: no embedder, no model server.
``generate.generate_quiz`` makes the items, ``grade`` checks answers, ``checks`` holds the
automatic quality checks, ``export`` writes DOCX/PDF sheets, ``outline`` builds the dàn ý.
"""
