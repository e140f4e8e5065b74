"""A whole organisation in one file: `leadshift org export` and `leadshift org import`."""
