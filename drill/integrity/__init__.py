"""Exam and competition integrity (防作弊): page-leave events, one device at a time, similar answers."""
