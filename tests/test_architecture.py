"""The house: packages by concern, lower layers never import higher ones, no import cycle,
and the command line starts without the heavy libraries (ARCHITECTURE.md)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "kwl_office"

#: the layers, lowest first; a module may import its own layer and the layers below
LAYERS: list[tuple[str, ...]] = [
    ("_version", "errors", "texts_nl", "dutch", "names", "kinds", "places", "atomic", "yamltext",
     "findings",
     "assessment", "identity"),
    ("catalogue",),
    ("excel",),
    ("consolidation",),
    ("register", "benchmark"),
    ("documents", "route"),
    ("batch",),
    ("xl",),
    ("cli",),
]
#: imports across layers that are allowed on purpose, with the reason in ARCHITECTURE.md
EXCEPTIONS = {("catalogue.xlsx", "excel.style")}  # the house style is a leaf


def _layer(module: str) -> int:
    top = module.split(".")[0]
    return next(i for i, names in enumerate(LAYERS) if top in names)


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if parts:
            found[".".join(parts)] = path
    return found


def _top_level_imports(path: Path) -> set[str]:
    """kwl_office modules imported when the module is imported (not inside functions, not
    under TYPE_CHECKING)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()

    def visit(nodes: list[ast.stmt]) -> None:
        for node in nodes:
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.dump(node.test):
                continue
            if isinstance(node, ast.Import):
                found.update(a.name for a in node.names if a.name.startswith("kwl_office."))
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                    "kwl_office"):
                module = node.module or ""
                if module == "kwl_office":
                    found.update(f"kwl_office.{a.name}" for a in node.names)
                else:
                    found.add(module)
            elif isinstance(node, ast.If | ast.Try):
                visit(node.body)

    visit(tree.body)
    return {name.removeprefix("kwl_office.") for name in found}


def test_lower_layers_never_import_higher_ones() -> None:
    wrong = []
    for module, path in _modules().items():
        for imported in _top_level_imports(path):
            if (module, imported) in EXCEPTIONS:
                continue
            if _layer(imported) > _layer(module):
                wrong.append(f"{module} → {imported}")
    assert wrong == []


def test_nothing_imports_the_command_line() -> None:
    users = [module for module, path in _modules().items() if not module.startswith("cli")
             and any(i.split(".")[0] == "cli" for i in _top_level_imports(path))]
    assert users == []


def test_no_import_cycle() -> None:
    modules = _modules()
    graph = {m: {i for i in _top_level_imports(p) if i in modules} for m, p in modules.items()}
    # a package's __init__ importing its own submodules is how re-exports work, not a cycle
    for module, imports in graph.items():
        graph[module] = {i for i in imports if not i.startswith(module + ".")}
    visiting: list[str] = []
    done: set[str] = set()

    def visit(module: str) -> None:
        if module in done:
            return
        assert module not in visiting, " → ".join([*visiting[visiting.index(module):], module])
        visiting.append(module)
        for imported in sorted(graph[module]):
            visit(imported)
        visiting.pop()
        done.add(module)

    for module in sorted(graph):
        visit(module)


def test_the_command_line_starts_without_the_heavy_libraries() -> None:
    heavy = ("matplotlib", "numpy", "docxtpl", "docx", "pyopenvba", "openpyxl",
             "python_calamine", "pydantic")
    code = ("import sys, kwl_office.cli; "
            f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({heavy!r})))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[]"


def test_no_module_is_too_long_without_a_reason() -> None:
    long = []
    for module, path in _modules().items():
        text = path.read_text(encoding="utf-8")
        if text.count("\n") > 600 and "Longer than" not in text[:3000]:
            long.append(module)
    assert long == []
