"""send_mail: one message over the configured SMTP server (STARTTLS, SSL or, to loopback only, plain).

Public and stable (the report scheduler calls it)::

    send_mail(cfg, to, subject, text, html=None, attachments=()) -> str   # the Message-ID

- ``cfg``: a NotifyConfig with an smtp section (onionwatch/notify/config.py load()).
- ``to``: addresses; ``subject``: one line (CR, LF and other control characters become spaces, so scraped
  text in a subject can never add a header); ``text``: the plain body; ``html``: an optional alternative
  the caller has already escaped (onionwatch/notify/render.py does for alerts).
- ``attachments``: paths, or (filename, bytes, "type/subtype") tuples.
Raises DeliveryError (one line, no secret) when the server cannot be reached or refuses; the egress guard
must allow the SMTP host (notify.allow_egress(cfg)).
"""

from __future__ import annotations

import mimetypes
import smtplib
import ssl
import unicodedata
from collections.abc import Iterable, Sequence
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

from onionwatch.errors import DeliveryError
from onionwatch.notify.config import NotifyConfig

Attachment = Path | tuple[str, bytes, str]
MAX_SUBJECT = 200
# the EHLO name: smtplib's default is socket.getfqdn(), a DNS lookup of this machine's name (a leak, and
# the name itself says who is sending)
EHLO_NAME = "localhost"


def one_line(text: str, limit: int = MAX_SUBJECT) -> str:
    """`text` with every control/format character (CR, LF, NUL, bidi overrides) as a space, shortened."""
    out = "".join(" " if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") else c for c in text)
    out = " ".join(out.split())
    return out if len(out) <= limit else out[: limit - 1] + "…"


def build(sender: str, to: Sequence[str], subject: str, text: str, html: str | None = None,
          attachments: Iterable[Attachment] = ()) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = ", ".join(one_line(a, 320) for a in to)
    msg["Subject"] = one_line(subject)
    msg["Message-ID"] = make_msgid(domain="onionwatch.local")
    msg.set_content(text)
    if html is not None:
        msg.add_alternative(html, subtype="html")
    for item in attachments:
        if isinstance(item, Path):
            data, name = item.read_bytes(), item.name
            ctype = mimetypes.guess_type(name)[0] or "application/octet-stream"
        else:
            name, data, ctype = item
        main, _, sub = ctype.partition("/")
        msg.add_attachment(data, maintype=main, subtype=sub or "octet-stream", filename=one_line(name, 120))
    return msg


def send_mail(cfg: NotifyConfig, to: Sequence[str], subject: str, text: str, html: str | None = None,
              attachments: Iterable[Attachment] = ()) -> str:
    """Send one message; returns its Message-ID. DeliveryError when it was not accepted."""
    smtp = cfg.smtp
    if smtp is None:
        raise DeliveryError(f"{cfg.source}: smtp: not configured; nothing sent")
    if not to:
        raise DeliveryError(f"{cfg.source}: smtp.recipients: no recipient; nothing sent")
    msg = build(smtp.sender, to, subject, text, html, attachments)
    where = f"SMTP {smtp.host}:{smtp.port}"
    try:
        context = ssl.create_default_context()
        client: smtplib.SMTP
        if smtp.security == "ssl":
            client = smtplib.SMTP_SSL(smtp.host, smtp.port, local_hostname=EHLO_NAME, timeout=smtp.timeout,
                                      context=context)
        else:
            client = smtplib.SMTP(smtp.host, smtp.port, local_hostname=EHLO_NAME, timeout=smtp.timeout)
        with client:
            if smtp.security == "starttls":
                client.starttls(context=context)
            if smtp.username and smtp.password is not None:
                client.login(smtp.username, smtp.password)
            refused = client.send_message(msg, to_addrs=list(to))
    except smtplib.SMTPAuthenticationError as exc:
        raise DeliveryError(f"{where}: login refused ({exc.smtp_code})") from None
    except smtplib.SMTPException as exc:
        raise DeliveryError(f"{where}: {type(exc).__name__}: {str(exc)[:200]}") from None
    except (OSError, ssl.SSLError) as exc:
        raise DeliveryError(f"{where}: cannot connect ({exc})") from None
    if refused:
        raise DeliveryError(f"{where}: refused recipient(s) {', '.join(sorted(refused))}")
    return str(msg["Message-ID"])
