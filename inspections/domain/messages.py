"""Messages made by the domain core and translated when they are shown, not when they are made.

The core (schedule checks, long-list errors, sample reasons, completion messages) says things to
users. A message made while one person's request is active may be shown later to somebody reading
in the other language (a sample's reasons are stored and read by the YOT manager in Welsh, the lead
inspector in English), so a message keeps its English words and its values, and becomes text only
when it is turned into a string: in the language active at that moment.

Write messages with the names ``_`` and ``ngettext`` imported from here, so that ``makemessages``
finds them like any other translatable string::

    from inspections.domain.messages import _, ngettext

    _("%(ref)s has no slot: every sampled case must be scheduled.", ref=case.ref)
    ngettext("%(count)d case", "%(count)d cases", n, count=n)

Values may themselves be messages (or lazy translations); they are translated with their parent.
A message stored in a JSONField goes through :meth:`Msg.as_json` and comes back with
:func:`from_json`, which also accepts the plain strings stored before messages existed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from django.utils import translation
from django.utils.functional import Promise

__all__ = ["Msg", "_", "concat", "either", "from_json", "join", "ngettext", "to_json"]


class Msg:
    """An English message and its values, translated by ``str()`` into the active language."""

    __slots__ = ("capfirst", "count", "msgid", "params", "plural")

    def __init__(
        self, msgid: str, params: Mapping[str, Any] | None = None, *, plural: str | None = None, count: int = 0
    ) -> None:
        self.msgid = msgid
        self.plural = plural
        self.count = count
        self.params = dict(params or {})
        self.capfirst = False

    def capitalised(self) -> Msg:
        """The same message with its first letter made a capital once translated."""
        copy = Msg(self.msgid, self.params, plural=self.plural, count=self.count)
        copy.capfirst = True
        return copy

    # --- turning into text --------------------------------------------------------------------
    def __str__(self) -> str:
        if not self.msgid:
            return ""  # gettext("") would be the catalogue's header
        if self.plural is not None:
            text = translation.ngettext(self.msgid, self.plural, self.count)
        else:
            text = translation.gettext(self.msgid)
        if self.params:
            text = text % {key: _text(value) for key, value in self.params.items()}
        return text[:1].upper() + text[1:] if self.capfirst else text

    def __repr__(self) -> str:
        return f"Msg({self.english()!r})"

    def english(self) -> str:
        with translation.override("en"):
            return str(self)

    # --- behaving like the string it becomes (callers and tests treat messages as text) ---
    def __eq__(self, other: object) -> bool:
        if isinstance(other, Msg):
            return (self.msgid, self.plural, self.count, self.params, self.capfirst) == (
                other.msgid,
                other.plural,
                other.count,
                other.params,
                other.capfirst,
            )
        if isinstance(other, str):
            return str(self) == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.english())

    def __contains__(self, item: str) -> bool:
        return item in str(self)

    def __len__(self) -> int:
        return len(str(self))

    def __add__(self, other: object) -> str:
        return str(self) + _text(other)

    def __radd__(self, other: object) -> str:
        return _text(other) + str(self)

    def __getattr__(self, name: str) -> Any:
        # str methods (startswith, replace, upper, ...) on the translated text.
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(str(self), name)

    # --- storing -------------------------------------------------------------------------------
    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"msgid": self.msgid}
        if self.plural is not None:
            data["plural"] = self.plural
            data["count"] = self.count
        if self.params:
            data["params"] = {key: _json_value(value) for key, value in self.params.items()}
        if self.capfirst:
            data["capfirst"] = True
        return data


def _text(value: Any) -> Any:
    if isinstance(value, (Msg, Promise)):
        return str(value)
    return value


def _json_value(value: Any) -> Any:
    if isinstance(value, Msg):
        return value.as_json()
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def _(msgid: str, /, **params: Any) -> Msg:
    """A message; ``makemessages`` extracts ``msgid``."""
    return Msg(msgid, params)


def ngettext(singular: str, plural: str, number: int, /, **params: Any) -> Msg:
    """A message with singular and plural forms (Welsh has more than two); ``number`` chooses.

    Positional-only, so the message may have a value called ``count`` of its own."""
    return Msg(singular, params, plural=plural, count=number)


def from_json(data: Any) -> Msg | str:
    """A stored message back as a message; a plain string stored earlier stays as it is."""
    if isinstance(data, Mapping) and "msgid" in data:
        params = {key: from_json(value) for key, value in (data.get("params") or {}).items()}
        message = Msg(data["msgid"], params, plural=data.get("plural"), count=data.get("count") or 0)
        return message.capitalised() if data.get("capfirst") else message
    return data


def _listed(items: list[Any], last_two) -> Msg:
    """ "A", "A <word> B", "A, B <word> C", with ``last_two`` making the final pair's message."""
    items = list(items)
    if not items:
        return _("none")
    if len(items) == 1:
        return Msg("%(only)s", {"only": items[0]})
    if len(items) == 2:
        return last_two(items[0], items[1])
    return Msg("%(head)s, %(tail)s", {"head": items[0], "tail": _listed(items[1:], last_two)})


def join(items: list[Any]) -> Msg:
    """ "A", "A and B", "A, B and C": translated with the message it goes into."""
    return _listed(items, lambda first, last: _("%(first)s and %(last)s", first=first, last=last))


def either(items: list[Any]) -> Msg:
    """ "A", "A or B", "A, B or C": translated with the message it goes into."""
    return _listed(items, lambda first, last: _("%(first)s or %(last)s", first=first, last=last))


def concat(items: Iterable[Any], sep: str = "") -> Msg:
    """Parts (messages or text) one after another with ``sep`` between, each translated when shown."""
    items = list(items)
    msgid = sep.replace("%", "%%").join(f"%(i{n})s" for n in range(len(items)))
    return Msg(msgid, {f"i{n}": item for n, item in enumerate(items)})


def to_json(value: Any) -> Any:
    """What to store for a message (or a plain string) in a JSONField; :func:`from_json` reads it back."""
    return value.as_json() if isinstance(value, Msg) else _json_value(value)


def to_text_field(value: Any, max_length: int) -> str:
    """A message stored in a text column: its JSON when that fits, else its text cut to fit."""
    if isinstance(value, Msg):
        data = json.dumps(value.as_json(), ensure_ascii=False)
        if len(data) <= max_length:
            return data
    return str(value)[:max_length]


def from_text_field(text: str) -> Msg | str:
    """What :func:`to_text_field` stored, as a message again (any other text as it is)."""
    if text.startswith('{"msgid"'):
        try:
            return from_json(json.loads(text))
        except ValueError:
            return text
    return text
