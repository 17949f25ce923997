import pytest

from byline.recover._outlets import outlet_in_text, resolve_outlet


@pytest.mark.parametrize(
    ("preface", "outlet"),
    [
        ("A new column for Nikkei Asian Review looking at trade.", "Nikkei Asia"),
        ("This column first ran in Prospect on 2 March 2023.", "Prospect"),
        ("Cross-posted from the Tidewater Review, with thanks.", "Tidewater Review"),
        ("A piece I wrote for the Guardian last week.", "The Guardian"),
        ("My column in this week's Kelsworth Advertiser.", "Kelsworth Advertiser"),
        ("Written for the FT’s opinion pages in budget week.", "Financial Times"),
        (
            "This time a short piece for an excellent website called East Asia Forum.",
            "East Asia Forum",
        ),
        ("From the New Statesman. The editor kept my headline.", "New Statesman"),
    ],
)
def test_prefaces_name_their_outlet(preface: str, outlet: str) -> None:
    found = outlet_in_text(preface)
    assert found is not None and found.name == outlet


def test_aliases_resolve_whatever_the_spelling() -> None:
    names = {resolve_outlet(s).name for s in ("SCMP", "the South China Morning Post", "scmp")}  # type: ignore[union-attr]
    assert names == {"South China Morning Post"}
    assert resolve_outlet("The Tidewater Review") is None


def test_prose_without_an_outlet_names_none() -> None:
    assert outlet_in_text("It rained for most of the week and I stayed in.") is None
