"""The answer reader (``app/answer/reader.py``) with the real model: its two backends compute the
same logits, and it prefers the clause that answers (it was trained on other documents only)."""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from app.answer.reader import Reader, load_reader, pair_text
from ingest.settings import Settings


def test_it_reads_the_question_the_last_heading_and_the_clause() -> None:
    assert pair_text("Ai ký?", "III. TỔ CHỨC › 2. Cấp huyện", "Đồng chí A ký.") == \
        "query: Ai ký? passage: 2. Cấp huyện Đồng chí A ký."


def test_an_unknown_backend_is_refused() -> None:
    from app.answer.reader import _backend

    with pytest.raises(ValueError, match="numpy, torch, auto or off"):
        _backend("onnx")
    import torch  # noqa: F401  (a process that has torch loaded reads with it)

    assert "torch" in sys.modules and _backend("auto") == "torch"
    assert load_reader(Settings.from_env().model_cache_dir, "off") is None


def test_the_reader_is_on_by_default() -> None:
    """Since round 11 (bench/notes/issue-8-round11.md) the default engine reads: ``auto``."""
    settings = Settings.from_env({"HOCTAP_MODEL_CACHE": str(Settings.from_env().model_cache_dir)})
    assert settings.reader_backend == "auto"
    assert load_reader(settings.model_cache_dir, settings.reader_backend) is not None


@pytest.fixture(scope="module")
def readers() -> tuple[Reader, Reader]:
    cache = Settings.from_env().model_cache_dir
    numpy_reader, torch_reader = load_reader(cache, "numpy"), load_reader(cache, "torch")
    assert numpy_reader is not None and torch_reader is not None
    return numpy_reader, torch_reader


# From the seed plan 985-KH/HNDT (the reader never saw it): a question, the clause that answers
# it, and clauses of the same plan that do not.
QUESTION = "Hội Nông dân cấp huyện phải học xong Nghị quyết 58 trước ngày nào?"
SECTION = "III. KẾ HOẠCH HỌC TẬP, QUÁN TRIỆT › 2. Hội Nông dân các huyện, thị, thành phố"
RIGHT = "- Thời gian: ½ ngày, hoàn thành trước ngày 15/9/2020."
WRONG = ("- Thành phần: Ban Chấp hành huyện Hội, Chủ tịch, Phó Chủ tịch Hội Nông dân các xã, "
         "phường, thị trấn.",
         "Các huyện Hội báo cáo kết quả học tập, quán triệt về Tỉnh Hội qua Ban Tuyên giáo.")


def test_both_backends_give_the_same_logits(readers: tuple[Reader, Reader]) -> None:
    texts = [pair_text(QUESTION, SECTION, c) for c in (RIGHT, *WRONG)] + [""]
    a, b = (r.scores(texts) for r in readers)
    assert len(a) == len(texts) and a == pytest.approx(b, abs=0.1)
    assert readers[0].scores([]) == []


def test_the_clause_that_answers_scores_highest(readers: tuple[Reader, Reader]) -> None:
    right, *wrong = readers[1].scores([pair_text(QUESTION, SECTION, c) for c in (RIGHT, *WRONG)])
    assert right > max(wrong)


def test_the_command_line_reads_without_importing_torch() -> None:
    """A fresh process (``hoctap ask``) gets the numpy backend: importing torch would cost
    seconds of its cold start."""
    import subprocess

    code = ("import sys\nfrom app.answer.reader import load_reader\n"
            "from ingest.settings import Settings\n"
            "r = load_reader(Settings.from_env().model_cache_dir)\n"
            "s = r.scores(['query: Ai ký? passage: Nơi nhận Như trên.'])\n"
            "print(r.backend, 'torch' in sys.modules, len(s))")
    done = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).parent.parent,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["numpy", "False", "1"]


def test_a_worker_thread_reads_on_one_torch_thread_and_gives_it_back(
        readers: tuple[Reader, Reader]) -> None:
    """The web app answers in Streamlit's worker threads: there the torch pass runs on one
    thread (bench/notes/issue-8-round11.md), with the same logits, and torch's setting is
    restored."""
    import threading

    import torch

    torch_reader = readers[1]
    texts = [pair_text(QUESTION, SECTION, c) for c in (RIGHT, *WRONG)]
    before = torch.get_num_threads()
    seen: list[object] = []
    real = torch.set_num_threads

    def spy(n: int) -> None:
        seen.append((threading.current_thread() is threading.main_thread(), n))
        real(n)

    torch.set_num_threads = spy  # type: ignore[assignment]
    try:
        main = torch_reader.scores(texts)
        out: list[list[float]] = []
        worker = threading.Thread(target=lambda: out.append(torch_reader.scores(texts)))
        worker.start()
        worker.join()
    finally:
        torch.set_num_threads = real  # type: ignore[assignment]
    assert seen == [(False, 1), (False, before)]  # the main thread's call set nothing
    assert np.allclose(out[0], main, atol=0.05)
    assert torch.get_num_threads() == before



def test_threads_asking_at_once_get_one_reader(monkeypatch: pytest.MonkeyPatch,
                                               tmp_path: Path) -> None:
    """The web app loads the reader in the background while a first question may need it:
    ``load_reader`` builds it once (the cache behind it is stood in for by a slow one)."""
    import threading
    import time
    from functools import lru_cache

    from app.answer import reader

    built: list[object] = []

    @lru_cache(maxsize=2)
    def slow(model_cache_dir: Path, backend: str) -> object:
        time.sleep(0.2)  # a load takes seconds: the others arrive while it runs
        built.append(object())
        return built[-1]

    monkeypatch.setattr(reader, "_load", slow)
    got: list[object] = []
    threads = [threading.Thread(target=lambda: got.append(load_reader(tmp_path, "numpy")))
               for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(built) == 1 and got == built * 4


def test_a_saved_scale_is_read_with_the_adapters(tmp_path: Path,
                                                 readers: tuple[Reader, Reader]) -> None:
    """A file that stores its adapters' α / rank (``lora.scale``, as ``save_reader`` writes
    since round 19 for a rank other than 8) is merged with that scale: the shipped adapters
    stored with B halved and a scale of 4 are the same model, and a scale of 0 is another."""
    from app.answer.reader import DEFAULT_LORA_SCALE, LORA_SCALE_KEY, READER_PATH
    from ingest.embed.e5convert import DEFAULT_MODEL_NAME

    ad = dict(np.load(READER_PATH))
    assert LORA_SCALE_KEY not in ad or float(ad[LORA_SCALE_KEY]) == DEFAULT_LORA_SCALE
    halved = {k: (v / 2 if k.endswith(".b") else v) for k, v in ad.items() if k != LORA_SCALE_KEY}
    np.savez(tmp_path / "same.npz", **halved,
             **{LORA_SCALE_KEY: np.float32(2 * DEFAULT_LORA_SCALE)})
    np.savez(tmp_path / "off.npz", **halved, **{LORA_SCALE_KEY: np.float32(0.0)})
    model_dir = Settings.from_env().model_cache_dir / DEFAULT_MODEL_NAME  # converted above
    texts = [pair_text(QUESTION, SECTION, c) for c in (RIGHT, *WRONG)]
    shipped = readers[0].scores(texts)
    assert Reader(model_dir, tmp_path / "same.npz", "numpy").scores(texts) == pytest.approx(
        shipped, abs=1e-3)
    assert Reader(model_dir, tmp_path / "off.npz", "numpy").scores(texts) != pytest.approx(
        shipped, abs=0.1)


def test_calm_openmp_shortens_the_spin_only_where_nothing_chose_it_yet() -> None:
    """``hoctap eval``'s OpenMP setting (``calm_openmp``): set when neither knob is in the
    environment and torch is not loaded; a user's own choice, or a torch already loaded (which
    has read its settings), is left alone."""
    from app.answer.reader import OPENMP_SPINCOUNT, calm_openmp

    env: dict[str, str] = {"PATH": "/usr/bin"}
    assert calm_openmp(env, {}) and env["GOMP_SPINCOUNT"] == OPENMP_SPINCOUNT
    for chosen in ({"GOMP_SPINCOUNT": "300000"}, {"OMP_WAIT_POLICY": "ACTIVE"}):
        env = dict(chosen)
        assert not calm_openmp(env, {}) and env == chosen
    env = {}
    assert not calm_openmp(env, {"torch": object()}) and env == {}


def test_eval_calms_openmp_before_it_answers(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """``hoctap eval`` sets the spin count before any question loads torch's reader."""
    import argparse

    from conftest import make_settings

    import app.answer.evaluate
    import app.answer.reader
    from app.commands import eval as eval_command

    calls: list[str] = []
    monkeypatch.setattr(app.answer.reader, "calm_openmp", lambda: calls.append("calm") or True)
    monkeypatch.setattr(app.answer.evaluate, "evaluate_sets",
                        lambda *a, **k: calls.append("answer") or {})
    parser = argparse.ArgumentParser()
    eval_command.register(parser.add_subparsers())
    settings = make_settings(tmp_path, embed_model=None)
    assert eval_command.run(parser.parse_args(["eval", "--heldout", "--json"]), settings) == 0
    assert calls == ["calm", "answer"]
