"""The index schema: what each search document holds, for matching, filtering, facets and display."""
from __future__ import annotations

from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from .analysis import char_analyzer, pinyin_analyzer, text_analyzer

#: Bump when the schema or the way documents are built changes: indexes of an older version are rebuilt.
SCHEMA_VERSION = 13
# 3: names/exact fields (relevance); 4: normalised text, compound words, phone numbers, pinyin runs
# 5: lead, opportunity and risk documents (LTC)
# 6: numbers with thousands separators are one word (1,000); names' whole pinyin among the exact names
# 7: numbers with thousands separators also indexed without them and as whole units (12345.67, 12345)
# 8: c++, c# and .net typed against Chinese are whole words (智算C++工具链: c++, not c)
# 9: Latin words with accents also indexed without them (électricité → electricit); a long compound's
#    /-segments as runs (a URL's host www.example.org; issue 7 s9, tester 9t)
# 10: names inside account names read as names (阿卜杜·热合曼商贸 abudureheman, 曾氏集团 zengshi; 什 shi in
#     names, persons too; kb.search.pinyin, issue 7 s10)
# 11: a compound's runs with a letter also written together (Wi-Fi6 → wifi, S/4HANA → s4); words joined by
#     an apostrophe also together (O'Neil → oneil, L'Oréal → loreal; issue 7 s10)
# 12: phone numbers written with dots (138.0013.8000) and after +86/0086 with the area code's trunk 0 left
#     out (+86 755 8888 1234 → 075588881234) also indexed as digits (issue 7 s10)
# 13: a landline after +86/0086 with the trunk 0 in brackets (+86 (0)755 8888 1234) also indexed as digits
#     (issue 7 s11)
INDEX_NAME = "kb"

#: The key of the one bookkeeping document (last applied outbox event); masked out of every search.
META_KEY = "__meta__"
META_TYPE = "__meta__"

#: Document types, in the order the page lists them. `stakeholder_note` holds a stakeholder's private
#: notes in a document of its own with team visibility, so readers outside the team never match them.
DOC_TYPES = ("account", "plan", "stakeholder", "stakeholder_note", "interaction",
             "lead", "opportunity", "risk")

#: Fields a free-text query searches, with their weight. `names` (an account's name, English name and
#: aliases; a person's names) and `pinyin` (of those names) weigh most, so that typing a name shows the
#: account or the person first, above the notes that mention it (tests/test_search_relevance.py).
TEXT_FIELDS = {"title": 2.0, "body": 1.0, "pinyin": 3.0, "names": 4.0}
#: Exact-value fields used for filters and facet counts.
FACET_FIELDS = ("type", "group_id", "industry", "region")


def build_schema() -> Schema:
    """A fresh schema object (the index keeps its own pickled copy)."""
    return Schema(
        key=ID(unique=True, stored=True),
        type=ID(stored=True, sortable=True),
        doc_id=STORED(),
        account_id=ID(stored=True),
        group_id=ID(stored=True, sortable=True),
        industry=ID(stored=True, sortable=True),
        region=ID(stored=True, sortable=True),
        visibility=ID(stored=True),
        archived=ID(stored=True),
        date=NUMERIC(int, bits=32, stored=True, sortable=True),  # signed: unsigned ranges are buggy
        title=TEXT(analyzer=text_analyzer(), stored=True, multitoken_query="phrase"),
        body=TEXT(analyzer=text_analyzer(), stored=True, multitoken_query="phrase"),
        pinyin=TEXT(analyzer=pinyin_analyzer(), phrase=False),
        names=TEXT(analyzer=text_analyzer(), multitoken_query="phrase"),
        exact=KEYWORD(commas=True, scorable=False),  # whole names, for the exact-name bonus
        chars=TEXT(analyzer=char_analyzer(), phrase=False),
        spell=KEYWORD(lowercase=True, scorable=False),
        period=STORED(),
        digest=STORED(),
        meta=STORED(),
    )
