"""Since last time: a previous and a current consolidation of one organisation, compared.

:func:`compare` gives, per norm of the current assessment, the previous and the current
consensus and the direction of change, per domain the share met before and now, and a short
Dutch summary ("Sinds 2023: 6 normen beter, 2 slechter, 40 gelijk; 4 niet vergelijkbaar (2
nieuw, 2 betekenis gewijzigd)"). The caller decides that the two are the same organisation.

What is compared, and what never is (the README rule "choose the reading that never states
something false"):

* Same catalogue version (same fingerprint): a norm with the same id.
* Another version of the same catalogue: only through a reviewed mapping whose ``van`` and
  ``naar`` fingerprints are those of the two consolidations, and only a norm that maps 1:1
  with unchanged meaning (:meth:`~kwl_office.catalogue.mapping.Mapping.comparable`). A new
  norm, a norm whose meaning changed, a split or a merged norm is *niet vergelijkbaar*, with
  that reason. Other catalogues, or versions without a fitting mapping, are refused.
* A direction needs a rating with a score on both sides: *n.v.t.* or no consensus on either
  side is *niet vergelijkbaar* too (with that reason), never *gelijk*. Directions follow the
  scores of the current catalogue's scale (higher is better; a scale's roles follow its
  scores), looked up by code.
* The share met of a domain counts only the norms with a direction, on both sides, and says
  how many that are.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from kwl_office import dutch
from kwl_office import texts_nl as T
from kwl_office.assessment import Variant
from kwl_office.catalogue import Catalogue, ScaleRole
from kwl_office.catalogue.mapping import Change, Mapping, identity_mapping
from kwl_office.consolidation.model import Consolidation
from kwl_office.errors import InvalidArgument


class Direction(StrEnum):
    """How a norm's consensus (or a domain's share met) moved since last time."""

    BETTER = "beter"
    SAME = "gelijk"
    WORSE = "slechter"
    NOT_COMPARABLE = "niet vergelijkbaar"


class Reason(StrEnum):
    """Why a norm is not comparable with last time (stable codes, Dutch texts in texts_nl)."""

    NEW = "nieuw"
    CHANGED = "betekenis-gewijzigd"
    SPLIT = "gesplitst"
    MERGED = "samengevoegd"
    #: comparable norm, but not in the previous assessment (e.g. an HKZ/ISO combination)
    NOT_ASSESSED = "niet-getoetst"
    #: n.v.t. on either side
    NOT_APPLICABLE = "nvt"
    #: no consensus (or a rating this scale does not know) on either side
    NO_RATING = "geen-oordeel"


_CHANGE_REASONS = {Change.NEW: Reason.NEW, Change.CHANGED: Reason.CHANGED,
                   Change.SPLIT: Reason.SPLIT, Change.MERGED: Reason.MERGED}


class NormChange(BaseModel):
    """One norm of the current assessment next to last time."""

    model_config = ConfigDict(extra="forbid")

    norm_id: str
    domain_id: str
    #: the norm(s) of the previous catalogue version it comes from (the same id without a
    #: version change; empty for a new norm)
    previous_norm_ids: list[str] = Field(default_factory=list)
    #: previous consensus code (only when the norm is comparable)
    previous: str | None = None
    current: str | None = None
    direction: Direction
    #: why not comparable (None when it is)
    reason: Reason | None = None
    #: the improvement actions the organisation wrote last time at the norm(s) it comes from
    previous_improvements: str | None = None

    @property
    def comparable(self) -> bool:
        """True when the norm has a direction (beter, gelijk, slechter)."""
        return self.direction is not Direction.NOT_COMPARABLE


class DomainChange(BaseModel):
    """A domain's share met before and now, over the norms that have a direction."""

    model_config = ConfigDict(extra="forbid")

    domain_id: str
    title: str
    norms: int
    #: norms with a direction: the shares are over these
    compared: int
    better: int
    same: int
    worse: int
    previous_share_met: float | None
    current_share_met: float | None
    direction: Direction


class Comparison(BaseModel):
    """A previous and a current consolidation of one organisation, compared
    (:func:`compare`); its JSON (``model_dump(mode="json")``) is stable."""

    model_config = ConfigDict(extra="forbid")

    host: str
    #: the organisation's name in the previous assessment (another name, the same
    #: Organisatie-id: renamed, or a mistyped id the secretariat should see); "" in older
    #: comparisons
    previous_host: str = ""
    previous_assessment_id: str
    #: the previous assessment's variant (documents name it when it differs from now's);
    #: None in older comparisons
    previous_variant: Variant | None = None
    current_assessment_id: str
    #: how the documents name the previous assessment ("2023", "toetsing 2023-004")
    since: str
    previous_catalogue: str
    current_catalogue: str
    #: True when the catalogue versions differ and a mapping connected them
    through_mapping: bool
    norms: list[NormChange]
    domains: list[DomainChange]
    #: norms of the previous version that no longer exist
    removed: list[str] = Field(default_factory=list)
    summary: str

    def count(self, direction: Direction) -> int:
        """Norms with this direction."""
        return sum(1 for n in self.norms if n.direction is direction)

    def to_json(self) -> dict[str, Any]:
        """The stable JSON shape."""
        return self.model_dump(mode="json")


def compare(previous: Consolidation, current: Consolidation, mapping: Mapping | None = None,
            *, catalogue: Catalogue, since: str | None = None) -> Comparison:
    """Compare the ``previous`` consolidation of an organisation with the ``current`` one.

    ``catalogue`` is the current consolidation's catalogue (its scale orders the ratings and
    its domains name them); ``mapping`` connects the two catalogue versions when they differ;
    ``since`` names the previous assessment in the summary (default: its number).

    Raises :class:`~kwl_office.errors.InvalidArgument` (Dutch) when ``catalogue`` is not the
    current consolidation's, the catalogue ids differ, or the versions differ without a
    mapping whose ``van``/``naar`` fingerprints are those of the two consolidations.
    """
    if catalogue.fingerprint != current.catalogue_fingerprint:
        raise InvalidArgument(T.HIST_WRONG_CATALOGUE.format(
            found=f"{catalogue.id} {catalogue.version}",
            expected=f"{current.catalogue_id} {current.catalogue_version}"))
    links = _links(previous, current, mapping, catalogue)
    norms = [_norm_change(previous, result.norm_id, result.domain_id, result.consensus,
                          links, catalogue)
             for result in current.norms.values()]
    domains = [_domain_change(domain_id, summary.title, norms, catalogue)
               for domain_id, summary in current.domains.items()]
    label = since or T.HIST_SINCE_DEFAULT.format(assessment=previous.assessment_id)
    removed = [] if links is None else [old for old, link in links.norms.items() if not link.to]
    return Comparison(
        host=current.host,
        previous_host=previous.host,
        previous_assessment_id=previous.assessment_id,
        previous_variant=previous.variant,
        current_assessment_id=current.assessment_id,
        since=label,
        previous_catalogue=f"{previous.catalogue_id}, versie {previous.catalogue_version}",
        current_catalogue=f"{current.catalogue_id}, versie {current.catalogue_version}",
        through_mapping=previous.catalogue_fingerprint != current.catalogue_fingerprint,
        norms=norms,
        domains=domains,
        removed=removed,
        summary=summarise(label, norms),
    )


def _links(previous: Consolidation, current: Consolidation, mapping: Mapping | None,
           catalogue: Catalogue) -> Mapping:
    """The mapping to compare through: the identity for one catalogue version, else the given
    mapping when it connects exactly these two versions."""
    if previous.catalogue_id != current.catalogue_id:
        raise InvalidArgument(T.HIST_OTHER_CATALOGUE.format(
            previous=previous.catalogue_id, current=current.catalogue_id))
    if previous.catalogue_fingerprint == current.catalogue_fingerprint:
        return identity_mapping(catalogue)
    versions = {"previous": f"{previous.catalogue_id} {previous.catalogue_version}",
                "current": f"{current.catalogue_id} {current.catalogue_version}"}
    if mapping is None:
        raise InvalidArgument(T.HIST_MAPPING_NEEDED.format(**versions))
    if (mapping.source.fingerprint != previous.catalogue_fingerprint
            or mapping.target.fingerprint != current.catalogue_fingerprint):
        raise InvalidArgument(T.HIST_MAPPING_MISFIT.format(
            source=mapping.source.label(), target=mapping.target.label(), **versions))
    return mapping


def _norm_change(previous: Consolidation, norm_id: str, domain_id: str, consensus: str | None,
                 links: Mapping, catalogue: Catalogue) -> NormChange:
    sources = list(links.sources_of(norm_id))
    actions = [(old, text) for old in sources
               if old in previous.norms and (text := (previous.norms[old].self_improvements
                                                      or "").strip())]
    # with several old norms each action says where it was written
    improvements = "\n".join(f"{old}: {text}" if len(sources) > 1 else text
                             for old, text in actions) or None
    change = NormChange(norm_id=norm_id, domain_id=domain_id, previous_norm_ids=sources,
                        current=consensus, direction=Direction.NOT_COMPARABLE,
                        previous_improvements=improvements)
    kind = links.change_of(norm_id)
    if kind is not Change.SAME:
        change.reason = _CHANGE_REASONS[kind]
        return change
    before = previous.norms.get(sources[0])
    if before is None:
        change.reason = Reason.NOT_ASSESSED
        return change
    change.previous = before.consensus
    change.direction, change.reason = _direction(before.consensus, consensus, catalogue)
    return change


def _direction(before: str | None, now: str | None,
               catalogue: Catalogue) -> tuple[Direction, Reason | None]:
    scale = catalogue.rating_scale
    levels = [scale.by_code.get(code or "") for code in (before, now)]
    if any(lv is not None and lv.role is ScaleRole.NOT_APPLICABLE for lv in levels):
        return Direction.NOT_COMPARABLE, Reason.NOT_APPLICABLE
    old, new = (lv.score if lv is not None else None for lv in levels)
    if old is None or new is None:
        return Direction.NOT_COMPARABLE, Reason.NO_RATING
    if new == old:
        return Direction.SAME, None
    return (Direction.BETTER if new > old else Direction.WORSE), None


def _domain_change(domain_id: str, title: str, norms: list[NormChange],
                   catalogue: Catalogue) -> DomainChange:
    ours = [n for n in norms if n.domain_id == domain_id]
    compared = [n for n in ours if n.comparable]
    met = catalogue.rating_scale.codes(ScaleRole.MET)
    before = _share(sum(1 for n in compared if n.previous in met), len(compared))
    now = _share(sum(1 for n in compared if n.current in met), len(compared))
    direction = Direction.NOT_COMPARABLE
    if before is not None and now is not None:
        direction = (Direction.SAME if now == before
                     else Direction.BETTER if now > before else Direction.WORSE)
    return DomainChange(
        domain_id=domain_id, title=title, norms=len(ours), compared=len(compared),
        better=sum(1 for n in compared if n.direction is Direction.BETTER),
        same=sum(1 for n in compared if n.direction is Direction.SAME),
        worse=sum(1 for n in compared if n.direction is Direction.WORSE),
        previous_share_met=before, current_share_met=now, direction=direction)


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def summarise(since: str, norms: list[NormChange]) -> str:
    """"Sinds 2023: 6 normen beter, 2 slechter, 40 gelijk; 4 niet vergelijkbaar (2 nieuw,
    2 betekenis gewijzigd)" — every count shown, also 0, so nothing is left unsaid."""
    count = {d: sum(1 for n in norms if n.direction is d) for d in Direction}
    first = dutch.count(count[Direction.BETTER], "norm")
    text = T.HIST_SUMMARY.format(since=since, better=first, worse=count[Direction.WORSE],
                                 same=count[Direction.SAME])
    if not count[Direction.NOT_COMPARABLE]:
        return text + "."
    reasons = {r: sum(1 for n in norms if n.reason is r) for r in Reason}
    parts = [f"{n} {T.HIST_REASON_SHORT[r.value]}" for r, n in reasons.items() if n]
    return text + T.HIST_SUMMARY_NOT_COMPARABLE.format(
        count=count[Direction.NOT_COMPARABLE], reasons=", ".join(parts))


def reason_text(change: NormChange) -> str:
    """Why a norm is not comparable, in Dutch, naming the old norms ("gesplitst uit V2.4")."""
    if change.reason is None:
        return ""
    return T.HIST_REASON[change.reason.value].format(
        previous=dutch.join(change.previous_norm_ids))


__all__ = ["Comparison", "Direction", "DomainChange", "NormChange", "Reason", "compare",
           "reason_text", "summarise"]
