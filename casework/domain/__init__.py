"""The Case Assessment Tool's domain: pure functions over plain data, no Django.

- ``conditions``: the bank's condition language (parse once, evaluate many times).
- ``bank``: load and validate a versioned question bank folder (``casework/bank/<version>/``).
- ``routing``: which questions a case is asked and which answers it requires.
- ``sufficiency``: what stops a case from being completed.
- ``scores``: percentage Sufficient per question, criterion, theme and overall.
"""
