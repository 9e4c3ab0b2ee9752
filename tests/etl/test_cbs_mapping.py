"""CBS codes to contract rows: units, totals, breakdowns of any dimension, occupation codes and changers."""

from decimal import Decimal
from types import SimpleNamespace

import pandas as pd
import pytest

from etl.sources import cbs_mapping
from etl.sources.cbs_mapping import CbsTable, MappingError


def table(**overrides) -> CbsTable:
    """A 85276NED-shaped table with genuine 2025-Q4 figures (x 1 000)."""
    parts = dict(
        table_id="85276NED",
        measures=pd.DataFrame([{"key": "WerkzameBeroepsbevolking_1", "title": "Werkzame beroepsbevolking",
                                "group": "", "unit": "x 1 000"}]),
        codes={
            "Beroep": pd.DataFrame([
                {"key": "A000191", "title": "0334 Callcentermedewerkers outbound...", "description": "", "status": ""},
                {"key": "T001180", "title": "Totaal", "description": "", "status": ""}]),
            "Perioden": pd.DataFrame([{"key": "2025KW04", "title": "2025 4e kwartaal*", "description": "",
                                       "status": "Voorlopig"}]),
        },
        observations=pd.DataFrame([
            {"Geslacht": "T001038", "Persoonskenmerken": "T009002", "Beroep": "A000191", "Perioden": "2025KW04",
             "measure": "WerkzameBeroepsbevolking_1", "value": 118.0},
            {"Geslacht": "4000", "Persoonskenmerken": "T009002", "Beroep": "A000191", "Perioden": "2025KW04",
             "measure": "WerkzameBeroepsbevolking_1", "value": 69.0},
            {"Geslacht": "T001038", "Persoonskenmerken": "52052", "Beroep": "T001180", "Perioden": "2025KW04",
             "measure": "WerkzameBeroepsbevolking_1", "value": 9867.0},
            {"Geslacht": "T001038", "Persoonskenmerken": "2012400", "Beroep": "A000191", "Perioden": "2025KW04",
             "measure": "WerkzameBeroepsbevolking_1", "value": None},
        ]),
    )
    parts.update(overrides)
    return CbsTable(**parts)


def test_codes_totals_sex_and_thousands_become_contract_rows():
    rows = cbs_mapping.to_parsed(table(), "https://example.test").observations
    found = sorted(zip(rows["occupation_code"], rows["breakdown"], rows["value"], rows["status"], strict=True))
    assert found == [("", "persoonskenmerken=52052", 9867000.0, "provisional"),
                     ("0334", "", 118000.0, "provisional"), ("0334", "sex=F", 69000.0, "provisional")]
    assert set(rows["occupation_scheme"]) == {"brc2014", ""}


def test_a_unit_without_a_multiplier_is_named():
    measures = table().measures.assign(unit="x 1 miljoen")
    with pytest.raises(MappingError, match="measure WerkzameBeroepsbevolking_1: unit 'x 1 miljoen' has no multiplier"):
        cbs_mapping.to_parsed(table(measures=measures), "x")


def test_a_table_whose_measures_are_all_unknown_is_refused():
    measures = table().measures.assign(key="Iets_9", title="Iets")
    observations = table().observations.assign(measure="Iets_9")
    with pytest.raises(MappingError, match=r"none of its measures \(Iets_9\) is in cbs_measures.csv"):
        cbs_mapping.to_parsed(table(measures=measures, observations=observations), "x")


def test_occupation_titles_without_brc_codes_are_refused_rather_than_dropped():
    codes = dict(table().codes)
    codes["Beroep"] = codes["Beroep"].assign(title=["Callcentermedewerkers", "Alle beroepen"])
    with pytest.raises(MappingError, match="no BRC code at the start of any Beroep title"):
        cbs_mapping.to_parsed(table(codes=codes), "x")


def test_occupation_changers_are_total_minus_no_change_and_estimated():
    employed = pd.DataFrame([
        {"dataset_id": "cbs-83120NED", "indicator": "employed_persons", "occupation_scheme": "brc2014",
         "occupation_code": code, "sector_scheme": "", "sector_code": "", "breakdown": breakdown,
         "period": "2021-Q2", "value": value, "unit": "persons", "status": "final"}
        for code, breakdown, value in [("04", "", 1718000.0), ("04", "occupation_change=none", 1637000.0),
                                       ("13", "", 125000.0), ("13", "occupation_change=none", 0.0)]])
    changers = cbs_mapping.occupation_changers(employed)
    assert changers[["occupation_code", "value", "status"]].values.tolist() == [["04", 81000.0, "estimated"]]


def test_measures_whose_keys_are_unknown_match_by_topic_group_and_title():
    measures = pd.DataFrame([
        {"key": "Seizoengecorrigeerd_8", "title": "Seizoengecorrigeerd", "group": "Werkloze beroepsbevolking",
         "unit": "x 1 000"},
        {"key": "Seizoengecorrigeerd_4", "title": "Seizoengecorrigeerd", "group": "Werkzame beroepsbevolking",
         "unit": "x 1 000"}])
    found = cbs_mapping.measure_map("80590ned", measures)
    assert list(found) == ["Seizoengecorrigeerd_8"]
    assert (found["Seizoengecorrigeerd_8"]["indicator"], found["Seizoengecorrigeerd_8"]["breakdown"]) == (
        "unemployed_persons", "adjustment=sa")


def test_a_truncated_title_takes_its_label_from_the_description():
    codes = pd.DataFrame([
        {"key": "A000206", "title": "0433 Klantenservice medewerkers en rec...",
         "description": "Klantenservice medewerkers en receptionisten: beroepen die klanten te woord staan", "status": ""},
        {"key": "A000194", "title": "0411 Accountants", "description": "", "status": ""}])
    assert cbs_mapping.occupation_labels(codes) == {"0433": "Klantenservice medewerkers en receptionisten",
                                                    "0411": "Accountants"}


def test_scaled_values_multiply_each_figure_exactly_by_its_measures_factor():
    factors = {"thousands": Decimal("1000"), "plain": Decimal("1")}
    values = cbs_mapping.scaled_values([89.8, 89.8, 89.8, "0.1"], ["thousands", "plain", "thousands", "thousands"], factors)
    assert values.tolist() == [89800.0, 89.8, 89800.0, 100.0]


def test_joined_breakdowns_sort_each_rows_pairs_and_leave_out_totals():
    parts = [pd.Series(["size=0-10", "", ""]), pd.Series(["sex=F", "sex=M", ""])]
    assert cbs_mapping.joined_breakdowns(parts).tolist() == ["sex=F;size=0-10", "sex=M", ""]


def test_the_dataset_row_says_what_the_mapping_left_out_in_dutch_and_english():
    spec = pd.Series({"table_id": "86355NED", "title_nl": "Lonen", "title_en": "Wages", "replaced_by": "", "note": ""})
    row = cbs_mapping.dataset_row(SimpleNamespace(title="Lonen"), spec, {"empty cells": 3, "series-break periods": 0,
                                                                         "categories without a contract code": 2})
    assert row["completeness_en"] == ("every period and category of the table as downloaded; left out: 3 empty cells; "
                                      "2 categories without a contract code")
    assert row["completeness_nl"] == ("alle perioden en categorieën van de tabel zoals gedownload; weggelaten: "
                                      "3 lege cellen; 2 categorieën zonder code in het contract")
    assert row["completeness"] == row["completeness_en"]
    assert (row["publisher_nl"], row["licence_nl"]) == ("CBS", "CC BY 4.0")
