"""The primitives by group (Blue Book chapter 29). spyvm/primitives.py holds
the table and imports every group; each group imports it for registration."""
