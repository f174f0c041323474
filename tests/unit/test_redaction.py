"""Secrets never reach logs or error text: signed-URL queries, Authorization values, API keys."""

import logging

import pytest

from pixxel_qgis.core.pixxel.errors import PixxelError
from pixxel_qgis.core.pixxel.redaction import (
    REDACTED,
    RedactingFilter,
    SecretRedactor,
    pixxel_logger,
    redact_url,
    redactor,
)

SIGNED = (
    "https://pixxeldeliveries.blob.core.windows.net/d/TD2_871361.zip"
    "?sv=2021-08-06&sp=r&se=2030-01-01T00%3A00%3A00Z&sig=SIGNATUREVALUE"
)


def test_redact_url_keeps_names_and_drops_values():
    assert redact_url(SIGNED) == (
        "https://pixxeldeliveries.blob.core.windows.net/d/TD2_871361.zip"
        "?sv=***&sp=***&se=***&sig=***"
    )


def test_redact_url_drops_the_fragment_of_a_signed_url():
    assert redact_url("https://h/p?token=abc#frag") == "https://h/p?token=***"


@pytest.mark.parametrize("url", ["https://api.pixxel.space/v0/aois", "http://127.0.0.1:8/p#x"])
def test_redact_url_leaves_urls_without_query_alone(url):
    assert redact_url(url) == url


def test_a_password_in_a_proxy_address_is_redacted():
    proxy = "http://alice:s3cr%40t@proxy.corp:3128"  # pragma: allowlist secret
    text = f"Cannot connect to proxy {proxy} for GET https://h/p"
    redacted = SecretRedactor().redact(text)
    assert "s3cr" not in redacted
    assert "http://alice:***@proxy.corp:3128" in redacted


def test_urls_inside_text_are_redacted():
    text = f"GET {SIGNED} -> 403"
    redacted = SecretRedactor().redact(text)
    assert "SIGNATUREVALUE" not in redacted
    assert redacted.startswith("GET https://pixxeldeliveries.blob.core.windows.net/d/")
    assert redacted.endswith("sig=*** -> 403")


def test_a_bare_path_with_a_query_is_redacted():
    # How urllib3 names the request in its errors: path and query, no scheme or host.
    text = (
        "HTTPSConnectionPool(host='x.blob.core.windows.net', port=443): Max retries exceeded "
        "with url: /d/f.zip?sv=2021&sig=SIGNATUREVALUE (Caused by ConnectTimeoutError())"
    )
    redacted = SecretRedactor().redact(text)
    assert "SIGNATUREVALUE" not in redacted
    assert "with url: /d/f.zip?sv=***&sig=*** (Caused by" in redacted


def test_ordinary_text_with_slashes_and_question_marks_is_kept():
    text = "Download 3/4 done? See folder C:/data/out and ratio a/b?"
    assert SecretRedactor().redact(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Authorization: rawkey123", f"Authorization: {REDACTED}"),
        ("authorization=rawkey123, next", f"authorization={REDACTED}, next"),
        ("{'Authorization': 'rawkey123'}", f"{{'Authorization': '{REDACTED}'}}"),
        ('{"Authorization": "Bearer tok.en-123"}', f'{{"Authorization": "{REDACTED}"}}'),
    ],
)
def test_authorization_values_are_redacted(text, expected):
    assert SecretRedactor().redact(text) == expected


def test_registered_secrets_are_redacted_anywhere():
    scrubber = SecretRedactor()
    scrubber.register("abcdef-secret")
    scrubber.register("abcdef-secret-longer")
    assert scrubber.redact("k=abcdef-secret-longer;j=abcdef-secret.") == "k=***;j=***."


@pytest.mark.parametrize("secret", ["", "abc", "abcde"])
def test_short_values_are_not_treated_as_secrets(secret):
    scrubber = SecretRedactor()
    scrubber.register(secret)
    assert scrubber.redact("abcde abc") == "abcde abc"


def test_the_logger_filter_redacts_message_and_arguments(caplog):
    secret = "unit-test-value-7f3a"  # pragma: allowlist secret
    redactor.register(secret)
    caplog.set_level(logging.DEBUG, logger="pixxel")
    log = pixxel_logger()
    log.debug("key %s in %s", secret, SIGNED)
    log.warning("Authorization: %s", "unregistered-token")
    assert secret not in caplog.text
    assert "SIGNATUREVALUE" not in caplog.text
    assert "unregistered-token" not in caplog.text
    assert [r.getMessage() for r in caplog.records][0].startswith("key *** in https://")


def test_the_logger_filter_is_installed_once():
    pixxel_logger()
    pixxel_logger()
    filters = [f for f in logging.getLogger("pixxel").filters if isinstance(f, RedactingFilter)]
    assert len(filters) == 1


def test_urllib3s_own_request_lines_are_redacted_once_covered(sb, api, caplog):
    """urllib3 logs each request line with its query at DEBUG; any handler (here pytest's, on
    the root logger) would get the signature. The control request shows the leak is real."""
    from pixxel_qgis.core.pixxel.http import HttpGateway
    from pixxel_qgis.core.pixxel.redaction import cover_library_loggers, uncover_library_loggers

    sb.configure(ready_after_polls=0)
    aoi_id = sb.catalog.aoi_at(0)["aoi_id"]
    asset = next(a for a in sb.catalog.assets(aoi_id) if a["status"] == "success")
    url = api.post(f"{sb.api_url}/v0/aois/{aoi_id}/downloads",
                   json={"asset_ids": [asset["id"]]}).json()["signed_url"]
    signature = url.split("sig=")[1]
    caplog.set_level(logging.DEBUG, logger="urllib3")
    with HttpGateway(user_agent="pixxel-tests", trust_env=False) as gateway:
        gateway.send("GET", url, headers={"Range": "bytes=0-0"}).close()
        assert signature in caplog.text  # the control: urllib3 alone leaks it
        caplog.clear()
        cover_library_loggers()
        try:
            gateway.send("GET", url, headers={"Range": "bytes=0-0"}).close()
        finally:
            uncover_library_loggers()
    assert "sig=***" in caplog.text
    assert signature not in caplog.text
    assert not any(isinstance(f, RedactingFilter)
                   for f in logging.getLogger("urllib3.connectionpool").filters)


def test_error_details_are_redacted_when_the_error_is_made():
    redactor.register("details-secret-0042")
    error = PixxelError(
        "refused", code="BAD details-secret-0042",
        details={"url": SIGNED, "details-secret-0042": ["x", ("details-secret-0042", 3, None)]},
    )
    assert error.code == f"BAD {REDACTED}"
    assert error.details == {
        "url": "https://pixxeldeliveries.blob.core.windows.net/d/TD2_871361.zip"
               "?sv=***&sp=***&se=***&sig=***",
        REDACTED: ["x", [REDACTED, 3, None]],
    }


def test_details_nested_deeper_than_the_stack_are_redacted_without_recursion():
    depth = 20_000  # far beyond Python's recursion limit
    details: list = [SIGNED]
    for _ in range(depth):
        details = [details]
    error = PixxelError("refused", details=details)
    inner = error.details
    for _ in range(depth):
        (inner,) = inner
    assert inner == [redact_url(SIGNED)]
