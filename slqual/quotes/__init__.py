"""Quotes as spans inside segments: marked by a coder, chosen automatically, tidied.

- ``marked``: matching a coder's marked quote (the ``quote`` column) to its segment;
- ``spans``: choosing the sentences that best carry a code when nobody marked them;
- ``tidy``: clean verbatim (fillers and false starts removed).
"""
