"""Tests of the web layer (ecograph/http/): the endpoints, the W3C protocol and SPARQL suites, real servers, clients."""
