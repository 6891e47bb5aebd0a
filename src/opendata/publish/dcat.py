"""DCAT-AP 3.0 metadata of a publication: the site's catalog, the package, one distribution a file.

Who publishes: the package's publisher is whoever the descriptor lists with role ``publisher``
(the opendata contributors). The district government published the *report*, not this derived
package, so it appears only as the publisher of the source the dataset was derived from
(``prov:wasDerivedFrom``), never as ``dct:publisher`` of the dataset.

Every node gets an IRI (a fragment of the site root), no blank node: serialisations then stay
byte-stable, and a portal can link to each node.
"""

from __future__ import annotations

import json

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV, RDF, RDFS, SKOS, XSD

from opendata.exceptions import OpendataError
from opendata.publish.common import Download, Publication, agents, in_languages, keywords, licence

DCAT = Namespace("http://www.w3.org/ns/dcat#")  # rdflib's DCAT is version 2: no dcat:version
SPDX = Namespace("http://spdx.org/rdf/terms#")
PREFIXES = {"dcat": DCAT, "dct": DCTERMS, "foaf": FOAF, "prov": PROV, "rdfs": RDFS,
            "skos": SKOS, "spdx": SPDX, "xsd": XSD}
IANA_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"
EU_LANGUAGES = "http://publications.europa.eu/resource/authority/language/"
EU_FILE_TYPES = "http://publications.europa.eu/resource/authority/file-type/"
LANGUAGE_CODES = {"zh-Hans": "ZHO", "en": "ENG"}
# Download.format → EU file-type code. SQLite has no code (SQL is a text script, OCTET says
# nothing), so an SQLite distribution has no dct:format; its dcat:mediaType says what it is.
FILE_TYPES = {"CSV": "CSV", "JSON": "JSON", "ZIP": "ZIP", "XLSX": "XLSX", "TXT": "TXT"}


def graph(publication: Publication) -> Graph:
    """The catalog (the site root), the package as its dataset and one distribution per download,
    valid against the DCAT-AP 3.0.1 shapes; every node a shape constrains by class is typed."""
    names = [download.name for download in publication.downloads]
    if len(set(names)) < len(names):  # a name keys its distribution's IRI
        raise OpendataError(f"downloads share a name: {sorted(names)}")
    g = Graph(bind_namespaces="core")
    for prefix, namespace in PREFIXES.items():
        g.bind(prefix, namespace)
    catalog, dataset = URIRef(publication.url("")), URIRef(publication.url("#dataset"))
    g.add((catalog, RDF.type, DCAT.Catalog))
    g.add((catalog, DCAT.dataset, dataset))
    g.add((dataset, RDF.type, DCAT.Dataset))
    for node in (catalog, dataset):
        _describe(g, node, publication)
    _describe_dataset(g, dataset, publication)
    for download in publication.downloads:
        g.add((dataset, DCAT.distribution, _distribution(g, download, publication)))
    return g


def turtle(publication: Publication) -> bytes:
    """The graph as UTF-8 Turtle; the same publication always gives the same bytes."""
    return graph(publication).serialize(format="turtle", encoding="utf-8")


def jsonld(publication: Publication) -> bytes:
    """The graph as UTF-8 JSON-LD with prefixes compacted; the same publication always gives the
    same bytes (nodes sorted by ``@id``, every unordered array sorted, keys sorted)."""
    data = json.loads(graph(publication).serialize(
        format="json-ld", context={p: str(ns) for p, ns in PREFIXES.items()}))
    return (json.dumps(_sorted(data), ensure_ascii=False, indent=2, sort_keys=True)
            + "\n").encode("utf-8")


# Building the graph.

def _describe(g: Graph, node: URIRef, publication: Publication) -> None:
    """What catalog and dataset share: titles, descriptions, publisher, licence, languages."""
    descriptor = publication.descriptor
    for language in descriptor.get("languages", LANGUAGE_CODES):
        g.add((node, DCTERMS.title, Literal(publication.text("title", language), lang=language)))
        g.add((node, DCTERMS.description,
               Literal(publication.text("description", language), lang=language)))
        g.add((node, DCTERMS.language, _typed(g, EU_LANGUAGES + LANGUAGE_CODES[language],
                                               DCTERMS.LinguisticSystem)))
    publisher = _agent(g, publication.url("#publisher"), {None: agents(descriptor, "publisher")})
    g.add((node, DCTERMS.publisher, publisher))
    g.add((node, DCTERMS.license, _licence(g, descriptor)))
    if publication.release_date:
        g.add((node, DCTERMS.issued, _moment(publication.release_date)))
    if descriptor.get("created"):
        g.add((node, DCTERMS.modified, _moment(descriptor["created"])))


def _describe_dataset(g: Graph, dataset: URIRef, publication: Publication) -> None:
    descriptor = publication.descriptor
    g.add((dataset, DCTERMS.identifier, Literal(descriptor.get("id") or descriptor["name"])))
    g.add((dataset, DCAT.version, Literal(publication.version)))
    creator = agents(descriptor, "creator")
    g.add((dataset, DCTERMS.creator, _agent(g, publication.url(
        "#publisher" if creator == agents(descriptor, "publisher") else "#creator"),
        {None: creator})))
    for language, words in keywords(descriptor).items():
        for word in words:
            g.add((dataset, DCAT.keyword, Literal(word, lang=language)))
    for page in ("zh/", "en/"):
        g.add((dataset, DCAT.landingPage, _typed(g, publication.url(page), FOAF.Document)))
    if "temporal" in descriptor:
        g.add((dataset, DCTERMS.temporal, _period(g, publication)))
    if "spatial" in descriptor:
        g.add((dataset, DCTERMS.spatial, _location(g, publication)))
    for source in descriptor.get("sources", [])[:1]:
        g.add((dataset, PROV.wasDerivedFrom, _source(g, source, publication)))


def _distribution(g: Graph, download: Download, publication: Publication) -> URIRef:
    node = URIRef(publication.url(f"#distribution-{download.name}"))
    url = URIRef(publication.url(download.path))
    g.add((node, RDF.type, DCAT.Distribution))
    for language in LANGUAGE_CODES:
        g.add((node, DCTERMS.title, Literal(download.title(language), lang=language)))
    g.add((node, DCAT.accessURL, url))
    g.add((node, DCAT.downloadURL, url))
    media_type = download.media_type.split(";")[0].strip()
    g.add((node, DCAT.mediaType, _typed(g, IANA_MEDIA_TYPES + media_type, DCTERMS.MediaType)))
    if download.format.upper() in FILE_TYPES:
        g.add((node, DCTERMS.format, _typed(
            g, EU_FILE_TYPES + FILE_TYPES[download.format.upper()], DCTERMS.MediaTypeOrExtent)))
    g.add((node, DCAT.byteSize, Literal(download.bytes, datatype=XSD.nonNegativeInteger)))
    g.add((node, SPDX.checksum, _checksum(g, download, publication)))
    g.add((node, DCTERMS.license, _licence(g, publication.descriptor)))
    return node


def _checksum(g: Graph, download: Download, publication: Publication) -> URIRef:
    node = URIRef(publication.url(f"#checksum-{download.name}"))
    g.add((node, RDF.type, SPDX.Checksum))
    g.add((node, SPDX.algorithm, _typed(g, SPDX.checksumAlgorithm_sha256, SPDX.ChecksumAlgorithm)))
    g.add((node, SPDX.checksumValue, Literal(download.sha256, datatype=XSD.hexBinary)))
    return node


def _agent(g: Graph, iri: str, names: dict[str | None, str]) -> URIRef:
    node = _typed(g, iri, FOAF.Agent)
    for language, text in names.items():
        g.add((node, FOAF.name, Literal(text, lang=language)))
    return node


def _licence(g: Graph, descriptor: dict) -> URIRef:
    chosen = licence(descriptor)
    node = _typed(g, chosen["path"], DCTERMS.LicenseDocument)
    if chosen.get("title"):
        g.add((node, RDFS.label, Literal(chosen["title"], lang="en")))
    return node


def _period(g: Graph, publication: Publication) -> URIRef:
    temporal = publication.descriptor["temporal"]
    node = _typed(g, publication.url("#period"), DCTERMS.PeriodOfTime)
    for key, predicate in (("start", DCAT.startDate), ("end", DCAT.endDate)):
        if temporal.get(key):
            g.add((node, predicate, Literal(str(temporal[key]), datatype=XSD.date)))
    return node


def _location(g: Graph, publication: Publication) -> URIRef:
    spatial = publication.descriptor["spatial"]
    node = _typed(g, publication.url("#location"), DCTERMS.Location)
    g.add((node, SKOS.prefLabel, Literal(spatial["name"], lang="en")))
    if spatial.get("name_zh"):
        g.add((node, SKOS.prefLabel, Literal(spatial["name_zh"], lang="zh-Hans")))
    if spatial.get("admin_code"):  # the national administrative division code (GB/T 2260)
        g.add((node, DCTERMS.identifier, Literal(str(spatial["admin_code"]))))
    return node


def _source(g: Graph, source: dict, publication: Publication) -> URIRef:
    """The report the package was derived from, with its publisher and date."""
    node = _typed(g, publication.url("#source"), FOAF.Document)
    for language, text in in_languages(source, "title").items():
        g.add((node, DCTERMS.title, Literal(text, lang=language)))
    if source.get("publisher"):
        g.add((node, DCTERMS.publisher, _agent(g, publication.url("#source-publisher"),
                                               in_languages(source, "publisher"))))
    if source.get("date"):
        g.add((node, DCTERMS.issued, _moment(str(source["date"]))))
    return node


def _typed(g: Graph, iri: str, kind: URIRef) -> URIRef:
    node = URIRef(iri)
    g.add((node, RDF.type, kind))
    return node


def _moment(text: str) -> Literal:
    """A date or a date-time literal (rdflib writes a "Z" zone as "+00:00", the same instant)."""
    return Literal(text, datatype=XSD.dateTime if "T" in text else XSD.date)


def _sorted(value):
    """JSON-LD with every array sorted: they are unordered sets (this graph has no lists)."""
    if isinstance(value, dict):
        return {key: _sorted(item) for key, item in value.items()}
    if isinstance(value, list):
        items = [_sorted(item) for item in value]
        return sorted(items, key=lambda item: json.dumps(item, ensure_ascii=False,
                                                         sort_keys=True))
    return value
