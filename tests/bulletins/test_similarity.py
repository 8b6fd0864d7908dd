"""Duplicate news (docs/rules.md, D8): realistic Vietnamese pairs, scored by
bulletins.similarity."""

from bulletins.similarity import DUPLICATE_THRESHOLD, similarity

TITLE = "Thông báo tiêm vắc xin phòng Covid-19"
ORIGINAL = (
    "Trạm Y tế xã Phú Nghĩa tổ chức tiêm vắc xin phòng Covid-19 mũi 2 cho người từ 18 tuổi "
    "trở lên vào ngày 12/8/2021. Thời gian từ 7 giờ 30 đến 16 giờ tại Hội trường UBND xã. "
    "Người dân mang theo căn cước công dân và giấy mời. Đề nghị đeo khẩu trang, giữ khoảng "
    "cách khi đến điểm tiêm."
)


def test_the_same_sentences_in_another_order_are_a_duplicate():
    reordered = (
        "Người dân mang theo căn cước công dân và giấy mời. Thời gian từ 7 giờ 30 đến 16 giờ "
        "tại Hội trường UBND xã. Đề nghị đeo khẩu trang, giữ khoảng cách khi đến điểm tiêm. "
        "Trạm Y tế xã Phú Nghĩa tổ chức tiêm vắc xin phòng Covid-19 mũi 2 cho người từ 18 "
        "tuổi trở lên vào ngày 12/8/2021."
    )
    assert similarity((TITLE, ORIGINAL), (TITLE, reordered)) == 1.0


def test_a_near_copy_with_a_changed_date_is_a_duplicate():
    changed = ORIGINAL.replace("12/8/2021", "13/8/2021").replace("7 giờ 30", "8 giờ")
    score = similarity((TITLE, ORIGINAL), (TITLE + " (cập nhật)", changed))
    assert DUPLICATE_THRESHOLD <= score < 1.0


def test_two_vaccination_notices_for_other_ages_and_days_are_not():
    elderly = (
        "Trạm Y tế xã tiêm mũi 1 vắc xin phòng Covid-19 cho người từ 65 tuổi trở lên và người "
        "có bệnh nền vào sáng thứ Bảy 14/8/2021. Điểm tiêm đặt tại Trường Tiểu học Phú Nghĩa. "
        "Con cháu đưa ông bà đến đúng giờ, mang theo sổ khám bệnh nếu có. Cán bộ thôn sẽ đến "
        "từng nhà phát phiếu hẹn giờ."
    )
    score = similarity((TITLE, ORIGINAL), ("Lịch tiêm vắc xin cho người cao tuổi", elderly))
    assert score < 0.2


def test_case_punctuation_and_composition_do_not_hide_a_copy():
    shouted = ORIGINAL.upper().replace(".", " .")
    assert similarity((TITLE, ORIGINAL), (TITLE, shouted)) == 1.0


def test_empty_text_repeats_nothing():
    assert similarity(("", ""), (TITLE, ORIGINAL)) == 0.0
