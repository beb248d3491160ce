"""A submission that crosses processes (a worker's read-back, see ``batch/pool.py``) arrives
exactly as it was read: every answer with the cell it was read from, every finding with its
place, a team workbook's reviews and team texts, an unreadable file's reason. It travels as
its JSON (``Submission.__reduce_ex__``); a name JSON cannot carry goes the ordinary way."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from kwl_office.assessment import Kind, Submission, _submission_from_json
from kwl_office.catalogue import Catalogue
from kwl_office.excel.reader import read_submission
from tests.helpers import KEY, TEAM, fill, fill_all, fill_team, generate, messy_answers
from tests.test_team import answers_for, make_team


def _crossed(sub: Submission) -> Submission:
    return pickle.loads(pickle.dumps(sub, pickle.HIGHEST_PROTOCOL))


def _same(a: Submission, b: Submission) -> None:
    assert b == a
    # equal and of the same types all the way down (a tuple stays a tuple, a place stays set)
    assert b.model_dump() == a.model_dump()
    for norm_id, answer in a.responses.items():
        assert (b.responses[norm_id].sheet, b.responses[norm_id].cell) == (answer.sheet,
                                                                          answer.cell)
    assert type(b.identity.reviewers if b.identity else ()) is tuple


def _submissions(tmp: Path, catalogue: Catalogue) -> dict[str, Submission]:
    peer = fill_all(generate(tmp / "peer.xlsx", Kind.PEER, catalogue), catalogue)
    self_eval = fill_all(generate(tmp / "zelf.xlsx", Kind.SELF_EVALUATION, catalogue),
                         catalogue)
    norms = [n.id for n in catalogue.norms()][:6]
    messy = fill(generate(tmp / "rommelig.xlsx", Kind.PEER, catalogue),
                 messy_answers(catalogue, Kind.PEER, norms)[0])
    team = fill_team(make_team(tmp / "team.xlsx", catalogue), answers_for(catalogue),
                     {"V1.1": {"team_strengths": "Samen sterk in intervisie"}})
    not_a_workbook = tmp / "foto.xlsx"
    not_a_workbook.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    read = {path.stem: read_submission(path, catalogue, key=KEY, name=f"inbox/{path.name}")
            for path in (peer, self_eval, messy, team, not_a_workbook)}
    read["bytes-in-name"] = read["rommelig"].model_copy(update={"file": "inbox/r\udcffx.xlsx"})
    return read


def test_every_kind_of_submission_arrives_as_it_was_read(tmp_path: Path,
                                                        catalogue: Catalogue) -> None:
    subs = _submissions(tmp_path, catalogue)
    # what the cases are meant to cover is there
    assert subs["team"].is_team and subs["team"].team_reviews and subs["team"].team
    assert len(subs["team"].identity.reviewers) == len(TEAM)  # type: ignore[union-attr]
    assert not subs["rommelig"].valid
    assert any(f.cell for f in subs["rommelig"].report.findings)
    assert subs["foto"].unreadable and subs["foto"].identity is None
    assert all(r.cell for r in subs["peer"].responses.values())
    for name, sub in subs.items():
        _same(sub, _crossed(sub))
        assert name  # the case, in the assertion's traceback


@pytest.mark.parametrize("case", ["peer", "team"])
def test_a_submission_travels_as_its_json(tmp_path: Path, catalogue: Catalogue,
                                          case: str) -> None:
    sub = _submissions(tmp_path, catalogue)[case]
    rebuild, args = sub.__reduce_ex__(pickle.HIGHEST_PROTOCOL)[:2]
    assert rebuild is _submission_from_json
    assert isinstance(args[0], str) and '"cell"' in args[0]
    # the machine-interface JSON keeps leaving the places out
    assert all("cell" not in r and "sheet" not in r
               for review in sub.to_json()["reviews"] for r in review["ratings"].values())
    if case == "team":
        assert all("cell" not in t for t in sub.to_json()["team"].values())


def test_a_name_json_cannot_carry_goes_the_ordinary_way(tmp_path: Path,
                                                       catalogue: Catalogue) -> None:
    sub = _submissions(tmp_path, catalogue)["bytes-in-name"]
    assert sub.__reduce_ex__(pickle.HIGHEST_PROTOCOL)[0] is not _submission_from_json
    _same(sub, _crossed(sub))
