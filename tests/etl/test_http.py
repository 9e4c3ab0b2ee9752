"""HTTP for every live source: timeouts, retries with backoff on 429/5xx, no retry for an unresolvable host, HTML is an error."""

import pytest
import requests
import responses
from urllib3.exceptions import MaxRetryError, NameResolutionError

from etl import http
from etl.errors import SourceError

URL = "https://datasets.cbs.nl/odata/v1/CBS/86355NED/Properties"


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
