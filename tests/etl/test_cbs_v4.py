"""The CBS OData v4 client pages through @odata.nextLink, filters, and its files read into the bundle's exact rows."""

import json
from pathlib import Path

import pytest
import responses
from responses import matchers

from etl import bounded_input, bundle_files, http
from etl.errors import SourceError
from etl.paths import BUNDLE_DIR
from etl.sources import cbs_mapping, cbs_v4

FIXTURE = Path(__file__).parents[1] / "fixtures" / "cbs" / "v4_86355NED"
ROOT = cbs_v4.BASE_URL.format(table_id="86355NED")


def body(name: str) -> dict:
    return json.loads((FIXTURE / f"{name}.json").read_text("utf-8"))


def serve_table(observation_pages: int = 2) -> list[dict]:
    """Serve the fixture table, Observations split over pages; the Observations pages as served."""
    for name in ("Properties", "Dimensions", "MeasureCodes", "BeroepCodes", "PeriodenCodes"):
        responses.get(ROOT + name, json=body(name))
    observations = body("Observations")
    rows = observations["value"]
    size = -(-len(rows) // observation_pages)
    documents = []
    for page in range(observation_pages):
        document = {"@odata.context": observations["@odata.context"], "value": rows[page * size:(page + 1) * size]}
        url = ROOT + "Observations" if page == 0 else f"{ROOT}Observations?$skiptoken={page * size}"
        if page < observation_pages - 1:
            document["@odata.nextLink"] = f"{ROOT}Observations?$skiptoken={(page + 1) * size}"
        match = [matchers.query_param_matcher({"$skiptoken": str(page * size)})] if page else []
        responses.get(url, json=document, match=match)
        documents.append(document)
    return documents


@responses.activate
def test_observations_are_collected_across_next_links():
    serve_table(observation_pages=3)
    document = cbs_v4.Client("86355NED", sleep=lambda s: None).collection("Observations")
    assert len(document["value"]) == 6
    assert [c.request.url.split("?")[-1] for c in responses.calls] == [ROOT + "Observations", "$skiptoken=2",
                                                                        "$skiptoken=4"]


@responses.activate
def test_a_filter_is_sent_once_and_not_repeated_on_next_links():
    serve_table(observation_pages=2)
    responses.replace(responses.GET, ROOT + "Observations",
                      json={**body("Observations"), "value": body("Observations")["value"][:3],
                            "@odata.nextLink": f"{ROOT}Observations?$skiptoken=3"},
                      match=[matchers.query_param_matcher({"$filter": "Perioden eq '2025JJ00'"})])
    cbs_v4.Client("86355NED", sleep=lambda s: None).collection("Observations", filter="Perioden eq '2025JJ00'")
    assert "%24filter" in responses.calls[0].request.url
    assert "filter" not in responses.calls[1].request.url


@responses.activate
def test_a_downloaded_table_gives_exactly_the_bundled_rows():
    serve_table()
    files = cbs_v4.Client("86355NED", sleep=lambda s: None).download()
    assert sorted(files) == ["BeroepCodes.json", "Dimensions.json", "MeasureCodes.json", "Observations.json",
                             "PeriodenCodes.json", "Properties.json"]
    live = cbs_mapping.to_parsed(cbs_v4.read(files), ROOT).observations
    committed = bundle_files.read(BUNDLE_DIR).observations
    key = ["dataset_id", "indicator", "occupation_scheme", "occupation_code", "breakdown", "period"]
    merged = live.merge(committed, on=key, suffixes=("_live", "_bundled"))
    assert len(merged) == 6
    assert (merged["value_live"] == merged["value_bundled"]).all()
    assert (merged["unit_live"] == merged["unit_bundled"]).all()
    codes = cbs_mapping.to_parsed(cbs_v4.read(files), ROOT).occupations.set_index("code")
    assert codes.loc["0433", ["scheme", "label_nl", "label_en"]].tolist() == [
        "brc2014e2025", "Klantenservice medewerkers en receptionisten", "Customer-service staff and receptionists"]
    median_0433 = live.query("occupation_code == '0433' and indicator == 'hourly_wage_median'")
    assert median_0433[["value", "unit", "status", "occupation_scheme"]].values.tolist() == [
        [22.0, "EUR/hour", "provisional", "brc2014e2025"]]


@responses.activate
def test_an_html_page_instead_of_a_collection_is_a_clear_error():
    responses.get(ROOT + "MeasureCodes", body="<html><title>Service Unavailable</title></html>", status=200,
                  content_type="text/html")
    with pytest.raises(SourceError, match="CBS 86355NED MeasureCodes: the server sent an HTML page"):
        cbs_v4.Client("86355NED", sleep=lambda s: None).collection("MeasureCodes")


@responses.activate
def test_a_collection_without_a_value_list_is_rejected():
    responses.get(ROOT + "Dimensions", json={"@odata.context": "x", "error": "gone"})
    with pytest.raises(SourceError, match="no 'value' list"):
        cbs_v4.Client("86355NED", sleep=lambda s: None).collection("Dimensions")


def test_truncated_observations_name_the_file():
    files = {p.name: p.read_bytes() for p in FIXTURE.glob("*.json")}
    files["Observations.json"] = files["Observations.json"][:200]
    with pytest.raises(cbs_v4.V4FormatError, match="Observations.json: not valid JSON"):
        cbs_v4.read(files)


def test_entities_are_recognised_by_their_odata_context():
    assert cbs_v4.entity_of(body("BeroepCodes")) == "BeroepCodes"
    assert cbs_v4.entity_of({"Identifier": "86355NED", "Modified": "2026-08-18T00:00:00"}) == "Properties"
    assert cbs_v4.entity_of([{"Key": "x"}]) is None


def test_a_download_without_dimensions_takes_them_from_the_observations_and_their_codes_files():
    files = {p.name: p.read_bytes() for p in FIXTURE.glob("*.json")}
    complete = cbs_v4.read(files)
    del files["Dimensions.json"]
    without = cbs_v4.read(files)
    assert list(without.codes) == ["Beroep", "Perioden"]
    for dimension in complete.codes:
        assert without.codes[dimension].equals(complete.codes[dimension])
    assert without.observations.equals(complete.observations)


def test_an_observations_field_without_its_codes_file_is_named_when_dimensions_are_absent():
    files = {p.name: p.read_bytes() for p in FIXTURE.glob("*.json") if p.name not in ("Dimensions.json",
                                                                                          "BeroepCodes.json")}
    with pytest.raises(cbs_v4.V4FormatError, match="Observations.json: field Beroep is neither a measure field nor a "
                                                   "dimension with a BeroepCodes file"):
        cbs_v4.read(files)


@pytest.fixture
def cap(monkeypatch):
    def set_cap(size: int) -> None:
        monkeypatch.delenv(bounded_input.MAX_FILE_ENV, raising=False)
        monkeypatch.setattr(bounded_input, "MAX_FILE_BYTES", size)
    return set_cap


@responses.activate
def test_an_observations_page_larger_than_the_cap_is_refused_naming_its_url_and_the_cap(cap):
    (page,) = serve_table(observation_pages=1)
    cap(len(json.dumps(page)) - 1)
    with pytest.raises(http.ResponseTooLarge) as refused:
        cbs_v4.Client("86355NED", sleep=lambda s: None).collection("Observations")
    assert str(refused.value) == (f"CBS 86355NED Observations: {ROOT}Observations sent more than the limit of "
                                  f"{len(json.dumps(page)) - 1:,} bytes per file; set ARBEIDSMARKT_MAX_FILE_MB (MB) "
                                  f"to allow more")


@responses.activate
def test_pages_each_within_the_cap_are_refused_when_together_they_pass_it(cap):
    pages = [len(json.dumps(page)) for page in serve_table(observation_pages=3)]
    cap(pages[0] + pages[1] - 1)
    with pytest.raises(http.ResponseTooLarge) as refused:
        cbs_v4.Client("86355NED", sleep=lambda s: None).collection("Observations")
    assert str(refused.value) == (f"CBS 86355NED Observations: 2 pages from {ROOT}Observations together are more than "
                                  f"the limit of {pages[0] + pages[1] - 1:,} bytes per file; "
                                  f"set ARBEIDSMARKT_MAX_FILE_MB (MB) to allow more")
    assert len(responses.calls) == 2
