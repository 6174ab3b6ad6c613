"""How well schedulers predict a learner's recall: review logs made ready for measuring (from
a CSV file or the collection), FSRS-6 and SM-2 replayed, the metrics, and fitting FSRS-6's
parameters with ``fsrs-rs-python``.

May import: ``core.collection`` and everything below it.
"""
