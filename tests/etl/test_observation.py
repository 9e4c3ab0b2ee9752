"""The observation contract: conform, validate and combine."""

import re

import pandas as pd
import pytest

from etl import observation
from tests.etl.core_fixtures import observation_rows


def test_valid_rows_pass_and_keep_codes_as_text():
    frame = observation.validate(observation.conform(observation_rows()))
    assert frame.loc[0, "occupation_code"] == "0334"
    assert frame.loc[0, "value"] == 118000.0


@pytest.mark.parametrize(
    ("column", "bad", "message"),
    [
        ("indicator", "employment", "invalid indicator in cbs-85276NED: 1 row(s) with indicator='employment'"),
        ("country", "DE", "invalid country"),
        ("status", "voorlopig", "invalid status"),
        ("period", "2025KW04", "invalid period"),
        ("breakdown", "sex:F", "invalid breakdown"),
    ],
)
def test_a_row_outside_the_vocabulary_is_named_in_the_error(column, bad, message):
    rows = observation_rows()
    rows.loc[0, column] = bad
    with pytest.raises(observation.ObservationError, match=re.escape(message)):
        observation.validate(observation.conform(rows))


def test_a_unit_other_than_the_indicators_names_dataset_indicator_and_both_units():
    rows = observation_rows()
    rows.loc[2, "unit"] = "EUR/month"
    with pytest.raises(observation.ObservationError) as refused:
        observation.validate(observation.conform(rows))
    assert str(refused.value) == ("unit does not match the indicator in cbs-85517NED: 1 row(s) with unit='EUR/month': "
                                  "indicator hourly_wage_median is in 'EUR/hour' (etl/definitions/indicators.csv)")


def test_duplicate_keys_are_rejected_with_the_key_in_the_message():
    rows = pd.concat([observation_rows(), observation_rows().iloc[[0]]], ignore_index=True)
    with pytest.raises(observation.ObservationError, match=r"duplicate observation key \(2 rows\).*occupation_code='0334'"):
        observation.validate(observation.conform(rows))


def test_a_missing_value_cannot_be_final():
    rows = observation_rows()
    rows.loc[0, "value"] = None
    with pytest.raises(observation.ObservationError, match="missing value must carry a status other than final"):
        observation.validate(observation.conform(rows))


def test_a_later_frame_replaces_rows_with_the_same_key_and_keeps_the_others():
    revised = observation_rows().iloc[[0]].assign(value=119000.0, status="revised")
    combined = observation.combine([observation_rows(), revised])
    assert len(combined) == 3
    row = combined[(combined.occupation_code == "0334") & (combined.indicator == "employed_persons")].iloc[0]
    assert (row.value, row.status) == (119000.0, "revised")


def test_conform_rejects_frames_without_contract_columns():
    with pytest.raises(observation.ObservationError, match="lack columns: .*indicator"):
        observation.conform(pd.DataFrame({"dataset_id": ["x"]}))


def test_conform_blanks_missing_text_and_strips_padding_as_cbs_pads_its_keys():
    rows = observation_rows().astype({"occupation_code": object})
    rows.loc[0, "occupation_code"] = "0334    "
    rows.loc[1, "breakdown"] = None
    frame = observation.conform(rows)
    assert frame["occupation_code"].tolist() == ["0334", "0433", "0433"]
    assert frame["breakdown"].tolist() == ["", "", ""]
    assert frame["region"].dtype == frame["occupation_code"].dtype == observation.TEXT_DTYPE


def test_combined_rows_come_in_key_order_whatever_order_the_inputs_have():
    rows = observation_rows()
    combined = observation.combine([rows.iloc[[2]], rows.iloc[[1, 0]]])
    assert list(zip(combined.dataset_id, combined.occupation_code, strict=True)) == [
        ("cbs-85276NED", "0334"), ("cbs-85276NED", "0433"), ("cbs-85517NED", "0433")]


def test_a_duplicate_within_one_input_is_an_error_even_when_a_later_input_has_the_same_key():
    rows = observation_rows()
    with pytest.raises(observation.ObservationError, match=r"duplicate observation key \(2 rows\), first: "
                                                           r"dataset_id='cbs-85276NED', indicator='employed_persons'"):
        observation.combine([pd.concat([rows, rows.iloc[[0]]], ignore_index=True), rows])


def test_rows_an_import_validated_are_combined_without_being_checked_again(monkeypatch):
    valid = observation.validated_for_combine(observation_rows())
    checked = []
    monkeypatch.setattr(observation, "_check", lambda frame, keys: checked.append(len(frame)))
    combined = observation.combine([valid, observation_rows().iloc[[0]].assign(value=119000.0)])
    assert checked == [1]  # only the second input, which nobody validated
    assert combined["value"].tolist() == [119000.0, 178000.0, 20.7]


def test_validated_for_combine_refuses_what_validate_refuses_with_the_same_message():
    rows = observation_rows()
    rows.loc[0, "period"] = "2025KW04"
    with pytest.raises(observation.ObservationError, match=re.escape("invalid period in cbs-85276NED: 1 row(s) with "
                                                                     "period='2025KW04'")):
        observation.validated_for_combine(rows)
