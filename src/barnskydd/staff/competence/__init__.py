"""Competence of the staff: degree, experience, the introduction programme and co-signers.

`rules.py` is pure (who qualifies for the steps SoL 2025:400 25 kap. 1 § reserves, years of
experience on a day, the Öppna jämförelser shares); `service.py` reads and writes the records,
each edit audited; `reserved_steps.toml` names the reserved steps and the paragraph, and
`programmes/*.toml` hold the versioned introduction programmes.
"""
