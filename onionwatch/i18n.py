"""Interface language (placeholder until the Babel/gettext catalogues are merged): messages pass through."""


def gettext(message: str) -> str:
    return message
