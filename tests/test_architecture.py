"""The package's shape: imports go one way, modules stay small, the statistics stay pure."""

import ast
from pathlib import Path

import pytest

import biasaudit

PACKAGE = Path(biasaudit.__file__).parent


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set:
    """Every biasaudit module a file imports, at module level or inside functions."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.startswith("biasaudit"):
                if node.module:
                    out.add(target)
                # "from . import x" imports submodule x (or a name of the package, resolved below)
                out.update(f"{target}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.startswith("biasaudit"))
    return out


def _graph() -> dict:
    files = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph = {}
    for name, path in files.items():
        deps = set()
        for target in _imports(path):
            # an import of a package's attribute resolves to the deepest existing module
            while target not in files and "." in target:
                target = target.rpartition(".")[0]
            if target in files and target != name:
                deps.add(target)
        graph[name] = deps
    return graph


def _cycle(graph):
    state, stack = {}, []

    def visit(node):
        state[node] = "open"
        stack.append(node)
        for dep in sorted(graph[node]):
            if state.get(dep) == "open":
                return stack[stack.index(dep):] + [dep]
            if dep not in state:
                found = visit(dep)
                if found:
                    return found
        stack.pop()
        state[node] = "done"
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def test_no_import_cycle_anywhere_in_the_package():
    graph = _graph()
    # A package's __init__ re-exports its submodules: importing the package is importing them,
    # so an edge into a package is followed into its __init__ like any other module.
    assert _cycle(graph) is None, " -> ".join(_cycle(graph))


def test_the_cycle_check_can_fail():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_statistics_of_counts_import_only_numpy_scipy_and_their_own_helpers():
    allowed_internal = {"biasaudit._stats", "biasaudit._validation", "biasaudit.exceptions"}
    for path in (PACKAGE / "_stats").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                roots = {a.name.split(".")[0] for a in node.names}
                # pandas only inside a method that builds a frame for display (to_frame)
                assert roots <= {"numpy", "scipy", "math", "numbers", "warnings", "dataclasses", "typing",
                                 "functools", "itertools", "collections", "pandas"}, (path.name, roots)
                if "pandas" in roots:
                    assert node.col_offset > 0, f"{path.name} imports pandas at module level"
        for target in _imports(path):
            assert any(target == a or target.startswith(a + ".") for a in allowed_internal), (path.name, target)


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_modules_stay_small(path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 650, "split this module by concept"


def test_importing_the_package_and_the_command_line_loads_no_data_library():
    import subprocess
    import sys

    code = ("import sys, biasaudit, biasaudit.cli._parser; "
            "heavy = {'pandas', 'numpy', 'scipy', 'matplotlib', 'jinja2', 'pyarrow'} & set(sys.modules); "
            "print(sorted(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"


def test_the_command_line_task_choices_are_the_library_s():
    from biasaudit._tasks import TASKS
    from biasaudit.cli._constants import TASKS as CLI_TASKS

    assert CLI_TASKS == TASKS
