# The commands people type. `make run` and `make test` do all the set-up on a fresh machine.
.PHONY: run test check bench setup

run:
	@bash scripts/run.sh

test:
	@bash scripts/test.sh $(ARGS)

check:
	@bash scripts/check.sh

bench:
	@bash scripts/bootstrap.sh && .venv/bin/python scripts/bench.py $(ARGS)

setup:
	@bash scripts/bootstrap.sh
