"""The primitives by group (Blue Book chapter 29), registered in the table of
spyvm/primitives.py, which imports every group; importing a group imports
that table first."""

import spyvm.primitives     # noqa: F401  (the table, then every group)
