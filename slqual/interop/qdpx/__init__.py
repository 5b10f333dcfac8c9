"""Whole-project exchange with NVivo, ATLAS.ti, MAXQDA and QualCoder: REFI-QDA ``.qdpx`` files."""
