"""A small static check of VBA source, for the modules in ``macros/``.

What a static check can find without Excel: ``Option Explicit`` at the top; blocks that open
and close in the right order (Sub/Function/Property, block If/ElseIf/Else, For/Next,
Do/Loop, While/Wend, With, Select Case); ``Exit`` inside what it exits; and every identifier
either declared (module or procedure level, parameters, the function's own name), a
procedure of the project, a VBA keyword or type, or a built-in from the list below. Member
names after a dot and named arguments (``After:=``) are not checked: they belong to Excel's
object model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

KEYWORDS = frozenset("""
And As Boolean ByRef ByVal Call Case Const Currency Date Dim Do Double Each Else ElseIf End
Error Exit Explicit False For Friend Function Get GoTo If In Integer Is Let Like Long Loop Me
Mod New Next Not Nothing Object Of On Option Optional Or Private Property Public ReDim Resume
Select Set Single Static Step String Sub Then To True Until Variant Wend While With Xor Empty
Null Collection Range Worksheet Workbook
""".split())

BUILTINS = frozenset("""
Application ActiveCell ActiveSheet ActiveWorkbook Array CLng CStr ChrW Err Format$ Int IsEmpty
IsError LCase$ Left$ Len MsgBox Mid$ Now Replace ThisWorkbook Trim$ vbCr vbCrLf vbExclamation
vbInformation vbLf vbTab xlSheetVisible xlToLeft xlUp vbCritical vbYesNo vbYes Dir Chr
""".split())

_PROCEDURE = re.compile(
    r"^(?:(?:Public|Private|Friend)\s+)?(?:Static\s+)?(Sub|Function|Property\s+(?:Get|Let|Set))"
    r"\s+(\w+)\s*(?:\((.*)\))?(?:\s+As\s+\w+)?$", re.IGNORECASE)
_DECLARATION = re.compile(r"^(?:Dim|Private|Public|Static|Const|ReDim)\s+(?!Sub\b|Function\b"
                          r"|Property\b|Const\b)(.*)$", re.IGNORECASE)
_CONST = re.compile(r"^(?:(?:Private|Public)\s+)?Const\s+(.*)$", re.IGNORECASE)
_LABEL = re.compile(r"^\w+:$")
#: first word(s) of a statement that open a block → the block (block If is apart: "Then" last)
_OPENERS = {"for": "for", "do": "do", "while": "while", "with": "with", "select case": "select"}
#: first word(s) that close one
_CLOSERS = {"end if": "if", "next": "for", "loop": "do", "wend": "while", "end with": "with",
            "end select": "select"}
#: statements that only stand inside a block
_INSIDE = {"elseif": "if", "else": "if", "case": "select"}
_IDENTIFIER = re.compile(r"(?<![\w.])([A-Za-z]\w*\$?)(?!\w)")


@dataclass
class Problem:
    line: int
    message: str

    def __str__(self) -> str:
        return f"regel {self.line}: {self.message}"


@dataclass
class _Procedure:
    kind: str
    name: str
    declared: set[str] = field(default_factory=set)


def logical_lines(source: str) -> list[tuple[int, str]]:
    """(first physical line number, statement) without comments, string contents or
    continuation breaks."""
    result: list[tuple[int, str]] = []
    pending, start = "", 0
    for number, raw in enumerate(source.replace("\r\n", "\n").split("\n"), start=1):
        line = _strip_comment(raw).rstrip()
        if not pending:
            start = number
        if line.endswith(" _"):
            pending += line[:-2] + " "
            continue
        statement = (pending + line).strip()
        pending = ""
        if statement and not statement.startswith("Attribute VB_"):
            result.append((start, statement))
    return result


def _strip_comment(line: str) -> str:
    """The line without its comment; string contents replaced by nothing (``""``)."""
    out, in_string, i = [], False, 0
    while i < len(line):
        ch = line[i]
        if in_string:
            if ch == '"' and line[i + 1:i + 2] == '"':
                i += 2
                continue
            if ch == '"':
                in_string = False
                out.append('"')
        elif ch == '"':
            in_string = True
            out.append('"')
        elif ch == "'":
            break
        else:
            out.append(ch)
        i += 1
    text = "".join(out)
    return "" if re.match(r"^\s*Rem\b", text, re.IGNORECASE) else text


def _names(declaration: str) -> set[str]:
    """Names in ``a As Long, b, c As New Collection`` / a parameter list / ``X = 5``."""
    names = set()
    for part in re.split(r",(?![^(]*\))", declaration):
        # "Optional ByVal x": the modifiers may stand together
        part = re.sub(r"^\s*((Optional|ByVal|ByRef|ParamArray|WithEvents)\s+)+", "",
                      part.strip(), flags=re.IGNORECASE)
        match = re.match(r"(\w+\$?)", part)
        if match:
            names.add(match.group(1).casefold())
    return names


def check(source: str, *, other_procedures: frozenset[str] = frozenset()) -> list[Problem]:
    """Every problem found in one module's source (empty: nothing found)."""
    lines = logical_lines(source)
    problems: list[Problem] = []
    if not lines or lines[0][1].casefold() != "option explicit":
        problems.append(Problem(lines[0][0] if lines else 1,
                                "Option Explicit moet de eerste opdracht zijn"))
    procedures = {m.group(2).casefold() for _, s in lines if (m := _PROCEDURE.match(s))}
    procedures |= {p.casefold() for p in other_procedures}
    module_names: set[str] = set()
    stack: list[tuple[str, int]] = []
    current: _Procedure | None = None
    known = {w.casefold() for w in KEYWORDS | BUILTINS}

    def close(kind: str, number: int) -> None:
        if not stack or stack[-1][0] != kind:
            opened = f"{stack[-1][0]} (regel {stack[-1][1]})" if stack else "niets"
            problems.append(Problem(number, f"'End/Next/Loop' van {kind}, maar open is {opened}"))
        else:
            stack.pop()

    for number, statement in lines:
        words = statement.split()
        first = words[0].casefold()
        if _LABEL.match(statement):
            continue
        if match := _PROCEDURE.match(statement):
            if current is not None:
                problems.append(Problem(number, f"{match.group(2)} begint binnen {current.name}"))
            kind = match.group(1).split()[0].casefold()
            current = _Procedure(kind, match.group(2).casefold())
            current.declared |= _names(match.group(3) or "")
            stack.append((kind, number))
            continue
        if re.match(r"^End\s+(Sub|Function|Property)$", statement, re.IGNORECASE):
            kind = words[1].casefold()
            close(kind, number)
            current = None
            continue
        if const := _CONST.match(statement):
            declared = _names(const.group(1))
            (current.declared if current else module_names).update(declared)
            _check_identifiers(number, re.sub(r"^\w+\s+(As\s+\w+\s*)?=", "",
                                              const.group(1)), problems, set(), known)
            continue
        if declaration := _DECLARATION.match(statement):
            if current is None:
                module_names |= _names(declaration.group(1))
            else:
                current.declared |= _names(declaration.group(1))
            continue
        if current is None:
            if first not in ("option",):
                problems.append(Problem(number, f"opdracht buiten een procedure: {statement}"))
            continue
        # blocks
        head = " ".join(words[:2]).casefold()
        if first == "if" and re.search(r"\bThen$", statement, re.IGNORECASE):
            stack.append(("if", number))
        elif first in _INSIDE:
            if first != "else" or len(words) == 1:
                if not stack or stack[-1][0] != _INSIDE[first]:
                    problems.append(Problem(number, f"{words[0]} buiten een "
                                                    f"{_INSIDE[first]}-blok"))
        elif head in _CLOSERS or first in _CLOSERS:
            close(_CLOSERS.get(head) or _CLOSERS[first], number)
        elif head in _OPENERS or first in _OPENERS:
            stack.append((_OPENERS.get(head) or _OPENERS[first], number))
        elif first == "exit" and len(words) > 1:
            if words[1].casefold() not in {kind for kind, _ in stack}:
                problems.append(Problem(number, f"Exit {words[1]} buiten een {words[1]}"))
        # identifiers
        scope = module_names | current.declared | {current.name} | procedures
        _check_identifiers(number, statement, problems, scope, known)
    for kind, number in stack:
        problems.append(Problem(number, f"{kind} wordt niet gesloten"))
    return problems


def _check_identifiers(number: int, statement: str, problems: list[Problem], scope: set[str],
                       known: set[str]) -> None:
    text = re.sub(r'"[^"]*"', '""', statement)
    text = re.sub(r"\b\w+:=", "", text)  # named arguments belong to the called member
    text = re.sub(r"\bAs\s+(New\s+)?\w+", "", text, flags=re.IGNORECASE)
    text = re.sub(r"^\s*(?:GoTo|Resume|On Error GoTo)\s+\w+$", "", text, flags=re.IGNORECASE)
    text = re.sub(r"\bOn\s+Error\s+(GoTo\s+\w+|Resume\s+Next|GoTo\s+0)", "", text,
                  flags=re.IGNORECASE)
    for match in _IDENTIFIER.finditer(text):
        name = match.group(1).casefold()
        if name not in scope and name not in known and not name.isdigit():
            problems.append(Problem(number, f"'{match.group(1)}' is niet gedeclareerd"))
