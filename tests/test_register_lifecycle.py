"""What the register tells about an organisation assessed again: an earlier entry that a newer
one follows up says so (``kwl register list``, ``show``, ``expiring``) while it keeps its own
status; and a round says why a report has no "Sinds de vorige keer" when the register knows
an assessment of the organisation that was not done before this one (two rounds on one day)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from kwl_office import texts_nl as T
from kwl_office.assessment import Organisation, Variant
from kwl_office.batch.steps import report_round
from kwl_office.consolidation.model import Advice
from kwl_office.register import Entry, Register, Status
from tests.helpers import row
from tests.test_register import run as run_cli
from tests.test_round_history import CI, HOST, done, lines_of, run, shared_round

TODAY = date(2027, 6, 1)
OLD_NAME, NEW_NAME = "Stichting Buurtkracht (fictief)", "Buurtkracht Utrecht (fictief)"


@pytest.fixture
def reg(tmp_path: Path) -> Register:
    return Register(tmp_path / "register.sqlite")


def grant(reg: Register, assessment_id: str, name: str, granted_on: date, *,
          kind: Advice = Advice.REGISTRATION, scope: str = "", organisation_id: str = "",
          valid_until: date | None = None) -> Entry:
    """An entry as a round records it (valid three years unless ``valid_until``), with the
    result (and Organisatie-id) it keeps."""
    variant = Variant.AUDIT if kind is Advice.CERTIFICATE else Variant.PEER_REVIEW
    until = valid_until or granted_on.replace(year=granted_on.year + 3) - timedelta(days=1)
    entry = reg.record(assessment_id=assessment_id, organisation=Organisation(name=name),
                       variant=variant, scope=scope, kind=kind, granted_on=granted_on,
                       valid_until=until, round=str(granted_on.year), today=granted_on)
    reg.remember_result(done(assessment_id, granted_on, scope=scope), organisation=name,
                        organisation_id=organisation_id, round=str(granted_on.year),
                        reported_on=granted_on)
    return entry


def followed(reg: Register, today: date = TODAY) -> dict[str, str]:
    return {old: new.number for old, new in reg.successors(today=today).items()}


def test_a_newer_entry_of_the_same_organisation_follows_up_the_earlier_one(
        reg: Register) -> None:
    old = grant(reg, "2025-01", HOST, date(2025, 11, 20))
    new = grant(reg, "2026-01", HOST.upper(), date(2026, 11, 30), kind=Advice.CERTIFICATE)
    other = grant(reg, "2025-02", "Welzijn Zuid (fictief)", date(2025, 11, 20))
    assert followed(reg) == {old.number: new.number}
    # the earlier entry keeps its legal status: active until its own end, and it is still
    # one of the entries that run out (the list says it is followed up)
    assert [e.status for e in reg.entries(today=TODAY)] == [Status.ACTIVE] * 3
    assert [e.number for e in reg.expiring(3650, today=TODAY)] == [
        old.number, other.number, new.number]
    # expired, it is still followed up; a withdrawn successor follows up nothing
    assert followed(reg, date(2029, 1, 1)) == {old.number: new.number}
    reg.withdraw(new.number, on=TODAY, today=TODAY)
    assert followed(reg) == {}


def test_a_withdrawn_entry_is_followed_up_by_nothing(reg: Register) -> None:
    old = grant(reg, "2025-01", HOST, date(2025, 11, 20))
    reg.withdraw(old.number, on=date(2026, 3, 1))
    grant(reg, "2026-01", HOST, date(2026, 11, 30))
    assert followed(reg) == {}


def test_a_registration_does_not_follow_up_a_certificate(reg: Register) -> None:
    old = grant(reg, "2025-01", HOST, date(2025, 11, 20), kind=Advice.CERTIFICATE)
    grant(reg, "2026-01", HOST, date(2026, 11, 30))
    assert followed(reg) == {}
    newest = grant(reg, "2027-01", HOST, date(2027, 5, 1), kind=Advice.CERTIFICATE)
    assert followed(reg) == {old.number: newest.number, "KSW-2026-0001": newest.number}


def test_only_the_same_scope_or_the_whole_organisation_follows_up(reg: Register) -> None:
    youth = grant(reg, "2025-01", HOST, date(2025, 11, 20), scope="Jongerenwerk")
    grant(reg, "2026-01", HOST, date(2026, 11, 30), scope="Wijkteams")
    assert followed(reg) == {}
    again = grant(reg, "2026-02", HOST, date(2026, 12, 1), scope="jongerenwerk")
    assert followed(reg) == {youth.number: again.number}
    whole = grant(reg, "2027-01", HOST, date(2027, 5, 1))
    assert followed(reg) == {youth.number: whole.number, again.number: whole.number,
                             "KSW-2026-0001": whole.number}


def test_a_new_name_is_the_same_organisation_by_its_organisatie_id(reg: Register) -> None:
    old = grant(reg, "2025-01", OLD_NAME, date(2025, 11, 20), organisation_id="11111111")
    new = grant(reg, "2026-01", NEW_NAME, date(2026, 11, 30), organisation_id="11.11.11.11")
    assert followed(reg) == {old.number: new.number}


def test_without_a_shared_id_another_name_is_another_organisation(reg: Register) -> None:
    grant(reg, "2025-01", OLD_NAME, date(2025, 11, 20), organisation_id="11111111")
    grant(reg, "2026-01", NEW_NAME, date(2026, 11, 30))
    assert followed(reg) == {}


def test_one_name_with_two_organisatie_ids_is_never_taken_as_one(reg: Register) -> None:
    grant(reg, "2025-01", HOST, date(2025, 11, 20), organisation_id="11111111")
    grant(reg, "2026-01", HOST, date(2026, 11, 30), organisation_id="22222222")
    assert followed(reg) == {}
    # an entry without an id (kwl register add) under a name that two ids share: no answer
    reg.record(assessment_id="2027-01", organisation=Organisation(name=HOST),
               variant=Variant.PEER_REVIEW, scope="", kind=Advice.REGISTRATION,
               granted_on=date(2027, 5, 1), valid_until=date(2030, 4, 30),
               today=date(2027, 5, 1))
    assert followed(reg) == {}


# --- the CLI ---------------------------------------------------------------------------------


def _cli_register(path: Path) -> tuple[Entry, Entry, Entry]:
    """Relative to the real today (the CLI's): an entry that runs out in 10 days and whose
    organisation was granted again under a new name, one that runs out in 25 days without a
    successor, and the successor."""
    today = date.today()
    with Register(path) as reg:
        old = grant(reg, "2025-01", OLD_NAME, today - timedelta(days=1000),
                    valid_until=today + timedelta(days=10), organisation_id="11111111")
        alone = grant(reg, "2025-02", "Welzijn Zuid (fictief)", today - timedelta(days=900),
                      valid_until=today + timedelta(days=25))
        new = grant(reg, "2026-01", NEW_NAME, today - timedelta(days=10),
                    kind=Advice.CERTIFICATE, organisation_id="11.11.11.11")
    return old, alone, new


def test_cli_list_and_show_say_which_entry_follows_up(tmp_path: Path) -> None:
    path = tmp_path / "register.sqlite"
    old, alone, new = _cli_register(path)
    listed = run_cli("register", "list", "--register", str(path))
    assert listed.exit_code == 0, listed.output
    lines = {line.split()[0]: line for line in listed.output.splitlines() if "KSW-" in line}
    said = T.REGISTER_CLI_SUCCEEDED_NAMED.format(number=new.number, organisation=NEW_NAME,
                                                 valid_until=new.valid_until.isoformat())
    assert lines[old.number].endswith(said)
    assert "opgevolgd" not in lines[alone.number] + lines[new.number]
    # still active, as it is
    assert " actief " in lines[old.number]
    shown = run_cli("register", "show", old.number, "--register", str(path))
    assert shown.exit_code == 0, shown.output
    value = T.REGISTER_SHOW_SUCCEEDED_NAMED.format(
        number=new.number, organisation=NEW_NAME, valid_until=T.format_date(new.valid_until))
    assert any(line.startswith(T.REGISTER_HEADERS["successor"]) and line.endswith(value)
               for line in shown.output.splitlines()), shown.output
    assert T.REGISTER_HEADERS["successor"] not in run_cli(
        "register", "show", new.number, "--register", str(path)).output


def test_cli_expiring_lists_a_followed_up_entry_apart(tmp_path: Path) -> None:
    path = tmp_path / "register.sqlite"
    old, alone, new = _cli_register(path)
    result = run_cli("register", "expiring", "--within", "30", "--register", str(path))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    # first what the secretariat has to chase (one entry), then what was granted again
    assert lines[0].startswith("1 actieve inschrijving verloopt binnen 30 dagen")
    assert lines[1].startswith(alone.number) and "opgevolgd" not in lines[1]
    assert lines[2].startswith(T.REGISTER_CLI_EXPIRING_SUCCEEDED[0].split(" die ")[0]
                               .format(count="1 actieve inschrijving"))
    assert lines[3].startswith(old.number) and new.number in lines[3]
    assert len(lines) == 4
    # nothing left to chase: said so, and the followed-up entry still shown
    only = run_cli("register", "expiring", "--within", "15", "--register", str(path))
    assert only.exit_code == 0, only.output
    assert only.output.splitlines()[0] == T.REGISTER_CLI_EXPIRING_NONE_OPEN.format(
        days="15 dagen")
    assert old.number in only.output and alone.number not in only.output


# --- a round: two organisations assessed again ------------------------------------------------


def test_a_round_that_grants_again_follows_up_the_previous_entry(tmp_path: Path) -> None:
    first = shared_round(tmp_path / "ronde-2026", "Ronde 2026", [
        row("2026-001", OLD_NAME, "intercollegiaal", reviewers="Welzijn Noord; Welzijn West",
            decision="toekennen") | {"organisation_id": "11111111"}])
    run(first, "V", date(2026, 11, 1))
    second = shared_round(tmp_path / "ronde-2027", "Ronde 2027", [
        row("2027-001", NEW_NAME, "audit", ci=CI, decision="toekennen")
        | {"organisation_id": "11.11.11.11"}])
    run(second, "V", date(2027, 11, 1))
    with Register(tmp_path / "register.sqlite") as reg:
        entries = {e.assessment_id: e for e in reg.entries(today=date(2027, 11, 2))}
        assert {e.status for e in entries.values()} == {Status.ACTIVE}
        assert followed(reg, date(2027, 11, 2)) == {
            entries["2026-001"].number: entries["2027-001"].number}


# --- a round: why there is no "Sinds de vorige keer" -----------------------------------------


def _one(folder: Any, rating: str, day: date) -> Any:
    [result] = run(folder, rating, day).results
    return result


def test_two_rounds_on_one_day_say_why_there_is_no_comparison(tmp_path: Path) -> None:
    day = date(2026, 11, 1)
    first = shared_round(tmp_path / "ronde-a", "Ronde A", [
        row("a-1", HOST, "audit", ci=CI) | {"organisation_id": "999"}])
    assert _one(first, "D", day).note == ""  # nothing before it: nothing to say
    second = shared_round(tmp_path / "ronde-b", "Ronde B", [
        row("b-1", HOST, "audit", ci=CI) | {"organisation_id": "999"}])
    made = _one(second, "V", day)
    # the selection stays (a day both share decides nothing), and the console says so
    assert not any("Sinds" in line for line in lines_of(second, "b-1", "auditrapport.docx"))
    assert T.HISTORY_SAME_DAY.format(
        assessment="a-1", what=T.HISTORY_DAY_KNOWN_BY["issued"],
        day=T.format_date(day)) in made.note
    # a day later, round a reported again: nothing to remake (b is no previous of a either)
    again = report_round(first, today=day + timedelta(days=1))
    assert [r.status for r in again.results] == [T.REPORT_SKIPPED]
    # a round a day later compares with the latest of the two, and has nothing to explain
    third = shared_round(tmp_path / "ronde-c", "Ronde C", [
        row("c-1", HOST, "audit", ci=CI) | {"organisation_id": "999"}])
    later = _one(third, "V", day + timedelta(days=1))
    assert "niet vergeleken" not in later.note
    assert any("Sinds Ronde B" in line for line in lines_of(third, "c-1", "auditrapport.docx"))


def test_the_register_names_the_assessment_it_passed_over(reg: Register) -> None:
    # kept by an older kwl (no last_issued: its day of reporting counts), and two of 2026
    reg.remember_result({"assessment_id": "old", "catalogue_id": "c", "catalogue_version": "v"},
                        organisation=HOST, round="Ronde 2025", reported_on=date(2026, 11, 5))
    reg.remember_result(done("same", date(2026, 11, 3)), organisation=HOST,
                        round="Ronde 2026a", reported_on=date(2026, 11, 6))
    reg.remember_result(done("mine", date(2026, 11, 3)), organisation=HOST,
                        round="Ronde 2026b", reported_on=date(2026, 11, 6))

    def passed(day: date, round_: str = "Ronde 2026b") -> str | None:
        found = reg.passed_over_result(assessment_id="mine", organisation=HOST,
                                       before=date(2026, 12, 1), round=round_,
                                       assessed_on=day)
        return found.assessment_id if found else None

    # the nearest day first: the one of the same day, then the later one
    assert passed(date(2026, 11, 3)) == "same"
    assert passed(date(2026, 11, 4)) == "old"
    # never its own round (two scopes of one round are not each other's previous)
    assert passed(date(2026, 11, 3), "Ronde 2026a") == "old"
    assert passed(date(2026, 11, 6)) is None
