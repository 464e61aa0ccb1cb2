"""Plain text as the lead inspector types it, into blocks a template can tag properly.

A line starting with "- " or "* " is a list item; consecutive items make one list; a blank line
ends a paragraph. No markup is interpreted, so nothing typed can inject HTML into a PDF.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Block:
    kind: str  # "p" or "ul"
    items: tuple[str, ...]

    @property
    def text(self) -> str:
        return " ".join(self.items)


def blocks(text: str) -> list[Block]:
    result: list[Block] = []
    paragraph: list[str] = []
    items: list[str] = []

    def flush() -> None:
        if paragraph:
            result.append(Block("p", (" ".join(paragraph),)))
            paragraph.clear()
        if items:
            result.append(Block("ul", tuple(items)))
            items.clear()

    for raw in (text or "").replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        if not line:
            flush()
        elif line[:2] in ("- ", "* "):
            if paragraph:
                flush()
            items.append(line[2:].strip())
        elif items and raw[:1] in (" ", "\t"):
            items[-1] = f"{items[-1]} {line}"  # an indented line continues the list item
        else:
            if items:
                flush()
            paragraph.append(line)
    flush()
    return result
