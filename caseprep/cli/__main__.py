"""`python -m caseprep.cli`: the same as the `caseprep` command."""

from caseprep.cli import main

main(prog_name="caseprep")
