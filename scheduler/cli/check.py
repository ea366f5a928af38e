"""``newswatch check URL``: try a URL before adding it as a source.

Says what the URL is (feed, sitemap or sitemap index, listing page, article page), shows
its first entries and what a crawl would extract from one article (relevance and event
included), and prints the ``sources:`` entry to paste into config.yaml. Nothing is stored.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.text import Text

from core.errors import NewswatchError, UsageError
from core.jsonable import jsonable
from scheduler.cli.common import ConfigOption, FormatOption, VerboseOption, command, load_config, stdout_console
from scheduler.cli.output import OutputFormat

if TYPE_CHECKING:
    from rich.console import Console

    from core.config import Config
    from crawler.probe import Probe

# Characters of article text shown.
TEXT_PREVIEW = 300


def check(
    url: Annotated[str, typer.Argument(help="A feed, sitemap, listing page or article URL.", show_default=False)],
    fmt: FormatOption = OutputFormat.table,
    config: ConfigOption = None,
    verbose: VerboseOption = False,
) -> None:
    """Say what a URL is to the crawler, show what a crawl would find there, print its sources: entry.

    Fetches under the crawl's limits (crawl.timeout, crawl.max_response_size, the
    private-address guard); stores nothing. Exit 1 when the URL cannot be fetched or
    serves nothing the crawler can use.
    """
    with command(verbose, quiet=True) as stdout:
        # Lazy on purpose: the config models (pydantic) load only when a command runs, not for --help.
        from core.config import check_http_url

        try:
            check_http_url(url)
        except ValueError as exc:
            raise UsageError(f"URL {url!r}: {exc}") from None
        if fmt is OutputFormat.csv:
            raise UsageError("--format csv: check prints a report; use table or json")
        cfg = load_config(config)
        # Lazy on purpose: extraction (trafilatura, htmldate) loads only for `check`.
        from crawler.fetch_once import FetchError
        from crawler.probe import probe

        try:
            result = probe(url, cfg)
        except FetchError as exc:
            raise NewswatchError(f"{url}: {exc}") from None
        entry = sources_entry(result, cfg, url)
        if fmt is OutputFormat.json:
            stdout.write(json.dumps([report(result, entry)], ensure_ascii=False) + "\n")
        else:
            show(result, entry, stdout_console(stdout))


def sources_entry(result: Probe, cfg: Config, asked: str) -> dict[str, str] | None:
    """The ``sources:`` entry for the checked URL (validated as config.yaml would).

    None for an article page, and for a URL a configured source already has (``asked`` is
    the URL as given, ``result.url`` where redirects led): a note says which.
    """
    from crawler.probe import source_name

    if result.source_type is None:
        return None
    existing = next((s.name for s in cfg.sources if s.url in (asked, result.url)), None)
    if existing is not None:
        result.notes.append(f"already configured: source {existing!r} has this URL")
        return None
    taken = {s.name for s in cfg.sources}
    name = base = source_name(result.url)
    number = 2
    while name in taken:
        name, number = f"{base}-{number}", number + 1
    entry = {"name": name, "type": result.source_type, "url": result.url}
    language = result.article.language if result.article is not None else None
    if language:
        # The fallback for pages that do not say (SourceConfig.language).
        entry["language"] = language
    from core.config import SourceConfig  # lazy, as in check()

    SourceConfig.model_validate(entry)
    return entry


def entry_yaml(entry: dict[str, str]) -> str:
    """The entry as one line to paste under config.yaml's ``sources:``, in the shipped file's style."""
    import yaml  # lazy: not loaded for --help

    flow = yaml.safe_dump(entry, allow_unicode=True, sort_keys=False, default_flow_style=True, width=10_000)
    return f"  - {flow.strip()}"


def report(result: Probe, entry: dict[str, str] | None) -> dict[str, Any]:
    """The check as one JSON object (``--format json``)."""
    article = result.article
    analysis = article.analysis if article is not None else None
    event = analysis.event if analysis is not None else None
    return jsonable(
        {
            "url": result.url,
            "kind": result.kind,
            "description": result.description,
            "warning": result.warning,
            "notes": result.notes,
            "feeds": result.feeds,
            "sitemaps": result.sitemaps[:5],
            "sitemap_count": len(result.sitemaps),
            "entry_count": len(result.entries),
            "entries": [{"title": e.title, "published": e.published, "url": e.url} for e in result.entries[:5]],
            "article": None
            if article is None or article.failure or article.empty
            else {
                "url": result.article_url,
                "title": article.title,
                "published": article.published,
                "language": article.language,
                "text": article.text[:TEXT_PREVIEW],
                "relevant": analysis.relevant if analysis else None,
                "relevance_score": round(analysis.relevance_score, 3) if analysis else None,
                "event_kind": event.kind if event else None,
                "event_subtype": event.subtype if event else None,
                "evidence": event.evidence if event else None,
            },
            "article_url": result.article_url,
            "article_error": result.article_error,
            "source": entry,
        }
    )


def show(result: Probe, entry: dict[str, str] | None, console: Console) -> None:
    """The check for a person: what the URL is, its first entries, one article, the entry to paste."""
    data = report(result, entry)
    console.print(Text.assemble(("URL: ", "bold"), result.url), soft_wrap=True)
    console.print(Text.assemble(("Is: ", "bold"), (result.description, "green")))
    for line in filter(None, [result.warning, *result.notes]):
        console.print(Text(f"Warning: {line}", style="yellow"), soft_wrap=True)
    if result.sitemaps:
        console.print(Text(f"\nChild sitemaps ({len(result.sitemaps)}, first entries from the first):", style="bold"))
        for child in result.sitemaps[:5]:
            console.print(f"  {child}", soft_wrap=True)
    if result.kind != "article":
        console.print(Text(f"\nFirst entries ({len(result.entries)} in all):", style="bold"))
        for item in data["entries"]:
            date = (item["published"] or "no date")[:16].replace("T", " ")
            console.print(Text.assemble("  ", (date, "cyan"), "  ", item["title"] or "(no title)"), soft_wrap=True)
            console.print(f"    {item['url']}", soft_wrap=True)
        if not result.entries:
            console.print("  (none)")
    _show_article(data, console)
    for feed in result.feeds:
        console.print(Text.assemble(("\nThe page announces a feed: ", "bold"), feed), soft_wrap=True)
    if entry is None and result.source_type is not None:
        return  # already configured: the warning above says as which source
    if entry is None:
        console.print(
            "\nAn article page is not a source: check the site's feed, news sitemap or a section page.",
            soft_wrap=True,
        )
        return
    console.print(Text("\nTo watch it, add this line under sources: in config.yaml:", style="bold"))
    console.print(Text(entry_yaml(entry)), soft_wrap=True)


def _show_article(data: dict[str, Any], console: Console) -> None:
    if data["article_url"] is None:
        return
    console.print(Text.assemble(("\nExtracted from ", "bold"), data["article_url"]), soft_wrap=True)
    article = data["article"]
    if article is None:
        console.print(Text(f"  nothing: {data['article_error'] or 'no article text'}", style="yellow"), soft_wrap=True)
        return
    rows = [
        ("Title", article["title"]),
        ("Published", article["published"] or "not found"),
        ("Language", article["language"] or "unknown"),
        ("Relevant", f"{'yes' if article['relevant'] else 'no'} (score {article['relevance_score']})"),
    ]
    if article["event_kind"]:
        from storage.labels import event_label  # lazy: not loaded for --help

        rows.append(("Event", event_label(article["event_kind"], article["event_subtype"])))
        rows.append(("Evidence", article["evidence"]))
    for label, value in rows:
        console.print(Text.assemble((f"  {label}: ", "bold"), str(value)), soft_wrap=True)
    text = " ".join(article["text"].split())
    ellipsis = "…" if len(text) >= TEXT_PREVIEW - 5 else ""
    console.print(Text.assemble(("  Text: ", "bold"), text + ellipsis), soft_wrap=True)
