"""Answer a PGP 2FA login challenge: decrypt the message with the analyst's key, find the code in it.

The private key and passphrase come from the credentials store (crawler/credentials.py); the decrypted text
and the code are never logged, printed or archived (the answer request carries SECRET_META).
"""

from __future__ import annotations

import re
import warnings

from onionwatch.crawler.credentials import PgpSecret
from onionwatch.errors import CredentialsError

MAX_MESSAGE = 64 * 1024


class ChallengeError(ValueError):
    """The page's challenge cannot be answered (not a PGP message, not for this key, no code inside)."""


def solve(armored_message: str, secret: PgpSecret, code_regex: str) -> str:
    """The code inside the challenge; ChallengeError (page problem) or CredentialsError (key problem)."""
    import pgpy

    text = armored_message.strip()[:MAX_MESSAGE]
    if "-----BEGIN PGP MESSAGE-----" not in text:
        raise ChallengeError("the challenge is not an armored PGP message")
    with warnings.catch_warnings():  # pgpy warns about deprecated primitives in its own imports and calls
        warnings.simplefilter("ignore")
        try:
            key, _ = pgpy.PGPKey.from_blob(secret.armored)
        except Exception:  # noqa: BLE001 - pgpy raises many types for a bad blob
            raise CredentialsError("the PGP private key in the credentials store cannot be read") from None
        try:
            message = pgpy.PGPMessage.from_blob(text)
        except Exception:  # noqa: BLE001 - hostile page content
            raise ChallengeError("the challenge is not a readable PGP message") from None
        try:
            if key.is_protected:
                if not secret.passphrase:
                    raise CredentialsError("the PGP private key is protected: add pgp_passphrase")
                with key.unlock(secret.passphrase):
                    plain = key.decrypt(message)
            else:
                plain = key.decrypt(message)
        except CredentialsError:
            raise
        except (pgpy.errors.PGPDecryptionError, pgpy.errors.PGPError):
            raise ChallengeError("the challenge is not encrypted to the analyst's key") from None
        except Exception as exc:  # noqa: BLE001 - wrong passphrase, unsupported packets...
            raise ChallengeError(f"the challenge cannot be decrypted ({exc.__class__.__name__})") from None
    body = plain.message
    content = body.decode("utf-8", "replace") if isinstance(body, (bytes, bytearray)) else str(body)
    match = re.search(code_regex, content[:MAX_MESSAGE])
    if match is None:
        raise ChallengeError("no code found in the decrypted challenge (gates.pgp_2fa.code_regex)")
    return match.group(1) if match.groups() else match.group(0)
