"""The project namespace, the named graphs of a build, and every prefix we bind."""

from rdflib import Namespace
from rdflib.namespace import DCAT, DCTERMS, FOAF, ORG, OWL, PROV, QB, RDF, RDFS, SH, SKOS, TIME, VANN, VOID, XSD

BASE = "https://w3id.org/ecograph/"
ONTOLOGY_IRI = BASE + "ontology"
ECO = Namespace(ONTOLOGY_IRI + "#")
ID = Namespace(BASE + "id/")
ECOSH = Namespace(BASE + "shapes#")
GRAPH = Namespace(BASE + "graph/")
SCHEMA = Namespace("https://schema.org/")
FRAPO = Namespace("http://purl.org/cerif/frapo/")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")

# The named graphs of a build, in the order they are written.
STATED = GRAPH.stated
INTERPRETED = GRAPH.interpreted
INFERRED = GRAPH.inferred
INFERRED_INTERPRETED = GRAPH["inferred-interpreted"]
ONTOLOGY = GRAPH.ontology
SHAPES = GRAPH.shapes
METADATA = GRAPH.metadata
ALL_GRAPHS = (STATED, INTERPRETED, INFERRED, INFERRED_INTERPRETED, ONTOLOGY, SHAPES, METADATA)

PREFIXES = {
    "ecograph": ECO,
    "ecosh": ECOSH,
    "id": ID,
    "program": ID["program/"],
    "pj": ID["pj/"],
    "call": ID["call/"],
    "stakeholder": ID["stakeholder/"],
    "phase": ID["phase/"],
    "milestone": ID["milestone/"],
    "slide": ID["source/slide/"],
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "dcat": DCAT,
    "void": VOID,
    "prov": PROV,
    "org": ORG,
    "foaf": FOAF,
    "qb": QB,
    "time": TIME,
    "vann": VANN,
    "sh": SH,
    "schema": SCHEMA,
    "frapo": FRAPO,
    "sd": SD,
}


# the project's prefixes as plain strings, predeclared for every query the engines run (engine/job.py)
PREFIX_MAP = {prefix: str(ns) for prefix, ns in PREFIXES.items()}


def sparql_prefixes() -> str:
    """The PREFIX lines every named query may rely on."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


def bind_all(graph) -> None:
    """Bind every project prefix on an rdflib graph or dataset."""
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True, replace=True)

# The name of the store's own default graph in FROM and default-graph-uri (Apache Jena's name for it): with it a
# dataset can be the store's default graph beside other graphs, whatever the default_graph setting.
DEFAULT_GRAPH = "urn:x-arq:DefaultGraph"
