"""Every question of every bank version has its Welsh (issue 13 item 1): fails for any view that
loses its Welsh or gains an English text without it."""

import pytest

from casework.domain.bank import available_versions, load_bank, missing_welsh


@pytest.mark.parametrize("version", available_versions())
@pytest.mark.parametrize("view", range(6))
def test_no_welsh_text_is_missing(version, view):
    bank = load_bank(version)
    ids = {q.id for q in bank.questions if q.view == view}
    assert [m for m in missing_welsh(bank) if m.split(":")[0] in ids] == []
