"""The modules' imports point one way: from a later stage to an earlier one, never back.

Every import of every module under ``src/mscmine`` is read with `ast`, imports inside functions
included (a lazy import is still a dependency: it only hides a loop until run time). A module
may import modules of its own stage and of earlier ones; no module imports one of a later stage,
and no chain of imports leads back to where it started. The evaluation may use anything; only
the command line and the package's ``__init__`` use it, and only inside functions.
"""

from __future__ import annotations

import ast
from fnmatch import fnmatchcase
from pathlib import Path

import pytest

import mscmine

PACKAGE = Path(mscmine.__file__).resolve().parent

#: the stages, earliest first: (stage, module ids); ``mscmine`` is the package's ``__init__``
STAGES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("input", ("errors", "document", "normalize", "mention", "evidence", "schema", "sentences", "scan",
               "references", "loaders", "loaders.*")),
    ("vocabulary and extractors", ("lexicon", "terms", "tables", "extractors", "extractors.*")),
    ("mentions", ("mentions",)),
    ("studies", ("article", "studies", "placement")),
    ("records", ("records",)),
    ("core", ("core",)),
    ("front ends", ("writers", "summary", "viewer", "batch", "progress", "pipeline")),
    ("api", ("api",)),
    ("evaluation", ("evaluation", "evaluation.*")),
    ("package", ("mscmine",)),
    ("cli", ("cli",)),
)
#: who may import the evaluation (inside functions only)
EVALUATION_USERS = ("cli", "mscmine")


def _module_ids() -> dict[str, Path]:
    """Module id (``batch``, ``extractors.outcomes``, ``mscmine`` for the package) → file."""
    ids = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        ids[".".join(parts) or "mscmine"] = path
    return ids


MODULES = _module_ids()


def _package_of(module: str) -> list[str]:
    """The package a module's relative imports start from, as id parts ([] for mscmine)."""
    parts = [] if module == "mscmine" else module.split(".")
    return parts if MODULES[module].name == "__init__.py" else parts[:-1]


def _target(dotted: list[str]) -> str | None:
    """The module id of ``mscmine.<dotted>``, or None when it is no module of the package."""
    name = ".".join(dotted) or "mscmine"
    return name if name in MODULES else None


def imports_of(module: str) -> list[tuple[str, int, bool]]:
    """(module id imported, line, inside a function?) for each import of `module` within the package."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    found: list[tuple[str, int, bool]] = []

    def visit(node: ast.AST, lazy: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import):
                for alias in child.names:
                    if alias.name == "mscmine" or alias.name.startswith("mscmine."):
                        target = _target(alias.name.split(".")[1:])
                        if target:
                            found.append((target, child.lineno, lazy))
            elif isinstance(child, ast.ImportFrom):
                named = child.module.split(".") if child.module else []
                if child.level:  # relative: from the module's package, one level up per extra dot
                    base = _package_of(module)
                    where = base[: len(base) - (child.level - 1)] + named
                elif named[:1] == ["mscmine"]:
                    where = named[1:]
                else:
                    where = None
                for alias in child.names if where is not None else ():
                    # `from . import errors` names a module; `from .x import y` a name in x
                    target = _target(where + [alias.name]) or _target(where)
                    if target:
                        found.append((target, child.lineno, lazy))
            visit(child, lazy or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)))

    visit(tree, False)
    return found


def stage_of(module: str) -> int | None:
    """The index of `module`'s stage in `STAGES` (None when no stage lists it)."""
    for i, (_, patterns) in enumerate(STAGES):
        if any(fnmatchcase(module, p) for p in patterns):
            return i
    return None


def test_every_module_has_a_stage():
    missing = [m for m in MODULES if stage_of(m) is None]
    assert not missing, f"put these modules in a stage of STAGES: {', '.join(missing)}"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_point_to_earlier_stages(module):
    mine = stage_of(module)
    later = [f"{module} ({STAGES[mine][0]}) imports {target} ({STAGES[stage_of(target)][0]}, a later stage) "
             f"at line {line}" + (" inside a function" if lazy else "")
             for target, line, lazy in imports_of(module)
             if stage_of(target) is not None and stage_of(target) > mine]
    assert not later, "\n".join(later)


def _cycles() -> list[list[str]]:
    """Each import loop once, as the modules along it (lazy imports count)."""
    graph = {m: sorted({t for t, _, _ in imports_of(m) if t != m}) for m in MODULES}
    loops, seen = [], set()

    def walk(path: list[str]) -> None:
        for nxt in graph[path[-1]]:
            if nxt == path[0]:
                key = frozenset(path)
                if key not in seen:
                    seen.add(key)
                    loops.append(path + [nxt])
            elif nxt not in path and nxt > path[0]:  # each loop found from its smallest module
                walk(path + [nxt])

    for m in sorted(graph):
        walk([m])
    return loops


def test_no_import_loops():
    loops = _cycles()
    assert not loops, "import loops:\n" + "\n".join(" -> ".join(loop) for loop in loops)


@pytest.mark.parametrize("module", sorted(m for m in MODULES if not fnmatchcase(m, "evaluation*")))
def test_only_the_front_door_uses_the_evaluation(module):
    uses = [(t, line, lazy) for t, line, lazy in imports_of(module) if fnmatchcase(t, "evaluation*")]
    if module in EVALUATION_USERS:
        eager = [f"{module} imports {t} at line {line}, outside a function" for t, line, lazy in uses if not lazy]
        assert not eager, "\n".join(eager)
    else:
        assert not uses, f"{module} imports the evaluation ({', '.join(t for t, _, _ in uses)}); only {EVALUATION_USERS} may"


def test_imports_are_read_inside_functions_too():
    """The reader sees a lazy import (the kind that hid the api ↔ batch loop)."""
    lazy = {t for t, _, is_lazy in imports_of("cli") if is_lazy}
    assert {"batch", "viewer", "evaluation.scorer"} <= lazy
    assert ("mscmine", True) not in {(t, lz) for t, _, lz in imports_of("cli")}  # `from . import __version__`: at the top
