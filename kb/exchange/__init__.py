"""Excel in, Excel out: the shared column vocabulary (columns.py), reading files and importing rows."""
