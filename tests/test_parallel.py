"""Work spread over processes gives exactly what one process gives, in the same order."""

from __future__ import annotations

import functools

import pytest

from generator.checks import parallel
from generator.checks.validate import validate_all
from generator.config import Config
from generator.outputs import downloads
from tests.conftest import ROOT


@pytest.fixture
def always_parallel(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "WORTH_A_PROCESS", 0)
    monkeypatch.setattr(parallel, "workers", lambda: 2)


def test_validation_and_downloads_in_worker_processes_match_one_process(always_parallel: None) -> None:
    config = Config.for_project(ROOT)
    make_files = functools.partial(downloads.dataset_files, updated=config.updated)
    spread = validate_all(config, make_files)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(parallel, "workers", lambda: 1)
        alone = validate_all(config, make_files)
    assert alone == spread
    assert [d.name for d in spread.datasets] == ["community-safety-performance", "community-safety-plan"]
    assert list(spread.files) == [path for d in spread.datasets for path in downloads.dataset_files(d, config.updated)]


def test_files_are_made_only_when_asked_for() -> None:
    assert validate_all(Config.for_project(ROOT)).files == {}
