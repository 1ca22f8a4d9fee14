"""Schools of a municipality with their teacher head-counts (the frame of the teacher survey)."""
