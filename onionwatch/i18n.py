"""Interface strings (placeholder until the Babel/gettext catalogue lands): the message itself."""

from __future__ import annotations


def gettext(message: str) -> str:
    return message
