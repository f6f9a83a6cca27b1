"""The ``rekenqa`` command line: thin, Dutch, and only calls the pipeline."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from rekenqa.errors import RekenQAError
from rekenqa.terminal import DutchGroup, say, say_json

if TYPE_CHECKING:
    from rekenqa.evaluate import SetKind
    from rekenqa.pipeline import Engine
    from rekenqa.settings import Settings
    from rekenqa.types import Answer, Verdict

app = typer.Typer(
    name="rekenqa",
    cls=DutchGroup,
    help="rekenqa: vraag, check en citeer het rekenkamerrapport 'Migratie in Haarlemmermeer' (offline).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
eval_app = typer.Typer(
    help="Evalueer het systeem op een JSONL-testset (zie EVAL.md).", no_args_is_help=True, cls=DutchGroup
)
app.add_typer(eval_app, name="eval")

F = TypeVar("F", bound=Callable[..., Any])


def friendly(func: F) -> F:
    """Turn RekenQAError into 'Fout: …' on stderr and exit code 1; anything else is a bug."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except RekenQAError as err:
            say(f"Fout: {err}", err=True)
            raise typer.Exit(1) from err

    return wrapper  # type: ignore[return-value]


@app.callback()
def main(verbose: Annotated[int, typer.Option("-v", "--verbose", count=True, help="Meer uitvoer (-v, -vv).")] = 0) -> None:
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)


def _settings(**overrides: Any) -> Settings:
    from rekenqa.settings import Settings

    return Settings.from_env(**overrides)


def _progress() -> Callable[[float, str], None]:
    last = {"message": ""}

    def show(fraction: float, message: str) -> None:
        if message != last["message"]:
            say(f"[{fraction * 100:3.0f}%] {message}", err=True)
            last["message"] = message

    return show


def _engine(**overrides: Any) -> Engine:
    from rekenqa.pipeline import Engine

    engine = Engine.open(_settings(**overrides), progress=_progress())
    if engine.rebuilt_because:
        say(f"Index opnieuw opgebouwd: {engine.rebuilt_because}", err=True)
    return engine


@app.command("index")
@friendly
def index_cmd(
    force: Annotated[bool, typer.Option("--force", help="Alles opnieuw bouwen, ook documenten die niet zijn veranderd.")] = False,
) -> None:
    """Lees alles in corpus/ en bouw de index in index/."""
    from rekenqa import pipeline

    settings = _settings()
    embedder = pipeline.load_embedder(settings)
    if not force:
        # The manifest only: a damaged index file shows when the index is opened, which rebuilds it.
        status = pipeline.index_status(settings, embedder.id, deep=False)
        if status.problem is None:
            say(f"De index in {settings.index_dir} is actueel. Gebruik --force om toch opnieuw te bouwen.")
            return
        say(f"{status.problem.message} De index wordt gebouwd.", err=True)
    report = pipeline.build_index(settings, embedder=embedder, progress=_progress(), show_progress=True, full=force)
    counts = f"{report.documents} document(en), {report.pages} pagina's, {report.chunks} passages, {report.facts} getallen."
    if report.coalesced:
        # Another build asked for at the same time wrote the index while this one waited for it.
        say(f"Een andere opdracht bouwde de index net; die is nu actueel: {counts}")
    else:
        say(f"Index gebouwd in {report.seconds:.1f} s: {counts}")
    for line in report.skipped:
        say(f"Overgeslagen: {line}", err=True)


@app.command("info")
@friendly
def info_cmd(as_json: Annotated[bool, typer.Option("--json", help="Uitvoer als JSON.")] = False) -> None:
    """Toon wat er geïndexeerd is."""
    info = _engine().info()
    if as_json:
        say_json(info)
        return
    counts = info["counts"]
    say(f"Index:     {info['index']} (gebouwd {info['created']})")
    say(f"Embedder:  {info['embedder']['id']} ({info['embedder']['dim']} dimensies)")
    if info["query_encoder"] != info["embedder"]["id"]:
        say(f"Vragen:    {info['query_encoder']} (hetzelfde model, zonder torch)")
    say(
        f"Inhoud:    {counts['documents']} document(en), {counts['pages']} pagina's, "
        f"{counts['chunks']} passages, {counts['facts']} getallen"
    )
    for doc in info["documents"]:
        kind = "rapport" if doc["kind"] == "report" else "bron"
        say(f"  - {doc['id']} ({kind}): {doc['title']} — {doc['pages']} pagina's, {doc['chunks']} passages")
    for line in info["skipped"]:
        say(f"  ! overgeslagen: {line}")


@app.command("page")
@friendly
def page_cmd(
    doc: Annotated[str, typer.Argument(metavar="DOCUMENT", help="Document-id, of 'rapport' voor het rapport.")],
    number: Annotated[str, typer.Argument(metavar="PAGINA", help="Pagina zoals gedrukt: 17, of iii voor een voorpagina.")],
) -> None:
    """Toon de herstelde tekst van een pagina, met de voetnoten."""
    engine = _engine()
    view = engine.page(doc, number)
    first, last = engine.page_name(view.document.id, view.first), engine.page_name(view.document.id, view.last)
    say(f"{view.document.title} — pagina {view.page.name} (van {first}–{last})")
    say("=" * 72)
    say(view.page.text.strip("\n"))
    if view.footnotes:
        say("-" * 72)
        say("Voetnoten op deze pagina:")
        for note in view.footnotes:
            say(f"  [{note.number}] {note.text}")


@app.command("sources")
@friendly
def sources_cmd(as_json: Annotated[bool, typer.Option("--json", help="Uitvoer als JSON.")] = False) -> None:
    """Lijst de bronnen die het rapport citeert, en welke in corpus/ staan."""
    from rekenqa.index import to_json

    engine = _engine()
    sources = engine.sources()
    if as_json:
        say_json(to_json(sources))
        return
    present = [s for s in sources if s.in_corpus_doc]
    say(f"{len(sources)} geciteerde bronnen, waarvan {len(present)} in corpus/ (voetnoot, pagina, in corpus, tekst):")
    for src in sources:
        mark = f"in corpus als {src.in_corpus_doc}" if src.in_corpus_doc else "niet in corpus"
        text = src.text if len(src.text) <= 140 else src.text[:137] + "…"
        say(f"[{src.footnote:>3}] p. {src.page:<3} {mark}: {text}")
        for url in src.urls:
            if url not in text:
                say(f"              {url}")
    cited = {s.in_corpus_doc for s in present}
    uncited = [d.id for d in engine.index.documents if d.id != engine.index.report.id and d.id not in cited]
    if uncited:
        say(f"In corpus/, maar aan geen voetnoot gekoppeld: {', '.join(uncited)} (geef de bron een --url of titel).")
    if len(present) < len(sources):
        say("Een bron toevoegen: rekenqa add PAD --title … --publisher … --year … --url …")


@app.command("add")
@friendly
def add_cmd(
    path: Annotated[Path, typer.Argument(metavar="PAD", help="De bron: een PDF-, .txt- of .md-bestand.")],
    title: Annotated[str, typer.Option("--title", help="Titel (standaard: de titel in de PDF, anders de bestandsnaam).")] = "",
    publisher: Annotated[str, typer.Option("--publisher", help="Uitgever, zoals CBS of SCP.")] = "",
    year: Annotated[int | None, typer.Option("--year", help="Jaar van uitgave.")] = None,
    doc_id: Annotated[str, typer.Option("--id", help="Document-id (standaard: uit de bestandsnaam).")] = "",
    url: Annotated[str, typer.Option("--url", help="Webadres van de bron: koppelt haar aan de voetnoten die ernaar verwijzen.")] = "",
) -> None:
    """Voeg een bron toe aan corpus/ en werk de index bij: alleen de nieuwe bron wordt gelezen en ingesloten."""
    from rekenqa import pipeline
    from rekenqa.catalog import SourceMeta

    meta = SourceMeta(title=title, publisher=publisher, year=year, doc_id=doc_id, url=url)
    change = pipeline.add_source(_settings(), path, meta, progress=_progress(), show_progress=True)
    say(
        f"Toegevoegd: {change.doc_id} (corpus/{change.path}) — {change.pages} pagina's, {change.chunks} passages, "
        f"in {change.seconds:.1f} s."
    )
    if change.build.full_because:
        say(f"De index is helemaal opnieuw gebouwd: {change.build.full_because}.", err=True)
    for line in change.build.skipped:
        say(f"Overgeslagen: {line}", err=True)


@app.command("remove")
@friendly
def remove_cmd(doc_id: Annotated[str, typer.Argument(metavar="ID", help="Id van de bron (zie rekenqa info).")]) -> None:
    """Verwijder een bron uit corpus/ en uit de index; het rapport zelf kan niet worden verwijderd."""
    from rekenqa import pipeline

    change = pipeline.remove_source(_settings(), doc_id, progress=_progress())
    say(
        f"Verwijderd: {change.doc_id} (corpus/{change.path}) — {change.pages} pagina's, {change.chunks} passages; "
        f"index bijgewerkt in {change.seconds:.1f} s."
    )
    if change.build.full_because:
        say(f"De index is helemaal opnieuw gebouwd: {change.build.full_because}.", err=True)


def _answer_json(answer: Answer) -> dict[str, Any]:
    from rekenqa.index import to_json

    data = to_json(answer)
    for citation, out in zip(answer.citations, data["citations"], strict=True):
        out["label"] = citation.label  # "p. 17" or "voetnoot 32 (p. 33)"
    data["passages"] = [
        {"chunk_id": p["chunk"]["id"], "pages": [p["chunk"]["first_page"], p["chunk"]["last_page"]], "score": p["score"]}
        for p in data["passages"]
    ]
    return dict(data)


SOURCES_OPTION = typer.Option(
    "--bronnen", help="Zoek ook in de geciteerde bronnen in corpus/ (na het rapport, met de naam van de bron)."
)


@app.command("ask")
@friendly
def ask_cmd(
    question: Annotated[str, typer.Argument(metavar="VRAAG", help="Je vraag, in gewone taal.")],
    as_json: Annotated[bool, typer.Option("--json", help="Uitvoer als JSON.")] = False,
    retriever: Annotated[str | None, typer.Option("--retriever", help="hybrid, dense of bm25.")] = None,
    sources: Annotated[bool, SOURCES_OPTION] = False,
) -> None:
    """Stel een vraag over het rapport; het antwoord citeert het rapport met paginanummers."""
    engine = _engine()
    answer = engine.ask(question, mode=retriever, sources=sources)
    if as_json:
        say_json(_answer_json(answer))
        return
    say(answer.text)
    if answer.answered:
        say("")
        for doc_id in dict.fromkeys(c.doc_id for c in answer.citations):
            pages = sorted({p for c in answer.citations if c.doc_id == doc_id for p in (c.first_page, *c.also)})
            say("Bronvermelding: " + engine.citation(doc_id, pages))


@app.command("chat")
@friendly
def chat_cmd() -> None:
    """Een gesprek in de terminal: vervolgvragen ('En in 2019?') gebruiken de vorige vraag."""
    from rekenqa.errors import InputInvalid

    engine = _engine()
    history: list[str] = []
    say("Stel je vraag over het rapport (leeg of 'stop' om te stoppen).")
    while True:
        try:
            question = input("vraag> ")
        except EOFError:
            break
        if question.strip().lower() in ("", "stop", "exit", "quit"):
            break
        try:
            answer = engine.ask(question, history=history)
        except InputInvalid as err:
            say(f"Fout: {err}", err=True)
            continue
        say(answer.text + "\n")
        history.append(question)


_VERDICT_NL = {"supported": "KLOPT", "contradicted": "KLOPT NIET", "not_in_report": "STAAT NIET IN HET RAPPORT"}
_QUOTE_NL = {"exact": "LETTERLIJK", "harmless": "ONSCHULDIG AFWIJKEND", "altered": "GEWIJZIGD", "not_found": "NIET GEVONDEN"}


def _verdict_lines(verdict: Verdict) -> list[str]:
    lines = [f"Oordeel: {_VERDICT_NL[verdict.status]} — {verdict.reason}"]
    if verdict.report_value:
        lines.append(f"Waarde in het rapport: {verdict.report_value}" + (f" (verschil: {verdict.difference})" if verdict.difference else ""))
    for ev in verdict.evidence:
        lines.append(f"Bron ({ev.label}): “{ev.sentence}”")
    lines.extend(verdict.notes)
    return lines


@app.command("check")
@friendly
def check_cmd(
    claim: Annotated[str | None, typer.Argument(metavar="BEWERING", help="De bewering die je wilt controleren.")] = None,
    file: Annotated[Path | None, typer.Option("--file", help="Een toespraak of motie (tekstbestand): elke checkwaardige zin.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Uitvoer als JSON.")] = False,
    sources: Annotated[bool, SOURCES_OPTION] = False,
) -> None:
    """Vergelijk een bewering (of een hele toespraak) met de cijfers en zinnen van het rapport."""
    from rekenqa.errors import InputInvalid
    from rekenqa.index import to_json
    from rekenqa.load import read_text_file

    if (claim is None) == (file is None):
        raise InputInvalid("Geef één bewering op, of een bestand met --file.")
    engine = _engine()
    if file is not None:
        results = engine.check_speech(read_text_file(_path_arg(file)), sources=sources)
        if as_json:
            say_json([{"sentence": s, "verdict": to_json(v)} for s, v in results])
            return
        if not results:
            say("Geen checkwaardige zinnen gevonden (zinnen met getallen, vergelijkingen of verwijzingen naar het rapport).")
        for number, (sentence, verdict) in enumerate(results, start=1):
            say(f"{number:>2}. {sentence}")
            for line in _verdict_lines(verdict):
                say(f"    {line}")
        return
    verdict = engine.check_claim(claim or "", sources=sources)
    if as_json:
        say_json(to_json(verdict))
        return
    for line in _verdict_lines(verdict):
        say(line)
    if verdict.evidence and verdict.status != "not_in_report":
        say("Bronvermelding: " + engine.citation(verdict.evidence[0].doc_id, [verdict.evidence[0].page]))


@app.command("quote")
@friendly
def quote_cmd(
    quote: Annotated[str, typer.Argument(metavar="CITAAT", help="Het citaat zoals het in het debat werd gebruikt.")],
    as_json: Annotated[bool, typer.Option("--json", help="Uitvoer als JSON.")] = False,
    sources: Annotated[bool, SOURCES_OPTION] = False,
) -> None:
    """Controleer of een citaat letterlijk in het rapport staat, en op welke pagina."""
    from rekenqa.index import to_json

    verdict = _engine().check_quote(quote, sources=sources)
    if as_json:
        say_json(to_json(verdict))
        return
    say(f"Oordeel: {_QUOTE_NL[verdict.status]} — {verdict.reason}")
    if verdict.original:
        pages = ", ".join(verdict.page_names or map(str, verdict.pages))
        say(f"Origineel (p. {pages}): “{verdict.original}”")
    if verdict.status in ("harmless", "altered"):
        diff = " ".join(
            op.text if op.op == "equal" else f"[-{op.text}-]" if op.op == "removed" else f"{{+{op.text}+}}"
            for op in verdict.diff
        )
        say(f"Verschil: {diff}")
    if verdict.citation:
        say(f"Bronvermelding: {verdict.citation}")


@app.command("app")
@friendly
def app_cmd(
    address: Annotated[
        str, typer.Option("--adres", help="Adres waarop de app luistert; standaard alleen deze computer.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--poort", min=1, max=65535, help="Poort waarop de app luistert.")] = 8501,
    headless: Annotated[bool, typer.Option("--headless", help="Open geen browser (voor een server of een test).")] = False,
) -> None:
    """Start de app in de browser, vanuit elke map; alleen bereikbaar vanaf deze computer (127.0.0.1)."""
    from rekenqa import launch

    script = launch.prepare(address, port)
    if not launch.is_loopback(address):
        say(
            f"Let op: de app luistert op {address}, dus ook andere computers in het netwerk kunnen haar openen, "
            "met de documenten en de vragen die erin worden gesteld. Laat --adres weg om alleen op deze "
            "computer te luisteren.",
            err=True,
        )
    say(f"De app start op {launch.url(address, port)} (stoppen: Ctrl+C).", err=True)
    launch.run(script, address, port, headless)


@eval_app.command("qa")
@friendly
def eval_qa(
    file: Annotated[Path, typer.Argument(help="JSONL-testset met vragen.")],
    out: Annotated[Path, typer.Option("--out", help="Waar het JSON-rapport komt.")],
    retriever: Annotated[str, typer.Option("--retriever", help="hybrid, dense of bm25.")] = "hybrid",
    k: Annotated[int, typer.Option("--k", help="Aantal passages voor hit@k.")] = 5,
) -> None:
    """Scoor vraag-en-antwoord (retrieval, citaties, getallen, weigeringen, latentie)."""
    from rekenqa import evaluate
    from rekenqa.errors import InputInvalid

    if not 1 <= k <= 10:
        raise InputInvalid(f"--k moet tussen 1 en 10 liggen (mrr@10 kijkt naar de eerste 10 passages), niet {k}.")
    items = _test_set(file, out, "qa")
    engine = _engine(retriever=retriever)
    for example in engine.profile.examples[:1]:
        engine.ask(example)  # warm up
    report = evaluate.run_qa(items, lambda q: engine.ask(q, mode=retriever), k=k)
    report["retriever"] = retriever
    evaluate.write_report(report, out)
    plots = evaluate.qa_plots(report, out)
    typer.echo(evaluate.qa_table(report))
    typer.echo(f"\nRapport: {out}; grafieken: {', '.join(str(p) for p in plots)}")


@eval_app.command("claims")
@friendly
def eval_claims(
    file: Annotated[Path, typer.Argument(help="JSONL-testset met beweringen.")],
    out: Annotated[Path, typer.Option("--out", help="Waar het JSON-rapport komt.")],
) -> None:
    """Scoor de feitencheck (supported / contradicted / not_in_report)."""
    from rekenqa import evaluate

    items = _test_set(file, out, "claims")
    engine = _engine()
    for example in engine.profile.examples[:1]:
        engine.check_claim(example)  # warm up: embedder, retrieval and facts
    _write_classification(evaluate.run_claims(items, engine.check_claim), out, evaluate.CLAIM_LABELS)


@eval_app.command("quotes")
@friendly
def eval_quotes(
    file: Annotated[Path, typer.Argument(help="JSONL-testset met citaten.")],
    out: Annotated[Path, typer.Option("--out", help="Waar het JSON-rapport komt.")],
) -> None:
    """Scoor de citaatcontrole (exact / harmless / altered / not_found)."""
    from rekenqa import evaluate

    items = _test_set(file, out, "quotes")
    engine = _engine()
    engine.quote_matcher()  # warm up: the matcher is built on first use
    _write_classification(evaluate.run_quotes(items, engine.check_quote), out, evaluate.QUOTE_LABELS)


def _write_classification(report: dict[str, Any], out: Path, labels: tuple[str, ...]) -> None:
    """Write a claims or quotes report and print its confusion table."""
    from rekenqa import evaluate

    evaluate.write_report(report, out)
    typer.echo(evaluate.classification_table(report, labels))
    typer.echo(f"\nRapport: {out}")


def _test_set(file: Path, out: Path, kind: SetKind) -> list[dict[str, Any]]:
    """Check the report path and read the whole test set, before the engine opens: a mistake costs no run."""
    from rekenqa import evaluate

    source = _path_arg(file)
    evaluate.check_report_path(out, source, plots=kind == "qa")
    return evaluate.read_jsonl(source, evaluate.REQUIRED[kind], kind)


def _path_arg(path: Path) -> Path:
    if not path.is_file():
        from rekenqa.errors import InputInvalid

        if path.is_dir():
            raise InputInvalid(f"{path} is een map, geen bestand; geef het pad van een bestand op.")
        raise InputInvalid(f"Bestand niet gevonden: {path}.")
    return path
