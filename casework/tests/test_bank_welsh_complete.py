"""Every question of every bank version has its Welsh (issue 13 item 1).

View 1 is not translated yet: strict xfail, so this fails the day they are done and the
marks must be removed (and fails now for any other view that loses its Welsh)."""

import pytest

from casework.domain.bank import available_versions, load_bank, missing_welsh

NOT_YET_TRANSLATED = {1}


@pytest.mark.parametrize("version", available_versions())
@pytest.mark.parametrize(
    "view",
    [
        pytest.param(v, marks=pytest.mark.xfail(strict=True, reason="no Welsh yet")) if v in NOT_YET_TRANSLATED else v
        for v in range(6)
    ],
)
def test_no_welsh_text_is_missing(version, view):
    bank = load_bank(version)
    ids = {q.id for q in bank.questions if q.view == view}
    assert [m for m in missing_welsh(bank) if m.split(":")[0] in ids] == []
