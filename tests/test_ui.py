"""cohesie.ui helpers: the message for an unexpected error on a page, right-aligned columns."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cohesie import i18n, ui

RAISING_PAGE = '''
import streamlit as st
from cohesie import ui

with ui.stop_on_error():
    st.write("Begin van de pagina")
    raise RuntimeError("interne fout: sleutel 42 ontbreekt")
'''


def _run_raising_page(tmp_path: Path) -> AppTest:
    script = tmp_path / "raising_page.py"
    script.write_text(RAISING_PAGE, encoding="utf-8")
    at = AppTest.from_file(str(script), default_timeout=60)
    at.run()
    return at


@pytest.fixture
def details_option():
    """Set client.showErrorDetails for one test and put it back."""
    from streamlit import config

    before = config.get_option("client.showErrorDetails")
    yield lambda value: config.set_option("client.showErrorDetails", value)
    config.set_option("client.showErrorDetails", before)


def test_an_unexpected_error_shows_a_calm_dutch_message_and_goes_to_the_log(tmp_path, details_option):
    import logging

    details_option("none")  # the project's .streamlit/config.toml
    # the server log: Streamlit's "cohesie" logger (its own stderr handler was made by whichever
    # test first asked for it, so the record is read from the logger itself)
    records, handler = [], logging.Handler()
    handler.emit = records.append
    logger = logging.getLogger("cohesie")
    logger.addHandler(handler)
    try:
        at = _run_raising_page(tmp_path)
    finally:
        logger.removeHandler(handler)
    assert not at.exception, [e.value for e in at.exception]  # no traceback in the browser
    assert [m.value for m in at.markdown] == ["Begin van de pagina"]
    [message] = [e.value for e in at.error]
    assert message.startswith("Er ging iets mis bij het tonen van deze pagina (")
    assert "Herlaad de pagina" in message and "beheerder" in message
    assert "sleutel 42" not in message and "RuntimeError" not in message and "Traceback" not in message
    assert "Onverwachte fout" not in message
    log = "\n".join(logging.Formatter().format(r) for r in records)
    assert "Onverwachte uitzondering op een pagina" in log
    assert "Traceback" in log and "RuntimeError: interne fout: sleutel 42 ontbreekt" in log


def test_with_error_details_on_the_exception_is_shown_as_streamlit_does(tmp_path, details_option):
    details_option("full")  # development: --client.showErrorDetails full
    at = _run_raising_page(tmp_path)
    assert [e.message for e in at.exception] == ["interne fout: sleutel 42 ontbreekt"]
    assert not at.error


def test_the_message_has_an_english_entry():
    assert ui.UNEXPECTED_ERROR in i18n.EN
    assert "{time}" in i18n.EN[ui.UNEXPECTED_ERROR]


def test_right_aligned_columns():
    config = ui.right_aligned(["Signalen", "Verwacht"])
    assert list(config) == ["Signalen", "Verwacht"]
    assert all(c["alignment"] == "right" and c["type_config"]["type"] == "text" for c in config.values())
    assert config["Verwacht"]["label"] == "Verwacht"
