"""Runnable retellings of backpropagation's history: python -m demos.NAME."""
