"""``newswatch explain ARTICLE``: why an article is or is not relevant, an event, in a story, alerted."""

from __future__ import annotations

from typing import Annotated, Any, TextIO

import typer

from core.errors import NewswatchError, UsageError
from scheduler.cli.common import ConfigOption, VerboseOption, command, load_config, read
from scheduler.cli.output import OutputFormat, to_json


def explain(
    article: Annotated[str, typer.Argument(metavar="ARTICLE", help="A stored article's id or URL.")],
    fmt: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="Output format: table or json.", case_sensitive=False)
    ] = OutputFormat.table,
    config: ConfigOption = None,
    verbose: VerboseOption = False,
) -> None:
    """Why an article is or is not relevant, which event statements it makes, its story and alert.

    Reruns today's analysis on the stored text: the names and keywords that matched (and in
    which language), every outcome or clash statement found with its PLOVER class and why it
    counted or was set aside, the story it joined and why, and whether it alerted.
    """
    with command(verbose) as stdout:
        if fmt is OutputFormat.csv:
            # One nested report, not rows: there is nothing to put in columns.
            raise UsageError("--format csv: explain prints one report; use table or json")
        cfg = load_config(config)
        # Lazy on purpose: the analysis and the archive load only when explain runs, not for --help.
        from crawler.explain import explain_article
        from crawler.urls import canonicalize
        from storage.explain import find_article

        def query(session: Any) -> dict[str, Any]:
            try:
                canonical = canonicalize(article) if "://" in article else None
            except ValueError:
                canonical = None
            found = find_article(session, article, canonical)
            if found is None:
                raise NewswatchError(f"no stored article {article!r} (give an id or a URL the archive has)")
            return explain_article(session, cfg, found)

        report = read(cfg, query)
        if fmt is OutputFormat.json:
            stdout.write(to_json([report]))
        else:
            _print(report, stdout)
        stdout.flush()


def _print(report: dict[str, Any], out: TextIO) -> None:
    """The report as indented text, one decision per block."""
    relevance = report["relevance"]

    def line(text: str = "", indent: int = 0) -> None:
        out.write(" " * indent + text + "\n")

    line(f"Article {report['id']}: {report['title']}")
    line(
        f"{report['url']}  ({report['source'] or 'no source'}, {report['language'] or 'language unknown'}, "
        f"published {report['published'] or 'unknown'})",
        2,
    )
    line()
    line(f"Relevant: {'yes' if relevance['relevant'] else 'no'} (score {relevance['score']}): {relevance['reason']}")
    for name in relevance["names"]:
        line(f"{name['kind']} {name['name']}: as {name['as']!r} ({name['script']} script)", 2)
    for keyword in relevance["keywords"]:
        languages = ", ".join(keyword["languages"]) or "?"
        line(f"keyword {keyword['keyword']!r} ({languages})", 2)
    if not relevance["names"] and not relevance["keywords"]:
        line("no name or keyword of the topic in the headline and lede", 2)
    line()
    event = report["event"]
    if event:
        line(f"Event: {event['kind']}/{event['subtype']} (score {event['score']})")
        line(f"evidence: {event['evidence']}", 2)
        fields = ", ".join(f"{k}={v}" for k, v in event["fields"].items() if v)
        line(f"fields: {fields}", 2)
        if event.get("span"):
            # Why reports at the same place days apart join this one (docs/events.md).
            line(f"span: {event['span'][0]} to {event['span'][1]} (the text says the event lasted these days)", 2)
    else:
        line(f"Event: none ({report['event_why_not']})")
    for statement in report["statements"]:
        line(
            f"{statement['verdict']}: {statement['kind']}/{statement['subtype']} [{statement['class']}] "
            f"{statement['matched']!r} ({statement['language']})",
            2,
        )
    line()
    story = report["story"]
    line(f"Story: {story['reason']}")
    alert = report["alert"]
    line(f"Alert: {'yes' if alert['alerted'] else 'no'}: {alert['reason']}")
