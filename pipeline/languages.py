"""What the pipeline knows about the language an article is in: its function words, whether it
capitalises every noun, and whether its script has capital letters at all.

English is served by the pipeline's own lists (they are tuned to news and to the shipped
document-frequency table); every other language jusText has a list for (about 100, shipped with
it, built from the most frequent words of each language's Wikipedia) gets that list here.
"""
from __future__ import annotations

import functools

# Languages that capitalise every noun: there a capitalised word is as often "Polizei" as a name.
NOUNS_CAPITALISED = frozenset(["de", "lb"])

# Languages written in a script without letter case (ISO 639-1, as py3langid and feeds give them):
# Arabic script, Hebrew, Chinese, Japanese, Korean, Thai, Lao, Khmer, Burmese, Georgian, Amharic,
# Tibetan and the Brahmic scripts of South Asia. Nothing in such a text marks a name, so the
# capitalisation that finds English names finds none there, and an article's entity terms are its
# numbers alone.
UNCASED_SCRIPT = frozenset([
    "ar", "fa", "ur", "ps", "sd", "ug", "dv", "he", "yi", "zh", "ja", "ko", "th", "lo", "km", "my", "ka", "am",
    "bo", "hi", "mr", "ne", "bn", "as", "gu", "pa", "or", "ta", "te", "kn", "ml", "si"])

# ISO 639-1 codes (what py3langid and feeds give) of jusText's stop lists
_JUSTEXT_LANGUAGES = {
    "af": "Afrikaans", "sq": "Albanian", "ar": "Arabic", "an": "Aragonese", "hy": "Armenian", "ast": "Asturian",
    "az": "Azerbaijani", "eu": "Basque", "be": "Belarusian", "bn": "Bengali", "bs": "Bosnian", "br": "Breton",
    "bg": "Bulgarian", "ca": "Catalan", "cv": "Chuvash", "hr": "Croatian", "cs": "Czech", "da": "Danish",
    "nl": "Dutch", "eo": "Esperanto", "et": "Estonian", "fi": "Finnish", "fr": "French", "gl": "Galician",
    "ka": "Georgian", "de": "German", "el": "Greek", "gu": "Gujarati", "ht": "Haitian", "he": "Hebrew",
    "hi": "Hindi", "hu": "Hungarian", "is": "Icelandic", "io": "Ido", "ig": "Igbo", "id": "Indonesian",
    "ga": "Irish", "it": "Italian", "jv": "Javanese", "kn": "Kannada", "kk": "Kazakh", "ko": "Korean",
    "ku": "Kurdish", "ky": "Kyrgyz", "la": "Latin", "lv": "Latvian", "lt": "Lithuanian", "lb": "Luxembourgish",
    "mk": "Macedonian", "ms": "Malay", "ml": "Malayalam", "mt": "Maltese", "mr": "Marathi", "ne": "Nepali",
    "nb": "Norwegian_Bokmal", "no": "Norwegian_Bokmal", "nn": "Norwegian_Nynorsk", "oc": "Occitan",
    "fa": "Persian", "pl": "Polish", "pt": "Portuguese", "qu": "Quechua", "ro": "Romanian", "ru": "Russian",
    "sr": "Serbian", "sh": "Serbo_Croatian", "sk": "Slovak", "sl": "Slovenian", "es": "Spanish", "su": "Sundanese",
    "sw": "Swahili", "sv": "Swedish", "tl": "Tagalog", "ta": "Tamil", "te": "Telugu", "tr": "Turkish",
    "tk": "Turkmen", "uk": "Ukrainian", "ur": "Urdu", "uz": "Uzbek", "vi": "Vietnamese", "vo": "Volapuk",
    "wa": "Walloon", "cy": "Welsh", "fy": "West_Frisian", "yo": "Yoruba",
}


@functools.lru_cache(maxsize=64)
def language_stopwords(language: str | None) -> frozenset[str]:
    """jusText's lower-cased stop list for an ISO 639-1 code other than English; empty otherwise.

    A list of more than 5,000 words holds the language's common nouns too (Korean: 13,222, with
    "드라마" and "시청률", and their forms with particles); of such a list only the words that
    wordfreq counts at least once in 3,000 (Zipf 5.5) are kept, when wordfreq lists the language."""
    code = (language or "").split("-")[0].lower()
    name = _JUSTEXT_LANGUAGES.get(code)
    if name is None:
        return frozenset()
    import justext

    listed = frozenset(word.lower() for word in justext.get_stoplist(name))
    if len(listed) > 5000:
        import wordfreq  # late: only such languages need it

        if code in wordfreq.available_languages("small"):  # else the whole list stays
            frequencies = wordfreq.get_frequency_dict(code, "small")
            listed = frozenset(w for w in listed if frequencies.get(w, 0.0) >= 10 ** -3.5)
    return listed
