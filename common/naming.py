"""English names of a new app's model: ``things`` -> ``Thing``, ``categories`` -> ``Category``.

Used by the project's ``startapp`` (apps/core/management/commands/startapp.py) and
``make app`` (scripts/make_app.py) to fill the app template (scripts/app_template).
"""

from __future__ import annotations

# The singular of the app name's last word: these first, then the suffix rules in singular().
IRREGULAR = {
    "people": "person",
    "children": "child",
    "men": "man",
    "women": "woman",
    "mice": "mouse",
    "geese": "goose",
    "feet": "foot",
    "teeth": "tooth",
    "criteria": "criterion",
    "analyses": "analysis",
    "indices": "index",
    "matrices": "matrix",
    "quizzes": "quiz",
    "caches": "cache",
    "niches": "niche",
}
UNCOUNTABLE = {
    "data", "equipment", "feedback", "information", "media", "metadata", "news", "series",
    "sheep", "software", "species", "staff",
}  # fmt: skip
IE_PLURALS = {  # "...ies" whose singular ends in "ie", not "y"
    "brownies", "calories", "cookies", "freebies", "genies", "goalies", "hoodies", "lies",
    "movies", "pies", "rookies", "selfies", "smoothies", "ties", "zombies",
}  # fmt: skip


# (plural ending, what replaces it), the first that matches wins.
SUFFIXES = (
    ("ies", "y"),  # categories, stories
    ("tuses", "tus"),  # statuses
    ("sses", "ss"),  # addresses
    ("shes", "sh"),  # wishes
    ("ches", "ch"),  # matches
    ("xes", "x"),  # boxes
    ("zzes", "zz"),  # buzzes
    ("ss", "ss"),  # a singular: class, process
    ("us", "us"),  # status
    ("is", "is"),  # analysis
    ("s", ""),  # things, notes, cases
)


def singular(word: str) -> str:
    """Return the singular of the English plural WORD (WORD itself when it is not one)."""
    if word in UNCOUNTABLE:
        return word
    if word in IRREGULAR:
        return IRREGULAR[word]
    if word in IE_PLURALS:
        return word[:-1]
    for ending, replacement in SUFFIXES:
        if word.endswith(ending) and len(word) > len(ending) + 1:
            return word.removesuffix(ending) + replacement
    return word


def plural(word: str) -> str:
    """Return the plural of the English singular WORD."""
    if word in UNCOUNTABLE:
        return word
    irregular = {one: many for many, one in IRREGULAR.items()}
    if word in irregular:
        return irregular[word]
    if word.endswith("y") and word[-2:-1] not in ("a", "e", "i", "o", "u"):
        return word[:-1] + "ies"
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    return word + "s"


def names(app: str, model: str | None = None) -> dict[str, str]:
    """Return the names the app's templates use, for app APP (and model class MODEL).

    ``model`` (the class, ``BlogPost``), ``model_name`` (Django's, ``blogpost``: the template
    variable and DOM ids), ``singular`` / ``plural`` (Python names: ``blog_post_create``,
    ``blog_posts_delete``), ``plural_model`` (``DeletedBlogPosts``), ``verbose_name`` and
    ``verbose_name_plural`` (``blog post(s)``: the text of pages and messages).
    """
    from django.utils.text import camel_case_to_spaces

    if model is None:
        head, _, last = app.rpartition("_")
        one = f"{head}_{singular(last)}" if head else singular(last)
        model = one.title().replace("_", "")
    else:
        one = camel_case_to_spaces(model).replace(" ", "_")
    if one != app or app in UNCOUNTABLE:
        many = app
    else:  # the app is named in the singular (inventory, reading_list)
        head, _, last = one.rpartition("_")
        many = f"{head}_{plural(last)}" if head else plural(last)
    return {
        "model": model,
        "model_name": model.lower(),
        "singular": one,
        "plural": many,
        "plural_model": many.title().replace("_", ""),
        "verbose_name": camel_case_to_spaces(model),
        "verbose_name_plural": many.replace("_", " "),
    }
