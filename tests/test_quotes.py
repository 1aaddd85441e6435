"""The number reader behind the 'quote contains its value' rule (loaders/quotes.py)."""
import pytest

from loaders.quotes import approximation_before, quote_contains_value, values_in


@pytest.mark.parametrize("text, value", [
    ("60,000 cameras", 60000),
    ("60000 cameras", 60000),
    ("全港合計約6萬支", 60000),
    ("约6万支", 60000),
    ("預計2028年全港合計約六萬支", 60000),
    ("每年增設逾兩萬支鏡頭", 20000),
    ("最少约两万部", 20000),
    ("涉及合共40.6億元的非經常開支", 4_060_000_000),
    ("HK$4.06 billion non-recurrent", 4_060_000_000),
    ("HK$52m for cameras", 52_000_000),
    ("即5,200萬元", 52_000_000),
    ("9.5億元用以聘用服務供應商", 950_000_000),
    ("設有百分之五的應急費用", 5),
    ("約1%", 1),
    ("a 4.2 per cent drop", 4.2),
    ("seven venues related to the National Games", 7),
    ("Thirteen surveillance cameras", 13),
    ("two to three cameras", 3),
    ("twenty-nine woundings", 29),
    ("半個月內已協助偵破兩宗案件", 2),
    ("現時全港416支智慧燈柱，32支已裝設", 32),
    ("sekitar 66.500 kamera CCTV tambahan", 66500),
    ("lebih dari HK$240 juta per tahun", 240_000_000),
    ("install-60k-surveillance-cameras", 60000),
    ("裝6.65萬支鏡頭", 66500),
    ("６０，０００支", 60000),  # full-width digits and comma
])
def test_reads_each_way_a_number_is_written(text, value):
    assert quote_contains_value(text, value, None, None)


def test_range_needs_both_ends():
    q = "2027年累計會安裝6,000至7,000組閉路電視"
    assert quote_contains_value(q, 6000, "set", "range", value_high=7000)
    assert not quote_contains_value(q, 6000, "set", "range", value_high=8000)


@pytest.mark.parametrize("text, value", [
    ("Police have installed 15 sets of surveillance cameras in Mong Kok", 30),
    ("The force is expected to install 2,000 sets", 351),
    ("當中13億元用作購置光纖網絡連接", 4_060_000_000),
    ("500 metres from the office", 500_000_000),  # 'm' of metres is not 'million'
    ("2024年", 2.024),
])
def test_a_number_not_written_is_not_found(text, value):
    assert not quote_contains_value(text, value, None, None)


def test_values_in_empty_text_is_empty():
    assert values_in(None) == set() and values_in("") == set()


@pytest.mark.parametrize("text, value, marker", [
    ("警方預計2028年全港會安裝約6萬支閉路電視鏡頭", 60000, "約"),
    ("reaching about 7,000 in 2027", 7000, "about"),
    ("安裝了大約5,000支閉路電視鏡頭", 5000, "大約"),
    ("some 11,000 surveillance cameras", 11000, "some"),
])
def test_approximation_before_the_number_is_read(text, value, marker):
    assert approximation_before(text, value) == marker


@pytest.mark.parametrize("text, value", [
    ("of which 5,000 were installed by the force", 5000),
    ("約750宗案件，拘捕1300人", 1300),
    ("約6萬支 ... 共6萬支", 60000),  # one bare occurrence supports an exact reading
])
def test_a_bare_number_has_no_approximation(text, value):
    assert approximation_before(text, value) is None
