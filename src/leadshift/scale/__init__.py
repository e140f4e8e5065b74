"""Running LeadShift on more than one process: the task worker, leases on background runs,
the web server's processes."""
