"""The document registry drives the CLI, the template check and what a round makes."""

from __future__ import annotations

import click
import pytest

from kwl_office.batch.plan import documents_to_make
from kwl_office.catalogue import Catalogue
from kwl_office.cli import main
from kwl_office.documents.examples import example_context
from kwl_office.documents.registry import SPECS, DocumentKind, commands
from kwl_office.documents.render import shipped_templates
from kwl_office.kinds import Variant


def test_every_kind_has_one_spec_a_template_and_example_fields(catalogue: Catalogue) -> None:
    assert sorted(s.kind for s in SPECS) == sorted(DocumentKind)
    for spec in SPECS:
        assert (shipped_templates() / spec.template).is_file(), spec.template
        assert example_context(spec.kind, catalogue)
        assert spec.field_builder()  # the named builder exists


def test_every_registry_command_is_a_report_command() -> None:
    group = main.get_command(click.Context(main), "report")
    assert isinstance(group, click.Group)
    assert sorted(group.list_commands(click.Context(group))) == sorted(commands())


@pytest.mark.parametrize(("variant", "outcome", "withdrawn", "made"), [
    (Variant.SELF_EVALUATION, None, False, ["zelfevaluatie-feedback"]),
    (Variant.PEER_REVIEW, "registratie", False, ["leerrapport", "registratiebrief"]),
    (Variant.PEER_REVIEW, "herbeoordeling", False, ["leerrapport", "herbeoordelingsbrief"]),
    (Variant.PEER_REVIEW, "onvolledig", False, ["leerrapport"]),
    (Variant.AUDIT, "certificaat", False, ["auditrapport", "certificaatbrief", "certificaat"]),
    (Variant.HKZ_ISO, "herbeoordeling", False, ["auditrapport", "herbeoordelingsbrief"]),
    (Variant.COMBINATION, "certificaat", True, ["auditrapport"]),
    (Variant.PEER_REVIEW, "registratie", True, ["leerrapport"]),
])
def test_what_a_round_makes(variant: Variant, outcome: str | None, withdrawn: bool,
                            made: list[str]) -> None:
    specs = documents_to_make(variant, outcome, withdrawn=withdrawn)
    assert [s.kind.value for s in specs] == made
    assert len({s.output for s in specs}) == len(specs)  # no two share an output file
