"""Unknown-substance candidates are stored and counted over time (real SQLite file)."""

from __future__ import annotations

from pathlib import Path

from crawler.items import RawListing
from extractors.candidates import CandidateLog
from extractors.pipeline import Extractor


def test_candidates_counted_over_time(extractor: Extractor, tmp_path: Path) -> None:
    def crawl(day: str, titles: list[str]) -> list:
        raws = [RawListing(market="m", listing_id=str(i), url=f"/{i}", title=t, scraped_at=f"{day}T12:00:00Z")
                for i, t in enumerate(titles)]  # fmt: skip
        return extractor.listings(raws)

    log = CandidateLog(tmp_path / "c.sqlite")
    assert log.record(crawl("2026-11-01", ["Fluetizolam 1mg pellets x 20", "Cocaine 1g"])) == 1
    assert log.record(crawl("2026-11-08", ["Fluetizolam 1mg pellets x 20", "CH-PIATA 100mg powder"])) == 2
    log.close()
    counts = {c.name: c for c in CandidateLog(tmp_path / "c.sqlite").counts()}
    assert set(counts) == {"fluetizolam", "ch-piata"}
    assert (counts["fluetizolam"].sightings, counts["fluetizolam"].listings) == (2, 1)
    assert counts["fluetizolam"].first_seen.startswith("2026-11-01")
    assert counts["fluetizolam"].cls == "benzodiazepine"
    emerging = CandidateLog(tmp_path / "c.sqlite").counts(since="2026-11-05")
    assert [c.name for c in emerging] == ["ch-piata"]
