import os
import pytest

from spyvm.bootstrap import Bootstrap

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.fixture
def boot():
    """A fresh synthetic object space (no image)."""
    return Bootstrap()


@pytest.fixture
def space(boot):
    return boot.space
