"""Name the browser and system behind a User-Agent header, e.g. "Chrome on Linux".

The parsing is ua-parser's (the maintained Browserscope/uap-core rules); this module only
shortens its family names into what a person recognises on the sessions list and in the
security log. The raw header stays stored and is shown next to the name (a tooltip).
"""

from __future__ import annotations

import re
from functools import lru_cache

from ua_parser import parse

UNKNOWN = "Unknown browser"
# A header longer than this is cut before parsing: real ones are a few hundred characters,
# and a hostile one must not cost the regular expressions more than that.
PARSE_MAX = 512

# ua-parser's families that say more than a person needs ("Chrome Mobile iOS" is Chrome).
_BROWSER_NAMES = {
    "Chrome Mobile": "Chrome",
    "Chrome Mobile iOS": "Chrome",
    "Chrome Mobile WebView": "Chrome",
    "HeadlessChrome": "Headless Chrome",
    "Firefox Mobile": "Firefox",
    "Firefox iOS": "Firefox",
    "Mobile Safari": "Safari",
    "Mobile Safari UI/WKWebView": "Safari",
    "Edge Mobile": "Edge",
    "Opera Mobile": "Opera",
    "IE": "Internet Explorer",
    "IE Mobile": "Internet Explorer",
}
_SYSTEM_NAMES = {
    "Mac OS X": "macOS",
    "Chrome OS": "ChromeOS",
    "Ubuntu": "Linux",
    "Fedora": "Linux",
    "Debian": "Linux",
}
_PRODUCT = re.compile(r"^([A-Za-z][\w.-]{0,40})")


@lru_cache(maxsize=256)
def device_name(user_agent: str) -> str:
    """Return a short name for USER_AGENT: "Browser on System", one of them, or a product."""
    header = user_agent.strip()[:PARSE_MAX]
    if not header:
        return UNKNOWN
    result = parse(header)
    browser = ""
    if result.user_agent and result.user_agent.family != "Other":
        browser = _BROWSER_NAMES.get(result.user_agent.family, result.user_agent.family)
    system = ""
    if result.os and result.os.family != "Other":
        system = _SYSTEM_NAMES.get(result.os.family, result.os.family)
        if system == "iOS" and result.device and result.device.family == "iPad":
            system = "iPadOS"
    if browser and system:
        return f"{browser} on {system}"
    if browser or system:
        return browser or system
    product = _PRODUCT.match(header)
    return product.group(1) if product else UNKNOWN
