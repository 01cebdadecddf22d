"""Interface strings: a stand-in until the gettext catalogues arrive (wrap user-visible text in ``_``)."""


def gettext(message: str) -> str:
    return message
