"""Quiz mode and the thu hoạch guide: study questions and a dàn ý made from indexed passages.

Everything here is a pure function over ``Passage`` objects: no embedder, no model server.
``family`` groups a document with its copies and picks one family (by số hiệu or title);
``select`` picks its passages; ``generate.generate_quiz`` makes the items from ``facts`` and
``terms`` (whole terms, via underthesea), worded by ``stems``, with ``distractors``,
``truefalse`` pairs and ``application`` (open) items, chosen by ``pick``; ``grade`` checks
answers, ``checks`` holds the automatic quality checks, ``export`` writes DOCX/PDF sheets,
``outline`` builds the dàn ý.
"""
