"""A regex tokenizer: splits letters, digits and punctuation apart so lexicon patterns tokenize alike."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

import spacy
from spacy.tokens import Doc
from spacy.tokens.underscore import Underscore
from spacy.vocab import Vocab

# a count's "x" glued to a capitalised name is a token of its own ("5xFentanyl", "10xXanax"; issue 14, real dev misses
# 4); not "5xanax" or "2XL"
_TOKEN_RE = re.compile(r"((?<=\d)x(?=[A-Z][^\W\d_])|[^\W\d_]+|\d+(?:[.,]\d+)*|_|[^\w\s])( ?)|(\s+)")


class RegexTokenizer:
    """Letters, digit groups and single punctuation marks are tokens ("4-MMC" -> 4 - MMC)."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        words: list[str] = []
        spaces: list[bool] = []
        for word, space, ws in _TOKEN_RE.findall(text):
            if ws:
                if words and not spaces[-1] and ws.startswith(" "):
                    spaces[-1] = True
                    ws = ws[1:]
                if ws:
                    words.append(ws)
                    spaces.append(False)
            else:
                words.append(word)
                spaces.append(bool(space))
        doc = Doc(self.vocab, words=words, spaces=spaces)
        doc.user_data["text"] = text  # Doc.text joins every token again on each access
        return doc

    def pipe(self, texts: Iterable[str], batch_size: int = 1000) -> Iterator[Doc]:
        for text in texts:
            yield self(text)

    def to_bytes(self, **kwargs: object) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kwargs: object) -> RegexTokenizer:
        return self

    def to_disk(self, path: object, **kwargs: object) -> None:
        return None

    def from_disk(self, path: object, **kwargs: object) -> RegexTokenizer:
        return self


_MISSING = object()
_DOC_EXTENSIONS: dict[str, tuple[Any, Any, Any, Any]] = Underscore.doc_extensions  # Doc.set_extension's registry


class Ext:
    """What `doc._` reads and writes for a Doc's extension attributes, without spaCy building an Underscore
    object on every access (6 us each; a listing reads them dozens of times). Values live where spaCy keeps
    them, `doc.user_data[("._.", name, None, None)]`, so `doc._.name` and `Ext(doc).name` agree both ways.

    The first read of a name installs a property for it on the class (`_install_reader`): later reads are one
    descriptor call, not a failed attribute look-up and `__getattr__` (~1 us each, tens per listing)."""

    __slots__ = ("_data",)

    def __init__(self, doc: Doc) -> None:
        object.__setattr__(self, "_data", doc.user_data)

    def __getattr__(self, name: str) -> Any:
        value = self._data.get(("._.", name, None, None), _MISSING)
        default = _extension_default(name)  # an unknown name (or a method/property) fails as doc._ does
        _install_reader(name)
        return default if value is _MISSING else value

    def __setattr__(self, name: str, value: Any) -> None:
        _extension_default(name)  # an unknown name fails as doc._ does
        self._data[("._.", name, None, None)] = value


_READERS: dict[str, property] = {}  # the properties _install_reader put on Ext


def _install_reader(name: str) -> None:
    """Put a property reading extension `name` on Ext. It answers while spaCy's registration of the name is the
    one seen here (the same tuple); after Doc.set_extension(..., force=True) or remove_extension it raises
    AttributeError, so Python falls back to `Ext.__getattr__`, which reads the registry again."""
    entry = _DOC_EXTENSIONS.get(name)
    if entry is None or (name in Ext.__dict__ and name not in _READERS):
        return
    key = ("._.", name, None, None)
    default = entry[0]

    def read(self: Ext) -> Any:
        if _DOC_EXTENSIONS.get(name) is not entry:
            raise AttributeError(name)
        value = self._data.get(key, _MISSING)
        return default if value is _MISSING else value

    _READERS[name] = prop = property(read, doc=f"doc._.{name}")
    setattr(Ext, name, prop)


def _extension_default(name: str) -> Any:
    found = _DOC_EXTENSIONS.get(name)  # what Doc.has_extension/get_extension read, in one dict look-up
    if found is None:
        raise AttributeError(f"Doc has no extension {name!r}")
    default, method, getter, _setter = found
    if method is not None or getter is not None:
        raise AttributeError(f"extension {name!r} is a method or property: use doc._")
    return default


def doc_text(doc: Doc) -> str:
    """The text of a doc made by RegexTokenizer without re-joining its tokens."""
    text = doc.user_data.get("text")
    return text if isinstance(text, str) else doc.text


@spacy.registry.tokenizers("onionwatch.regex_tokenizer.v1")
def create_regex_tokenizer():  # type: ignore[no-untyped-def]
    def make(nlp):  # type: ignore[no-untyped-def]
        return RegexTokenizer(nlp.vocab)

    return make
