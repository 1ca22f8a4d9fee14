"""Data the evaluation needs beyond responses, kept by evaluators in the browser: the history of
administrative-figure uploads and the population margins that weight the resident survey."""
