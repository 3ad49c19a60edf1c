"""The side-by-side benchmark of issue 5: the same data served by ecograph's HTTP endpoint, raw in-process
pyoxigraph, rdflib-endpoint and rdflib in memory, at several scales. Run it with `scripts/bench`.

    workload.py   the named queries (and their parameters written into the text for rdflib) and point lookups
    data.py       the N-Quads file of a scale: the seed build plus synthetic triples (ecograph.synth)
    engines.py    the four engines: two servers on loopback, two in-memory engines in child processes
    measure.py    latency (warm-up, p50, p95, time limit), throughput of loopback clients, the build
    run.py        one run over the scales and engines
    report.py     ratios, the Markdown table, the SVG chart, the JSON with the machine

Benchmarks never assert times: every number is a result."""
