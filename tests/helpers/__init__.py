"""Helpers the test modules share, one copy each (no test module imports another): paths (the folders tests read),
project (a copy of the project, settings, the fixture release, an app over files), servers (a real `ecograph
serve`), rdfload and rows and sparql_answers (RDF and answers as tests compare them), shapes, named_queries,
browser, virtuoso_known; and load_generator, the load test program that scripts/load-test runs."""
