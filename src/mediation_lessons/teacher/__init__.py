"""What only a teacher runs: class results and their re-grading, item analysis, answer
keys, LMS export. The learner's quiz (``mediation_lessons.quiz``) never imports this."""
