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
from opendata.publish.common import Download, Portal, Publication
from opendata.publish.facts import Bilingual, PackageFacts, Period, Place, Source

DCAT = Namespace("http://www.w3.org/ns/dcat#")  # rdflib's DCAT is version 2: no dcat:version
DCATAP = Namespace("http://data.europa.eu/r5r/")
SPDX = Namespace("http://spdx.org/rdf/terms#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
PREFIXES = {"dcat": DCAT, "dcatap": DCATAP, "dct": DCTERMS, "foaf": FOAF, "prov": PROV,
            "rdfs": RDFS, "skos": SKOS, "spdx": SPDX, "vcard": VCARD, "xsd": XSD}
IANA_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"
EU_AUTHORITY = "http://publications.europa.eu/resource/authority/"
EU_LANGUAGES = EU_AUTHORITY + "language/"
EU_FILE_TYPES = EU_AUTHORITY + "file-type/"
EU_THEMES = EU_AUTHORITY + "data-theme"  # the scheme; a theme is EU_THEMES/<code>
# The EU data themes (curation/package.yaml's `themes`), with the authority's English labels.
THEMES = {"AGRI": "Agriculture, fisheries, forestry and food", "ECON": "Economy and finance",
          "EDUC": "Education, culture and sport", "ENER": "Energy", "ENVI": "Environment",
          "GOVE": "Government and public sector", "HEAL": "Health",
          "INTR": "International issues", "JUST": "Justice, legal system and public safety",
          "OP_DATPRO": "Provisional data", "REGI": "Regions and cities",
          "SOCI": "Population and society", "TECH": "Science and technology",
          "TRAN": "Transport"}
# The package's update_frequency → the EU frequency authority's code.
FREQUENCIES = {"annual": "ANNUAL", "irregular": "IRREG"}
# Every published file stays where it is for as long as the site lives: a release's files
# are never replaced (docs/publishing.md).
STABLE = EU_AUTHORITY + "planned-availability/STABLE"
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
        _describe(g, node, publication.facts)
    _describe_catalog(g, catalog, publication.facts, publication.portal)
    _describe_dataset(g, dataset, publication.facts)
    _describe_portal(g, dataset, publication.facts, publication.portal)
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

def _describe(g: Graph, node: URIRef, facts: PackageFacts) -> None:
    """What catalog and dataset share: titles, descriptions, publisher, licence, languages."""
    for language in facts.languages:
        g.add((node, DCTERMS.title, Literal(facts.title(language), lang=language)))
        g.add((node, DCTERMS.description, Literal(facts.description(language), lang=language)))
        g.add((node, DCTERMS.language, _typed(g, language_iri(language),
                                               DCTERMS.LinguisticSystem)))
    publisher = _agent(g, facts.url("#publisher"), {None: facts.agent("publisher")})
    g.add((node, DCTERMS.publisher, publisher))
    g.add((node, DCTERMS.license, _licence(g, facts)))
    if facts.released:
        g.add((node, DCTERMS.issued, _moment(facts.released)))
    if facts.modified:
        g.add((node, DCTERMS.modified, _moment(facts.modified)))


def theme_iri(code: str) -> str:
    """The EU data-theme authority IRI of a theme code (GOVE)."""
    return f"{EU_THEMES}/{code}"


def frequency_iri(frequency: str | None) -> str | None:
    """The EU frequency authority IRI of an update frequency; None for none it knows."""
    code = FREQUENCIES.get(frequency or "")
    return f"{EU_AUTHORITY}frequency/{code}" if code else None


def is_email(contact: str) -> bool:
    """Whether a contact is an e-mail address rather than a URL."""
    return "@" in contact and "://" not in contact


def language_iri(language: str) -> str:
    """The EU language authority IRI of a language tag: what DCAT and CKAN both state."""
    return EU_LANGUAGES + LANGUAGE_CODES[language]


def _describe_catalog(g: Graph, catalog: URIRef, facts: PackageFacts, portal: Portal) -> None:
    """The catalog's home page (the landing page in the package's first language), where
    its dataset is about, and the taxonomy its themes come from."""
    g.add((catalog, FOAF.homepage, _typed(g, facts.landing_page(facts.languages[0]),
                                          FOAF.Document)))
    if facts.spatial:
        g.add((catalog, DCTERMS.spatial, _location(g, facts.url("#location"), facts.spatial)))
    if portal.themes:
        taxonomy = _typed(g, EU_THEMES, SKOS.ConceptScheme)
        g.add((taxonomy, DCTERMS.title, Literal("Data theme", lang="en")))
        g.add((catalog, DCAT.themeTaxonomy, taxonomy))


def _describe_portal(g: Graph, dataset: URIRef, facts: PackageFacts, portal: Portal) -> None:
    """The dataset's themes, how often it is revised and whom to ask."""
    for theme in portal.themes:
        node = _typed(g, theme_iri(theme), SKOS.Concept)
        g.add((node, SKOS.prefLabel, Literal(THEMES[theme], lang="en")))
        g.add((node, SKOS.inScheme, URIRef(EU_THEMES)))
        g.add((dataset, DCAT.theme, node))
    if frequency := frequency_iri(portal.update_frequency):
        g.add((dataset, DCTERMS.accrualPeriodicity, _typed(g, frequency, DCTERMS.Frequency)))
    if portal.contact:
        contact = _typed(g, facts.url("#contact"), VCARD.Kind)
        g.add((contact, VCARD.fn, Literal(facts.agent("publisher"))))
        if is_email(portal.contact):
            g.add((contact, VCARD.hasEmail, URIRef(f"mailto:{portal.contact}")))
        else:
            g.add((contact, VCARD.hasURL, URIRef(portal.contact)))
        g.add((dataset, DCAT.contactPoint, contact))


def _describe_dataset(g: Graph, dataset: URIRef, facts: PackageFacts) -> None:
    g.add((dataset, DCTERMS.identifier, Literal(facts.identifier)))
    g.add((dataset, DCAT.version, Literal(facts.version)))
    g.add((dataset, DCTERMS.creator, _agent(g, facts.url(
        "#publisher" if facts.creator == facts.publisher else "#creator"),
        {None: facts.agent("creator")})))
    for language, words in facts.keywords.items():
        for word in words:
            g.add((dataset, DCAT.keyword, Literal(word, lang=language)))
    for language in facts.languages:
        g.add((dataset, DCAT.landingPage, _typed(g, facts.landing_page(language),
                                                 FOAF.Document)))
    if facts.temporal:
        g.add((dataset, DCTERMS.temporal, _period(g, facts.url("#period"), facts.temporal)))
    if facts.spatial:
        g.add((dataset, DCTERMS.spatial, _location(g, facts.url("#location"), facts.spatial)))
    if facts.source:
        g.add((dataset, PROV.wasDerivedFrom, _source(g, facts, facts.source)))


def _distribution(g: Graph, download: Download, publication: Publication) -> URIRef:
    node = URIRef(publication.url(f"#distribution-{download.name}"))
    url = URIRef(publication.url(download.path))
    g.add((node, RDF.type, DCAT.Distribution))
    for language in publication.facts.languages:
        g.add((node, DCTERMS.title, Literal(download.title(language), lang=language)))
        if download.description(language):
            g.add((node, DCTERMS.description,
                   Literal(download.description(language), lang=language)))
    g.add((node, DCAT.accessURL, url))
    g.add((node, DCAT.downloadURL, url))
    media_type = download.media_type.split(";")[0].strip()
    g.add((node, DCAT.mediaType, _typed(g, IANA_MEDIA_TYPES + media_type, DCTERMS.MediaType)))
    if download.format.upper() in FILE_TYPES:
        g.add((node, DCTERMS.format, _typed(
            g, EU_FILE_TYPES + FILE_TYPES[download.format.upper()], DCTERMS.MediaTypeOrExtent)))
    g.add((node, DCAT.byteSize, Literal(download.bytes, datatype=XSD.nonNegativeInteger)))
    g.add((node, SPDX.checksum, _checksum(g, download, publication)))
    g.add((node, DCTERMS.license, _licence(g, publication.facts)))
    g.add((node, DCATAP.availability, _stable(g)))
    return node


def _stable(g: Graph) -> URIRef:
    node = _typed(g, STABLE, SKOS.Concept)
    g.add((node, SKOS.prefLabel, Literal("stable", lang="en")))
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


def _licence(g: Graph, facts: PackageFacts) -> URIRef:
    """The licence document by its IRI. Its ``dct:title`` is the licence's title in CKAN's
    licence register, which ckanext-dcat matches to find CKAN's licence id (the register
    knows licences by other URLs); the full title is its label, the SPDX id its identifier."""
    licence = facts.licence
    node = _typed(g, licence.url, DCTERMS.LicenseDocument)
    g.add((node, DCTERMS.title, Literal(licence.ckan_title)))
    g.add((node, DCTERMS.identifier, Literal(licence.id)))
    if licence.title != licence.ckan_title:
        g.add((node, RDFS.label, Literal(licence.title, lang="en")))
    return node


def _period(g: Graph, iri: str, period: Period) -> URIRef:
    node = _typed(g, iri, DCTERMS.PeriodOfTime)
    for value, predicate in ((period.start, DCAT.startDate), (period.end, DCAT.endDate)):
        if value:
            g.add((node, predicate, Literal(value, datatype=XSD.date)))
    return node


def _location(g: Graph, iri: str, place: Place) -> URIRef:
    node = _typed(g, iri, DCTERMS.Location)
    for label in _labels(place.name):
        g.add((node, SKOS.prefLabel, label))
    # One rdfs:label, English like CKAN's core fields: ckanext-dcat harvests the place name
    # from it, where between two prefLabels it would take whichever comes last.
    g.add((node, RDFS.label, Literal(place.name.en, lang="en")))
    if place.admin_code:
        g.add((node, DCTERMS.identifier, Literal(place.admin_code)))
    return node


def _source(g: Graph, facts: PackageFacts, source: Source) -> URIRef:
    """The report the package was derived from, with its publisher and date."""
    node = _typed(g, facts.url("#source"), FOAF.Document)
    for title in _labels(source.title):
        g.add((node, DCTERMS.title, title))
    if source.publisher.en or source.publisher.zh:
        publisher = _typed(g, facts.url("#source-publisher"), FOAF.Agent)
        for name in _labels(source.publisher):
            g.add((publisher, FOAF.name, name))
        g.add((node, DCTERMS.publisher, publisher))
    if source.date:
        g.add((node, DCTERMS.issued, _moment(source.date)))
    return node


def _labels(text: Bilingual) -> list[Literal]:
    """A bilingual text as language-tagged literals; a text given once has no tag."""
    if text.single:
        return [Literal(text.en)]
    return [Literal(text("en"), lang="en"), Literal(text("zh-Hans"), lang="zh-Hans")]


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
