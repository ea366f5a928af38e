"""The analysis of one article, on its own: what needs no crawl state, no Scrapy, no database.

:mod:`~crawler.analysis.prepare` turns a page's HTML into an article and its decisions, from
:mod:`~crawler.analysis.extract` (trafilatura, htmldate, py3langid),
:mod:`~crawler.analysis.text` (the one text normalisation), :mod:`~crawler.analysis.fingerprint`
(shingles, MinHash), :mod:`~crawler.analysis.relevance`, :mod:`~crawler.analysis.events`,
:mod:`~crawler.analysis.features` (story features) and :mod:`~crawler.analysis.gazetteer`.

The extraction workers import this package and nothing above it, so a worker in another
process (or, tomorrow, on another machine) needs neither Scrapy nor a database session.
What holds cross-article state and decides with it (the near-duplicate index in
:mod:`crawler.dedup`, story clustering in :mod:`crawler.stories`) sits above, in ``crawler``.
``tests/crawler/test_layers.py`` checks the package's imports. The package itself imports
nothing, so importing one module costs only that module.
"""
