"""``{% load kis_rows %}``: list rows rendered once per version (collection caching).

``{% cachedfor contact in page.items %}<tr>…</tr>{% empty %}…{% endcachedfor %}`` renders
like ``{% for %}``, but each item's HTML is kept in the ``rows`` cache under a key made of
the template's digest (its source and that of every template it includes), the item's
model, primary key, ``version`` and ``updated_at`` (``common.lists.models.Versioned``: every
save bumps both, bulk updates too; the time also tells apart a row whose primary key came
back after a rollback or a database reset), the active language and time zone. One
``get_many`` fetches the hits; only the misses render, and one ``set_many`` stores them.
Given a page read as keys (``common.pagination.PageRows``, what ``KeysetPaginator`` makes
with ``keys_first``), it fetches the objects of the misses only, in one query: a page whose
rows are all cached builds no model instance. So a row shows what its version holds, and a
deploy or an edited template starts afresh (docs/decisions/0015).

The body must depend only on the item and on what is the same for every row of the list
(the list's config); there is no ``forloop``. Anything else (a per-request flag) belongs
outside the loop.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django import template
from django.conf import settings
from django.core.cache import BaseCache, caches
from django.template import Engine
from django.template.base import FilterExpression, Node, NodeList, Parser, Token
from django.template.context import Context
from django.template.loader_tags import IncludeNode
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from common.pagination import PageRows

register = template.Library()

#: The cache alias rows live in (settings.CACHES); the default cache when it is not set up.
ROW_CACHE = "rows"


def row_cache() -> BaseCache:
    """Return the cache that holds rendered rows."""
    return caches[ROW_CACHE if ROW_CACHE in settings.CACHES else "default"]


def _included_sources(nodelist: NodeList, engine: Engine, seen: set[str]) -> list[str]:
    """Return the sources of the templates NODELIST includes by a constant name, deeply.

    A partial ("lists/form_body.html#clash") counts as its whole file.
    """
    sources: list[str] = []
    for node in nodelist.get_nodes_by_type(IncludeNode):
        source = getattr(node, "template", None)
        name = source.var if isinstance(source, FilterExpression) else None
        if not isinstance(name, str) or (name := name.partition("#")[0]) in seen:
            continue
        seen.add(name)
        included = engine.get_template(name)
        sources.append(name + "\0" + included.source)
        sources.extend(_included_sources(included.nodelist, engine, seen))
    return sources


class CachedForNode(Node):
    """A ``{% for %}`` over versioned objects whose bodies come from the row cache."""

    child_nodelists = ("nodelist_loop", "nodelist_empty")

    def __init__(
        self,
        loopvar: str,
        sequence: FilterExpression,
        nodelist_loop: NodeList,
        nodelist_empty: NodeList,
    ) -> None:
        self.loopvar = loopvar
        self.sequence = sequence
        self.nodelist_loop = nodelist_loop
        self.nodelist_empty = nodelist_empty
        self._digest: str | None = None

    def digest(self) -> str:
        """Return a short hash of this template's source and of what its rows include."""
        if self._digest is None:
            origin, loader = self.origin, self.origin.loader
            parts = [origin.name]
            if loader is not None:
                parts.append(loader.get_contents(origin))  # type: ignore[attr-defined]
                parts.extend(_included_sources(self.nodelist_loop, loader.engine, set()))
            self._digest = hashlib.sha256("\0".join(parts).encode()).hexdigest()[:16]
        return self._digest

    def render(self, context: Context) -> SafeString:
        sequence = self.sequence.resolve(context, ignore_failures=True)
        # A page read as keys (common.pagination.PageRows): objects only for the misses.
        as_keys = isinstance(sequence, PageRows)
        items: list[Any] = list(sequence.keys) if as_keys else list(sequence or ())
        if not items:
            return self.nodelist_empty.render(context)
        prefix = ":".join(
            (
                "row",
                self.digest(),
                translation.get_language() or "",
                timezone.get_current_timezone_name(),
            )
        )
        keys = [
            f"{prefix}:{item._meta.label_lower}:{item.pk}:{item.version}:{item.updated_at.timestamp()}"
            for item in items
        ]
        cache = row_cache()
        found: dict[str, Any] = cache.get_many(keys)
        objects: dict[Any, Any] = {}
        if as_keys:
            misses = [item for item, key in zip(items, keys, strict=True) if key not in found]
            objects = sequence.objects_for(misses)
        rendered: dict[str, str] = {}
        parts: list[str] = []
        with context.push():
            for item, key in zip(items, keys, strict=True):
                html = found.get(key)
                if html is None:
                    obj = objects.get(item.pk) if as_keys else item
                    if obj is None:
                        continue  # deleted since the page was read
                    context[self.loopvar] = obj
                    html = rendered[key] = self.nodelist_loop.render(context)
                parts.append(html)
        if rendered:
            cache.set_many(rendered)
        return mark_safe("".join(parts))  # noqa: S308 (each part is rendered template output)


@register.tag
def cachedfor(parser: Parser, token: Token) -> CachedForNode:
    """Parse ``{% cachedfor item in sequence %}…[{% empty %}…]{% endcachedfor %}``."""
    bits = token.split_contents()
    if len(bits) != 4 or bits[2] != "in":
        raise template.TemplateSyntaxError(
            f"'{bits[0]}' takes the form: {bits[0]} item in sequence"
        )
    nodelist_loop = parser.parse(("empty", "endcachedfor"))
    next_token = parser.next_token()
    nodelist_empty = NodeList()
    if next_token.contents == "empty":
        nodelist_empty = parser.parse(("endcachedfor",))
        parser.delete_first_token()
    return CachedForNode(bits[1], parser.compile_filter(bits[3]), nodelist_loop, nodelist_empty)
