"""Interface strings pass through ``gettext`` (a stand-in until the Babel catalogues land)."""


def gettext(message: str) -> str: return message
