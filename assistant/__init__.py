"""Citation-grounded QA assistant for medical billing documents."""
