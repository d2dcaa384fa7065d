"""The study design and the facts about the study."""
