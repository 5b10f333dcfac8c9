from slqual.cli.main import run

run()
