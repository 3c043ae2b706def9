"""Model-agnostic analysis of borderland files: ensembles, statistics, comparisons, Sobol indices,
figures and the HTML report. Nothing here knows a model; model-specific parts (targets, scenario
names) live in a sub-package named after the model (borderland.ttp) and are found from a file's
`model` attribute."""
