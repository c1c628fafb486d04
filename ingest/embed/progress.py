"""Progress of a long ingest as people read it: passages done, passages per second, time left.

``ingest.pipeline.ingest`` takes a progress factory ``(total, label) → advance(n)``; ``rate_factory``
makes one that hands a fraction and a Vietnamese status line to any sink (a Streamlit
``st.progress`` bar on upload; a test's list). The CLI draws the same figures with tqdm.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

Sink = Callable[[float, str], None]  # (fraction done 0..1, status line)


def duration_vi(seconds: float) -> str:
    """``95`` → ``1 phút 35 giây``; under a minute only seconds; hours for long runs."""
    s = max(0, round(seconds))
    hours, rest = divmod(s, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} giờ {minutes} phút"
    if minutes:
        return f"{minutes} phút {secs} giây"
    return f"{secs} giây"


@dataclass
class Rate:
    """Passages done out of ``total`` since ``started`` (a ``clock`` reading)."""

    total: int
    clock: Callable[[], float] = time.monotonic
    done: int = 0
    started: float = field(default=0.0)

    def __post_init__(self) -> None:
        self.started = self.clock()

    def advance(self, n: int) -> None:
        """Count ``n`` more passages."""
        self.done += n

    def per_second(self) -> float:
        """Passages per second so far (0 before the first second of work)."""
        elapsed = self.clock() - self.started
        return self.done / elapsed if elapsed > 0 else 0.0

    def seconds_left(self) -> float | None:
        """Estimated seconds to finish at the rate so far; ``None`` while unknown."""
        rate = self.per_second()
        return (self.total - self.done) / rate if rate > 0 else None

    def status(self, label: str) -> str:
        """``Đang nạp 3 tệp: 120/2016 đoạn · 17.3 đoạn/giây · còn khoảng 1 phút 50 giây``."""
        line = f"Đang nạp {label}: {self.done}/{self.total} đoạn"
        rate, left = self.per_second(), self.seconds_left()
        if rate > 0:
            line += f" · {rate:.1f} đoạn/giây"
        if left is not None and self.done < self.total:
            line += f" · còn khoảng {duration_vi(left)}"
        return line


def rate_factory(sink: Sink, clock: Callable[[], float] = time.monotonic
                 ) -> Callable[[int, str], Callable[[int], None]]:
    """A progress factory for ``ingest`` that reports to ``sink`` after every batch."""
    def factory(total: int, label: str) -> Callable[[int], None]:
        rate = Rate(total, clock)

        def advance(n: int) -> None:
            rate.advance(n)
            sink(min(1.0, rate.done / max(1, total)), rate.status(label))
        return advance
    return factory
