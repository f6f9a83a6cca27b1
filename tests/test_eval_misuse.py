"""`rekenqa eval` refuses every misuse with a Dutch message, before any work (red-team report, issue #16).

Unit level: ``evaluate.read_jsonl`` (encodings, line shapes, the EVAL.md field types), ``check_report_path``
and ``write_atomic``. CLI level: the same mistakes through ``rekenqa eval``, with the engine replaced by a
tripwire, so they need no index and prove that nothing is run before the input is checked.
"""

from __future__ import annotations

import codecs
import json
import os
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from rekenqa import cli, evaluate
from rekenqa.errors import InputInvalid
from rekenqa.evaluate import REQUIRED, SetKind, check_report_path, read_jsonl, write_atomic

DATA = Path(__file__).parent / "data"
QA = {"id": "q1", "question": "Hoeveel migranten woonden er in 2023?", "answer": "18.480", "pages": [17],
      "evidence": ["18.480 migranten"], "numbers": ["18.480"], "type": "number", "answerable": True}
UNANSWERABLE = {"id": "q9", "question": "Hoeveel inbraken waren er?", "answer": "", "pages": [], "evidence": [],
                "numbers": [], "type": "unanswerable", "answerable": False}
CLAIM = {"id": "c1", "claim": "Haarlemmermeer had in 2023 ruim 160.000 inwoners.", "verdict": "supported",
         "pages": [17], "evidence": ["162.300 inwoners"], "correct_value": "", "note": "afgerond"}
QUOTE = {"id": "x1", "quote": "Migranten vormen daarmee 11,4 procent van de inwoners.", "verdict": "exact",
         "pages": [17], "original": "Migranten vormen daarmee 11,4 procent van de inwoners.", "note": ""}
GOOD: dict[SetKind, dict[str, Any]] = {"qa": QA, "claims": CLAIM, "quotes": QUOTE}


def _line(item: dict[str, Any]) -> str:
    return json.dumps(item, ensure_ascii=False)


def _write(tmp_path: Path, data: bytes, name: str = "set.jsonl") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _refusal(path: Path, kind: SetKind) -> str:
    with pytest.raises(InputInvalid) as caught:
        read_jsonl(path, REQUIRED[kind], kind)
    return str(caught.value)


# ---------------------------------------------------------------- field types (EVAL.md schema)

TYPE_CASES: list[tuple[SetKind, dict[str, Any], str]] = [
    ("qa", {"answerable": "false"}, '"answerable" moet true of false zijn, niet de tekst "false".'),
    ("qa", {"answerable": 0}, '"answerable" moet true of false zijn, niet het getal 0.'),
    ("qa", {"answerable": None}, '"answerable" moet true of false zijn, niet null.'),
    ("qa", {"pages": "17"}, '"pages" moet een lijst van paginanummers (hele getallen vanaf 1, zoals [17]) zijn, niet de tekst "17".'),
    ("qa", {"pages": 17}, '"pages" moet een lijst van paginanummers (hele getallen vanaf 1, zoals [17]) zijn, niet het getal 17.'),
    ("qa", {"pages": ["17"]}, '"pages" moet een lijst van paginanummers (hele getallen vanaf 1, zoals [17]) zijn, niet de lijst ["17"].'),
    ("qa", {"pages": [17.0]}, "niet de lijst [17.0]."),
    ("qa", {"pages": [True]}, "niet de lijst [true]."),
    ("qa", {"pages": [0]}, "niet de lijst [0]."),
    ("qa", {"pages": [-3]}, "niet de lijst [-3]."),
    ("qa", {"pages": None}, '"pages" moet een lijst van paginanummers (hele getallen vanaf 1, zoals [17]) zijn, niet null.'),
    ("qa", {"numbers": "18.480"}, '"numbers" moet een lijst van getallen als tekst (zoals ["18.480", "11,4"]) zijn, niet de tekst "18.480".'),
    ("qa", {"numbers": [18480]}, '"numbers" moet een lijst van getallen als tekst (zoals ["18.480", "11,4"]) zijn, niet de lijst [18480].'),
    ("qa", {"numbers": [""]}, 'niet de lijst [""].'),
    ("qa", {"question": None}, '"question" moet een niet-lege tekst zijn, niet null.'),
    ("qa", {"question": ""}, '"question" moet een niet-lege tekst zijn, niet een lege tekst.'),
    ("qa", {"question": "  \t "}, '"question" moet een niet-lege tekst zijn, niet een lege tekst.'),
    ("qa", {"question": 42}, '"question" moet een niet-lege tekst zijn, niet het getal 42.'),
    ("qa", {"question": ["Hoeveel?"]}, '"question" moet een niet-lege tekst zijn, niet de lijst ["Hoeveel?"].'),
    ("qa", {"question": {"nl": "Hoeveel?"}}, '"question" moet een niet-lege tekst zijn, niet een object.'),
    ("qa", {"id": 7}, '"id" moet een niet-lege tekst zijn, niet het getal 7.'),
    ("qa", {"id": ""}, '"id" moet een niet-lege tekst zijn, niet een lege tekst.'),
    ("qa", {"id": "\ud800"}, '"id" moet een niet-lege tekst zijn, niet een tekst met een ongeldig teken'),
    ("qa", {"type": "Number"}, '"type" moet number, policy, definition, conclusion, multi of unanswerable zijn, niet de tekst "Number".'),
    ("qa", {"type": ["number"]}, '"type" moet number, policy, definition, conclusion, multi of unanswerable zijn, niet de lijst ["number"].'),
    ("qa", {"split": 1}, '"split" moet een tekst zijn, niet het getal 1.'),
    ("qa", {"answer": 18480}, '"answer" moet een tekst zijn, niet het getal 18480.'),
    ("qa", {"evidence": "18.480 migranten"}, '"evidence" moet een lijst van teksten zijn, niet de tekst "18.480 migranten".'),
    ("qa", {"note": None}, '"note" moet een tekst zijn, niet null.'),
    ("qa", {"answerable": False}, '"type" is "number" maar "answerable" is false; een vraag die het rapport niet beantwoordt'),
    ("qa", {"type": "unanswerable"}, '"type" is "unanswerable" maar "answerable" is true;'),
    ("qa", {**UNANSWERABLE, "pages": [17]}, '"answerable" is false maar "pages" is niet leeg;'),
    ("qa", {**UNANSWERABLE, "numbers": ["3"]}, '"answerable" is false maar "numbers" is niet leeg;'),
    ("claims", {"verdict": "SUPPORTED"}, '"verdict" moet supported, contradicted of not_in_report zijn, niet de tekst "SUPPORTED".'),
    ("claims", {"verdict": "exact"}, '"verdict" moet supported, contradicted of not_in_report zijn, niet de tekst "exact".'),
    ("claims", {"verdict": None}, '"verdict" moet supported, contradicted of not_in_report zijn, niet null.'),
    ("claims", {"claim": None}, '"claim" moet een niet-lege tekst zijn, niet null.'),
    ("claims", {"pages": "17"}, '"pages" moet een lijst van paginanummers (hele getallen vanaf 1, zoals [17]) zijn, niet de tekst "17".'),
    ("claims", {"correct_value": 162300}, '"correct_value" moet een tekst zijn, niet het getal 162300.'),
    ("claims", {"evidence": [1]}, '"evidence" moet een lijst van teksten zijn, niet de lijst [1].'),
    ("quotes", {"verdict": "supported"}, '"verdict" moet exact, harmless, altered of not_found zijn, niet de tekst "supported".'),
    ("quotes", {"verdict": "Exact "}, '"verdict" moet exact, harmless, altered of not_found zijn, niet de tekst "Exact ".'),
    ("quotes", {"quote": ""}, '"quote" moet een niet-lege tekst zijn, niet een lege tekst.'),
    ("quotes", {"original": None}, '"original" moet een tekst zijn, niet null.'),
    ("quotes", {"pages": [17, "18"]}, 'niet de lijst [17, "18"].'),
    ("quotes", {"split": ["tune"]}, '"split" moet een tekst zijn, niet de lijst ["tune"].'),
]


@pytest.mark.parametrize(("kind", "change", "message"), TYPE_CASES)
def test_a_wrongly_typed_field_is_refused_with_file_line_field_and_value(
    tmp_path: Path, kind: SetKind, change: dict[str, Any], message: str
) -> None:
    """Line 1 is good; line 2 carries the mistake, which is named, never coerced."""
    first = GOOD[kind]
    second = {**first, "id": "tweede", **change}
    # \u escapes (ASCII JSON): a lone surrogate is valid JSON that way, though not writable as UTF-8
    path = _write(tmp_path, f"{_line(first)}\n{json.dumps(second)}\n".encode())
    refusal = _refusal(path, kind)
    assert refusal.startswith("set.jsonl, regel 2: "), refusal
    assert message in refusal, refusal


@pytest.mark.parametrize(
    ("kind", "item"),
    [
        ("qa", QA),
        ("qa", UNANSWERABLE),
        ("qa", {"id": "q2", "question": "Wat is een migrant?", "answerable": True}),  # only the required fields
        ("qa", {**QA, "numbers": ["negen"], "split": "tune", "note": ""}),
        ("claims", {**CLAIM, "verdict": "contradicted", "correct_value": "162.300"}),
        ("claims", {**CLAIM, "verdict": "not_in_report", "pages": [], "evidence": []}),
        ("quotes", {**QUOTE, "verdict": "not_found", "pages": [], "original": ""}),
    ],
)
def test_good_items_pass_and_unknown_fields_are_kept(tmp_path: Path, kind: SetKind, item: dict[str, Any]) -> None:
    extra = {**item, "reviewer": {"naam": "Els", "datum": 20240101}, "score": None}
    path = _write(tmp_path, (_line(extra) + "\n").encode())
    assert read_jsonl(path, REQUIRED[kind], kind) == [extra]


@pytest.mark.parametrize(
    ("name", "kind"),
    [("qa_dev", "qa"), ("qa_council", "qa"), ("claims_dev", "claims"), ("quotes_dev", "quotes")],
)
def test_the_project_dev_sets_pass_the_validator(name: str, kind: SetKind) -> None:
    path = DATA / f"{name}.jsonl"
    items = read_jsonl(path, REQUIRED[kind], kind)
    assert len(items) == sum(1 for line in path.read_text(encoding="utf-8").split("\n") if line.strip())


def test_the_kind_follows_from_the_required_fields(tmp_path: Path) -> None:
    """Old callers (bench scripts) pass only the required fields: the qa schema still applies."""
    path = _write(tmp_path, (_line({**QA, "answerable": "false"}) + "\n").encode())
    with pytest.raises(InputInvalid, match='"answerable" moet true of false zijn'):
        read_jsonl(path, ["id", "question", "answerable"])


# ---------------------------------------------------------------- encodings and line shapes

GOOD_LINE = _line(QA)
SECOND = _line({**QA, "id": "q2", "question": "Wat is een migrant\u2028volgens het CBS?\u2029"})

ACCEPTED: list[tuple[str, bytes, list[str]]] = [
    ("utf-8 bom", codecs.BOM_UTF8 + f"{GOOD_LINE}\n{SECOND}\n".encode(), ["q1", "q2"]),
    ("u+2028 and u+2029 in a string", f"{GOOD_LINE}\n{SECOND}".encode(), ["q1", "q2"]),
    ("crlf line ends", f"{GOOD_LINE}\r\n{SECOND}\r\n".encode(), ["q1", "q2"]),
    ("blank and whitespace lines", f"\n{GOOD_LINE}\n   \n\t\n{SECOND}\n\n".encode(), ["q1", "q2"]),
    ("no final newline", GOOD_LINE.encode(), ["q1"]),
    ("utf-16 le with bom", f"{GOOD_LINE}\n{SECOND}\n".encode("utf-16"), ["q1", "q2"]),
    ("utf-16 be with bom", codecs.BOM_UTF16_BE + f"{GOOD_LINE}\n{SECOND}\n".encode("utf-16-be"), ["q1", "q2"]),
    ("utf-32 with bom", f"{GOOD_LINE}\n".encode("utf-32"), ["q1"]),
]


@pytest.mark.parametrize(("case", "data", "ids"), ACCEPTED, ids=[c[0] for c in ACCEPTED])
def test_valid_files_in_other_shapes_are_read(tmp_path: Path, case: str, data: bytes, ids: list[str]) -> None:
    items = read_jsonl(_write(tmp_path, data), REQUIRED["qa"], "qa")
    assert [i["id"] for i in items] == ids, case
    if len(ids) == 2:  # the separators stay inside the question, which is not split in two
        assert items[1]["question"] == "Wat is een migrant\u2028volgens het CBS?\u2029"


BIG = "x" * 10_000_000
REFUSED: list[tuple[str, bytes, str]] = [
    ("empty file", b"", "De testset set.jsonl is leeg. Een testset heeft één JSON-object per regel (zie EVAL.md)."),
    ("only blank lines", b"\n\n  \r\n\t\n", "De testset set.jsonl is leeg."),
    ("only a bom", codecs.BOM_UTF8, "De testset set.jsonl is leeg."),
    (
        "cp1252",
        f"{GOOD_LINE}\n".encode() + _line({**QA, "id": "q2", "question": "Hoeveel café’s?"}).encode("cp1252"),
        "set.jsonl, regel 2: geen geldige UTF-8 (byte 0xE9); een testset moet UTF-8 zijn. Sla het bestand op als UTF-8",
    ),
    ("latin-1", _line({**QA, "question": "Waar ligt Hoofddorp, één gemeente?"}).encode("latin-1"),
     "set.jsonl, regel 1: geen geldige UTF-8 (byte 0xE9)"),
    ("utf-16 le without bom", f"{GOOD_LINE}\n".encode("utf-16-le"), "set.jsonl lijkt UTF-16 zonder BOM; een testset moet UTF-8 zijn."),
    ("utf-16 be without bom", f"{GOOD_LINE}\n".encode("utf-16-be"), "set.jsonl lijkt UTF-16 zonder BOM"),
    ("utf-16 with bom, cut off", f"{GOOD_LINE}\n".encode("utf-16")[:-1], "geen geldige UTF-16"),
    ("binary", bytes(range(256)) * 8, "set.jsonl is geen tekstbestand (het bevat binaire gegevens); een testset is JSONL in UTF-8."),
    ("png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64, "set.jsonl is geen tekstbestand"),
    ("a nul in utf-8 text", f"{GOOD_LINE}\n".encode() + b"\x00", "set.jsonl is geen tekstbestand"),
    ("a list", f"{GOOD_LINE}\n[1, 2]\n".encode(), "set.jsonl, regel 2: elke regel moet een JSON-object zijn ({…}), niet de lijst [1, 2]."),
    ("a number", b"17\n", "set.jsonl, regel 1: elke regel moet een JSON-object zijn ({…}), niet het getal 17."),
    ("a string", b'"Hoeveel?"\n', 'set.jsonl, regel 1: elke regel moet een JSON-object zijn ({…}), niet de tekst "Hoeveel?".'),
    ("null", b"null\n", "set.jsonl, regel 1: elke regel moet een JSON-object zijn ({…}), niet null."),
    ("true", b"true\n", "niet true."),
    ("broken json", f"{GOOD_LINE}\n{{kapot\n".encode(), "set.jsonl, regel 2: geen geldige JSON (Expecting property name"),
    ("two objects on a line", f"{GOOD_LINE} {GOOD_LINE}\n".encode(), "set.jsonl, regel 1: geen geldige JSON (Extra data)."),
    ("a bom in the middle", f"{GOOD_LINE}\n\ufeff{SECOND}\n".encode(), "set.jsonl, regel 2: geen geldige JSON"),
    ("deep nesting", b"[" * 200_000 + b"\n", "set.jsonl, regel 1: geen bruikbare JSON (te diep genest)."),
    ("a huge integer", ('{"id": "q1", "pages": [' + "9" * 5000 + "]}").encode(),
     "set.jsonl, regel 1: geen bruikbare JSON (een getal van meer dan 4.300 cijfers)."),
    ("a key twice", b'{"id": "q1", "question": "Hoeveel?", "answerable": true, "answerable": false}\n',
     'set.jsonl, regel 1: het veld "answerable" staat twee keer in hetzelfde object.'),
    ("a missing field", b'{"id": "q1", "question": "Hoeveel?"}\n', "set.jsonl, regel 1: ontbrekende velden: answerable."),
    ("duplicate ids", f"{GOOD_LINE}\n{SECOND}\n\n{GOOD_LINE}\n{GOOD_LINE}\n".encode(),
     'set.jsonl: het id "q1" komt 3 keer voor (regels 1, 4 en 5); elk item heeft een eigen id.'),
    ("two duplicate ids", f"{GOOD_LINE}\n{SECOND}\n{GOOD_LINE}\n{SECOND}\n".encode(),
     'het id "q1" komt 2 keer voor (regels 1 en 3); elk item heeft een eigen id. Nog 1 ander id komt dubbel voor.'),
    ("a 10 mb line", _line({**QA, "question": BIG}).encode(),
     "set.jsonl, regel 1 is te lang (10.000."),
]


@pytest.mark.parametrize(("case", "data", "message"), REFUSED, ids=[c[0] for c in REFUSED])
def test_unusable_files_are_refused_in_dutch(tmp_path: Path, case: str, data: bytes, message: str) -> None:
    refusal = _refusal(_write(tmp_path, data), "qa")
    assert message in refusal, (case, refusal)


def test_a_10_mb_line_names_the_limit(tmp_path: Path) -> None:
    refusal = _refusal(_write(tmp_path, _line({**QA, "question": BIG}).encode()), "qa")
    assert refusal.startswith("set.jsonl, regel 1 is te lang (")
    assert refusal.endswith("tekens; het maximum is 1.000.000 per regel).")


@pytest.mark.parametrize("size", [evaluate.MAX_SET_BYTES + 1, 2 * 1024**3])
def test_a_huge_file_is_refused_without_reading_it_whole(tmp_path: Path, size: int) -> None:
    """A sparse file of 2 GB takes no disk; reading stops after the 50 MB limit."""
    path = tmp_path / "set.jsonl"
    with path.open("wb") as handle:
        handle.truncate(size)
    refusal = _refusal(path, "qa")
    expected = "2 GB" if size > 1024**3 else "50 MB"
    assert refusal == f"set.jsonl is te groot ({expected}); een testset mag hoogstens 50 MB zijn. Is dit wel de testset?"


def test_an_unreadable_or_missing_set_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path, (GOOD_LINE + "\n").encode())

    def denied(self: Path, mode: str = "r") -> Any:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", denied)  # root may read any file, so chmod would prove nothing
    assert _refusal(path, "qa") == f"De testset {path} kan niet worden gelezen (geen toestemming)."
    monkeypatch.undo()
    with pytest.raises(InputInvalid, match="Testset niet gevonden"):
        read_jsonl(tmp_path / "weg.jsonl", REQUIRED["qa"], "qa")
    with pytest.raises(InputInvalid, match="Testset niet gevonden"):
        read_jsonl(tmp_path, REQUIRED["qa"], "qa")


# ---------------------------------------------------------------- the report path


def _same_file_spellings(tmp_path: Path, source: Path) -> dict[str, Path]:
    (tmp_path / "sub").mkdir()
    os.symlink(source, tmp_path / "link.jsonl")
    os.link(source, tmp_path / "hard.jsonl")
    return {
        "the same path": source,
        "another spelling": tmp_path / "sub" / ".." / "set.jsonl",
        "a dot segment": tmp_path / "." / "set.jsonl",
        "a symlink": tmp_path / "link.jsonl",
        "a hard link": tmp_path / "hard.jsonl",
    }


SPELLINGS = ["the same path", "another spelling", "a dot segment", "a symlink", "a hard link"]


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_out_that_is_the_test_set_is_refused(tmp_path: Path, spelling: str) -> None:
    source = _write(tmp_path, (GOOD_LINE + "\n").encode())
    out = _same_file_spellings(tmp_path, source)[spelling]
    with pytest.raises(InputInvalid) as caught:
        check_report_path(out, source)
    assert str(caught.value).startswith(f"--out {out} is de testset zelf (set.jsonl): het rapport zou de testset overschrijven.")
    assert "Kies een ander bestand, bijvoorbeeld --out" in str(caught.value)


def test_out_in_another_folder_of_the_cwd_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A relative --out and an absolute input name the same file."""
    source = _write(tmp_path, (GOOD_LINE + "\n").encode())
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputInvalid, match="is de testset zelf"):
        check_report_path(Path("set.jsonl"), source)


def test_a_plot_that_would_overwrite_the_test_set_is_refused(tmp_path: Path) -> None:
    source = _write(tmp_path, (GOOD_LINE + "\n").encode(), "r.hits.png")
    with pytest.raises(InputInvalid, match=r"De grafiek r\.hits\.png van --out .* is de testset zelf"):
        check_report_path(tmp_path / "r.json", source, plots=True)
    check_report_path(tmp_path / "r.json", source)  # claims and quotes write no plots


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("a folder", "--out {out} is een map; geef een bestandsnaam op. Bijvoorbeeld --out {out}/rapport.json."),
        ("a jsonl name", "--out {out} heeft de extensie van een testset (.jsonl); het rapport is één JSON-bestand."),
        ("a folder under a file", "De map voor --out {out} kan niet worden gemaakt: {tmp}/set.jsonl is een bestand, geen map."),
        ("a device", "{out} bestaat al en is geen gewoon bestand; kies een andere naam voor --out."),
        ("a plot name that is a folder", "{tmp}/r.hits.png bestaat al en is geen gewoon bestand"),
    ],
)
def test_out_that_cannot_be_a_report_is_refused(tmp_path: Path, case: str, message: str) -> None:
    source = _write(tmp_path, (GOOD_LINE + "\n").encode())
    out = {
        "a folder": tmp_path,
        "a jsonl name": tmp_path / "ander.jsonl",
        "a folder under a file": source / "r.json",
        "a device": Path("/dev/null"),
        "a plot name that is a folder": tmp_path / "r.json",
    }[case]
    (tmp_path / "r.hits.png").mkdir()
    with pytest.raises(InputInvalid) as caught:
        check_report_path(out, source, plots=True)
    assert message.format(out=out, tmp=tmp_path) in str(caught.value)


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("folder", "In de map {tmp}/alleen-lezen mag niet worden geschreven; kies een andere plek voor --out"),
        ("file", "{tmp}/alleen-lezen/r.json is alleen-lezen; kies een andere naam voor --out."),
    ],
)
def test_out_that_may_not_be_written_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str, message: str
) -> None:
    """The tests may run as root, who may write anywhere: os.access is asked, so it is patched."""
    source = _write(tmp_path, (GOOD_LINE + "\n").encode())
    folder = tmp_path / "alleen-lezen"
    folder.mkdir()
    out = folder / "r.json"
    if case == "file":
        out.write_text("{}", encoding="utf-8")
    locked = out if case == "file" else folder
    real_access = os.access
    monkeypatch.setattr(evaluate.os, "access", lambda p, mode: Path(p) != locked and real_access(p, mode))
    with pytest.raises(InputInvalid) as caught:
        check_report_path(out, source)
    assert message.format(tmp=tmp_path) in str(caught.value)


@pytest.mark.parametrize("out", ["r.json", "nieuw/diep/r.json", "bestaand.json", "rapport"])
def test_ordinary_report_paths_are_accepted(tmp_path: Path, out: str) -> None:
    source = _write(tmp_path, (GOOD_LINE + "\n").encode())
    (tmp_path / "bestaand.json").write_text("{}", encoding="utf-8")
    check_report_path(tmp_path / out, source, plots=True)


def test_writing_replaces_the_report_only_when_complete(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "r.json"
    out.write_text('{"oud": true}', encoding="utf-8")

    def fail(src: Any, dst: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(evaluate.os, "replace", fail)
    with pytest.raises(InputInvalid, match=r"Kon .*r\.json niet schrijven \(de schijf is vol\); een eerder bestand"):
        evaluate.write_report({"n": 1}, out)
    assert out.read_text(encoding="utf-8") == '{"oud": true}'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.json"], "the temporary file is removed"
    monkeypatch.undo()
    evaluate.write_report({"n": 1}, tmp_path / "nieuw" / "r.json")
    assert json.loads((tmp_path / "nieuw" / "r.json").read_text(encoding="utf-8")) == {"n": 1}
    assert sorted(p.name for p in (tmp_path / "nieuw").iterdir()) == ["r.json"]


def test_a_written_report_gets_the_usual_file_mode(tmp_path: Path) -> None:
    """A temporary file is private (0600); the report must be as readable as one written with open()."""
    old = os.umask(0o022)
    try:
        write_atomic(tmp_path / "r.json", b"{}")
    finally:
        os.umask(old)
    assert (tmp_path / "r.json").stat().st_mode & 0o777 == 0o644


def test_writing_into_a_file_as_folder_is_a_dutch_error(tmp_path: Path) -> None:
    blocker = _write(tmp_path, b"x", "blok")
    with pytest.raises(InputInvalid, match=r"Kon .*blok/r\.json niet schrijven \(een deel van het pad is een bestand, geen map\)"):
        write_atomic(blocker / "r.json", b"{}")


# ---------------------------------------------------------------- the CLI


class EngineOpened(Exception):  # noqa: N818 - a tripwire, not an error a user sees
    """Raised if a test reaches the engine: every refusal must come before it."""


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch) -> Any:
    def tripwire(**overrides: Any) -> Any:
        raise EngineOpened

    monkeypatch.setattr(cli, "_engine", tripwire)
    runner = CliRunner()

    def invoke(*args: str) -> Any:
        result = runner.invoke(cli.app, ["eval", *args])
        assert not isinstance(result.exception, EngineOpened), "the engine was opened before the input was checked"
        return result

    return invoke


def _set_file(tmp_path: Path, kind: SetKind) -> Path:
    item = GOOD[kind]
    return _write(tmp_path, f"{_line(item)}\n{_line({**item, 'id': 'tweede'})}\n".encode())


@pytest.mark.parametrize("spelling", SPELLINGS)
@pytest.mark.parametrize("kind", ["qa", "claims", "quotes"])
def test_cli_refuses_out_that_is_the_test_set_and_leaves_it_unchanged(
    run: Any, tmp_path: Path, kind: SetKind, spelling: str
) -> None:
    source = _set_file(tmp_path, kind)
    before = source.read_bytes()
    out = _same_file_spellings(tmp_path, source)[spelling]
    result = run(kind, str(source), "--out", str(out))
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith(f"Fout: --out {out} is de testset zelf (set.jsonl)"), result.stderr
    assert "Traceback" not in result.output
    assert source.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hard.jsonl", "link.jsonl", "set.jsonl", "sub"]


@pytest.mark.parametrize("kind", ["qa", "claims", "quotes"])
@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("out is a folder", "Fout: --out {tmp} is een map; geef een bestandsnaam op."),
        ("out is a jsonl", "Fout: --out {tmp}/ander.jsonl heeft de extensie van een testset (.jsonl)"),
        ("out under a file", "Fout: De map voor --out {tmp}/set.jsonl/r.json kan niet worden gemaakt"),
        ("cp1252", "Fout: set.jsonl, regel 2: geen geldige UTF-8 (byte 0xE9); een testset moet UTF-8 zijn."),
        ("utf-16 without bom", "Fout: set.jsonl lijkt UTF-16 zonder BOM; een testset moet UTF-8 zijn."),
        ("binary", "Fout: set.jsonl is geen tekstbestand (het bevat binaire gegevens)"),
        ("a list line", "Fout: set.jsonl, regel 2: elke regel moet een JSON-object zijn ({{…}}), niet de lijst [1]."),
        ("a wrong type", 'Fout: set.jsonl, regel 2: "id" moet een niet-lege tekst zijn, niet het getal 2.'),
        ("a duplicate id", "Fout: set.jsonl: het id "),
        ("empty", "Fout: De testset set.jsonl is leeg."),
        ("input is a folder", "Fout: {tmp}/map is een map, geen bestand; geef het pad van een bestand op."),
    ],
)
def test_cli_refuses_bad_input_before_the_engine(run: Any, tmp_path: Path, kind: SetKind, case: str, message: str) -> None:
    good = _line(GOOD[kind])
    data = {
        "cp1252": f"{good}\n".encode() + _line({**GOOD[kind], "id": "café"}).encode("cp1252"),
        "utf-16 without bom": f"{good}\n".encode("utf-16-le"),
        "binary": bytes(range(256)),
        "a list line": f"{good}\n[1]\n".encode(),
        "a wrong type": f"{good}\n{_line({**GOOD[kind], 'id': 2})}\n".encode(),
        "a duplicate id": f"{good}\n{good}\n".encode(),
        "empty": b"",
    }.get(case, f"{good}\n".encode())
    source = _write(tmp_path, data)
    (tmp_path / "map").mkdir()
    out = {"out is a folder": tmp_path, "out is a jsonl": tmp_path / "ander.jsonl",
           "out under a file": source / "r.json"}.get(case, tmp_path / "r.json")
    file = tmp_path / "map" if case == "input is a folder" else source
    result = run(kind, str(file), "--out", str(out))
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith(message.format(tmp=tmp_path)), result.stderr
    assert "Traceback" not in result.output
    assert source.read_bytes() == data
    assert not (tmp_path / "r.json").exists()


@pytest.mark.parametrize("k", ["0", "-1", "11"])
def test_cli_refuses_a_k_that_the_metrics_cannot_use(run: Any, tmp_path: Path, k: str) -> None:
    source = _set_file(tmp_path, "qa")
    result = run("qa", str(source), "--out", str(tmp_path / "r.json"), "--k", k)
    assert result.exit_code == 1
    assert result.stderr == f"Fout: --k moet tussen 1 en 10 liggen (mrr@10 kijkt naar de eerste 10 passages), niet {k}.\n"


def test_cli_reaches_the_engine_only_with_a_good_set(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The tripwire works: a good set and a good --out get as far as opening the engine."""
    def tripwire(**overrides: Any) -> Any:
        raise EngineOpened

    monkeypatch.setattr(cli, "_engine", tripwire)
    source = _write(tmp_path, codecs.BOM_UTF8 + f"{GOOD_LINE}\n{SECOND}\n".encode())
    result = CliRunner().invoke(cli.app, ["eval", "qa", str(source), "--out", str(tmp_path / "uit" / "r.json")])
    assert isinstance(result.exception, EngineOpened)


def test_an_item_the_system_refuses_is_named(tmp_path: Path) -> None:
    """A text the engine refuses mid-run (too long for it, say) names the item instead of a bare message."""
    def ask(question: str) -> Any:
        raise InputInvalid("De vraag is te lang (3.000 tekens; het maximum is 2.000).")

    with pytest.raises(InputInvalid, match=r'^Item "q1": De vraag is te lang'):
        evaluate.run_qa([QA], ask)
