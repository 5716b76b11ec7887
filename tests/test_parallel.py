"""Work spread over processes gives exactly what one process gives, in the same order."""

from __future__ import annotations

import pytest

from generator import downloads, parallel
from generator.config import Config
from generator.validate import validate_all
from tests.conftest import ROOT


@pytest.fixture
def always_parallel(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "WORTH_A_PROCESS", 0)
    monkeypatch.setattr(parallel, "workers", lambda: 2)


def test_validation_and_downloads_in_worker_processes_match_one_process(always_parallel: None) -> None:
    config = Config.for_project(ROOT)
    spread = validate_all(config)
    files = downloads.site_files(spread.datasets, config.updated)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(parallel, "workers", lambda: 1)
        alone = validate_all(config)
        assert alone == spread
        assert downloads.site_files(alone.datasets, config.updated) == files
    assert [d.name for d in spread.datasets] == ["community-safety-performance", "community-safety-plan"]
