"""The words postdeck adds to a deck (call to action, closing nudge, swipe cue, alt text) come
in every language it detects, not in English for some of them."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from PIL import ImageChops

from postdeck.brand.schema import NUDGE, load_brand
from postdeck.build import BuildOptions, make_deck
from postdeck.cards.ends import render_closing, swipe_cue
from postdeck.cards.fallback import covers, font_stack
from postdeck.model import READ_MORE
from postdeck.text.sentences import LATIN_LANGUAGES, SCRIPT_LANGUAGES
from postdeck.text.wording import ALT_TEXT, SWIPE

ARTICLES = Path(__file__).parent / "data" / "languages"  # a short article in each language, no lang: given

# language: (default call to action, closing nudge, swipe cue, alt text's opening, for card n of total)
WORDS = {
    "cs": ("Přečtěte si celý článek na našem webu.", "Uložte si příspěvek · Sdílejte ho s přáteli",
           "Posuňte →", "Karta s citátem {n} z {total}: nadpis „"),
    "sv": ("Läs hela artikeln på vår webbplats.", "Spara inlägget · Dela det med en vän", "Svep →",
           "Citatkort {n} av {total}: rubrik ”"),
    "da": ("Læs hele artiklen på vores hjemmeside.", "Gem opslaget · Del det med en ven", "Swipe →",
           "Citatkort {n} af {total}: overskrift »"),
    "fi": ("Lue koko artikkeli verkkosivuiltamme.", "Tallenna julkaisu · Jaa se ystävälle", "Pyyhkäise →",
           "Lainauskortti {n}/{total}: otsikko ”"),
    "hu": ("Olvassa el a teljes cikket a weboldalunkon.", "Mentsd el a posztot · Oszd meg egy barátoddal",
           "Lapozz →", "Idézetkártya {n}/{total}: címsor „"),
    "tr": ("Makalenin tamamını web sitemizde okuyun.", "Gönderiyi kaydet · Bir arkadaşınla paylaş", "Kaydır →",
           "Alıntı kartı {n}/{total}: başlık “"),
    "ro": ("Citiți articolul complet pe site-ul nostru.", "Salvează postarea · Trimite-o unui prieten",
           "Glisează →", "Card cu citat {n} din {total}: titlu „"),
    # right to left: the cue's arrow points left, where the next slide is
    "he": ("קראו את המאמר המלא באתר שלנו.", "שמרו את הפוסט · שתפו עם חברים", "החליקו ←",
           'כרטיס ציטוט {n} מתוך {total}: כותרת "'),
    "th": ("อ่านบทความฉบับเต็มได้ที่เว็บไซต์ของเรา", "บันทึกโพสต์นี้ · แชร์ให้เพื่อน", "ปัดดู →",
           "การ์ดคำคม {n}/{total}: หัวข้อ “"),
    "el": ("Διαβάστε ολόκληρο το άρθρο στην ιστοσελίδα μας.", "Αποθηκεύστε την ανάρτηση · Μοιραστείτε τη με έναν φίλο",
           "Σύρετε →", "Κάρτα αποσπάσματος {n} από {total}: τίτλος «"),
    "bn": ("পুরো নিবন্ধটি আমাদের ওয়েবসাইটে পড়ুন।", "পোস্টটি সেভ করুন · বন্ধুর সঙ্গে শেয়ার করুন", "সোয়াইপ করুন →",
           "উদ্ধৃতি কার্ড {n}/{total}: শিরোনাম “"),
    "ml": ("മുഴുവൻ ലേഖനവും ഞങ്ങളുടെ വെബ്\u200cസൈറ്റിൽ വായിക്കൂ.", "ഈ പോസ്റ്റ് സേവ് ചെയ്യൂ · സുഹൃത്തുക്കളുമായി ഷെയർ ചെയ്യൂ",
           "സ്വൈപ്പ് ചെയ്യൂ →", "ഉദ്ധരണി കാർഡ് {n}/{total}: തലക്കെട്ട് “"),
    "te": ("పూర్తి వ్యాసాన్ని మా వెబ్\u200cసైట్\u200cలో చదవండి.", "ఈ పోస్ట్\u200cను సేవ్ చేయండి · స్నేహితులతో షేర్ చేయండి",
           "స్వైప్ చేయండి →", "ఉల్లేఖన కార్డు {n}/{total}: శీర్షిక “"),
    "kn": ("ಪೂರ್ಣ ಲೇಖನವನ್ನು ನಮ್ಮ ವೆಬ್\u200cಸೈಟ್\u200cನಲ್ಲಿ ಓದಿ.", "ಈ ಪೋಸ್ಟ್ ಸೇವ್ ಮಾಡಿ · ಸ್ನೇಹಿತರೊಂದಿಗೆ ಹಂಚಿಕೊಳ್ಳಿ",
           "ಸ್ವೈಪ್ ಮಾಡಿ →", "ಉಲ್ಲೇಖ ಕಾರ್ಡ್ {n}/{total}: ಶೀರ್ಷಿಕೆ “"),
    "uk": ("Читайте статтю повністю на нашому сайті.", "Збережіть цей допис · Поділіться з другом", "Гортайте →",
           "Картка з цитатою {n} з {total}: заголовок «"),
    "bg": ("Прочетете цялата статия на нашия сайт.", "Запазете публикацията · Споделете я с приятел", "Плъзнете →",
           "Карта с цитат {n} от {total}: заглавие „"),
}


def without_hashtags(caption: str) -> str:
    """The caption up to its closing block of hashtags."""
    paragraphs = caption.split("\n\n")
    return "\n\n".join(paragraphs[:-1] if paragraphs[-1].startswith("#") else paragraphs)


@pytest.mark.parametrize("language", WORDS)
def test_a_deck_in_a_detected_language_gets_postdeck_words_in_it(language: str) -> None:
    """Czech, Swedish, Danish, Finnish, Hungarian, Turkish, Romanian, Hebrew, Thai, Greek,
    Bengali, Malayalam, Telugu and Kannada articles were detected, then given English words
    (Ukrainian and Bulgarian ones were read as Russian and given Russian words):
    "Read the full article...", "Swipe", "Quote card"."""
    cta, nudge, cue, alt = WORDS[language]
    brand = load_brand("default")
    deck = make_deck(ARTICLES / f"{language}.md", BuildOptions(), brand)
    assert deck.language == language
    for post in deck.posts:
        for platform, caption in post.captions.items():
            assert without_hashtags(caption).endswith(f"\n\n{cta}"), (post.n, platform)
        assert post.alt_text.startswith(alt.format(n=post.n, total=len(deck.posts))), post.n
    assert swipe_cue(brand, deck.title, deck.language) == cue
    # The closing slide draws exactly these words: the same pixels as a brand that gives them.
    worded = replace(brand, layout=replace(brand.layout, nudge=nudge),
                     captions=replace(brand.captions, call_to_action=cta))
    closing = render_closing(brand, "portrait", 8, language)
    assert ImageChops.difference(closing, render_closing(worded, "portrait", 8, "en")).getbbox() is None


def test_every_language_postdeck_tells_apart_has_all_its_words() -> None:
    """The Latin-letter languages language_of chooses between and those it tells by their
    script; the closing's words in faces the cards carry (no empty boxes)."""
    detected = {*LATIN_LANGUAGES, *SCRIPT_LANGUAGES}
    for words in (READ_MORE, NUDGE, SWIPE, ALT_TEXT):
        assert detected <= set(words) and set(words) == set(ALT_TEXT)
    brand = load_brand("default")
    stacks = [font_stack(Path(brand.fonts.headline)), font_stack(Path(brand.fonts.small))]
    for language in detected:
        for ch in READ_MORE[language] + NUDGE[language] + SWIPE[language]:
            assert all(any(covers(face, ch) for face in stack.faces) for stack in stacks), (language, ch)
