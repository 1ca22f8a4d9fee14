"""Survey waves: a municipality × an instrument version × a wave year, with its public link."""
