"""Calibration of a borderland model to observed figures by ABC-SMC.

    python3 -m borderland.calibration calibrate CAL.yaml -o posterior.h5

The method is approximate Bayesian computation by sequential Monte Carlo
(Toni et al. 2009, J. R. Soc. Interface 6:187; Beaumont et al. 2009,
Biometrika 96:983): a population of parameter vectors is moved through a
decreasing schedule of tolerances; each round proposes particles from the last
population perturbed by a per-parameter Gaussian kernel, truncated to the prior's
support, with twice the population's weighted variance,
simulates them with `borderland sweep` (threads, MPI ranks or Slurm shards;
resumable) and keeps those whose summary statistics lie within the tolerance
of the observed ones.

Modules: `config` (the CAL.yaml file, located errors), `specs` (the model's
declared parameters), `abc_smc` (the method's mathematics, no simulator),
`observation` (how a source counts the model's events; summary statistics),
`simulate` (batches through `borderland sweep`), `calibrate` (the round loop,
state and resume), `posterior` (the posterior file), `diagnostics`
(posterior predictive checks, marginals, correlations, what the data constrain).
"""
