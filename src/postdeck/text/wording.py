"""The words postdeck adds itself (the card's alt text, the cover's swipe cue), in the
article's language.

The brand's own words (the call to action) come from its template, per language when given
(``model.in_language``); these are postdeck's, for the languages it writes its words in.
"""

from __future__ import annotations

from postdeck.model import in_language
from postdeck.text.sentences import squash

ALT_TEXT_MAX = 1000
# What a screen reader says for a card: what it shows, briefly: its headline and its quote. Not
# the byline or the article's title: the post says where it is from, and seven cards would
# repeat it seven times.
ALT_TEXT: dict[str, str] = {
    "en": "Quote card {n} of {total}: headline '{headline}'. Quote: '{quote}'",
    "es": "Tarjeta de cita {n} de {total}: titular «{headline}». Cita: «{quote}»",
    "pt": "Cartão de citação {n} de {total}: título “{headline}”. Citação: “{quote}”",
    "fr": "Carte citation {n} sur {total} : titre « {headline} ». Citation : « {quote} »",
    "de": "Zitatkarte {n} von {total}: Überschrift „{headline}“. Zitat: „{quote}“",
    "hi": "उद्धरण कार्ड {n}/{total}: शीर्षक '{headline}'। उद्धरण: '{quote}'",
    "ar": "بطاقة اقتباس {n} من {total}: العنوان «{headline}». الاقتباس: «{quote}»",
    "ta": "மேற்கோள் அட்டை {n}/{total}: தலைப்பு '{headline}'. மேற்கோள்: '{quote}'",
    "ja": "引用カード {n}/{total}：見出し「{headline}」。引用：「{quote}」",
    "zh": "引用卡片 {n}/{total}：标题“{headline}”。引用：“{quote}”",
    "id": "Kartu kutipan {n} dari {total}: judul '{headline}'. Kutipan: '{quote}'",
    "it": "Scheda citazione {n} di {total}: titolo «{headline}». Citazione: «{quote}»",
    "nl": "Citaatkaart {n} van {total}: kop ‘{headline}’. Citaat: ‘{quote}’",
    "ko": "인용 카드 {n}/{total}: 제목 ‘{headline}’. 인용: ‘{quote}’",
    "ru": "Карточка с цитатой {n} из {total}: заголовок «{headline}». Цитата: «{quote}»",
    "pl": "Karta z cytatem {n} z {total}: nagłówek „{headline}”. Cytat: „{quote}”",
    "cs": "Karta s citátem {n} z {total}: nadpis „{headline}“. Citát: „{quote}“",
    "sv": "Citatkort {n} av {total}: rubrik ”{headline}”. Citat: ”{quote}”",
    "da": "Citatkort {n} af {total}: overskrift »{headline}«. Citat: »{quote}«",
    "fi": "Lainauskortti {n}/{total}: otsikko ”{headline}”. Lainaus: ”{quote}”",
    "hu": "Idézetkártya {n}/{total}: címsor „{headline}”. Idézet: „{quote}”",
    "tr": "Alıntı kartı {n}/{total}: başlık “{headline}”. Alıntı: “{quote}”",
    "ro": "Card cu citat {n} din {total}: titlu „{headline}”. Citat: „{quote}”",
    "he": "כרטיס ציטוט {n} מתוך {total}: כותרת \"{headline}\". ציטוט: \"{quote}\"",
    "th": "การ์ดคำคม {n}/{total}: หัวข้อ “{headline}” คำคม: “{quote}”",
    "el": "Κάρτα αποσπάσματος {n} από {total}: τίτλος «{headline}». Απόσπασμα: «{quote}»",
    "bn": "উদ্ধৃতি কার্ড {n}/{total}: শিরোনাম “{headline}”। উদ্ধৃতি: “{quote}”",
    "ml": "ഉദ്ധരണി കാർഡ് {n}/{total}: തലക്കെട്ട് “{headline}”. ഉദ്ധരണി: “{quote}”",
    "te": "ఉల్లేఖన కార్డు {n}/{total}: శీర్షిక “{headline}”. ఉల్లేఖనం: “{quote}”",
    "kn": "ಉಲ್ಲೇಖ ಕಾರ್ಡ್ {n}/{total}: ಶೀರ್ಷಿಕೆ “{headline}”. ಉಲ್ಲೇಖ: “{quote}”",
    "uk": "Картка з цитатою {n} з {total}: заголовок «{headline}». Цитата: «{quote}»",
    "bg": "Карта с цитат {n} от {total}: заглавие „{headline}“. Цитат: „{quote}“",
}


def alt_text(n: int, total: int, headline: str, quote: str, language: str = "en") -> str:
    """What a screen reader says for the card, in the article's language (else English)."""
    template = in_language(ALT_TEXT, language) if language.split("-")[0] in ALT_TEXT else ALT_TEXT["en"]
    text = template.format(n=n, total=total, headline=squash(headline), quote=squash(quote))
    if len(text) <= ALT_TEXT_MAX:
        return text
    return text[: ALT_TEXT_MAX - 1].rsplit(" ", 1)[0] + "…"


# The cover's cue that more slides follow; the arrow is added by the card (it points where
# the next slide is: left in a right-to-left deck).
SWIPE: dict[str, str] = {
    "en": "Swipe", "es": "Desliza", "pt": "Deslize", "fr": "Glissez", "de": "Weiter", "hi": "स्वाइप करें",
    "ar": "اسحب", "ta": "ஸ்வைப் செய்யவும்", "ja": "スワイプ", "zh": "滑动查看", "id": "Geser",
    "it": "Scorri", "nl": "Swipe", "ko": "넘겨 보기", "ru": "Листайте", "pl": "Przesuń",
    "cs": "Posuňte", "sv": "Svep", "da": "Swipe", "fi": "Pyyhkäise", "hu": "Lapozz", "tr": "Kaydır",
    "ro": "Glisează", "he": "החליקו", "th": "ปัดดู", "el": "Σύρετε", "bn": "সোয়াইপ করুন",
    "ml": "സ്വൈപ്പ് ചെയ്യൂ", "te": "స్వైప్ చేయండి", "kn": "ಸ್ವೈಪ್ ಮಾಡಿ", "uk": "Гортайте", "bg": "Плъзнете",
}


def swipe_word(language: str | None) -> str:
    """The swipe cue's word in the article's language (else English)."""
    return SWIPE.get((language or "en").split("-")[0], SWIPE["en"])
