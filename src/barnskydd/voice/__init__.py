"""The child's voice at follow-up (issue 13): one answer, two uses.

`codes.py` holds the codes (status, reason, mode, band, theme), `itemset.py` the versioned
item sets (`itemsets/*.toml`), `models.py` the two records: `ChildVoiceRecord` (in the case,
personal data) and `VoiceResponse` (anonymous, for counting; no column joins it to a case or
a child). `service.py` is the one write path for both; `report.py` counts them with small-cell
and complementary suppression.
"""
