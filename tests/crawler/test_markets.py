"""Market definition schema: every shipped definition validates; broken ones give `file: field: problem`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from onionwatch.crawler.markets import (
    MarketDefinitionError,
    UnknownMarketError,
    get_market,
    load_definition,
    market_files,
    validate_all,
)
from tests.crawler.conftest import FIXTURE_MARKETS, ROOT

MINI = yaml.safe_load((FIXTURE_MARKETS / "mini.yaml").read_text())


def test_shipped_definitions_are_valid() -> None:
    files = market_files()
    assert {p.stem for p in files} >= {"abyss", "kladmen"}
    assert validate_all() == []


def test_fixture_definition_loads() -> None:
    d = load_definition(FIXTURE_MARKETS / "mini.yaml")
    assert d.name == "mini" and d.login is not None and d.login.credentials == "mini"
    assert d.listing.fields["tiers"].many is True


def test_start_and_follow_take_one_string(tmp_path: Path) -> None:
    """Like a field's css, one start page or follow selector need not be a list (an analyst writes it so)."""
    d = load_definition(_write(tmp_path, _broken(navigation__start="/shop", navigation__follow="ul.cats a")))
    assert d.navigation.start == ["/shop"] and d.navigation.follow == ["ul.cats a"]


def _write(tmp_path: Path, data: object, name: str = "mini") -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data), encoding="utf-8")
    return path


def _broken(**changes: object) -> dict:
    data = yaml.safe_load(yaml.safe_dump(MINI))
    for dotted, value in changes.items():
        node = data
        keys = dotted.split("__")
        for k in keys[:-1]:
            node = node[k]
        if value is None:
            del node[keys[-1]]
        else:
            node[keys[-1]] = value
    return data


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"language": "fr"}, "language: Input should be 'en' or 'ru'"),
        ({"currency": None}, "currency: Field required"),
        ({"mirrors": ["ftp://x.onion"]}, "mirrors: mirror 'ftp://x.onion' is not an http(s) URL"),
        ({"mirrors": ["http://example.com"]}, "mirrors: 'http://example.com' is not a .onion host but network is 'onion'"),
        ({"navigation__listing_links": "td..item a"}, "navigation.listing_links: invalid CSS selector 'td..item a'"),
        ({"listing__fields__city": "//th[.='City']/following-sibling::td/text()"},
         "listing.fields.city.css: invalid CSS selector \"//th[.='City']/following-sibling::td/text()\" "
         "(SelectorSyntaxError; XPath is not accepted: write CSS"),
        ({"listing__url_pattern": "/item/(\\d+)"}, "listing.url_pattern: needs a named group (?P<id>...)"),
        ({"listing__fields__tiers": {"css": "option::text", "many": True, "template": "{text} {@data-price}"}},
         "listing.fields.tiers: template reads elements, but selector 'option::text' yields text"),
        ({"listing__fields__tiers": {"css": "option", "template": "{price}"}},
         "listing.fields.tiers.template: needs {text}, {header} or {@attribute}"),
        ({"listing__url_pattern": "/item/(?P<id>"}, "listing.url_pattern: invalid regex"),
        ({"listing__fields__colour": "h2::text"}, "listing.fields.colour: unknown field"),
        ({"listing__fields__title": None}, "listing.fields.title: field required"),
        ({"login__password": "hunter2"}, "login.password: unknown field"),
        ({"name": "other"}, "name: 'other' does not match the file name"),
        ({"max_pages": 0}, "max_pages: Input should be greater than 0"),
        ({"blocked": ["captcha", "(unclosed"]}, "blocked: invalid regex '(unclosed'"),
        ({"listing": None}, "listing: field required (a listing page spec, or listing_rows"),
        ({"navigation__listing_links": None}, "navigation.listing_links: field required when listing pages are defined"),
        ({"listing_rows": {"row": "tr", "fields": {"title": "td", "citi": "td::text"}}},
         "listing_rows.fields.citi: unknown field (did you mean 'city'?)"),
        ({"listing_rows": {"row": "tr", "fields": {"city": "td::text"}}}, "listing_rows.fields.title: field required"),
        ({"listing_rows": {"row": "tr..x", "fields": {"title": "td"}}}, "listing_rows.row: invalid CSS selector"),
        ({"listing_rows": {"row": "tr", "id": "td[", "fields": {"title": "td"}}}, "listing_rows.id.css: invalid CSS"),
    ],
)  # fmt: skip
def test_broken_definition_names_file_field_and_problem(tmp_path: Path, changes: dict, expected: str) -> None:
    path = _write(tmp_path, _broken(**changes))
    with pytest.raises(MarketDefinitionError) as err:
        load_definition(path)
    assert str(err.value).startswith(f"{path}: {expected}")
    assert "\n" not in str(err.value)


def test_malformed_yaml_gives_the_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "name: mini\ntitle: [unclosed\nlanguage: en\n")
    with pytest.raises(MarketDefinitionError, match=rf"^{path}: line \d+: malformed YAML"):
        load_definition(path)


@pytest.mark.parametrize(("content", "line", "first"), [
    ("name: mini\nlisting:\n  title: h1\nlisting:\n  title: h2\n", 4, 2),  # a second section would replace the first
    ("name: mini\nnavigation: {listing_links: a, listing_links: b}\n", 2, 2),  # in a flow mapping, on one line
    ("name: mini\nlisting:\n  title: h1\n  price: .p\n  title: h2\n", 5, 3),  # nested
])
def test_a_key_written_twice_is_refused_with_both_lines(tmp_path: Path, content: str, line: int, first: int) -> None:
    path = _write(tmp_path, content)
    with pytest.raises(MarketDefinitionError, match=rf"^{path}: line {line}: malformed YAML \(duplicate key "
                                                    rf"'\w+' \(first on line {first}\)\)$"):
        load_definition(path)


def test_a_merge_key_may_still_override(tmp_path: Path) -> None:
    from onionwatch.config_errors import read_yaml
    from onionwatch.errors import ConfigError

    path = tmp_path / "m.yaml"
    path.write_text("base: &b {a: 1, b: 2}\nthis:\n  <<: *b\n  b: 3\n", encoding="utf-8")
    assert read_yaml(path, ConfigError)["this"] == {"a": 1, "b": 3}


@pytest.mark.parametrize("content", ["", "- a\n- b\n", "just a string"])
def test_non_mapping_yaml(tmp_path: Path, content: str) -> None:
    path = _write(tmp_path, content)
    with pytest.raises(MarketDefinitionError, match=rf"^{path}: \(top level\): must be a mapping$"):
        load_definition(path)


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "mini.yaml"
    path.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(MarketDefinitionError, match="not UTF-8 text|malformed YAML"):
        load_definition(path)


def test_unknown_market_lists_known_ones() -> None:
    with pytest.raises(UnknownMarketError, match=r"unknown market 'nope' \(known: .*abyss"):
        get_market("nope")
    with pytest.raises(UnknownMarketError):
        get_market("../../etc/passwd")


def test_validate_cli_reports_and_exits_nonzero(tmp_path: Path) -> None:
    good = _write(tmp_path, MINI)
    bad = _write(tmp_path, _broken(language="fr"), name="bad")
    proc = subprocess.run([sys.executable, "-m", "onionwatch.cli", "markets", "validate", str(good), str(bad)],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 1
    assert f"ok: {good} (mini)" in proc.stdout
    assert proc.stderr.strip().splitlines() == [f"{bad}: language: Input should be 'en' or 'ru'",
                                                f"{bad}: name: 'mini' does not match the file name"]


def test_validate_cli_all_shipped_ok() -> None:
    proc = subprocess.run([sys.executable, "-m", "onionwatch.cli", "markets", "validate"],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert "ok:" in proc.stdout and "abyss" in proc.stdout


@pytest.mark.parametrize("content", ["[" * 50_000 + "]" * 50_000, "name: " + "{a: " * 50_000 + "1" + "}" * 50_000])
def test_deeply_nested_yaml(tmp_path: Path, content: str) -> None:
    path = _write(tmp_path, content)
    with pytest.raises(MarketDefinitionError, match=rf"^{path}: \(file\): malformed YAML \(nested too deeply\)$"):
        load_definition(path)


def test_every_error_in_a_file_one_line_each(tmp_path: Path) -> None:
    data = _broken(language="fr", navigation__listing_links="td..item a", listing__fields__qantity="span.q::text",
                   login__sucess="a.logout")
    data["listing"]["fields"]["price_txt"] = "span.p::text"
    data["vendor"]["fields"]["pgp_fingerprnt"] = "code.fpr::text"
    path = _write(tmp_path, data)
    with pytest.raises(MarketDefinitionError) as err:
        load_definition(path)
    lines = str(err.value).splitlines()
    assert all(line.startswith(f"{path}: ") for line in lines)
    got = {line[len(f"{path}: "):] for line in lines}
    assert "language: Input should be 'en' or 'ru'" in got
    assert any(g.startswith("navigation.listing_links: invalid CSS selector 'td..item a'") for g in got)
    assert "listing.fields.qantity: unknown field (did you mean 'quantity'?)" in got
    assert "listing.fields.price_txt: unknown field (did you mean 'price_text'?)" in got
    assert "vendor.fields.pgp_fingerprnt: unknown field (did you mean 'pgp_fingerprint'?)" in got
    assert "login.sucess: unknown field (did you mean 'success'?)" in got
    assert len(lines) == len(got) == 6, lines


def test_unknown_top_level_key_suggests_the_closest(tmp_path: Path) -> None:
    data = _broken()
    data["navigation"]["listing_link"] = data["navigation"].pop("listing_links")
    path = _write(tmp_path, data)
    with pytest.raises(MarketDefinitionError) as err:
        load_definition(path)
    assert f"{path}: navigation.listing_link: unknown field (did you mean 'listing_links'?)" in str(err.value)


@pytest.mark.parametrize(
    ("changes", "where"),
    [
        ({"listing__fields__title": {"css": ["h1::text", "h1[bad"]}}, "listing.fields.title.css"),
        ({"listing__fields__tiers": {"css": [], "many": True}}, "listing.fields.tiers.css"),
        ({"vendor__fields__contacts": {"css": "ul..x li", "many": True}}, "vendor.fields.contacts.css"),
        ({"login__form": "form##login"}, "login.form"),
        ({"login__success": "a.logout["}, "login.success"),
        ({"listing__require": "div:::x"}, "listing.require"),
        ({"navigation__follow": ["ul.cats a", "a[href"]}, "navigation.follow"),
        ({"listing__fields__tiers": {"css": "li", "keep": "tiers"}}, "listing.fields.tiers.keep"),
    ],
)
def test_every_selector_is_compiled(tmp_path: Path, changes: dict, where: str) -> None:
    path = _write(tmp_path, _broken(**changes))
    with pytest.raises(MarketDefinitionError) as err:
        load_definition(path)
    assert str(err.value).startswith(f"{path}: {where}: "), str(err.value)


def test_fallback_selectors_and_keep_filter_load(tmp_path: Path) -> None:
    path = _write(tmp_path, _broken(listing__fields__price_text={"css": ["span.price::text", "td.cost::text"]},
                                    listing__fields__tiers={"css": "ul.tiers li", "many": True, "keep": "tier_lines"},
                                    listing__fields__city="span.city::text",
                                    listing__fields__district=["span.district::text", "td.area::text"],
                                    vendor__fields__pgp_fingerprint="code.fpr::text"))
    d = load_definition(path)
    assert d.listing.fields["price_text"].css == ["span.price::text", "td.cost::text"]
    assert d.listing.fields["city"].css == ["span.city::text"]
    assert d.listing.fields["district"].css == ["span.district::text", "td.area::text"]  # a bare list: fallbacks
    assert d.listing.fields["tiers"].keep == "tier_lines"


def test_definition_currencies_are_the_extractors() -> None:
    import typing

    from onionwatch.crawler.markets import MarketDefinition
    from onionwatch.extractors.fx import FxTable
    from onionwatch.extractors.records import CURRENCIES

    allowed = typing.get_args(MarketDefinition.model_fields["currency"].annotation)
    assert set(allowed) == set(CURRENCIES)
    table = FxTable.load()
    assert all(table.rate(code) for code in CURRENCIES)  # config/fx.yaml converts every one of them


@pytest.mark.parametrize(("key", "shown"), [
    ("colour\nlisting.fields.title: ok", "listing.fields['colour\\nlisting.fields.title: ok']: unknown field"),
    ("\x1b[2Jx", "listing.fields['\\x1b[2Jx']: unknown field"),
    ("k" * 5000, f"listing.fields[{'k' * 80!r}]: unknown field"),
])
def test_a_hostile_unknown_key_stays_on_its_line(tmp_path: Path, key: str, shown: str) -> None:
    """A key with a newline or terminal escape was printed raw: a forged second error line, a cleared screen."""
    data = _broken()
    data["listing"]["fields"][key] = "h2::text"
    path = _write(tmp_path, data)
    with pytest.raises(MarketDefinitionError) as err:
        load_definition(path)
    assert str(err.value) == f"{path}: {shown}"


@pytest.mark.parametrize(("value", "problem"), [
    ("2024-02-30", "'day is out of range for month'"),
    ("9" * 5000, "'an integer of more than 4300 digits'"),
])
def test_a_value_yaml_cannot_build_is_a_file_error(tmp_path: Path, value: str, problem: str) -> None:
    """An unquoted date that does not exist or a 5000-digit integer: the YAML loader's ValueError was a traceback."""
    path = tmp_path / "mini.yaml"
    path.write_text(yaml.safe_dump(MINI) + f"max_pages: {value}\n", encoding="utf-8")
    with pytest.raises(MarketDefinitionError) as err:
        load_definition(path)
    assert str(err.value) == f"{path}: (file): malformed YAML (a value that cannot be read: {problem})"


def test_listing_rows_alone_define_a_market(tmp_path: Path) -> None:
    """A shop with no page per listing: `listing_rows` instead of `listing`, no listing_links."""
    data = _broken(listing=None, navigation__listing_links=None)
    data["listing_rows"] = {"row": "table tbody tr", "id": "a::attr(data-id)", "fields": {"title": "td.t"}}
    definition = load_definition(_write(tmp_path, data))
    assert definition.listing is None and definition.listing_rows is not None
    assert definition.listing_rows.id is not None and definition.listing_rows.id.css == ["a::attr(data-id)"]


def test_json_and_within_load_and_are_checked(tmp_path: Path) -> None:
    """`json` (one dotted path or several) and `within` (listing_rows fields only) load; misuse is a file error."""
    data = _broken(listing=None, navigation__listing_links=None)
    data["listing_rows"] = {"row": "li", "fields": {
        "title": "li", "price_text": {"css": "script::text", "json": "offers.price"},
        "district": {"css": "summary::text", "within": "details"}, "city": {"css": "h1::text", "within": "page"}}}
    rows = load_definition(_write(tmp_path, data)).listing_rows
    assert rows is not None and rows.fields["price_text"].json_paths == ["offers.price"]
    assert (rows.fields["district"].within, rows.fields["city"].within) == ("details", "page")
    bad = _broken(listing__fields__category={"css": "script", "json": ["offers..price"]},
                  listing__fields__title={"css": "h1::text", "within": "page"},
                  listing__fields__price_text={"css": "option", "json": "price", "template": "{text}"})
    with pytest.raises(MarketDefinitionError) as err:
        load_definition(_write(tmp_path, bad))
    text = str(err.value)
    assert "listing.fields.category.json: expected dotted key paths" in text
    assert "listing.fields.title.within: for listing_rows fields only" in text
    assert "template and json read a value two ways" in text
