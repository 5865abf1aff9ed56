"""Name lists as notes write them (the cases the note parsers rely on)."""

from __future__ import annotations

import pytest

from zsync.model.names import parse_name, parse_names, split_names


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Michie, Susan and van Stralen, Maartje M and West, Robert",
            [("Michie", "Susan"), ("van Stralen", "Maartje M"), ("West", "Robert")],
        ),
        (
            "Toriz Castillo, Héctor and Lifshitz Guinzberg, Alberto",
            [("Toriz Castillo", "Héctor"), ("Lifshitz Guinzberg", "Alberto")],
        ),
        ("Müller, Hans und Schmidt, Eva", [("Müller", "Hans"), ("Schmidt", "Eva")]),
        ("Dupont, Jean et Martin, Paul", [("Dupont", "Jean"), ("Martin", "Paul")]),
        ("LeCun Y, Bengio Y, et al.", [("LeCun", "Y."), ("Bengio", "Y.")]),
        ("Smith, John et al", [("Smith", "John")]),
        ("[[Yann LeCun]], [[Yoshua Bengio]]", [("LeCun", "Yann"), ("Bengio", "Yoshua")]),
        (
            "John Smith, Kate Jones and Liz Brown",
            [("Smith", "John"), ("Jones", "Kate"), ("Brown", "Liz")],
        ),
        (
            "Smith, John, Jones, Kate, and Brown, Liz",
            [("Smith", "John"), ("Jones", "Kate"), ("Brown", "Liz")],
        ),
    ],
)
def test_parse_names(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(c.family, c.given) for c in parse_names(text)] == expected


def test_two_bibtex_names_with_particles() -> None:
    assert split_names("Michie, Susan and van Stralen, Maartje M") == [
        "Michie, Susan",
        "van Stralen, Maartje M",
    ]


def test_single_names() -> None:
    creator = parse_name("John P. A. Ioannidis")
    assert creator is not None and (creator.family, creator.given) == ("Ioannidis", "John P. A.")
    organisation = parse_name("{World Health Organization}")
    assert organisation is not None and organisation.name == "World Health Organization"
