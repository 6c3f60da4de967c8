"""Work done on uploaded audio outside the request: analysis now, the job pipeline later."""
