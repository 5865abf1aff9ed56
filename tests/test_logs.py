"""The two filters every outgoing text passes: secrets masked, control characters escaped."""

from __future__ import annotations

import json
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from zsync.logs import printable, printable_json, redact, redact_bytes, register_secret

SECRET = "s3cr3t-Key/with+signs=="


def _dangerous(char: str) -> bool:
    return (unicodedata.category(char) == "Cc" and char not in "\t\n") or char in (
        "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


@given(st.text())
def test_nothing_a_terminal_acts_on_survives(text: str) -> None:
    assert not any(_dangerous(c) for c in printable(text))
    assert "\n" not in printable(text, newlines=False)


@given(st.text(alphabet=st.characters(exclude_categories=("Cc", "Cf"))))
def test_ordinary_text_is_left_as_it_is(text: str) -> None:
    assert printable(text) == redact(text)


@given(st.text())
def test_json_made_safe_is_still_the_same_json(text: str) -> None:
    document = json.dumps({"title": text}, ensure_ascii=False)
    safe = printable_json(document)
    assert not any(_dangerous(c) for c in safe)
    assert json.loads(safe) == {"title": redact(text)}


def test_escapes_read_as_what_they_are() -> None:
    assert printable("a\x1b[2Jb\x07\x9b\u202e") == "a\\x1b[2Jb\\x07\\x9b\\u202e"


def test_a_registered_secret_is_masked_in_text_and_in_url_encoded_bytes() -> None:
    register_secret(SECRET)
    assert redact(f"key={SECRET}!") == "key=****!"
    assert SECRET not in printable(f"\x1b{SECRET}")
    encoded = b"api_key=s3cr3t-Key%2Fwith%2Bsigns%3D%3D&x=" + SECRET.encode()
    assert redact_bytes(encoded) == b"api_key=****&x=****"


def test_what_other_libraries_log_passes_the_same_filters() -> None:
    """A library's warning with no handler of its own (logging's last resort) on stderr."""
    import subprocess
    import sys

    code = ("from zsync import logs; import logging; logs.register_secret('libKey123456'); "
            "logs.setup(); logging.getLogger('urllib3.connectionpool')"
            ".warning('server said \\x1b]52;c;eA==\\x07 for libKey123456')")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert "server said \\x1b]52;c;eA==\\x07 for ****" in done.stderr
    assert "\x1b" not in done.stderr and "libKey123456" not in done.stderr
