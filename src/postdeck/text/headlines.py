"""Headlines for posts without a usable heading: a short phrase of the post's own text.

A phrase is a clause (or the whole sentence) of 3-9 words, as written; it may lose a leading
"and"/"with"/"while" but never a condition ("if", "until"), must not lean on an earlier
sentence ("It ...", "In addition"), point elsewhere ("below") or end on a grammar word.
"""

from __future__ import annotations

from collections.abc import Iterator

import regex

from postdeck.text.connectives import SUBORDINATING, leans_back
from postdeck.text.excerpts import (
    BOILERPLATE,
    DANGLING,
    FUNCTION_WORDS,
    LEANING,
    PLACEHOLDER,
    POINTER,
    STOPWORDS,
    SUBORDINATORS,
    Scored,
    capitalise,
    content_words,
    continues_lead_in,
    is_fragment,
)
from postdeck.text.hashtags import candidate_phrases
from postdeck.text.sentences import (
    GRAMMAR_LANGUAGES,
    clauses,
    display_width,
    is_balanced,
    language_of,
    stopwords_of,
    word_count,
    words,
)

# Words a headline phrase can lose from its front and still be the article's words in order:
# "With a task in hand" -> "A task in hand". A clause opening with "until", "because"...
# is rejected instead: without it the phrase would say something else.
# Concessive openers assert what follows ("While burnout can happen to anyone"), so they may
# go too; conditional ones ("if", "until") may not.
# "but"/"yet" stay: "[..., but] I could at least hit the ground running" leans on what it answers.
_LEADING = frozenset("and or with for at in on of to by from then while although though".split())
_CONTRAST = frozenset("but yet although though however whereas".split())
_PREPOSITIONS = frozenset("with for at in on of to by from".split())
_PRONOUN_SUBJECTS = frozenset("this these they we you i".split())
HEADLINE_MAX_WORDS = 9
HEADLINE_MAX_CHARS = 60  # about three lines on a card at the smallest headline size
_NOT_PROSE = regex.compile(r"\b(?:e\.g|i\.e|etc)\b|->|=>|[<>{}|=*\u2039\u203a]", regex.IGNORECASE)
_LIST_GOES_ON = regex.compile(r"\s*,\s*(?:and|or)\b")
_ENDS_IN_WORD = regex.compile(r"[\p{L}\p{N}]$")
_UNFINISHED_AS = regex.compile(r"\bas\s+\S+$", regex.IGNORECASE)
_PARTICIPLE = regex.compile(r"(?:ed|made)[,.;:]?$")


def headline_options(
    text: str, min_words: int = 3, max_words: int = HEADLINE_MAX_WORDS, subject_first: bool = False
) -> list[str]:
    """Short phrases of a sentence that could head a post, as written.

    A clause of a longer sentence qualifies only if it is whole: not a piece of a list
    ("Using familiar tools, software"), not a trailing "..., leaving those involved ...", and
    not the half before a "but" that the sentence goes on to deny. ``subject_first`` lets a
    phrase open with "This"/"They" ("This stuff is genuinely hard").
    """
    out = []
    whole = text.rstrip(".!…? ")
    for c in [whole, *clauses(text)]:
        if c != whole and not is_whole_clause(c, text):
            continue
        ws = words(c)
        stripped = bool(ws) and ws[0].casefold() in _LEADING
        preposition = bool(ws) and ws[0].casefold() in _PREPOSITIONS
        while ws and ws[0].casefold() in _LEADING:
            c = c[c.index(ws[0]) + len(ws[0]) :].lstrip()
            ws = ws[1:]
        if stripped and "," in c:
            continue  # "[In] our experience, software development ..." no longer reads
        if preposition and len(ws) <= 3:
            continue  # "[For] any production system": a bare noun phrase says nothing
        c = c.rstrip(".!…?,;: 。！？、，")
        if not min_words <= word_count(c) <= max_words or display_width(c) > HEADLINE_MAX_CHARS:
            continue
        if POINTER.search(c) or LEANING.match(c) or leans_back(c):
            continue
        if not is_balanced(c) or not c[:1].isalnum():
            continue
        dangling = DANGLING - _PRONOUN_SUBJECTS if subject_first else DANGLING
        if ws[0].casefold() in dangling | SUBORDINATORS | SUBORDINATING or ws[-1].casefold() in FUNCTION_WORDS or waits_on(c):
            continue
        if BOILERPLATE.match(c):
            continue
        if _NOT_PROSE.search(c):
            continue
        out.append(c)
    return out


# Japanese particles that leave a phrase waiting for its verb: "React Foundation の企業創設メンバーは".
_JAPANESE_PARTICLE_END = regex.compile(r"(?:は|が|を|に|で|と|へ|や|の|から|まで|より|なら|ので|けど|って)$")
_KANA = regex.compile(r"[\p{Hiragana}\p{Katakana}]")


def waits_on(phrase: str) -> bool:
    """Whether a Japanese phrase ends on a particle, waiting for what it governs."""
    return bool(_KANA.search(phrase)) and bool(_JAPANESE_PARTICLE_END.search(phrase.rstrip("、，, ")))


def is_whole_clause(clause: str, sentence: str) -> bool:
    """Whether a clause of ``sentence`` can stand as a headline (see ``headline_options``)."""
    at = sentence.find(clause)
    rest = sentence[at + len(clause):] if at >= 0 else ""
    after = [w.casefold() for w in words(rest)[:1]]
    if after and after[0] in _CONTRAST:
        return False
    if "," in clause or _LIST_GOES_ON.match(rest):
        return False  # a list, or an aside: "You are, by definition"
    first = words(clause)[:1]
    if opens_with_gerund(clause):
        return False  # "En traduisant les documents[, nous ...]": says how, waits for what is done
    return not (at > 0 and first and first[0].casefold().endswith("ing"))


# A French gérondif or a Spanish/Portuguese gerund opening a clause ("En traduisant",
# "Traduciendo", "Usando"); "cuando"/"quando" (when) are grammar words, caught before.
_GERUND_OPENER = regex.compile(r"^(?:en\s+\p{L}+ant|\p{L}{3,}(?:ando|iendo|yendo|endo|indo))\b", regex.I)


def opens_with_gerund(text: str) -> bool:
    return bool(_GERUND_OPENER.match(" ".join(words(text)[:2])))


# Words that leave a phrase waiting for what it compares with: "six rooms instead[ of three]".
_UNFINISHED = frozenset("instead rather ahead regardless apart because".split())
# "Equally responsible", "PMC members focused": describing words, not a thing's name.
_NOT_A_NAME_START, _NOT_A_NAME_END = regex.compile(r"(?:ly|ed|es)$"), regex.compile(r"(?:ly|ed|ing)$|-")
_MODIFIER_STARTS = frozenset("for as with in on at by from of along about during until over".split())


def before_modifier(text: str) -> str:
    """The sentence up to a trailing phrase: "Anyone who approves a pull request is equally
    responsible[ for the code as the author]"; the longest such start of 5-9 words. Shorter
    starts mostly lose the point: "We will be closed[ on Friday]"."""
    ws = text.split()
    if ws and ws[0].casefold().strip(",") in SUBORDINATORS:
        return ""  # "If you are booked[ for one of those days]" is a condition, not a title
    for n in range(min(HEADLINE_MAX_WORDS, len(ws) - 1), 4, -1):
        head = " ".join(ws[:n])
        nxt = ws[n].casefold()
        if nxt not in _MODIFIER_STARTS or not _ENDS_IN_WORD.search(head):
            continue
        if len(head) > HEADLINE_MAX_CHARS or not is_balanced(head) or "," in head or ";" in head:
            continue
        if ws[n - 1].casefold() in STOPWORDS | DANGLING | _UNFINISHED or words(head)[0].casefold() in DANGLING:
            continue
        if LEANING.match(head) or POINTER.search(head):
            continue
        if _UNFINISHED_AS.search(head):
            continue  # "I'm just as interested[ in ...]": the comparison is unfinished
        return head
    return ""


def heading_words(heading: str, language: str) -> str:
    """A heading as a headline: as written, or, when it holds a template placeholder ("Why
    not use ‹platform name› instead of Git?"), its words before the placeholder if they read
    as a headline of their own; else "" (another phrase of the post heads it)."""
    m = PLACEHOLDER.search(heading)
    if not m:
        return heading
    ws = heading[: m.start()].split()
    grammar = FUNCTION_WORDS | (stopwords_of(language) if language in GRAMMAR_LANGUAGES else frozenset())
    while ws and (ws[-1].casefold().strip(",.;:!?-–—(\"'`") in grammar or not ws[-1][-1:].isalnum()):
        ws.pop()
    before = " ".join(ws)
    # "Why not use[ ‹platform›]" waits for its object: two words of substance say something.
    substance = [w for w in ws if w.casefold().strip(",.;:!?\"'()") not in grammar | STOPWORDS]
    if len(ws) < 3 or len(substance) < 2 or not reads_as_headline(before, language) or not is_balanced(before):
        return ""
    return before


def over_items(headline: str, quote_at: int, quote: str, scored: list[Scored], language: str = "en") -> str:
    """A phrase headline for a chunk of list items that heads its quote's own item: one taken
    from another item ("Provides free preventive care" over "Requires insurance companies
    to ...") or the quote's item cut short ("Holds insurance companies" over "Holds insurance
    companies accountable ...") gives way to the quote's own noun phrase, else the chunk's;
    "" keeps it."""
    key = headline.casefold()
    sources = [s for s in scored if key in s.text.casefold()]
    if any(s.position == quote_at for s in sources):
        if not opens_with(quote, headline):
            return ""  # a phrase of the quote's own sentence, not its opening words
    elif not (sources and is_fragment(quote) and all(is_fragment(s.text) for s in sources)):
        return ""  # a heading, the title, or a phrase of prose: not another item's words
    own = [s for s in scored if s.position == quote_at]
    says_twice = lambda p: opens_with(quote, p) or not reads_as_headline(p, language)  # noqa: E731
    return noun_phrase(own, False, says_twice) or noun_phrase(scored, True, says_twice)


def opens_with(text: str, phrase: str) -> bool:
    """Whether ``text`` starts with all the words of ``phrase``: a card would say them twice."""
    head = [w.casefold() for w in words(phrase)]
    return bool(head) and [w.casefold() for w in words(text)[: len(head)]] == head


def noun_phrase(scored: list[Scored], repeated: bool = True, unless=None) -> str:
    """The chunk's most repeated run of 2-4 content words ("Apache Spark accelerator");
    ``repeated=False`` also takes one said once, not a person's name; none ``unless`` says no."""
    counts: dict[str, tuple[float, int]] = {}
    seen: dict[str, int] = {}
    for rank, s in enumerate(sorted(scored, key=lambda s: (-s.score, s.position))):
        if BOILERPLATE.search(s.text.lstrip("([")) or s.text.startswith(("(", "[")):
            continue  # thanks and asides are not what the post is about
        for p in candidate_phrases(s.text, True):
            seen[p] = seen.get(p, 0) + 1
            n = len(p.split())
            head, tail = p.split()[0].casefold(), p.split()[-1].casefold()
            if _NOT_A_NAME_START.search(head) or _NOT_A_NAME_END.search(tail) or (unless and unless(p)):
                continue  # "Equally responsible", "PMC members focused": not a thing's name
            if 2 <= n <= 4 and len(p) <= HEADLINE_MAX_CHARS and p.split()[0][:1].isalpha():
                score, first = counts.get(p, (0.0, rank))
                counts[p] = (score + n / (1 + rank), first)
    # A run said once is no topic of the post: a person ("Greg Wilson"), or a thing mentioned
    # in passing ("Email address", "Home visits carry[ on]").
    counts = {p: c for p, c in counts.items()
              if seen[p] > 1 or not (repeated or all(w[:1].isupper() for w in p.split()))}
    if not counts:
        return ""
    return capitalise(min(counts, key=lambda p: (-counts[p][0], counts[p][1], p)))


def key_phrase(scored: list[Scored], clauses_only: bool = False, language: str = "en") -> str:
    """A short phrase from the chunk to head a post that has no heading of its own.
    ``clauses_only``: a whole clause of 2-12 words (no noun phrase or sentence start), or ""."""
    first = fair = None
    grammar = FUNCTION_WORDS | (stopwords_of(language) if language in GRAMMAR_LANGUAGES else frozenset())
    own = grammar if language != "en" else FUNCTION_WORDS  # stopwords-iso's English list holds "back", "end"
    for phrase in phrase_options(scored, clauses_only, own):
        if reads_as_headline(phrase, language):
            return phrase
        first = first or phrase
        ws = words(phrase)
        if not fair and ws and ws[-1].casefold() not in grammar and not leans_back(phrase):
            fair = phrase  # says little, but does not stop on "el" ("Scott es el")
    if clauses_only:
        return ""
    return sentence_start(scored, language) or fair or first or ""


def sentence_start(scored: list[Scored], language: str) -> str:
    """The start of the chunk's best sentence that reads as a headline, cut after a word of
    substance (in languages ``reads_as_headline`` judges by their grammar words)."""
    if language not in GRAMMAR_LANGUAGES:
        return ""
    stop = stopwords_of(language)
    for s in sorted(scored, key=lambda s: (-s.score, s.position)):
        if opens_with_gerund(s.text):
            continue  # "En traduisant les documents": how, not what
        every = s.text.split()
        ws = every[:HEADLINE_MAX_WORDS]
        while ws and (ws[-1].casefold().strip(",.;:!?\"'()") in stop or not ws[-1][-1:].isalnum()
                      or splits_a_phrase(ws[-1], every[len(ws) : len(ws) + 1], stop)):
            ws.pop()
        phrase = capitalise(" ".join(ws))
        if reads_as_headline(phrase, language) and is_balanced(phrase) and display_width(phrase) <= HEADLINE_MAX_CHARS:
            return phrase
    return ""


# Articles (of the languages postdeck has grammar words for): the noun phrase they open is
# what the word before them governs ("fournir[ des ressources]"); and German subject pronouns.
_ARTICLES = frozenset("""a an the der die das den dem des ein eine einen einem einer eines le la les un une
    des du el los las una unos unas o os as um uma uns umas il lo gli uno het een""".split()
    # German puts the subject after the verb when something else comes first ("trotz handelt[ es
    # sich um ...]"): the verb still waits for it
    + "ich du er es wir ihr man".split())


def splits_a_phrase(last: str, after: list[str], grammar: frozenset[str]) -> bool:
    """Whether a sentence cut after ``last`` stops inside a phrase: the next word is a word of
    substance or an article, so ``last`` (an adjective, a verb) waits for it ("Es gibt ...
    einen sicheren[ bidirektionalen Kanal]", "que fournir[ des ressources]"). A cut before
    another grammar word ("... Webinterface[ ja]", "... the news[ of the day]") or after
    punctuation ends a phrase."""
    if not after or not last[-1:].isalnum():
        return False
    nxt = after[0].casefold().strip(",.;:!?\"'()")
    return nxt not in grammar or nxt in _ARTICLES


def reads_as_headline(phrase: str, language: str) -> bool:
    """For a language postdeck knows no grammar rules of (the rules above are English), its
    grammar words (stopwords-iso) tell a fragment: "Para ello", "De los", "Dans ce billet" and
    "Daten und die" say nothing, or end on a word that waits for more. A headline has two
    words of substance and ends on one."""
    if waits_on(phrase) or leans_back(phrase) or words(phrase)[:1] and words(phrase)[0].casefold() in SUBORDINATING:
        return False  # "Cuando los metadatos ...", "Nesta publicação do blog": waits, or leans back
    if language == "en" or language not in GRAMMAR_LANGUAGES:
        return True
    stop = stopwords_of(language)
    ws = [w.casefold() for w in words(phrase)]
    return bool(ws) and ws[-1] not in stop and sum(w not in stop for w in ws) >= 2


def phrase_options(scored: list[Scored], clauses_only: bool = False, grammar: frozenset[str] = FUNCTION_WORDS
                   ) -> Iterator[str]:
    """Headline phrases of the chunk, best first: a whole clause of 3-9 words; else a shorter
    or longer phrase, one opening with "This"/"They", the start of a sentence up to a trailing
    modifier, the chunk's main noun phrase, else the start of the best sentence up to a word
    that can end a phrase."""
    ranked = sorted(scored, key=lambda s: (-s.score, s.position))
    options: list[tuple[float, int, str]] = []
    for rank, s in enumerate(ranked):
        if BOILERPLATE.search(s.text) or POINTER.search(s.text) or continues_lead_in(s.text):
            continue
        if clauses_only and is_fragment(s.text):
            continue  # a list item ("Merge to master and deploy") is not what the article opens on
        for c in headline_options(s.text):
            density = len(content_words(c)) / max(1, word_count(c))
            options.append((s.score * density / (1 + rank), s.position, c))
    options.sort(key=lambda o: (-o[0], o[1], o[2]))
    yield from (capitalise(o[2]) for o in options)
    for s in ranked:
        if POINTER.search(s.text) or (clauses_only and is_fragment(s.text)):
            continue  # "My first five are listed below; [...] comments would be very welcome"
        relaxed = headline_options(s.text, min_words=2, max_words=12, subject_first=True)
        if relaxed:
            yield capitalise(min(relaxed, key=lambda c: (abs(word_count(c) - 6), c)))
    if clauses_only:
        return
    for s in ranked:
        if not (BOILERPLATE.search(s.text) or continues_lead_in(s.text) or s.text.startswith("(")):
            cut = before_modifier(s.text)
            if cut:
                yield capitalise(cut)
    # A noun phrase said once is a thing mentioned in passing ("Email address"): a last resort.
    phrase = noun_phrase(scored) or noun_phrase(scored, repeated=False)
    ends = {w.casefold() for w in words(phrase)[:1] + words(phrase)[-1:]}
    if phrase and not (grammar - FUNCTION_WORDS - _ARTICLES) & ends:
        yield phrase  # not one the English list let open or end on a grammar word: "Jej zablokuje przyszłą"
    best = ranked[0].text if ranked else ""
    first = clauses(best)[:1]
    if first and 3 <= word_count(first[0]) <= HEADLINE_MAX_WORDS and is_balanced(first[0]) and not opens_with_gerund(best):
        yield capitalise(first[0].rstrip(".!…?,;: "))  # a whole clause, never a cut one
    if display_width(best) > len(best) or opens_with_gerund(best):
        return  # Chinese and Japanese: spaces fall between scripts, not phrases; nothing to cut at
    every = best.split()
    head = every[:HEADLINE_MAX_WORDS]
    while len(head) > 3 and (
        head[-1].casefold().strip(",.;:") in FUNCTION_WORDS | DANGLING | _UNFINISHED
        or _PARTICIPLE.search(head[-1])  # "... have both referenced[ how]"
        or len(" ".join(head)) > HEADLINE_MAX_CHARS
        or splits_a_phrase(head[-1], every[len(head) : len(head) + 1], grammar)
    ):
        head.pop()
    yield capitalise(" ".join(head).rstrip(".,;:"))


# Where a headline may be cut into a shorter phrase: clause punctuation of any script, brackets.
_PHRASE_CUT = regex.compile(r"\s*[,;:،؛、，；：—–()（）「」『』{}]\s*|\s[-|/]\s")


def shorter_phrases(headline: str) -> list[str]:
    """Shorter phrases of ``headline``, as written, best first: its clauses (longest first),
    then its start cut after a word (a character in Chinese and Japanese) that can end a
    phrase. For a heading too long for the card."""
    clauses_ = sorted({c.strip() for c in _PHRASE_CUT.split(headline) if word_count(c) >= 2 and c.strip() != headline},
                      key=lambda c: (-display_width(c), headline.find(c)))
    ws = headline.split()
    language = language_of(headline)
    grammar = FUNCTION_WORDS | (stopwords_of(language) if language in GRAMMAR_LANGUAGES else frozenset())
    starts = [" ".join(ws[:k]) for k in range(len(ws) - 1, 1, -1)
              if ws[k - 1].casefold().strip(",.;:") not in grammar]
    if len(ws) <= 2 and display_width(headline) > len(headline):  # written without spaces
        starts = [headline[:k] for k in range(len(headline) - 1, 3, -1)]
    return list(dict.fromkeys(p.rstrip(",;:،؛、，；： ") for p in [*clauses_, *starts]))
