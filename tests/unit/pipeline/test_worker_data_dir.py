"""A worker makes its table-state folder, parents included, or says why it cannot."""
import pytest

from pipeline.settings import Settings
from pipeline.worker import require_data_dir


def test_the_data_folder_is_made_with_its_parents(tmp_path):
    target = tmp_path / "fresh" / ".newsflow" / "worker"
    require_data_dir(Settings(data_dir=str(target)))
    assert target.is_dir()
    require_data_dir(Settings(data_dir=str(target)))  # and again, once it exists


def test_a_data_folder_under_a_file_is_refused_with_a_clear_error(tmp_path):
    blocker = tmp_path / "state"
    blocker.write_text("not a folder")
    with pytest.raises(RuntimeError, match="cannot create the worker's data folder .*NEWSFLOW_DATA_DIR"):
        require_data_dir(Settings(data_dir=str(blocker / "worker")))
