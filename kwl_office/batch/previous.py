"""The organisation's previous assessment in a round's reports ("Sinds de vorige keer"):
which one it is (as the register kept it), the comparison with it, why there is none, and
what of it is part of an assessment's inputs (:func:`previous_digest`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from kwl_office import texts_nl as T
from kwl_office.assessment import Variant, last_issued
from kwl_office.batch.folder import RoundFolder
from kwl_office.batch.manifest import ManifestEntry
from kwl_office.batch.readiness import Readiness, json_digest
from kwl_office.catalogue import Catalogue
from kwl_office.catalogue.mapping import (
    Mapping,
    builtin_mapping_path,
    builtin_mappings,
    fitting_mapping,
    load_mapping,
)
from kwl_office.consolidation.history import Comparison, compare
from kwl_office.consolidation.model import Consolidation
from kwl_office.errors import KwlError
from kwl_office.names import clean_text, name_key
from kwl_office.register import Register, StoredResult


class History:
    """The previous assessments a round's reports compare with, found in its register
    (``register``: the register, or None while there is none; asking never creates one)."""

    def __init__(self, folder: RoundFolder, catalogue: Catalogue, *, today: date,
                 register: Callable[[], Register | None]) -> None:
        self.folder = folder
        self.catalogue = catalogue
        self.today = today
        self._register = register
        self._mappings: list[Mapping] | None = None

    def previous(self, entry: ManifestEntry, ready: Readiness) -> StoredResult | None:
        """The organisation's previous reported assessment, as the register kept it: of an
        earlier round, done before this one (see :meth:`Register.previous_result`)."""
        if entry.assessment.variant is Variant.SELF_EVALUATION:
            return None
        register = self._register()
        if register is None:
            return None  # no register yet: nothing reported before
        return register.previous_result(
            assessment_id=entry.assessment.id, organisation=entry.assessment.host,
            organisation_id=entry.organisation_id, before=self.today,
            round=self.folder.config().naam, assessed_on=last_issued(ready.submissions),
            scope=entry.assessment.scope)

    def passed_over_note(self, entry: ManifestEntry, ready: Readiness) -> str:
        """Why a report has no comparison although the register keeps another assessment of
        the organisation: it was not done before this one (the same day, or later); ''
        when there is none. The rule stays: a day both share decides nothing."""
        own = last_issued(ready.submissions)
        register = self._register() if own is not None else None
        if own is None or register is None:
            return ""
        other = register.passed_over_result(
            assessment_id=entry.assessment.id, organisation=entry.assessment.host,
            organisation_id=entry.organisation_id, before=self.today,
            round=self.folder.config().naam, assessed_on=own, scope=entry.assessment.scope)
        if other is None:
            return ""
        issued = str(other.consolidation.get("last_issued", "")) == other.assessed_on.isoformat()
        what = T.HISTORY_DAY_KNOWN_BY["issued" if issued else "reported"]
        template = T.HISTORY_SAME_DAY if other.assessed_on == own else T.HISTORY_LATER_DAY
        return template.format(assessment=other.assessment_id, what=what,
                               day=T.format_date(other.assessed_on), own=T.format_date(own))

    def compare(self, stored: StoredResult, current: Consolidation
                 ) -> tuple[Comparison | None, str]:
        """The comparison for the reports, or why there is none (a note for the console:
        never a comparison of norms that cannot be compared)."""
        since = stored.round or stored.reported_on.isoformat()[:4]  # as previous_digest
        try:
            previous = Consolidation.from_json(stored.consolidation)
            mapping = self._mapping_for(previous, current)
            if (mapping is None and previous.catalogue_id == current.catalogue_id
                    and previous.catalogue_fingerprint != current.catalogue_fingerprint):
                return None, T.HISTORY_NO_MAPPING.format(
                    assessment=stored.assessment_id, previous=previous.catalogue_version,
                    current=current.catalogue_version)
            note = (T.HISTORY_OTHER_NAME.format(assessment=stored.assessment_id,
                                                name=clean_text(previous.host))
                    if name_key(previous.host) != name_key(current.host) else "")
            return compare(previous, current, mapping, catalogue=self.catalogue,
                           since=since), note
        except (KwlError, ValueError) as err:
            return None, T.HISTORY_NOT_COMPARED.format(assessment=stored.assessment_id,
                                                       reason=err)

    def _mapping_for(self, previous: Consolidation, current: Consolidation) -> Mapping | None:
        """The mapping from the previous consolidation's catalogue to the current one
        (ronde.yaml ``mappings``, then the built-in ones); None for the same version."""
        if previous.catalogue_fingerprint == current.catalogue_fingerprint:
            return None
        if self._mappings is None:
            self._mappings = [load_mapping(self.folder.root / name
                                           if builtin_mapping_path(name) is None else name)
                              for name in self.folder.config().mappings]
            self._mappings += builtin_mappings()
        return fitting_mapping(self._mappings, previous.catalogue_fingerprint,
                               current.catalogue_fingerprint)


def previous_digest(previous: StoredResult) -> str:
    """What the reports show of the previous assessment, as part of the input digest: which
    one it is, what it is named by ("Sinds Ronde 2025": its round, or the year it was
    reported) and its consolidation. Not the day it was last reported: the previous round
    reported again with nothing new for this comparison (a corrected contact person) must not
    remake this assessment's letter and certificate."""
    since = previous.round or previous.reported_on.isoformat()[:4]
    return f"{previous.assessment_id}@{since}@{json_digest(previous.consolidation)}"
