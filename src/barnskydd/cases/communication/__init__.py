"""Communication before a decision (kommunicering, förvaltningslagen 25 §).

What was sent to whom, when, by when they may answer, and the answer. A decision on an
intervention, and the completion of the investigation, wait while a communication is
unanswered and its time has not run out (cases.chain.checks). See docs/communication.md.
"""
