"""The build anchors quotes itself: offsets and context are computed, and a quote that is
missing or ambiguous is a build error naming the result (tests/data/anchoring/)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from inograph.anchoring import Anchor, read_source
from inograph.errors import AnchorError
from inograph.evidence import load_evidence
from inograph.graph_builder import anchor_results

DATA = Path(__file__).parent / "data" / "anchoring"
SHA = "0ada25e05b7ca942cbc471f77761eb785c7bb9d56d2196168a972fff54dc5c61"


def _anchor(tmp_path: Path, **changes: object) -> dict[str, Anchor]:
    """Anchor good.yaml with the first result's fields changed."""
    data = yaml.safe_load((DATA / "good.yaml").read_text(encoding="utf-8"))
    data["results"][0].update(changes)
    data["results"][0] = {k: v for k, v in data["results"][0].items() if v is not None}
    path = tmp_path / "synth2020.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    sources = {"source.txt": read_source(DATA, "source.txt")}
    return dict(anchor_results(load_evidence([path]), sources))


def test_offsets_and_context_are_computed_from_the_quote() -> None:
    sources = {"source.txt": read_source(DATA, "source.txt")}
    anchors = anchor_results(load_evidence([DATA / "good.yaml"]), sources)
    a = anchors["synth2020-cr-old"]  # "80.7%" occurs twice: the prefix picks the second
    assert (a.source, a.sha256, a.start, a.end, a.exact) == ("source.txt", SHA, 157, 162, "80.7%")
    assert (a.prefix, a.suffix) == ("r cohort the remission rate was ", " as well.\nMedian survival was 7.")
    assert sources["source.txt"].text[a.start : a.end] == "80.7%"
    os_anchor = anchors["synth2020-os"]
    assert (os_anchor.start, os_anchor.end, os_anchor.suffix) == (172, 202, ".\n")


def test_a_quote_missing_from_its_source_names_the_result(tmp_path: Path) -> None:
    with pytest.raises(AnchorError) as info:
        _anchor(tmp_path, quote="29.4% in arm C")
    assert str(info.value).endswith("synth2020-cr-a: quote '29.4% in arm C' is not in source.txt")


def test_an_ambiguous_quote_without_prefix_names_the_result(tmp_path: Path) -> None:
    with pytest.raises(AnchorError) as info:
        _anchor(tmp_path, quote="remission rate was")
    assert str(info.value).endswith(
        "synth2020-cr-a: quote 'remission rate was' occurs 2 times in source.txt; "
        "add a prefix (the text just before it) or lengthen the quote"
    )


def test_a_prefix_that_does_not_precede_the_quote_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(AnchorError) as info:
        _anchor(tmp_path, quote="80.7%", prefix="nowhere ")
    assert str(info.value).endswith("synth2020-cr-a: quote '80.7%' with its prefix is not in source.txt")


def test_a_prefix_makes_a_repeated_quote_unique(tmp_path: Path) -> None:
    anchors = _anchor(tmp_path, quote="80.7%", prefix="The remission rate was ")
    a = anchors["synth2020-cr-a"]
    assert (a.start, a.end, a.prefix) == (79, 84, "ring.py.\nThe remission rate was ")


def test_every_failure_is_reported_at_once(tmp_path: Path) -> None:
    data = yaml.safe_load((DATA / "good.yaml").read_text(encoding="utf-8"))
    data["results"][0]["quote"] = "absent one"
    data["results"][2]["quote"] = "absent two"
    path = tmp_path / "synth2020.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(AnchorError) as info:
        anchor_results(load_evidence([path]), {"source.txt": read_source(DATA, "source.txt")})
    message = str(info.value)
    assert "synth2020-cr-a: quote 'absent one' is not in source.txt (and 1 more)" in message
    assert message.splitlines()[-1].endswith("synth2020-os: quote 'absent two' is not in source.txt")
