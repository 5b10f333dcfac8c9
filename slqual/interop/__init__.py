"""Exchange with other qualitative analysis programs (REFI-QDA: NVivo, ATLAS.ti, MAXQDA, QualCoder)."""
