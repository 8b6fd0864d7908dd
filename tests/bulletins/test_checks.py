"""The bulletin checks count Vietnamese text as it is written (bulletins/checks.py)."""

from decimal import Decimal

import pytest
from django.utils import translation

from bulletins.checks import check_messages, check_text, sentences_of, words_of


def counts(body: str) -> tuple[int, int]:
    checks = check_text(field_code="hanh-chinh", body=body, source="")
    return checks.words, checks.sentences


def test_words_with_diacritics_count_one_each():
    assert words_of("Người dân thôn Đắk Côn được tiêm vắc xin") == [
        "Người", "dân", "thôn", "Đắk", "Côn", "được", "tiêm", "vắc", "xin",
    ]  # fmt: skip


def test_decomposed_diacritics_count_like_composed_ones():
    composed = "Người dân được tiêm."
    decomposed = "Ngu\u031bo\u031b\u0300i da\u0302n đu\u031bo\u031b\u0323c tie\u0302m."
    assert counts(decomposed) == counts(composed) == (4, 1)


@pytest.mark.parametrize("word", ["1.200", "6/8/2021", "Covid-19"])
def test_numbers_dates_and_hyphenated_names_are_one_word(word):
    assert counts(f"Xã ghi nhận {word} trong tuần") == (6, 1)


def test_a_thousands_separator_does_not_end_a_sentence():
    assert counts("Đã có 1.200 người tiêm mũi 1 trong tuần qua.") == (10, 1)


def test_a_date_with_slashes_ending_a_sentence_ends_it():
    assert counts("Hạn nộp là 6/8/2021. Các thôn khẩn trương thực hiện.") == (10, 2)


def test_tp_abbreviation_is_not_a_sentence_end():
    assert sentences_of("Đoàn công tác từ TP. Đồng Xoài đến xã. Người dân đón tiếp.") == [
        ["Đoàn", "công", "tác", "từ", "TP.", "Đồng", "Xoài", "đến", "xã."],
        ["Người", "dân", "đón", "tiếp."],
    ]


def test_ubnd_is_a_word_not_a_sentence_end():
    assert counts("UBND xã đề nghị người dân thực hiện nghiêm. UBND. xã cảm ơn.") == (13, 2)


def test_dash_and_bullets_are_not_words_and_lines_end_sentences():
    body = "Lịch tiêm:\n- Thôn 1: sáng thứ Hai\n- Thôn 2 – chiều thứ Hai"
    assert counts(body) == (12, 3)


def test_question_and_exclamation_marks_end_sentences():
    assert counts("Bạn đã tiêm chưa? Hãy đi tiêm ngay! Cảm ơn…") == (10, 3)


def test_averages_and_longest_sentence():
    checks = check_text(
        field_code="hanh-chinh", body="Một hai ba. Một hai ba bốn năm sáu bảy.", source=""
    )
    assert (checks.words, checks.sentences) == (10, 2)
    assert checks.avg_sentence_words == Decimal("5.0")
    assert checks.longest_sentence_words == 7
    assert checks.failed == []


def test_more_than_300_words_fails_max_words():
    body = " ".join(["Người dân cần đeo khẩu trang nơi đông."] * 38)  # 8 × 38 = 304
    checks = check_text(field_code="hanh-chinh", body=body, source="")
    assert checks.words == 304
    assert checks.failed == ["max_words"]
    assert check_messages(checks)["body"][0].startswith("Bản tin có")


def test_exactly_300_words_passes():
    body = " ".join(["Một hai ba bốn năm sáu bảy tám chín mười."] * 30)
    assert check_text(field_code="hanh-chinh", body=body, source="").failed == []


def test_sentences_averaging_more_than_25_words_fail_sentence_length():
    body = " ".join(["chữ"] * 26) + "."
    checks = check_text(field_code="hanh-chinh", body=body, source="")
    assert checks.failed == ["sentence_length"]
    assert check_messages(checks) == {
        "body": ["Câu trung bình 26,0 từ; tối đa 25 từ. Hãy tách các câu dài."]
    }


def test_average_of_exactly_25_passes():
    body = " ".join(["chữ"] * 25) + ". " + " ".join(["chữ"] * 25) + "."
    assert check_text(field_code="hanh-chinh", body=body, source="").failed == []


def test_health_needs_a_source_other_fields_do_not():
    assert check_text(field_code="y-te", body="Đeo khẩu trang.", source=" ").failed == [
        "source_required"
    ]
    assert check_text(field_code="y-te", body="Đeo khẩu trang.", source="Bộ Y tế").failed == []
    assert check_text(field_code="nong-nghiep", body="Phun thuốc.", source="").failed == []
    messages = check_messages(check_text(field_code="y-te", body="Đeo khẩu trang.", source=""))
    assert messages == {"source": ["Bản tin y tế phải ghi rõ nguồn."]}


def test_the_messages_write_numbers_as_the_language_does():
    # 1,234 words in sentences of 10 and one of 4: thousands grouped, the average's decimal
    # after a comma in Vietnamese, the other way round in English.
    body = " ".join([" ".join(["chữ"] * 10) + "."] * 123) + " Một hai ba bốn."
    checks = check_text(field_code="hanh-chinh", body=body, source="")
    assert (checks.words, checks.failed) == (1234, ["max_words"])
    assert check_messages(checks) == {
        "body": ["Bản tin có 1.234 từ; tối đa 300 từ. Hãy rút gọn bản tin."]
    }
    long = check_text(field_code="hanh-chinh", body=" ".join(["chữ"] * 51) + ". Hai từ.", source="")
    assert long.avg_sentence_words == Decimal("26.5")
    with translation.override("en"):
        assert check_messages(checks)["body"] == [
            "The bulletin has 1,234 words; at most 300 are allowed. Shorten it."
        ]
        assert check_messages(long)["body"] == [
            "Sentences average 26.5 words; at most 25 are allowed. Split the long sentences."
        ]
    assert check_messages(long)["body"] == [
        "Câu trung bình 26,5 từ; tối đa 25 từ. Hãy tách các câu dài."
    ]
