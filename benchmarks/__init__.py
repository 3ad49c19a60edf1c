"""The side-by-side benchmark of issue 5: the same data served by ecograph's HTTP endpoint, raw in-process
pyoxigraph, rdflib-endpoint, rdflib in memory and (issue 6) Virtuoso, at several scales. Run it with `scripts/bench`.

    workload.py   the named queries (and their parameters written into the text for rdflib) and point lookups (as
                  queries of one sampled resource, and as the throughput mix)
    data.py       the N-Quads file of a scale: the seed build plus synthetic triples (ecograph.tools.synth)
    engines.py    the servers on loopback; every engine's memory (RSS, PSS)
    inprocess.py  raw pyoxigraph and rdflib in child processes, each query timed inside the child
    virtuoso.py   Virtuoso, and ecograph's front over it (where Virtuoso is installed)
    measure.py    latency (warm-up, p50, p95, time limit), the HTTP floor, throughput of loopback clients (each
                  of them for several engines taking turns, too), the build
    bare.py       the bare peer: Flask + pyoxigraph under gunicorn, nothing else
    wire.py       the wire peer: raw pyoxigraph behind the standard library's HTTP server, nothing else
    run.py        one run over the scales and engines; ecograph, its peers and raw pyoxigraph side by side
    ratios.py     the ratios against each peer, the row-count checks, the HTTP floors, growth with scale
    tables.py     the Markdown of each scale;   targets.py   the rows of the issues' targets
    chart.py      the SVG chart;                report.py    the three files (JSON with the machine, Markdown, SVG)

Benchmarks never assert times: every number is a result."""
