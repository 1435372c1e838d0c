"""The figures the synthetic municipality is calibrated on, each with its source or marked as an
assumption. docs/synthetic-data.md explains them; change a figure here and there together.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import TypeVar

from barnskydd.cases.codes import (
    Channel,
    Concern,
    InterventionCategory,
    InvestigationOutcome,
    JournalKind,
    ReporterCategory,
)

K = TypeVar("K")


def draw(rng: random.Random, weights: Mapping[K, float]) -> K:
    """Draw one key of a mapping with its value as weight."""
    return rng.choices(list(weights), weights=list(weights.values()))[0]


# Socialstyrelsen, national mapping of reports 2021 (press release 2022): about 422,000 reports,
# 192 per 1,000 children 0-17 (154 in 2018); the target is "about 190".
REPORTS_PER_1000_CHILDREN = 190.0

# Socialstyrelsen's mappings: 331,000 reports about 180,000 children in 2018 (1.84 a child);
# about 422,000 about 216,000 children in 2021 (1.95). We aim at 1.8 within one year.
REPORTS_PER_CHILD = 1.8
# Assumption: half of the re-reports concern a child reported in the last ~two months.
RECENT_REREPORT_SHARE = 0.5
RECENT_WINDOW_DAYS = 60

# Socialstyrelsen 2018: 55 % of reports concern boys; two children in three are 0-12.
BOY_SHARE = 0.55
SHARE_AGED_0_12 = 2 / 3

# Reporter mix. Police + school + preschool + health care = 60 % (issue 2, from Socialstyrelsen's
# mappings, where the police is the largest single reporter). The split between the four and
# the rest are assumptions, kept equal to barnskydd.stats.synthetic so the two generators agree.
REPORTER_MIX: dict[ReporterCategory, float] = {
    ReporterCategory.POLICE: 0.25,
    ReporterCategory.SCHOOL: 0.17,
    ReporterCategory.PRESCHOOL: 0.05,
    ReporterCategory.HEALTH_CARE: 0.13,
    ReporterCategory.DENTAL_CARE: 0.01,
    ReporterCategory.CHILD_PSYCHIATRY: 0.04,
    ReporterCategory.SOCIAL_SERVICES: 0.12,
    ReporterCategory.OTHER_AUTHORITY: 0.06,
    ReporterCategory.PRIVATE_PERSON: 0.06,
    ReporterCategory.RELATIVE: 0.05,
    ReporterCategory.CHILD_SELF: 0.02,
    ReporterCategory.ANONYMOUS: 0.03,
    ReporterCategory.OTHER: 0.01,
}
# Assumption: the share of mandatory reporters who ask for feedback (19 kap. 6 § SoL). No
# published figure was found; schools and health care routinely ask, so two in three.
FEEDBACK_REQUESTED_SHARE = 2 / 3
# Reporters in category "other" who are still under the duty to report (assumption).
OTHER_MANDATORY_SHARE = 0.3

# Assumption: how reports arrive, by reporter (police mostly in writing, private persons by phone).
CHANNEL_MIX: dict[bool, dict[Channel, float]] = {
    True: {Channel.DIGITAL_FORM: 0.45, Channel.EMAIL: 0.2, Channel.PHONE: 0.25,
           Channel.LETTER: 0.05, Channel.IN_PERSON: 0.03, Channel.OTHER: 0.02},
    False: {Channel.PHONE: 0.5, Channel.DIGITAL_FORM: 0.3, Channel.EMAIL: 0.1,
            Channel.LETTER: 0.04, Channel.IN_PERSON: 0.05, Channel.OTHER: 0.01},
}  # fmt: skip

# Concern weights. Socialstyrelsen 2018: one report in five concerns violence in close relations;
# 39 % relate to a parent's problems, 33 % to the child's own. Weights per age band are our
# assumption, shaped so that those shares come out roughly right.
CONCERNS_YOUNG: dict[Concern, float] = {
    Concern.PHYSICAL_VIOLENCE: 9, Concern.SEXUAL_ABUSE: 2, Concern.PSYCHOLOGICAL_VIOLENCE: 6,
    Concern.NEGLECT: 13, Concern.WITNESSED_DOMESTIC_VIOLENCE: 14,
    Concern.PARENTAL_SUBSTANCE_ABUSE: 10, Concern.PARENTAL_MENTAL_ILLNESS: 9,
    Concern.HONOUR_RELATED: 1, Concern.CHILD_SUBSTANCE_USE: 0.2, Concern.CHILD_CRIMINALITY: 0.5,
    Concern.CHILD_MENTAL_HEALTH: 3, Concern.SCHOOL_ABSENCE: 2, Concern.FAMILY_CONFLICT: 10,
    Concern.OTHER: 6,
}  # fmt: skip
CONCERNS_TEEN: dict[Concern, float] = {
    Concern.PHYSICAL_VIOLENCE: 7, Concern.SEXUAL_ABUSE: 3, Concern.PSYCHOLOGICAL_VIOLENCE: 5,
    Concern.NEGLECT: 4, Concern.WITNESSED_DOMESTIC_VIOLENCE: 6,
    Concern.PARENTAL_SUBSTANCE_ABUSE: 4, Concern.PARENTAL_MENTAL_ILLNESS: 4,
    Concern.HONOUR_RELATED: 3, Concern.CHILD_SUBSTANCE_USE: 9, Concern.CHILD_CRIMINALITY: 16,
    Concern.CHILD_MENTAL_HEALTH: 12, Concern.SCHOOL_ABSENCE: 9, Concern.FAMILY_CONFLICT: 8,
    Concern.OTHER: 5,
}  # fmt: skip
# Assumption: number of concern categories on one report.
CONCERN_COUNT_WEIGHTS = {1: 0.6, 2: 0.3, 3: 0.1}

# Preliminary assessment. Socialstyrelsen 2018: 38 % of reports led to a decision to open an
# investigation; the band is 38-50 %. Reports about a child already under investigation
# or with interventions join that case (already_ongoing); of the rest, the share opened below
# (assumption, tuned so that about 40 % of all reports open an investigation).
OPEN_SHARE_OF_NEW: dict[ReporterCategory, float] = {
    ReporterCategory.POLICE: 0.60, ReporterCategory.SCHOOL: 0.55,
    ReporterCategory.PRESCHOOL: 0.62, ReporterCategory.HEALTH_CARE: 0.60,
    ReporterCategory.DENTAL_CARE: 0.56, ReporterCategory.CHILD_PSYCHIATRY: 0.62,
    ReporterCategory.SOCIAL_SERVICES: 0.64, ReporterCategory.OTHER_AUTHORITY: 0.57,
    ReporterCategory.PRIVATE_PERSON: 0.47, ReporterCategory.RELATIVE: 0.52,
    ReporterCategory.CHILD_SELF: 0.62, ReporterCategory.ANONYMOUS: 0.41,
    ReporterCategory.OTHER: 0.50,
}  # fmt: skip
# Assumption: a report about a child under investigation joins it; one about a child with
# running interventions gets its own preliminary assessment somewhat more often.
ALREADY_ONGOING_UNDER_INVESTIGATION = 0.9
ALREADY_ONGOING_WITH_INTERVENTIONS = 0.6
TRANSFERRED_SHARE = 0.02  # assumption: the family moves before the decision

# Timing (all assumptions; Öppna jämförelser / Kolada publish timeliness per municipality, which
# we could not read for a national figure, see docs/synthetic-data.md).
PROTECTION_DELAY_HOURS = ((0.85, 0.25, 4.0), (0.10, 4.0, 30.0), (0.05, 30.0, 96.0))
IMMEDIATE_PROTECTION_SHARE = 0.06
PRELIMINARY_ON_TIME_SHARE = 0.82
PRELIMINARY_LATE_DAYS = (15, 45)
INVESTIGATION_ON_TIME_DAYS = (35, 122, 105)  # triangular (low, high, mode), days from the start
INVESTIGATION_EXTENDED_SHARE = 0.12
INVESTIGATION_LATE_SHARE = 0.10  # past the deadline without an extension
EXTENSION_MONTHS = (1, 2)
EXTENSION_REASONS = (
    "Inväntar utlåtande från barn- och ungdomspsykiatrin.",
    "Polisutredning pågår; samråd med polis och åklagare behövs innan barnsamtal.",
    "Familjen har varit bortrest; planerade samtal har inte kunnat hållas.",
    "Behov av tolk har försenat samtal med vårdnadshavare.",
    "Utredningen har utvidgats till att omfatta syskon.",
)

# Investigation outcomes (assumption) and the interventions decided (assumption, shaped on the
# national register's pattern where open care dominates; SiS only under LVU).
INVESTIGATION_OUTCOMES: dict[InvestigationOutcome, float] = {
    InvestigationOutcome.INTERVENTIONS: 0.45,
    InvestigationOutcome.NO_INTERVENTION: 0.42,
    InvestigationOutcome.DISCONTINUED: 0.10,
    InvestigationOutcome.TRANSFERRED: 0.03,
}
# Of the investigations ended without an intervention, the share the nämnd follows up under
# SoL 2025:400 23 kap. 1 § (assumption: no national figure was found), the days to each
# follow-up contact, and the share closed after the six months of 23 kap. 5 § (late).
FOLLOW_UP_AFTER_INVESTIGATION_SHARE = 0.10
FOLLOW_UP_AFTER_INVESTIGATION_DAYS = (20, 80)
FOLLOW_UP_AFTER_INVESTIGATION_LATE_SHARE = 0.08
LVU_SHARE = 0.08
SOL_INTERVENTIONS: dict[InterventionCategory, float] = {
    InterventionCategory.OPEN_CARE: 0.58,
    InterventionCategory.CONTACT_PERSON_OR_FAMILY: 0.15,
    InterventionCategory.FAMILY_HOME: 0.10,
    InterventionCategory.RESIDENTIAL_HVB: 0.07,
    InterventionCategory.SUPPORTED_HOUSING: 0.04,
    InterventionCategory.OTHER: 0.06,
}
LVU_INTERVENTIONS: dict[InterventionCategory, float] = {
    InterventionCategory.FAMILY_HOME: 0.5,
    InterventionCategory.RESIDENTIAL_HVB: 0.25,
    InterventionCategory.SIS_SECURE: 0.25,
}
SECOND_INTERVENTION_SHARE = 0.15
INTERVENTION_START_DAYS = (0, 14)
FOLLOW_UP_DAYS = (60, 120)
INTERVENTION_MONTHS = (3, 14)

# Children's identities (assumption): most have a personnummer.
SAMORDNINGSNUMMER_SHARE = 0.025
RESERVE_SHARE = 0.015
SEKRETESSMARKERING_SHARE = 0.01
SKYDDAD_FOLKBOKFORING_SHARE = 0.003

# Arrivals (assumption): weekends and July are quieter; police report at all hours.
WEEKEND_WEIGHT = 0.35
JULY_WEIGHT = 0.7
OFFICE_HOURS = (8, 17)
POLICE_OUT_OF_HOURS_SHARE = 0.45

# Staffing (assumption): about 55 reports a case worker a year, a team lead per 8 case workers,
# one unit per 25,000 children (at least one); socionom share and experience from trade union
# surveys of turnover, not confirmed figures.
REPORTS_PER_CASE_WORKER = 55
CASE_WORKERS_PER_TEAM_LEAD = 8
CHILDREN_PER_UNIT = 25_000
SOCIONOM_SHARE = 0.9
EXPERIENCE_YEARS = {0: 0.12, 1: 0.16, 2: 0.14, 3: 0.1, 4: 0.08, 5: 0.08, 7: 0.1, 10: 0.12,
                    15: 0.07, 20: 0.03}  # fmt: skip

# Journal entries (journalanteckningar). Calibrated on the national coordinator's time study
# (2015-2016, 51 municipalities, 1,302 socionomer; ../shared/research/capabilities.md 2.2):
# investigating workers spent 2 % of their time (about 10 minutes a day) in direct meetings
# with children and 13 % with children and adults, so talks with adults far outnumber talks
# with the child. The kind weights, counts and minutes below are assumptions shaped by that.
JOURNAL_KINDS_INVESTIGATION: dict[JournalKind, float] = {
    JournalKind.CHILD_TALK: 0.15,
    JournalKind.GUARDIAN_TALK: 0.25,
    JournalKind.PHONE_CALL: 0.25,
    JournalKind.HOME_VISIT: 0.08,
    JournalKind.NETWORK_MEETING: 0.10,
    JournalKind.CONSULTATION: 0.07,
    JournalKind.REPORTER_CONTACT: 0.03,
    JournalKind.OTHER: 0.07,
}
# Assumption: minutes per kind, drawn uniformly; a home visit and a network meeting include
# the time around them, a phone call is short.
JOURNAL_MINUTES: dict[JournalKind, tuple[int, int]] = {
    JournalKind.CHILD_TALK: (20, 60),
    JournalKind.GUARDIAN_TALK: (30, 90),
    JournalKind.PHONE_CALL: (5, 25),
    JournalKind.HOME_VISIT: (60, 150),
    JournalKind.NETWORK_MEETING: (60, 120),
    JournalKind.CONSULTATION: (15, 45),
    JournalKind.REPORTER_CONTACT: (5, 20),
    JournalKind.OTHER: (10, 30),
}
# Assumption: entries per investigation, besides two talks with the child (the NUSO register
# counts "utredningssamtal där barnet deltar"; an investigation without one is the exception).
JOURNAL_ENTRIES_PER_INVESTIGATION = (4, 12)
CHILD_TALKS_PER_INVESTIGATION = 2
# Assumption: a preliminary assessment has one contact (reporter or guardian) in 3 cases of 4.
PRELIMINARY_CONTACT_SHARE = 0.75
CHILD_ALONE_SHARE = 0.7  # assumption: of the talks with the child, how many alone
UNSIGNED_SHARE = 0.2  # assumption: entries of the last 14 days before `end` left unsigned
UNSIGNED_WINDOW_DAYS = 14
CORRECTED_SHARE = 0.02  # assumption: signed entries later corrected by a new entry

# Families (assumption): most reported children have two guardians recorded, about one in four
# one (single custody or the other parent unknown); one guardian in eight needs an
# interpreter, the languages weighted after the interpreting agencies' published top lists;
# one new child in twelve is reported together with a sibling. Not confirmed figures.
TWO_GUARDIANS_SHARE = 0.75
INTERPRETER_SHARE = 0.12
INTERPRETER_LANGUAGES = {"ar": 0.35, "so": 0.15, "ti": 0.1, "fa": 0.1, "prs": 0.08, "pl": 0.07,
                         "uk": 0.08, "bs": 0.07}  # fmt: skip
SIBLING_REPORT_SHARE = 0.08
PARENT_AGE_YEARS = (20, 45)  # the parent's age at the child's birth
