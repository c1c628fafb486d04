"""Embedders: the ``Embedder`` protocol, the real sentence-transformers model and a test double."""
from ingest.embed.base import Embedder, HashEmbedder

__all__ = ["Embedder", "HashEmbedder"]
