"""Interface language: a placeholder until the i18n work (Babel/gettext) replaces this module at merge."""


def gettext(message: str) -> str:
    return message
