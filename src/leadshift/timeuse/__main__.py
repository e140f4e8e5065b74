from leadshift.timeuse.cli import timeuse_command

timeuse_command(prog_name="leadshift timeuse")
