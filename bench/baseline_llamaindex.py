"""The plain llama-index recipe on the development set, next to hoctap, in the same run.

Recipe: ``SimpleDirectoryReader`` → default ``SentenceSplitter`` → ``VectorStoreIndex`` on
Chroma, with the same multilingual-e5-small embedder wrapped as a llama-index
``BaseEmbedding``; ``Settings.llm = None``. With no LLM the recipe has no answer of its own and
never refuses: its "answer" is the best retrieved chunk (what a user would read), its citations
the top-5 chunks. hoctap runs on an index of the same files (shipped corpus, the three fixtures
of the plan, the look-alike test plan) and the same metrics are computed for both.

Usage: python bench/baseline_llamaindex.py [--out bench/out/eval.md]
(needs docx2txt for llama-index's DOCX reader)
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.answer.evaluate import EvalReport, evaluate, load_devset  # noqa: E402
from ingest.settings import Settings  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
FIXTURES = ("ke-hoach-985-KH-HNDT.docx", "ke-hoach-985-KH-HNDT.pdf",
            "ke-hoach-985-KH-HNDT-tcvn3.docx")


@dataclass(frozen=True)
class _Cite:
    text: str


@dataclass(frozen=True)
class _Answer:
    found: bool
    answer: str
    citations: tuple[_Cite, ...]


def make_corpus(folder: Path) -> None:
    """The files both systems index."""
    folder.mkdir(parents=True, exist_ok=True)
    for f in (ROOT / "corpus").iterdir():
        if f.is_file() and not f.name.startswith("."):
            shutil.copy(f, folder / f.name)
    for name in FIXTURES:
        shutil.copy(DATA / name, folder / name)
    for f in (DATA / "lookalike").glob("*.txt"):
        shutil.copy(f, folder / f.name)


def llama_embedding(embedder: Any) -> Any:
    """Our e5 embedder as a llama-index ``BaseEmbedding`` (same vectors, same prefixes)."""
    from llama_index.core.embeddings import BaseEmbedding

    class E5(BaseEmbedding):
        def _get_query_embedding(self, query: str) -> list[float]:
            return embedder.embed_query(query).tolist()

        async def _aget_query_embedding(self, query: str) -> list[float]:
            return self._get_query_embedding(query)

        def _get_text_embedding(self, text: str) -> list[float]:
            return embedder.embed_passages([text])[0].tolist()

        def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
            return embedder.embed_passages(texts).tolist()

    return E5(model_name="multilingual-e5-small", embed_batch_size=32)


def llama_retriever(corpus: Path, chroma_dir: Path, embed_model: Any, k: int = 5) -> Any:
    """Build the plain recipe's index and return its retriever."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from llama_index.core import Settings as LlamaSettings
    from llama_index.core import SimpleDirectoryReader, StorageContext, VectorStoreIndex
    from llama_index.vector_stores.chroma import ChromaVectorStore

    LlamaSettings.llm = None
    LlamaSettings.embed_model = embed_model
    docs = SimpleDirectoryReader(str(corpus)).load_data()
    client = chromadb.PersistentClient(path=str(chroma_dir),
                                       settings=ChromaSettings(anonymized_telemetry=False))
    store = ChromaVectorStore(chroma_collection=client.get_or_create_collection("baseline"))
    index = VectorStoreIndex.from_documents(
        docs, storage_context=StorageContext.from_defaults(vector_store=store),
        embed_model=embed_model)
    return index.as_retriever(similarity_top_k=k)


def run_llama(retriever: Any, devset: list[dict[str, Any]]) -> EvalReport:
    """The recipe's metrics: top chunk as the answer, never a refusal."""
    def ask(q: str) -> _Answer:
        nodes = retriever.retrieve(q)
        cites = tuple(_Cite(n.node.get_content()) for n in nodes)
        return _Answer(bool(cites), cites[0].text if cites else "", cites)

    return evaluate(ask, devset)


def run_hoctap(base: Path, corpus: Path, devset: list[dict[str, Any]]) -> EvalReport:
    """hoctap on the same files: ingest with the converted e5, answer every question."""
    from app.answer import answer_question
    from app.knowledge import KnowledgeBase
    from ingest.embed.load import load_embedder
    from ingest.pipeline import ingest

    s = Settings(corpus_dir=corpus, index_dir=base / "hoctap-index", collection="bench")
    ingest(s, load_embedder(s, "passages"))
    kb = KnowledgeBase.open(s)
    return evaluate(lambda q: answer_question(kb, q), devset)


def table(rows: list[tuple[str, EvalReport]]) -> str:
    """Markdown table of the metrics."""
    out = ["| system | hit@1 | hit@3 | answer accuracy | false refusals | false answers "
           "| median citation (chars) |", "|---|---|---|---|---|---|---|"]
    for name, r in rows:
        out.append(f"| {name} | {r.hit_at_1:.1%} | {r.hit_at_3:.1%} | {r.answer_accuracy:.1%} "
                   f"| {r.false_refusals}/{r.answerable} | {r.false_answers}/{r.unanswerable} "
                   f"| {r.median_citation_chars:.0f} |")
    return "\n".join(out)


def main() -> None:
    """Run both systems on the dev set and print (and optionally write) the table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--devset", type=Path, default=DATA / "devset.json")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    devset = load_devset(args.devset)
    from ingest.embed.load import load_embedder

    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        corpus = base / "corpus"
        make_corpus(corpus)
        t = time.perf_counter()
        hoctap = run_hoctap(base, corpus, devset)
        t_hoctap = time.perf_counter() - t
        embedder = load_embedder(Settings(), "passages")
        t = time.perf_counter()
        retriever = llama_retriever(corpus, base / "llama-chroma", llama_embedding(embedder))
        llama = run_llama(retriever, devset)
        t_llama = time.perf_counter() - t
    text = (f"Development set: {len(devset)} questions ({hoctap.answerable} answerable, "
            f"{hoctap.unanswerable} not), same files, same e5 model, same run.\n\n"
            + table([("hoctap (hybrid + extractive)", hoctap),
                     ("llama-index plain recipe (vector top-5)", llama)])
            + f"\n\nWall time (index + all questions): hoctap {t_hoctap:.0f} s, "
              f"llama-index {t_llama:.0f} s.\n")
    print(text)
    for f in hoctap.failures:
        print("hoctap:", f, file=sys.stderr)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
