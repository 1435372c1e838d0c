"""Early help: interventions the nämnd offers without an individual needs assessment.

SoL 2025:400 11 kap. 5 §: the catalogue of interventions a nämnd has decided to offer without
an investigation (each with the decision that established it), a child or family receiving
one (with the guardian's consent, 21 kap. 2 §), and a report screened out with early help
offered (the chain's step `offer_early_help`). See docs/early-help.md.
"""
