"""Every figure of the committed bundle cites its publisher's own page (or the article that printed it), never a
code-hosting site it was transcribed from; the transcription route is named in the dataset's note instead."""

from urllib.parse import urlparse

import pandas as pd
import pytest

from etl import bundle_files
from etl.parsed import DATASET_FIELDS
from etl.paths import BUNDLE_DIR

# Written out here rather than imported, so that narrowing the bundler's own list cannot make this test pass.
CODE_HOSTING_SITES = ("github", "gitlab", "bitbucket", "codeberg", "sourceforge", "githubusercontent")
# The publishers' own domains: a figure seen anywhere else is a press or publication figure.
PUBLISHER_DOMAINS = ("cbs.nl", "uwv.nl", "werk.nl", "arbeidsmarktinzicht.nl", "vdab.be", "statbel.fgov.be",
                     "ec.europa.eu")
STATLINE_80472NED = "https://opendata.cbs.nl/statline/#/CBS/nl/dataset/80472NED"


@pytest.fixture(scope="module")
def bundle():
    return bundle_files.read(BUNDLE_DIR)


def cites_code_hosting(text: pd.Series) -> pd.Series:
    return text.str.lower().map(lambda value: any(site in value for site in CODE_HOSTING_SITES))


def on_publisher_domain(url: str) -> bool:
    host = urlparse(url).netloc
    return any(host == domain or host.endswith("." + domain) for domain in PUBLISHER_DOMAINS)


def test_no_observation_cites_a_code_hosting_site(bundle):
    obs = bundle.observations
    assert len(obs) > 29000
    cited = obs[cites_code_hosting(obs["source_url"])]
    assert cited.empty, cited.groupby("dataset_id").size().to_dict()


def test_no_context_fact_cites_a_code_hosting_site(bundle):
    assert len(bundle.context) > 0
    assert not cites_code_hosting(bundle.context["source_url"]).any()


def test_no_dataset_row_cites_a_code_hosting_site_outside_its_note(bundle):
    datasets = bundle.datasets
    for column in [c for c in DATASET_FIELDS if c != "note"]:
        assert not cites_code_hosting(datasets[column]).any(), column


def test_a_table_transcribed_from_a_copy_cites_the_statline_page_and_names_the_copy_in_its_note(bundle):
    obs = bundle.observations
    rows = obs[(obs["dataset_id"] == "cbs-80472NED") & (obs["period"] == "2023-Q3")]
    assert STATLINE_80472NED in set(rows["source_url"])
    note = bundle.datasets.set_index("dataset_id").loc["cbs-80472NED", "note"]
    assert ("Transcribed from third-party copies of the publisher's figures (each row's source_url is the "
            "publisher's page instead): https://github.com/biancab97/python/blob/") in note


def test_the_2026_vdab_list_cites_vdabs_page_and_names_the_transcription(bundle):
    obs = bundle.observations
    listed = obs[(obs["indicator"] == "shortage_listed") & (obs["period"] == "2026") & (obs["breakdown"] == "")]
    assert len(listed) == 227 and set(listed["source_url"]) == {"https://www.vdab.be/trends/knelpuntberoepen"}
    assert set(listed["status"]) == {"final"}
    note = bundle.datasets.set_index("dataset_id").loc["vdab-knelpuntberoepen", "note"]
    assert "candicedebruyne10-boop/lexpat-connect" in note
    arvastat = obs[obs["dataset_id"] == "vdab-arvastat-bouw"]
    assert set(arvastat["source_url"]) == {"https://arvastat.vdab.be/"}


def test_a_figure_seen_outside_the_publishers_own_pages_keeps_status_reported(bundle):
    obs = bundle.observations
    elsewhere = obs[~obs["source_url"].map(on_publisher_domain)]
    assert len(elsewhere) == 404
    assert set(elsewhere["status"]) == {"reported"}
