"""hoctap ingestion: documents → passages → index.

Read a file (``readers``), repair its Vietnamese text (``legacy``, ``text``), find its header
metadata and section tree (``structure``), cut it into citable passages (``passages``), embed
them (``embed``) and store them incrementally (``store``, ``pipeline``).
"""
