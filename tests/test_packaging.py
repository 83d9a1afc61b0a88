"""The package as a user installs it (issue 13): a non-editable install runs a corpus from another folder, with
its rule data and report templates shipped inside it; the layout keeps its promises."""
import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "pipeline"


def test_non_editable_install_runs_a_corpus_from_another_folder(tmp_path):
    src, site = tmp_path / "src", tmp_path / "site"   # built from a copy: the build leaves nothing in the repo
    for part in ("pipeline", "models"):
        shutil.copytree(ROOT / part, src / part, ignore=shutil.ignore_patterns("__pycache__"))
    for part in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / part, src / part)
    build = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
                            "--no-index", "--target", str(site), str(src)],
                           capture_output=True, text=True, timeout=600)
    assert build.returncode == 0, build.stderr[-3000:]
    assert (site / "pipeline" / "models" / "units.yaml").exists(), "rule data ships with the package"
    assert list((site / "pipeline" / "report" / "templates").glob("*.j2")), "report templates ship with it"
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "note.ja.txt").write_text("北朝鮮は2024年に約1万1000人の兵士をロシアに派遣した。\n", encoding="utf-8")
    (corpus / "note.en.txt").write_text("North Korea sent about 11,000 soldiers to Russia in 2024.\n", encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "PIPELINE_MODELS_DIR"}
    env.update(PYTHONPATH=str(site), PREFECT_HOME=str(tmp_path / "prefect-home"))
    where = subprocess.run([sys.executable, "-c", "import pipeline, pipeline.core.rules as r; "
                            "print(pipeline.__file__); print(r.MODELS_DIR)"],
                           cwd=elsewhere, env=env, capture_output=True, text=True, timeout=120)
    module_file, models = where.stdout.split()
    assert module_file.startswith(str(site)) and models.startswith(str(site)), where.stdout
    run = subprocess.run([sys.executable, "-m", "pipeline", "run", "--corpus", str(corpus), "--out", "out",
                          "--workers", "1", "--quiet"], cwd=elsewhere, env=env, capture_output=True, text=True,
                         timeout=600)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    claims = (elsewhere / "out" / "claims.csv").read_text(encoding="utf-8-sig")
    assert "1万1000人" in claims and "11,000 soldiers" in claims
    assert (elsewhere / "out" / "report.html").exists()
    shutil.rmtree(site)


def _module_names() -> set[str]:
    return {".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
            for p in PACKAGE.rglob("*.py")}


def _imports(path: Path) -> set[str]:
    """Modules ``path`` imports (``from pkg import submodule`` counts as the submodule, not the package)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    modules, found = _module_names(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            subs = {f"{node.module}.{a.name}" for a in node.names} & modules
            found |= subs
            if len(subs) < len(node.names):
                found.add(node.module)
    return found


def test_only_orchestration_imports_prefect_or_dask():
    for path in PACKAGE.rglob("*.py"):
        if "orchestrate" in path.relative_to(PACKAGE).parts:
            continue
        heavy = {m for m in _imports(path) if m.split(".")[0] in ("prefect", "prefect_dask", "dask", "distributed")}
        assert not heavy, f"{path.relative_to(ROOT)} imports {sorted(heavy)}"


def test_no_module_over_600_lines():
    long_ = {str(p.relative_to(ROOT)): n for p in PACKAGE.rglob("*.py")
             if (n := len(p.read_text(encoding="utf-8").splitlines())) > 600}
    assert not long_


def test_no_import_circles_between_modules():
    modules = {".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__"): p
               for p in PACKAGE.rglob("*.py")}   # name -> file
    graph = {m: {i for i in _imports(p) if i in modules and i != m} for m, p in modules.items()}

    def cycle_from(start):
        stack, seen = [(start, [start])], set()
        while stack:
            node, path = stack.pop()
            for nxt in graph[node]:
                if nxt == start:
                    return path + [start]
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append((nxt, path + [nxt]))
        return None

    # a package's __init__ re-exporting its own submodules is not a circle of logic
    for m in modules:
        cyc = cycle_from(m)
        if cyc and not all(a.startswith(b + ".") or b.startswith(a + ".") for a, b in zip(cyc, cyc[1:])):
            raise AssertionError(" -> ".join(cyc))


def test_code_fingerprint_covers_modules_in_subpackages(tmp_path, monkeypatch):
    from pipeline.orchestrate import cache

    copy = tmp_path / "pipeline"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(cache, "__file__", str(copy / "orchestrate" / "cache.py"))
    cache._code_fingerprint.cache_clear()
    before = cache._code_fingerprint()
    deep = copy / "lang" / "ja" / "roles.py"
    deep.write_text(deep.read_text(encoding="utf-8") + "\n# an edit deep in a subpackage\n", encoding="utf-8")
    cache._code_fingerprint.cache_clear()
    try:
        assert cache._code_fingerprint() != before, "an edit inside a subpackage must invalidate the cache"
    finally:
        cache._code_fingerprint.cache_clear()
