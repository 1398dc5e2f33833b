"""Where handles hide in a document: ``@mentions`` and ``u/name`` in text, profile and post URLs of
the platforms' known shapes, Bluesky DIDs.

Every finder takes a ``swap(platform, handle, home)`` callback and returns the text with each handle
replaced by what the callback returns: the pseudonymiser swaps in tokens, the leak check
(``vigie.privacy.leaks``) records what it sees and swaps nothing.  ``home`` is the instance a bare
fediverse name belongs to (``alice`` on ``mastodon.example`` is ``alice@mastodon.example``).

One account, one key: ``account_key`` normalises a handle per platform (no ``@``, lower case;
Reddit without ``u/``; a fediverse handle always ``user@domain``), so an author and a mention of
the same account get the same token.  Standard library only: crawl processes import this.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

Swap = Callable[[str, str, str | None], str]

FEDIVERSE = {"mastodon"}
MENTION = re.compile(r"(?<!\w)@(\w(?:[\w.-]{0,62}\w)?(?:@[\w-]+(?:\.[\w-]+)+(?::\d+)?)?)")
REDDIT_USER = re.compile(r"(?<![\w/])(/?u/)([A-Za-z0-9_-]{3,20})(?![\w-])")
LINK = re.compile(r"\b(?:https?://|www\.|(?:t\.me|telegram\.me|bsky\.app|reddit\.com|youtube\.com|instagram\.com|"
                  r"facebook\.com)/)[^\s<>\"'«»]+", re.I)
_LINK_TAIL = ".,;:!?)]}’'\"…"
DID = re.compile(r"did:(?:plc|web):[A-Za-z0-9._:%-]+")
_HOST_PLATFORMS = {
    "bsky.app": "bluesky", "reddit.com": "reddit", "old.reddit.com": "reddit", "t.me": "telegram",
    "telegram.me": "telegram", "youtube.com": "youtube", "m.youtube.com": "youtube", "instagram.com": "instagram",
    "facebook.com": "facebook", "m.facebook.com": "facebook",
}
# First path segment of Instagram and Telegram URLs that is not an account.
_NOT_ACCOUNTS = {"p", "reel", "reels", "explore", "stories", "tv", "s", "share", "joinchat", "addstickers",
                 "iv", "proxy", "c", "accounts", "about", "legal", "developer"}
_PROFILE_SEGMENTS = {"u", "user", "users", "profile", "profiles", "members", "membres", "channel"}


def hostname(netloc_or_url: str) -> str:
    """``https://Mastodon.example:8443/x`` or ``mastodon.example:8443`` → ``mastodon.example``."""
    value = netloc_or_url if "//" in netloc_or_url else f"//{netloc_or_url}"
    try:
        return (urlsplit(value).hostname or "").lower()
    except ValueError:  # a bracketed host that is no IPv6 address, a bad port…
        return ""


def account_key(platform: str, handle: str, home: str | None = None) -> str:
    """The normalised handle of one account on ``platform`` (what its token is computed from)."""
    key = handle.strip().lstrip("@").lower()
    platform = platform.lower()
    if platform == "reddit":
        key = re.sub(r"^/?u(?:ser)?/", "", key)
    if platform in FEDIVERSE and "@" not in key and home:
        key = f"{key}@{home.lower()}"
    if platform in FEDIVERSE and "@" in key:
        user, _, domain = key.partition("@")
        key = f"{user}@{domain.split(':')[0]}"
    return key


def is_token(value: str, prefix: str) -> bool:
    """A pseudonym: ``prefix`` and 16 hexadecimal digits (a handle merely starting with it is not one)."""
    return re.fullmatch(re.escape(prefix) + r"[0-9a-f]{16}", value.lstrip("@")) is not None


def mentions_in(text: str, platform: str, home: str | None, swap: Swap, extra: tuple[str, ...] = ()) -> str:
    """``@name``, ``@name@instance`` and ``u/name`` outside links, each passed through ``swap``."""
    def plain(part: str) -> str:
        part = MENTION.sub(lambda m: "@" + swap(platform, m.group(1), home), part)
        return REDDIT_USER.sub(lambda m: m.group(1) + swap("reddit", m.group(2), None), part)

    out, last = [], 0
    for link in LINK.finditer(text):
        url = link.group(0).rstrip(_LINK_TAIL)
        out.append(plain(text[last:link.start()]))
        out.append(url_handles(url, platform, swap, extra))
        last = link.start() + len(url)
    out.append(plain(text[last:]))
    return "".join(out)


def _swap_segment(segment: str, platform: str, home: str | None, swap: Swap) -> str:
    if segment.startswith("@"):
        return "@" + swap(platform, segment[1:], home)
    return swap(platform, segment, home)


def url_handles(url: str, doc_platform: str, swap: Swap, extra: tuple[str, ...] = ()) -> str:
    """``url`` with the accounts it names swapped: profile and post URLs of the known shapes, DIDs
    anywhere, and any path segment or query value equal to one of ``extra`` (clear handles known
    from the document itself)."""
    try:
        parts = urlsplit(url if "//" in url else f"//{url}")
        host = (parts.hostname or "").lower()
    except ValueError:  # not a URL after all: its @names and DIDs as in plain text
        return dids_in(MENTION.sub(lambda m: "@" + swap(doc_platform, m.group(1), None), url), swap)
    platform = _HOST_PLATFORMS.get(host.removeprefix("www."), doc_platform)
    segments = parts.path.split("/")
    named: dict[str, str] = {}  # a clear handle of the document, or its local part → the full handle
    for full in (e.lstrip("@") for e in extra if e):
        for form in (full, full.split("@")[0]):
            if len(form) >= 3:
                named.setdefault(form.lower(), full)
    for i, segment in enumerate(segments):
        previous = segments[i - 1].lower() if i else ""
        if not segment:
            continue
        if DID.fullmatch(segment) or (platform == "bluesky" and previous == "profile"):
            segments[i] = swap("bluesky", segment, None)
        elif segment.startswith("@") and len(segment) > 1:      # mastodon (any host), youtube, medium…
            known = _HOST_PLATFORMS.get(host.removeprefix("www."))
            segments[i] = _swap_segment(segment, known or "mastodon", None if known else host, swap)
        elif (i == 1 and platform in ("telegram", "instagram") and segment.lower() not in _NOT_ACCOUNTS) or \
                (i == 2 and platform == "telegram" and previous == "s"):
            segments[i] = swap(platform, segment, None)
        elif i == 2 and (previous in _PROFILE_SEGMENTS or (platform == "youtube" and previous == "c")):
            segments[i] = swap(platform, segment, host if platform in FEDIVERSE else None)
        elif segment.lstrip("@").lower() in named:
            full = named[segment.lstrip("@").lower()]
            segments[i] = ("@" if segment.startswith("@") else "") + swap(doc_platform, full, None)
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        changed = [(k, swap(doc_platform, named[v.lower()], None) if v.lower() in named else
                     swap(platform, v, None) if (k == "id" and "profile" in parts.path) or DID.fullmatch(v) else v)
                    for k, v in pairs]
        if changed != pairs:
            query = urlencode(changed)
    if segments == parts.path.split("/") and query == parts.query:
        return url
    rebuilt = urlunsplit((parts.scheme, parts.netloc, "/".join(segments), query, parts.fragment))
    return rebuilt if "//" in url else rebuilt.removeprefix("//")


def dids_in(text: str, swap: Swap) -> str:
    return DID.sub(lambda m: swap("bluesky", m.group(0), None), text)
