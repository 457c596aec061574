"""The project's own evaluation corpus and its scorer.

``values`` makes personal values and look-alikes, ``corpus`` builds labelled
events from them (deterministic for a seed), ``evaluate`` runs a redactor over
a corpus and counts leaks, over-redaction and tag recall and precision.
Run from the repository root: ``python -m benchmarks.evaluation.evaluate``.
"""
