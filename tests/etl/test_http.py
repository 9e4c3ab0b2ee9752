"""HTTP for every live source: timeouts, retries with backoff on 429/5xx, no retry for an unresolvable host, HTML is an
error, and no body larger than the import size cap is held in memory."""

from pathlib import Path

import pytest
import requests
import responses
from urllib3.exceptions import MaxRetryError, NameResolutionError

from etl import bounded_input, http
from etl.errors import SourceError

URL = "https://datasets.cbs.nl/odata/v1/CBS/86355NED/Properties"
OBSERVATIONS_URL = "https://datasets.cbs.nl/odata/v1/CBS/86355NED/Observations"
# A genuine CBS OData v4 page (1,261 bytes): the body the size cap is tried against.
OBSERVATIONS = (Path(__file__).parents[1] / "fixtures" / "cbs" / "v4_86355NED" / "Observations.json").read_bytes()
LIMIT = f"set {bounded_input.MAX_FILE_ENV} (MB) to allow more"


@pytest.fixture
def waits():
    return []


def get(waits):
    return http.get_json(requests.Session(), URL, "CBS 86355NED Properties", sleep=waits.append)


@responses.activate
def test_a_503_then_a_good_answer_is_retried_with_backoff(waits):
    responses.get(URL, status=503)
    responses.get(URL, json={"Identifier": "86355NED"})
    assert get(waits) == {"Identifier": "86355NED"}
    assert waits == [http.BACKOFF_SECONDS]


@responses.activate
def test_a_429_waits_as_long_as_retry_after_says_up_to_a_cap(waits):
    responses.get(URL, status=429, headers={"Retry-After": "7"})
    responses.get(URL, status=429, headers={"Retry-After": "3600"})
    responses.get(URL, json={"Identifier": "86355NED"})
    get(waits)
    assert waits == [7.0, http.MAX_RETRY_AFTER_SECONDS]


@responses.activate
def test_persistent_server_errors_give_up_after_three_attempts_with_one_clear_line(waits):
    responses.get(URL, status=502)
    with pytest.raises(SourceError, match=r"^CBS 86355NED Properties: HTTP 502 after 3 attempts$"):
        get(waits)
    assert len(responses.calls) == http.ATTEMPTS
    assert waits == [2.0, 4.0]


@responses.activate
def test_a_404_is_not_retried(waits):
    responses.get(URL, status=404)
    with pytest.raises(SourceError, match="HTTP 404"):
        get(waits)
    assert len(responses.calls) == 1


@responses.activate
def test_timeouts_are_retried_and_then_reported(waits):
    responses.get(URL, body=requests.ReadTimeout("read timed out"))
    with pytest.raises(SourceError, match="timed out after 3 attempts"):
        get(waits)
    assert len(responses.calls) == 3


@responses.activate
def test_an_html_page_instead_of_json_names_the_page(waits):
    responses.get(URL, body="<!DOCTYPE html><html><head><title>Onderhoud</title></head><body>…</body></html>",
                  content_type="text/html")
    with pytest.raises(SourceError, match=r"HTML page instead of JSON \('Onderhoud'\)"):
        get(waits)


@responses.activate
def test_truncated_json_is_reported_not_parsed(waits):
    responses.get(URL, body='{"Identifier": "86355N', content_type="application/json")
    with pytest.raises(SourceError, match="not valid JSON"):
        get(waits)


@responses.activate
def test_a_host_that_does_not_resolve_fails_at_once_without_waiting(waits):
    lookup = NameResolutionError("datasets.cbs.nl", None, OSError("Name or service not known"))
    responses.get(URL, body=requests.ConnectionError(MaxRetryError(None, URL, reason=lookup)))
    with pytest.raises(SourceError, match="host does not resolve"):
        get(waits)
    assert waits == [] and len(responses.calls) == 1


@responses.activate
def test_every_request_carries_a_short_connect_timeout(waits):
    responses.get(URL, json={"Identifier": "86355NED"})
    get(waits)
    assert responses.calls[0].request.req_kwargs["timeout"] == (3.05, 120)


@pytest.fixture
def cap(monkeypatch):
    """A cap of 1,000 bytes, below the 1,261-byte Observations page, unless the environment variable says otherwise."""
    monkeypatch.delenv(bounded_input.MAX_FILE_ENV, raising=False)
    monkeypatch.setattr(bounded_input, "MAX_FILE_BYTES", 1_000)
    return 1_000


def get_observations(waits):
    return http.get(requests.Session(), OBSERVATIONS_URL, "CBS 86355NED Observations", sleep=waits.append)


@responses.activate
def test_a_response_whose_content_length_passes_the_cap_is_refused_once_without_retrying(waits, cap):
    responses.get(OBSERVATIONS_URL, body=OBSERVATIONS, content_type="application/json",
                  headers={"Content-Length": str(len(OBSERVATIONS))})
    with pytest.raises(http.ResponseTooLarge) as refused:
        get_observations(waits)
    assert str(refused.value) == (f"CBS 86355NED Observations: {OBSERVATIONS_URL} says it sends more than the limit "
                                  f"of 1,000 bytes per file; {LIMIT}")
    assert len(responses.calls) == 1 and waits == []


@responses.activate
def test_a_response_without_a_length_is_counted_while_streaming_and_refused_past_the_cap(waits, cap):
    responses.get(OBSERVATIONS_URL, body=OBSERVATIONS, content_type="application/json")
    with pytest.raises(http.ResponseTooLarge) as refused:
        get_observations(waits)
    assert str(refused.value) == (f"CBS 86355NED Observations: {OBSERVATIONS_URL} sent more than the limit of 1,000 "
                                  f"bytes per file; {LIMIT}")
    assert "Content-Length" not in responses.calls[0].response.headers
    assert responses.calls[0].request.req_kwargs["stream"] is True


@responses.activate
def test_a_response_exactly_at_the_cap_is_read_whole(waits, monkeypatch, cap):
    monkeypatch.setattr(bounded_input, "MAX_FILE_BYTES", len(OBSERVATIONS))
    responses.get(OBSERVATIONS_URL, body=OBSERVATIONS, content_type="application/json",
                  headers={"Content-Length": str(len(OBSERVATIONS))})
    body = get_observations(waits)
    assert body == http.Body(OBSERVATIONS_URL, "application/json", OBSERVATIONS)


@responses.activate
def test_the_environment_variable_raises_the_download_cap_as_it_does_for_imports(waits, monkeypatch, cap):
    monkeypatch.setenv(bounded_input.MAX_FILE_ENV, "1")
    responses.get(OBSERVATIONS_URL, body=OBSERVATIONS, content_type="application/json")
    assert get_observations(waits).content == OBSERVATIONS


@responses.activate
def test_json_pages_are_capped_too(waits, cap):
    responses.get(OBSERVATIONS_URL, body=OBSERVATIONS, content_type="application/json")
    with pytest.raises(http.ResponseTooLarge, match="sent more than the limit of 1,000 bytes"):
        http.get_json(requests.Session(), OBSERVATIONS_URL, "CBS 86355NED Observations", sleep=waits.append)


@responses.activate
def test_a_body_cut_mid_stream_is_retried_like_a_dropped_connection(waits):
    responses.get(OBSERVATIONS_URL, body=requests.exceptions.ChunkedEncodingError("connection broken"))
    responses.get(OBSERVATIONS_URL, body=OBSERVATIONS, content_type="application/json")
    assert get_observations(waits).content == OBSERVATIONS
    assert waits == [http.BACKOFF_SECONDS]
