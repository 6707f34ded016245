"""Citation ids are unique per work: two printed references that share an id must cite one work."""

from __future__ import annotations

from pathlib import Path

import pytest

from inograph.citation_ids import PrintedWork, same_work
from inograph.errors import EvidenceError
from inograph.evidence import Origin, load_evidence
from inograph.resources import evidence_files

HEADER = """\
publication:
  id: {pub}
  title: {title}
  year: {year}
  source_file: {pub}.txt
  kind: review
references:
  - number: 1
    id: smith2015
    citation: "{citation}"
"""


def _curation(tmp_path: Path, pub: str, year: int, citation: str, title: str = "A review") -> Path:
    path = tmp_path / f"{pub}.yaml"
    path.write_text(HEADER.format(pub=pub, year=year, citation=citation, title=title), encoding="utf-8")
    return path


def test_one_id_for_two_works_fails_with_both_places(tmp_path: Path) -> None:
    a = _curation(
        tmp_path,
        "alpha2016",
        2016,
        "Smith J, Roe R, et al. Monoclonal antibodies in ALL. Blood 2015;125:4010-6.",
    )
    b = _curation(
        tmp_path,
        "beta2017",
        2017,
        "Smith J et al. A congress abstract on another drug. Haematologica. 2015;100(S1):S114.",
    )
    with pytest.raises(EvidenceError) as info:
        load_evidence([a, b])
    message = str(info.value)
    assert message.startswith(f"{b}:8: reference id 'smith2015' cites a different work than at {a}:8 (")
    assert "give one of them its own id" in message


def test_one_work_printed_two_ways_passes(tmp_path: Path) -> None:
    a = _curation(
        tmp_path,
        "alpha2016",
        2016,
        "Smith J, Roe R, et al. Monoclonal antibodies in ALL. Blood 2015;125:4010-6.",
    )
    b = _curation(
        tmp_path,
        "beta2017",
        2017,
        "Smith J, Roe R, Doe A, Poe E, Loe F, Moe G, et al. Monoclonal antibodies in ALL. Blood. 2015; 125:4010-4016.",
    )
    evidence = load_evidence([a, b])
    assert sorted(evidence.publications) == ["alpha2016", "beta2017"]


def test_a_reference_cannot_reuse_a_curated_publication_id_for_another_work(tmp_path: Path) -> None:
    curated = tmp_path / "smith2015.yaml"
    curated.write_text(
        "publication:\n  id: smith2015\n  title: Monoclonal antibodies in ALL\n  authors: [Smith J]\n"
        "  journal: Blood\n  year: 2015\n  volume: '125'\n  pages: 4010-6\n  source_file: s.txt\n"
        "  kind: review\n",
        encoding="utf-8",
    )
    citer = _curation(
        tmp_path, "beta2017", 2017, "Smith J et al. Another drug entirely. Haematologica. 2015;100(S1):S114."
    )
    with pytest.raises(
        EvidenceError, match=r"beta2017\.yaml:8: reference id 'smith2015' cites a different work"
    ):
        load_evidence([curated, citer])


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("Kantarjian H, et al. Cancer. 2013;119:2728-2736.", "Kantarjian H. Cancer 2013;119:2728-36.", True),
        (
            "Jabbour E, et al. Blood 2015;125:4010-6.",
            "Jabbour E et al. Haematologica. 2015;100(S1):S114.",
            False,
        ),
        (
            "Maude SL. Chimeric antigen receptor T cells for sustained remissions in leukemia.",
            "Chimeric Antigen Receptor T Cells for Sustained Remissions in Leukemia. NEJM.",
            True,
        ),
    ],
)
def test_same_work(first: str, second: str, same: bool) -> None:
    origin = Origin(Path("x.yaml"), 1)
    assert same_work(PrintedWork("x", first, None, origin), PrintedWork("x", second, None, origin)) is same


def test_the_review_cites_the_elderly_abstract_under_its_own_id() -> None:
    evidence = load_evidence(evidence_files())
    review = {r.id: r for r in evidence.curation_of("morley2016").references}
    primary = {r.id: r for r in evidence.curation_of("kantarjian2016").references}
    assert review["jabbour2015b"].citation.startswith("Jabbour E et al. Inotuzumab Ozogamicin in combination")
    assert primary["jabbour2015"].citation.startswith(
        "Jabbour E, O'Brien S, Ravandi F, Kantarjian H. Monoclonal"
    )
    assert "jabbour2015" not in review
    restated = sorted(r.id for r in evidence.results.values() if r.cited_origin == "jabbour2015b")
    assert restated == [
        "morley2016-minihcvd-age",
        "morley2016-minihcvd-bilirubin",
        "morley2016-minihcvd-crcrp",
        "morley2016-minihcvd-infections",
        "morley2016-minihcvd-n",
        "morley2016-minihcvd-os2y-historical",
        "morley2016-minihcvd-os2y-ino",
        "morley2016-minihcvd-thrombocytopenia",
        "morley2016-minihcvd-vod",
    ]
    assert not [r.id for r in evidence.results.values() if r.cited_origin == "jabbour2015"]
