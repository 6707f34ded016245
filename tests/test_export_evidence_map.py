"""The evidence map page: its data, its independence from the network, and (in Chromium) its behaviour."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from inograph.build import BuiltDataset
from inograph.export.evidence_map import evidence_map_html, intervention_of, map_data
from inograph.export.records import EvidenceTable, ResultRecord, read_evidence_table

OUTPUT = Path(__file__).resolve().parent.parent / "test-output"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def table(built: BuiltDataset) -> EvidenceTable:
    return read_evidence_table(built.dataset)


@pytest.fixture(scope="module")
def html(table: EvidenceTable) -> str:
    return evidence_map_html(table)


def _record(table: EvidenceTable, ident: str) -> ResultRecord:
    return next(r for r in table.results if r.result_id == ident)


def _cell(table: EvidenceTable, pick: Any) -> tuple[int, int]:
    """(results, publications) of the results ``pick`` accepts, counted here, not by the page."""
    chosen = [r for r in table.results if pick(r)]
    return len(chosen), len({r.publication for r in chosen})


def test_interventions_are_arms_comparisons_or_whole_trials(table: EvidenceTable) -> None:
    ino = intervention_of(_record(table, "kantarjian2016-abs-crcri-ino"), table)
    assert (ino.id, ino.label, ino.trial) == ("inovate-ino", "Inotuzumab ozogamicin", "inovate")
    hr = intervention_of(_record(table, "kantarjian2019-os-hr"), table)
    assert hr.id == "inovate-ino-vs-inovate-soc"
    assert hr.label.startswith("Inotuzumab ozogamicin vs Standard therapy")
    whole = intervention_of(_record(table, "kantarjian2013-abs-cr"), table)
    assert (whole.id, whole.short) == ("mda-phase2-all", "All patients")


def test_embedded_data_is_the_evidence_table(table: EvidenceTable, html: str) -> None:
    found = re.search(r'<script type="application/json" id="evidence-data">(.*?)</script>', html, re.S)
    assert found is not None
    data = json.loads(found.group(1))
    assert data == json.loads(json.dumps(map_data(table)))
    assert len(data["results"]) == len(table.results)
    row = next(r for r in data["results"] if r["id"] == "kantarjian2016-abs-crcri-ino")
    assert {k: row[k] for k in ("value", "unit", "n", "N", "ciLower", "ciUpper", "ciLevel",
                                "cutoff", "location", "intervention")} == {
        "value": "80.7", "unit": "%", "n": 88, "N": 109, "ciLower": "72.1", "ciUpper": "87.7",
        "ciLevel": "95", "cutoff": "2014-10-02", "location": "Abstract",
        "intervention": "inovate-ino",
    }  # fmt: skip
    slip = next(r for r in data["results"] if r["id"] == "kantarjian2019-death-hsct-disease-soc")
    assert slip["checks"] == "percentage-vs-counts: inconsistent (explained); count-bounds: consistent"


def test_page_is_self_contained(html: str) -> None:
    assert "<link" not in html
    assert not re.search(r"<script[^>]+src=", html)
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    assert "@import" not in html and "url(" not in html
    # no quote can close the data block early
    block = html.split('id="evidence-data">', 1)[1].split("</script>", 1)[0]
    assert "</" not in block


# ---- in a real browser -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def page(html: str) -> Iterator[Any]:
    if shutil.which(CHROMIUM) is None:
        pytest.skip(f"headless Chromium not found at {CHROMIUM} (apt-get install chromium)")
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="playwright is not installed (pip install '.[test]')"
    )
    OUTPUT.mkdir(exist_ok=True)
    path = OUTPUT / "evidence-map.html"
    path.write_text(html, encoding="utf-8")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        problems: list[str] = []
        requests: list[str] = []
        page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.on("request", lambda r: requests.append(r.url))
        page.goto(path.as_uri())
        page.wait_for_selector("#gap-map td.cell")
        page.problems = problems  # type: ignore[attr-defined]
        page.requests = requests  # type: ignore[attr-defined]
        yield page
        browser.close()


@pytest.mark.browser
def test_loads_offline_without_console_errors(page: Any) -> None:
    assert page.problems == []
    assert page.requests == [(OUTPUT / "evidence-map.html").as_uri()]
    assert page.title() == "Inotuzumab ozogamicin in relapsed/refractory ALL: evidence map"


@pytest.mark.browser
def test_map_shows_the_expected_cells(page: Any, table: EvidenceTable) -> None:
    def shown(intervention: str, endpoint: str) -> tuple[int, int]:
        cell = page.locator(f"#cell--{intervention}--{endpoint}")
        return int(cell.get_attribute("data-results")), int(cell.get_attribute("data-publications"))

    ino_crcri = _cell(table, lambda r: (r.arm, r.comparator, r.endpoint) == ("inovate-ino", None, "cr-cri"))
    assert ino_crcri[1] == 3  # kantarjian2016, kantarjian2019 and the review
    assert shown("inovate-ino", "cr-cri") == ino_crcri
    assert page.locator("#cell--inovate-ino--cr-cri .count").inner_text() == str(ino_crcri[0])
    assert page.locator("#cell--inovate-ino--cr-cri .pubs").inner_text() == "3 pubs"
    os_hr = _cell(table, lambda r: (r.arm, r.comparator, r.endpoint) == ("inovate-ino", "inovate-soc", "os"))
    assert shown("inovate-ino-vs-inovate-soc", "os") == os_hr
    weekly = _cell(table, lambda r: (r.arm, r.comparator, r.endpoint) == ("mda-phase2-weekly", None, "cr"))
    assert shown("mda-phase2-weekly", "cr") == weekly
    # a gap: an outcome the phase 2 study reports for its weekly cohort but INO-VATE's
    # standard-therapy arm never does is drawn as an empty cell
    weekly_only = sorted(
        {r.endpoint for r in table.results if r.arm == "mda-phase2-weekly"}
        - {r.endpoint for r in table.results if r.arm == "inovate-soc"}
    )
    assert weekly_only
    gap = page.locator(f"#cell--inovate-soc--{weekly_only[0]}")
    assert gap.get_attribute("class") == "cell empty"
    assert (gap.get_attribute("data-results"), gap.inner_text()) == ("0", "")
    total = page.eval_on_selector_all(
        "#gap-map td.cell", "cells => cells.reduce((s, c) => s + Number(c.dataset.results), 0)"
    )
    assert total == len(table.results)  # every result sits in exactly one cell


@pytest.mark.browser
def test_click_on_a_cell_lists_its_results_with_the_quote(page: Any, table: EvidenceTable) -> None:
    page.click("#tab-map")
    page.click("#cell--inovate-ino--cr-cri")
    count = _cell(table, lambda r: (r.arm, r.comparator, r.endpoint) == ("inovate-ino", None, "cr-cri"))[0]
    assert page.locator("#details-title").inner_text() == (
        f"Inotuzumab ozogamicin \u00d7 CR/CRi \u2014 {count} result(s)"
    )
    item = page.locator('#details-list [data-result-id="kantarjian2016-abs-crcri-ino"]')
    assert item.locator(".quote").inner_text() == (
        "(80.7% [95% confidence interval {CI}, 72.1 to 87.7] vs. 29.4% [95% CI, 21.0 to 38.8], $P<0.001$)"
    )
    assert item.locator(".value").inner_text() == "Percentage: 80.7%"
    facts = dict(zip(item.locator("dt").all_inner_texts(), item.locator("dd").all_inner_texts(), strict=True))
    assert facts["n / N"] == "88 / 109"
    assert facts["CI"] == "95% CI 72.1 to 87.7"
    assert facts["Population"] == "Remission-analysis population (first 218 randomized)"
    assert facts["Cutoff"] == "2014-10-02"
    assert facts["Analysis"] == "primary"
    assert facts["Location"] == "Abstract"
    # the statistical check findings on the number (inograph check-stats)
    assert item.locator(".checks span").all_inner_texts() == [
        "percentage-vs-counts: consistent", "count-bounds: consistent", "estimate-in-ci: consistent",
        "proportion-ci: consistent", "risk-difference: consistent", "risk-difference-ci: consistent",
        "test-from-counts: consistent ×3", "printed-twice: consistent ×2",
    ]  # fmt: skip
    page.screenshot(path=str(OUTPUT / "evidence-map.png"))


@pytest.mark.browser
def test_filters_and_network(page: Any, table: EvidenceTable) -> None:
    page.select_option("#filter-publication", "kantarjian2019")
    expected = _cell(
        table,
        lambda r: (
            (r.publication, r.arm, r.comparator, r.endpoint)
            == ("kantarjian2019", "inovate-ino", None, "cr-cri")
        ),
    )
    assert expected[1] == 1
    cell = page.locator("#cell--inovate-ino--cr-cri")
    assert (int(cell.get_attribute("data-results")), int(cell.get_attribute("data-publications"))) == expected
    n_2019 = sum(r.publication == "kantarjian2019" for r in table.results)
    assert page.locator("#summary").inner_text() == f"{n_2019} of {len(table.results)} results"
    page.click("#tab-network")
    page.click("#node--endpoint--os")
    n_os = sum(r.publication == "kantarjian2019" and r.endpoint == "os" for r in table.results)
    assert page.locator("#details-title").inner_text() == f"Outcome: Overall survival \u2014 {n_os} result(s)"
    assert page.locator('#details-list [data-result-id="kantarjian2019-os-hr"] .quote').inner_text() == (
        "(HR, 0.75 [97.5% CI, 0.57-0.99]; 1-sided P = .0105;"
    )
    page.select_option("#filter-trial", "mda-phase2")  # nothing of 2019 is about the phase 2 study
    assert page.locator("#gap-map td.cell").count() == 0
    page.screenshot(path=str(OUTPUT / "evidence-map-network.png"))
    page.select_option("#filter-trial", "")
    page.select_option("#filter-publication", "")
    page.click("#tab-map")
    assert page.problems == []


@pytest.mark.browser
def test_card_shows_the_value_as_printed_with_its_qualifier(page: Any) -> None:
    # 2013 Discussion: "allowed >40% of patients to proceed to allogeneic SCT"
    page.click("#tab-map")
    page.click("#cell--mda-phase2-all--hsct")
    item = page.locator('#details-list [data-result-id="kantarjian2013-disc-hsct-gt40"]')
    assert item.locator(".value").inner_text() == "Percentage: >40%"
