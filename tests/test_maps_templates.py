"""Element scripts without Jinja syntax are kept as text (cohesie.maps._PlainTemplate) and render
exactly as Jinja renders them; sources with Jinja syntax still go through Jinja."""

import branca.element as be
import jinja2
from hypothesis import given, settings
from hypothesis import strategies as st

from cohesie import maps

plain_text = st.text(st.characters(blacklist_characters="\r", blacklist_categories=("Cs",)), max_size=200).filter(
    lambda s: not any(m in s for m in ("{{", "{%", "{#")))


@settings(max_examples=200, deadline=None)
@given(plain_text)
def test_plain_source_renders_as_jinja_does(source):
    assert maps._PlainTemplate(source).render(this=None, kwargs={}) == jinja2.Template(source).render()


def test_examples_with_newlines_and_braces():
    for source in ["", "\n", "a\n\n", "  var x = {a: 1};\n", "x { y }\n", "L.map('m_1', {\n  zoom: 3\n});\n"]:
        assert maps._PlainTemplate(source).render() == jinja2.Template(source).render()


def test_branca_elements_use_it_and_jinja_sources_still_compile():
    plain = be.Element("var a = 1;\n")
    assert isinstance(plain._template, maps._PlainTemplate) and plain.render() == "var a = 1;"
    templated = be.Element("{{ this.get_name() }}")
    assert not isinstance(templated._template, maps._PlainTemplate)
    assert templated.render() == templated.get_name()
    windows = be.Element("a\r\nb")  # Jinja normalises line ends: left to Jinja
    assert windows.render() == jinja2.Template("a\r\nb").render()
