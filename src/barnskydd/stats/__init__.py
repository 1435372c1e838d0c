"""National statistics: the extract schema, measures, engines, protection and the release."""
