"""Two test-only named queries (tests/http/test_http_named.py, tests/http/test_hostile.py)."""

# Two test-only queries with parameters of every type (the project's queries have none yet). pyoxigraph
# substitutes only variables of the SELECT projection, so a query projects its parameters.
LINES_OF = """\
# title: Support lines of a stakeholder (test)
# title@ja: ステークホルダーの支援の行（テスト）
# description: Test fixture: the programs on the support lines of one stakeholder.
# description@ja: テスト用：あるステークホルダーの支援の行の事業。
# param: stakeholder (iri) = stakeholder:startup : the kind of stakeholder
# param: lang (ja|en) = en : the language of the support line's label
# param: from_number (integer) = 0 : the smallest program number
# param: audience_only (boolean) = false : only programs whose audience the text states
SELECT ?stakeholder ?lang ?from_number ?audience_only ?program_number ?label WHERE {
  ?line a ecograph:SupportLine ; ecograph:stakeholder ?stakeholder ; ecograph:program ?p ; rdfs:label ?label .
  FILTER (LANG(?label) = ?lang)
  ?p ecograph:programNumber ?program_number .
  FILTER (?program_number >= ?from_number)
  FILTER (!?audience_only || EXISTS { ?p dcterms:audience ?stakeholder })
}
ORDER BY ?program_number ?label
"""

LABEL_SEARCH = """\
# title: Label search (test)
# title@ja: ラベル検索（テスト）
# description: Test fixture: resources whose English label contains a text.
# description@ja: テスト用：英語のラベルに文字列を含む資源。
# param: needle (string) : the text to look for <b>in</b> labels
SELECT ?needle ?resource ?label WHERE {
  ?resource rdfs:label ?label .
  FILTER (LANG(?label) = "en" && CONTAINS(?label, ?needle))
}
ORDER BY ?resource ?label
"""
