"""User review: weak items on short documents. The numbered points of a notice without
headings were placed in its «phần mở đầu», and a đúng/sai statement was made of a bare noun
phrase from a list («Toàn thể 126 hội viên của chi hội» under «Thành phần»)."""
from __future__ import annotations

from app.quiz.generate import candidates
from app.quiz.outline_digest import where as outline_where
from app.quiz.stems import context, real_claim
from ingest.passages import make_passages
from ingest.records import Block

NOTICE = """BCH HỘI NÔNG DÂN HUYỆN HOẰNG HÓA
Số 15-TB/HND
THÔNG BÁO
Về việc tổ chức hội nghị cấp huyện

Ban Thường vụ Hội Nông dân huyện thông báo tổ chức hội nghị như sau:
1. Thời gian: 01 buổi, ngày 25/11/2022.
2. Địa điểm: Hội trường Trung tâm Chính trị huyện.
3. Hội Nông dân mỗi xã chuẩn bị 01 ý kiến tham luận, gửi về Văn phòng trước ngày 22/11/2022.
"""


def test_a_notices_numbered_points_are_not_its_opening():
    passages = make_passages("tb.txt", [Block(x) for x in NOTICE.splitlines()])[1]
    body = [p for p in passages if p.kind == "body"]
    where = {p.text[:2]: context(p) for p in body}
    assert where["1."].endswith(", điểm 1") and where["3."].endswith(", điểm 3")
    assert outline_where(body[-1]).endswith(", điểm 3")  # the outline cites it alike
    for seed in range(3):
        for found in candidates(passages, ("mcq", "tf"), seed).values():
            for c in found:
                if "Văn phòng" in c.item.question:
                    assert "phần mở đầu" not in c.item.question


def test_a_bare_noun_phrase_is_no_true_false_claim():
    assert not real_claim("Toàn thể 126 hội viên của chi hội")
    assert real_claim("Địa điểm: Hội trường Trung tâm Chính trị huyện.")
    assert real_claim("Các chi hội còn lại hoàn thành trước ngày 20/01/2023.")
