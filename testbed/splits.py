"""Fixed dev/test splits of the evaluation sets: a record is test when sha256(source:id)'s first byte < 0x4d.

The split is decided by a hash of the record's id before any tuning, so it never changes when rules,
code or the order of the rows change, and every evaluation script asks this module (never its own rule):

- `split_of(source, record_id)` -> "dev" or "test"; 0x4d / 256 = 30.1 % of ids go to test.
- For the labelled JSONL corpora the id is the record's `id` field.
- For the real sets in ../shared/data/listings the evaluation unit is one distinct listing text (the
  scrapes repeat a listing many times), and the sets have no id that is stable for a text: AlphaBay has
  none, an Agora page id is re-used for re-titled listings (708 ids carry more than one title) and one
  title recurs under several ids (413 titles). So the id of a real record is its text, whitespace-collapsed
  and case-folded (`text_id`): every copy of one text lands on the same side and no text is both dev and
  test. The text column is `title` (AlphaBay, Agora) and `description` (Matanga).

Rules are tuned on dev only; test is scored once per release (`bench/eval_extract.py --split test`).
"""

from __future__ import annotations

import hashlib
import re

TEST_BELOW = 0x4D  # first byte of the digest below this -> test (77 / 256 = 30.1 %)
SPLITS = ("dev", "test")
TEXT_COLUMN = {"alphabay2017": "title", "agora2014": "title", "matanga2020": "description"}
_SPACE = re.compile(r"\s+")


def text_id(text: str) -> str:
    """The id of a real-set record: its text with runs of white space collapsed, case-folded."""
    return _SPACE.sub(" ", text).strip().casefold()


def split_of(source: str, record_id: str) -> str:
    """'test' when the first byte of sha256(f"{source}:{record_id}") is below 0x4d, else 'dev'."""
    digest = hashlib.sha256(f"{source}:{record_id}".encode()).digest()
    return "test" if digest[0] < TEST_BELOW else "dev"


def real_split(source: str, row: dict[str, str]) -> str:
    """The split of one row of a real set (`source` is a key of TEXT_COLUMN)."""
    return split_of(source, text_id(row[TEXT_COLUMN[source]]))


def check_split(split: str) -> str:
    if split not in SPLITS:
        raise ValueError(f"split must be one of {', '.join(SPLITS)}, not {split!r}")
    return split
