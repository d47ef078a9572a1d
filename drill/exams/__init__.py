"""Skill-level exams: blueprints, fair papers, grading, release, certificates, item analysis."""
