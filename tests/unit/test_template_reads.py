"""Which fields a template reads, by the context key they are read through."""

from __future__ import annotations

from jinja2 import DictLoader, Environment

from generator.commands.diff.template_reads import ANY_KEY, field_reads, file_facts


def reads(templates: dict[str, str], macro_names: dict[str, str] | None = None) -> dict:
    environment = Environment(loader=DictLoader(templates))
    facts = [file_facts(environment, name) for name in templates]
    return {key: set(names) for key, names in field_reads(facts, macro_names or {}).items()}


def test_an_attribute_is_charged_to_the_key_it_is_read_through() -> None:
    found = reads({"page.html": "{{ case.case.title }} {{ event.quotes|length }}"})
    assert found["case"] == {"case", "title"}
    assert found["event"] == {"quotes"}


def test_a_loop_variable_stands_for_what_it_iterates() -> None:
    found = reads(
        {"page.html": "{% for q in event.quotes %}{{ q.text }}{{ loop.index }}{% endfor %}"}
    )
    assert found["event"] == {"quotes", "text", "index"}
    assert "text" not in found.get("case", set())


def test_a_set_name_and_a_namespace_stand_for_their_values() -> None:
    found = reads(
        {
            "page.html": "{% set p = party %}{% set ns = namespace(q=none) %}"
            "{% set ns.q = quote %}{{ p.name }}{{ ns.q.text }}"
        }
    )
    assert found["party"] == {"name"}
    assert "text" in found["quote"]


def test_a_macro_reads_through_whatever_its_callers_pass() -> None:
    found = reads(
        {
            "page.html": '{% from "m.html" import show as s %}{{ s(event, root=site) }}',
            "m.html": "{% macro show(item, root) %}{{ item.body }}{{ root.url }}{% endmacro %}",
        }
    )
    assert found["event"] == {"body"}
    assert found["site"] == {"url"}


def test_a_global_macro_and_its_each_variant_bind_their_parameters() -> None:
    templates = {
        "page.html": "{{ summary(quote) }}{{ summaries(party.quotes) }}",
        "q.html": "{% macro summary(q) %}{{ q.text }}{% endmacro %}",
    }
    found = reads(templates, {"summary": "summary", "summaries": "summary"})
    assert found["quote"] == {"text"}
    assert found["party"] == {"quotes", "text"}


def test_attribute_names_given_as_strings_count_as_read() -> None:
    found = reads(
        {"page.html": '{{ case.quotes|map(attribute="speaker.name")|join }}{{ case["url"] }}'}
    )
    assert found["case"] == {"quotes", "speaker", "name", "url"}


def test_a_call_block_charges_every_field_to_every_key() -> None:
    found = reads(
        {
            "page.html": '{% from "m.html" import box %}'
            "{% call(x) box(case) %}{{ x.secret }}{% endcall %}",
            "m.html": "{% macro box(c) %}{{ caller(c.parties) }}{% endmacro %}",
        }
    )
    assert found.keys() == {ANY_KEY}
    assert {"secret", "parties"} <= found[ANY_KEY]
