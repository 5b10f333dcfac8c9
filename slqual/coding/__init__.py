"""Coding: each coder's assignments, made in the terminal, in a spreadsheet or by keywords.

- ``frame``: the participant segments offered for coding, with their question and group.
- ``store``: the durable per-answer store of one coder (journal plus atomic CSV rewrite).
- ``lock``: one session per coder at a time.
- ``session``: the terminal coding session as a state machine over the segments.
- ``sheets``: spreadsheet export and validated import.
- ``autocode``: keyword pre-coding into the pseudo-coder ``auto``.
- ``status``: how far each coder has got.
"""
