"""bench.probe_verifier: the out-of-fold probes behave (tiny made-up rows, no model)."""
from __future__ import annotations

import numpy as np
import pytest

from bench.probe_verifier import (
    _lora_site,
    fit_rows,
    pair_text,
    relative,
    separation,
    soup,
    translation,
)


def _rows(n: int = 20) -> list[dict]:
    """Questions asking "hạn nộp" whose right clause says "gửi trước ngày …" (none of the
    question's words), and a wrong clause without those either; each its own document."""
    rows = []
    for i in range(n):
        right = {"sentence": f"Gửi trước ngày {i + 1}/9/2020", "section": "IV › Chế độ",
                 "text": "", "title": "Kế hoạch", "source": f"d{i}", "label": 1.0, "x": [0.5]}
        wrong = {"sentence": "Các cấp hội quán triệt nghị quyết", "section": "I › Mục đích",
                 "text": "", "title": "Kế hoạch", "source": f"d{i}", "label": 0.0, "x": [0.4]}
        rows.append({"question": f"hạn nộp báo cáo đợt {i}", "prepared": "hạn nộp",
                     "group": f"d{i}", "answerable": True, "first_hit": True,
                     "cands": [right, wrong]})
    return rows


def test_translation_learns_a_paraphrase_out_of_fold() -> None:
    rows = _rows()
    extra = translation(rows)
    right = [extra[(i, 0)] for i in range(len(rows))]
    wrong = [extra[(i, 1)] for i in range(len(rows))]
    # no question word is in either clause: only the tables learned on the other documents
    # ("hạn", "nộp" → "gửi", "trước", "ngày") tell the right clause from the wrong one
    assert min(right) > 0.0 == max(wrong)


def test_extra_score_becomes_one_more_feature_column() -> None:
    rows = _rows(3)
    plain = fit_rows(rows)
    more = fit_rows(rows, {(i, j): 10.0 * i + j for i in range(3) for j in range(2)})
    assert plain[0].x.shape == (2, 1) and more[2].x.shape == (2, 2)
    assert np.allclose(more[2].x[:, 1], [20.0, 21.0])
    assert list(more[0].right) == [1.0, 0.0]


def test_pair_text_reads_the_question_the_last_heading_and_the_clause() -> None:
    c = _rows(1)[0]["cands"][0]
    assert pair_text("hạn nộp?", c) == "query: hạn nộp? passage: Chế độ Gửi trước ngày 1/9/2020"


def test_pair_text_with_label_tells_the_document_before_the_heading() -> None:
    """Round 45's probe DLC; without ``label`` the text is the shipped reader's."""
    c = {**_rows(1)[0]["cands"][0], "title": "Kế hoạch 19-KH/HND BCH HND HUYỆN TÂN PHONG Học tập"}
    assert pair_text("hạn nộp?", c) == "query: hạn nộp? passage: Chế độ Gửi trước ngày 1/9/2020"
    assert pair_text("hạn nộp?", c, label=True) == \
        "query: hạn nộp? passage: Kế hoạch Hội Nông dân huyện › Chế độ Gửi trước ngày 1/9/2020"
    untitled = {**c, "title": ""}
    assert pair_text("hạn nộp?", untitled, label=True) == pair_text("hạn nộp?", untitled)


def test_pair_text_with_context_adds_the_passage_only_when_it_is_more_than_the_clause() -> None:
    """Round 40's probe: the reader reads the clause's passage after the clause."""
    from bench.probe_verifier import domain_pairs

    c = {**_rows(1)[0]["cands"][0], "text": "Chế độ báo cáo:\nGửi trước ngày 1/9/2020"}
    bare = "query: hạn nộp? passage: Chế độ Gửi trước ngày 1/9/2020"
    assert pair_text("hạn nộp?", c) == bare
    assert pair_text("hạn nộp?", c, context=True) == \
        bare + " context: Chế độ báo cáo:\nGửi trước ngày 1/9/2020"
    alone = {**c, "text": "Gửi trước ngày 1/9/2020 "}  # the passage is the clause: no context
    assert pair_text("hạn nộp?", alone, context=True) == bare
    rows = _rows(2)
    rows[0]["cands"][0]["text"] = "Trích: Gửi trước ngày 1/9/2020"
    with_context = domain_pairs(rows, first=2, context=True)
    assert [t for t, _ in with_context if "context:" in t] == [
        "query: hạn nộp passage: Chế độ Gửi trước ngày 1/9/2020 context: Trích: Gửi trước "
        "ngày 1/9/2020"]
    assert len(with_context) == len(domain_pairs(rows, first=2))


def test_the_view_writes_capitals_and_abbreviations_as_words() -> None:
    """Round 41's probe: capitals lower-cased, abbreviations spelled out, one tone placement."""
    from bench.probe_verifier import reader_view

    assert reader_view("BCH HND TỈNH THANH HOÁ") == "ban chấp hành hội nông dân tỉnh thanh hóa"
    assert reader_view("IV. TỔ CHỨC THỰC HIỆN") == "IV. tổ chức thực hiện"
    assert reader_view("GRDP năm 2022; TU giao") == "grdp năm 2022; tỉnh ủy giao"


def test_the_view_leaves_codes_mixed_case_and_single_letters_alone() -> None:
    """Near misses: a document code, a word with one capital, a lower-case "tu", one letter."""
    from bench.probe_verifier import reader_view

    text = "Nghị quyết 58-NQ/TW, Kế hoạch 985-KH/HNDT; Hội Nông dân tu sửa; mục A; Hà Nội"
    assert reader_view(text) == text


def test_pair_text_with_view_writes_the_whole_text_as_the_reader_view_does() -> None:
    """Round 41's probe: question, heading and clause all pass through ``reader_view``."""
    from bench.probe_verifier import domain_pairs

    c = {**_rows(1)[0]["cands"][0], "section": "I › IV. TỔ CHỨC THỰC HIỆN",
         "sentence": "BTV gửi trước ngày 1/9/2020"}
    assert pair_text("HND hạn nộp?", c, view=True) == \
        "query: hội nông dân hạn nộp? passage: IV. tổ chức thực hiện ban thường vụ gửi trước " \
        "ngày 1/9/2020"
    rows = _rows(2)
    rows[0]["cands"][0]["section"] = "CHẾ ĐỘ"
    assert [t for t, _ in domain_pairs(rows, first=2, view=True) if "chế độ" in t] == [
        "query: hạn nộp passage: chế độ Gửi trước ngày 1/9/2020"]


def test_a_reader_without_training_pairs_is_refused_before_any_model_loads() -> None:
    from bench.probe_verifier import reader

    with pytest.raises(SystemExit, match="no training pairs"):
        reader(_rows(2), [], None, 1, 5e-4, 2, ("query",), domain=[])


def test_relative_coverage_is_one_for_the_best_candidate() -> None:
    from app.answer.verify import FEATURES

    rows = _rows(2)
    col = FEATURES.index("cov_rest_context")
    for r in rows:
        for c, v in zip(r["cands"], (0.4, 0.8), strict=True):
            c["x"] = [0.0] * len(FEATURES)
            c["x"][col] = v
    extra = relative(rows, ("cov_rest_context",))
    assert extra[(0, 1)] == extra[(1, 1)] == 1.0 and extra[(0, 0)] == 0.5


def test_paraphrase_pairs_pair_each_question_with_its_clause_and_negatives(tmp_path) -> None:
    import json

    from bench.probe_verifier import paraphrase_pairs

    items = [{"heading": f"I › Mục {k}", "clause": f"Điều khoản số {k}.",
              "question": f"hỏi {k}", "near_miss": f"hỏi gần {k}"} for k in range(4)]
    f = tmp_path / "pairs.json"
    f.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    pairs = paraphrase_pairs([f], negatives=2)
    assert len(pairs) == 4 * 4  # the question, the near miss, two other clauses
    assert ("query: hỏi 0 passage: Mục 0 Điều khoản số 0.", 1.0) in pairs
    assert ("query: hỏi gần 0 passage: Mục 0 Điều khoản số 0.", 0.0) in pairs
    positives = [t for t, y in pairs if y == 1.0]
    assert len(positives) == 4
    for text, y in pairs:  # a question meets another clause only as a negative
        k = text.split("query: hỏi ")[1][0] if "hỏi gần" not in text else None
        if k is not None and f"số {k}." not in text:
            assert y == 0.0


def test_paraphrase_pairs_keep_the_order_the_shipped_reader_was_trained_on(tmp_path) -> None:
    """``make reader``'s training is repeatable byte for byte only if its pairs come in the same
    order: this is the order of the code before round 42 (seed 0, two negatives), which
    ``paraphrase_groups`` must not change."""
    import json

    from bench.probe_verifier import paraphrase_pairs

    items = [{"heading": f"I › Mục {k}", "clause": f"Điều khoản số {k}.",
              "question": f"hỏi {k}", "near_miss": f"hỏi gần {k}"} for k in range(3)]
    f = tmp_path / "pairs.json"
    f.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    got = [(t.removeprefix("query: ").replace(" passage: Mục ", " | "), y)
           for t, y in paraphrase_pairs([f], negatives=2)]
    assert got == [
        ("hỏi 0 | 0 Điều khoản số 0.", 1.0), ("hỏi gần 0 | 0 Điều khoản số 0.", 0.0),
        ("hỏi 0 | 2 Điều khoản số 2.", 0.0), ("hỏi 0 | 1 Điều khoản số 1.", 0.0),
        ("hỏi 1 | 1 Điều khoản số 1.", 1.0), ("hỏi gần 1 | 1 Điều khoản số 1.", 0.0),
        ("hỏi 1 | 0 Điều khoản số 0.", 0.0), ("hỏi 1 | 2 Điều khoản số 2.", 0.0),
        ("hỏi 2 | 2 Điều khoản số 2.", 1.0), ("hỏi gần 2 | 2 Điều khoản số 2.", 0.0),
        ("hỏi 2 | 1 Điều khoản số 1.", 0.0), ("hỏi 2 | 0 Điều khoản số 0.", 0.0)]


def test_adapter_sites_are_the_linear_layers_the_reader_merges() -> None:
    """Every adapter name the probe accepts wraps the linear layer whose parameter name
    ``app/answer/reader.py`` looks up when it merges adapters (``<prefix>.a`` / ``.b``)."""
    from torch import nn
    from transformers import BertConfig, BertModel

    enc = BertModel(BertConfig(hidden_size=8, num_hidden_layers=1, num_attention_heads=2,
                               intermediate_size=16, vocab_size=10))
    sites = {"query": "attention.self.query", "key": "attention.self.key",
             "value": "attention.self.value", "attn_out": "attention.output.dense",
             "ffn_in": "intermediate.dense", "ffn_out": "output.dense"}
    layer = enc.encoder.layer[0]
    for target, prefix in sites.items():
        parent, name = _lora_site(layer, target)
        linear = getattr(parent, name)
        assert isinstance(linear, nn.Linear)
        assert linear is enc.get_submodule("encoder.layer.0." + prefix)


def test_separation_ranks_right_first_choices_against_unanswerable_questions() -> None:
    """1 when every answerable question whose first choice is right scores above every
    unanswerable one, 0 when below; answerable questions answered wrongly are left out."""
    from app.answer.fit import Row

    def row(answerable: bool, right: list[int]) -> Row:
        return Row("q", "d", answerable, np.zeros((len(right), 1)), np.array(right), True)

    rows = [row(True, [1, 0]), row(False, [0, 0]), row(True, [0, 1])]
    high, low, wrong = np.array([0.9, 0.1]), np.array([0.3, 0.2]), np.array([0.95, 0.1])
    assert separation(rows, [high, low, wrong]) == 1.0  # the wrong first choice does not count
    assert separation(rows, [low, high, wrong]) == 0.0


def test_domain_pairs_take_the_first_candidates_and_every_right_one() -> None:
    from bench.probe_verifier import domain_pairs

    rows = _rows(3)
    far = {"sentence": "Điều khoản xa", "section": "V", "text": "", "title": "", "source": "d",
           "label": 0.0, "x": [0.1]}
    late = {**rows[0]["cands"][0], "sentence": "Gửi trước ngày 30/9/2020"}  # right, 4th
    rows[0]["cands"] = [rows[0]["cands"][1], far, far, late, far]
    pairs = domain_pairs(rows, first=2)
    assert len(pairs) == 2 + 1 + 2 * 2  # first two + the late right one; 2 × 2 for the others
    assert ("query: hạn nộp passage: Chế độ Gửi trước ngày 30/9/2020", 1.0) in pairs
    assert sum("Điều khoản xa" in t for t, _ in pairs) == 1  # the 2nd only, not the 3rd or 5th


def test_twins_find_a_reworded_copy_and_not_another_question() -> None:
    from bench.probe_verifier import twins

    train = ["Hội Nông dân cấp huyện phải hoàn thành học tập Nghị quyết 58 trước ngày nào?"]
    held = ["hoi nong dan cap huyen phai hoan thanh hoc tap nghi quyet 58 truoc ngay nao",
            "Ai ký kế hoạch 985?"]
    assert twins(train, held) == [0]


def test_soup_averages_the_merged_updates_and_the_heads(tmp_path) -> None:
    rng = np.random.default_rng(0)
    site = "enc.encoder.layer.0.attention.self.query"
    paths, deltas, heads = [], [], []
    for k in range(3):
        a, b = rng.normal(size=(8, 6)), rng.normal(size=(6, 8))
        head = rng.normal(size=(1, 6))
        paths.append(tmp_path / f"r{k}.npz")
        np.savez(paths[-1], **{site + ".a": a, site + ".b": b, "head.weight": head,
                               "head.bias": np.array([float(k)])})
        deltas.append(b @ a)
        heads.append(head)
    soup(paths, tmp_path / "soup.npz")
    s = dict(np.load(tmp_path / "soup.npz"))
    assert s[site + ".a"].shape == (24, 6)  # one adapter of three times the rank
    np.testing.assert_allclose(s[site + ".b"] @ s[site + ".a"], np.mean(deltas, axis=0),
                               rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(s["head.weight"], np.mean(heads, axis=0), rtol=1e-6)
    assert float(s["head.bias"][0]) == 1.0
    # a soup of one reader is that reader
    soup(paths[:1], tmp_path / "one.npz")
    one = dict(np.load(tmp_path / "one.npz"))
    np.testing.assert_allclose(one[site + ".b"] @ one[site + ".a"], deltas[0], rtol=1e-5,
                               atol=1e-5)


def test_soup_refuses_readers_of_different_recipes(tmp_path) -> None:
    np.savez(tmp_path / "q.npz", **{"enc.q.a": np.zeros((2, 3)), "enc.q.b": np.zeros((3, 2))})
    np.savez(tmp_path / "v.npz", **{"enc.v.a": np.zeros((2, 3)), "enc.v.b": np.zeros((3, 2))})
    with pytest.raises(AssertionError):
        soup([tmp_path / "q.npz", tmp_path / "v.npz"], tmp_path / "out.npz")


@pytest.mark.parametrize(("rank", "stored"), [(8, None), (16, 1.0)])
def test_a_reader_file_stores_its_scale_unless_it_is_rank_8s(tmp_path, rank: int,
                                                             stored: float | None) -> None:
    """``save_reader`` writes the trained weights, and α / rank beside them when it is not the
    16 / 8 a file without it is read with: a rank-8 file is the same bytes as before round 19
    (the shipped reader stays ``make reader``'s output)."""
    import torch

    from app.answer.reader import LORA_SCALE_KEY
    from bench.probe_verifier import save_reader

    class Model(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.head = torch.nn.Linear(2, 1)
            self.frozen = torch.nn.Linear(2, 2).requires_grad_(False)
            self.lora_scale = 16 / rank

    save_reader(Model(), tmp_path / "r.npz")
    saved = dict(np.load(tmp_path / "r.npz"))
    assert {"head.weight", "head.bias"} <= set(saved) and "frozen.weight" not in saved
    assert (float(saved[LORA_SCALE_KEY]) if LORA_SCALE_KEY in saved else None) == stored


def test_a_stopped_reader_training_resumes_to_the_uninterrupted_weights(tmp_path) -> None:
    """A reader's training stopped mid-epoch (its state checkpointed) and rerun from the
    checkpoint ends with the very weights of a run never stopped (dropout's generator, the
    batch order, the optimiser and the schedule all restored); a checkpoint of other pairs is
    refused rather than resumed. The real e5-small, six steps of rank-2 adapters."""
    import torch

    from bench.probe_verifier import _reader_trainer

    pairs = [(f"query: hạn nộp báo cáo đợt {i} passage: gửi trước ngày {i % 28 + 1}/9/2020",
              float(i % 2)) for i in range(40)]  # three batches an epoch: 16, 16, 8
    train = _reader_trainer(2, 5e-4, 2, ("query",))
    whole = train(pairs)
    ck = tmp_path / "reader.ckpt"
    assert train(pairs, ck, every=2, stop_after=4) is None  # stopped in the second epoch
    resumed = train(pairs, ck, every=2)
    assert resumed is not None
    a, b = whole.state_dict(), resumed.state_dict()
    trained = [n for n, p in whole.named_parameters() if p.requires_grad]
    assert trained and all(torch.equal(a[n], b[n]) for n in trained)
    assert not torch.equal(a["head.weight"], torch.zeros_like(a["head.weight"]))
    with pytest.raises(SystemExit, match="another training"):
        train(pairs[:-1], ck)


def test_same_start_runs_share_the_start_and_differ_in_training(tmp_path) -> None:
    """Round 53's SS: runs of one seed with other order seeds start from the same adapters
    and head (the seed's, as the run without an order seed), and their training differs; a
    run of another seed starts elsewhere; a checkpoint of one order seed is not resumed by
    another or by the run without one. The real e5-small, rank-2 adapters, three steps."""
    import torch

    from bench.probe_verifier import _reader_trainer

    def trained(model: torch.nn.Module) -> dict[str, torch.Tensor]:
        return {n: p.detach().clone() for n, p in model.named_parameters() if p.requires_grad}

    def same(a: dict[str, torch.Tensor], b: dict[str, torch.Tensor]) -> bool:
        return a.keys() == b.keys() and all(torch.equal(a[n], b[n]) for n in a)

    pairs = [(f"query: hạn nộp báo cáo đợt {i} passage: gửi trước ngày {i % 28 + 1}/9/2020",
              float(i % 2)) for i in range(40)]
    plain, o2, o3 = (_reader_trainer(1, 5e-4, 2, ("query",), 0, order_seed=o)
                     for o in (None, 2, 3))
    other = _reader_trainer(1, 5e-4, 2, ("query",), 1)
    start = trained(plain.start())
    assert same(start, trained(o2.start())) and same(start, trained(o3.start()))
    assert not same(start, trained(other.start()))
    a, b = trained(o2(pairs)), trained(o3(pairs))
    assert not same(a, b) and not same(a, start)
    assert same(a, trained(o2(pairs)))  # an order seed's run repeats itself
    ck = tmp_path / "reader.ckpt"
    assert o2(pairs, ck, every=1, stop_after=1) is None
    for refused in (o3, plain):
        with pytest.raises(SystemExit, match="another training"):
            refused(pairs, ck)


def test_the_listwise_loss_is_the_right_candidates_share_against_the_null() -> None:
    """Round 41's probe LW: per question, softmax over its logits and a null logit 0."""
    import torch

    from bench.probe_verifier import listwise_loss

    logits = torch.tensor([2.0, 0.0, -1.0, 1.0], requires_grad=True)
    labels = torch.tensor([1.0, 0.0, 0.0, 0.0])  # question 1: the first of two; question 2: none
    loss = listwise_loss(logits, labels, [2, 2])
    want = ((torch.logsumexp(torch.tensor([2.0, 0.0, 0.0]), 0) - 2.0)
            + torch.logsumexp(torch.tensor([-1.0, 1.0, 0.0]), 0)) / 2
    assert torch.isclose(loss, want)
    loss.backward()
    g = logits.grad
    assert g[0] < 0 < g[1] and g[2] > 0 and g[3] > 0  # the right one up, the others down


def test_batches_are_single_pairs_or_whole_questions() -> None:
    from bench.probe_verifier import _units

    assert _units(3, None) == [[0], [1], [2]]
    assert _units(5, [7, 7, 3, 7, 3]) == [[0, 1, 3], [2, 4]]


def test_a_listwise_training_runs_and_is_not_resumed_from_a_pointwise_one(tmp_path) -> None:
    """The real e5-small, rank-2 adapters, one epoch of ten questions (three batches)."""
    from bench.probe_verifier import _reader_trainer

    pairs = [(f"query: hạn nộp báo cáo đợt {i // 2} passage: gửi trước ngày {i % 28 + 1}/9",
              float(i % 2)) for i in range(20)]
    groups = [i // 2 for i in range(20)]
    train = _reader_trainer(1, 5e-4, 2, ("query",))
    ck = tmp_path / "reader.ckpt"
    assert train(pairs, ck, every=2, stop_after=1) is None  # a pointwise run's checkpoint
    with pytest.raises(SystemExit, match="another training"):
        train(pairs, ck, groups=groups)
    model = train(pairs, groups=groups)
    assert model is not None and len(model.scores([p for p, _ in pairs])) == 20


def test_paraphrase_groups_are_the_pairs_each_with_the_question_it_asks(tmp_path) -> None:
    """Round 42: an item's question, its clause and its negatives form one listwise group;
    its near miss is a group alone (its one candidate is wrong: the target is the null)."""
    import json

    from bench.probe_verifier import paraphrase_groups, paraphrase_pairs

    items = [{"heading": f"I › Mục {k}", "clause": f"Điều khoản số {k}.",
              "question": f"hỏi {k}", "near_miss": f"hỏi gần {k}"} for k in range(4)]
    items[2].pop("near_miss")
    f = tmp_path / "pairs.json"
    f.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    grouped = paraphrase_groups([f, f], negatives=2)
    assert [p for p, _ in grouped] == paraphrase_pairs([f, f], negatives=2)
    by: dict[int, list[tuple[str, float]]] = {}
    for p, g in grouped:
        by.setdefault(g, []).append(p)
    assert sorted(by) == list(range(2 * 7))  # per file: four questions, three near misses
    for members in by.values():
        asked = {t.split(" passage:")[0] for t, _ in members}
        assert len(asked) == 1  # one question per group
        if "gần" in next(iter(asked)):
            assert [y for _, y in members] == [0.0]
        else:
            assert sorted(y for _, y in members) == [0.0, 0.0, 1.0]


def test_listwise_groups_never_join_a_paraphrase_item_and_a_domain_row(tmp_path, monkeypatch
                                                                       ) -> None:
    import json

    import bench.probe_verifier as probe

    items = [{"heading": "I", "clause": f"Điều {k}.", "question": f"hỏi {k}",
              "near_miss": f"gần {k}"} for k in range(3)]
    f = tmp_path / "pairs.json"
    f.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    seen: dict[str, object] = {}

    def trainer(*args, **kwargs):
        def train(pairs, checkpoint=None, groups=None):
            seen.update(pairs=pairs, groups=groups)
            raise SystemExit("stop")
        return train
    monkeypatch.setattr(probe, "_reader_trainer", trainer)
    with pytest.raises(SystemExit, match="stop"):
        probe.reader(_rows(2), [f], None, 1, 5e-4, 2, ("query",), domain=_rows(2), first=1,
                     listwise=True)
    groups, pairs = seen["groups"], seen["pairs"]
    assert len(groups) == len(pairs) == 3 * 4 + 2
    assert groups[-2:] == [6, 7]  # six paraphrase groups, then one per domain question


def test_question_pairs_are_domain_pairs_one_list_per_question() -> None:
    from bench.probe_verifier import domain_pairs, question_pairs

    rows = _rows(3)
    per_question = question_pairs(rows, first=1)
    assert len(per_question) == 3 and all(len(q) == 1 for q in per_question)
    assert [p for q in per_question for p in q] == domain_pairs(rows, first=1)


def test_apply_reports_a_saved_reader_on_the_tuning_rows_as_reader_does(
        tmp_path, monkeypatch, capsys) -> None:
    """``apply`` with no other rows: the verifier refitted out of fold on the tuning rows
    without and with the saved reader's score (round 43: the shipped reader's measure from a
    repo command). A reader whose score is the label lifts the utility."""
    import pickle

    import bench.probe_verifier as probe

    rows = _rows(20)
    for r in rows:  # the shipped feature no longer tells right from wrong, and ranks the
        r["cands"].reverse()  # wrong clause first
        r["first_hit"] = False
        for c in r["cands"]:
            c["x"] = [0.5]
    f = tmp_path / "rows.pkl"
    f.write_bytes(pickle.dumps(rows))
    monkeypatch.setattr(probe, "_saved_reader", lambda args: "saved")
    monkeypatch.setattr(probe, "_score_rows", lambda model, rs, *a, **k: {
        (i, j): 4.0 * c["label"] - 2.0 for i, r in enumerate(rs)
        for j, c in enumerate(r["cands"])})
    assert probe.main(["apply", str(f), str(tmp_path / "reader.npz")]) == 0
    lines = capsys.readouterr().out.splitlines()
    plain, read = (int(ln.split(" utility ")[1].split()[0]) for ln in lines[-2:])
    assert lines[-2].startswith("shipped features:")
    assert lines[-1].startswith("with the reader score:")
    assert read == 20 > plain  # every question answered right only with the score


def test_distilled_labels_are_the_teachers_probabilities_in_the_same_order() -> None:
    """Round 52's ED: each pair keeps its text and takes sigmoid(teachers' mean logit) as its
    label; a count that does not match the pairs is refused."""
    from bench.probe_verifier import distilled

    pairs = [("query: a passage: x", 1.0), ("query: b passage: y", 0.0), ("query: c", 0.0)]
    out = distilled(pairs, [0.0, 2.0, -3.0])
    assert [t for t, _ in out] == [t for t, _ in pairs]
    assert [y for _, y in out] == pytest.approx([0.5, 0.8808, 0.0474], abs=1e-4)
    with pytest.raises(ValueError, match="2 teacher logits for 3 pairs"):
        distilled(pairs, [0.0, 1.0])


def test_teacher_logits_average_the_teachers_and_are_kept_for_the_same_texts(tmp_path) -> None:
    """The mean of several scorers per text; with a store, read back (no scorer called) when
    the texts and the number of teachers match, and recomputed when the texts differ."""
    from bench.probe_verifier import teacher_logits

    calls: list[int] = []

    def scorer(shift: float):
        def score(texts: list[str]) -> list[float]:
            calls.append(len(texts))
            return [len(t) + shift for t in texts]
        return score

    texts = ["ab", "abcd"]
    store = tmp_path / "teachers.npz"
    got = teacher_logits(texts, [scorer(0.0), scorer(1.0), scorer(-4.0)], store)
    assert got.tolist() == pytest.approx([2 - 1, 4 - 1])
    assert calls == [2, 2, 2] and store.exists()
    again = teacher_logits(texts, [scorer(9.0), scorer(9.0), scorer(9.0)], store)
    assert again.tolist() == pytest.approx([1.0, 3.0]) and calls == [2, 2, 2]  # read back
    other = teacher_logits(["abc"], [scorer(0.0), scorer(0.0), scorer(0.0)], store)
    assert other.tolist() == [3.0] and len(calls) == 6


def test_a_reader_with_teachers_trains_on_their_probabilities(tmp_path, monkeypatch) -> None:
    """``reader(..., teachers=…)`` gives the trainer the same texts, each labelled with the
    teachers' probability, not the 0/1 labels."""
    import json

    import bench.probe_verifier as probe

    items = [{"heading": "I", "clause": f"Điều {k}.", "question": f"hỏi {k}"} for k in range(2)]
    f = tmp_path / "pairs.json"
    f.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    seen: dict[str, object] = {}

    class Teacher:
        def __init__(self, path) -> None:
            self.bias = float(path.stem[-1])

        def scores(self, texts: list[str]) -> list[float]:
            return [self.bias] * len(texts)

    def trainer(*args, **kwargs):
        def train(pairs, checkpoint=None, groups=None):
            seen.update(pairs=pairs)
            raise SystemExit("stop")
        return train
    monkeypatch.setattr(probe, "_reader_trainer", trainer)
    monkeypatch.setattr(probe, "ProductReader", Teacher)
    plain = probe.paraphrase_pairs([f])
    with pytest.raises(SystemExit, match="stop"):
        probe.reader(_rows(2), [f], None, 1, 5e-4, 2, ("query",),
                     teachers=[tmp_path / "t0", tmp_path / "t2"])
    pairs = seen["pairs"]
    assert [t for t, _ in pairs] == [t for t, _ in plain]
    assert {y for _, y in plain} == {0.0, 1.0}
    assert [y for _, y in pairs] == pytest.approx([1 / (1 + np.exp(-1.0))] * len(plain))


def test_a_reader_with_kept_teacher_logits_loads_no_teacher(tmp_path, monkeypatch) -> None:
    """A resumed distillation (the teachers' logits already in ``teacher_store``) builds no
    teacher reader: loading three readers would cost seconds and gigabytes for nothing."""
    import json

    import bench.probe_verifier as probe

    items = [{"heading": "I", "clause": f"Điều {k}.", "question": f"hỏi {k}"} for k in range(2)]
    f = tmp_path / "pairs.json"
    f.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    store = tmp_path / "teachers.npz"
    plain = probe.paraphrase_pairs([f])
    probe.teacher_logits([t for t, _ in plain], [lambda ts: [0.0] * len(ts)] * 2, store)
    built: list[object] = []

    def trainer(*args, **kwargs):
        def train(pairs, checkpoint=None, groups=None):
            raise SystemExit("stop")
        return train
    monkeypatch.setattr(probe, "_reader_trainer", trainer)
    monkeypatch.setattr(probe, "ProductReader", lambda path: built.append(path))
    with pytest.raises(SystemExit, match="stop"):
        probe.reader(_rows(2), [f], None, 1, 5e-4, 2, ("query",),
                     teachers=[tmp_path / "t0", tmp_path / "t2"], teacher_store=store)
    assert built == []
