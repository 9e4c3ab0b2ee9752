"""The bench's generated CBS table: the genuine v3 layout, exactly the rows asked for, and plainly not CBS data."""

from bench import synthetic_cbs
from etl.sources import cbs, cbs_v3


def test_a_generated_table_has_the_fixtures_files_and_parses_to_exactly_the_rows_asked_for(tmp_path):
    folder = synthetic_cbs.write(tmp_path / "table", 3000)
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in synthetic_cbs.FIXTURE.iterdir())
    parsed = cbs.parse(cbs_v3.FORMAT, {p.name: p.read_bytes() for p in folder.iterdir()}, "")
    rows = parsed.observations
    assert len(rows) == 3000
    assert set(rows["dataset_id"]) == {"cbs-80472NED"}
    assert parsed.datasets["title"].tolist() == [synthetic_cbs.SYNTHETIC_TITLE]


def test_generated_periods_are_far_from_real_ones_and_never_quarters_the_model_reads(tmp_path):
    folder = synthetic_cbs.write(tmp_path / "table", 3000)
    rows = cbs.parse(cbs_v3.FORMAT, {p.name: p.read_bytes() for p in folder.iterdir()}, "").observations
    assert rows["period"].str[:4].astype(int).max() < 1100
    assert not rows["period"].str.contains("Q").any()
