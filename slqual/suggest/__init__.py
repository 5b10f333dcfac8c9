"""Models trained on the team's own coding that suggest codes, offline.

- ``data``: everything read from or written to the project (one place to update).
- ``features``: TF-IDF of word and character n-grams, stored as plain arrays.
- ``store``: saving and loading models; a file the project did not write is refused.
- ``train``: one logistic regression per code, scored by grouped cross-validation.
- ``apply``: suggestions written as the pseudo-coder ``model``.
"""
