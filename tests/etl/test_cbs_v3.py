"""CBS OData v3 through cbsodata: the TypedDataSet is what gets downloaded, pages are followed, padded keys are
stripped, and the result equals the bundled rows."""

import json
from pathlib import Path

import cbsodata
import pandas as pd
import pytest
import responses

from etl import bundle_files
from etl.paths import BUNDLE_DIR, DEFAULT_REFERENCE_DIR
from etl.sources import cbs_mapping, cbs_v3

FIXTURE = Path(__file__).parents[1] / "fixtures" / "cbs" / "v3_80472NED"
FORMATS = Path(DEFAULT_REFERENCE_DIR) / "nl" / "api-formats"
ROOT = cbs_v3.TABLE_URL.format(table_id="80472NED")
ENTITIES = ["TableInfos", "UntypedDataSet", "TypedDataSet", "DataProperties", "CategoryGroups", "Bedrijfskenmerken",
            "Perioden"]


def envelope(name: str, rows: list) -> dict:
    return {"odata.metadata": f"https://opendata.cbs.nl/ODataFeed/odata/80472NED/$metadata#Cbs.OData.WebAPI.{name}",
            "value": rows}


def fixture_rows(name: str) -> list:
    return json.loads((FIXTURE / f"{name}.json").read_text("utf-8"))


def serve_table(typed_pages: int = 2) -> None:
    """The table as the v3 feed serves it: root document, one envelope per entity, TypedDataSet in pages."""
    responses.get(ROOT, json={"odata.metadata": ROOT + "$metadata",
                              "value": [{"name": n, "url": ROOT + n} for n in ENTITIES]})
    for name in ("TableInfos", "DataProperties", "Bedrijfskenmerken", "Perioden"):
        responses.get(ROOT + name, json=envelope(name, fixture_rows(name)))
    responses.get(ROOT + "CategoryGroups", json=envelope("CategoryGroups", []))
    responses.get(ROOT + "UntypedDataSet", json=envelope("UntypedDataSet", []))
    rows = fixture_rows("TypedDataSet")
    size = -(-len(rows) // typed_pages)
    for page in range(typed_pages):
        document = envelope("TypedDataSet", rows[page * size:(page + 1) * size])
        if page < typed_pages - 1:
            document["odata.nextLink"] = f"{ROOT}TypedDataSet?$skip={(page + 1) * size}"
        responses.get(ROOT + "TypedDataSet" + (f"?$skip={page * size}" if page else ""), json=document)


def requested(entity: str) -> int:
    return sum(1 for c in responses.calls if c.request.url.split("?")[0] == ROOT + entity)


@responses.activate
def test_cbsodata_1_3_5_inverts_typed_so_typed_true_fetches_the_untyped_set():
    serve_table()
    cbsodata.download_data("80472NED", typed=True)
    assert requested("UntypedDataSet") == 1 and requested("TypedDataSet") == 0


@responses.activate
def test_download_fetches_the_typed_data_set_across_pages_and_keeps_codes():
    serve_table(typed_pages=3)
    files = cbs_v3.download("80472NED")
    assert requested("TypedDataSet") == 3 and requested("UntypedDataSet") == 0
    assert "TypedDataSet.json" in files and "UntypedDataSet.json" not in files
    table = cbs_v3.read(files)
    assert len(json.loads(files["TypedDataSet.json"])) == 9  # every row of the three pages, once
    assert sorted(set(table.observations["Bedrijfskenmerken"])) == ["410200", "T001081", "WP19074"]


@responses.activate
def test_downloaded_rows_equal_the_bundled_rows_for_the_same_figures():
    serve_table()
    live = cbs_mapping.to_parsed(cbs_v3.read(cbs_v3.download("80472NED")), ROOT).observations
    committed = bundle_files.read(BUNDLE_DIR).observations
    key = ["dataset_id", "indicator", "sector_scheme", "sector_code", "breakdown", "period"]
    merged = live.merge(committed, on=key, suffixes=("_live", "_bundled"))
    assert len(merged) == len(live) == 26  # 27 cells, one (open vacancies 1997) published as missing
    assert (merged["value_live"] == merged["value_bundled"]).all()
    assert (merged["unit_live"] == merged["unit_bundled"]).all()
    n_q3 = live.query("sector_code == 'N' and period == '2023-Q3' and indicator == 'vacancies_open'")
    assert n_q3["value"].tolist() == [29500.0]


@responses.activate
def test_table_info_reports_the_modified_date():
    serve_table()
    assert cbs_v3.table_info("80472NED")["Modified"] == "2023-08-16T02:00:00"


def test_entities_are_recognised_from_genuine_cbs_bodies():
    if not FORMATS.is_dir():
        pytest.skip("../shared/reference/nl/api-formats is absent (fresh clone); genuine bodies not available")
    typed = json.loads((FORMATS / "v3_TypedDataSet_84489NED_first3records.json").read_text("utf-8"))
    service = json.loads((FORMATS / "v3_service_document_83642NED.json").read_text("utf-8"))
    info = json.loads((FORMATS / "v3_TableInfos_85081NED_value0.json").read_text("utf-8"))
    assert cbs_v3.entity_by_shape(typed) == "TypedDataSet"
    assert len(cbs_v3.rows(typed)) == 3 and cbs_v3.rows(typed)[0]["Code_3"] == "GM0141    "
    assert cbs_v3.entity_by_shape(service) == "ServiceDocument"
    assert cbs_v3.entity_by_shape([info]) == "TableInfos"


def test_bare_lists_as_cbsodata_saves_them_are_named_by_content_whatever_the_file_names():
    raw = {f"download/{i}.json": (FIXTURE / f"{n}.json").read_bytes()
           for i, n in enumerate(["Perioden", "TypedDataSet", "DataProperties", "TableInfos", "Bedrijfskenmerken"])}
    documents = {name: json.loads(data) for name, data in raw.items()}
    named = cbs_v3.canonical_files(documents, raw)
    assert sorted(named) == ["Bedrijfskenmerken.json", "DataProperties.json", "Perioden.json", "TableInfos.json",
                             "TypedDataSet.json"]
    assert named["Perioden.json"] == (FIXTURE / "Perioden.json").read_bytes()


def test_a_missing_code_list_is_named():
    raw = {n: (FIXTURE / n).read_bytes() for n in ("TypedDataSet.json", "DataProperties.json", "TableInfos.json",
                                                   "Perioden.json")}
    with pytest.raises(cbs_v3.V3FormatError, match="no code list among the files covers dimension Bedrijfskenmerken"):
        cbs_v3.canonical_files({n: json.loads(d) for n, d in raw.items()}, raw)


@responses.activate
def test_a_server_error_during_the_download_is_retried(monkeypatch):
    waits = []
    monkeypatch.setattr(cbs_v3.http.time, "sleep", waits.append)
    responses.get(ROOT, status=503)  # the first answer of the table root; serve_table registers the good one
    serve_table()
    files = cbs_v3.download("80472NED")
    assert waits == [cbs_v3.http.BACKOFF_SECONDS]
    assert len(cbs_v3.read(files).observations) == 27


@responses.activate
def test_an_html_page_instead_of_json_fails_with_one_clear_line(monkeypatch):
    responses.get(ROOT + "TableInfos", body="<html><title>Onderhoud StatLine</title></html>", content_type="text/html")
    with pytest.raises(cbs_v3.SourceError, match=r"^CBS 80472NED TableInfos: the server did not send JSON"):
        cbs_v3.table_info("80472NED")


def test_two_tables_in_one_directory_are_refused():
    raw = {f"{n}.json": (FIXTURE / f"{n}.json").read_bytes() for n in
           ["Perioden", "TypedDataSet", "DataProperties", "TableInfos", "Bedrijfskenmerken"]}
    raw["other/TableInfos.json"] = raw["TableInfos.json"]
    with pytest.raises(cbs_v3.V3FormatError, match="a second TableInfos; import one table per directory"):
        cbs_v3.canonical_files({n: json.loads(d) for n, d in raw.items()}, raw)


def test_an_untyped_data_set_reads_padded_texts_and_dots_as_the_typed_one_reads_numbers():
    files = {p.name: p.read_bytes() for p in FIXTURE.iterdir()}
    typed = json.loads(files.pop("TypedDataSet.json"))
    # As the API writes UntypedDataSet: every figure a right-aligned text, a figure CBS left empty a dot.
    untyped = [{k: v if k in ("ID", "Bedrijfskenmerken", "Perioden") else f"{'.' if v is None else v:>10}"
                for k, v in row.items()} for row in typed]
    untyped[0]["OpenstaandeVacatures_1"] = "         ."
    files["UntypedDataSet.json"] = json.dumps(untyped).encode()
    values = cbs_v3.read(files).observations.set_index(["Perioden", "measure"])["value"]
    assert values.loc[("1997KW01", "OntstaneVacatures_2")] == 152.0
    assert values.loc[("1997KW02", "OpenstaandeVacatures_1")] == 101.7
    assert values.loc[("2023KW02", "OpenstaandeVacatures_1")].tolist() == [441.2, 30.6, 71.0]
    assert pd.isna(values.loc[("1997KW01", "OpenstaandeVacatures_1")])
    assert values.notna().sum() == 25  # the typed set has 26: 1997 open vacancies is empty in both
