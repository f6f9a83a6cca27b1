"""Security: no unsafe deserialisation or code execution on data, escaped output in the app, user paths that
never leave corpus/, a localhost-only app, and a clean `ruff --select S` (findings justified in
docs/reliability.md)."""

from __future__ import annotations

import ast
import builtins
import contextlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from conftest import REPORT_META, REPORT_TXT, FakeEmbedder, copy_index

from rekenqa import build, pipeline, render
from rekenqa.errors import NotFound
from rekenqa.pipeline import Engine, build_index
from rekenqa.settings import PROJECT_ROOT, Settings

APP = PROJECT_ROOT / "app.py"
SOURCES = sorted((PROJECT_ROOT / "src" / "rekenqa").rglob("*.py")) + ([APP] if APP.is_file() else [])
# ruff findings that are accepted, each justified in docs/reliability.md ("ruff --select S").
ACCEPTED_RUFF = {"S101"}


# ------------------------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def report_settings(report_index: Settings, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """This module's copy of the session's report index."""
    return copy_index(report_index, tmp_path_factory.mktemp("security"))


@pytest.fixture(scope="module")
def engine(report_settings: Settings) -> Engine:
    return Engine.open(report_settings, embedder=FakeEmbedder(), auto_build=False)


def small_corpus(corpus: Path, pages: int = 6) -> None:
    lines = REPORT_TXT.read_text(encoding="utf-8").split("\n")
    starts = [i for i, line in enumerate(lines) if re.match(r"^ [^ ]", line)]
    corpus.mkdir(parents=True, exist_ok=True)
    (corpus / REPORT_TXT.name).write_text("\n".join(lines[: starts[pages]]), encoding="utf-8")
    shutil.copy(REPORT_META, corpus / REPORT_META.name)


# =========================================================================================== static checks

DANGEROUS_MODULES = {"pickle", "cPickle", "_pickle", "marshal", "shelve", "dill", "cloudpickle", "joblib"}
NETWORK_MODULES = {"requests", "httpx", "aiohttp", "urllib.request", "http.client", "socket", "ftplib", "smtplib"}


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return ""


def _kw(call: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


def _is_const(node: ast.expr | None, value: object) -> bool:
    return isinstance(node, ast.Constant) and node.value is value


def unsafe_calls(source: str, filename: str = "<src>") -> list[str]:
    """Calls that deserialise or execute data unsafely, found with ast (not grep: comments and strings do
    not count, aliases like ``np.load`` and ``numpy.load`` do)."""
    found = []
    tree = ast.parse(source, filename)
    for node in ast.walk(tree):
        where = f"{filename}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            for name in names:
                if name.split(".")[0] in DANGEROUS_MODULES:
                    found.append(f"{where} import {name}")
                if name in NETWORK_MODULES or name.split(".")[0] in {"requests", "httpx", "aiohttp", "socket"}:
                    found.append(f"{where} network import {name}")
        if not isinstance(node, ast.Call):
            continue
        name = _dotted(node.func)
        last = name.rsplit(".", 1)[-1]
        if name in ("eval", "exec", "compile", "__import__", "builtins.eval", "builtins.exec"):
            found.append(f"{where} {name}()")
        elif name.split(".")[0] in DANGEROUS_MODULES and last in ("load", "loads", "Unpickler", "open"):
            found.append(f"{where} {name}()")
        elif last in ("load", "unsafe_load", "full_load") and name.split(".")[0] in ("yaml", "ruamel"):
            loader = _kw(node, "Loader")
            if last != "load" or loader is None or "Safe" not in _dotted(loader):
                found.append(f"{where} {name}() without SafeLoader")
        elif name in ("np.load", "numpy.load"):
            if not _is_const(_kw(node, "allow_pickle"), False):
                found.append(f"{where} {name}() without allow_pickle=False")
        elif name == "torch.load":
            if not _is_const(_kw(node, "weights_only"), True):
                found.append(f"{where} torch.load() without weights_only=True")
        elif name in ("os.system", "os.popen") or (name.startswith("subprocess.") and _is_const(_kw(node, "shell"), True)):
            found.append(f"{where} {name}() with a shell")
        elif last in ("read_pickle",):
            found.append(f"{where} {name}()")
        if _is_const(_kw(node, "trust_remote_code"), True):
            found.append(f"{where} trust_remote_code=True")
    return found


def test_the_scanner_finds_what_it_should() -> None:
    """The scanner itself: every unsafe pattern is flagged, the safe variants are not."""
    bad = """
import pickle, marshal
import numpy as np, torch, yaml, os, subprocess
pickle.loads(b"")
eval("1")
exec("x=1")
np.load("a.npy")
np.load("a.npy", allow_pickle=True)
torch.load("m.pt")
yaml.load(s)
os.system("ls")
subprocess.run("ls", shell=True)
AutoModel.from_pretrained("x", trust_remote_code=True)
"""
    good = """
import numpy as np, torch, yaml, json
np.load("a.npy", allow_pickle=False)
torch.load("m.pt", weights_only=True)
yaml.load(s, Loader=yaml.SafeLoader)
json.loads("{}")
model.eval()
"""
    flagged = unsafe_calls(bad)
    assert {int(f.split(":")[1].split()[0]) for f in flagged} == {2} | set(range(4, 14)), flagged
    assert len(flagged) == 12, flagged
    assert unsafe_calls(good) == []


# Reviewed network imports: module -> why it is safe. Nothing here may connect anywhere.
NETWORK_OK = {
    "launch.py": "socket: binds a loopback port to see whether it is free before Streamlit starts; never connects",
}


def test_no_unsafe_deserialisation_or_exec_in_the_sources() -> None:
    assert len(SOURCES) > 10
    problems = [
        p
        for path in SOURCES
        for p in unsafe_calls(path.read_text(encoding="utf-8"), path.name)
        if not (path.name in NETWORK_OK and " network import " in p)
    ]
    assert problems == []


def test_the_reviewed_network_imports_never_connect() -> None:
    """A module on NETWORK_OK may probe a local port, never open a connection or fetch anything."""
    by_name = {path.name: path for path in SOURCES}
    assert set(NETWORK_OK) <= set(by_name), "stale entries on NETWORK_OK"
    for name in NETWORK_OK:
        tree = ast.parse(by_name[name].read_text(encoding="utf-8"), name)
        calls = {_dotted(node.func).rsplit(".", 1)[-1] for node in ast.walk(tree) if isinstance(node, ast.Call)}
        assert not calls & {"connect", "connect_ex", "create_connection", "sendto", "urlopen"}, name
        assert any(
            " network import " in p for p in unsafe_calls(by_name[name].read_text(encoding="utf-8"), name)
        ), f"{name} no longer imports a network module: drop it from NETWORK_OK"


def test_the_model_is_loaded_from_local_safetensors_only() -> None:
    """The embedder loads with local_files_only=True and the converter writes safetensors, never a pickle."""
    source = "".join(
        p.read_text(encoding="utf-8") for p in (PROJECT_ROOT / "src" / "rekenqa" / "embed").glob("*.py")
    )
    assert "local_files_only=True" in source
    assert "model.safetensors" in source and "pytorch_model.bin" not in source


RENDER = PROJECT_ROOT / "src" / "rekenqa" / "render.py"
UI_FILES = sorted((PROJECT_ROOT / "src" / "rekenqa" / "ui").glob("*.py"))


def _app_trees() -> list[tuple[str, ast.Module]]:
    """app.py and the Streamlit modules it uses (rekenqa/ui), each with its name for the messages."""
    if not APP.is_file():
        pytest.fail("app.py is missing")
    files = [APP, *UI_FILES]
    return [(path.name, ast.parse(path.read_text(encoding="utf-8"), str(path))) for path in files]


def _reviewed_component(name: str, node: ast.Call) -> bool:
    """The one component the app has: ui/page_helper.py's, with its CSS and script as the module's constants
    (no html, nothing built at run time; its mount data is only set through setAttribute, never as HTML); and
    that module's style-only ``st.html(f"<style>{CSS}</style>")``, the same constant CSS early in a run."""
    if name == "page_helper.py" and _dotted(node.func) == "st.html":
        arg = node.args[0] if len(node.args) == 1 else None
        return (
            not node.keywords
            and isinstance(arg, ast.JoinedStr)
            and [ast.unparse(v) for v in arg.values] == ["'<style>'", "{CSS}", "'</style>'"]
        )
    if name != "page_helper.py" or _dotted(node.func) != "st.components.v2.component":
        return False
    kwargs = {k.arg: k.value for k in node.keywords}
    return (
        _kw(node, "html") is None
        and isinstance(kwargs.get("css"), ast.Name)
        and isinstance(kwargs.get("js"), ast.Name)
        and {kwargs["css"].id, kwargs["js"].id} == {"CSS", "JS"}  # type: ignore[union-attr]
    )


def test_app_never_allows_raw_html() -> None:
    """No unsafe_allow_html=True (or any non-False value), no st.html / components.html / iframes; the one
    reviewed component is the page helper's (with its constant CSS also as style-only st.html)."""
    problems = []
    for name, tree in _app_trees():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            flag = _kw(node, "unsafe_allow_html")
            if flag is not None and not _is_const(flag, False):
                problems.append(f"{name}:{node.lineno} unsafe_allow_html={ast.unparse(flag)}")
            called = _dotted(node.func)
            if (called.endswith((".html", ".iframe")) or "components" in called) and not _reviewed_component(name, node):
                problems.append(f"{name}:{node.lineno} {called}()")
    assert problems == []


def test_the_page_helper_never_parses_data_as_html() -> None:
    """Its script sets text and attributes only: no innerHTML, outerHTML, insertAdjacentHTML, eval or
    document.write, and the CSS and script are constants of the module."""
    from rekenqa.ui import page_helper

    for forbidden in ("innerHTML", "outerHTML", "insertAdjacentHTML", "eval(", "document.write", "Function("):
        assert forbidden not in page_helper.JS, forbidden
    assert "${" not in page_helper.JS and "</style" not in page_helper.CSS


RENDERERS = {"markdown", "caption", "info", "warning", "error", "success", "write", "toast"}
ESCAPERS = {"md_escape", "md_lines", "md_link", "marked_markdown", "diff_markdown"}
# Values interpolated into rendered Markdown without escaping, and why that is safe.
UNESCAPED_OK = {
    "len(sources)": "an int",
    "total": "an int",
    "len(hits)": "an int",
    "kind": "long_text_box's own word, 'vraag' or 'bewering' (never user text)",
    "size": "an int formatted with thousands dots",
    "limit": "an int (the setting max_input_chars) formatted with thousands dots",
    "k + 1": "an int (the row number of the speech table)",
    "VERDICT_CHIP[verdict.status]": "a constant colour name",
    "CLAIM_BADGES[verdict.status][0]": "a constant verdict label",
    "len(chat)": "an int",
    "'vraag' if len(chat) == 1 else 'vragen'": "the app's own words",
    "LINK_IGNORED": "a constant Dutch sentence (ui/notices.py)",
    "items": "link_notice's bullets: ui.state.read_link builds each with quoted(), which escapes the value",
}


def _unescaped(node: ast.AST, allowed: Mapping[str, str]) -> Iterator[tuple[int, str]]:
    """(line, expression) of every value interpolated in an f-string under ``node`` that is neither passed
    through one of ESCAPERS nor in ``allowed``."""
    for sub in ast.walk(node):
        if not isinstance(sub, ast.JoinedStr):
            continue
        for value in sub.values:
            if not isinstance(value, ast.FormattedValue):
                continue
            expr = value.value
            if isinstance(expr, ast.Call) and _dotted(expr.func) in ESCAPERS:
                continue
            if ast.unparse(expr) not in allowed:
                yield sub.lineno, ast.unparse(expr)


def test_app_escapes_every_interpolated_value_it_renders() -> None:
    """Every value interpolated in an f-string passed to st.markdown/caption/info/... is escaped with the
    app's helpers or is on the reviewed list above (numbers and the app's own labels)."""
    problems: list[str] = []
    used: set[str] = set()
    for name, tree in _app_trees():
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in RENDERERS):
                continue
            for arg in node.args[:1]:
                problems += [f"{name}:{line} {expr}" for line, expr in _unescaped(arg, UNESCAPED_OK)]
                used |= {ast.unparse(v.value) for v in ast.walk(arg) if isinstance(v, ast.FormattedValue)}
    assert problems == []
    assert sorted(set(UNESCAPED_OK) - used) == [], "reviewed values the app no longer renders: drop them"


# rekenqa.render functions whose f-strings are not Markdown the app shows, and why they are not checked.
RENDER_NOT_MARKDOWN = {
    "md_escape": "the escaper itself (tested below and in test_fuzz)",
    "md_link": "an escaper: links only http(s) URLs (tested below)",
    "marked_markdown": "an escaper: escapes the text around and inside the marks (test_fuzz)",
    "find_quote": "builds a regular expression, not Markdown",
    "footnote_area": "builds a regular expression, not Markdown",
    "answer_markdown": "the downloaded .md file: the answer's plain text as cited, never rendered by the app",
}
# Values that rekenqa.render's Markdown builders interpolate without escaping, per function, and why it is safe.
RENDER_UNESCAPED_OK = {
    "footnote_list": {"note.number": "an int", "links": "md_link() output joined by spaces"},
    "hit_markdown": {"len(spans) - 1": "an int"},
    "citation_markdown": {"marker": "'**[1]** ' built from an int", "citation.number": "an int",
                          "citation_where(citation)": "escapes the page names and the document name"},
    "citation_where": {"citation.footnote": "an int", "pages": "_pages() output (escaped names)",
                       "where": "built from _pages() output and an int"},
    "nearest_markdown": {"_pages(first, chunk.first_page, chunk.last_page, last)": "escapes the page names"},
    "citation_button_label": {"citation.footnote": "an int", "citation.number": "an int",
                              "where": "built from md_escape() output and an int", "page": "_pages() output (escaped names)"},
    "citation_help": {"where": "md_escape() output"},
    "source_markdown": {"note.number": "an int", "note.page": "an int", "links": "md_link() output"},
    "badge_markdown": {"color": "a constant of CLAIM_BADGES/QUOTE_BADGES", "icon": "a constant",
                       "label": "a constant verdict label"},
    "speech_summary": {"len(results)": "an int", "n": "an int", "CLAIM_BADGES[s][0]": "a constant label"},
    "diff_markdown": {"text": "md_escape(op.text), assigned the line before"},
    "toc_label": {"indent": "em spaces", "number": "md_escape() output or ''", "title": "md_escape() output",
                  "section.page": "an int"},
    "document_line": {"kind": "'rapport' or 'bron'", "doc.get('pages', 0)": "an int",
                      "doc.get('chunks', 0)": "an int"},
    "index_summary": {"format_date(info.get('created'))": "the build date the app wrote (raw if unparseable)",
                      "embedder.get('dim', '?')": "an int from the manifest", "counts.get('chunks', 0)": "an int",
                      "counts.get('facts', 0)": "an int"},
}


def _render_functions() -> dict[str, ast.FunctionDef]:
    tree = ast.parse(RENDER.read_text(encoding="utf-8"), str(RENDER))
    return {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}


def test_render_escapes_every_interpolated_value() -> None:
    """Much of the app's Markdown is built in rekenqa.render: every value its functions interpolate in an
    f-string is escaped or reviewed above (a new function is checked unless listed in RENDER_NOT_MARKDOWN)."""
    functions = _render_functions()
    assert set(RENDER_NOT_MARKDOWN) | set(RENDER_UNESCAPED_OK) <= set(functions), "stale entries"
    problems = []
    for name, function in functions.items():
        if name in RENDER_NOT_MARKDOWN:
            continue
        allowed = RENDER_UNESCAPED_OK.get(name, {})
        problems += [f"render.py:{line} {name}: {expr}" for line, expr in _unescaped(function, allowed)]
    assert problems == []


def test_app_renders_render_output_that_is_checked() -> None:
    """Every rekenqa.render function whose result the app passes straight to st.markdown/caption/... is one
    that the check above covers (or one of the escapers)."""
    functions = _render_functions()
    rendered = set()
    for _, tree in _app_trees():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in RENDERERS:
                calls = (sub for arg in node.args[:1] for sub in ast.walk(arg) if isinstance(sub, ast.Call))
                rendered |= {_dotted(call.func) for call in calls}
    from_render = rendered & set(functions)
    assert from_render, "the app renders nothing built in rekenqa.render: is this check still looking?"
    assert sorted(from_render & set(RENDER_NOT_MARKDOWN) - ESCAPERS) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<script>alert(1)</script>", r"\<script\>alert\(1\)\</script\>"),
        ("<img src=x onerror=alert(1)>", r"\<img src\=x onerror\=alert\(1\)\>"),
        ("[x](javascript:alert(1))", r"\[x\]\(javascript\:alert\(1\)\)"),
        ("**vet** _schuin_", r"\*\*vet\*\* \_schuin\_"),
        (":red[rood] $x$", r"\:red\[rood\] \$x\$"),
        ("&lt;b&gt;", r"\&lt;b\&gt;"),
    ],
)
def test_md_escape_neutralises_html_and_markdown(text: str, expected: str) -> None:
    assert render.md_escape(text) == expected


def test_md_link_only_links_http() -> None:
    assert render.md_link("https://www.cbs.nl/a").startswith("[")
    for url in ("javascript:alert(1)", "data:text/html,<script>x</script>", "file:///etc/passwd", "https://x/)(javascript:1"):
        out = render.md_link(url)
        assert not out.startswith("["), out
        assert "<" not in out.replace("\\<", "")


def _unescaped_html(markdown: str) -> list[str]:
    return re.findall(r"(?<!\\)<\s*/?\s*(?:script|img|iframe|b)\b", markdown, flags=re.IGNORECASE)


@pytest.fixture
def app_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """A small corpus with a source whose text is HTML/JS/Markdown, indexed with the fake embedder; the app
    (headless, streamlit.testing) opens it through the fake embedder."""
    corpus = tmp_path / "corpus"
    small_corpus(corpus)
    (corpus / "html-bron.md").write_text(
        "# Bron met opmaak\n\nDeze bron bevat <script>alert('doc')</script> en <img src=x onerror=alert(1)> "
        "en **vet** en [klik](javascript:alert(1)) en :red[rood] over migratie.",
        encoding="utf-8",
    )
    settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "index", cache_dir=tmp_path / "cache")
    build_index(settings, embedder=FakeEmbedder())
    monkeypatch.setenv("REKENQA_CORPUS_DIR", str(corpus))
    monkeypatch.setenv("REKENQA_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setattr(pipeline, "load_embedder", lambda settings: FakeEmbedder())
    monkeypatch.setattr(build, "load_embedder", lambda settings: FakeEmbedder())  # the build uses it too
    return settings


def _run_app(session: dict[str, Any] | None = None, **query: str) -> Any:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(APP), default_timeout=60)
    for key, value in (session or {}).items():
        at.session_state[key] = value
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def test_app_shows_document_html_escaped(app_env: Settings) -> None:
    at = _run_app({"tab": "Rapport", "rp_doc": "html-bron", "rp_page": 1})
    shown = "\n".join(m.value for m in at.markdown)
    assert r"\<script\>alert\('doc'\)\</script\>" in shown
    assert r"\[klik\]\(javascript\:alert\(1\)\)" in shown
    assert _unescaped_html(shown) == []


def test_app_shows_user_html_escaped(app_env: Settings) -> None:
    at = _run_app(tab="vraag", q="<script>alert(1)</script> **vet** [x](javascript:alert(1))")
    shown = "\n".join(m.value for m in at.markdown)
    assert r"\<script\>alert\(1\)\</script\>" in shown
    assert _unescaped_html(shown) == []
    at = _run_app(tab="citaat", q="<img src=x onerror=alert(1)> Migranten vormen daarmee")
    assert _unescaped_html("\n".join(m.value for m in at.markdown)) == []


# =========================================================================================== paths


TRAVERSALS = ["../../etc/passwd", "/etc/passwd", "..", "../corpus", "corpus/../../etc/passwd",
              f"{REPORT_TXT.name}/../../../etc/passwd", "..%2F..%2Fetc%2Fpasswd", "~root/.bashrc", "\\..\\..\\windows",
              "file:///etc/passwd", "migratie-haarlemmermeer-2025/../../x", "\x00/etc/passwd"]


@contextlib.contextmanager
def no_file_access(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Record every file the code opens while the block runs."""
    opened: list[str] = []
    real_open, real_os_open = builtins.open, os.open

    def spy_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        opened.append(str(file))
        return real_open(file, *args, **kwargs)

    def spy_os_open(path: Any, *args: Any, **kwargs: Any) -> int:
        opened.append(str(path))
        return real_os_open(path, *args, **kwargs)

    with monkeypatch.context() as mp:
        mp.setattr(builtins, "open", spy_open)
        mp.setattr(io, "open", spy_open)
        mp.setattr(os, "open", spy_os_open)
        yield opened


@pytest.mark.parametrize("doc", TRAVERSALS)
def test_document_ids_from_users_never_reach_the_file_system(engine: Engine, monkeypatch: pytest.MonkeyPatch,
                                                               doc: str) -> None:
    """Page and document ids are looked up in the loaded index only: traversal attempts are NotFound and
    no file is opened while resolving them."""
    with no_file_access(monkeypatch) as opened:
        with pytest.raises(NotFound, match="Onbekend document"):
            engine.page(doc, 17)
        with pytest.raises(NotFound):
            engine.resolve_doc(doc)
    assert opened == []


def test_cli_page_with_a_traversal_id(report_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from rekenqa.cli import app

    monkeypatch.setenv("REKENQA_INDEX_DIR", str(report_settings.index_dir))
    monkeypatch.setenv("REKENQA_CORPUS_DIR", str(report_settings.corpus_dir))
    monkeypatch.setattr(pipeline, "load_embedder", lambda settings: FakeEmbedder())
    monkeypatch.setattr(build, "load_embedder", lambda settings: FakeEmbedder())  # the build uses it too
    result = CliRunner().invoke(app, ["page", "../../../../etc/passwd", "1"])
    assert result.exit_code == 1
    assert "Fout: Onbekend document '../../../../etc/passwd'." in result.stderr
    assert "root:" not in result.output


@pytest.fixture(scope="module")
def escape_attempts(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Engine]:
    """A corpus with a symlinked file, a symlinked folder and a symlinked catalog file that point outside."""
    base = tmp_path_factory.mktemp("escape")
    corpus = base / "corpus"
    small_corpus(corpus)
    secret = base / "geheim"
    secret.mkdir()
    (secret / "wachtwoorden.txt").write_text("GEHEIM-BESTAND wachtwoord=hunter2", encoding="utf-8")
    (secret / "meta.json").write_text(json.dumps({"title": "GEHEIM-CATALOGUS", "citation": "GEHEIM-CATALOGUS"}),
                                      encoding="utf-8")
    (corpus / "wachtwoorden.txt").symlink_to(secret / "wachtwoorden.txt")
    (corpus / "map").symlink_to(secret, target_is_directory=True)
    (corpus / "bron.md").write_text("# Bron\n\nEen gewone bron over migratie.", encoding="utf-8")
    (corpus / "bron.md.meta.json").symlink_to(secret / "meta.json")
    settings = Settings(corpus_dir=corpus, index_dir=base / "index", cache_dir=base / "cache")
    build_index(settings, embedder=FakeEmbedder())
    return base / "index", Engine.open(settings, embedder=FakeEmbedder(), auto_build=False)


def test_symlinked_files_and_folders_outside_the_corpus_are_not_indexed(escape_attempts: tuple[Path, Engine]) -> None:
    index_dir, engine = escape_attempts
    assert not any(d.path.startswith(("wachtwoorden", "map/")) for d in engine.index.documents)
    for path in index_dir.iterdir():
        assert b"GEHEIM-BESTAND" not in path.read_bytes(), path.name


def test_symlinked_catalog_file_outside_the_corpus_is_ignored(escape_attempts: tuple[Path, Engine]) -> None:
    """A .meta.json that resolves outside corpus/ must be ignored like any other file outside it: its content
    would otherwise end up in titles and citations (and it is not in the manifest's corpus hashes)."""
    index_dir, engine = escape_attempts
    assert all("GEHEIM-CATALOGUS" not in (d.title + d.citation) for d in engine.index.documents)
    assert b"GEHEIM-CATALOGUS" not in (index_dir / "manifest.json").read_bytes()


# =========================================================================================== network exposure


def test_app_binds_to_localhost_by_default() -> None:
    """Streamlit listens on every interface unless told otherwise; the project must ship
    .streamlit/config.toml with [server] address = "localhost" (README's --server.address is not enough for
    someone who runs plain `streamlit run app.py`)."""
    config = PROJECT_ROOT / ".streamlit" / "config.toml"
    assert config.is_file(), "missing .streamlit/config.toml with [server] address = \"localhost\""
    data = tomllib.loads(config.read_text(encoding="utf-8"))
    assert data.get("server", {}).get("address") == "localhost", data
    assert data.get("browser", {}).get("gatherUsageStats") is False, "usage statistics must be off (offline app)"


def test_readme_starts_the_app_on_localhost() -> None:
    """The README's first command starts the app through `rekenqa app`, which binds to 127.0.0.1 whatever the
    folder and config files say (tests/test_launch.py)."""
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    first = readme.split("```bash\n", 1)[1].split("\n```", 1)[0]
    assert first == "bash scripts/setup.sh && .venv/bin/rekenqa app"
    assert "binds it to\n  127.0.0.1" in readme or "binds it to 127.0.0.1" in readme


# =========================================================================================== ruff S


def test_ruff_security_rules() -> None:
    """`ruff check --select S src app.py`: every finding must be of an accepted, documented kind."""
    ruff = shutil.which("ruff") or str(Path(sys.executable).parent / "ruff")
    targets = ["src"] + (["app.py"] if APP.is_file() else [])
    run = subprocess.run([ruff, "check", "--select", "S", "--output-format", "json", "--no-cache", *targets],
                         cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode in (0, 1), run.stderr
    findings = json.loads(run.stdout or "[]")
    unexpected = [f"{Path(f['filename']).name}:{f['location']['row']} {f['code']} {f['message']}"
                  for f in findings if f["code"] not in ACCEPTED_RUFF]
    assert unexpected == []
    docs = (PROJECT_ROOT / "docs" / "reliability.md").read_text(encoding="utf-8")
    for code in {f["code"] for f in findings}:
        assert code in docs, f"{code} is not justified in docs/reliability.md"
