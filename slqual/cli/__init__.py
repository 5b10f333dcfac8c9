"""The command-line interface: a thin skin over the library."""
