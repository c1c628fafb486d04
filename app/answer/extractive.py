"""The extractive answer: the document's own sentence, its heading context and its citation.

Steps: search → drop copies of the same passage (one plan ingested as PDF and DOCX) → describe
the first passages as candidates (``verify.features``: scores, coverage of the question, the
kind of fact asked for, documents named, cited or missing) → the fitted verifier gives each
candidate the probability that it answers; the most probable one answers when it reaches the
model's threshold, else the answer is a refusal with the nearest passages as suggestions → pick
the answering clause → cite. No single feature can veto an answer.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING

from app.answer import Answer, Citation
from app.answer.missing import missing_documents, missing_note
from app.answer.sentences import answers_type, best_sentence, split_sentences
from app.answer.support import MIN_COVERAGE, coverage, idf_function
from app.answer.verify import (
    CANDIDATES,
    READER,
    Candidate,
    Verifier,
    document_coverage,
    document_text,
    embedder_kind,
    features,
    load_verifier,
)
from app.search.query import QueryInfo
from ingest.facts import LIST_LEAD, last_heading
from ingest.records import Passage
from ingest.text import canonical

if TYPE_CHECKING:
    from app.knowledge import Hit, KnowledgeBase

POOL = 60  # passages searched for candidates
KIND_DOCUMENTS = 3  # documents whose passage of the kind asked for joins the candidates
MAX_CITATION = 600  # longer passages are cut to the sentences around the highlight
# A refusal states what the search found, not what the documents hold: out of fold, most
# refusals are of questions the documents do answer (bench/notes/issue-8-round9.md).
NOT_FOUND = "hoctap không tìm thấy câu trả lời trong các tài liệu của thư viện."
LIKELY = ("Chưa đủ chắc chắn để trả lời. Đoạn [1] dưới đây có thể chứa câu trả lời; "
          "hãy đọc và đối chiếu với văn bản.")
SUGGEST = "Các đoạn gần nhất dưới đây chỉ để tham khảo, không phải câu trả lời."
_LABEL = re.compile(r"^\s*(?:[IVX]{1,5}|\d{1,2}|[a-zđ])[.)]\s*")


@lru_cache(maxsize=65536)
def _copy_key(section: str, text: str) -> tuple[str, str]:
    return canonical(section), canonical(text)


def distinct(hits: list[Hit]) -> list[Hit]:
    """Hits with copies of the same passage (same section and text in another file) removed."""
    seen: set[tuple[str, str]] = set()
    out = []
    for h in hits:
        key = _copy_key(h.passage.section or "", h.passage.text)
        if key not in seen:
            seen.add(key)
            out.append(h)
    return out


def cut(text: str, highlight: str | None) -> str:
    """The passage, or for a long one the consecutive sentences around ``highlight``."""
    if len(text) <= MAX_CITATION or not highlight:
        return text
    sentences = split_sentences(text)
    i = next((j for j, s in enumerate(sentences) if highlight in s or s in highlight), 0)
    lo = hi = i
    while True:
        grown = False
        if lo > 0 and len(text[text.find(sentences[lo - 1]):text.find(sentences[hi]) + len(sentences[hi])]) <= MAX_CITATION:
            lo, grown = lo - 1, True
        if hi + 1 < len(sentences) and len(text[text.find(sentences[lo]):text.find(sentences[hi + 1]) + len(sentences[hi + 1])]) <= MAX_CITATION:
            hi, grown = hi + 1, True
        if not grown:
            break
    start = text.find(sentences[lo])
    end = text.find(sentences[hi], start) + len(sentences[hi])
    return text[start:end]


def citation(n: int, hit: Hit, highlight: str | None) -> Citation:
    """A numbered citation of a hit."""
    p = hit.passage
    text = cut(p.text, highlight)
    if highlight and highlight not in text:
        highlight = None
    return Citation(n, p.source, p.meta.title, p.meta.number, p.meta.doc_type, p.section,
                    p.page, text, hit.score, highlight)


def _doc_name(p: Passage) -> str:
    """``Kế hoạch số 985-KH/HNDT (BCH HND TỈNH THANH HOÁ)``, or the file name."""
    number = f"số {p.meta.number}" if p.meta.number else None
    name = " ".join(x for x in (p.meta.doc_type, number) if x) or p.source
    return f"{name} ({p.meta.issuer})" if p.meta.issuer else name


def _heading(p: Passage) -> str | None:
    if not p.section or p.kind != "body":
        return None
    last = last_heading(p.section)
    return _LABEL.sub("", last).rstrip(":") or None


def _header_lines(p: Passage) -> list[str]:
    """The issuer, number and place-and-date lines of a header, as written."""
    lines = [ln.strip() for ln in p.text.split("\n") if ln.strip()]
    issuer = canonical(p.meta.issuer or "\x00")  # may span lines: "UBMTTQ … / BAN THƯỜNG TRỰC"
    parts = [ln for ln in lines if ln.upper() == ln and canonical(ln) in issuer]
    wanted = [" ".join(parts)] if parts else []
    wanted += [ln for ln in lines if re.match(r"^Số\b", ln)]
    wanted += [ln for ln in lines if re.search(r"ngày\s+\d{1,2}\s+tháng", ln)]
    return wanted


def compose(p: Passage, sentence: str, info: QueryInfo, n: int = 1) -> str:
    """One line: document, heading context when the clause alone is unclear, the clause, [n]."""
    body = sentence
    heading = _heading(p)
    if p.kind == "header":
        body = "; ".join(_header_lines(p)) or sentence
    if p.kind in ("signature", "recipients") or (info.qtype == "list" and p.kind == "body"):
        body = p.text if p.kind == "body" else " ".join(p.text.split("\n"))
    elif p.kind == "header":
        pass
    elif heading and (len(sentence) < 90 or LIST_LEAD.match(sentence)):
        body = f"{heading}: {LIST_LEAD.sub('', sentence)}"
    return f"Theo {_doc_name(p)}: {body} [{n}]"


def _full_text(p: Passage) -> str:
    """A passage with what names its document (issuer, place, number): the question may name
    the document while the passage itself does not repeat it."""
    return " ".join(x for x in (p.index_text, p.meta.issuer, p.meta.place, p.meta.number) if x)


def _choose(hits: list[Hit], question: str, info: QueryInfo, idf, held: bool  # type: ignore[no-untyped-def]
            ) -> tuple[int, float]:
    """Index (among the first five) of the passage that answers, and the best coverage.

    Rank order is kept unless a lower passage holds the kind of fact asked for and the higher
    one does not, or covers the question clearly better. A passage of the kind asked for
    (signature, recipients; the header when a held document is named) counts as covering."""
    def cov(h: Hit) -> float:
        kind = h.passage.kind
        if kind in info.kinds and (kind != "header" or held):
            return 1.0
        if kind == "header" and not held:
            return 0.0  # a header answers questions about its own document only
        return coverage(question, _full_text(h.passage), idf)

    top = hits[:5]
    covs = [cov(h) for h in top]
    merit = [c + (0.3 if answers_type(h.passage.text, info.qtype) else 0.0) - 0.1 * i
             for i, (c, h) in enumerate(zip(covs, top, strict=True))]
    return max(range(len(merit)), key=lambda i: merit[i]), max(covs)


def _other_document(kb: KnowledgeBase, hits: list[Hit], chosen: Hit, question: str,
                    info: QueryInfo, idf) -> Hit | None:  # type: ignore[no-untyped-def]
    """When the question names no document and another document answers the same thing (a
    look-alike plan: same kind of passage, same level, the fact asked for), its best passage;
    both are then shown, each with its document, rather than silently picking one."""
    if info.docs or info.org_level or kb.names_document(info):
        return None
    p = chosen.passage
    level = kb.levels_of(p.id)
    for h in hits[:5]:
        q = h.passage
        if (q.meta.number != p.meta.number and q.kind == p.kind and kb.levels_of(q.id) == level
                and answers_type(q.text, info.qtype)
                and coverage(question, _full_text(q), idf) >= MIN_COVERAGE):
            return h
    return None


MAX_LIST_PASSAGES = 6
MAX_LIST_CHARS = 1800


def _list_section(kb: KnowledgeBase, chosen: Hit, info: QueryInfo) -> list[Passage]:
    """For a list question, every passage of the chosen passage's section (in order), when the
    section is split into a few passages; else an empty list."""
    p = chosen.passage
    if info.qtype != "list" or p.kind != "body" or not p.section:
        return []
    same = [q for q in kb.neighbours(p.id, MAX_LIST_PASSAGES, MAX_LIST_PASSAGES)
            if q.section == p.section]
    if len(same) < 2 or len(same) > MAX_LIST_PASSAGES or sum(len(q.text) for q in same) > MAX_LIST_CHARS:
        return []
    return same


def _as_hit(p: Passage, like: Hit) -> Hit:
    from app.knowledge import Hit

    return like if p.id == like.passage.id else Hit(p, like.score, 0.0, 0.0)


def compose_list(section: list[Passage], info: QueryInfo) -> str:
    """A list answer: the section's heading, then each passage as written, each cited."""
    head = _heading(section[0]) or ""
    lines = [f"Theo {_doc_name(section[0])}" + (f", {head}:" if head else ":")]
    lines += [f"{p.text} [{i + 1}]" for i, p in enumerate(section)]
    return "\n".join(lines)


def refusal(question: str, hits: list[Citation], missing: tuple[str, ...],
            likely: bool = False) -> Answer:
    """The ``found: false`` answer, nearest passages as labelled suggestions; ``likely``: the
    first of them may hold the answer (the verifier's probability reached the suggest bar)."""
    likely = likely and bool(hits)
    text = LIKELY if likely else NOT_FOUND
    if missing:
        text += " Thư viện chưa có văn bản: " + ", ".join(missing) + "."
    if hits and not likely:
        text += " " + SUGGEST
    return Answer(question, False, text, tuple(hits), suggestions=bool(hits),
                  missing_documents=missing, likely=likely)


@dataclass(frozen=True)
class Analysis:
    """Everything the answer is decided on: the parsed question, the named documents the
    library lacks, the retrieved passages and each candidate with its features."""

    info: QueryInfo
    missing: tuple[str, ...]
    hits: list[Hit]
    candidates: list[Candidate]
    idf: Callable[[str], float]
    embedder: str = "e5"  # which fitted model suits the index's embedder (``embedder_kind``)
    asked: str = ""  # the question as typed (``info.text``: abbreviations spelled out)
    read: str = ""  # as typed, accents restored (``Query.read``)


def analyse_candidates(kb: KnowledgeBase, question: str, k: int = 5) -> Analysis:
    """Search, then describe the first ``CANDIDATES`` passages as possible answers; when the
    question asks for a kind of passage (who signed, where it is sent, when it was issued),
    also the passages of that kind of the documents already among the candidates."""
    asked = question
    query = kb.prepare(asked)  # accents restored, "HND" → "hội nông dân" …: parsed once
    question, info = query.text, query.info
    missing = missing_documents(info, kb.records.values())
    found = distinct(kb.search(query, k=POOL))
    hits = found[:max(k, CANDIDATES)]
    idf = idf_function(kb.bm25)
    kind = embedder_kind(kb.embedder.id)
    if not hits:
        return Analysis(info, missing, [], [], idf, kind, asked, query.read)
    held = kb.holds_named_document(info)
    pick, _ = _choose(hits, question, info, idf, held)
    pool = hits[:CANDIDATES]
    if info.kinds:
        docs = list(dict.fromkeys(h.passage.source for h in pool))[:KIND_DOCUMENTS]
        pool += [h for h in found[CANDIDATES:] if h.passage.kind in info.kinds
                 and h.passage.source in docs][:KIND_DOCUMENTS]
    candidates = []
    docs = document_coverage(question, pool, idf)
    for i, h in enumerate(pool):
        sentence = best_sentence(h.passage.text, info, idf, h.passage.section or "",
                                 document_text(h))
        absent = any((num := re.search(r"\d+", m)) and not kb.mentions_number(
            h.passage.source, num.group(0)) for m in missing)
        feats = features(kb, question, info, pool, i, sentence, idf, held, absent,
                         _full_text(h.passage), i == pick, docs)
        candidates.append(Candidate(i, h, sentence, feats))
    return Analysis(info, missing, hits, candidates, idf, kind, asked, query.read)


Read = Callable[[list[str]], list[float]]  # the reader's logits of ``pair_text``s


def reader_for(kb: KnowledgeBase, kind: str) -> Read | None:
    """The reader's scoring function when the model fitted for embedder ``kind`` has a reader
    stage and the settings turn the reader on, else None."""
    model = load_verifier(kind)
    if model is None or not model.reads:
        return None
    from app.answer.reader import load_reader

    reader = load_reader(kb.settings.model_cache_dir, kb.settings.reader_backend)
    return reader.scores if reader is not None else None


def active_model(analysis: Analysis, read: Read | None, verifier: Verifier | None = None
                 ) -> Verifier | None:
    """The model that decides: ``verifier`` (default: the one fitted for the index's
    embedder), or its first stage when it needs the reader and there is none."""
    model = verifier or load_verifier(analysis.embedder)
    if model is not None and model.reads and read is None:
        return model.first
    return model


def decide(analysis: Analysis, verifier: Verifier | None = None, threshold: float | None = None,
           read: Read | None = None) -> tuple[Candidate | None, list[Candidate]]:
    """The candidate to answer from (None: refuse) and every candidate with its probability,
    the most probable first (ties: the higher-ranked first).

    With a two-stage model (``Verifier.reads``) the first stage ranks the candidates, ``read``
    scores the ``read`` best of them, and the second stage gives their probabilities; the
    others get 0 and follow in the first stage's order (a refusal's suggestions). The first
    candidate is chosen; it answers when its probability reaches ``threshold`` (default: the
    one fitted with the model)."""
    model = active_model(analysis, read, verifier)
    if model is None or not analysis.candidates:
        return None, analysis.candidates
    if model.reads:
        scored = second_stage(analysis, model, read)
    else:
        scored = _most_probable_first([replace(c, probability=model.probability(c.features))
                                       for c in analysis.candidates])
    best = scored[0]
    bar = model.threshold if threshold is None else threshold
    return (best if best.probability >= bar else None), scored


def _most_probable_first(cands: list[Candidate]) -> list[Candidate]:
    """``cands`` by probability, highest first (ties: the higher-ranked first)."""
    return sorted(cands, key=lambda c: (-c.probability, c.rank))


def second_stage(analysis: Analysis, model: Verifier, read: Read | None) -> list[Candidate]:
    """The candidates with the second stage's probabilities, in order (see ``decide``)."""
    assert model.first is not None and read is not None  # see active_model
    cands = analysis.candidates
    order = read_first([model.first.probability(c.features) for c in cands], len(cands))
    top, rest = order[:model.read], order[model.read:]
    logits = read([reader_text(analysis, cands[i]) for i in top])
    read_ones = []
    for i, logit in zip(top, logits, strict=True):
        feats = {**cands[i].features, READER: logit}
        read_ones.append(replace(cands[i], features=feats, probability=model.probability(feats)))
    return _most_probable_first(read_ones) + [replace(cands[i], probability=0.0) for i in rest]


def reader_text(analysis: Analysis, c: Candidate) -> str:
    """What the reader reads for candidate ``c`` (``reader.pair_text``)."""
    from app.answer.reader import pair_text

    return pair_text(analysis.info.text, c.hit.passage.section or "", c.sentence)


def read_first(probabilities: Sequence[float], n: int) -> list[int]:
    """Indices of the ``n`` most probable candidates (ties: the higher-ranked first)."""
    return sorted(range(len(probabilities)), key=lambda i: (-probabilities[i], i))[:n]


def likely_refusal(model: Verifier | None, scored: list[Candidate]) -> bool:
    """Whether a refusal may point to its first suggestion: the best candidate's probability
    reaches the suggest bar fitted with the deciding model (``Verifier.suggest``)."""
    return bool(scored) and model is not None and model.suggest is not None \
        and max(c.probability for c in scored) >= model.suggest


def extractive_answer(kb: KnowledgeBase, question: str, k: int = 5) -> Answer:
    """See the module docstring; ``read_as`` is the question with its accents restored, when
    restoring changed it."""
    a = analyse_candidates(kb, question, k)
    answer = _answer(kb, a, question, k)
    return replace(answer, read_as=a.read) if a.read and a.read != question else answer


def _answer(kb: KnowledgeBase, a: Analysis, question: str, k: int) -> Answer:
    """The answer or refusal for analysed candidates ``a``."""
    hits, missing = a.hits[:k], a.missing
    if not hits:
        return refusal(question, [], missing)
    read = reader_for(kb, a.embedder)
    best, scored = decide(a, threshold=kb.settings.answer_threshold, read=read)
    if best is None:  # the nearest passages, the most probable first, as suggestions
        likely = likely_refusal(active_model(a, read), scored)
        cites = [citation(i + 1, c.hit, None) for i, c in enumerate(scored[:3])]
        if likely and scored[0].sentence and scored[0].sentence in cites[0].text:
            # the clause it would have answered with, marked in the whole passage (not cut)
            cites[0] = replace(cites[0], highlight=scored[0].sentence)
        return refusal(question, cites, missing, likely)
    return answer_from(kb, a, best, k)


def answer_from(kb: KnowledgeBase, a: Analysis, best: Candidate, k: int = 5) -> Answer:
    """The answer that quotes candidate ``best`` (its clause, or its section for a list)."""
    question, info, missing, idf = a.info.text, a.info, a.missing, a.idf
    hits = a.hits[:k]
    chosen = best.hit
    section = _list_section(kb, chosen, info)
    if section:
        used = [_as_hit(p, chosen) for p in section]
        ids = {p.id for p in section}
        rest = [h for h in hits if h.passage.id not in ids][:max(0, k - len(used))]
        cites = [citation(i + 1, h, h.passage.text) for i, h in enumerate(used)]
        cites += [citation(len(used) + i + 1, h, None) for i, h in enumerate(rest)]
        text = compose_list(section, info)
    else:
        alt = _other_document(kb, hits, chosen, question, info, idf)
        answering = [chosen] + ([alt] if alt else [])
        if alt and alt.passage.source in kb.parent_sources and \
                chosen.passage.source not in kb.parent_sources:
            answering.reverse()  # the plan the other one implements comes first
        ids = {h.passage.id for h in answering}
        ordered = answering + [h for h in hits if h.passage.id not in ids]
        sentences = [best.sentence if h is chosen
                     else best_sentence(h.passage.text, info, idf, h.passage.section or "",
                                        document_text(h))
                     for h in answering]
        cites = [citation(i + 1, h, sentences[i] if i < len(answering) else None)
                 for i, h in enumerate(ordered)]
        text = "\n".join(compose(h.passage, sentences[i], info, i + 1)
                         for i, h in enumerate(answering))
    note = None
    if missing:
        note = missing_note(missing)
        text += f"\n({note})"
    return Answer(a.asked or question, True, text, tuple(cites), missing_documents=missing, note=note)
