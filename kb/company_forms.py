"""Company-form suffixes (有限公司, 股份有限公司, Co., Ltd., S.A. …): the one list, used by the duplicate
check (kb.services.duplicates.name_key) and by search and the account list filter, which take such a suffix
at the end of what is typed as optional (kb.search.querytext.drop_company_forms): `仁和医疗集团有限公司` and
`Renhe Healthcare Group Co., Ltd.` find 仁和医疗集团 / Renhe Healthcare Group."""
from __future__ import annotations

#: Latin company-form words, stripped from the end of a name word by word (after case folding).
LATIN_SUFFIXES = frozenset({
    "co", "company", "corp", "corporation", "inc", "incorporated", "ltd", "limited", "llc", "plc", "lp",
    "gmbh", "ag", "sa", "bv", "nv", "berhad", "bhd", "sdn", "pte", "pty", "group", "holdings", "spa", "srl",
    "sarl", "sas", "kk",
})
#: Chinese company forms, stripped from the end (longest first, repeatedly: 集团股份有限公司 → 集团 → '').
CJK_SUFFIXES = tuple(sorted({
    "股份有限公司", "有限责任公司", "集团有限公司", "有限公司", "股份公司", "集团公司", "控股公司", "公司", "集团", "控股",
}, key=len, reverse=True))


def latin_form_words(words: list[str]) -> int:
    """How many of the last (normalised, accent-free) `words` are a company form (LATIN_SUFFIXES), at most
    all but the first: ["east", "china", "mobile", "co", "ltd"] → 2; a form spelt with dots is its letters
    one a word (`S.A.` → ["s", "a"] → `sa`), so ["edf", "s", "a"] → 2; ["group"] → 0."""
    end = len(words)
    while end > 1:
        if words[end - 1] in LATIN_SUFFIXES:
            end -= 1
            continue
        letters = end  # one-letter words ending here, spelt together (s.a. → sa, n.v. → nv, l.l.c. → llc)
        while letters > 1 and len(words[letters - 1]) == 1:
            letters -= 1
        if end - letters > 1 and "".join(words[letters:end]) in LATIN_SUFFIXES:
            end = letters
            continue
        break
    return len(words) - end


def cjk_form_end(key: str, keep: int = 1) -> int:
    """Where `key` (normalised Chinese) ends once its company forms (CJK_SUFFIXES) are stripped from the
    end, longest first and repeatedly, keeping at least `keep` characters: 仁和医疗集团有限公司 → 4 (仁和医疗)."""
    end, stripped = len(key), True
    while stripped:
        stripped = False
        for suffix in CJK_SUFFIXES:
            if key.endswith(suffix, 0, end) and end - len(suffix) >= keep:
                end, stripped = end - len(suffix), True
                break
    return end
