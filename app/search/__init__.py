"""Hybrid Vietnamese retrieval: accents put back on question words typed without them
(``accents``), BM25 over the canonical and accent-stripped views (``bm25``, ``tokens``), question
analysis (``query``), and fusion with the dense e5 ranking plus document-aware boosts
(``hybrid``). ``app.knowledge.KnowledgeBase`` puts them together."""
